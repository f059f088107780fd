#!/usr/bin/env bash
# Stops the Kafka servers (kafka.Kafka JVMs) of this machine/container with SIGNAL (default TERM, a
# controlled shutdown): kafka-server-stop.sh [--node-id=N | --process-role=ROLE]
# With --node-id or --process-role only the servers whose properties file (the last argument of
# their command line, as kafka-server-start.sh passes it) says so; --node-id wins over both given.
signal="${SIGNAL:-TERM}" node_id="" role=""
for a in "$@"; do
  case "$a" in
    --node-id=*) node_id="${a#*=}" ;;
    --process-role=*) role="${a#*=}" ;;
    *) echo "usage: $0 [--node-id=N | --process-role=ROLE]" >&2; exit 1 ;;
  esac
done
# property FILE KEY: its value in a properties file
property() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1; }
stopped=0
while read -r pid args; do
  if [ -n "$node_id$role" ]; then
    config="$(readlink -f "/proc/$pid/cwd/${args##* }" 2>/dev/null || true)"
    [ -f "$config" ] || config="${args##* }"
    if [ -n "$node_id" ]; then [ "$(property "$config" node.id)" = "$node_id" ] || continue
    else [ "$(property "$config" process.roles)" = "$role" ] || continue; fi
  fi
  kill -s "$signal" "$pid" && stopped=$(( stopped + 1 ))
done < <(ps -eo pid=,args= | grep -E 'java .* kafka\.Kafka( |$)' | grep -v grep)
[ "$stopped" -gt 0 ] || { echo "No kafka server to stop"; exit 1; }
