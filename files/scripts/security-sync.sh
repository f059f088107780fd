#!/usr/bin/env bash
# kafka-ha security Job: makes the cluster's SCRAM users and ACLs match the release's values, after
# every install and upgrade (templates/security-job.yaml). It talks to the brokers' internal listener
# as the release itself (its certificate: a super user), checks their names, and is idempotent: a
# second run changes nothing but the users' salts.
# - SCRAM users: each file $KAFKA_HA_USERS_DIR/<name> holds that user's password (from the user's
#   Secret). Every listed user gets its credential (re)written for $KAFKA_HA_SASL_MECHANISM through a
#   file (kafka-configs --add-config-file: never on a command line); SCRAM credentials of users not
#   listed, and of the other mechanism, are deleted. The chart owns the cluster's SCRAM users.
# - ACLs (when KAFKA_HA_ACLS_FILE is set): lines TYPE|NAME|PATTERN|PRINCIPAL|HOST|OPERATION|PERMISSION
#   (templates/_auth.tpl); what Kafka lists and the file lacks is removed, what it lacks is added. The
#   chart owns the cluster's ACLs.
#
# Environment: KAFKA_HA_BOOTSTRAP (internal listener addresses), KAFKA_HA_TLS_DIR, KAFKA_HA_USERS_DIR,
# KAFKA_HA_SASL_MECHANISM (empty: SASL off, every SCRAM user is deleted), KAFKA_HA_ACLS_FILE,
# KAFKA_HA_WAIT_SECONDS (default 900), KAFKA_HOME.
set -euo pipefail

log() { echo "[kafka-ha security] $*" >&2; }
die() { echo "[kafka-ha security] ERROR: $*" >&2; exit 1; }

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
PATH="$KAFKA_HOME/bin:$PATH"
bootstrap="${KAFKA_HA_BOOTSTRAP:?KAFKA_HA_BOOTSTRAP is not set}"
tls_dir="${KAFKA_HA_TLS_DIR:?KAFKA_HA_TLS_DIR is not set}"
users_dir="${KAFKA_HA_USERS_DIR:-}"
mechanism="${KAFKA_HA_SASL_MECHANISM:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pem_value() { awk 'NF { printf "%s\\n", $0 }' "$1"; }
config="$work/client.properties"
{
  echo "security.protocol=SSL"
  echo "ssl.truststore.type=PEM"
  echo "ssl.truststore.location=$tls_dir/ca.crt"
  echo "ssl.keystore.type=PEM"
  echo "ssl.keystore.certificate.chain=$(pem_value "$tls_dir/tls.crt")"
  echo "ssl.keystore.key=$(pem_value "$tls_dir/tls.key")"
} > "$config"

# A Kafka tool against the brokers; up to 5 tries, since after an upgrade this runs while the brokers
# roll (every call here is idempotent). stdin from /dev/null: the loops below feed their own stdin.
tool() {
  local try out
  for try in 1 2 3 4 5; do
    if out="$(timeout 120 "$@" --bootstrap-server "$bootstrap" --command-config "$config" < /dev/null 2>&1)"; then
      printf '%s\n' "$out"
      return 0
    fi
    log "$1 failed (try $try of 5): $(tail -n 2 <<< "$out" | tr '\n' ' ')"
    sleep 5
  done
  return 1
}

# --- wait for the brokers ---------------------------------------------------------------------------
deadline=$(( $(date +%s) + ${KAFKA_HA_WAIT_SECONDS:-900} ))
until out="$(timeout 120 kafka-topics.sh --list --bootstrap-server "$bootstrap" --command-config "$config" < /dev/null 2>&1)"; do
  [ "$(date +%s)" -lt "$deadline" ] || die "no broker answered on $bootstrap within ${KAFKA_HA_WAIT_SECONDS:-900}s: $(tail -n 2 <<< "$out" | tr '\n' ' ')"
  log "waiting for the brokers ($bootstrap): $(tail -n 1 <<< "$out")"
  sleep 5
done

