# shellcheck shell=bash
# Sourced by scripts/tools.sh and scripts/env/docker/ensure-docker.sh: the cache directory all kafka-ha
# scripts share and their "[kafka-ha] <prefix>" messages on stderr. Set log_prefix (e.g. "tools: ")
# before sourcing. scripts/images/lib.sh and scripts/images/node/cached-go-build.sh define the same for
# the builds without sourcing this file, so that the cache keys hashing them cover all they run.
# shellcheck disable=SC2034 # used by the scripts that source this file
cache="${KAFKA_HA_CACHE:-$HOME/.cache/kafka-ha}"
log() { echo "[kafka-ha] ${log_prefix:-}$*" >&2; }
die() { echo "[kafka-ha] ${log_prefix:-}ERROR: $*" >&2; exit 1; }
