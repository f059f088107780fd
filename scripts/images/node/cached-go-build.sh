# shellcheck shell=bash
# Shared by build-kubernetes.sh and build-etcd.sh (sourced, not run): where their output lives and
# how it is cached. The output $cache/<name>-<version>/bin is keyed by a hash of the calling script,
# this file, the version and the Go version (.key next to bin/), and is built in a temp dir that is
# renamed into place at the end.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}"
log() { echo "[kafka-ha] $*" >&2; }

# pinned KEY: the value of KEY in scripts/versions.json.
source "$root/scripts/lib/versions.sh"

# cached_build_start NAME VERSION WHAT [--force]: sets out, tmp and key. When out holds a build with
# this key (and --force is not given), logs "WHAT up to date", prints its bin dir and exits.
cached_build_start() {
  out="$cache/$1-$2"
  tmp="$cache/.$1-$2.tmp"
  key="$( { cat "$0" "$here/cached-go-build.sh"; echo "$2"; go env GOVERSION; } | sha256sum | cut -c1-16)"
  if [[ "${4:-}" != "--force" && -f "$out/.key" && "$(cat "$out/.key")" == "$key" ]]; then
    log "$3 up to date ($out/bin)"
    echo "$out/bin"; exit 0
  fi
}

# cached_build_finish: stamps $tmp with the key, drops its wrapper module and renames it to $out.
cached_build_finish() {
  echo "$key" > "$tmp/.key"
  rm -rf "$tmp/mod"
  rm -rf "$out.old"; [[ -e "$out" ]] && mv "$out" "$out.old"
  mv "$tmp" "$out"; rm -rf "$out.old"
}
