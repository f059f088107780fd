#!/usr/bin/env bash
# kafka-ha start-up: writes server.properties for this pod, formats the log directory only when it is
# empty (choosing between "first start of the cluster" and "join an existing quorum"), then execs
# the Kafka server. Plain bash + coreutils/busybox + java; every Kafka tool is called by name from PATH.
# The Java class quorum/BootstrapState.class (next to this script) serves this node's bootstrap state.
#
# Environment (set by the StatefulSet):
#   POD_NAME                    <statefulset>-<ordinal>
#   CLUSTER_ID                  the release's Kafka cluster id
#   KAFKA_HA_ROLE               combined | broker | controller
#   KAFKA_HA_CONTROLLERS        combined mode: ordinals below this are also controllers
#   KAFKA_HA_NODE_ID_OFFSET     node.id = offset + ordinal
#   KAFKA_HA_DOMAIN             DNS suffix of the pods: <headless>.<namespace>.svc.<cluster domain>
#   KAFKA_HA_VOTERS             initial voters, space separated: <id>@<host>:<port>
#   KAFKA_HA_CONFIG_TEMPLATE    static part of server.properties (ConfigMap)
#   KAFKA_HA_RUN_DIR            writable directory for the generated configuration
#   KAFKA_HA_DATA_DIR           Kafka log directory (on the PVC)
#   KAFKA_HA_RACK_FILE          optional: file holding broker.rack (written by the rack init container)
#   KAFKA_HA_EXTERNAL_HOST      optional: advertised host of the EXTERNAL listener
#   KAFKA_HA_EXTERNAL_PORT_BASE optional: EXTERNAL port of ordinal 0 (ordinal N: base + N)
#   KAFKA_HA_CLIENT_PORT, KAFKA_HA_CONTROLLER_PORT, KAFKA_HA_INTERNAL_PORT, KAFKA_HA_EXTERNAL_PORT
#                               the listeners' container ports (defined once, in templates/_topology.tpl)
#   KAFKA_HA_BOOTSTRAP_PORT     port on which an empty controller tells its peers its state (controllers)
#   KAFKA_HA_POLL_SECONDS       pause between quorum look-ups of an empty controller (default 2)
#   KAFKA_HA_TLS_LISTENERS      optional: the listeners serving TLS (CLIENT INTERNAL CONTROLLER EXTERNAL)
#   KAFKA_HA_TLS_DIR            with TLS: directory of tls.crt, tls.key (PKCS#8) and ca.crt
#   KAFKA_HA_PLAIN_USERS_DIR    optional, SASL/PLAIN: one file per user (name = user, content = password)
#   KAFKA_HA_AUTHORIZER         optional: true when the authorizer is on (super.users is written here)
#   KAFKA_HA_SUPER_USERS        with the authorizer: further super users, ';' separated
#   KAFKA_HA_LOG4J_CONFIG       optional: log4j2 configuration of the server (not of the tools)
#   KAFKA_HOME                  default /opt/kafka (its bin/ is put first on PATH)
set -euo pipefail

log() { echo "[kafka-ha] $*" >&2; }
die() { echo "[kafka-ha] ERROR: $*" >&2; exit 1; }

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
PATH="$KAFKA_HOME/bin:$PATH"
for v in POD_NAME CLUSTER_ID KAFKA_HA_ROLE KAFKA_HA_DOMAIN KAFKA_HA_VOTERS KAFKA_HA_CONFIG_TEMPLATE KAFKA_HA_RUN_DIR KAFKA_HA_DATA_DIR KAFKA_HA_CLIENT_PORT KAFKA_HA_CONTROLLER_PORT KAFKA_HA_INTERNAL_PORT KAFKA_HA_EXTERNAL_PORT; do
  [ -n "${!v:-}" ] || die "environment variable $v is not set"
done
CLIENT_PORT="$KAFKA_HA_CLIENT_PORT" CONTROLLER_PORT="$KAFKA_HA_CONTROLLER_PORT" INTERNAL_PORT="$KAFKA_HA_INTERNAL_PORT" EXTERNAL_PORT="$KAFKA_HA_EXTERNAL_PORT"
ordinal="${POD_NAME##*-}"
[[ "$ordinal" =~ ^[0-9]+$ ]] || die "cannot read an ordinal from POD_NAME=$POD_NAME"
node_id=$(( ${KAFKA_HA_NODE_ID_OFFSET:-0} + ordinal ))
fqdn="$POD_NAME.$KAFKA_HA_DOMAIN"

