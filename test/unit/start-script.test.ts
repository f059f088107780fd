// files/scripts/start.sh run with bash against fake environments: the Kafka tools are stubs on PATH
// that record their calls (and kafka-storage.sh writes meta.properties as the real one does), the
// other controllers are real TCP listeners on 127.0.0.1.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { chartDir } from "../helpers/render.js";

const script = join(chartDir, "files/scripts/start.sh");
const CLUSTER = "MkU3OEVBNTcwNTJENDM2Qg";

const STORAGE_STUB = `#!/usr/bin/env bash
echo "kafka-storage.sh $*" >> "$FAKE/calls.log"
cfg="" cluster="" initial="" dir=""
while [ $# -gt 0 ]; do case "$1" in
  --config) cfg="$2"; shift ;; --cluster-id) cluster="$2"; shift ;; --initial-controllers) initial="$2"; shift ;;
esac; shift; done
logdir="$(sed -n 's/^log.dirs=//p' "$cfg")"; id="$(sed -n 's/^node.id=//p' "$cfg")"
if [ -n "$initial" ]; then dir="$(tr ',' '\\n' <<< "$initial" | sed -n "s/^$id@.*:\\([^:]*\\)$/\\1/p")"; else dir="NewDirectoryIdForDiskQ"; fi
mkdir -p "$logdir"; printf 'version=1\\ncluster.id=%s\\nnode.id=%s\\ndirectory.id=%s\\n' "$cluster" "$id" "$dir" > "$logdir/meta.properties"
`;
const QUORUM_STUB = `#!/usr/bin/env bash
echo "kafka-metadata-quorum.sh $*" >> "$FAKE/calls.log"
case "$*" in *"describe --status"*) [ -f "$FAKE/status" ] && cat "$FAKE/status" && exit 0; echo "no controller answers" >&2; exit 1 ;; esac
exit 0
`;
const SERVER_STUB = `#!/usr/bin/env bash
echo "kafka-server-start.sh $*" >> "$FAKE/calls.log"
echo "\${KAFKA_LOG4J_OPTS:-}" > "$FAKE/server-log4j"
`;

interface Fake {
  dir: string;
  data: string;
  env: Record<string, string>;
  calls(): string[];
  config(): string;
}

const servers: Server[] = [];
async function listen(): Promise<number> {
  const s = createServer((sock) => sock.destroy());
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  servers.push(s);
  return (s.address() as { port: number }).port;
}
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function fake(ports: number[], over: Record<string, string> = {}): Fake {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-start-"));
  for (const [n, body] of [["kafka-storage.sh", STORAGE_STUB], ["kafka-metadata-quorum.sh", QUORUM_STUB], ["kafka-server-start.sh", SERVER_STUB]] as const) {
    mkdirSync(join(dir, "bin"), { recursive: true });
    writeFileSync(join(dir, "bin", n), body);
    chmodSync(join(dir, "bin", n), 0o755);
  }
  mkdirSync(join(dir, "run"));
  writeFileSync(join(dir, "template.properties"), "default.replication.factor=3\nmin.insync.replicas=2\n");
  writeFileSync(join(dir, "run/rack"), "zone-b\n");
  const data = join(dir, "data/logs");
  const env: Record<string, string> = {
    FAKE: dir,
    KAFKA_HOME: dir,
    POD_NAME: "kafka-ha-2",
    CLUSTER_ID: CLUSTER,
    KAFKA_HA_ROLE: "combined",
    KAFKA_HA_CONTROLLERS: "3",
    KAFKA_HA_NODE_ID_OFFSET: "0",
    KAFKA_HA_DOMAIN: "kafka-ha-headless.kafka.svc.cluster.local",
    KAFKA_HA_VOTERS: ports.map((p, i) => `${i}@127.0.0.1:${p}`).join(" "),
    KAFKA_HA_CONFIG_TEMPLATE: join(dir, "template.properties"),
    KAFKA_HA_RUN_DIR: join(dir, "run"),
    KAFKA_HA_DATA_DIR: data,
    KAFKA_HA_RACK_FILE: join(dir, "run/rack"),
    KAFKA_HA_BOOTSTRAP_TIMEOUT: "2",
    KAFKA_HA_POLL_SECONDS: "1",
    ...over,
  };
  return {
    dir,
    data,
    env,
    calls: () => (existsSync(join(dir, "calls.log")) ? readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n") : []),
    config: () => readFileSync(join(dir, "run/server.properties"), "utf8"),
  };
}

const run = (f: Fake) => execa("bash", [script], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...f.env }, extendEnv: false, reject: false });

