#!/usr/bin/env bash
# Compiles scripts/chart/features/FeatureLevels.java into files/features/FeatureLevels.class, the class the
# chart's features Job runs. Compiled against files/jobs/JobClient.class
# (scripts/chart/jobs/build.sh first when that changes). Run after editing the source; commit both files.
# Usage: build.sh [out-dir] (default files/features; the unit tier compiles into a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/lib/build-kafka-class.sh scripts/chart/features/FeatureLevels.java "${1:-files/features}" files/jobs
