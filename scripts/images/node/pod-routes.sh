#!/bin/bash
# The pod-route controller of kafka-ha.local/k8s-node (what flannel's host-gw backend does): keeps a
# route to every other node's podCIDR via that node's InternalIP.
#   pod-routes NODE_NAME CLUSTER_CIDR        (KUBECONFIG: the node's credentials)
#
# Like a real CNI's node watcher it outlives the API server going away: it lists the Node objects,
# then watches them until the next re-list. An error (API server unreachable, connection reset, a
# watch that ends early) ends only that attempt; the next one starts after a back-off of 1 s that
# doubles up to POD_ROUTES_BACKOFF_MAX_SECONDS and is reset by a watch that lasted its period. It
# never exits on its own, so a network partition never takes the node down. Each re-list (every
# POD_ROUTES_RESYNC_SECONDS) also puts back routes the kernel dropped (an uplink that went down and
# up) and removes the routes of nodes that are gone.
#
# Routes name no device: the kernel puts each one on the interface that reaches the peer's address,
# so the uplink may have any name (it is eth0 only because Docker calls it so today).
set -u

node_name="$1"
cluster_cidr="$2"
KUBECTL="${KUBECTL:-kubectl}"
RESYNC="${POD_ROUTES_RESYNC_SECONDS:-60}"
BACKOFF_MAX="${POD_ROUTES_BACKOFF_MAX_SECONDS:-30}"
# name, podCIDR, InternalIP: one line per node (addresses[0] is not necessarily the InternalIP).
COLUMNS='custom-columns=N:.metadata.name,C:.spec.podCIDR,A:.status.addresses[?(@.type=="InternalIP")].address'

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
is_cidr() { [[ "$1" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$ ]]; }
is_ip() { [[ "$1" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]]; }

# route NODE CIDR ADDRESS: makes "CIDR via ADDRESS" the route of another node's podCIDR. Lines that
# are not a complete other node (ours, <none> fields, anything unparsable) return 1 and change nothing.
route() {
  local n="$1" c="$2" a="$3"
  [ "$n" != "$node_name" ] && is_cidr "$c" && is_ip "$a" || return 1
  case "$(ip -4 route show exact "$c" 2>/dev/null)" in "$c via $a "*) return 0 ;; esac
  if ip route replace "$c" via "$a"; then log "route $c via $a ($n)"
  else log "warning: could not route $c via $a ($n); retried at the next re-list"; fi
  return 0
}

# sync LIST: every other node's route in place, and routes inside the cluster CIDR that no node
# owns any more removed. A list without this node in it is not trusted for removals.
sync() {
  local n c a rest wanted=" " self=0 via
  while read -r n c a rest; do
    [ "$n" = "$node_name" ] && self=1
    route "$n" "$c" "$a" && wanted+="$c "
  done <<< "$1"
  [ "$self" = 1 ] || { log "warning: this node is not in the node list; keeping every route"; return 0; }
  while read -r c via a rest; do
    [ "$via" = via ] && [[ "$wanted" != *" $c "* ]] || continue
    ip route del "$c" via "$a" && log "removed route $c via $a (no node owns $c)"
  done < <(ip -4 route show root "$cluster_cidr" 2>/dev/null)
}

backoff=1 failed=0
wait_backoff() { # WHY: log, sleep, double the back-off
  failed=$(( failed + 1 ))
  log "$1; retrying in ${backoff}s"
  sleep "$backoff"
  backoff=$(( backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2 ))
}

err="$(mktemp)"
trap 'rm -f "$err"' EXIT
log "pod routes of $node_name: re-list every ${RESYNC}s, back-off up to ${BACKOFF_MAX}s"
while :; do
  if ! list="$("$KUBECTL" get nodes --no-headers -o "$COLUMNS" --request-timeout=10s 2>"$err")"; then
    wait_backoff "listing nodes failed: $(tail -n 1 "$err")"
    continue
  fi
  sync "$list"
  if (( failed > 0 )); then log "nodes listed again after $failed failed attempt(s): routes re-synced"; failed=0; fi
  # Changes take effect at once through the watch; it is cut at the next re-list. Its stderr never
  # reaches the parser, and route() ignores any line that is not a node.
  started=$SECONDS
  timeout "$RESYNC" "$KUBECTL" get nodes --watch-only --no-headers -o "$COLUMNS" --request-timeout=0 2>"$err" |
    while read -r n c a rest; do route "$n" "$c" "$a" || true; done
  if (( SECONDS - started < RESYNC - 1 )); then
    wait_backoff "the node watch ended after $(( SECONDS - started ))s: $(tail -n 1 "$err")"
  else
    backoff=1
  fi
done
