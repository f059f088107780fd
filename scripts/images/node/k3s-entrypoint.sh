#!/bin/bash
# /bin/k3s of kafka-ha.local/k8s-node: runs an upstream Kubernetes node and speaks the part of the k3s
# contract that k3d relies on. It is NOT k3s (k3s cannot be built here: the Go proxy answers 403 for
# github.com/k3s-io/k3s); see scripts/images/node/README.md.
#
#   k3s server [flags]   etcd + kube-apiserver + kube-controller-manager + kube-scheduler, and a
#                        kubelet + kube-proxy + containerd (k3s servers are schedulable nodes too);
#                        deploys the manifests under /var/lib/rancher/k3s/server/manifests (CoreDNS,
#                        local-path-provisioner) and re-applies them when they change (k3d rewrites
#                        coredns.yaml to inject host records); writes $K3S_KUBECONFIG_OUTPUT.
#   k3s agent [flags]    joins $K3S_URL with $K3S_TOKEN: kubelet TLS bootstrap with a bootstrap token
#                        derived from K3S_TOKEN; the cluster CA comes from kube-public/cluster-info and
#                        is accepted only if its JWS signature matches that token.
#   k3s kubectl|ctr|crictl ...   the bundled tools, as in k3s.
#   k3s import-images    import the tarballs under /var/lib/rancher/k3s/agent/images not imported yet
#                        (what cluster:up's importImages runs in a running node).
#
# Flags understood (k3s spelling, --flag value or --flag=value): --tls-san, --node-label, --node-taint,
# --kubelet-arg, --kube-proxy-arg, --kube-apiserver-arg, --kube-controller-manager-arg,
# --kube-scheduler-arg, --disable, --token/-t, --server/-s, --node-name. Others are ignored with a warning.
# Log lines k3d waits for: "k3s is up and running" (server), "Successfully registered node" (agent),
# "Cluster dns configmap" (server, before k3d injects host records into CoreDNS).
set -euo pipefail

BIN=/usr/local/lib/kafka-ha/bin
DATA=/var/lib/rancher/k3s
TLS=$DATA/server/tls
AGENT=$DATA/agent
MANIFESTS=$DATA/server/manifests
LOGS=/var/log/k8s-node
CLUSTER_CIDR=10.42.0.0/16
SERVICE_CIDR=10.43.0.0/16
API_SERVICE_IP=10.43.0.1
CLUSTER_DNS=10.43.0.10
API_PORT=6443
# Image refs of the system pods (baked in at build time by scripts/images/node/build.sh).
# shellcheck disable=SC1091
[ -f /usr/share/kafka-ha/images.env ] && . /usr/share/kafka-ha/images.env
PAUSE_IMAGE="${PAUSE_IMAGE:-kafka-ha.local/pause:latest}"

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) [k8s-node] $*"; }
die() { log "FATAL: $*"; exit 1; }

