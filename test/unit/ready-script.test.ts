// files/scripts/ready.sh against stub kafka-topics.sh / kafka-metadata-quorum.sh and a real listener
// standing in for the client and controller ports: the ISR decision (reassignments included), the
// cache of positive results, the quorum check of controller-only pods.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { chartDir } from "../helpers/render.js";
import { writeStubs } from "./fake-tools.js";

const script = join(chartDir, "files/scripts/ready.sh");
const TOPICS_STUB = `#!/usr/bin/env bash
echo "kafka-topics.sh $*" >> "$FAKE/calls.log"
[ -f "$FAKE/fail" ] && { echo "Timed out waiting for a node assignment" >&2; exit 1; }
cat "$FAKE/describe"
`;
const QUORUM_STUB = `#!/usr/bin/env bash
echo "kafka-metadata-quorum.sh $*" >> "$FAKE/calls.log"
[ -f "$FAKE/fail" ] && { echo "Timed out waiting for a node assignment" >&2; exit 1; }
cat "$FAKE/quorum"
`;
// Kafka 4.x TopicCommand: tab-separated fields; "Adding/Removing Replicas" only during a reassignment.
const line = (topic: string, p: number, reps: string, isr: string, move?: { adding: string; removing: string }): string =>
  `\tTopic: ${topic}\tTopicId: abc\tPartition: ${p}\tLeader: 1\tReplicas: ${reps}\tIsr: ${isr}` +
  (move ? `\tAdding Replicas: ${move.adding}\tRemoving Replicas: ${move.removing}` : "") +
  "\tElr: \tLastKnownElr: ";
// kafka-metadata-quorum.sh describe --replication (padded columns, as ToolsUtils.prettyPrintTable prints them).
type QuorumRow = [id: number, dir: string, lag: number, status: string];
const quorum = (rows: QuorumRow[]): string =>
  [
    "NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t",
    ...rows.map(([id, dir, lag, status]) => `${id}  \t${dir}\t${5000 - lag}        \t${lag}  \t1763900000000     \t1763900000000        \t${status}\t`),
  ].join("\n");
const DIR = "ZqUq1xv0Q3SL3nQjx3N0AA";

// Listens on 9092 and 9093 of a private loopback address when possible (127.0.0.0/8).
let host = "127.0.0.1";
const servers: Server[] = [];
async function listenOn(h: string, port: number): Promise<boolean> {
  const s = createServer((sock) => sock.destroy());
  const ok = await new Promise<boolean>((r) => {
    s.once("error", () => r(false));
    s.listen(port, h, () => r(true));
  });
  if (ok) servers.push(s);
  return ok;
}

/** The fake directories, removed after the suite. */
const dirs: string[] = [];

function fake(over: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-ready-"));
  dirs.push(dir);
  writeStubs(join(dir, "bin"), { "kafka-topics.sh": TOPICS_STUB, "kafka-metadata-quorum.sh": QUORUM_STUB });
  mkdirSync(join(dir, "run"));
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "describe"), "");
  writeFileSync(join(dir, "quorum"), "");
  const env = {
    FAKE: dir,
    KAFKA_HOME: dir,
    POD_NAME: "kafka-ha-2",
    KAFKA_HA_ROLE: "combined",
    KAFKA_HA_RUN_DIR: join(dir, "run"),
    KAFKA_HA_DATA_DIR: join(dir, "data"),
    KAFKA_HA_READY_CACHE_SECONDS: "30",
    KAFKA_HA_READY_HOST: host,
    KAFKA_HA_CLIENT_PORT: "9092",
    KAFKA_HA_CONTROLLER_PORT: "9093",
    KAFKA_HA_INTERNAL_PORT: "9094",
    ...over,
  };
  return {
    dir,
    run: () => execa("bash", [script], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...env }, extendEnv: false, reject: false }),
    describe: (lines: string[]) => writeFileSync(join(dir, "describe"), `${lines.join("\n")}\n`),
    quorum: (text: string) => writeFileSync(join(dir, "quorum"), `${text}\n`),
    directory: (id: string) => writeFileSync(join(dir, "data/meta.properties"), `version=1\nnode.id=1001\ndirectory.id=${id}\n`),
    state: (line: string) => writeFileSync(join(dir, "run/ready.state"), `${line}\n`),
    jvmRuns: () => (existsSync(join(dir, "calls.log")) ? readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n").length : 0),
  };
}

