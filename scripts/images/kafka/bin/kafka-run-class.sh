#!/usr/bin/env bash
# kafka-ha's own launcher for the Kafka image built by scripts/images/kafka/build.sh.
#   kafka-run-class.sh [-daemon] [-name NAME] CLASS [ARGS...]
# Honours the environment variables of the official scripts:
#   KAFKA_HEAP_OPTS             heap flags (default -Xmx256M; kafka-server-start.sh sets its own)
#   KAFKA_JVM_PERFORMANCE_OPTS  GC and JIT flags (default: G1 with short pauses)
#   KAFKA_LOG4J_OPTS            log4j 2 configuration (default config/tools-log4j2.yaml)
#   KAFKA_JMX_OPTS, JMX_PORT    remote JMX (enabled only when JMX_PORT is set)
#   KAFKA_OPTS                  anything else, appended last
#   LOG_DIR                     where server logs go (default /opt/kafka/logs), passed as kafka.logs.dir
#   JAVA_HOME / JAVA            the JVM (default: java on PATH)
#   CLASSPATH                   extra entries, put before the jars
# Jars: the broker/controller classes run on /opt/kafka/libs/*; the command-line tools
# (org.apache.kafka.tools.*, kafka.admin.*), Connect, the metadata shell and Trogdor on
# /opt/kafka/libs/cli/* when that directory exists, because their Kafka release differs (see
# scripts/images/kafka/pom-cli.xml).
# KAFKA_HA_PRINT_LIBS=1 prints the jar directory chosen for CLASS and exits (used by the build).
set -euo pipefail

base_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

daemon=0; name=""
while [ $# -gt 0 ]; do
  case "$1" in
    -daemon) daemon=1; shift ;;
    -name) name="$2"; shift 2 ;;
    -loggc) shift ;;   # accepted for compatibility; GC logging goes through KAFKA_GC_LOG_OPTS
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: $0 [-daemon] [-name NAME] CLASS [ARGS...]" >&2; exit 1; }
main_class="$1"; shift

if [ -n "${JAVA:-}" ]; then java="$JAVA"
elif [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"
else java="java"; fi

libs="$base_dir/libs"
case "$main_class" in
  org.apache.kafka.tools.*|kafka.admin.*|org.apache.kafka.connect.*|org.apache.kafka.shell.*|org.apache.kafka.trogdor.*)
    [ -d "$base_dir/libs/cli" ] && libs="$base_dir/libs/cli" ;;
esac
[ "${KAFKA_HA_PRINT_LIBS:-}" = 1 ] && { echo "$libs"; exit 0; }
cp="$libs/*"
[ -n "${CLASSPATH:-}" ] && cp="$CLASSPATH:$cp"

log_dir="${LOG_DIR:-$base_dir/logs}"
mkdir -p "$log_dir" 2>/dev/null || true

heap="${KAFKA_HEAP_OPTS:--Xmx256M}"
perf="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
log4j="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml}"
jmx=""
if [ -n "${JMX_PORT:-}" ]; then
  jmx="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false} -Dcom.sun.management.jmxremote.port=$JMX_PORT -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT"
fi

# Word-splitting of the *_OPTS variables is intended: they hold several flags, as upstream's do.
# shellcheck disable=SC2206
cmd=("$java" $heap $perf ${KAFKA_GC_LOG_OPTS:-} $jmx "-Dkafka.logs.dir=$log_dir" $log4j ${KAFKA_OPTS:-} -cp "$cp" "$main_class" "$@")

if [ "$daemon" = 1 ]; then
  out="$log_dir/${name:-kafka}.out"
  nohup "${cmd[@]}" >"$out" 2>&1 </dev/null &
else
  # exec: the JVM becomes this process, so it gets SIGTERM directly and shuts down cleanly.
  exec "${cmd[@]}"
fi
