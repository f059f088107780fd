#!/bin/sh
# /usr/local/bin/kubectl in kafka-ha.local/k8s-node: like k3s' embedded kubectl, it uses the node's
# kubeconfig (/etc/rancher/k3s/k3s.yaml: admin on a server, the kubelet's credentials on an agent)
# unless KUBECONFIG is set. k3d's entrypoint calls `kubectl uncordon "$HOSTNAME"` through it.
export KUBECONFIG="${KUBECONFIG:-/etc/rancher/k3s/k3s.yaml}"
exec /usr/local/lib/kafka-ha/bin/kubectl "$@"
