// The metrics agent image (scripts/images/jmx-exporter, issue 11), checked in Docker alone the way
// the chart uses it (tier test/docker: needs a Docker engine, not k3d):
//  - the init container copies `metrics.image.jarPath` (values.yaml's default) into a shared volume
//    with the image's `cp`, as uid 1000 from a read-only root with every capability dropped;
//  - the copy is byte for byte the jar Maven Central serves (sha256 of a fresh download, sha1 equal
//    to Maven Central's .sha1), and a Java agent (Premain-Class in its manifest);
//  - the Kafka image's JVM, started by Kafka's own scripts with the agent in KAFKA_OPTS, loads it
//    from the volume and serves /metrics with Kafka's MBeans.
// Builds the images on demand (cached by hash: under a second when current). The one download is
// the jar from Maven Central; the agent's port stays inside its container.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { buildImage, metricsAgentImage } from "../../scripts/images/index.js";
import { dockerClient } from "../../scripts/lib/run.js";
import { pinned } from "../../scripts/lib/versions.js";
import { render } from "../helpers/render.js";
import { REPO_ROOT } from "../../scripts/lib/paths.js";

const Agent = suite("metrics agent image");
const volume = `kafka-ha-test-agent-${process.pid}`;
let docker = "docker";
let image = "";

const values = parse(readFileSync(path.join(REPO_ROOT, "values.yaml"), "utf8")) as { metrics: { image: { jarPath: string } } };
/** Where the chart's init container copies from: values.yaml's default metrics.image.jarPath. */
const jarPath = values.metrics.image.jarPath;
/** The name the chart's init container gives the copy (templates/_pod.tpl: `cp <jarPath> <dir>/<name>`). */
const jarName = "jmx_prometheus_javaagent.jar";
const version = pinned("jmxExporter");
const mavenUrl = `https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/${version}/jmx_prometheus_javaagent-${version}.jar`;

const run = async (args: string[]): Promise<string> => (await execa(docker, args, { timeout: 120_000 })).stdout;
const digest = (algorithm: string, data: Buffer): string => createHash(algorithm).update(data).digest("hex");

Agent.before(async () => {
  docker = await dockerClient();
  image = await metricsAgentImage();
  await run(["volume", "create", volume]);
  // A Kubernetes emptyDir is mode 0777; a fresh Docker volume is root's 0755, so open it up first.
  await run(["run", "--rm", "--user", "0", "-v", `${volume}:/agent`, image, "chmod", "0777", "/agent"]);
});
Agent.after(async () => {
  await execa(docker, ["volume", "rm", "-f", volume], { reject: false });
});

Agent("the image: jar at metrics.image.jarPath, root-owned, mode 0444; labels carry the version and sha256; runs as nobody", async () => {
  assert.is(image, `kafka-ha.local/jmx-exporter:${version}`);
  assert.is(await run(["run", "--rm", image, "stat", "-c", "%a %u:%g", jarPath]), "444 0:0");
  const config = JSON.parse(await run(["image", "inspect", "--format", "{{json .Config}}", image])) as { User: string; Labels: Record<string, string> };
  assert.is(config.User, "65534:65534");
  assert.is(config.Labels["org.opencontainers.image.version"], version);
  assert.is(config.Labels["kafka-ha.jar.path"], jarPath);
  assert.match(config.Labels["kafka-ha.jar.sha256"] ?? "", /^[0-9a-f]{64}$/);
  assert.match(config.Labels["kafka-ha.inputs"] ?? "", /^[0-9a-f]{16}$/);
});

/** The chart's init container command, as rendered with metrics on (templates/_pod.tpl). */
async function initCommand(): Promise<string[]> {
  const r = await render({ metrics: { enabled: true, image: { repository: "kafka-ha.local/jmx-exporter" } } });
  const init = (
    r.get<{ spec: { template: { spec: { initContainers: { name: string; command: string[] }[] } } } }>("StatefulSet", "kafka-ha").spec.template.spec
      .initContainers ?? []
  ).find((c) => c.name === "metrics-agent");
  assert.ok(init, "the StatefulSet has the metrics-agent init container");
  return init.command;
}

