#!/bin/sh
# kafka-ha runc wrapper for machines whose capability bounding set lacks CAP_SYS_RESOURCE (see
# scripts/images/node/README.md), installed ONLY there: by scripts/env/docker/ensure-docker.sh as
# dockerd's default runtime, and by the node image's entrypoint as its containerd's runc. Without
# that capability runc fails two kinds of container:
#   - a privileged one (Docker asks for every capability): "unable to apply caps: operation not
#     permitted". The wrapper removes CAP_SYS_RESOURCE from the spec.
#   - one given a negative OOM score (the kubelet gives critical pods -998, Guaranteed pods -997): a
#     process may raise its oom_score_adj but not lower it, so runc fails with "can't get final
#     child's PID from pipe: EOF". The wrapper clamps a negative "oomScoreAdj" to 0.
# It edits the bundle's config.json on `create` / `run` (container start) and the process spec file
# given with `--process` on `exec`, then hands over to the real runc with the arguments unchanged.
REAL_RUNC="${KAFKA_HA_REAL_RUNC:-@REAL_RUNC@}"

fit_spec() {
  # $1: a JSON file written by containerd/dockerd. Remove every "CAP_SYS_RESOURCE" list element,
  # whatever its position in the list (first, middle, last or only) and whatever the spacing.
  [ -f "$1" ] || return 0
  if grep -q '"CAP_SYS_RESOURCE"' "$1"; then
    sed -E -i \
      -e 's/"CAP_SYS_RESOURCE"[[:space:]]*,[[:space:]]*//g' \
      -e 's/,[[:space:]]*"CAP_SYS_RESOURCE"//g' \
      -e 's/"CAP_SYS_RESOURCE"//g' "$1"
  fi
  if grep -q '"oomScoreAdj":[[:space:]]*-' "$1"; then
    sed -E -i 's/"oomScoreAdj":[[:space:]]*-[0-9]+/"oomScoreAdj":0/g' "$1"
  fi
}

cmd=""; bundle=""; process=""; prev=""
for a in "$@"; do
  case "$prev" in
    --bundle|-b) bundle="$a" ;;
    --process|-p) [ "$cmd" = exec ] && process="$a" ;;
  esac
  case "$a" in
    --bundle=*) bundle="${a#--bundle=}" ;;
    --process=*) process="${a#--process=}" ;;
  esac
  if [ -z "$cmd" ]; then
    case "$a" in
      create|run|exec) cmd="$a" ;;
    esac
  fi
  prev="$a"
done

case "$cmd" in
  create|run) fit_spec "${bundle:-.}/config.json" ;;
  exec) [ -n "$process" ] && fit_spec "$process" ;;
esac
exec "$REAL_RUNC" "$@"