const t = suite("ready.sh");
t.before(async () => {
  // A loopback address of our own so the fixed ports 9092/9093 are free.
  for (const h of ["127.88.0.1", "127.89.0.1", "127.0.0.1"]) {
    if ((await listenOn(h, 9092)) && (await listenOn(h, 9093))) {
      host = h;
      return;
    }
    for (const s of servers.splice(0)) s.close();
  }
  throw new Error("no loopback address with free ports 9092 and 9093");
});
t.after(() => {
  for (const s of servers) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
/** A loopback address other than `host`: nothing listens there, so both ports count as closed. */
const closedHost = (): string => ("127.0.0.2" === host ? "127.0.0.3" : "127.0.0.2");
/** Controller 1 of a dedicated quorum (node ids from 1000, so node 1001). */
const CONTROLLER_ENV = { KAFKA_HA_ROLE: "controller", POD_NAME: "kafka-ha-controller-1", KAFKA_HA_NODE_ID_OFFSET: "1000" };

t("ready when every partition this broker hosts has it in the ISR; another broker missing does not matter", async () => {
  const f = fake();
  // Broker 0 is gone for good: its partitions are under-replicated, but broker 2 is in every ISR.
  f.describe([line("orders", 0, "0,1,2", "1,2"), line("orders", 1, "2,0,1", "2,1"), line("other", 0, "0,1,3", "1,3")]);
  const r = await f.run();
  assert.is(r.exitCode, 0, r.stdout + r.stderr);
  assert.is(f.jvmRuns(), 1);
});

t("not ready while this broker is missing from the ISR of a partition it hosts; names the partitions", async () => {
  const f = fake();
  f.describe([line("orders", 0, "0,1,2", "0,1"), line("orders", 3, "2,0,1", "0,1"), line("orders", 4, "1,0,12", "1,0"), line("orders", 5, "1,2,0", "")]);
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.is(r.stdout.trim(), "not ready: broker 2 is not yet in the ISR of: orders-0 orders-3 orders-5");
});

t("a positive result is cached: one JVM per cache period; a negative one is re-checked every time", async () => {
  const f = fake();
  f.describe([line("orders", 0, "0,1,2", "0,1")]);
  await f.run();
  await f.run();
  assert.is(f.jvmRuns(), 2, "negative results are not cached");
  f.describe([line("orders", 0, "0,1,2", "0,1,2")]);
  for (let i = 0; i < 3; i++) assert.is((await f.run()).exitCode, 0);
  assert.is(f.jvmRuns(), 3, "positive result reused");
  const g = fake({ KAFKA_HA_READY_CACHE_SECONDS: "0" });
  await g.run();
  await g.run();
  assert.is(g.jvmRuns(), 2);
});

t("not ready when the admin call fails; the cache is dropped", async () => {
  const f = fake();
  writeFileSync(join(f.dir, "fail"), "");
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /the admin request failed: Timed out waiting for a node assignment/);
  assert.not.ok(existsSync(join(f.dir, "run/ready.ok")));
});

t("client port closed: not ready without starting a JVM", async () => {
  const f = fake({ KAFKA_HA_READY_HOST: closedHost() });
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /client port 9092 does not accept connections/);
  assert.is(f.jvmRuns(), 0);
});

t("ISR check off: the port is enough, for brokers and controllers, no JVM", async () => {
  const f = fake({ KAFKA_HA_ISR_CHECK: "false" });
  f.describe([line("orders", 0, "0,1,2", "0,1")]);
  assert.is((await f.run()).exitCode, 0);
  const c = fake({ ...CONTROLLER_ENV, KAFKA_HA_ISR_CHECK: "false" });
  assert.is((await c.run()).exitCode, 0);
  assert.is(f.jvmRuns() + c.jvmRuns(), 0);
});

t("reassignment: a broker that only receives a partition (adding replica) is ready while it copies", async () => {
  const f = fake({ POD_NAME: "kafka-ha-3" });
  // orders-0 moves from 0,1,2 to 1,2,3 (broker 3 receives it); orders-1 grows from RF 2 to 3 (no removing replica).
  f.describe([line("orders", 0, "1,2,3,0", "0,1,2", { adding: "3", removing: "0" }), line("orders", 1, "1,2,3", "1,2", { adding: "3", removing: "" })]);
  const r = await f.run();
  assert.is(r.exitCode, 0, r.stdout);
});

t("reassignment: a broker that already hosted the partition (kept or being removed) must still be in its ISR", async () => {
  // Broker 2 restarted during the move and keeps orders-0: the "Removing/Adding Replicas" fields must
  // not be mistaken for the replica set (today's main read the last "Replicas:" field, that is "Removing").
  const kept = fake({ POD_NAME: "kafka-ha-2" });
  kept.describe([line("orders", 0, "1,2,3,0", "0,1", { adding: "3", removing: "0" }), line("orders", 1, "1,2,3", "1,3", { adding: "3", removing: "" })]);
  const r = await kept.run();
  assert.is(r.exitCode, 1, r.stdout);
  assert.is(r.stdout.trim(), "not ready: broker 2 is not yet in the ISR of: orders-0 orders-1");
  // Broker 0 gives orders-0 away but still counts until the move completes: its copy is one of the replicas.
  const leaving = fake({ POD_NAME: "kafka-ha-0" });
  leaving.describe([line("orders", 0, "1,2,3,0", "1,2", { adding: "3", removing: "0" })]);
  assert.is((await leaving.run()).stdout.trim(), "not ready: broker 0 is not yet in the ISR of: orders-0");
});

