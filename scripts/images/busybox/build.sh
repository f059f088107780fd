#!/usr/bin/env bash
# kafka-ha.local/busybox:<debian version>: a tiny shell image made of Debian's busybox-static.
# Used as local-path-provisioner's helper-pod image (it runs `sh -c "mkdir -m 0777 -p ..."` and
# `rm -rf`) and as the smallest image to check that the engine runs privileged containers.
# Prints the image ref on stdout.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
docker_cli

deb="$(debian_deb busybox-static "$cache/debs")"
ver="$(dpkg-deb -f "$deb" Version | sed -E "s/^[0-9]+://; s/-[^-]*$//")"
ref="kafka-ha.local/busybox:$ver"
hash="$(hash_inputs "${BASH_SOURCE[0]}" "$images_dir/lib.sh" "$deb")"
image_build_start busybox "$ref" "$hash"
log "busybox: building $ref (step 1/1)..."
work="$(mktemp -d "$cache/tmp/busybox.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/deb"
root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,tmp,etc,proc,sys,dev,root}
chmod 1777 "$root/tmp"
cp "$work/deb/bin/busybox" "$root/bin/busybox"
# One symlink per applet, as `busybox --install -s` would make inside the image.
for applet in $("$root/bin/busybox" --list-full); do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$work/rootfs.tar" .
import_rootfs "$ref" "$hash" "$work/rootfs.tar" --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin'
log "busybox: built $ref in $(timer_secs)s, $(image_size "$ref")"
echo "$ref"
