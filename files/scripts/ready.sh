#!/usr/bin/env bash
# kafka-ha readiness.
# - Broker (combined or broker-only pod): Ready when its client port accepts connections and it is in
#   the ISR of every partition it hosts. Partitions that are under-replicated because *another*
#   broker is down do not count, so losing one broker for good never turns the cluster unready. A
#   partition this broker is only *receiving* in a reassignment ("Adding Replicas") does not count
#   either: the move may take hours and the broker serves everything else meanwhile.
# - Controller-only pod: Ready when its controller port accepts connections and the quorum leader
#   lists this node (node id and directory id) as a voter (Leader or Follower) whose log lags the
#   leader's by at most KAFKA_HA_READY_MAX_QUORUM_LAG records: "caught up with the quorum".
#
# Cost: the check runs inside the Kafka JVM (KafkaHaReadinessReporter, files/readiness: a thread with
# a long-lived admin client that re-checks every 5 s and writes run/ready.state); this script only
# reads its verdict, no JVM. Only when that verdict is missing or older than
# KAFKA_HA_READY_STATE_MAX_AGE seconds (a pod started before the in-JVM check existed, or a stuck
# check) does it check by itself, starting one small admin JVM (kafka-topics.sh or
# kafka-metadata-quorum.sh); a positive result of that is cached for KAFKA_HA_READY_CACHE_SECONDS.
#
# Environment: POD_NAME, KAFKA_HA_ROLE, KAFKA_HA_NODE_ID_OFFSET, KAFKA_HA_RUN_DIR, KAFKA_HA_DATA_DIR,
# KAFKA_HA_CLIENT_PORT, KAFKA_HA_CONTROLLER_PORT, KAFKA_HA_INTERNAL_PORT (from templates/_topology.tpl),
# KAFKA_HA_ISR_CHECK (false: the port check only, no JVM), KAFKA_HA_READY_CACHE_SECONDS, KAFKA_HOME.
set -uo pipefail

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
PATH="$KAFKA_HOME/bin:$PATH"
host="${KAFKA_HA_READY_HOST:-localhost}"
# A voter within this many metadata records of the leader is caught up (the leader appends a no-op
# record every 500 ms, so a live follower's lag is a handful of records between two fetches).
max_quorum_lag="${KAFKA_HA_READY_MAX_QUORUM_LAG:-1000}"

port_open() { timeout 3 bash -c "exec 3<>/dev/tcp/$host/$1" 2>/dev/null; }
notready() { echo "not ready: $*"; rm -f "$cache"; exit 1; }

ordinal="${POD_NAME##*-}"
node_id=$(( ${KAFKA_HA_NODE_ID_OFFSET:-0} + ordinal ))
cache="${KAFKA_HA_RUN_DIR:?KAFKA_HA_RUN_DIR is not set}/ready.ok"
state="$KAFKA_HA_RUN_DIR/ready.state"
max_state_age="${KAFKA_HA_READY_STATE_MAX_AGE:-30}"
client_port="${KAFKA_HA_CLIENT_PORT:?KAFKA_HA_CLIENT_PORT is not set}"
controller_port="${KAFKA_HA_CONTROLLER_PORT:?KAFKA_HA_CONTROLLER_PORT is not set}"
internal_port="${KAFKA_HA_INTERNAL_PORT:?KAFKA_HA_INTERNAL_PORT is not set}"

# The tools' client settings for a listener, written by start.sh (TLS or not). A pod started by an
# older start.sh has none while its ConfigMap already shows this script (kubelet refreshes it during
# an upgrade): it then runs the tools without, as before.
client_config() {
  local f="$KAFKA_HA_RUN_DIR/$1"
  if [ -f "$f" ]; then echo "--command-config $f"; fi
}

# Runs an admin tool in a small, fast-starting JVM; its output goes to $out. Not ready when it fails.
admin() {
  out="$(KAFKA_HEAP_OPTS="-Xms32m -Xmx192m" KAFKA_JVM_PERFORMANCE_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto" KAFKA_OPTS="" \
    timeout 40 "$@" 2>&1)" || notready "the admin request failed: $(tail -n 3 <<< "$out" | tr '\n' ' ')"
}

