#!/usr/bin/env bash
# Make sure a Docker engine answers, touching nothing when one already does.
#
# On a machine without a running engine, and only where we are root on Debian:
#   1. apt-get install docker.io (brings containerd and runc) if dockerd is missing;
#   2. ONLY if the capability bounding set lacks CAP_SYS_RESOURCE (see ENVIRONMENT.md), install the
#      runc wrapper (scripts/env/docker/runc-wrapper.sh) and register it as dockerd's default runtime;
#   3. start dockerd in the background, logging under the cache, and wait until `docker info` answers.
# Idempotent: a second run finds the engine answering and returns at once.
# Prints the docker client to use on its last line when called with --print-client.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log_prefix="docker: "
# shellcheck source=SCRIPTDIR/../lib/log.sh
source "$here/../../lib/log.sh"
log_dir="$cache/docker"

print_client=0
[ "${1:-}" = "--print-client" ] && print_client=1

# The client to use: `docker` on PATH (on this machine a v28 client that negotiates the API
# version down to a 20.10 engine), else Debian's own client.
client() {
  if command -v docker >/dev/null 2>&1; then command -v docker
  elif [ -x /usr/bin/docker ]; then echo /usr/bin/docker
  else return 1; fi
}

engine_answers() {
  local c; c="$(client)" || return 1
  timeout 10 "$c" info >/dev/null 2>&1
}

done_ok() {
  if [ "$print_client" = 1 ]; then client; fi
  exit 0
}

start=$(date +%s)
if engine_answers; then
  # Quiet when another script only asks for the client (every image build does).
  [ "$print_client" = 1 ] || log "engine answers ($( "$(client)" version --format '{{.Server.Version}}' 2>/dev/null || echo '?')); nothing to do"
  done_ok
fi

# --- no engine: can we bring one up here? ---------------------------------------------------
[ "$(id -u)" = 0 ] || die "no Docker engine answers and we are not root: start Docker yourself (e.g. Docker Desktop or 'sudo systemctl start docker')"
[ -f /etc/debian_version ] || die "no Docker engine answers and this is not Debian: start Docker yourself"

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io (step 1/3)..."
  export DEBIAN_FRONTEND=noninteractive
  # Lists may be missing or stale on a fresh machine; update once, then install.
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null \
    || die "apt-get install docker.io failed"
else
  log "dockerd is installed (step 1/3)"
fi
for b in dockerd containerd runc; do
  command -v "$b" >/dev/null 2>&1 || die "$b missing after installing docker.io"
done

# --- privileged-runtime adaptation, only where the capability is missing --------------------
# CAP_SYS_RESOURCE is capability 24; CapBnd is a hex mask.
capbnd_hex="$(awk '/^CapBnd:/ {print $2}' /proc/self/status)"
daemon_json=/etc/docker/daemon.json
if (( (16#$capbnd_hex >> 24) & 1 )); then
  log "CapBnd has CAP_SYS_RESOURCE: no runtime adaptation needed (step 2/3)"
else
  log "CapBnd ($capbnd_hex) lacks CAP_SYS_RESOURCE: installing the runc wrapper as default runtime (step 2/3)"
  real_runc="$(command -v runc)"
  wrapper=/usr/local/lib/kafka-ha/kafka-ha-runc
  mkdir -p "$(dirname "$wrapper")"
  sed "s|@REAL_RUNC@|$real_runc|" "$here/runc-wrapper.sh" > "$wrapper.tmp"
  chmod 0755 "$wrapper.tmp"
  mv -f "$wrapper.tmp" "$wrapper"
  mkdir -p /etc/docker
  want='{"runtimes":{"kafka-ha-runc":{"path":"'"$wrapper"'"}},"default-runtime":"kafka-ha-runc"}'
  if [ -s "$daemon_json" ]; then
    command -v jq >/dev/null 2>&1 || apt-get install -y -qq jq >/dev/null || die "jq needed to merge $daemon_json"
    jq -S --argjson w "$want" '. * $w' "$daemon_json" > "$daemon_json.tmp"
  else
    echo "$want" | jq -S . > "$daemon_json.tmp" 2>/dev/null || echo "$want" > "$daemon_json.tmp"
  fi
  mv -f "$daemon_json.tmp" "$daemon_json"
fi

# --- start dockerd ----------------------------------------------------------------------------
mkdir -p "$log_dir"
if [ -S /var/run/docker.sock ] && pgrep -x dockerd >/dev/null 2>&1; then
  log "dockerd is running but not answering yet; waiting (step 3/3)"
else
  # A dockerd that died (machine restart, killed job) leaves its pid file, and a new one refuses
  # to start while it exists; no dockerd process runs here, so it is stale.
  if ! pgrep -x dockerd >/dev/null 2>&1 && [ -f /var/run/docker.pid ]; then
    log "removing the stale /var/run/docker.pid"; rm -f /var/run/docker.pid
  fi
  log "starting dockerd, log: $log_dir/dockerd.log (step 3/3)"
  # setsid: its own session, so it outlives the shell (CI starts with nothing running).
  setsid dockerd >>"$log_dir/dockerd.log" 2>&1 </dev/null &
fi
for _ in $(seq 1 120); do
  if engine_answers; then
    log "engine answers after $(( $(date +%s) - start ))s ($( "$(client)" version --format '{{.Server.Version}}' 2>/dev/null))"
    done_ok
  fi
  sleep 1
done
tail -20 "$log_dir/dockerd.log" >&2 || true
die "dockerd did not answer within 120s; see $log_dir/dockerd.log"
