#!/usr/bin/env bash
# Compiles scripts/chart/quorum/BootstrapState.java into files/quorum/BootstrapState.class, the class the
# chart ships in its scripts ConfigMap. Run after editing the source; commit both files.
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/lib/build-class.sh scripts/chart/quorum/BootstrapState.java files/quorum
