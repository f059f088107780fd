#!/usr/bin/env bash
# Compiles scripts/chart/quorum/ControllerRemoval.java into files/quorum/ControllerRemoval.class, the class the
# chart's controller-removal Job runs (against kafka-clients of the chart's Kafka, which the image
# provides at run time). Compiled against files/jobs/JobClient.class
# (scripts/chart/jobs/build.sh first when that changes). Run after editing the source; commit both files.
# Usage: build-removal.sh [out-dir] (default files/quorum; the unit tier compiles into a temporary one).
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/lib/build-kafka-class.sh scripts/chart/quorum/ControllerRemoval.java "${1:-files/quorum}" files/jobs