case "$KAFKA_HA_ROLE" in
  combined) if [ "$ordinal" -lt "${KAFKA_HA_CONTROLLERS:-0}" ]; then roles="broker,controller"; else roles="broker"; fi ;;
  broker) roles="broker" ;;
  controller) roles="controller" ;;
  *) die "KAFKA_HA_ROLE must be combined, broker or controller (got '$KAFKA_HA_ROLE')" ;;
esac
is_controller=false is_broker=false
[[ "$roles" == *controller* ]] && is_controller=true
[[ "$roles" == *broker* ]] && is_broker=true
if $is_controller; then BOOTSTRAP_PORT="${KAFKA_HA_BOOTSTRAP_PORT:?KAFKA_HA_BOOTSTRAP_PORT is not set}"; fi

# --- voters: "<id>@<host>:<port>" -> bootstrap servers, peers, initial controllers ------------------
read -r -a voters <<< "$KAFKA_HA_VOTERS"
bootstrap_servers="" peer_ids=() peer_hosts=() peer_ports=()
for v in "${voters[@]}"; do
  [[ "$v" =~ ^([0-9]+)@([^:]+):([0-9]+)$ ]] || die "malformed voter '$v' in KAFKA_HA_VOTERS"
  bootstrap_servers+="${bootstrap_servers:+,}${BASH_REMATCH[2]}:${BASH_REMATCH[3]}"
  if [ "${BASH_REMATCH[1]}" != "$node_id" ]; then
    peer_ids+=("${BASH_REMATCH[1]}") peer_hosts+=("${BASH_REMATCH[2]}") peer_ports+=("${BASH_REMATCH[3]}")
  fi
done

# Directory id of a voter in the initial voter set: derived from the cluster id and the node id, so
# every pod computes the same list without talking to the others (base64url of 16 bytes of sha256).
directory_id() {
  local hex bin=""
  hex="$(printf '%s' "$CLUSTER_ID/$1" | sha256sum | cut -c1-32)"
  bin="$(sed 's/../\\x&/g' <<< "$hex")"
  # shellcheck disable=SC2059
  printf "$bin" | base64 | tr '+/' '-_' | tr -d '=\n'
}

initial_controllers() {
  local v out=""
  for v in "${voters[@]}"; do
    [[ "$v" =~ ^([0-9]+)@(.+)$ ]]
    out+="${out:+,}${BASH_REMATCH[1]}@${BASH_REMATCH[2]}:$(directory_id "${BASH_REMATCH[1]}")"
  done
  echo "$out"
}

# --- server.properties -------------------------------------------------------------------------------
write_config() {
  local cfg="$KAFKA_HA_RUN_DIR/server.properties" listeners="" advertised="" rack="" super_users=""
  if $is_broker; then
    listeners="CLIENT://:$CLIENT_PORT,INTERNAL://:$INTERNAL_PORT"
    advertised="CLIENT://$fqdn:$CLIENT_PORT,INTERNAL://$fqdn:$INTERNAL_PORT"
    if [ -n "${KAFKA_HA_EXTERNAL_HOST:-}" ]; then
      listeners+=",EXTERNAL://:$EXTERNAL_PORT"
      advertised+=",EXTERNAL://$KAFKA_HA_EXTERNAL_HOST:$(( ${KAFKA_HA_EXTERNAL_PORT_BASE:?KAFKA_HA_EXTERNAL_PORT_BASE is not set} + ordinal ))"
    fi
  fi
  if $is_controller; then
    listeners+="${listeners:+,}CONTROLLER://:$CONTROLLER_PORT"
    advertised+="${advertised:+,}CONTROLLER://$fqdn:$CONTROLLER_PORT"
  fi
  if [ -n "${KAFKA_HA_RACK_FILE:-}" ] && $is_broker; then
    [ -s "$KAFKA_HA_RACK_FILE" ] || die "rack awareness is on but $KAFKA_HA_RACK_FILE is missing or empty (the rack init container did not write it)"
    rack="$(head -n1 "$KAFKA_HA_RACK_FILE")"
  fi
  if [ "${KAFKA_HA_AUTHORIZER:-}" = true ]; then
    super_users="$(release_principal)${KAFKA_HA_SUPER_USERS:+;$KAFKA_HA_SUPER_USERS}"
  fi
  {
    cat "$KAFKA_HA_CONFIG_TEMPLATE"
    echo
    echo "# --- written by start.sh for $POD_NAME"
    echo "node.id=$node_id"
    echo "process.roles=$roles"
    echo "listeners=$listeners"
    echo "advertised.listeners=$advertised"
    echo "controller.quorum.bootstrap.servers=$bootstrap_servers"
    echo "log.dirs=$KAFKA_HA_DATA_DIR"
    if $is_broker; then echo "inter.broker.listener.name=INTERNAL"; fi
    # KIP-853: a controller formatted without initial controllers (a replaced disk) is added as a
    # voter by the leader once it has caught up. Kafka accepts this setting on controllers only.
    if $is_controller; then echo "controller.quorum.auto.join.enable=true"; fi
    if [ -n "$rack" ]; then echo "broker.rack=$rack"; fi
    if [ -n "${KAFKA_HA_TLS_LISTENERS:-}" ]; then keystore_lines; fi
    if [ -n "${KAFKA_HA_PLAIN_USERS_DIR:-}" ] && $is_broker; then plain_lines; fi
    if [ -n "$super_users" ]; then echo "super.users=$super_users"; fi
  } > "$cfg.tmp"
  mv "$cfg.tmp" "$cfg"
  CONFIG="$cfg"
}

