#!/usr/bin/env bash
# Builds etcd (the server binary and etcdctl) from the go.etcd.io/etcd Go modules at the version
# pinned in scripts/versions.json (`etcd`), the datastore of the home-built node image's API server.
#
# Like k8s.io/kubernetes, go.etcd.io/etcd/server/v3 has a replace block (../api, ../client ...), so
# `go install` refuses it; a wrapper module requiring the published module versions builds it.
#
# Output: ${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}/etcd-<version>/bin/{etcd,etcdctl}, keyed by a hash of
# this script, the version and the Go version; atomic (temp dir, then rename). Prints the bin dir.
#   usage: build-etcd.sh [--force]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
log() { echo "[kafka-ha] $*" >&2; }

version="$(node -e 'process.stdout.write(require(process.argv[1]).etcd)' "$root/scripts/versions.json")"
cache="${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}"
out="$cache/etcd-$version"
key="$( { cat "$0"; echo "$version"; go env GOVERSION; } | sha256sum | cut -c1-16)"

if [[ "${1:-}" != "--force" && -f "$out/.key" && "$(cat "$out/.key")" == "$key" ]]; then
  log "etcd $version up to date ($out/bin)"
  echo "$out/bin"; exit 0
fi
command -v go >/dev/null || { log "ERROR: go is not on PATH (needed to build etcd $version)"; exit 1; }

tmp="$cache/.etcd-$version.tmp"
rm -rf "$tmp"; mkdir -p "$tmp/bin" "$tmp/mod"
log "building etcd $version (step 1/2: wrapper module)..."
cat > "$tmp/mod/go.mod" <<MOD
module kafka-ha.local/etcd-build

go 1.24

require (
	go.etcd.io/etcd/server/v3 $version
	go.etcd.io/etcd/etcdctl/v3 $version
	go.etcd.io/etcd/api/v3 $version
	go.etcd.io/etcd/client/pkg/v3 $version
	go.etcd.io/etcd/client/v3 $version
	go.etcd.io/etcd/pkg/v3 $version
)
MOD

log "building etcd $version (step 2/2: go build etcd etcdctl)..."
start=$SECONDS
cd "$tmp/mod"
ldflags="-s -w"
CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -p 2 -trimpath -ldflags "$ldflags" -o "$tmp/bin/etcd" go.etcd.io/etcd/server/v3
CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -p 2 -trimpath -ldflags "$ldflags" -o "$tmp/bin/etcdctl" go.etcd.io/etcd/etcdctl/v3
log "  go build took $((SECONDS - start))s"
"$tmp/bin/etcd" --version | head -1 >&2
echo "$key" > "$tmp/.key"
rm -rf "$tmp/mod"
rm -rf "$out.old"; [[ -e "$out" ]] && mv "$out" "$out.old"
mv "$tmp" "$out"; rm -rf "$out.old"
log "  etcd $(du -h "$out/bin/etcd" | cut -f1), etcdctl $(du -h "$out/bin/etcdctl" | cut -f1)"
echo "$out/bin"
