// start.sh and BootstrapState with real Kafka: three containers of the Kafka image on one Docker
// network run the chart's start.sh as the pods do (combined mode, the chart's rendered
// server.properties), outside Kubernetes. Proves with Kafka itself what the unit tier replays with
// stubs: two controllers wait while the third is missing, then all three take the first start
// together and stop serving FIRST-START once Kafka has a leader (the quorum-state file start.sh
// reads); a controller whose volume is wiped later joins the leader with a new directory id and
// never formats with the initial voter set again.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { buildImage } from "../../scripts/images/index.js";
import { dockerClient } from "../../scripts/lib/run.js";
import { chartDir, render } from "../helpers/render.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";

const t = suite("quorum first start with real Kafka");
const CLUSTER = "MkU3OEVBNTcwNTJENDM2Qg";
const DOMAIN = "kq.test";
const tag = `kafka-ha-quorum-${process.pid}`;
const host = (i: number): string => `kafka-ha-${i}.${DOMAIN}`;
const name = (i: number): string => `${tag}-${i}`;
const VOTERS = [0, 1, 2].map((i) => `${i}@${host(i)}:9093`).join(" ");
const directoryId = (id: number): string => createHash("sha256").update(`${CLUSTER}/${id}`).digest().subarray(0, 16).toString("base64url");
const TOOL = 'KAFKA_HEAP_OPTS="-Xmx128m" KAFKA_JVM_PERFORMANCE_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"';

let docker = "docker";
let image = "";
let files = "";

const dk = async (args: string[], timeoutMs = 120000): Promise<string> => {
  const r = await execa(docker, args, { reject: false, all: true, timeout: timeoutMs });
  if (r.exitCode !== 0) throw new Error(`docker ${args.slice(0, 3).join(" ")}: exit ${r.exitCode}\n${r.all ?? ""}`);
  return r.stdout;
};
const logs = async (i: number): Promise<string> => (await execa(docker, ["logs", name(i)], { reject: false, all: true })).all ?? "";
const sh = (i: number, script: string, timeoutMs = 120000): Promise<string> => dk(["exec", name(i), "bash", "-c", script], timeoutMs);

/** Node i as its pod would run: the chart's start.sh, its classes (BootstrapState, the readiness check on CLASSPATH), its own volume. */
/** The CLASSPATH of the pod template's kafka container (the readiness check's class directory). */
let classpath = "";

const startNode = (i: number): Promise<string> =>
  dk([
    "run",
    "-d",
    "--name",
    name(i),
    "--network",
    tag,
    "--network-alias",
    host(i),
    "-v",
    `${tag}-data-${i}:/var/lib/kafka/data`,
    "-v",
    `${files}:/opt/kafka-ha:ro`,
    "--tmpfs",
    "/run/kafka-ha:mode=1777",
    "-e",
    `POD_NAME=kafka-ha-${i}`,
    "-e",
    `CLUSTER_ID=${CLUSTER}`,
    "-e",
    "KAFKA_HA_ROLE=combined",
    "-e",
    "KAFKA_HA_CONTROLLERS=3",
    "-e",
    `KAFKA_HA_DOMAIN=${DOMAIN}`,
    "-e",
    `KAFKA_HA_VOTERS=${VOTERS}`,
    "-e",
    "KAFKA_HA_BOOTSTRAP_PORT=9096",
    ...["CLIENT=9092", "CONTROLLER=9093", "INTERNAL=9094", "EXTERNAL=9095"].flatMap((p) => ["-e", `KAFKA_HA_${p.replace("=", "_PORT=")}`]),
    "-e",
    "KAFKA_HA_CONFIG_TEMPLATE=/opt/kafka-ha/config/server.properties",
    "-e",
    "KAFKA_HA_RUN_DIR=/run/kafka-ha",
    "-e",
    "KAFKA_HA_DATA_DIR=/var/lib/kafka/data/logs",
    "-e",
    `CLASSPATH=${classpath}`,
    "-e",
    "KAFKA_HEAP_OPTS=-Xmx320m -Xms320m",
    "--entrypoint",
    "bash",
    image,
    "/opt/kafka-ha/scripts/start.sh",
  ]);

const started = async (i: number): Promise<boolean> => (await logs(i)).includes("Kafka Server started");

t.before(async () => {
  docker = await dockerClient();
  image = await buildImage("kafka");
  files = mkdtempSync(join(tmpdir(), "kafka-ha-quorum-files-"));
  mkdirSync(join(files, "scripts/quorum"), { recursive: true });
  mkdirSync(join(files, "config"));
  cpSync(join(chartDir, "files/scripts/start.sh"), join(files, "scripts/start.sh"));
  cpSync(join(chartDir, "files/quorum/BootstrapState.class"), join(files, "scripts/quorum/BootstrapState.class"));
  // server.properties lists the in-JVM readiness check in metric.reporters: Kafka does not start
  // without the class on the CLASSPATH the pod template sets.
  mkdirSync(join(files, "scripts/readiness"));
  cpSync(join(chartDir, "files/readiness/KafkaHaReadinessReporter.class"), join(files, "scripts/readiness/KafkaHaReadinessReporter.class"));
  const rendered = await render({ clusterId: CLUSTER });
  const cm = rendered.get<{ data: Record<string, string> }>("ConfigMap", "kafka-ha-config");
  writeFileSync(join(files, "config/server.properties"), cm.data["server.properties"] ?? "");
  const kafka = rendered
    .get<{ spec: { template: { spec: { containers: { name: string; env: { name: string; value?: string }[] }[] } } } }>("StatefulSet", "kafka-ha")
    .spec.template.spec.containers.find((c) => c.name === "kafka");
  classpath = kafka?.env.find((v) => v.name === "CLASSPATH")?.value ?? "";
  assert.is(classpath, "/opt/kafka-ha/scripts/readiness", "the pod template's CLASSPATH points at the scripts volume's readiness class");
  await execa("chmod", ["-R", "a+rX", files]);
  await dk(["network", "create", tag]);
});

