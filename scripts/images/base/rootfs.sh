#!/usr/bin/env bash
# A Debian root filesystem tarball made with debootstrap (variant minbase), cached by a hash of
# this script, the suite, the mirror and the package list.
#   rootfs.sh NAME [PACKAGE...]   -> prints the tarball path
# Downloads are kept in $cache/debootstrap-debs, so an interrupted run repeats only the unpacking.
# The tarball is written to a temp name and renamed when complete.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
name="$1"; shift
suite="$(pinned debian)"
# The machine's own Debian mirror (deb822 sources), else the default one.
mirror="$(sed -n -E 's/^URIs:[[:space:]]*([^[:space:]]+\/debian)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
pkgs="$(printf '%s\n' "$@" | LC_ALL=C sort -u | paste -sd, -)"
hash="$(hash_inputs "${BASH_SOURCE[0]}" "s:$suite" "s:$mirror" "s:$pkgs")"
out="$cache/rootfs/$name-$suite-$hash.tar"
if [ -f "$out" ]; then
  log "rootfs $name: cached $(du -h "$out" | cut -f1) ($out)"; echo "$out"; exit 0
fi
[ "$(id -u)" = 0 ] || die "debootstrap needs root"
build_lock "rootfs-$name"
[ -f "$out" ] && { echo "$out"; exit 0; }
command -v debootstrap >/dev/null 2>&1 || {
  log "installing debootstrap..."
  apt-get install -y -qq debootstrap >/dev/null 2>&1 || { apt-get update -qq >/dev/null; apt-get install -y -qq debootstrap >/dev/null; } \
    || die "apt-get install debootstrap failed"
}
mkdir -p "$cache/rootfs" "$cache/debootstrap-debs"
work="$cache/tmp/rootfs-$name-$hash"
cleanup() {
  # debootstrap mounts /proc and /sys inside the target; never leave them behind.
  for m in proc sys dev/pts dev; do mountpoint -q "$work/root/$m" 2>/dev/null && umount -l "$work/root/$m" || true; done
  rm -rf "$work"
}
cleanup; mkdir -p "$work"
trap cleanup EXIT
timer_start
log "rootfs $name: debootstrap $suite minbase${pkgs:+ + $pkgs} (step 1/2; minutes on a cold cache)..."
nice -n 10 debootstrap --variant=minbase --cache-dir="$cache/debootstrap-debs" \
  ${pkgs:+--include="$pkgs"} "$suite" "$work/root" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
log "rootfs $name: trimming and packing (step 2/2)..."
r="$work/root"
chroot "$r" apt-get clean
rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin "$r"/var/log/*.log "$r"/var/log/apt/* \
  "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/* "$r"/tmp/* "$r"/var/tmp/*
# Keep the copyright files (licences), drop the rest of the docs.
find "$r/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
# The host's resolv.conf/hostname were copied in by debootstrap; Docker provides its own.
: > "$r/etc/resolv.conf"; : > "$r/etc/hostname"
for m in proc sys dev/pts; do mountpoint -q "$r/$m" && umount -l "$r/$m" || true; done
tar -C "$r" --numeric-owner --xattrs -cf "$out.tmp" .
mv -f "$out.tmp" "$out"
# Older tarballs of this root (other input hashes) are dead weight now.
find "$cache/rootfs" -maxdepth 1 -name "$name-$suite-*.tar" ! -name "$(basename "$out")" -delete
log "rootfs $name: built in $(timer_secs)s, $(du -h "$out" | cut -f1)"
echo "$out"