# --- TLS and the tools' client settings -------------------------------------------------------------
tls_on() { [[ " ${KAFKA_HA_TLS_LISTENERS:-} " == *" $1 "* ]]; }

# The certificate files, checked before Kafka would fail on them with a less clear message.
check_tls_files() {
  local f first
  for f in tls.crt tls.key ca.crt; do
    [ -s "$KAFKA_HA_TLS_DIR/$f" ] || die "TLS is on (${KAFKA_HA_TLS_LISTENERS}) but $KAFKA_HA_TLS_DIR/$f is missing or empty: the certificate Secret must hold tls.crt, tls.key and ca.crt"
  done
  first="$(grep -m1 -- '-----BEGIN' "$KAFKA_HA_TLS_DIR/tls.key" | tr -d '\r' || true)"
  [ "$first" = "-----BEGIN PRIVATE KEY-----" ] ||
    die "tls.key starts with '${first:-no PEM header}', but Kafka reads only unencrypted PKCS#8 keys ('-----BEGIN PRIVATE KEY-----'). Convert it with: openssl pkcs8 -topk8 -nocrypt -in tls.key -out tls-pkcs8.key, and store that as tls.key"
}

# The release's own principal on the internal and controller listeners: the CN of tls.crt, as the
# listeners' ssl.principal.mapping.rules (templates/_auth.tpl) turn the certificate's subject into it.
release_principal() {
  local owner cn
  owner="$(keytool -printcert -file "$KAFKA_HA_TLS_DIR/tls.crt" 2>/dev/null | sed -n 's/^Owner: //p' | head -n1 | sed 's/, /,/g')"
  cn="$(sed -n -E 's/^(.*,)?CN=([^,]+)(,.*)?$/\2/p' <<< "$owner")"
  [ -n "$cn" ] || die "the authorizer is on, but tls.crt has no CN in its subject ('${owner:-unreadable}'): the release's principal is User:<CN>, so its certificate needs one"
  echo "User:$cn"
}

# A PEM file as one properties value: Properties.load turns each \n back into a line break.
# Without CRs: a file with Windows line ends would otherwise end the property at its first line.
pem_value() { awk '{ sub(/\r$/, "") } NF { printf "%s\\n", $0 }' "$1"; }

# This pod's certificate and key, inline: Kafka then needs no key password (README "Security").
keystore_lines() {
  echo "ssl.keystore.type=PEM"
  echo "ssl.keystore.certificate.chain=$(pem_value "$KAFKA_HA_TLS_DIR/tls.crt")"
  echo "ssl.keystore.key=$(pem_value "$KAFKA_HA_TLS_DIR/tls.key")"
}

