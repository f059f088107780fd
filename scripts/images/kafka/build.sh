#!/usr/bin/env bash
# kafka-ha.local/kafka:<appVersion> (appVersion from Chart.yaml): the official apache/kafka layout
# built from package registries only. Prints the image ref on stdout.
#   1. Debian root with openjdk-17-jre-headless (debootstrap, cached by hash)  -> base image
#   2. /opt/kafka/libs: `mvn dependency:copy-dependencies` on pom.xml (Maven Central)
#   3. the command wrappers of bin/commands.tsv, each main class checked against the jars, and the
#      hand-written scripts of bin/; the result must list exactly official-bin.txt
#   4. docker build of Dockerfile on top of the base image
# Each step is cached by the hash of its inputs; the image carries the hash of all of them.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
here="$images_dir/kafka"
docker_cli
export DOCKER_BUILDKIT=0   # the legacy builder: Debian's 20.10 engine has no BuildKit client here

kver="$(kafka_version)"; [ -n "$kver" ] || die "no appVersion in Chart.yaml"
tools_ver="$(pinned kafkaToolsMaven)"
ref="kafka-ha.local/kafka:$kver"
# Packages of the base. curl + ca-certificates: health checks and debugging from inside the pod
# (`curl` a metrics or HTTP endpoint) cost ~2 MB; the upstream image ships curl too.
pkgs=(openjdk-17-jre-headless bash coreutils procps curl ca-certificates)
hash="$(hash_inputs "${BASH_SOURCE[0]}" "$here/Dockerfile" "$here/pom.xml" "$here/pom-cli.xml" "$here/bin" "$here/official-bin.txt" "$here/config" "$here/docker-run.sh" "$images_dir/lib.sh" "$images_dir/base/rootfs.sh" "s:$kver" "s:$tools_ver" "s:${pkgs[*]}" "s:$(pinned debian)")"
image_build_start kafka "$ref" "$hash"

log "kafka: building $ref (step 1/4: Debian root with Java 17)..."
rootfs="$(bash "$images_dir/base/rootfs.sh" kafka-base "${pkgs[@]}")"
base_hash="$(basename "$rootfs" .tar)"; base_hash="${base_hash##*-}"
base_ref="kafka-ha.local/kafka-base:$base_hash"
if ! image_current "$base_ref" "$base_hash"; then
  import_rootfs "$base_ref" "$base_hash" "$rootfs" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  # Base images of older inputs: untag them (their layers go once no image uses them).
  for t in $("$DOCKER" images kafka-ha.local/kafka-base --format '{{.Tag}}'); do
    [ "$t" = "$base_hash" ] || "$DOCKER" rmi "kafka-ha.local/kafka-base:$t" >/dev/null 2>&1 || true
  done
fi

log "kafka: building $ref (step 2/4: jars from Maven Central)..."
# mvn_libs POM OUTDIR: the runtime dependencies of POM copied into OUTDIR (cached by hash).
mvn_libs() {
  local pom="$1" h out w
  # Keyed by the pom and the versions only (bump the literal when the mvn command changes).
  h="$(hash_inputs "$pom" "s:mvn-copy-dependencies-runtime-v1" "s:$kver" "s:$tools_ver")"
  out="$cache/kafka-libs/$(basename "$pom" .xml)--$h"
  if [ ! -d "$out" ]; then
    command -v mvn >/dev/null 2>&1 || die "mvn (Maven) is needed to fetch the Kafka jars; apt-get install maven"
    w="$(mktemp -d "$cache/tmp/kafka-libs.XXXXXX")"
    cp "$pom" "$w/pom.xml"
    ( cd "$w" && nice -n 10 mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$cache/m2" \
        -Dkafka.version="$kver" -Dkafka.tools.version="$tools_ver" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$w/libs" ) >"$w/mvn.log" 2>&1 \
      || { tail -30 "$w/mvn.log" >&2; die "mvn dependency:copy-dependencies ($(basename "$pom")) failed (log above)"; }
    mkdir -p "$(dirname "$out")"
    rm -rf "$out"; mv "$w/libs" "$out"; rm -rf "$w"
    # Jar sets of older inputs are dead weight now.
    find "$cache/kafka-libs" -mindepth 1 -maxdepth 1 -name "$(basename "$pom" .xml)--*" ! -name "$(basename "$out")" -exec rm -rf {} +
  fi
  echo "$out"
}
libs="$(mvn_libs "$here/pom.xml")"
cli_libs="$(mvn_libs "$here/pom-cli.xml")"
log "kafka:   broker: $(ls "$libs" | wc -l) jars, $(du -sh "$libs" | cut -f1); tools ($tools_ver): $(ls "$cli_libs" | wc -l) jars, $(du -sh "$cli_libs" | cut -f1)"

