#!/usr/bin/env bash
# kafka-ha.local/jmx-exporter:<jmxExporter of versions.json>: the init-container image of
# `metrics.image` (issue 11). It carries the Prometheus JMX exporter Java agent
# (io.prometheus.jmx:jmx_prometheus_javaagent, from Maven Central) at $jar_path, mode 0444, on
# kafka-ha.local/busybox (scripts/images/busybox), whose `cp` the chart's init container runs as
# uid 1000 with a read-only root: `cp <metrics.image.jarPath> /agent/`. No upstream image we trust
# carries the jar, so this is the image users build and push (scripts/images/README.md).
# The jar is checked against Maven Central's .sha1 (and .sha512 when served) and cached under
# $cache/jars. Prints the image ref.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
docker_cli
export DOCKER_BUILDKIT=0
ver="$(pinned jmxExporter)"
ref="kafka-ha.local/jmx-exporter:$ver"
# values.yaml's default metrics.image.jarPath (test/unit/metrics-image.test.ts keeps them equal).
jar_path=/jmx_prometheus_javaagent.jar
url="https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/$ver/jmx_prometheus_javaagent-$ver.jar"

# checksum_of URL OUT: the digest Maven Central serves at URL (first word of the file) into OUT;
# status 2 when it serves none (404), dies on any other failure.
checksum_of() {
  local code
  code="$(curl -sS -L --retry 3 --connect-timeout 20 -o "$2" -w '%{http_code}' "$1")" || die "downloading $1 failed"
  [ "$code" = 404 ] && return 2
  [ "$code" = 200 ] || die "downloading $1: HTTP $code"
  awk 'NR==1 { print $1 }' "$2" > "$2.1" && mv "$2.1" "$2"
}

# The verified jar, downloaded once (temp path, verified, then renamed into the cache).
jar="$cache/jars/jmx_prometheus_javaagent-$ver.jar"
if [ ! -f "$jar" ]; then
  log "jmx-exporter: downloading $url"
  mkdir -p "$cache/jars"
  dl="$(mktemp -d "$cache/tmp/jmx-exporter-jar.XXXXXX")"
  trap 'rm -rf "$dl"' EXIT
  curl -fsS -L --retry 3 --connect-timeout 20 -o "$dl/jar" "$url" || die "downloading $url failed"
  checksum_of "$url.sha1" "$dl/sha1" || die "Maven Central serves no $url.sha1"
  [ "$(sha1sum < "$dl/jar" | cut -d' ' -f1)" = "$(cat "$dl/sha1")" ] || die "$url does not match its .sha1"
  verified=".sha1"
  rc=0; checksum_of "$url.sha512" "$dl/sha512" || rc=$?
  if [ "$rc" = 0 ]; then
    [ "$(sha512sum < "$dl/jar" | cut -d' ' -f1)" = "$(cat "$dl/sha512")" ] || die "$url does not match its .sha512"
    verified="$verified and .sha512"
  fi
  log "jmx-exporter: jar matches Maven Central's $verified"
  mv "$dl/jar" "$jar"
  rm -rf "$dl"; trap - EXIT
fi
jar_sha256="$(sha256sum < "$jar" | cut -d' ' -f1)"

base_ref="$(bash "$images_dir/busybox/build.sh")"
base_id="$("$DOCKER" image inspect -f '{{.Id}}' "$base_ref")"
hash="$(hash_inputs "${BASH_SOURCE[0]}" "$images_dir/lib.sh" "s:$ver" "s:$jar_sha256" "s:$base_id")"
image_build_start jmx-exporter "$ref" "$hash"
log "jmx-exporter: building $ref (step 1/1: image on $base_ref)..."
ctx="$(mktemp -d "$cache/tmp/jmx-exporter.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT
cp "$jar" "$ctx/agent.jar"
# World-readable, so any uid the pod runs as can copy it; COPY keeps the mode (root-owned).
chmod 0444 "$ctx/agent.jar"
cat > "$ctx/Dockerfile" <<EOF
ARG BASE
FROM \${BASE}
COPY agent.jar $jar_path
USER 65534:65534
EOF
"$DOCKER" build -q --build-arg "BASE=$base_ref" --label "kafka-ha.inputs=$hash" \
  --label "org.opencontainers.image.version=$ver" --label "kafka-ha.jar.path=$jar_path" \
  --label "kafka-ha.jar.sha256=$jar_sha256" --label "kafka-ha.jar.source=$url" \
  -t "$ref" "$ctx" \
  2> >(grep -v -iE 'deprecated|buildx|buildkit|legacy builder|^\s*$|environment-variable|docs.docker.com' >&2) >/dev/null \
  || die "docker build failed"
log "jmx-exporter: built $ref in $(timer_secs)s, $(image_size "$ref")"
echo "$ref"
