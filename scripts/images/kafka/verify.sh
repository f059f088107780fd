#!/usr/bin/env bash
# Proves a Kafka image works the way the chart uses it: as uid 1000, format the storage with
# kafka-storage.sh, start a single-node KRaft combined broker+controller with kafka-server-start.sh,
# then create a topic, produce N records and consume them back with the console tools, all inside
# the container (no traffic leaves it).   verify.sh [IMAGE]   (default: the local build)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib.sh"
docker_cli
image="${1:-$(bash "$here/build.sh")}"
name="kafka-ha-verify-$$"
n=200
trap '"$DOCKER" rm -f -v "$name" >/dev/null 2>&1 || true' EXIT
timer_start
log "kafka verify: $image (step 1/4: format + start a KRaft combined node)"
# The configuration is written by the test, not taken from the image, as the chart does.
"$DOCKER" run -d --name "$name" -e KAFKA_HEAP_OPTS="-Xmx512M -Xms512M" --entrypoint bash "$image" -c '
  set -e
  cat > /tmp/node.properties <<PROPS
process.roles=broker,controller
node.id=0
controller.quorum.bootstrap.servers=localhost:19093
listeners=CLIENT://:19092,CONTROLLER://:19093
advertised.listeners=CLIENT://localhost:19092
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=/var/lib/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
PROPS
  /opt/kafka/bin/kafka-storage.sh format --standalone -t "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" -c /tmp/node.properties
  exec /opt/kafka/bin/kafka-server-start.sh /tmp/node.properties' >/dev/null
for _ in $(seq 1 90); do
  "$DOCKER" logs "$name" 2>&1 | grep -q 'Kafka Server started' && break
  [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$name")" = true ] || { "$DOCKER" logs "$name" 2>&1 | tail -30 >&2; die "the broker exited"; }
  sleep 1
done
"$DOCKER" logs "$name" 2>&1 | grep -q 'Kafka Server started' || die "the broker did not start in 90s"
"$DOCKER" logs "$name" 2>&1 | grep -m1 'Formatting metadata directory' >&2 || true
log "kafka verify: broker started after $(timer_secs)s (step 2/4: identity and layout)"
ids="$("$DOCKER" exec "$name" sh -c 'id -u; id -un; stat -c %U /var/lib/kafka/data /opt/kafka; bash --version | head -1')"
echo "$ids" | sed 's/^/  /' >&2
[ "$(echo "$ids" | sed -n 1p)" = 1000 ] && [ "$(echo "$ids" | sed -n 2p)" = appuser ] || die "not running as appuser (uid 1000)"
[ "$(echo "$ids" | sed -n 3p)" = appuser ] && [ "$(echo "$ids" | sed -n 4p)" = appuser ] || die "data dir or /opt/kafka not owned by appuser"
log "kafka verify: step 3/4: topic + $n records through the console producer"
b=localhost:19092
"$DOCKER" exec "$name" kafka-topics.sh --bootstrap-server $b --create --topic verify --partitions 3 --replication-factor 1 >&2
"$DOCKER" exec "$name" bash -c "seq 1 $n | kafka-console-producer.sh --bootstrap-server $b --topic verify --command-property acks=all"
log "kafka verify: step 4/4: consume them back"
got="$("$DOCKER" exec "$name" kafka-console-consumer.sh --bootstrap-server $b --topic verify --from-beginning --max-messages $n --timeout-ms 30000 2>/dev/null | sort -n | uniq)"
[ "$(echo "$got" | wc -l)" = $n ] && [ "$(echo "$got" | head -1)" = 1 ] && [ "$(echo "$got" | tail -1)" = $n ] \
  || die "consumed $(echo "$got" | wc -l) distinct records, expected 1..$n"
"$DOCKER" exec "$name" kafka-metadata-quorum.sh --bootstrap-server $b describe --status | grep -E 'LeaderId|CurrentVoters' | sed 's/^/  /' >&2
log "kafka verify: OK in $(timer_secs)s: formatted, started, $n records produced and consumed"