log "kafka: building $ref (step 3/4: /opt/kafka/bin, main classes checked)..."
ctx="$(mktemp -d "$cache/tmp/kafka-ctx.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/bin" "$ctx/libs/cli"
cp -l "$libs"/*.jar "$ctx/libs/" 2>/dev/null || cp "$libs"/*.jar "$ctx/libs/"
# A tools jar identical to a broker jar (same artifact and version: scala, jackson, log4j, ...) is
# a symlink to it, so the image carries it once (the JVM's libs/cli/* wildcard follows links).
for j in "$cli_libs"/*.jar; do
  f="$(basename "$j")"
  if [ -f "$libs/$f" ] && cmp -s "$j" "$libs/$f"; then ln -s "../$f" "$ctx/libs/cli/$f"
  else cp -l "$j" "$ctx/libs/cli/" 2>/dev/null || cp "$j" "$ctx/libs/cli/"; fi
done
cp -r "$here/config" "$ctx/config"
cp "$here/docker-run.sh" "$ctx/docker-run.sh"
cp "$here/bin"/*.sh "$ctx/bin/"
# has_class CLASS: the class is in the jars kafka-run-class.sh would put on its class path.
has_class() {
  local dir; dir="$(KAFKA_HA_PRINT_LIBS=1 bash "$ctx/bin/kafka-run-class.sh" "$1")"
  # (grep reads everything: with -q it would stop early and fail the pipe under pipefail)
  for j in "$dir"/*.jar; do unzip -Z1 "$j"; done | grep -x "${1//.//}.class" >/dev/null
}
# wrapper SCRIPT CLASS HEAP KIND: the text of a generated command wrapper (see bin/commands.tsv)
wrapper() {
  printf '#!/usr/bin/env bash\n# %s: runs %s (generated by scripts/images/kafka/build.sh)\n' "$1" "$2"
  [ "$3" = - ] || printf 'export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:-%s}"\n' "$3"
  if [ "$4" = connect ]; then
    printf '[ $# -ge 1 ] || { echo "usage: $0 [-daemon] <properties file> [connector configs...]" >&2; exit 1; }\n'
    printf 'export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$(dirname "${BASH_SOURCE[0]}")/../config/log4j2.yaml}"\n'
    printf 'daemon=(); [ "$1" = -daemon ] && { daemon=(-daemon); shift; }\n'
    printf 'exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" "${daemon[@]}" -name %s %s "$@"\n' "${1%.sh}" "$2"
  else
    printf 'exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" %s "$@"\n' "$2"
  fi
}
while IFS=$'\t' read -r script class heap kind; do
  case "$script" in ''|'#'*) continue ;; esac
  has_class "$class" || die "main class $class of $script is in none of the jars it runs with"
  wrapper "$script" "$class" "$heap" "${kind:-}" > "$ctx/bin/$script"
done < "$here/bin/commands.tsv"
has_class kafka.Kafka || die "kafka.Kafka is in none of the jars"
for class in org.apache.kafka.trogdor.agent.Agent org.apache.kafka.trogdor.coordinator.Coordinator; do
  has_class "$class" || die "trogdor.sh: $class is in none of the jars"
done
# The image's bin/ is the official one, no more and no less.
diff <(grep -v '^#' "$here/official-bin.txt" | sort) <(ls "$ctx/bin" | sort) >&2 \
  || die "/opt/kafka/bin differs from official-bin.txt (< missing, > extra)"
chmod 0755 "$ctx"/bin/*.sh "$ctx/docker-run.sh"

log "kafka: building $ref (step 4/4: docker build)..."
"$DOCKER" build -q --build-arg "BASE=$base_ref" --label "kafka-ha.inputs=$hash" \
  --label "org.opencontainers.image.version=$kver" -t "$ref" -f "$here/Dockerfile" "$ctx" 2> >(grep -v -iE 'deprecated|buildx|buildkit|legacy builder|^\s*$|install the buildx|environment-variable|docs.docker.com' >&2) >/dev/null \
  || die "docker build failed"
log "kafka: built $ref in $(timer_secs)s, $(image_size "$ref")"
echo "$ref"