/** Controller 1001 with its directory DIR in meta.properties, and the quorum as the leader describes it (`rows`, if any). */
const controller = (rows: QuorumRow[] = [], over: Record<string, string> = {}) => {
  const c = fake({ ...CONTROLLER_ENV, ...over });
  c.directory(DIR);
  if (rows.length > 0) c.quorum(quorum(rows));
  return c;
};
/** The quorum's leader in most cases: controller 1000. */
const LEADER: QuorumRow = [1000, "aaaaaaaaaaaaaaaaaaaaaA", 0, "Leader"];

t("controller: ready when the leader lists it as a caught-up voter (follower or leader); one JVM per cache period", async () => {
  const c = controller([LEADER, [1001, DIR, 3, "Follower"], [1002, "bbbbbbbbbbbbbbbbbbbbbA", 0, "Follower"], [0, "cccccccccccccccccccccA", 0, "Observer"]]);
  const r = await c.run();
  assert.is(r.exitCode, 0, r.stdout);
  assert.is((await c.run()).exitCode, 0);
  assert.is(c.jvmRuns(), 1, "positive result cached");
  assert.match(readFileSync(join(c.dir, "calls.log"), "utf8"), /kafka-metadata-quorum\.sh --bootstrap-controller \S+:9093 describe --replication/);
  const leader = controller([
    [1001, DIR, 0, "Leader"],
    [1000, "aaaaaaaaaaaaaaaaaaaaaA", 2, "Follower"],
  ]);
  assert.is((await leader.run()).exitCode, 0);
  // No meta.properties to read the directory id from: the node id alone decides.
  const noDir = fake(CONTROLLER_ENV);
  noDir.quorum(quorum([LEADER, [1001, DIR, 0, "Follower"]]));
  assert.is((await noDir.run()).exitCode, 0);
});

t("controller: not ready as an observer, while lagging, when only a stale entry of its node id is a voter, or when the call fails", async () => {
  const observer = controller([LEADER, [1001, DIR, 0, "Observer"]]);
  assert.match((await observer.run()).stdout, /not ready: controller 1001 is not a voter yet/);
  const lagging = controller([LEADER, [1001, DIR, 4000, "Follower"]]);
  const r = await lagging.run();
  assert.is(r.exitCode, 1);
  assert.is(r.stdout.trim(), "not ready: controller 1001 lags the quorum leader by 4000 records (at most 1000 allowed)");
  assert.not.ok(existsSync(join(lagging.dir, "run/ready.ok")));
  const stale = controller([LEADER, [1001, "oldoldoldoldoldoldoldA", 0, "Follower"]]);
  assert.match((await stale.run()).stdout, new RegExp(`not ready: controller 1001 \\(directory ${DIR}\\) is not in the quorum`));
  const failing = controller();
  writeFileSync(join(failing.dir, "fail"), "");
  assert.match((await failing.run()).stdout, /the admin request failed: Timed out/);
});

t("controller: port closed means not ready without a JVM", async () => {
  const c = controller([], { KAFKA_HA_READY_HOST: closedHost() });
  const r = await c.run();
  assert.match(r.stdout, /controller port 9093 does not accept connections/);
  assert.is(c.jvmRuns(), 0);
});

// The in-JVM check (files/readiness, KafkaHaReadinessReporter) writes run/ready.state; ready.sh trusts a fresh one.
const now = (): number => Math.floor(Date.now() / 1000);

t("a fresh in-JVM verdict decides without a JVM: ok is ready, no is not ready with its reason", async () => {
  const f = fake();
  f.describe([line("orders", 0, "0,1,2", "0,1")]); // the fallback would say not ready
  f.state(`ok ${now()} 130 12`);
  assert.is((await f.run()).exitCode, 0);
  f.state(`no ${now()} 130 13 broker 2 is not yet in the ISR of: orders-0`);
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.is(r.stdout.trim(), "not ready: broker 2 is not yet in the ISR of: orders-0");
  assert.is(f.jvmRuns(), 0, "no admin JVM while the in-JVM verdict is fresh");
});

t("a stale or unreadable in-JVM verdict is not trusted: ready.sh checks by itself", async () => {
  const f = fake({ KAFKA_HA_READY_STATE_MAX_AGE: "30" });
  f.describe([line("orders", 0, "0,1,2", "0,1")]);
  f.state(`ok ${now() - 31} 130 12`);
  const r = await f.run();
  assert.is(r.exitCode, 1, "a verdict older than KAFKA_HA_READY_STATE_MAX_AGE is ignored");
  assert.match(r.stdout, /broker 2 is not yet in the ISR of: orders-0/);
  f.state("garbage");
  assert.is((await f.run()).exitCode, 1);
  assert.is(f.jvmRuns(), 2);
});

t("the port check comes first: a fresh ok verdict does not make a closed port ready", async () => {
  const f = fake({ KAFKA_HA_READY_HOST: closedHost() });
  f.state(`ok ${now()} 130 12`);
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /client port 9092 does not accept connections/);
});

t.run();
