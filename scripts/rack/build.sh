#!/usr/bin/env bash
# Compiles scripts/rack/NodeZone.java into files/rack/NodeZone.class (Java 17 bytecode), the class
# the chart ships in its scripts ConfigMap. Run after editing the source; commit both files.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v javac >/dev/null || { echo "[kafka-ha] rack: javac (JDK 17+) is required to rebuild NodeZone.class" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
javac --release 17 -g:none -d "$tmp" scripts/rack/NodeZone.java
mv "$tmp/NodeZone.class" files/rack/NodeZone.class
echo "[kafka-ha] rack: wrote files/rack/NodeZone.class ($(wc -c < files/rack/NodeZone.class) bytes)"
