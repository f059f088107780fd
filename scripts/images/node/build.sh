#!/usr/bin/env bash
# kafka-ha.local/k8s-node:<kubernetes version>: a Kubernetes node image that `k3d cluster create --image`
# runs, assembled from upstream components because k3s itself cannot be built here (the Go proxy
# answers 403 for every version of github.com/k3s-io/k3s). It is NOT k3s: it is upstream Kubernetes
# (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl built from
# k8s.io/kubernetes) with etcd (go.etcd.io/etcd), and Debian's containerd, runc and CNI plugins on a
# debootstrap root. Its /bin/k3s (scripts/images/node/k3s-entrypoint.sh) speaks the part of the k3s
# command line, environment and log contract that k3d relies on.
#
# Steps, each cached by the hash of its inputs:
#   1. Kubernetes binaries (build-kubernetes.sh)      3. Debian root filesystem (debootstrap) -> base image
#   2. etcd (build-etcd.sh)                           4. node image: base + binaries + entrypoint + manifests
# Prints the image ref on stdout.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
docker_cli
node_dir="$repo_root/scripts/images/node"
total_start=$(date +%s)

kube_version="$(pinned kubernetes)"
debian="$(pinned debian)"
ref="kafka-ha.local/k8s-node:$kube_version"

base_only=0; [ "${1:-}" = "--base-only" ] && base_only=1
if [ $base_only = 0 ]; then
  log "node image: step 1/4: Kubernetes $kube_version binaries"
  kube_bin="$(bash "$node_dir/build-kubernetes.sh")"
  log "node image: step 2/4: etcd"
  etcd_bin="$(bash "$node_dir/build-etcd.sh")"
fi

# --- step 3: Debian root with the runtime pieces -------------------------------------------------
# containerd/runc/CNI plugins run the pods; iptables (nft backend, as Debian's docker.io uses) for
# kube-proxy and k3d's DNS fix; mount/util-linux for kubelet volume handling; openssl for the PKI.
packages="containerd,runc,containernetworking-plugins,iptables,iproute2,mount,util-linux,openssl,ca-certificates,procps,conntrack,curl,kmod,socat,ethtool,findutils,less"
mirror="${KAFKA_HA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base_hash="$(hash_inputs "s:$packages" "s:$debian" "s:base-v1")"
base_ref="kafka-ha.local/k8s-node-base:$base_hash"
if "$DOCKER" image inspect "$base_ref" >/dev/null 2>&1; then
  log "node image: step 3/4: base root $base_ref is current"
