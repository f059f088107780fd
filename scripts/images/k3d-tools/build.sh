#!/usr/bin/env bash
# kafka-ha.local/k3d-tools:<k3d version>: our replacement for k3d's helper image, which k3d pulls
# from ghcr.io (no registry here). cluster:up points k3d at it with K3D_IMAGE_TOOLS.
# What k3d v5.8.3 needs from it (pkg/client/tools.go, host.go): entry point /app/k3d-tools run with
# "noop"; `./k3d-tools save-image -d FILE IMAGE...` in /app (image import, talks to the Docker
# socket k3d mounts); `sh -c "getent ahostsv4 NAME"`; `rm -f`. Base: Debian's busybox-static image
# (sh, rm); k3d-tools and getent: main.go here, static, standard library only. Prints the ref.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$images_dir/k3d-tools"
docker_cli
export DOCKER_BUILDKIT=0
ver="$(pinned k3d)"
ref="kafka-ha.local/k3d-tools:$ver"
base_ref="$(bash "$images_dir/busybox/build.sh")"
base_id="$("$DOCKER" image inspect -f '{{.Id}}' "$base_ref")"
hash="$(hash_inputs "${BASH_SOURCE[0]}" "$images_dir/lib.sh" "$here/main.go" "$here/go.mod" "$here/Dockerfile" "s:$ver" "s:$base_id" "s:$(go env GOVERSION 2>/dev/null)")"
image_build_start k3d-tools "$ref" "$hash"
command -v go >/dev/null 2>&1 || die "Go is needed to build k3d-tools (https://go.dev/dl)"
log "k3d-tools: building $ref (step 1/2: go build)..."
ctx="$(mktemp -d "$cache/tmp/k3d-tools.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT
( cd "$here" && CGO_ENABLED=0 nice -n 10 go build -p 2 -trimpath -ldflags "-s -w -X main.version=$ver" -o "$ctx/k3d-tools" . ) \
  || die "go build of k3d-tools failed"
log "k3d-tools: building $ref (step 2/2: image on $base_ref)..."
"$DOCKER" build -q --build-arg "BASE=$base_ref" --label "kafka-ha.inputs=$hash" -t "$ref" -f "$here/Dockerfile" "$ctx" \
  2> >(grep -v -iE 'deprecated|buildx|buildkit|legacy builder|^\s*$|environment-variable|docs.docker.com' >&2) >/dev/null \
  || die "docker build failed"
log "k3d-tools: built $ref in $(timer_secs)s, $(image_size "$ref")"
echo "$ref"
