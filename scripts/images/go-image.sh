#!/usr/bin/env bash
# A static Go binary from the Go module proxy in an otherwise empty image (plus /tmp and minimal
# /etc files). Used by the coredns, local-path-provisioner and cert-manager builds.
#   go-image.sh NAME REF MODULE VERSION PACKAGE PATH_IN_IMAGE LDFLAGS [--src DIR] [docker import --change ...]
# --src DIR: PACKAGE is a main package of the project's own module DIR built against
# MODULE@VERSION (scripts/lib/go-build.sh SRCDIR), for modules whose binaries the proxy lacks.
# The binary is cached as $cache/bin/NAME-VERSION (keyed by the build inputs); the image carries
# the input hash as its label and is skipped when current. Prints REF.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
name="$1" ref="$2" module="$3" ver="$4" pkg="$5" dest="$6" ldflags="$7"; shift 7
src=""
if [ "${1:-}" = "--src" ]; then src="$(realpath "$2")"; shift 2; fi
# The source module by content (nothing when there is none, so other images keep their hashes).
src_in=(); [ -n "$src" ] && src_in=("$src")
docker_cli
hash="$(hash_inputs "${BASH_SOURCE[0]}" "$images_dir/lib.sh" "$repo_root/scripts/lib/go-build.sh" "${src_in[@]}" "s:$ref" "s:$module@$ver" "s:$pkg" "s:$dest" "s:$ldflags" "s:$*" "s:$(go env GOVERSION 2>/dev/null)")"
image_build_start "$name" "$ref" "$hash"
# The binary is keyed by what it is built from only (not by the image's other settings).
bin="$cache/bin/$name-$ver-$(hash_inputs "$repo_root/scripts/lib/go-build.sh" "${src_in[@]}" "s:$module@$ver" "s:$pkg" "s:$ldflags" "s:$(go env GOVERSION 2>/dev/null)")"
if [ ! -x "$bin" ]; then
  log "$name: building $ref (step 1/2: go build $pkg@$ver; minutes on a cold Go cache)..."
  bash "$repo_root/scripts/lib/go-build.sh" "$module" "$ver" "$pkg" "$bin" "$ldflags" $src || die "building $name failed"
else
  log "$name: building $ref (step 1/2: binary cached)"
fi
log "$name: building $ref (step 2/2: image)..."
work="$(mktemp -d "$cache/tmp/$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/$(dirname "$dest")" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"
cp "$bin" "$root/$dest"
printf 'root:x:0:0:root:/:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$work/rootfs.tar" .
import_rootfs "$ref" "$hash" "$work/rootfs.tar" "$@"
log "$name: built $ref in $(timer_secs)s, $(image_size "$ref")"
echo "$ref"