# SASL/PLAIN: Kafka's own PLAIN server checks the user_<name>="<password>" options of each SASL
# listener's login module. The passwords come from the users' Secrets (files, never the environment)
# and end up only in this pod's server.properties, on a memory volume.
plain_lines() {
  local users="" f name password l
  for f in "$KAFKA_HA_PLAIN_USERS_DIR"/*; do
    [ -f "$f" ] || continue
    name="$(basename "$f")"
    password="$(cat "$f")"
    [ -n "$password" ] || die "the password of SASL/PLAIN user $name is empty (its Secret key, sasl.users)"
    # A JAAS option value is quoted, and server.properties reads backslashes as escapes.
    [[ "$password" != *[\\\"]* && "$password" != *$'\n'* ]] || die "the password of SASL/PLAIN user $name contains a double quote, a backslash or a line break, which Kafka's JAAS configuration cannot hold; choose another"
    users+=" user_$name=\"$password\""
  done
  for l in client external; do
    echo "listener.name.$l.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required$users;"
  done
}

# Client settings for Kafka's tools talking to this pod's <listener> over localhost: start.sh's quorum
# calls, ready.sh, and users' commands in the pod (NOTES). With TLS they trust only the release's CA
# and present the pod's own certificate; the host name is not checked because localhost is not
# among the certificate's names (the peers' names are, and the brokers check them).
write_client_config() {
  local file="$KAFKA_HA_RUN_DIR/$2"
  if tls_on "$1"; then
    {
      echo "security.protocol=SSL"
      echo "ssl.truststore.type=PEM"
      echo "ssl.truststore.location=$KAFKA_HA_TLS_DIR/ca.crt"
      keystore_lines
      echo "ssl.endpoint.identification.algorithm="
    } > "$file.tmp"
  else
    echo "security.protocol=PLAINTEXT" > "$file.tmp"
  fi
  mv "$file.tmp" "$file"
}

write_client_configs() {
  if [ -n "${KAFKA_HA_TLS_LISTENERS:-}" ]; then check_tls_files; fi
  write_client_config CLIENT client.properties
  write_client_config INTERNAL internal-client.properties
  write_client_config CONTROLLER controller-client.properties
}
CONTROLLER_CLIENT_CONFIG="$KAFKA_HA_RUN_DIR/controller-client.properties"

# --- looking at the other controllers -----------------------------------------------------------------
port_open() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# The first line a peer serves on its bootstrap port (empty when nothing answers).
bootstrap_answer() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" && IFS= read -r -t 2 line <&3 && printf "%s\n" "$line"' _ "$1" "$BOOTSTRAP_PORT" 2>/dev/null || true
}

# Prints `describe --status` of the quorum through the given controllers; fails when none answers.
quorum_status() { timeout 60 kafka-metadata-quorum.sh --bootstrap-controller "$1" --command-config "$CONTROLLER_CLIENT_CONFIG" describe --status 2>&1; }

leader_of() { sed -n -E 's/^LeaderId:[[:space:]]*(-?[0-9]+).*/\1/p' <<< "$1" | head -n1; }

# Directory id of voter <id> in the CurrentVoters line of a status output (empty if not a voter).
voter_directory() {
  sed -n -E 's/^CurrentVoters:[[:space:]]*//p' <<< "$1" | tr '}' '\n' \
    | sed -n -E "s/.*\"id\":[[:space:]]*$2[[:space:]]*,[[:space:]]*\"directoryId\":[[:space:]]*\"([^\"]+)\".*/\1/p" | head -n1
}

# --- the bootstrap port: what this empty controller tells its peers -----------------------------------
# "EMPTY <cluster id>" while it decides, "FIRST-START <cluster id>" from its first-start decision until
# it has seen a quorum leader. A controller holding data never serves anything here, so one such
# voter keeps every empty one from formatting with the initial voter set (README "Design").
state_file="$KAFKA_HA_RUN_DIR/bootstrap-state"
first_start_marker="$KAFKA_HA_DATA_DIR/.kafka-ha-first-start"
class_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/quorum"
server_pid=""

serve_state() {
  printf '%s %s\n' "$1" "$CLUSTER_ID" > "$state_file.tmp"
  mv "$state_file.tmp" "$state_file"
  if [ -z "$server_pid" ]; then
    java -Xmx16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp "$class_dir" BootstrapState "$BOOTSTRAP_PORT" "$state_file" &
    server_pid=$!
  fi
}

# Deleting the state file ends the server within a second; wait for it so no answer outlives the state.
stop_serving() {
  rm -f "$state_file"
  if [ -n "$server_pid" ]; then wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}

# True once this node has known a quorum leader: its quorum-state names one, or its metadata log holds a
# record (only an elected leader writes there, starting with the record of its own election).
leader_seen() {
  local dir="$KAFKA_HA_DATA_DIR/__cluster_metadata-0" id f
  id="$(sed -n -E 's/.*"leaderId":[[:space:]]*(-?[0-9]+).*/\1/p' "$dir/quorum-state" 2>/dev/null | head -n1)"
  if [ -n "$id" ] && [ "$id" -ge 0 ]; then return 0; fi
  for f in "$dir"/*.log; do if [ -s "$f" ]; then return 0; fi; done
  return 1
}

# In the background, outliving the exec of Kafka: keep serving FIRST-START until a leader exists, so a
# peer that has not decided yet still sees this node as part of the brand-new cluster; then stop for good.
end_first_start_when_leader_seen() {
  (
    until leader_seen; do sleep 1; done
    log "quorum leader seen: the first start is over; no longer serving FIRST-START on port $BOOTSTRAP_PORT"
    rm -f "$first_start_marker"
    stop_serving
  ) &
}

# --- formatting --------------------------------------------------------------------------------------
format() { log "formatting $KAFKA_HA_DATA_DIR: kafka-storage.sh format --cluster-id $CLUSTER_ID $*"; kafka-storage.sh format --cluster-id "$CLUSTER_ID" --config "$CONFIG" "$@"; }

first_start() {
  mkdir -p "$KAFKA_HA_DATA_DIR"
  # Durable before acting: a restart from here on resumes this decision instead of taking another.
  printf 'FIRST-START %s\n' "$CLUSTER_ID" > "$first_start_marker"
  serve_state FIRST-START
  format --initial-controllers "$(initial_controllers)"
}

# Remove the voter entry this node id left behind with its previous disk, so the new disk (new
# directory id) is the only identity of this node id; auto-join then adds the new one as a voter.
retire_stale_voter() {
  local status mine stale out
  mine="$(sed -n 's/^directory.id=//p' "$KAFKA_HA_DATA_DIR/meta.properties")"
  [ -n "$mine" ] || die "no directory.id in $KAFKA_HA_DATA_DIR/meta.properties after formatting"
  status="$(quorum_status "$1")" || die "cannot read the quorum status from $1 to retire the old voter entry of node $node_id: $status"
  stale="$(voter_directory "$status" "$node_id")"
  if [ -n "$stale" ] && [ "$stale" != "$mine" ]; then
    log "node $node_id is still a voter with its old disk (directory $stale); removing that entry (new directory: $mine)"
    out="$(timeout 60 kafka-metadata-quorum.sh --bootstrap-controller "$1" --command-config "$CONTROLLER_CLIENT_CONFIG" remove-controller --controller-id "$node_id" --controller-directory-id "$stale" 2>&1)" \
      || die "could not remove the old voter entry of node $node_id (directory $stale) through $1: ${out:-no output (timed out?)}. Kafka is not started; the next start of this container retries the removal."
  else
    log "no stale voter entry for node $node_id"
  fi
  rm -f "$KAFKA_HA_DATA_DIR/.kafka-ha-join-pending"
}

join_existing() {
  log "an existing quorum (leader $2) answers through $1: formatting without initial controllers and joining"
  stop_serving
  mkdir -p "$KAFKA_HA_DATA_DIR"
  format --no-initial-controllers
  : > "$KAFKA_HA_DATA_DIR/.kafka-ha-join-pending"
  retire_stale_voter "$1"
}

# An empty controller decides, with no deadline: format with the initial voter set if every other
# initial voter says it is empty too (or has decided so and seen no leader yet); else join a leader if
# one answers; else wait, naming the voters that block the decision. The bootstrap ports are asked
# first: they answer at once, while a status call can take a minute when no leader exists yet.
first_start_or_join() {
  local i open status leader blockers why
  local -a answers
  serve_state EMPTY
  while :; do
    touch "$KAFKA_HA_RUN_DIR/preparing"
    kill -0 "$server_pid" 2>/dev/null || die "the bootstrap port $BOOTSTRAP_PORT could not be served (see the BootstrapState message above)"
    blockers=() answers=()
    for i in "${!peer_hosts[@]}"; do
      answers[i]="$(bootstrap_answer "${peer_hosts[$i]}")"
      case "${answers[i]}" in "EMPTY $CLUSTER_ID" | "FIRST-START $CLUSTER_ID") ;; *) blockers+=("$i") ;; esac
    done
    if [ "${#blockers[@]}" -eq 0 ]; then
      log "every other initial voter is empty or starting for the first time: first start of cluster $CLUSTER_ID, formatting with the initial voter set"
      first_start
      return
    fi
    open="" status=""
    for i in "${!peer_hosts[@]}"; do
      if port_open "${peer_hosts[$i]}" "${peer_ports[$i]}"; then open+="${open:+,}${peer_hosts[$i]}:${peer_ports[$i]}"; fi
    done
    if [ -n "$open" ] && status="$(quorum_status "$open")"; then
      leader="$(leader_of "$status")"
      if [ -n "$leader" ] && [ "$leader" -ge 0 ]; then join_existing "$open" "$leader"; return; fi
    fi
    why=""
    for i in "${blockers[@]}"; do why+="${why:+; }$(blocker "$i" "${answers[i]}" "$open" "$status")"; done
    log "waiting: no quorum leader to join, and a first start needs every initial voter empty. Blocking: $why"
    sleep "${KAFKA_HA_POLL_SECONDS:-2}"
  done
}

# Why peer <index> blocks a first start, given its bootstrap answer, the open controller ports and the status output.
blocker() {
  local id="${peer_ids[$1]}" host="${peer_hosts[$1]}" port="${peer_ports[$1]}"
  case "$2" in
    EMPTY\ * | FIRST-START\ *) echo "voter $id ($host) is empty but for another cluster id '${2#* }'" ;;
    "")
      if [[ ",$3," == *",$host:$port,"* ]]; then
        echo "voter $id ($host) has data: its controller port answers but no quorum leader does ($(tail -n1 <<< "${4:-no answer}"))"
      else
        echo "voter $id ($host) is unreachable (neither its controller port $port nor its bootstrap port $BOOTSTRAP_PORT answers)"
      fi
      ;;
    *) echo "voter $id ($host) answers '$2' on port $BOOTSTRAP_PORT" ;;
  esac
}

# --- main --------------------------------------------------------------------------------------------
# A container restart keeps the run directory: drop ready.sh's cached "in sync" answer and the state of
# the previous container, so this start is judged afresh.
rm -f "$KAFKA_HA_RUN_DIR/ready.ok" "$KAFKA_HA_RUN_DIR/ready.state" "$KAFKA_HA_RUN_DIR/preparing" "$state_file"
write_client_configs
write_config
meta="$KAFKA_HA_DATA_DIR/meta.properties"
if [ -f "$meta" ]; then
  found="$(sed -n 's/^cluster.id=//p' "$meta")"
  if [ "$found" != "$CLUSTER_ID" ]; then
    die "the data directory $KAFKA_HA_DATA_DIR belongs to Kafka cluster '$found', but this release's cluster id is '$CLUSTER_ID'. Refusing to start so the other cluster's data is not mixed in. Either restore the release's cluster id (value clusterId / Secret <release>-cluster-id) or delete this pod's PVC to start it empty."
  fi
  if [ -f "$KAFKA_HA_DATA_DIR/.kafka-ha-join-pending" ]; then
    log "an earlier join did not finish: retiring the stale voter entry again"
    retire_stale_voter "$bootstrap_servers"
  fi
  if [ -f "$first_start_marker" ] && leader_seen; then
    rm -f "$first_start_marker"
  elif [ -f "$first_start_marker" ]; then
    log "node $node_id: first start of cluster $CLUSTER_ID not finished (no quorum leader seen yet): serving FIRST-START again"
    serve_state FIRST-START
  fi
  log "node $node_id ($roles): log directory holds cluster $CLUSTER_ID, starting"
elif $is_controller; then
  # Empty-disk controllers may wait for their peers as long as it takes; the probes count this file as alive.
  touch "$KAFKA_HA_RUN_DIR/preparing"
  if [ -f "$first_start_marker" ]; then
    log "node $node_id ($roles): empty log directory, resuming the first start of cluster $CLUSTER_ID decided before a restart"
    first_start
  else
    log "node $node_id ($roles): empty log directory, looking for an existing quorum leader or a brand-new cluster"
    first_start_or_join
  fi
else
  log "node $node_id ($roles): empty log directory, formatting as a broker"
  format --no-initial-controllers
fi
if [ -f "$first_start_marker" ]; then end_first_start_when_leader_seen; fi
rm -f "$KAFKA_HA_RUN_DIR/preparing"
if [ -n "${KAFKA_HA_LOG4J_CONFIG:-}" ]; then export KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$KAFKA_HA_LOG4J_CONFIG"; fi
# The metrics agent serves a port, so only the Kafka JVM gets it (not the tools run above).
if [ -n "${KAFKA_HA_METRICS_AGENT:-}" ]; then export KAFKA_OPTS="${KAFKA_OPTS:-} $KAFKA_HA_METRICS_AGENT"; fi
exec kafka-server-start.sh "$CONFIG"
