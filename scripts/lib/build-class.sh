#!/usr/bin/env bash
# Compiles one Java source into <out-dir>/<Class>.class (Java 17 bytecode, no debug info): the classes
# the chart ships in its scripts ConfigMap. Usage: build-class.sh <source.java> <out-dir> [classpath]
# (classpath: the libraries the class is compiled against, which the pod's image provides at run time)
set -euo pipefail
src="$1" out="$2" cp="${3:-}" name="$(basename "$1" .java)"
command -v javac >/dev/null || { echo "[kafka-ha] javac (JDK 17+) is required to rebuild $name.class" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
javac --release 17 -g:none ${cp:+-cp "$cp"} -d "$tmp" "$src"
mkdir -p "$out"
mv "$tmp/$name.class" "$out/$name.class"
echo "[kafka-ha] wrote $out/$name.class ($(wc -c < "$out/$name.class") bytes)"
