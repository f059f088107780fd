#!/usr/bin/env bash
# Compiles scripts/chart/tls/GeneratedCertificate.java into files/tls/GeneratedCertificate.class, the class
# the chart ships for tls.source=generated. Run after editing the source; commit both files.
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/lib/build-class.sh scripts/chart/tls/GeneratedCertificate.java files/tls
