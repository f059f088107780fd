#!/usr/bin/env bash
# Compiles scripts/chart/jobs/JobClient.java into files/jobs/JobClient.class, what the hook Jobs' classes
# share (environment, log lines, the Admin client's settings): the chart ships it next to each of them,
# and their build scripts (scripts/chart/rebalance/build.sh, scripts/chart/features/build.sh,
# scripts/chart/quorum/build-removal.sh) compile against files/jobs, so run this first after editing the
# source; commit both files. Usage: build.sh [out-dir] (default files/jobs; the unit tier compiles
# into a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/lib/build-class.sh scripts/chart/jobs/JobClient.java "${1:-files/jobs}"
