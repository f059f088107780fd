#!/usr/bin/env bash
# kafka-ha.local/kube-router:<version>: kube-router (github.com/cloudnativelabs/kube-router,
# versions.json `kubeRouter`), run by the local cluster for its NetworkPolicy controller only (the
# one k3s embeds; scripts/env/cluster/network-policies.ts). The nodes run upstream Kubernetes, not k3s
# (scripts/images/node/README.md), so nothing else enforces NetworkPolicies there. kube-router
# programs iptables and ipset, so the image is a Debian root with both (nft backend, like the
# nodes') plus the static binary. Test environment only: the chart does not ship it.
# Why not kube-network-policies (SIG Network's controller): it queues packets with nftables'
# `queue` expression, which these machines' kernel lacks ("No such file or directory" on every sync).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
ver="$(pinned kubeRouter)"
ref="kafka-ha.local/kube-router:$ver"
pkgs=(iptables ipset)
docker_cli
hash="$(hash_inputs "${BASH_SOURCE[0]}" "$images_dir/lib.sh" "$images_dir/base/rootfs.sh" "$repo_root/scripts/lib/go-build.sh" "s:$ver" "s:${pkgs[*]}" "s:$(pinned debian)" "s:$(go env GOVERSION 2>/dev/null)")"
image_build_start kube-router "$ref" "$hash"
bin="$cache/bin/kube-router-$ver-$hash"
if [ ! -x "$bin" ]; then
  log "kube-router: building $ref (step 1/3: go build; minutes on a cold Go cache)..."
  bash "$repo_root/scripts/lib/go-build.sh" github.com/cloudnativelabs/kube-router/v2 "$ver" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router "$bin" "-s -w" \
    || die "building kube-router failed"
fi
log "kube-router: building $ref (step 2/3: Debian root with ${pkgs[*]})..."
rootfs="$(bash "$images_dir/base/rootfs.sh" kube-router "${pkgs[@]}")"
log "kube-router: building $ref (step 3/3: image)..."
work="$(mktemp -d "$cache/tmp/kube-router.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$rootfs" "$work/rootfs.tar"
mkdir -p "$work/add/usr/local/bin"
cp "$bin" "$work/add/usr/local/bin/kube-router"
tar -C "$work/add" --numeric-owner --owner=0 --group=0 -rf "$work/rootfs.tar" usr/local/bin/kube-router
import_rootfs "$ref" "$hash" "$work/rootfs.tar" --change 'ENTRYPOINT ["/usr/local/bin/kube-router"]'
log "kube-router: built $ref in $(timer_secs)s, $(image_size "$ref")"
echo "$ref"
