#!/usr/bin/env bash
# kafka-ha.local/pause:<pause version of versions.json>: the pod sandbox image, a static C binary
# (pause.c) compiled here with gcc against glibc, in an otherwise empty image. Prints the ref.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$images_dir/pause"
docker_cli
ver="$(pinned pause)"
ref="kafka-ha.local/pause:$ver"
hash="$(hash_inputs "$here" "$images_dir/lib.sh" "s:$ver" "s:$(gcc --version 2>/dev/null | head -1)")"
image_build_start pause "$ref" "$hash"
command -v gcc >/dev/null 2>&1 || die "gcc is needed to build the pause binary (apt-get install gcc libc6-dev)"
log "pause: building $ref (step 1/1)..."
work="$(mktemp -d "$cache/tmp/pause.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root"
gcc -static -Os -Wall -Wextra -Werror -DPAUSE_VERSION="\"$ver\"" -o "$work/root/pause" "$here/pause.c" \
  || die "compiling pause.c failed (static glibc: apt-get install libc6-dev)"
strip "$work/root/pause"
"$work/root/pause" -v >/dev/null || die "the built pause binary does not run"
tar -C "$work/root" --numeric-owner --owner=0 --group=0 -cf "$work/rootfs.tar" .
import_rootfs "$ref" "$hash" "$work/rootfs.tar" --change 'ENTRYPOINT ["/pause"]' --change 'USER 65535:65535'
log "pause: built $ref in $(timer_secs)s, $(image_size "$ref")"
echo "$ref"
