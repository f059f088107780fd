#!/bin/sh
# kafka-ha runc wrapper: installed by scripts/docker/ensure-docker.sh ONLY on machines whose
# capability bounding set lacks CAP_SYS_RESOURCE (see ENVIRONMENT.md). Docker asks runc for every
# capability when a container is privileged; runc then fails with "unable to apply caps:
# operation not permitted". This wrapper removes CAP_SYS_RESOURCE from
#   - the bundle's config.json on `create` / `run` (container start), and
#   - the process spec file given with `--process` on `exec` (docker exec),
# then hands over to the real runc with the arguments unchanged.
REAL_RUNC="${KAFKA_HA_REAL_RUNC:-@REAL_RUNC@}"

strip_cap() {
  # $1: a JSON file written by containerd/dockerd. Remove every "CAP_SYS_RESOURCE" list element,
  # whatever its position in the list (first, middle, last or only) and whatever the spacing.
  [ -f "$1" ] || return 0
  grep -q '"CAP_SYS_RESOURCE"' "$1" || return 0
  sed -E -i \
    -e 's/"CAP_SYS_RESOURCE"[[:space:]]*,[[:space:]]*//g' \
    -e 's/,[[:space:]]*"CAP_SYS_RESOURCE"//g' \
    -e 's/"CAP_SYS_RESOURCE"//g' "$1"
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
  create|run) strip_cap "${bundle:-.}/config.json" ;;
  exec) [ -n "$process" ] && strip_cap "$process" ;;
esac
exec "$REAL_RUNC" "$@"