# Import the image tarballs under $AGENT/images (k3s' air-gap directory; cluster:up mounts the
# project's image cache there). A stamp in containerd's volume skips tarballs already imported.
import_images() {
  local f stamp
  mkdir -p /var/lib/containerd/.kafka-ha-imported "$LOGS"
  shopt -s nullglob
  for f in "$AGENT"/images/*.tar; do
    stamp="/var/lib/containerd/.kafka-ha-imported/$(basename "$f").$(stat -c %s-%Y "$f")"
    [ -e "$stamp" ] && continue
    if ctr -n k8s.io images import "$f" >> "$LOGS/images.log" 2>&1; then
      touch "$stamp"; log "imported $(basename "$f")"
    else
      log "warning: importing $(basename "$f") failed (see $LOGS/images.log)"
    fi
  done
  shopt -u nullglob
}

role="${1:-}"
[ $# -gt 0 ] && shift
case "$role" in
  server|agent) ;;
  kubectl) exec /usr/local/bin/kubectl "$@" ;;
  ctr) exec ctr "$@" ;;
  crictl) exec crictl --runtime-endpoint unix:///run/containerd/containerd.sock "$@" ;;
  etcdctl) exec "$BIN/etcdctl" "$@" ;;
  import-images) import_images; exit 0 ;;
  --version|-v|version) echo "kafka-ha k8s-node (upstream Kubernetes $("$BIN/kubelet" --version | cut -d' ' -f2), not k3s)"; exit 0 ;;
  *) echo "usage: k3s server|agent [flags] | k3s kubectl|ctr|crictl ..." >&2; exit 2 ;;
esac

# --- command line ---------------------------------------------------------------------------------
tls_sans=(); node_labels=(); node_taints=(); disabled=()
kubelet_args=(); proxy_args=(); apiserver_args=(); cm_args=(); sched_args=()
token="${K3S_TOKEN:-}"; server_url="${K3S_URL:-}"; node_name="${K3S_NODE_NAME:-$(hostname)}"
value_flags=" --tls-san --node-label --node-taint --kubelet-arg --kube-proxy-arg --kube-apiserver-arg --kube-controller-manager-arg --kube-scheduler-arg --disable --token -t --server -s --node-name "
while [ $# -gt 0 ]; do
  arg="$1"; shift
  if [[ "$arg" == --*=* ]]; then key="${arg%%=*}"; val="${arg#*=}"
  elif [[ "$value_flags" == *" $arg "* ]]; then key="$arg"; val="${1:-}"; [ $# -gt 0 ] && shift
  else log "ignoring unsupported flag $arg"; continue; fi
  case "$key" in
    --tls-san) tls_sans+=("$val") ;;
    --node-label) node_labels+=("$val") ;;
    --node-taint) node_taints+=("$val") ;;
    --kubelet-arg) kubelet_args+=("--${val#--}") ;;
    --kube-proxy-arg) proxy_args+=("--${val#--}") ;;
    --kube-apiserver-arg) apiserver_args+=("--${val#--}") ;;
    --kube-controller-manager-arg) cm_args+=("--${val#--}") ;;
    --kube-scheduler-arg) sched_args+=("--${val#--}") ;;
    --disable) IFS=, read -r -a d <<< "$val"; disabled+=("${d[@]}") ;;
    --token|-t) token="$val" ;;
    --server|-s) server_url="$val" ;;
    --node-name) node_name="$val" ;;
    *) log "ignoring unsupported flag $key=$val" ;;
  esac
done
is_disabled() { local x; for x in "${disabled[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }
[ -n "$token" ] || die "no token: set K3S_TOKEN or --token (k3d sets K3S_TOKEN)"
[ "$role" = server ] || [ -n "$server_url" ] || die "agent needs K3S_URL or --server"

# The bootstrap token (Kubernetes format [a-z0-9]{6}.[a-z0-9]{16}) is derived from K3S_TOKEN, so a
# server and its agents agree on it without any other exchange.
bt_id="$(printf 'kafka-ha-id:%s' "$token" | sha256sum | cut -c1-6)"
bt_secret="$(printf 'kafka-ha-secret:%s' "$token" | sha256sum | cut -c1-16)"

# The node IP: the address of the uplink, the interface of the default route (no name assumed).
uplink="$(ip -4 route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')"
node_ip=""
[ -n "$uplink" ] && node_ip="$(ip -4 -o addr show dev "$uplink" 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -1)"
[ -n "$node_ip" ] || node_ip="$(hostname -i | awk '{print $1}')"
mkdir -p "$LOGS" "$AGENT/images" "$MANIFESTS" /etc/rancher/k3s /etc/cni/net.d /var/lib/kubelet/pki
log "starting $role $node_name ($node_ip on ${uplink:-?}), Kubernetes $("$BIN/kubelet" --version | cut -d' ' -f2)"

# --- process supervision -----------------------------------------------------------------------------
# Components (containerd, kubelet, the control plane) that exit take the node down, as k3s does.
# Helper loops (manifests, pod network) that exit are restarted: they must never cost the node.
declare -A proc_name=() loop_cmd=()
start_proc() { # NAME CMD...: run in the background, output to $LOGS/NAME.log
  local name="$1"; shift
  "$@" >> "$LOGS/$name.log" 2>&1 &
  proc_name[$!]="$name"
}
start_loop() { # NAME FUNCTION [ARGS...]: a supervised helper loop of this script
  local name="$1"; shift
  ( "$@" ) >> "$LOGS/$name.log" 2>&1 &
  proc_name[$!]="$name"
  loop_cmd[$!]="$*"
}
shutting_down=0
shutdown() {
  shutting_down=1
  log "shutting down"
  local p
  for p in "${!proc_name[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${!proc_name[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  exit 0
}
trap shutdown TERM INT QUIT HUP

# --- node preparation (both roles) ------------------------------------------------------------------
prepare_node() {
  # Volumes mounted by the kubelet must propagate into containers (k3d's mounts fix does this too).
  mount --make-rshared / 2>/dev/null || true
  # cgroup v1 with Docker's host cgroup namespace: every node would see the host's root cgroup and
  # all kubelets would share /kubepods. Bind the container's own cgroup over each hierarchy root (and
  # at its own path, so /proc/self/cgroup paths still resolve), as kind does.
  if [ ! -f /sys/fs/cgroup/cgroup.controllers ] && [ ! -e /run/kafka-ha-cgroups-fixed ]; then
    local cg d sub
    cg="$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)"
    if [ -n "$cg" ] && [ "$cg" != "/" ]; then
      for d in /sys/fs/cgroup/*; do
        [ -d "$d" ] && [ ! -L "$d" ] && mountpoint -q "$d" || continue
        sub="$(awk -F: -v c="$(basename "$d")" '{ n=split($2,a,","); for(i=1;i<=n;i++) if (a[i]==c || a[i]=="name="c || $2==c) print $3 }' /proc/self/cgroup | head -1)"
        [ -n "$sub" ] || sub="$cg"
        [ -d "$d$sub" ] || continue
        mount --bind "$d$sub" "$d"
        mkdir -p "$d$sub" && mount --bind "$d" "$d$sub" || true
      done
      log "cgroup v1: bound the node's cgroup $cg over /sys/fs/cgroup/*"
    fi
    touch /run/kafka-ha-cgroups-fixed
  fi
  sysctl -qw net.ipv4.ip_forward=1
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || log "warning: bridge-nf-call-iptables not settable"
  sysctl -qw net.ipv4.conf.all.route_localnet=1 2>/dev/null || true
  # kubelet expects these; /dev/kmsg is present in privileged containers
  [ -e /dev/kmsg ] || ln -sf /dev/console /dev/kmsg
}

start_containerd() {
  mkdir -p /etc/containerd
  # Where the node lacks CAP_SYS_RESOURCE (k3d nodes on these machines), runc goes through the
  # runc wrapper (scripts/env/docker/runc-wrapper.sh): negative OOM scores of critical pods and
  # CAP_SYS_RESOURCE in a privileged pod's spec would make each such pod fail.
  local runc_options=""
  if (( ! ((16#$(awk '/^CapBnd:/ {print $2}' /proc/self/status) >> 24) & 1) )); then
    runc_options="    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]
      BinaryName = \"/usr/local/lib/kafka-ha/runc-wrapper\""
    log "CapBnd lacks CAP_SYS_RESOURCE: pods' runc goes through the kafka-ha runc wrapper"
  fi
  cat > /etc/containerd/config.toml <<EOF
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
$runc_options
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "/etc/cni/net.d"
EOF
  start_proc containerd containerd --config /etc/containerd/config.toml
  local i
  for i in $(seq 1 60); do ctr version >/dev/null 2>&1 && break; sleep 0.5; done
  ctr version >/dev/null 2>&1 || { tail -20 "$LOGS/containerd.log"; die "containerd did not start"; }
  log "Containerd is now running"
}

kubeconfig_file() { # FILE SERVER CERT KEY|token:TOKEN
  local file="$1" server="$2" cred
  if [[ "$3" == token:* ]]; then cred="    token: ${3#token:}"
  else cred="    client-certificate-data: $(base64 -w0 < "$3")
    client-key-data: $(base64 -w0 < "$4")"; fi
  cat > "$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: default
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 < "$CA_FILE")
users:
- name: default
  user:
$cred
contexts:
- name: default
  context:
    cluster: default
    user: default
current-context: default
EOF
  chmod 0600 "$file.tmp"; mv -f "$file.tmp" "$file"
}

start_kubelet() { # KUBECONFIG [BOOTSTRAP_KUBECONFIG]
  local labels taints l
  # One value per key, the last one given wins: k3d copies an existing agent's command line (with its
  # --node-label) to a node it adds, then appends the new node's own labels.
  declare -A label_of=()
  for l in "${node_labels[@]}"; do label_of["${l%%=*}"]="$l"; done
  labels="$(IFS=,; echo "${label_of[*]:-}")"
  taints="$(IFS=,; echo "${node_taints[*]:-}")"
  cat > /var/lib/kubelet/config.yaml <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $CA_FILE}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failCgroupV1: false
clusterDNS: [$CLUSTER_DNS]
clusterDomain: cluster.local
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
failSwapOn: false
resolvConf: /etc/resolv.conf
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
rotateCertificates: true
serializeImagePulls: false
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
containerLogMaxSize: 10Mi
containerLogMaxFiles: 2
EOF
  local args=(--config=/var/lib/kubelet/config.yaml --kubeconfig="$1" --cert-dir=/var/lib/kubelet/pki
    --hostname-override="$node_name" --node-ip="$node_ip")
  [ -n "${2:-}" ] && args+=(--bootstrap-kubeconfig="$2")
  [ -n "$labels" ] && args+=(--node-labels="$labels")
  [ -n "$taints" ] && args+=(--register-with-taints="$taints")
  start_proc kubelet "$BIN/kubelet" "${args[@]}" "${kubelet_args[@]}"
  log "started kubelet (labels: ${labels:-none})"
}

start_kube_proxy() { # KUBECONFIG
  cat > "$AGENT/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $1}
mode: iptables
clusterCIDR: $CLUSTER_CIDR
hostnameOverride: $node_name
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
conntrack: {maxPerCore: 0}
EOF
  start_proc kube-proxy "$BIN/kube-proxy" --config="$AGENT/kube-proxy.yaml" "${proxy_args[@]}"
}

# Pod network: a bridge on each node with the node's podCIDR (host-local IPAM), and a route to every
# other node's podCIDR via that node's InternalIP, kept by pod-routes (scripts/images/node/pod-routes.sh,
# a list-and-watch controller that outlives API outages). The nodes share one Docker network (one L2
# segment), so no encapsulation is needed (what flannel's host-gw backend does).
network_loop() { # KUBECONFIG
  export KUBECONFIG="$1"
  local cidr=""
  until cidr="$("$BIN/kubectl" get node "$node_name" -o 'jsonpath={.spec.podCIDR}' 2>/dev/null)" && [ -n "$cidr" ]; do sleep 2; done
  cat > /etc/cni/net.d/.10-kafka-ha.conflist <<EOF
{
  "cniVersion": "1.0.0",
  "name": "kafka-ha",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$cidr"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  mv -f /etc/cni/net.d/.10-kafka-ha.conflist /etc/cni/net.d/10-kafka-ha.conflist
  # Pods leaving the pod network (to node IPs, Docker's DNS) are masqueraded; pod-to-pod is not.
  iptables -t nat -C POSTROUTING -s "$CLUSTER_CIDR" ! -d "$CLUSTER_CIDR" -m comment --comment kafka-ha-pod-masq -j MASQUERADE 2>/dev/null \
    || iptables -t nat -A POSTROUTING -s "$CLUSTER_CIDR" ! -d "$CLUSTER_CIDR" -m comment --comment kafka-ha-pod-masq -j MASQUERADE
  iptables -C FORWARD -s "$CLUSTER_CIDR" -j ACCEPT 2>/dev/null || iptables -I FORWARD -s "$CLUSTER_CIDR" -j ACCEPT
  iptables -C FORWARD -d "$CLUSTER_CIDR" -j ACCEPT 2>/dev/null || iptables -I FORWARD -d "$CLUSTER_CIDR" -j ACCEPT
  echo "pod network $cidr on cni0"
  KUBECTL="$BIN/kubectl" exec /usr/local/lib/kafka-ha/pod-routes "$node_name" "$CLUSTER_CIDR"
}

# --- server ---------------------------------------------------------------------------------------
sign_cert() { # NAME CN ORG SANS USAGE(client|server)
  local n="$1" cn="$2" o="$3" sans="$4" usage="$5" subj ext
  subj="/CN=$cn"; [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl ecparam -name prime256v1 -genkey -noout -out "$TLS/$n.key" 2>/dev/null
  openssl req -new -key "$TLS/$n.key" -subj "$subj" -out "$TLS/$n.csr" 2>/dev/null
  ext="$TLS/$n.ext"
  { echo "basicConstraints=critical,CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ "$usage" = server ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; else echo "extendedKeyUsage=clientAuth"; fi
    [ -n "$sans" ] && echo "subjectAltName=$sans"; } > "$ext"
  openssl x509 -req -in "$TLS/$n.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -set_serial "0x$(openssl rand -hex 12)" \
    -days 3650 -extfile "$ext" -out "$TLS/$n.crt" 2>/dev/null
  rm -f "$TLS/$n.csr" "$ext"; chmod 0600 "$TLS/$n.key"
}

server_pki() {
  mkdir -p "$TLS"; chmod 0700 "$TLS"
  if [ ! -s "$TLS/ca.crt" ]; then
    log "generating the cluster PKI"
    openssl ecparam -name prime256v1 -genkey -noout -out "$TLS/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$TLS/ca.key" -subj "/CN=kafka-ha-server-ca@$(date +%s)" -days 3650 \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" -out "$TLS/ca.crt" 2>/dev/null
    openssl ecparam -name prime256v1 -genkey -noout -out "$TLS/service.key" 2>/dev/null
    openssl ec -in "$TLS/service.key" -pubout -out "$TLS/service.pub" 2>/dev/null
    sign_cert admin admin system:masters "" client
    sign_cert controller-manager system:kube-controller-manager "" "" client
    sign_cert scheduler system:kube-scheduler "" "" client
    sign_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "" client
  fi
  # The serving certificate is reissued on every start: the node IP and --tls-san may change.
  local sans="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:$node_name,IP:127.0.0.1,IP:$API_SERVICE_IP,IP:$node_ip" s
  for s in "${tls_sans[@]}"; do
    if [[ "$s" =~ ^[0-9.]+$ || "$s" == *:* ]]; then sans+=",IP:$s"; else sans+=",DNS:$s"; fi
  done
  sign_cert serving kube-apiserver "" "$sans" server
  # The server's own kubelet gets its node identity directly (agents use TLS bootstrap).
  if [ ! -s "$TLS/kubelet-$node_name.crt" ]; then sign_cert "kubelet-$node_name" "system:node:$node_name" system:nodes "" client; fi
}

cluster_role_binding() { # NAME CLUSTER-ROLE GROUP: the binding of CLUSTER-ROLE to the group GROUP
  cat <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "$1"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "$2"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "$3"}]
EOF
}

bootstrap_objects() {
  local ca_data; ca_data="$(base64 -w0 < "$TLS/ca.crt")"
  cat <<EOF
apiVersion: v1
kind: Secret
metadata: {name: bootstrap-token-$bt_id, namespace: kube-system}
type: bootstrap.kubernetes.io/token
stringData:
  description: "kafka-ha node join token, derived from K3S_TOKEN"
  token-id: "$bt_id"
  token-secret: "$bt_secret"
  usage-bootstrap-authentication: "true"
  usage-bootstrap-signing: "true"
  auth-extra-groups: system:bootstrappers:kafka-ha
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cluster-info, namespace: kube-public}
data:
  kubeconfig: |
    apiVersion: v1
    kind: Config
    clusters:
    - name: ""
      cluster:
        certificate-authority-data: $ca_data
        server: https://$node_name:$API_PORT
    contexts: []
    users: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: kafka-ha:cluster-info-reader, namespace: kube-public}
rules:
- {apiGroups: [""], resources: [configmaps], resourceNames: [cluster-info], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: kafka-ha:cluster-info-reader, namespace: kube-public}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "kafka-ha:cluster-info-reader"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:kafka-ha"}]
---
$(cluster_role_binding kafka-ha:node-bootstrapper system:node-bootstrapper system:bootstrappers:kafka-ha)
---
$(cluster_role_binding kafka-ha:node-autoapprove-bootstrap system:certificates.k8s.io:certificatesigningrequests:nodeclient system:bootstrappers:kafka-ha)
---
$(cluster_role_binding kafka-ha:node-autoapprove-renewal system:certificates.k8s.io:certificatesigningrequests:selfnodeclient system:nodes)
---
# kube-proxy runs with its node's credentials.
$(cluster_role_binding kafka-ha:node-proxier system:node-proxier system:nodes)
EOF
}

# The manifests directory, as in k3s: the image's manifests are (re)written at every start with the
# image refs filled in; any change to a file there (k3d rewrites coredns.yaml) is applied.
install_manifests() {
  local f name
  for f in /usr/share/kafka-ha/manifests/*.yaml; do
    name="$(basename "$f" .yaml)"
    case "$name" in coredns) is_disabled coredns && continue ;; local-storage) is_disabled local-storage && continue ;; esac
    sed -e "s|@COREDNS_IMAGE@|${COREDNS_IMAGE:-}|g" -e "s|@LOCAL_PATH_IMAGE@|${LOCAL_PATH_IMAGE:-}|g" \
        -e "s|@HELPER_IMAGE@|${HELPER_IMAGE:-}|g" -e "s|@CLUSTER_DNS@|$CLUSTER_DNS|g" "$f" > "$MANIFESTS/.$name.yaml"
    mv -f "$MANIFESTS/.$name.yaml" "$MANIFESTS/$name.yaml"
  done
}

manifests_loop() {
  export KUBECONFIG=/etc/rancher/k3s/k3s.yaml
  declare -A applied=()
  local f sum
  while :; do
    for f in "$MANIFESTS"/*.yaml; do
      [ -e "$f" ] || continue
      sum="$(md5sum < "$f")"
      [ "${applied[$f]:-}" = "$sum" ] && continue
      if "$BIN/kubectl" apply -f "$f"; then
        applied[$f]="$sum"; echo "applied $f"
        [ "$(basename "$f")" = coredns.yaml ] && echo "Cluster dns configmap has been set successfully" > /run/kafka-ha-dns-applied
      fi
    done
    sleep 3
  done
}

wait_healthy() { # URL-PATH TIMEOUT-SECONDS
  local i
  for i in $(seq 1 "$2"); do
    "$BIN/kubectl" --kubeconfig "$TLS/admin.kubeconfig" get --raw "$1" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

run_server() {
  server_pki
  CA_FILE="$TLS/ca.crt"
  local local_url="https://127.0.0.1:$API_PORT"
  kubeconfig_file "$TLS/admin.kubeconfig" "$local_url" "$TLS/admin.crt" "$TLS/admin.key"
  kubeconfig_file "$TLS/controller-manager.kubeconfig" "$local_url" "$TLS/controller-manager.crt" "$TLS/controller-manager.key"
  kubeconfig_file "$TLS/scheduler.kubeconfig" "$local_url" "$TLS/scheduler.crt" "$TLS/scheduler.key"
  kubeconfig_file "$AGENT/kubelet.kubeconfig" "$local_url" "$TLS/kubelet-$node_name.crt" "$TLS/kubelet-$node_name.key"
  cp "$TLS/admin.kubeconfig" /etc/rancher/k3s/k3s.yaml
  local out="${K3S_KUBECONFIG_OUTPUT:-}"
  if [ -n "$out" ]; then
    mkdir -p "$(dirname "$out")"; cp "$TLS/admin.kubeconfig" "$out"; chmod "${K3S_KUBECONFIG_MODE:-0600}" "$out"
  fi

  mkdir -p "$DATA/server/db"
  start_proc etcd "$BIN/etcd" --name "$node_name" --data-dir "$DATA/server/db/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster "$node_name=http://127.0.0.1:2380" --listen-metrics-urls http://127.0.0.1:2381 \
    --quota-backend-bytes 2147483648 --snapshot-count 10000 --log-level warn
  start_proc kube-apiserver "$BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --secure-port=$API_PORT --advertise-address="$node_ip" \
    --service-cluster-ip-range=$SERVICE_CIDR --service-node-port-range=30000-32767 \
    --tls-cert-file="$TLS/serving.crt" --tls-private-key-file="$TLS/serving.key" --client-ca-file="$TLS/ca.crt" \
    --kubelet-client-certificate="$TLS/apiserver-kubelet-client.crt" --kubelet-client-key="$TLS/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --enable-bootstrap-token-auth=true \
    --service-account-key-file="$TLS/service.pub" --service-account-signing-key-file="$TLS/service.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local --allow-privileged=true \
    --anonymous-auth=true --profiling=false "${apiserver_args[@]}"
  log "Running kube-apiserver"
  wait_healthy /readyz 180 || { tail -30 "$LOGS/kube-apiserver.log"; die "kube-apiserver not ready after 180s"; }
  start_proc kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$TLS/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$TLS/controller-manager.kubeconfig" --authorization-kubeconfig="$TLS/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --allocate-node-cidrs=true --cluster-cidr=$CLUSTER_CIDR \
    --node-cidr-mask-size=24 --service-cluster-ip-range=$SERVICE_CIDR --configure-cloud-routes=false \
    --cluster-signing-cert-file="$TLS/ca.crt" --cluster-signing-key-file="$TLS/ca.key" --root-ca-file="$TLS/ca.crt" \
    --service-account-private-key-file="$TLS/service.key" --use-service-account-credentials=true \
    --controllers='*,bootstrapsigner,tokencleaner' --profiling=false "${cm_args[@]}"
  start_proc kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$TLS/scheduler.kubeconfig" \
    --authentication-kubeconfig="$TLS/scheduler.kubeconfig" --authorization-kubeconfig="$TLS/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false "${sched_args[@]}"
  local i
  for i in $(seq 1 30); do bootstrap_objects | "$BIN/kubectl" --kubeconfig "$TLS/admin.kubeconfig" apply -f - > "$LOGS/bootstrap.log" 2>&1 && break; sleep 2; done
  [ "$i" -lt 30 ] || { cat "$LOGS/bootstrap.log"; die "could not create the bootstrap objects"; }
  install_manifests
  start_loop manifests manifests_loop

  start_containerd
  import_images
  start_kubelet "$AGENT/kubelet.kubeconfig"
  start_kube_proxy "$AGENT/kubelet.kubeconfig"
  start_loop network network_loop "$AGENT/kubelet.kubeconfig"
  for i in $(seq 1 120); do [ -e /run/kafka-ha-dns-applied ] || is_disabled coredns && break; sleep 1; done
  [ -e /run/kafka-ha-dns-applied ] && cat /run/kafka-ha-dns-applied
  log "k3s is up and running"
}

# --- agent ----------------------------------------------------------------------------------------
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

fetch_cluster_ca() {
  # Read kube-public/cluster-info with the bootstrap token before trusting the server's certificate,
  # then accept the CA in it only if the bootstrap signer's JWS over it verifies with the token's
  # secret (a server that does not know the token cannot produce it).
  local tmp="$AGENT/.cluster-info" jws hdr sig want
  local k=("$BIN/kubectl" --kubeconfig=/dev/null --server="$server_url" --insecure-skip-tls-verify=true
    --token="$bt_id.$bt_secret" --request-timeout=10s -n kube-public)
  "${k[@]}" get configmap cluster-info -o 'jsonpath={.data.kubeconfig}' > "$tmp.kc" 2>"$tmp.err" </dev/null || return 1
  jws="$("${k[@]}" get configmap cluster-info -o "jsonpath={.data.jws-kubeconfig-$bt_id}" 2>>"$tmp.err" </dev/null)" || return 1
  [ -n "$jws" ] || return 1
  hdr="${jws%%..*}"; sig="${jws##*..}"
  want="$(printf '%s.%s' "$hdr" "$(b64url < "$tmp.kc")" | openssl dgst -sha256 -hmac "$bt_secret" -binary | b64url)"
  [ "$sig" = "$want" ] || { log "cluster-info signature does not match our token: wrong K3S_TOKEN or not our server"; return 1; }
  sed -n 's/^ *certificate-authority-data: *//p' "$tmp.kc" | head -1 | base64 -d > "$AGENT/ca.crt.tmp"
  mv -f "$AGENT/ca.crt.tmp" "$AGENT/ca.crt"; rm -f "$tmp.kc"
}

