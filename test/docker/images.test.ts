// The locally built images (scripts/images), checked in Docker alone: no cluster needed (tier
// test/docker: needs a Docker engine, which scripts/docker/ensure-docker.sh provides; not k3d).
//  - Kafka: the official layout the chart relies on, and a real KRaft node formatted, started and
//    producing/consuming inside its container (scripts/images/kafka/verify.sh);
//  - k3d-tools: what k3d execs in it (save-image through the Docker socket, getent, sh, rm);
//  - pause: stops cleanly on SIGTERM.
// Builds each image on demand (cached by hash: seconds when current). Traffic stays inside the
// containers this test starts.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { buildImage, dockerClient } from "../../scripts/images/index.js";

const root = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
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

Images("kafka image has the official layout: /opt/kafka/bin scripts, libs, appuser uid 1000, bash", async () => {
  const ref = await buildImage("kafka");
  const script = [
    "id -u; id -un",
    "command -v bash",
    "ls /opt/kafka/libs/kafka_2.13-*.jar | wc -l",
    ...["kafka-server-start", "kafka-storage", "kafka-topics", "kafka-metadata-quorum", "kafka-configs", "kafka-features",
      "kafka-console-producer", "kafka-console-consumer", "kafka-broker-api-versions", "kafka-run-class", "kafka-get-offsets",
      "kafka-reassign-partitions", "kafka-leader-election"].map((s) => `test -x /opt/kafka/bin/${s}.sh && echo ok:${s}`),
    "stat -c %U /var/lib/kafka/data /opt/kafka",
  ].join("; ");
  const out = (await run(["run", "--rm", "--entrypoint", "bash", ref, "-c", script])).split("\n");
  assert.is(out[0], "1000");
  assert.is(out[1], "appuser");
  assert.is(out[2], "/usr/bin/bash");
  assert.is(out[3], "1", "exactly one kafka_2.13 jar in /opt/kafka/libs");
  assert.is(out.filter((l) => l.startsWith("ok:")).length, 13, `missing scripts: ${out.join(" ")}`);
  assert.equal(out.slice(-2), ["appuser", "appuser"]);
});

Images("kafka image: format, start a KRaft combined node as uid 1000, produce and consume 200 records", async () => {
  const ref = await buildImage("kafka");
  const r = await execa("bash", [path.join(root, "scripts/images/kafka/verify.sh"), ref], { reject: false, timeout: 300_000 });
  assert.is(r.exitCode, 0, `verify.sh failed:\n${r.stderr.split("\n").slice(-30).join("\n")}`);
  assert.match(r.stderr, /kafka verify: OK in \d+s: formatted, started, 200 records produced and consumed/);
});

Images("k3d-tools: noop keeps running; save-image writes a docker-save tarball; getent and sh work", async () => {
  const tools = await buildImage("k3d-tools");
  const pause = await buildImage("pause");
  const name = `kafka-ha-test-tools-${process.pid}`;
  started.push(name);
  // As k3d starts it: the Docker socket and a volume for the tarballs, the argument "noop".
  await run(["run", "-d", "--name", name, "-v", "/var/run/docker.sock:/var/run/docker.sock",
    "--add-host", "kafka-ha-test.internal:127.0.0.42", "--tmpfs", "/k3d/images", tools, "noop"]);
  assert.is(await run(["inspect", "-f", "{{.State.Running}}", name]), "true");
  const save = await run(["exec", name, "./k3d-tools", "save-image", "-d", "/k3d/images/t.tar", pause]);
  assert.match(save, "saved images");
  const listing = await run(["exec", name, "sh", "-c", "tar tf /k3d/images/t.tar; rm -f /k3d/images/t.tar; ls /k3d/images | wc -l"]);
  assert.ok(listing.split("\n").includes("manifest.json"), `no manifest.json in the tarball: ${listing}`);
  assert.is(listing.split("\n").pop(), "0", "rm -f removed the tarball");
  const missing = await execa(docker, ["exec", name, "./k3d-tools", "save-image", "-d", "/k3d/images/x.tar", "kafka-ha.local/no-such-image:1"], { reject: false });
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
