# Shared helpers for the image builds under scripts/images/ (sourced, not run).
# Contract (see the helper brief): every output lives under the cache, is keyed by a hash of its
# inputs, is written atomically (temp path, then rename) and a rerun with nothing changed returns
# in seconds. An image carries its input hash as the label `kafka-ha.inputs`; a build whose hash
# matches the label of the existing tag is skipped.
set -euo pipefail

images_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$images_dir/../.." && pwd)"
cache="${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}"
mkdir -p "$cache/tmp" "$cache/images"

log() { echo "[kafka-ha] $*" >&2; }
die() { echo "[kafka-ha] ERROR: $*" >&2; exit 1; }

# DOCKER: the client to use; ensure-docker brings an engine up when none answers.
docker_cli() {
  if [ -z "${DOCKER:-}" ]; then
    DOCKER="$(bash "$repo_root/scripts/env/docker/ensure-docker.sh" --print-client)" || die "no Docker engine"
    export DOCKER
  fi
}

# pinned KEY: a value of scripts/versions.json.
source "$repo_root/scripts/lib/versions.sh"

# kafka_version: Chart.yaml appVersion, the one source of the Kafka version.
# KAFKA_HA_KAFKA_VERSION overrides it (to try another release without editing the chart).
kafka_version() {
  [ -n "${KAFKA_HA_KAFKA_VERSION:-}" ] && { echo "$KAFKA_HA_KAFKA_VERSION"; return; }
  local f="$repo_root/Chart.yaml"
  [ -f "$f" ] || die "Chart.yaml not found at $f"
  sed -n -E 's/^appVersion:[[:space:]]*"?([^"[:space:]]+)"?.*/\1/p' "$f" | head -1
}

# hash_inputs ARGS...: sha256 over files (by content, with their path relative to the repo) and
# literal strings (prefixed "s:"). Directories are walked in sorted order.
hash_inputs() {
  local a f
  {
    for a in "$@"; do
      case "$a" in
        s:*) printf 'str %s\n' "${a#s:}" ;;
        *)
          a="$(realpath "$a")"
          if [ -d "$a" ]; then
            while IFS= read -r f; do
              printf 'file %s %s\n' "${f#"$repo_root"/}" "$(sha256sum < "$f" | cut -d' ' -f1)"
            done < <(find "$a" -type f | LC_ALL=C sort)
          else
            printf 'file %s %s\n' "${a#"$repo_root"/}" "$(sha256sum < "$a" | cut -d' ' -f1)"
          fi ;;
      esac
    done
  } | sha256sum | cut -c1-16
}

# image_current REF HASH: true when REF exists and carries label kafka-ha.inputs=HASH.
image_current() {
  local got
  got="$("$DOCKER" image inspect --format '{{ index .Config.Labels "kafka-ha.inputs" }}' "$1" 2>/dev/null)" || return 1
  [ "$got" = "$2" ]
}

image_size() {
  "$DOCKER" image inspect --format '{{.Size}}' "$1" | awk '{printf "%.1f MB\n", $1/1000000}'
}

# import_rootfs REF HASH TARBALL [--change ...]: docker import a root filesystem tarball as REF,
# labelled with HASH. Docker tags atomically: the old image stays under REF until the new one is
# complete.
import_rootfs() {
  local ref="$1" hash="$2" tarball="$3"; shift 3
  "$DOCKER" import --change "LABEL kafka-ha.inputs=$hash" "$@" "$tarball" "$ref" >/dev/null
}

# debian_deb PACKAGE OUTDIR: download PACKAGE's .deb for this machine's architecture from the
# Debian archive (apt's configured sources) into OUTDIR, echo its path. Needs no install.
debian_deb() {
  local pkg="$1" out="$2" f
  mkdir -p "$out"
  f="$(ls "$out/${pkg}"_*.deb 2>/dev/null | head -1 || true)"
  if [ -z "$f" ]; then
    ( cd "$out" && apt-get download -qq "$pkg" >/dev/null 2>&1 ) \
      || { apt-get update -qq >/dev/null && ( cd "$out" && apt-get download -qq "$pkg" >/dev/null ); } \
      || die "apt-get download $pkg failed"
    f="$(ls "$out/${pkg}"_*.deb | head -1)"
  fi
  echo "$f"
}

timer_start() { _t0=$(date +%s); }
timer_secs() { echo $(( $(date +%s) - _t0 )); }

# build_lock NAME: one build of NAME at a time across processes (the cluster scripts, `npm run
# images` and other helpers may ask for the same image at once); released when the script exits.
# Callers check "current" again after taking it: the other process may just have built it.
build_lock() {
  mkdir -p "$cache/locks"
  exec 8>"$cache/locks/$1.lock"
  if ! flock -n 8; then
    log "$1: another build of it is running; waiting for it..."
    flock 8
  fi
}

# image_build_start NAME REF HASH: the start of every image build. Exits printing REF when REF is
# current (label kafka-ha.inputs=HASH); otherwise takes NAME's build lock, exits the same way when
# the build that held it has just made REF current, and starts the build's timer.
image_build_start() {
  if image_current "$2" "$3"; then
    log "$1: $2 is current ($3)"; echo "$2"; exit 0
  fi
  build_lock "$1"
  if image_current "$2" "$3"; then echo "$2"; exit 0; fi
  timer_start
}
