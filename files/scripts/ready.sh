#!/usr/bin/env bash
# kafka-ha readiness: a broker is Ready when its client port accepts connections and it is in the ISR
# of every partition it hosts. Partitions that are under-replicated because *another* broker is down
# do not make this broker unready, so losing one broker for good never turns the cluster unready.
#
# Cost: the ISR check starts one admin JVM (kafka-topics.sh). A positive result is cached for
# KAFKA_HA_READY_CACHE_SECONDS (default 30), so a Ready broker pays at most one JVM start per
# cache period; while a broker is not Ready (catching up after a restart) every probe checks again,
# which is what paces a rolling restart. A controller-only pod checks its controller port only.
#
# Environment: POD_NAME, KAFKA_HA_ROLE, KAFKA_HA_CONTROLLERS, KAFKA_HA_NODE_ID_OFFSET, KAFKA_HA_RUN_DIR,
# KAFKA_HA_ISR_CHECK (true/false), KAFKA_HA_READY_CACHE_SECONDS, KAFKA_HOME.
set -uo pipefail

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
PATH="$KAFKA_HOME/bin:$PATH"
host="${KAFKA_HA_READY_HOST:-localhost}"

port_open() { timeout 3 bash -c "exec 3<>/dev/tcp/$host/$1" 2>/dev/null; }
notready() { echo "not ready: $*"; rm -f "$cache"; exit 1; }

ordinal="${POD_NAME##*-}"
node_id=$(( ${KAFKA_HA_NODE_ID_OFFSET:-0} + ordinal ))
cache="${KAFKA_HA_RUN_DIR:?KAFKA_HA_RUN_DIR is not set}/ready.ok"

if [ "${KAFKA_HA_ROLE:-}" = controller ]; then
  port_open 9093 || notready "controller port 9093 does not accept connections"
  exit 0
fi
port_open 9092 || notready "client port 9092 does not accept connections"
[ "${KAFKA_HA_ISR_CHECK:-true}" = true ] || exit 0

now="$(date +%s)"
if [ -f "$cache" ]; then
  last="$(cat "$cache" 2>/dev/null || echo 0)"
  if [[ "$last" =~ ^[0-9]+$ ]] && [ $(( now - last )) -lt "${KAFKA_HA_READY_CACHE_SECONDS:-30}" ]; then exit 0; fi
fi

# A small, fast-starting JVM for the admin call.
export KAFKA_HEAP_OPTS="-Xms32m -Xmx192m"
export KAFKA_JVM_PERFORMANCE_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
export KAFKA_OPTS=""
if ! out="$(timeout 40 kafka-topics.sh --bootstrap-server "$host:9094" --describe --under-replicated-partitions 2>&1)"; then
  notready "the admin request failed: $(tail -n 3 <<< "$out" | tr '\n' ' ')"
fi

# Lines look like: "Topic: t  TopicId: x  Partition: 0  Leader: 1  Replicas: 0,1,2  Isr: 1,2  ..."
missing="$(awk -v id="$node_id" '
  /Partition:/ {
    topic = ""; part = ""; reps = ""; isr = ""
    for (i = 1; i < NF; i++) {
      if ($i == "Topic:") topic = $(i + 1)
      else if ($i == "Partition:") part = $(i + 1)
      else if ($i == "Replicas:") reps = $(i + 1)
      else if ($i == "Isr:") isr = $(i + 1)
    }
    if (index("," reps ",", "," id ",") > 0 && index("," isr ",", "," id ",") == 0) printf "%s-%s ", topic, part
  }' <<< "$out")"
[ -z "$missing" ] || notready "broker $node_id is not yet in the ISR of: $missing"

echo "$now" > "$cache"
exit 0