Agent(
  "init container: the chart's command as uid 1000, read-only root, no capabilities, twice (a node reboot re-runs it on the same emptyDir); the copy is Maven Central's jar",
  async () => {
    const command = await initCommand();
    const dir = path.dirname(command.at(-1) ?? "");
    assert.is(path.basename(command.at(-1) ?? ""), jarName);
    for (const attempt of ["first run", "second run on the same volume"]) {
      const cp = await execa(
        docker,
        [
          "run",
          "--rm",
          "--read-only",
          "--user",
          "1000",
          "--cap-drop",
          "ALL",
          "--security-opt",
          "no-new-privileges",
          "-v",
          `${volume}:${dir}`,
          image,
          ...command,
        ],
        { reject: false, timeout: 60_000 },
      );
      assert.is(cp.exitCode, 0, `${attempt}: ${command.join(" ")} failed: ${cp.stderr}`);
    }
    const copied = (await run(["run", "--rm", "-v", `${volume}:/agent`, image, "sha256sum", `/agent/${jarName}`])).split(/\s+/)[0];

    const res = await fetch(mavenUrl, { signal: AbortSignal.timeout(60_000) });
    assert.ok(res.ok, `${mavenUrl}: HTTP ${res.status}`);
    const jar = Buffer.from(await res.arrayBuffer());
    const sha1 = await fetch(`${mavenUrl}.sha1`, { signal: AbortSignal.timeout(30_000) });
    assert.ok(sha1.ok, `${mavenUrl}.sha1: HTTP ${sha1.status}`);
    assert.is(digest("sha1", jar), (await sha1.text()).trim().split(/\s+/)[0], "the download matches Maven Central's .sha1");

    assert.is(copied, digest("sha256", jar), "the copy's sha256 is the Maven Central jar's");
    const label = await run(["image", "inspect", "--format", '{{ index .Config.Labels "kafka-ha.jar.sha256" }}', image]);
    assert.is(label, copied, "the image label names the jar it carries");
  },
);

Agent("the jar is a Java agent: its manifest has Premain-Class", async () => {
  const manifest = await run(["run", "--rm", image, "unzip", "-p", jarPath, "META-INF/MANIFEST.MF"]);
  assert.match(manifest, /^Premain-Class: io\.prometheus\.jmx\.JavaAgent\r?$/m);
  assert.match(manifest, new RegExp(`^Implementation-Version: ${version.replaceAll(".", "\\.")}\\r?$`, "m"));
});

Agent("the Kafka image's JVM loads the copied agent (KAFKA_OPTS -javaagent) and serves /metrics with Kafka MBeans", async () => {
  const kafka = await buildImage("kafka");
  // A JVM that stays up without a broker: the console consumer retries 127.0.0.1:1 until killed,
  // and registers its consumer MBeans meanwhile. The copy from the test above is in the volume.
  const script = [
    `printf 'rules:\\n- pattern: ".*"\\n' > /tmp/jmx.yaml`,
    `export KAFKA_OPTS="-javaagent:/agent/${jarName}=9404:/tmp/jmx.yaml"`,
    "/opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server 127.0.0.1:1 --topic t >/dev/null 2>/tmp/err & pid=$!",
    'for i in $(seq 150); do curl -fsS http://127.0.0.1:9404/metrics >/tmp/m 2>/dev/null && grep -q "^kafka_consumer" /tmp/m && break; sleep 0.2; done',
    "kill $pid",
    'cat /tmp/m; grep -i "exporter" /tmp/err >&2 || true',
  ].join("\n");
  const r = await execa(docker, ["run", "--rm", "--user", "1000", "-v", `${volume}:/agent:ro`, "--entrypoint", "bash", kafka, "-c", script], {
    reject: false,
    timeout: 90_000,
  });
  assert.match(r.stdout, `jmx_exporter_build_info{name="jmx_prometheus_javaagent",version="${version}"} 1`, `no agent metrics:\n${r.stderr}`);
  assert.match(r.stdout, /^jmx_scrape_error 0\.0$/m);
  assert.match(r.stdout, /^kafka_consumer_\w+/m, "Kafka's consumer MBeans are exported");
});

Agent.run();
