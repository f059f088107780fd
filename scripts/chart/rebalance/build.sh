#!/usr/bin/env bash
# Compiles scripts/chart/rebalance/Rebalance.java into files/rebalance/Rebalance.class, the class the chart's
# rebalance Jobs run. Compiled against files/jobs/JobClient.class
# (scripts/chart/jobs/build.sh first when that changes). Run after editing the source; commit both files.
# Usage: build.sh [out-dir] (default files/rebalance; the unit tier compiles into a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/lib/build-kafka-class.sh scripts/chart/rebalance/Rebalance.java "${1:-files/rebalance}" files/jobs