run_agent() {
  CA_FILE="$AGENT/ca.crt"
  if [ ! -s "$CA_FILE" ]; then
    log "fetching the cluster CA from $server_url"
    local i
    for i in $(seq 1 150); do fetch_cluster_ca && break; sleep 2; done
    [ -s "$CA_FILE" ] || die "could not obtain a verified cluster CA from $server_url in 300s"
  fi
  kubeconfig_file "$AGENT/bootstrap.kubeconfig" "$server_url" "token:$bt_id.$bt_secret"
  start_containerd
  import_images
  start_kubelet /var/lib/kubelet/kubeconfig "$AGENT/bootstrap.kubeconfig"
  local i
  for i in $(seq 1 120); do [ -s /var/lib/kubelet/kubeconfig ] && break; sleep 1; done
  [ -s /var/lib/kubelet/kubeconfig ] || { tail -30 "$LOGS/kubelet.log"; die "kubelet TLS bootstrap did not complete in 120s"; }
  cp /var/lib/kubelet/kubeconfig /etc/rancher/k3s/k3s.yaml
  for i in $(seq 1 120); do
    KUBECONFIG=/var/lib/kubelet/kubeconfig "$BIN/kubectl" get node "$node_name" >/dev/null 2>&1 && break; sleep 1
  done
  start_kube_proxy /var/lib/kubelet/kubeconfig
  start_loop network network_loop /var/lib/kubelet/kubeconfig
  log "Successfully registered node $node_name"
}

prepare_node
if [ "$role" = server ]; then run_server; else run_agent; fi

# Supervise: a helper loop that exits is restarted; if a component exits, show why and exit (the
# node container restarts).
while :; do
  set +e; wait -n; set -e
  [ "$shutting_down" = 1 ] && exit 0
  for p in "${!proc_name[@]}"; do
    kill -0 "$p" 2>/dev/null && continue
    name="${proc_name[$p]}"
    if [ -n "${loop_cmd[$p]:-}" ]; then
      cmd="${loop_cmd[$p]}"
      unset "proc_name[$p]" "loop_cmd[$p]"
      log "helper loop $name exited; restarting it in 2s (last lines of $LOGS/$name.log follow)"
      tail -n 5 "$LOGS/$name.log" || true
      sleep 2
      # shellcheck disable=SC2086 # the loop's function name and its arguments, none with spaces
      start_loop "$name" $cmd
      continue
    fi
    log "$name exited; last lines of $LOGS/$name.log:"
    tail -n 30 "$LOGS/$name.log" || true
    for q in "${!proc_name[@]}"; do kill -TERM "$q" 2>/dev/null || true; done
    exit 1
  done
done
