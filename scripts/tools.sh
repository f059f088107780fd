#!/usr/bin/env bash
# Pinned command-line tools: helm, helm3, k3d, kubectl, promtool (versions in scripts/versions.json).
#
#   scripts/tools.sh path <tool>     absolute path of the pinned tool (installs it if needed)
#   scripts/tools.sh version <tool>  the pinned version
#
# helm is the project's Helm (4.x); helm3 is the last Helm 3 release, built only for the tests that
# check the chart still works for Helm 3 users (unit tier, Helm 3 install -> Helm 4 upgrade).
# promtool (Prometheus' rule checker, cmd/promtool of the Go module github.com/prometheus/prometheus
# at versions.json `prometheus`: module v0.3MM.P is Prometheus 3.MM.P) checks and unit-tests the
# chart's alerts (test/unit/metrics-rules.test.ts).
#
# Uses the tool on PATH when its version is the pinned one. Otherwise builds it from the Go module
# proxy into ${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}/bin/<tool>-<version> (reused on the next call,
# also by a fresh clone on the same machine). The build goes to a temp dir and is renamed into
# place, so an interrupted build leaves nothing half-written; Go's build cache makes the retry fast.
# kubectl comes from scripts/images/node/build-kubernetes.sh (the node image needs the same
# Kubernetes build), which caches its output the same way.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log_prefix="tools: "
# shellcheck source=SCRIPTDIR/lib/log.sh
source "$here/lib/log.sh"
bindir="$cache/bin"

usage() { die "usage: scripts/tools.sh <path|version> <helm|helm3|k3d|kubectl|promtool>"; }
[ $# -eq 2 ] || usage
action="$1" tool="$2"

source "$here/lib/versions.sh"

case "$tool" in
  helm) want="$(pinned helm)" ;;
  helm3) want="$(pinned helm3)" ;;
  k3d) want="$(pinned k3d)" ;;
  kubectl) want="$(pinned kubernetes)" ;;
  promtool) want="$(pinned prometheus)" ;;
  *) usage ;;
esac
[ "$action" = version ] && { echo "$want"; exit 0; }
[ "$action" = path ] || usage

# version_of TOOL BINARY: the version the binary reports, or nothing.
version_of() {
  case "$1" in
    helm|helm3) "$2" version --template '{{.Version}}' 2>/dev/null ;;
    k3d) "$2" version 2>/dev/null | sed -n -E 's/^k3d version (v[^ ]+).*/\1/p' ;;
    kubectl) "$2" version --client -o json 2>/dev/null \
      | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).clientVersion.gitVersion)}catch{}})' ;;
    # "promtool, version 3.16.0 (branch: ...)" -> the module version v0.316.0 that versions.json pins
    promtool) "$2" --version 2>/dev/null \
      | sed -n -E 's/^promtool, version 3\.([0-9]+)\.([0-9]+) .*/\1 \2/p' | { read -r minor patch && printf 'v0.3%02d.%s' "$minor" "$patch"; } ;;
  esac
}

matches() { [ -x "$2" ] && [ "$(version_of "$1" "$2" || true)" = "$want" ]; }

# 1. the one on PATH, if it is the pinned version (helm3: a `helm` on PATH that is the pinned Helm 3)
if onpath="$(command -v "${tool%3}" 2>/dev/null)" && matches "$tool" "$onpath"; then
  echo "$onpath"; exit 0
fi

# 2. kubectl: the Kubernetes build shared with the node image
if [ "$tool" = kubectl ]; then
  build="$here/images/node/build-kubernetes.sh"
  [ -x "$build" ] || [ -f "$build" ] || die "kubectl $want is not on PATH and $build is missing"
  kbin="$(bash "$build")" || die "building Kubernetes $want (for kubectl) failed"
  matches kubectl "$kbin/kubectl" || die "$kbin/kubectl does not report $want"
  echo "$kbin/kubectl"; exit 0
fi

# 3. helm / helm3 / k3d / promtool: our cache, built with `go install` on a miss
target="$bindir/${tool%3}-$want"   # helm3 v3.x and helm v4.x share the name helm-<version>
if matches "$tool" "$target"; then echo "$target"; exit 0; fi

command -v go >/dev/null 2>&1 || die "$tool $want is not on PATH (found: ${onpath:-none}) and Go is not installed, so it cannot be built. Install Go (https://go.dev/dl) or put $tool $want on PATH."
mkdir -p "$bindir"
exec 9>"$bindir/.${tool%3}.lock"
flock 9   # one build at a time per tool (several helpers/tests may ask at once)
if matches "$tool" "$target"; then echo "$target"; exit 0; fi

case "$tool" in
  helm)
    # Helm 4 takes the Kubernetes version it assumes for .Capabilities from its own build info
    # (the k8s.io/client-go it is built with), so only the version strings need ldflags.
    pkg="helm.sh/helm/v4/cmd/helm@$want"
    ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$want -X helm.sh/helm/v4/internal/version.metadata= -X helm.sh/helm/v4/internal/version.gitTreeState=clean" ;;
  helm3)
    pkg="helm.sh/helm/v3/cmd/helm@$want"
    # As helm's Makefile does: the version, and the Kubernetes version Helm assumes for
    # .Capabilities (derived from the k8s.io/client-go it is built with).
    cg="$(cd "$(mktemp -d)" && go mod download -json "helm.sh/helm/v3@$want" \
      | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=require("fs").readFileSync(JSON.parse(s).GoMod,"utf8").match(/k8s\.io\/client-go v0\.(\d+)\./);process.stdout.write(m?m[1]:"")})')"
    ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$want -X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
    if [ -n "$cg" ]; then
      for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
        ldflags+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$cg"
      done
    fi ;;
  k3d)
    pkg="github.com/k3d-io/k3d/v5@$want"
    # k3d's version package reads both strings from ldflags (its Makefile sets them from git tags);
    # without them `k3d version` says v5-dev and the default node image is an old k3s.
    k3s_tag="$(pinned k3sImage)"; k3s_tag="${k3s_tag##*:}"
    ldflags="-s -w -X github.com/k3d-io/k3d/v5/version.Version=$want -X github.com/k3d-io/k3d/v5/version.K3sVersion=$k3s_tag" ;;
  promtool)
    # Prometheus' own builds (promu) set the version strings of prometheus/common/version; the Go
    # module v0.3MM.P is Prometheus 3.MM.P.
    [[ "$want" =~ ^v0\.3([0-9][0-9])\.([0-9]+)$ ]] || die "versions.json prometheus '$want' is not a Go module version v0.3MM.P"
    pkg="github.com/prometheus/prometheus/cmd/promtool@$want"
    ldflags="-s -w -X github.com/prometheus/common/version.Version=3.$((10#${BASH_REMATCH[1]})).${BASH_REMATCH[2]} -X github.com/prometheus/common/version.Branch=module -X github.com/prometheus/common/version.Revision=$want" ;;
esac

tmp="$(mktemp -d "$bindir/.$tool-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "building $tool $want from the Go module proxy (first time only; takes a few minutes)..."
start=$SECONDS
mod="${pkg%@*}"; modroot="${mod%/cmd/*}"
bash "$here/lib/go-build.sh" "$modroot" "$want" "$mod" "$tmp/$tool" "$ldflags" || die "building $tool $want failed"
built="$tmp/$tool"
[ "$(version_of "$tool" "$built")" = "$want" ] || die "built $tool reports '$(version_of "$tool" "$built")', expected $want"
mv -f "$built" "$target"
log "built $tool $want in $((SECONDS - start))s: $target ($(du -h "$target" | cut -f1))"
echo "$target"
