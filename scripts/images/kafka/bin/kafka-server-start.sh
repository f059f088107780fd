#!/usr/bin/env bash
# Starts a Kafka broker and/or KRaft controller: kafka-server-start.sh [-daemon] server.properties [--override k=v ...]
[ $# -ge 1 ] || { echo "usage: $0 [-daemon] server.properties [--override property=value]*" >&2; exit 1; }
base_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base_dir/config/log4j2.yaml}"
daemon=()
[ "$1" = "-daemon" ] && { daemon=(-daemon); shift; }
exec "$base_dir/bin/kafka-run-class.sh" "${daemon[@]}" -name kafkaServer kafka.Kafka "$@"
