#!/usr/bin/env bash
# Compiles scripts/chart/readiness/KafkaHaReadinessReporter.java into files/readiness/KafkaHaReadinessReporter.class,
# the in-JVM readiness check of every Kafka pod. Run after editing the source; commit both files.
# Usage: build.sh [out-dir] (default files/readiness; the unit tier compiles into a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/lib/build-kafka-class.sh scripts/chart/readiness/KafkaHaReadinessReporter.java "${1:-files/readiness}"
