#!/usr/bin/env bash
# Compiles scripts/rebalance/Rebalance.java into files/rebalance/Rebalance.class, the class the chart's
# rebalance Job runs, against kafka-clients of the chart's Kafka version (Chart.yaml appVersion; the
# image provides it at run time, in /opt/kafka/libs). Run after editing the source; commit both files.
# Usage: build.sh [out-dir] (default files/rebalance; the unit tier compiles into a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../.."
kafka="$(awk '/^appVersion:/ { gsub(/"/, "", $2); print $2 }' Chart.yaml)"
libs="$(mktemp -d)"; trap 'rm -rf "$libs"' EXIT
mvn -B -q -Dstyle.color=never dependency:copy -Dartifact="org.apache.kafka:kafka-clients:$kafka" -DoutputDirectory="$libs"
bash scripts/lib/build-class.sh scripts/rebalance/Rebalance.java "${1:-files/rebalance}" "$libs/*"
