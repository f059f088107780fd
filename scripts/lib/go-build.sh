#!/usr/bin/env bash
# Build one main package of a Go module at a pinned version from the Go module proxy, statically.
#   go-build.sh MODULE VERSION PACKAGE OUTFILE [LDFLAGS [SRCDIR]]
# Not `go install PACKAGE@VERSION`: that also reads the module's version list (for deprecation
# notes), which the proxy refuses for some modules (403). A throwaway module that requires the
# pinned version builds the same code with the same dependency versions (minimal version
# selection). Output goes to a temp file renamed to OUTFILE at the end; Go's build cache makes a
# retry after an interruption fast. Runs niced on at most 2 jobs (the machines are shared).
# SRCDIR: a module of the project's own (a go.mod without require lines, plus Go sources) that
# replaces the throwaway one, for a MODULE whose main packages the proxy does not serve: PACKAGE
# is one of SRCDIR's packages, built against MODULE@VERSION (added to a copy of its go.mod).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: go-build.sh MODULE VERSION PACKAGE OUTFILE [LDFLAGS [SRCDIR]]" >&2; exit 2; }
module="$1" version="$2" pkg="$3" out="$4" ldflags="${5:--s -w}" src="${6:-}"
command -v go >/dev/null 2>&1 || { echo "[kafka-ha] ERROR: Go is not installed, so $pkg@$version cannot be built (install Go from https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d "$(dirname "$out")/.go-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
if [ -n "$src" ]; then
  [ -f "$src/go.mod" ] || { echo "[kafka-ha] ERROR: $src has no go.mod" >&2; exit 1; }
  cp -R "$src/." "$tmp/"
  ( cd "$tmp" && go mod edit -require="$module@$version" )
else
  printf 'module kafka-ha.local/go-build\n\ngo 1.22\n\nrequire %s %s\n' "$module" "$version" > "$tmp/go.mod"
fi
( cd "$tmp" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -p 2 -trimpath -ldflags "$ldflags" -o "$tmp/out" "$pkg" ) \
  || { echo "[kafka-ha] ERROR: go build $pkg ($module@$version) failed" >&2; exit 1; }
mv -f "$tmp/out" "$out"