t.after(async () => {
  for (const i of [0, 1, 2]) await execa(docker, ["rm", "-f", "-v", name(i)], { reject: false });
  for (const i of [0, 1, 2]) await execa(docker, ["volume", "rm", "-f", `${tag}-data-${i}`], { reject: false });
  await execa(docker, ["network", "rm", tag], { reject: false });
  if (files) rmSync(files, { recursive: true, force: true });
});

t("first start: two controllers wait for the missing third, then all three format with the initial voters; a wiped one later joins", async () => {
  await startNode(0);
  await startNode(1);
  await waitFor(async () => /waiting: .*voter 2 \(kafka-ha-2\.kq\.test\) is unreachable/.test(await logs(0)) && /waiting: .*voter 2/.test(await logs(1)), {
    what: "nodes 0 and 1 to wait for node 2",
    timeoutMs: 60000,
    intervalMs: 1000,
  });
  await sleep(5000);
  for (const i of [0, 1]) assert.not.match(await logs(i), "formatting", `node ${i} formatted while node 2 was missing`);
  // Each one serves EMPTY while it waits.
  assert.is((await sh(0, `exec 3<>/dev/tcp/${host(1)}/9096; read -r -t 2 l <&3; echo "$l"`)).trim(), `EMPTY ${CLUSTER}`);

  const t0 = Date.now();
  await startNode(2);
  await waitFor(async () => (await Promise.all([0, 1, 2].map(started))).every(Boolean), {
    what: "three Kafka servers started",
    timeoutMs: 240000,
    intervalMs: 2000,
  });
  const formedSeconds = Math.round((Date.now() - t0) / 1000);
  for (const i of [0, 1, 2]) {
    const l = await logs(i);
    assert.match(l, "every other initial voter is empty or starting for the first time: first start of cluster", `node ${i}`);
    assert.match(l, `--initial-controllers ${[0, 1, 2].map((j) => `${j}@${host(j)}:9093:${directoryId(j)}`).join(",")}`, `node ${i}`);
  }
  // FIRST-START ends once Kafka has a leader: the marker goes and the port closes.
  await waitFor(async () => (await Promise.all([0, 1, 2].map(async (i) => /quorum leader seen: the first start is over/.test(await logs(i))))).every(Boolean), {
    what: "every node to stop serving FIRST-START",
    timeoutMs: 60000,
    intervalMs: 1000,
  });
  const quorumState = await sh(0, "cat /var/lib/kafka/data/logs/__cluster_metadata-0/quorum-state; ls -a /var/lib/kafka/data/logs");
  process.stderr.write(`[quorum test] formed ${formedSeconds}s after node 2 started; node 0 quorum-state and data dir: ${quorumState}\n`);
  assert.match(quorumState, /"leaderId":\s*[0-2]/);
  assert.not.match(quorumState, ".kafka-ha-first-start");
  await sleep(1500);
  for (const i of [1, 2]) {
    const probe = await execa(docker, ["exec", name(0), "bash", "-c", `timeout 3 bash -c 'exec 3<>/dev/tcp/${host(i)}/9096'`], { reject: false });
    assert.is.not(probe.exitCode, 0, `node ${i} still serves its bootstrap port`);
  }
  const status = await sh(0, `${TOOL} kafka-metadata-quorum.sh --bootstrap-controller ${host(0)}:9093 describe --status`);
  for (const i of [0, 1, 2]) assert.match(status, `"id": ${i}, "directoryId": "${directoryId(i)}"`);

  // Metadata committed by the quorum, then node 0 loses its volume and comes back empty.
  await sh(
    1,
    `${TOOL} kafka-topics.sh --bootstrap-server ${host(1)}:9092 --create --topic kept --partitions 3 --replication-factor 3 --config retention.ms=4242000`,
  );
  await dk(["rm", "-f", name(0)]);
  await dk(["volume", "rm", `${tag}-data-0`]);
  await startNode(0);
  await waitFor(() => started(0), { what: "node 0 back", timeoutMs: 240000, intervalMs: 2000 });
  const l0 = await logs(0);
  assert.match(l0, /an existing quorum \(leader [12]\) answers/);
  assert.not.match(l0, "--initial-controllers", "a wiped controller of a formed cluster formatted with the initial voter set");
  assert.match(l0, `removing that entry`);
  const replication = await waitFor(
    async () => {
      const r = await sh(1, `${TOOL} kafka-metadata-quorum.sh --bootstrap-controller ${host(1)}:9093 describe --replication`);
      const line = r.split("\n").find((x) => /^0\s/.test(x));
      return line && /Leader|Follower/.test(line) && !line.includes(directoryId(0)) ? r : undefined;
    },
    { what: "node 0 a voter again with a new directory id", timeoutMs: 120000, intervalMs: 5000, probeTimeoutMs: 60000 },
  );
  process.stderr.write(`[quorum test] after the wipe:\n${replication}\n`);
  const described = await sh(0, `${TOOL} kafka-configs.sh --bootstrap-server ${host(0)}:9092 --describe --entity-type topics --entity-name kept`);
  assert.match(described, "retention.ms=4242000");
});

t.run();
