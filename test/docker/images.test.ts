// The locally built images (scripts/images), checked in Docker alone: no cluster needed (tier
// test/docker: needs a Docker engine, which scripts/env/docker/ensure-docker.sh provides; not k3d).
//  - Kafka: the official layout the chart relies on, and a real KRaft node formatted, started and
//    producing/consuming inside its container (scripts/images/kafka/verify.sh);
//  - k3d-tools: what k3d execs in it (save-image through the Docker socket, getent, sh, rm);
//  - pause: stops cleanly on SIGTERM.
// Builds each image on demand (cached by hash: seconds when current). Traffic stays inside the
// containers this test starts.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { buildImage } from "../../scripts/images/index.js";
import { dockerClient } from "../../scripts/lib/run.js";
import { REPO_ROOT } from "../../scripts/lib/paths.js";

const Images = suite("local images");
const started: string[] = [];
let docker = "docker";

Images.before(async () => {
  docker = await dockerClient();
});
Images.after(async () => {
  for (const c of started) await execa(docker, ["rm", "-f", "-v", c], { reject: false });
});

const run = async (args: string[]): Promise<string> => (await execa(docker, args)).stdout;

/** The official distribution's bin/ (scripts/images/kafka/official-bin.txt: one name a line, # comments). */
const officialBin = (): string[] =>
  readFileSync(path.join(REPO_ROOT, "scripts/images/kafka/official-bin.txt"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .sort();

Images("kafka image has the official layout: exactly the official /opt/kafka/bin scripts, libs, appuser uid 1000, bash", async () => {
  const ref = await buildImage("kafka");
  const script = [
    "id -u; id -un",
    "command -v bash",
    "ls /opt/kafka/libs/kafka_2.13-*.jar | wc -l",
    "stat -c %U /var/lib/kafka/data /opt/kafka",
    'for f in /opt/kafka/bin/*; do test -x "$f" && echo "bin:${f##*/}" || echo "not-executable:${f##*/}"; done',
  ].join("; ");
  const out = (await run(["run", "--rm", "--entrypoint", "bash", ref, "-c", script])).split("\n");
  assert.is(out[0], "1000");
  assert.is(out[1], "appuser");
  assert.is(out[2], "/usr/bin/bash");
  assert.is(out[3], "1", "exactly one kafka_2.13 jar in /opt/kafka/libs");
  assert.equal(out.slice(4, 6), ["appuser", "appuser"]);
  assert.equal(
    out.filter((l) => l.startsWith("not-executable:")),
    [],
    "every script is executable",
  );
  assert.equal(
    out
      .filter((l) => l.startsWith("bin:"))
      .map((l) => l.slice(4))
      .sort(),
    officialBin(),
    "/opt/kafka/bin is the official list",
  );
});

Images("kafka image: the benchmark, verification and other tools run (--help), one per jar family", async () => {
  const ref = await buildImage("kafka");
  // script (and arguments) -> what its help or usage text says; each family of jars once: kafka-tools,
  // Connect/MirrorMaker, the metadata shell, Trogdor.
  const tools: [string, RegExp][] = [
    ["kafka-producer-perf-test.sh --help", /usage: kafka-producer-perf-test/],
    ["kafka-verifiable-producer.sh --help", /usage: verifiable-producer/],
    ["kafka-verifiable-consumer.sh --help", /usage: verifiable-consumer/],
    ["kafka-consumer-perf-test.sh --help", /verify the consumer performance/],
    ["kafka-e2e-latency.sh", /measures end-to-end latency/],
    ["kafka-acls.sh --help", /manage acls/],
    ["connect-mirror-maker.sh --help", /MirrorMaker 2\.0 driver/],
    ["kafka-metadata-shell.sh --help", /The Apache Kafka metadata shell/],
    ["trogdor.sh agent --help", /The Trogdor fault injection agent/],
  ];
  const script = tools.map(([cmd]) => `echo "=== ${cmd}"; /opt/kafka/bin/${cmd} 2>&1`).join("; ");
  const r = await execa(
    docker,
    [
      "run",
      "--rm",
      "-e",
      "KAFKA_HEAP_OPTS=-Xmx128m",
      "-e",
      "KAFKA_JVM_PERFORMANCE_OPTS=-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
      "--entrypoint",
      "bash",
      ref,
      "-c",
      script,
    ],
    { reject: false, timeout: 240_000 },
  );
  const sections = new Map(
    r.stdout
      .split(/^=== /m)
      .filter(Boolean)
      .map((s) => [s.slice(0, s.indexOf("\n")), s.slice(s.indexOf("\n") + 1)]),
  );
  for (const [cmd, expected] of tools) {
    const out = sections.get(cmd) ?? "";
    assert.match(out, expected, `${cmd} printed:\n${out}`);
    assert.not.match(out, /Exception|NoClassDefFoundError|Error:/, `${cmd} failed:\n${out}`);
  }
});

Images("kafka image: format, start a KRaft combined node as uid 1000, produce and consume 200 records", async () => {
  const ref = await buildImage("kafka");
  const r = await execa("bash", [path.join(REPO_ROOT, "scripts/images/kafka/verify.sh"), ref], { reject: false, timeout: 300_000 });
  assert.is(r.exitCode, 0, `verify.sh failed:\n${r.stderr.split("\n").slice(-30).join("\n")}`);
  assert.match(r.stderr, /kafka verify: OK in \d+s: formatted, started, 200 records produced and consumed/);
});

Images("k3d-tools: noop keeps running; save-image writes a docker-save tarball; getent and sh work", async () => {
  const tools = await buildImage("k3d-tools");
  const pause = await buildImage("pause");
  const name = `kafka-ha-test-tools-${process.pid}`;
  started.push(name);
  // As k3d starts it: the Docker socket and a volume for the tarballs, the argument "noop".
  await run([
    "run",
    "-d",
    "--name",
    name,
    "-v",
    "/var/run/docker.sock:/var/run/docker.sock",
    "--add-host",
    "kafka-ha-test.internal:127.0.0.42",
    "--tmpfs",
    "/k3d/images",
    tools,
    "noop",
  ]);
  assert.is(await run(["inspect", "-f", "{{.State.Running}}", name]), "true");
  const save = await run(["exec", name, "./k3d-tools", "save-image", "-d", "/k3d/images/t.tar", pause]);
  assert.match(save, "saved images");
  const listing = await run(["exec", name, "sh", "-c", "tar tf /k3d/images/t.tar; rm -f /k3d/images/t.tar; ls /k3d/images | wc -l"]);
  assert.ok(listing.split("\n").includes("manifest.json"), `no manifest.json in the tarball: ${listing}`);
  assert.is(listing.split("\n").pop(), "0", "rm -f removed the tarball");
  const missing = await execa(docker, ["exec", name, "./k3d-tools", "save-image", "-d", "/k3d/images/x.tar", "kafka-ha.local/no-such-image:1"], {
    reject: false,
  });
  assert.is.not(missing.exitCode, 0);
  assert.match(missing.stderr, "docker engine answered 404");
  // k3d's host lookup: sh -c "getent ahostsv4 NAME", matched by /<ip>\s+STREAM.+/
  const ent = await run(["exec", name, "sh", "-c", "getent ahostsv4 'kafka-ha-test.internal'"]);
  assert.match(ent, /^127\.0\.0\.42\s+STREAM kafka-ha-test\.internal/);
});

Images("pause: stops at once, exit 0, on SIGTERM", async () => {
  const pause = await buildImage("pause");
  const name = `kafka-ha-test-pause-${process.pid}`;
  started.push(name);
  await run(["run", "-d", "--name", name, pause]);
  const t0 = Date.now();
  await run(["stop", "-t", "10", name]);
  assert.ok(Date.now() - t0 < 5000, "pause ignored SIGTERM (docker stop waited for the kill)");
  assert.is(await run(["inspect", "-f", "{{.State.ExitCode}}", name]), "0");
});

Images.run();