/** The directory id every pod derives for a voter (must equal start.sh's directory_id). */
const directoryId = (id: number): string => createHash("sha256").update(`${CLUSTER}/${id}`).digest().subarray(0, 16).toString("base64url");

const t = suite("start.sh");
const made: Fake[] = [];
t.after.each(() => {
  for (const f of made.splice(0)) rmSync(f.dir, { recursive: true, force: true });
});
t.after(() => {
  for (const s of servers) s.close();
});

t("first boot: no other controller answers, formats with the initial voter set, writes the pod's config, starts", async () => {
  const ports = [await closedPort(), await closedPort(), await closedPort()];
  const f = fake(ports);
  made.push(f);
  f.env["KAFKA_HA_LOG4J_CONFIG"] = "/cfg/log4j2.yaml";
  const r = await run(f);
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(readFileSync(join(f.dir, "server-log4j"), "utf8").trim(), "-Dlog4j2.configurationFile=/cfg/log4j2.yaml", "server gets the console log config");
  const calls = f.calls();
  const initial = ports.map((p, i) => `${i}@127.0.0.1:${p}:${directoryId(i)}`).join(",");
  assert.equal(calls, [
    `kafka-storage.sh format --cluster-id ${CLUSTER} --config ${f.dir}/run/server.properties --initial-controllers ${initial}`,
    `kafka-server-start.sh ${f.dir}/run/server.properties`,
  ]);
  assert.match(r.stderr, /first start of cluster/);
  const cfg = f.config().split("\n");
  for (const line of [
    "default.replication.factor=3",
    "node.id=2",
    "process.roles=broker,controller",
    "listeners=CLIENT://:9092,INTERNAL://:9094,CONTROLLER://:9093",
    "advertised.listeners=CLIENT://kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local:9092,INTERNAL://kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local:9094,CONTROLLER://kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local:9093",
    `controller.quorum.bootstrap.servers=${ports.map((p) => `127.0.0.1:${p}`).join(",")}`,
    `log.dirs=${f.data}`,
    "inter.broker.listener.name=INTERNAL",
    "controller.quorum.auto.join.enable=true",
    "broker.rack=zone-b",
  ])
    assert.ok(cfg.includes(line), `missing ${line} in:\n${f.config()}`);
  assert.is(readFileSync(join(f.data, "meta.properties"), "utf8").match(/directory.id=(.*)/)?.[1], directoryId(2));
});

t("restart with data: no format, no quorum look-up, starts", async () => {
  const f = fake([await closedPort(), await closedPort(), await closedPort()]);
  made.push(f);
  mkdirSync(f.data, { recursive: true });
  writeFileSync(join(f.data, "meta.properties"), `version=1\ncluster.id=${CLUSTER}\nnode.id=2\ndirectory.id=${directoryId(2)}\n`);
  writeFileSync(join(f.dir, "run/ready.ok"), `${Math.floor(Date.now() / 1000)}\n`);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(f.calls(), [`kafka-server-start.sh ${f.dir}/run/server.properties`]);
  assert.not.ok(existsSync(join(f.dir, "run/ready.ok")), "a restarted container must not inherit the cached readiness");
});

