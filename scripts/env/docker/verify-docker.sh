#!/usr/bin/env bash
# Checks the engine can do what k3d needs: start a privileged container and `docker exec` into it.
# Uses our own busybox image (no registry here), built on demand.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DOCKER="$(bash "$here/ensure-docker.sh" --print-client)"
img="$(bash "$here/../../images/busybox/build.sh")"
name="kafka-ha-docker-check-$$"
trap '"$DOCKER" rm -f "$name" >/dev/null 2>&1 || true' EXIT
"$DOCKER" run -d --name "$name" --privileged "$img" sleep 120 >/dev/null
out="$("$DOCKER" exec "$name" sh -c 'echo exec-ok; grep ^CapEff: /proc/self/status')"
echo "$out" | grep -q exec-ok || { echo "[kafka-ha] docker: exec into a privileged container failed" >&2; exit 1; }
echo "[kafka-ha] docker: privileged run + exec OK (client $("$DOCKER" version --format '{{.Client.Version}}'), engine $("$DOCKER" version --format '{{.Server.Version}}'), $(echo "$out" | tail -1 | tr -s '\t' ' '))" >&2