# --- SCRAM users ------------------------------------------------------------------------------------
declared=()
if [ -n "$users_dir" ] && [ -d "$users_dir" ]; then
  for f in "$users_dir"/*; do
    [ -f "$f" ] || continue
    declared+=("$(basename "$f")")
  done
fi
if [ -n "$mechanism" ]; then
  for user in "${declared[@]}"; do
    password="$(cat "$users_dir/$user")"
    [ -n "$password" ] || die "the password of SCRAM user $user is empty (its Secret key, sasl.users)"
    # kafka-configs reads the value as iterations=N,password=P: these characters would cut the password short.
    [[ "$password" != *[],=[]* ]] || die "the password of SCRAM user $user contains ',', '=', '[' or ']', which kafka-configs cannot pass on; choose another"
    printf '%s=iterations=8192,password=%s\n' "$mechanism" "$password" > "$work/scram.properties"
    tool kafka-configs.sh --alter --entity-type users --entity-name "$user" --add-config-file "$work/scram.properties" > /dev/null
    rm -f "$work/scram.properties"
    log "SCRAM user $user: credential written ($mechanism)"
  done
fi
# "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-512=iterations=8192"
tool kafka-configs.sh --describe --entity-type users > "$work/users" 2>&1 || die "listing SCRAM users failed: $(tail -n 3 "$work/users")"
while IFS='|' read -r user mechs || [ -n "$user" ]; do
  for m in ${mechs//,/ }; do
    keep=false
    if [ "$m" = "$mechanism" ]; then
      for d in "${declared[@]}"; do [ "$d" = "$user" ] && keep=true; done
    fi
    if ! $keep; then
      tool kafka-configs.sh --alter --entity-type users --entity-name "$user" --delete-config "$m" > /dev/null
      log "SCRAM user $user: $m credential deleted (not in sasl.users with sasl.mechanism=${mechanism:-none})"
    fi
  done
done < <(sed -n -E "s/^SCRAM credential configs for user-principal '([^']+)' are (.*)$/\1|\2/p" "$work/users" |
  sed -E 's/=iterations=[0-9]+//g; s/, /,/g')

# --- ACLs -------------------------------------------------------------------------------------------
[ -n "${KAFKA_HA_ACLS_FILE:-}" ] || { log "done (no authorizer: ACLs untouched)"; exit 0; }

# Kafka's operation names as kafka-acls takes them.
cli_operation() {
  case "$1" in
    ALL) echo All ;; READ) echo Read ;; WRITE) echo Write ;; CREATE) echo Create ;; DELETE) echo Delete ;;
    ALTER) echo Alter ;; DESCRIBE) echo Describe ;; CLUSTER_ACTION) echo ClusterAction ;;
    DESCRIBE_CONFIGS) echo DescribeConfigs ;; ALTER_CONFIGS) echo AlterConfigs ;; IDEMPOTENT_WRITE) echo IdempotentWrite ;;
    *) die "unknown ACL operation $1" ;;
  esac
}

# kafka-acls arguments for one line TYPE|NAME|PATTERN|PRINCIPAL|HOST|OPERATION|PERMISSION.
acl_args() {
  local type name pattern principal host op perm
  IFS='|' read -r type name pattern principal host op perm <<< "$1"
  case "$type" in
    TOPIC) echo "--topic $name" ;; GROUP) echo "--group $name" ;; CLUSTER) echo "--cluster" ;;
    TRANSACTIONAL_ID) echo "--transactional-id $name" ;; *) die "unknown resource type $type" ;;
  esac
  local who=allow
  [ "$perm" = DENY ] && who=deny
  echo "--resource-pattern-type ${pattern,,} --$who-principal $principal --$who-host $host --operation $(cli_operation "$op")"
}

# Current ACLs as lines, from:
#   Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:
#    	(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)
tool kafka-acls.sh --list > "$work/acls" 2>&1 || die "listing ACLs failed: $(tail -n 3 "$work/acls")"
awk '
  /ResourcePattern\(/ { match($0, /resourceType=[^,]+/); t = substr($0, RSTART + 13, RLENGTH - 13)
                        match($0, /name=[^,]+/); n = substr($0, RSTART + 5, RLENGTH - 5)
                        match($0, /patternType=[A-Z_]+/); p = substr($0, RSTART + 12, RLENGTH - 12); next }
  /\(principal=/ { match($0, /principal=[^,]+/); who = substr($0, RSTART + 10, RLENGTH - 10)
                   match($0, /host=[^,]+/); h = substr($0, RSTART + 5, RLENGTH - 5)
                   match($0, /operation=[A-Z_]+/); o = substr($0, RSTART + 10, RLENGTH - 10)
                   match($0, /permissionType=[A-Z]+/); perm = substr($0, RSTART + 15, RLENGTH - 15)
                   print t "|" n "|" p "|" who "|" h "|" o "|" perm }
' "$work/acls" | sort -u > "$work/current"
grep -v '^$' "$KAFKA_HA_ACLS_FILE" | sort -u > "$work/desired" || true
added=0 removed=0
while read -r line; do
  set -f # a name or host '*' must reach kafka-acls as it is
  # shellcheck disable=SC2046
  tool kafka-acls.sh --add $(acl_args "$line") > /dev/null
  set +f
  log "ACL added: $line"
  added=$((added + 1))
done < <(comm -13 "$work/current" "$work/desired")
while read -r line; do
  set -f
  # shellcheck disable=SC2046
  tool kafka-acls.sh --remove --force $(acl_args "$line") > /dev/null
  set +f
  log "ACL removed (not in authorization.acls): $line"
  removed=$((removed + 1))
done < <(comm -23 "$work/current" "$work/desired")
log "done: ${#declared[@]} SCRAM user(s) declared; ACLs: $(wc -l < "$work/desired") declared, $added added, $removed removed"