t("empty disk on an existing cluster: formats without initial controllers, retires the stale voter of the same id, starts", async () => {
  const ports = [await listen(), await listen(), await closedPort()];
  const f = fake(ports);
  made.push(f);
  const voters = [0, 1, 2].map((i) => `{"id": ${i}, "directoryId": "${i === 2 ? "OldDirectoryOfNode2xxw" : directoryId(i)}", "endpoints": ["CONTROLLER://h${i}:9093"]}`);
  writeFileSync(join(f.dir, "status"), `ClusterId:              ${CLUSTER}\nLeaderId:               1\nLeaderEpoch:            7\nHighWatermark:          4242\nMaxFollowerLag:         0\nMaxFollowerLagTimeMs:   0\nCurrentVoters:          [${voters.join(", ")}]\nCurrentObservers:       []\n`);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.stderr);
  const peers = `127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}`;
  assert.equal(f.calls(), [
    `kafka-metadata-quorum.sh --bootstrap-controller ${peers} describe --status`,
    `kafka-storage.sh format --cluster-id ${CLUSTER} --config ${f.dir}/run/server.properties --no-initial-controllers`,
    `kafka-metadata-quorum.sh --bootstrap-controller ${peers} describe --status`,
    `kafka-metadata-quorum.sh --bootstrap-controller ${peers} remove-controller --controller-id 2 --controller-directory-id OldDirectoryOfNode2xxw`,
    `kafka-server-start.sh ${f.dir}/run/server.properties`,
  ]);
  assert.match(r.stderr, /existing quorum \(leader 1\)/);
  assert.not.ok(existsSync(join(f.data, ".kafka-ha-join-pending")), "join marker cleared");
});

t("empty disk, the quorum answers but does not know this node: no removal", async () => {
  const ports = [await listen(), await closedPort(), await closedPort()];
  const f = fake(ports);
  made.push(f);
  writeFileSync(join(f.dir, "status"), `LeaderId:               0\nCurrentVoters:          [{"id": 0, "directoryId": "${directoryId(0)}", "endpoints": []}, {"id": 1, "directoryId": "${directoryId(1)}", "endpoints": []}]\n`);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.stderr);
  assert.not.ok(f.calls().some((c) => c.includes("remove-controller")));
  assert.ok(f.calls().some((c) => c.endsWith("--no-initial-controllers")));
});

t("foreign cluster id on the disk: exits non-zero naming both ids, never starts", async () => {
  const f = fake([await closedPort(), await closedPort(), await closedPort()]);
  made.push(f);
  mkdirSync(f.data, { recursive: true });
  writeFileSync(join(f.data, "meta.properties"), "version=1\ncluster.id=OtherClusterIdxxxxxxxA\nnode.id=2\n");
  const r = await run(f);
  assert.is.not(r.exitCode, 0);
  assert.match(r.stderr, /OtherClusterIdxxxxxxxA/);
  assert.match(r.stderr, new RegExp(CLUSTER));
  assert.match(r.stderr, /belongs to Kafka cluster/);
  assert.equal(f.calls(), []);
});

t("dedicated broker with an empty disk: formats as a broker without looking for the quorum; external listener", async () => {
  const f = fake([await closedPort()], {
    POD_NAME: "kafka-ha-broker-1",
    KAFKA_HA_ROLE: "broker",
    KAFKA_HA_EXTERNAL_HOST: "127.0.0.1",
    KAFKA_HA_EXTERNAL_PORT_BASE: "31090",
  });
  made.push(f);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(f.calls()[0], `kafka-storage.sh format --cluster-id ${CLUSTER} --config ${f.dir}/run/server.properties --no-initial-controllers`);
  const cfg = f.config();
  assert.ok(cfg.includes("process.roles=broker\n"));
  assert.ok(cfg.includes(",EXTERNAL://127.0.0.1:31091\n"), cfg);
  assert.not.ok(cfg.includes("CONTROLLER://:9093"));
  assert.not.ok(cfg.includes("auto.join"), "Kafka refuses auto-join on a broker-only node");
});

t("combined pod beyond the voters is a broker only", async () => {
  const f = fake([await closedPort(), await closedPort(), await closedPort()], { POD_NAME: "kafka-ha-4" });
  made.push(f);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.stderr);
  assert.ok(f.config().includes("process.roles=broker\nlisteners=CLIENT://:9092,INTERNAL://:9094\n"));
  assert.not.ok(f.config().includes("auto.join"));
  assert.ok(f.calls()[0]?.endsWith("--no-initial-controllers"));
});

t("rack awareness on but no rack file: refuses with a message", async () => {
  const f = fake([await closedPort()], { KAFKA_HA_RACK_FILE: "/nonexistent/rack" });
  made.push(f);
  const r = await run(f);
  assert.is.not(r.exitCode, 0);
  assert.match(r.stderr, /rack awareness is on but \/nonexistent\/rack is missing/);
});

t.run();
