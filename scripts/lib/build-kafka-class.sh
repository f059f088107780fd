#!/usr/bin/env bash
# Compiles a class the chart runs with the Kafka image's own broker libraries (/opt/kafka/libs) against
# kafka-clients and kafka-server-common of the chart's Kafka version (Chart.yaml appVersion), fetched
# from Maven Central. Usage: build-kafka-class.sh <source.java> <out-dir> [classpath]
# (classpath: more to compile against, relative to the chart root, e.g. files/jobs for JobClient.class)
set -euo pipefail
cd "$(dirname "$0")/../.."
kafka="$(awk '/^appVersion:/ { gsub(/"/, "", $2); print $2 }' Chart.yaml)"
libs="$(mktemp -d)"; trap 'rm -rf "$libs"' EXIT
for artifact in kafka-clients kafka-server-common; do
  mvn -B -q -Dstyle.color=never dependency:copy -Dartifact="org.apache.kafka:$artifact:$kafka" -DoutputDirectory="$libs"
done
bash scripts/lib/build-class.sh "$1" "$2" "$libs/*${3:+:$3}"
