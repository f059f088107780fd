#!/usr/bin/env bash
# Default command of the kafka-ha.local Kafka image (installed as /etc/kafka/docker/run, the path of
# the upstream image's entry point). Behaviour, as documented for apache/kafka:
#   - no KAFKA_* server settings in the environment: run /opt/kafka/config/server.properties
#     (a single combined broker+controller on localhost:9092);
#   - otherwise every KAFKA_<NAME> variable becomes property <name> ('_' -> '.', '__' -> '_',
#     '___' -> '-'), e.g. KAFKA_NODE_ID=1 -> node.id=1; the JVM/launcher variables
#     (KAFKA_HEAP_OPTS, KAFKA_OPTS, ...) are not properties.
#   - the log directories are formatted with CLUSTER_ID (random when unset) unless already formatted.
set -euo pipefail
home=/opt/kafka
launcher_vars=" KAFKA_HEAP_OPTS KAFKA_OPTS KAFKA_LOG4J_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_JMX_OPTS KAFKA_GC_LOG_OPTS KAFKA_DEBUG KAFKA_HOME "
props="$home/config/server.properties"
settings=()
while IFS='=' read -r var _; do
  case "$var" in KAFKA_*) ;; *) continue ;; esac
  [[ "$launcher_vars" == *" $var "* ]] && continue
  key="${var#KAFKA_}"
  key="$(printf '%s' "$key" | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g' | tr '[:upper:]' '[:lower:]')"
  settings+=("$key=${!var}")
done < <(env)
if [ "${#settings[@]}" -gt 0 ]; then
  props="$(mktemp /tmp/server.XXXXXX.properties)"
  printf '%s\n' "${settings[@]}" > "$props"
fi
cluster_id="${CLUSTER_ID:-$("$home/bin/kafka-storage.sh" random-uuid)}"
"$home/bin/kafka-storage.sh" format --ignore-formatted -t "$cluster_id" -c "$props"
exec "$home/bin/kafka-server-start.sh" "$props"
