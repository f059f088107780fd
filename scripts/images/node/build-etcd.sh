#!/usr/bin/env bash
# Builds etcd (the server binary and etcdctl) from the go.etcd.io/etcd Go modules at the version
# pinned in scripts/versions.json (`etcd`), the datastore of the home-built node image's API server.
#
# Like k8s.io/kubernetes, go.etcd.io/etcd/server/v3 has a replace block (../api, ../client ...), so
# `go install` refuses it; a wrapper module requiring the published module versions builds it.
#
# Output: ${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}/etcd-<version>/bin/{etcd,etcdctl}, keyed by a hash of
# this script, cached-go-build.sh, the version and the Go version; atomic (temp dir, then rename).
# Prints the bin dir.
#   usage: build-etcd.sh [--force]
# shellcheck source=SCRIPTDIR/cached-go-build.sh
source "$(dirname "$0")/cached-go-build.sh"

version="$(pinned etcd)"
cached_build_start etcd "$version" "etcd $version" "${1:-}"
command -v go >/dev/null || { log "ERROR: go is not on PATH (needed to build etcd $version)"; exit 1; }

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
cached_build_finish
log "  etcd $(du -h "$out/bin/etcd" | cut -f1), etcdctl $(du -h "$out/bin/etcdctl" | cut -f1)"
echo "$out/bin"
