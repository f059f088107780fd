#!/bin/sh
# runc wrapper inside kafka-ha.local/k8s-node, used by the node's containerd ONLY when the node's
# capability bounding set lacks CAP_SYS_RESOURCE (these machines, see ENVIRONMENT.md). Without that
# capability a process may raise its oom_score_adj but not lower it, and runc fails every container
# the kubelet gives a negative score (critical pods: -998, Guaranteed pods: -997) with
#   runc create failed: unable to start container process: can't get final child's PID from pipe: EOF
# This wrapper clamps a negative "oomScoreAdj" to 0 in the bundle's config.json (create/run) and in
# the --process file (exec), then hands over to the capability-stripping wrapper of
# scripts/docker/runc-wrapper.sh (installed next to it with the real runc filled in).
NEXT="${KAFKA_HA_NEXT_RUNC:-/usr/local/lib/kafka-ha/runc-strip-cap}"

clamp() {
  [ -f "$1" ] && grep -q '"oomScoreAdj":[[:space:]]*-' "$1" || return 0
  sed -E -i 's/"oomScoreAdj":[[:space:]]*-[0-9]+/"oomScoreAdj":0/g' "$1"
}

cmd=""; bundle=""; process=""; prev=""
for a in "$@"; do
  case "$prev" in --bundle|-b) bundle="$a" ;; --process|-p) process="$a" ;; esac
  case "$a" in --bundle=*) bundle="${a#--bundle=}" ;; --process=*) process="${a#--process=}" ;; esac
  [ -z "$cmd" ] && case "$a" in create|run|exec) cmd="$a" ;; esac
  prev="$a"
done
case "$cmd" in
  create|run) clamp "${bundle:-.}/config.json" ;;
  exec) [ -n "$process" ] && clamp "$process" ;;
esac
exec "$NEXT" "$@"
