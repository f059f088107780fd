#!/usr/bin/env bash
# Compiles scripts/features/FeatureLevels.java into files/features/FeatureLevels.class, the class the
# chart's features Job runs. Run after editing the source; commit both files.
# Usage: build.sh [out-dir] (default files/features; the unit tier compiles into a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec bash scripts/lib/build-kafka-class.sh scripts/features/FeatureLevels.java "${1:-files/features}"