else
  command -v debootstrap >/dev/null || { apt-get install -y -qq debootstrap >/dev/null || die "debootstrap missing and apt-get install failed"; }
  timer_start
  log "node image: step 3/4: debootstrap $debian with $packages (a few minutes)..."
  work="$(mktemp -d "$cache/tmp/node-base.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  nice -n 10 debootstrap --variant=minbase --include="$packages" "$debian" "$work/root" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  chroot "$work/root" update-alternatives --set iptables /usr/sbin/iptables-nft >/dev/null
  chroot "$work/root" update-alternatives --set ip6tables /usr/sbin/ip6tables-nft >/dev/null
  # Trim what a node never needs: docs, man pages, apt lists and caches.
  rm -rf "$work/root"/usr/share/{doc,man,info}/* "$work/root"/var/lib/apt/lists/* "$work/root"/var/cache/apt/*
  rm -f "$work/root"/etc/containerd/config.toml
  tar -C "$work/root" --numeric-owner -cf "$work/rootfs.tar" .
  import_rootfs "$base_ref" "$base_hash" "$work/rootfs.tar"
  rm -rf "$work"; trap - EXIT
  log "node image: base root built in $(timer_secs)s, $(image_size "$base_ref")"
fi

[ $base_only = 1 ] && { echo "$base_ref"; exit 0; }

# --- step 4: the node image ---------------------------------------------------------------------
# The system images its server deploys are built by scripts/images/<name>/build.sh (each prints its
# ref); the refs are baked into the node image (images.env) and listed in its label
# kafka-ha.system-images, from which cluster:up saves them for the nodes.
declare -A sys=()
for name in pause coredns local-path-provisioner busybox; do
  script="$repo_root/scripts/images/$name/build.sh"
  [ -f "$script" ] || die "scripts/images/$name/build.sh is missing: the node image needs the $name image"
  sys[$name]="$(bash "$script" | tail -1)"
  [ -n "${sys[$name]}" ] || die "scripts/images/$name/build.sh printed no image ref"
done
images_env="PAUSE_IMAGE=${sys[pause]}
COREDNS_IMAGE=${sys[coredns]}
LOCAL_PATH_IMAGE=${sys[local-path-provisioner]}
HELPER_IMAGE=${sys[busybox]}"
system_images="${sys[pause]},${sys[coredns]},${sys[local-path-provisioner]},${sys[busybox]}"
hash="$(hash_inputs "${BASH_SOURCE[0]}" "$node_dir/k3s-entrypoint.sh" "$node_dir/pod-routes.sh" "$node_dir/kubectl-wrapper.sh" "$repo_root/scripts/env/docker/runc-wrapper.sh" "$node_dir/manifests" \
  "s:$base_ref" "s:$images_env" "s:$(cat "$kube_bin/../.key")" "s:$(cat "$etcd_bin/../.key")" "$versions_json")"
if image_current "$ref" "$hash"; then
  log "node image: step 4/4: $ref is current ($hash), $(image_size "$ref")"
  echo "$ref"; exit 0
fi
timer_start
log "node image: step 4/4: assembling $ref..."
ctx="$(mktemp -d "$cache/tmp/node-ctx.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/bin" "$ctx/manifests"
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do cp "$kube_bin/$b" "$ctx/bin/"; done
cp "$etcd_bin/etcd" "$etcd_bin/etcdctl" "$ctx/bin/"
cp "$node_dir/k3s-entrypoint.sh" "$ctx/k3s"
cp "$node_dir/kubectl-wrapper.sh" "$ctx/kubectl"
cp "$node_dir/pod-routes.sh" "$ctx/pod-routes"
sed "s|@REAL_RUNC@|/usr/sbin/runc|" "$repo_root/scripts/env/docker/runc-wrapper.sh" > "$ctx/runc-wrapper"
cp -r "$node_dir/manifests/." "$ctx/manifests/"
cp "$versions_json" "$ctx/versions.json"
echo "$images_env" > "$ctx/images.env"
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $base_ref
COPY bin/ /usr/local/lib/kafka-ha/bin/
COPY k3s /bin/k3s
COPY kubectl /usr/local/bin/kubectl
COPY runc-wrapper pod-routes /usr/local/lib/kafka-ha/
COPY manifests/ /usr/share/kafka-ha/manifests/
COPY versions.json images.env /usr/share/kafka-ha/
RUN chmod 0755 /bin/k3s /usr/local/bin/kubectl /usr/local/lib/kafka-ha/runc-wrapper /usr/local/lib/kafka-ha/pod-routes && \
    for b in /usr/local/lib/kafka-ha/bin/*; do [ "\$(basename \$b)" = kubectl ] || ln -sf \$b /usr/local/bin/; done && \
    ln -sf /bin/k3s /usr/local/bin/k3s && ln -sf bash /bin/sh && mkdir -p /output /etc/rancher/k3s /var/lib/rancher/k3s/agent/images
# /bin/sh is bash: k3d's entrypoint (run by sh) says \`trap cleanup SIGTERM ...\`, which dash rejects.
# Data directories are volumes: overlayfs (containerd's snapshotter, kubelet's pod dirs) cannot
# stack on the node container's own overlay root.
VOLUME ["/var/lib/kubelet", "/var/lib/rancher/k3s", "/var/lib/containerd", "/var/lib/cni", "/var/log"]
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin CONTAINERD_NAMESPACE=k8s.io
LABEL kafka-ha.inputs=$hash kafka-ha.system-images=$system_images org.opencontainers.image.description="Kubernetes $kube_version node for k3d (upstream components, not k3s)"
ENTRYPOINT ["/bin/k3s"]
CMD ["agent"]
DOCKERFILE
DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$ref" "$ctx" >/dev/null 2>"$ctx/build.err" || { cat "$ctx/build.err" >&2; die "docker build $ref failed"; }
log "node image: built $ref in $(timer_secs)s (whole build $(( $(date +%s) - total_start ))s), $(image_size "$ref")"
echo "$ref"