# The in-JVM check's verdict when it is fresh: exits ready, or not ready with its reason. Returns
# when there is none to go by. Line: "ok|no <epoch seconds> <cpu ms> <checks> [reason]".
jvm_verdict() {
  local verdict at reason
  [ -f "$state" ] || return 0
  read -r verdict at _ _ reason < "$state" || return 0
  [[ "$at" =~ ^[0-9]+$ ]] && [ $(( ${EPOCHSECONDS:-$(date +%s)} - at )) -le "$max_state_age" ] || return 0
  [ "$verdict" = ok ] && exit 0
  notready "${reason:-the in-JVM check failed}"
}

cached() {
  local last
  [ -f "$cache" ] || return 1
  last="$(cat "$cache" 2>/dev/null || echo 0)"
  [[ "$last" =~ ^[0-9]+$ ]] && [ $(( $(date +%s) - last )) -lt "${KAFKA_HA_READY_CACHE_SECONDS:-30}" ]
}

# Partitions whose replica set holds this broker, not as an adding replica, and whose ISR lacks it.
# Lines are tab-separated "Key: value" fields: "Topic: t", "Partition: 0", "Replicas: 0,1,2,3",
# "Isr: 0,1,2", and during a reassignment "Adding Replicas: 3", "Removing Replicas: 0".
missing_from_isr() {
  awk -F '\t' -v id="$node_id" '
    function has(list) { return index("," list ",", "," id ",") > 0 }
    /Partition: / {
      topic = ""; part = ""; reps = ""; isr = ""; adding = ""
      for (i = 1; i <= NF; i++) {
        p = index($i, ": "); if (p == 0) continue
        k = substr($i, 1, p - 1); v = substr($i, p + 2)
        if (k == "Topic") topic = v
        else if (k == "Partition") part = v
        else if (k == "Replicas") reps = v
        else if (k == "Isr") isr = v
        else if (k == "Adding Replicas") adding = v
      }
      if (has(reps) && !has(adding) && !has(isr)) printf "%s-%s ", topic, part
    }'
}

# Prints "<status> <lag>" of this node in `describe --replication` (columns found by header name);
# with a directory id only the row of that directory counts (a replaced disk leaves a stale entry).
quorum_state() {
  awk -v id="$node_id" -v dir="$1" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["NodeId"] == id && (dir == "" || !("DirectoryId" in col) || $col["DirectoryId"] == dir) {
      print $col["Status"], $col["Lag"]; exit
    }'
}

if [ "${KAFKA_HA_ROLE:-}" = controller ]; then
  port_open "$controller_port" || notready "controller port $controller_port does not accept connections"
  [ "${KAFKA_HA_ISR_CHECK:-true}" = true ] || exit 0
  jvm_verdict
  cached && exit 0
  dir=""
  [ -f "${KAFKA_HA_DATA_DIR:-}/meta.properties" ] && dir="$(sed -n 's/^directory.id=//p' "$KAFKA_HA_DATA_DIR/meta.properties")"
  # shellcheck disable=SC2046
  admin kafka-metadata-quorum.sh --bootstrap-controller "$host:$controller_port" $(client_config controller-client.properties) describe --replication
  read -r status lag <<< "$(quorum_state "$dir" <<< "$out")"
  case "${status:-}" in
    Leader | Follower) ;;
    Observer) notready "controller $node_id is not a voter yet (an observer; auto-join adds it once it has caught up)" ;;
    *) notready "controller $node_id${dir:+ (directory $dir)} is not in the quorum's replication status" ;;
  esac
  [[ "$lag" =~ ^[0-9]+$ ]] && [ "$lag" -le "$max_quorum_lag" ] ||
    notready "controller $node_id lags the quorum leader by $lag records (at most $max_quorum_lag allowed)"
  date +%s > "$cache"
  exit 0
fi

port_open "$client_port" || notready "client port $client_port does not accept connections"
[ "${KAFKA_HA_ISR_CHECK:-true}" = true ] || exit 0
jvm_verdict
cached && exit 0
# shellcheck disable=SC2046
admin kafka-topics.sh --bootstrap-server "$host:$internal_port" $(client_config internal-client.properties) --describe --under-replicated-partitions
missing="$(missing_from_isr <<< "$out")"
[ -z "$missing" ] || notready "broker $node_id is not yet in the ISR of: $missing"
date +%s > "$cache"
exit 0
