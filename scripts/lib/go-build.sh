#!/usr/bin/env bash
# Build one main package of a Go module at a pinned version from the Go module proxy, statically.
#   go-build.sh MODULE VERSION PACKAGE OUTFILE [LDFLAGS]
# Not `go install PACKAGE@VERSION`: that also reads the module's version list (for deprecation
# notes), which the proxy refuses for some modules (403). A throwaway module that requires the
# pinned version builds the same code with the same dependency versions (minimal version
# selection). Output goes to a temp file renamed to OUTFILE at the end; Go's build cache makes a
# retry after an interruption fast. Runs niced on at most 2 jobs (the machines are shared).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: go-build.sh MODULE VERSION PACKAGE OUTFILE [LDFLAGS]" >&2; exit 2; }
module="$1" version="$2" pkg="$3" out="$4" ldflags="${5:--s -w}"
command -v go >/dev/null 2>&1 || { echo "[kafka-ha] ERROR: Go is not installed, so $pkg@$version cannot be built (install Go from https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d "$(dirname "$out")/.go-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
printf 'module kafka-ha.local/go-build\n\ngo 1.22\n\nrequire %s %s\n' "$module" "$version" > "$tmp/go.mod"
( cd "$tmp" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -p 2 -trimpath -ldflags "$ldflags" -o "$tmp/out" "$pkg" ) \
  || { echo "[kafka-ha] ERROR: go build $pkg ($module@$version) failed" >&2; exit 1; }
mv -f "$tmp/out" "$out"
