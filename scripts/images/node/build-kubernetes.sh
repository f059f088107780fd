#!/usr/bin/env bash
# Builds the upstream Kubernetes binaries (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet, kube-proxy, kubectl) from the k8s.io/kubernetes Go module, pinned in scripts/versions.json.
#
# Why: no container registry and no GitHub download is reachable here, and the Go proxy refuses
# github.com/k3s-io/k3s (403), so the node image is assembled from upstream components instead.
#
# k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces every k8s.io staging module with
# ./staging/src/... . A wrapper module repeats that replace block with the published v0.X.Y tags.
#
# Output: ${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}/kubernetes-<version>/bin/, keyed by a hash of this
# script, cached-go-build.sh, the version and the Go version; written to a temp dir and renamed at the
# end (an interrupted build resumes from Go's build cache). Prints the bin directory on stdout.
#   usage: build-kubernetes.sh [--force]
# shellcheck source=SCRIPTDIR/cached-go-build.sh
source "$(dirname "$0")/cached-go-build.sh"

version="$(pinned kubernetes)"
staging_version="v0.${version#v1.}"
cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
cached_build_start kubernetes "$version" "kubernetes $version binaries" "${1:-}"

command -v go >/dev/null || { log "ERROR: go is not on PATH (needed to build Kubernetes $version)"; exit 1; }
mkdir -p "$cache"
rm -rf "$tmp"; mkdir -p "$tmp/bin" "$tmp/mod"

log "building kubernetes $version (step 1/3: wrapper module)..."
{
  echo "module kafka-ha.local/kubernetes-build"
  echo
  echo "go 1.24.0"
  echo
  echo "godebug default=go1.24"
  echo
  echo "require k8s.io/kubernetes $version"
  echo
  echo "replace ("
} > "$tmp/mod/go.mod"
# The staging module list is read from the pinned k8s.io/kubernetes go.mod itself.
gomod="$(cd "$tmp" && GOFLAGS= go mod download -json "k8s.io/kubernetes@$version" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}process.stdout.write(j.GoMod)})')"
grep -E '^\s+k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk -v v="$staging_version" '{printf "\t%s => %s %s\n", $1, $1, v}' >> "$tmp/mod/go.mod"
echo ")" >> "$tmp/mod/go.mod"
log "  $(grep -c '=>' "$tmp/mod/go.mod") staging modules replaced by their $staging_version tags"

# Version stamping as hack/lib/version.sh does, so `kubectl version` and /version report $version.
minor="${version#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z -X $pkg.gitCommit=kafka-ha-module-build"
done

log "building kubernetes $version (step 2/3: go build ${cmds[*]}; long on a cold cache)..."
start=$SECONDS
cd "$tmp/mod"
pkgs=(); for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -p 2 -trimpath -ldflags "$ldflags" -o "$tmp/bin/" "${pkgs[@]}"
log "  go build took $((SECONDS - start))s"

log "building kubernetes $version (step 3/3: check and install)..."
got="$("$tmp/bin/kubectl" version --client -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).clientVersion.gitVersion))')"
[[ "$got" == "$version" ]] || { log "ERROR: built kubectl reports $got, expected $version"; exit 1; }
cached_build_finish
for c in "${cmds[@]}"; do log "  $c $(du -h "$out/bin/$c" | cut -f1)"; done
echo "$out/bin"
