// files/scripts/start.sh run with bash against fake environments: the Kafka tools and `java` are stubs
// on PATH that record their calls (kafka-storage.sh writes meta.properties as the real one does; the
// java stub stands for the BootstrapState server and runs while its state file exists; the server stub
// writes a quorum-state naming a leader, as Kafka does once one is elected). The other controllers are
// real TCP listeners: voter i listens on 127.0.0.<i+1>, its controller port and its bootstrap port.
// BootstrapState itself is tested in bootstrap-state.test.ts and, with real Kafka, in test/docker.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa, type ResultPromise } from "execa";
import { chartDir } from "../helpers/render.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { stubPath, writeStubs } from "./fake-tools.js";

// KAFKA_HA_START_SCRIPT runs the same table against another start.sh (how the KAFKA-14077 rows were
// shown to fail on the start.sh that formatted after a 30 s window).
const script = process.env["KAFKA_HA_START_SCRIPT"] ?? join(chartDir, "files/scripts/start.sh");
const CLUSTER = "MkU3OEVBNTcwNTJENDM2Qg";
const OTHER_CLUSTER = "OtherClusterIdxxxxxxxA";

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
// describe --status: $FAKE/status (after $FAKE/status-delay seconds) or "no controller answers";
// remove-controller: fails with $FAKE/remove-fails as its message when that file exists.
const QUORUM_STUB = `#!/usr/bin/env bash
echo "kafka-metadata-quorum.sh $*" >> "$FAKE/calls.log"
case "$*" in
  *"describe --status"*)
    [ -f "$FAKE/status-delay" ] && sleep "$(cat "$FAKE/status-delay")"
    [ -f "$FAKE/status" ] && cat "$FAKE/status" && exit 0; echo "no controller answers" >&2; exit 1 ;;
  *remove-controller*) [ -f "$FAKE/remove-fails" ] && cat "$FAKE/remove-fails" >&2 && exit 1 ;;
esac
exit 0
`;
// Kafka "elects" leader 1 (unless $FAKE/no-leader exists): writes the quorum-state file as Kafka 4 does.
const SERVER_STUB = `#!/usr/bin/env bash
echo "kafka-server-start.sh $*" >> "$FAKE/calls.log"
echo "\${KAFKA_LOG4J_OPTS:-}" > "$FAKE/server-log4j"
logdir="$(sed -n 's/^log.dirs=//p' "$1")"
if [ ! -f "$FAKE/no-leader" ]; then
  mkdir -p "$logdir/__cluster_metadata-0"
  echo '{"leaderId":1,"leaderEpoch":1,"votedId":-1,"votedDirectoryId":"AAAAAAAAAAAAAAAAAAAAAA","data_version":1}' > "$logdir/__cluster_metadata-0/quorum-state"
fi
`;
// BootstrapState: records the call and what it serves, runs until its state file is deleted.
const JAVA_STUB = `#!/usr/bin/env bash
state="\${@: -1}"
echo "java $* -> $(head -n1 "$state")" >> "$FAKE/calls.log"
while [ -e "$state" ]; do sleep 0.1; done
`;

/** One other controller: what its controller port and its bootstrap port do; changed while a test runs. */
interface Peer {
  controller: "open" | "closed";
  /** The line its bootstrap port answers; undefined: the connection is closed without an answer. */
  answer?: string;
}

interface Fake {
  dir: string;
  data: string;
  env: Record<string, string>;
  peers: Peer[];
  calls(): string[];
  config(): string;
  served(): string;
}

const servers: Server[] = [];
const listenOn = async (host: string, port: number, onConnect: (sock: import("node:net").Socket) => void): Promise<Server> => {
  const s = createServer(onConnect);
  await new Promise<void>((resolve, reject) => {
    s.once("error", reject);
    s.listen(port, host, resolve);
  });
  servers.push(s);
  return s;
};
const portOf = (s: Server): number => (s.address() as { port: number }).port;
const close = (s: Server): Promise<void> => new Promise((r) => s.close(() => r()));

/**
 * A fake environment for node 2 (kafka-ha-2, voter 2 of 0..2) and its peers 0 and 1. Every peer
 * listens on 127.0.0.<i+1> with one bootstrap port number shared by all (as in the pods) and its own
 * controller port; a "closed" controller port is one nothing listens on.
 */
async function fake(peers: Peer[], over: Record<string, string> = {}): Promise<Fake> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-start-"));
  writeStubs(join(dir, "bin"), {
    "kafka-storage.sh": STORAGE_STUB,
    "kafka-metadata-quorum.sh": QUORUM_STUB,
    "kafka-server-start.sh": SERVER_STUB,
    java: JAVA_STUB,
  });
  mkdirSync(join(dir, "run"));
  writeFileSync(join(dir, "template.properties"), "default.replication.factor=3\nmin.insync.replicas=2\n");
  writeFileSync(join(dir, "run/rack"), "zone-b\n");
  // One bootstrap port number free on every peer address.
  let bootstrapPort = 0;
  for (let attempt = 0; bootstrapPort === 0; attempt++) {
    const first = await listenOn("127.0.0.1", 0, () => undefined);
    const port = portOf(first);
    await close(first);
    try {
      for (const [i, p] of peers.entries()) {
        await listenOn(`127.0.0.${i + 1}`, port, (sock) => {
          if (p.answer === undefined) sock.destroy();
          else sock.end(`${p.answer}\n`);
        });
      }
      bootstrapPort = port;
    } catch (err) {
      if (attempt > 5) throw err;
    }
  }
  const controllerPorts: number[] = [];
  for (const [i, p] of peers.entries()) {
    const s = await listenOn(`127.0.0.${i + 1}`, 0, (sock) => sock.destroy());
    controllerPorts.push(portOf(s));
    if (p.controller === "closed") await close(s);
  }
  controllerPorts.push(9093); // node 2 itself (never dialled)
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
    KAFKA_HA_VOTERS: controllerPorts.map((p, i) => `${i}@127.0.0.${i + 1}:${p}`).join(" "),
    KAFKA_HA_BOOTSTRAP_PORT: String(bootstrapPort),
    KAFKA_HA_CLIENT_PORT: "9092",
    KAFKA_HA_CONTROLLER_PORT: "9093",
    KAFKA_HA_INTERNAL_PORT: "9094",
    KAFKA_HA_EXTERNAL_PORT: "9095",
    KAFKA_HA_CONFIG_TEMPLATE: join(dir, "template.properties"),
    KAFKA_HA_RUN_DIR: join(dir, "run"),
    KAFKA_HA_DATA_DIR: data,
    KAFKA_HA_RACK_FILE: join(dir, "run/rack"),
    KAFKA_HA_POLL_SECONDS: "0.5",
    ...over,
  };
  return {
    dir,
    data,
    env,
    peers,
    calls: () => (existsSync(join(dir, "calls.log")) ? readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n") : []),
    config: () => readFileSync(join(dir, "run/server.properties"), "utf8"),
    served: () => (existsSync(join(dir, "run/bootstrap-state")) ? readFileSync(join(dir, "run/bootstrap-state"), "utf8").trim() : ""),
  };
}

type Started = ResultPromise<{ reject: false; all: true; detached: true }>;
/** start.sh in its own process group, like a container: its background children die with it (killAll). */
const start = (f: Fake): Started =>
  execa("bash", [script], {
    env: { PATH: stubPath(join(f.dir, "bin")), ...f.env },
    extendEnv: false,
    reject: false,
    all: true,
    detached: true,
  });
const killAll = (p: Started): void => {
  try {
    if (p.pid) process.kill(-p.pid, "SIGKILL");
  } catch {
    // already gone
  }
};
/** Every run ends within a minute or fails the test. */
async function withBound(p: Started): Promise<Awaited<Started>> {
  const timer = setTimeout(() => killAll(p), 60000);
  try {
    return await p;
  } finally {
    clearTimeout(timer);
  }
}
const run = (f: Fake): Promise<Awaited<Started>> => withBound(start(f));

/** The directory id every pod derives for a voter (must equal start.sh's directory_id). */
const directoryId = (id: number): string => createHash("sha256").update(`${CLUSTER}/${id}`).digest().subarray(0, 16).toString("base64url");

const statusWith = (leader: number, voters: string[]): string =>
  `ClusterId:              ${CLUSTER}\nLeaderId:               ${leader}\nLeaderEpoch:            7\nHighWatermark:          4242\nMaxFollowerLag:         0\nMaxFollowerLagTimeMs:   0\nCurrentVoters:          [${voters.join(", ")}]\nCurrentObservers:       []\n`;
const voterJson = (i: number, dirId = directoryId(i)): string => `{"id": ${i}, "directoryId": "${dirId}", "endpoints": ["CONTROLLER://h${i}:9093"]}`;
/** A leader (1) whose voters still list node 2 with the directory of its lost disk. */
const LEADER_STATUS = statusWith(1, [voterJson(0), voterJson(1), voterJson(2, "OldDirectoryOfNode2xxw")]);

const formatted = (f: Fake): string[] => f.calls().filter((c) => c.startsWith("kafka-storage.sh format"));

const t = suite("start.sh");
const made: Fake[] = [];
t.after.each(async () => {
  for (const f of made.splice(0)) rmSync(f.dir, { recursive: true, force: true });
  await Promise.all(servers.splice(0).map((s) => (s.listening ? close(s) : undefined)));
});

// ---- the decision table of an empty controller ------------------------------------------------------

type Outcome = "first start" | "join";
interface Row {
  name: string;
  peers: Peer[];
  /** describe --status through the open controller ports (none: the call fails). */
  status?: string;
  statusDelaySeconds?: number;
  /** Decided at once. */
  expect?: Outcome;
  /** Or: it waits, logging this reason every poll and formatting nothing; then `unblock` and it decides `then`. */
  waits?: { reason: RegExp; unblock: (f: Fake) => void; then: Outcome };
}

const EMPTY = `EMPTY ${CLUSTER}`;
const FIRST = `FIRST-START ${CLUSTER}`;
const leaderAppears = (f: Fake): void => {
  writeFileSync(join(f.dir, "status"), LEADER_STATUS);
  rmSync(join(f.dir, "status-delay"), { force: true });
};

const rows: Row[] = [
  {
    name: "every peer EMPTY: first start",
    peers: [
      { controller: "closed", answer: EMPTY },
      { controller: "closed", answer: EMPTY },
    ],
    expect: "first start",
  },
  {
    name: "peers EMPTY and FIRST-START (one decided and runs Kafka, no leader yet): first start",
    peers: [
      { controller: "open", answer: FIRST },
      { controller: "closed", answer: EMPTY },
    ],
    status: statusWith(-1, []),
    expect: "first start",
  },
  {
    name: "one peer unreachable: waits, then first start when it appears empty",
    peers: [{ controller: "closed", answer: EMPTY }, { controller: "closed" }],
    waits: { reason: /voter 1 \(127\.0\.0\.2\) is unreachable/, unblock: (f) => void (f.peers[1]!.answer = EMPTY), then: "first start" },
  },
  {
    name: "KAFKA-14077: a peer has data (controller port open, no leader, no bootstrap answer): waits, never first start; joins once a leader answers",
    peers: [{ controller: "open" }, { controller: "closed", answer: EMPTY }],
    waits: {
      reason: /voter 0 \(127\.0\.0\.1\) has data: its controller port answers but no quorum leader does \(no controller answers\)/,
      unblock: leaderAppears,
      then: "join",
    },
  },
  {
    name: "peers answer but report no leader, past the old 30 s window's end: waits; joins once a leader answers",
    peers: [{ controller: "open" }, { controller: "open" }],
    status: statusWith(-1, [voterJson(0), voterJson(1), voterJson(2)]),
    waits: { reason: /voter 1 \(127\.0\.0\.2\) has data: its controller port answers but no quorum leader does/, unblock: leaderAppears, then: "join" },
  },
  {
    name: "slow status call (longer than the old window) on a healthy quorum: never first start; joins when it answers",
    peers: [{ controller: "open" }, { controller: "open" }],
    statusDelaySeconds: 2,
    waits: { reason: /voter 0 \(127\.0\.0\.1\) has data/, unblock: leaderAppears, then: "join" },
  },
  { name: "a leader answers: join", peers: [{ controller: "open" }, { controller: "open" }], status: LEADER_STATUS, expect: "join" },
  {
    name: "a peer is empty for another cluster id: waits naming it; first start once it serves ours",
    peers: [
      { controller: "closed", answer: `EMPTY ${OTHER_CLUSTER}` },
      { controller: "closed", answer: EMPTY },
    ],
    waits: {
      reason: new RegExp(`voter 0 \\(127\\.0\\.0\\.1\\) is empty but for another cluster id '${OTHER_CLUSTER}'`),
      unblock: (f) => void (f.peers[0]!.answer = EMPTY),
      then: "first start",
    },
  },
];

/** Checks the outcome: the calls made, the disk, what was served. */
function assertOutcome(f: Fake, outcome: Outcome, stderr: string, opts: { servedEmpty?: boolean } = {}): void {
  const calls = f.calls();
  if (outcome === "first start") {
    const initial = f.env["KAFKA_HA_VOTERS"]!.split(" ")
      .map((v, i) => `${v}:${directoryId(i)}`)
      .join(",");
    assert.equal(formatted(f), [`kafka-storage.sh format --cluster-id ${CLUSTER} --config ${f.dir}/run/server.properties --initial-controllers ${initial}`]);
    assert.match(stderr, /first start of cluster/);
    assert.is(readFileSync(join(f.data, "meta.properties"), "utf8").match(/directory.id=(.*)/)?.[1], directoryId(2));
    // Served EMPTY while deciding; FIRST-START from the decision until Kafka had a leader, then nothing.
    const served = opts.servedEmpty === false ? FIRST : EMPTY;
    assert.ok(
      calls.some((c) => c.startsWith("java ") && c.includes(`BootstrapState ${f.env["KAFKA_HA_BOOTSTRAP_PORT"]} `) && c.endsWith(`-> ${served}`)),
      calls.join("\n"),
    );
    assert.match(stderr, /quorum leader seen: the first start is over/);
    assert.not.ok(existsSync(join(f.data, ".kafka-ha-first-start")), "first-start marker removed once a leader was seen");
    assert.is(f.served(), "", "nothing served any more");
  } else {
    assert.equal(formatted(f), [`kafka-storage.sh format --cluster-id ${CLUSTER} --config ${f.dir}/run/server.properties --no-initial-controllers`]);
    assert.match(stderr, /existing quorum \(leader 1\)/);
    assert.ok(
      calls.some((c) => c.includes("remove-controller --controller-id 2 --controller-directory-id OldDirectoryOfNode2xxw")),
      calls.join("\n"),
    );
    assert.not.ok(existsSync(join(f.data, ".kafka-ha-join-pending")), "join marker cleared");
    assert.is(f.served(), "", "a joining node stops serving EMPTY before it formats");
  }
  assert.is(calls.at(-1), `kafka-server-start.sh ${f.dir}/run/server.properties`);
}

for (const row of rows) {
  t(`decision: ${row.name}`, async () => {
    const f = await fake(row.peers.map((p) => ({ ...p })));
    made.push(f);
    if (row.status) writeFileSync(join(f.dir, "status"), row.status);
    if (row.statusDelaySeconds) writeFileSync(join(f.dir, "status-delay"), String(row.statusDelaySeconds));
    if (row.expect) {
      const r = await run(f);
      assert.is(r.exitCode, 0, r.all);
      assertOutcome(f, row.expect, r.stderr);
      return;
    }
    const w = row.waits!;
    const p = start(f);
    let stderr = "";
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Waits across polls (past the 2 s window the old start.sh got in these tests)...
    await waitFor(async () => (stderr.match(/waiting: no quorum leader to join/g) ?? []).length >= 2 && Date.now(), {
      what: "two waiting polls",
      timeoutMs: 30000,
      intervalMs: 200,
    }).catch((err: unknown) => {
      killAll(p);
      throw new Error(`${String(err)}\ncalls: ${f.calls().join("\n")}\nstderr: ${stderr}`);
    });
    assert.match(stderr, w.reason);
    assert.equal(formatted(f), [], `formatted while it should wait:\n${stderr}`);
    assert.is(f.served(), EMPTY, "serves EMPTY while it waits");
    // ...and decides once the blocker is gone.
    w.unblock(f);
    const r = await withBound(p);
    assert.is(r.exitCode, 0, r.all);
    assertOutcome(f, w.then, r.stderr);
  });
}

// ---- the rest of start.sh ---------------------------------------------------------------------------

t("first start writes the pod's config and gives the server the console log config", async () => {
  const f = await fake(
    [
      { controller: "closed", answer: EMPTY },
      { controller: "closed", answer: FIRST },
    ],
    { KAFKA_HA_LOG4J_CONFIG: "/cfg/log4j2.yaml" },
  );
  made.push(f);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.all);
  assert.is(readFileSync(join(f.dir, "server-log4j"), "utf8").trim(), "-Dlog4j2.configurationFile=/cfg/log4j2.yaml", "server gets the console log config");
  const ports = f.env["KAFKA_HA_VOTERS"]!.split(" ").map((v) => v.split("@")[1]);
  const cfg = f.config().split("\n");
  for (const line of [
    "default.replication.factor=3",
    "node.id=2",
    "process.roles=broker,controller",
    "listeners=CLIENT://:9092,INTERNAL://:9094,CONTROLLER://:9093",
    "advertised.listeners=CLIENT://kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local:9092,INTERNAL://kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local:9094,CONTROLLER://kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local:9093",
    `controller.quorum.bootstrap.servers=${ports.join(",")}`,
    `log.dirs=${f.data}`,
    "inter.broker.listener.name=INTERNAL",
    "controller.quorum.auto.join.enable=true",
    "broker.rack=zone-b",
  ])
    assert.ok(cfg.includes(line), `missing ${line} in:\n${f.config()}`);
});

t("FIRST-START keeps being served (across a container restart) until Kafka has seen a leader", async () => {
  const f = await fake([
    { controller: "closed", answer: EMPTY },
    { controller: "closed", answer: EMPTY },
  ]);
  made.push(f);
  writeFileSync(join(f.dir, "no-leader"), "");
  const first = start(f);
  await waitFor(async () => f.calls().some((c) => c.startsWith("kafka-server-start.sh")), { what: "Kafka started", timeoutMs: 30000, intervalMs: 200 });
  await sleep(1500);
  assert.is(f.served(), FIRST, "serves FIRST-START while no leader is known");
  assert.ok(existsSync(join(f.data, ".kafka-ha-first-start")), "durable first-start marker on the data directory");
  // The container dies (its processes with it) before any leader was seen, and starts again.
  killAll(first);
  await first;
  writeFileSync(join(f.dir, "calls.log"), "");
  rmSync(join(f.dir, "no-leader"));
  const r = await run(f);
  assert.is(r.exitCode, 0, r.all);
  assert.match(r.stderr, /first start of cluster \S+ not finished \(no quorum leader seen yet\): serving FIRST-START again/);
  assert.ok(
    f.calls().some((c) => c.startsWith("java ") && c.endsWith(`-> ${FIRST}`)),
    f.calls().join("\n"),
  );
  assert.equal(formatted(f), [], "data present: no second format");
  assert.match(r.stderr, /quorum leader seen/);
  assert.not.ok(existsSync(join(f.data, ".kafka-ha-first-start")), "marker removed once Kafka had a leader");
  assert.is(f.served(), "");
});

t("restart with data and a first-start marker, but Kafka had already seen a leader: marker dropped, nothing served", async () => {
  const f = await fake([{ controller: "closed" }, { controller: "closed" }]);
  made.push(f);
  mkdirSync(join(f.data, "__cluster_metadata-0"), { recursive: true });
  writeFileSync(join(f.data, "meta.properties"), `version=1\ncluster.id=${CLUSTER}\nnode.id=2\ndirectory.id=${directoryId(2)}\n`);
  writeFileSync(join(f.data, ".kafka-ha-first-start"), `FIRST-START ${CLUSTER}\n`);
  writeFileSync(join(f.data, "__cluster_metadata-0/quorum-state"), '{"leaderId":-1,"leaderEpoch":3,"votedId":0,"data_version":1}\n');
  writeFileSync(join(f.data, "__cluster_metadata-0/00000000000000000000.log"), "a record of leader 0");
  const r = await run(f);
  assert.is(r.exitCode, 0, r.all);
  assert.not.ok(existsSync(join(f.data, ".kafka-ha-first-start")));
  assert.equal(f.calls(), [`kafka-server-start.sh ${f.dir}/run/server.properties`], "no BootstrapState started");
});

t("restart after the first-start decision but before the format: resumes it without looking again", async () => {
  const f = await fake([{ controller: "closed" }, { controller: "closed" }]);
  made.push(f);
  mkdirSync(f.data, { recursive: true });
  writeFileSync(join(f.data, ".kafka-ha-first-start"), `FIRST-START ${CLUSTER}\n`);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.all);
  assert.match(r.stderr, /resuming the first start of cluster \S+ decided before a restart/);
  assertOutcome(f, "first start", r.stderr, { servedEmpty: false });
});

t("restart with data: no format, no quorum look-up, nothing served, starts", async () => {
  const f = await fake([{ controller: "closed" }, { controller: "closed" }]);
  made.push(f);
  mkdirSync(f.data, { recursive: true });
  writeFileSync(join(f.data, "meta.properties"), `version=1\ncluster.id=${CLUSTER}\nnode.id=2\ndirectory.id=${directoryId(2)}\n`);
  writeFileSync(join(f.dir, "run/ready.ok"), `${Math.floor(Date.now() / 1000)}\n`);
  writeFileSync(join(f.dir, "run/ready.state"), `ok ${Math.floor(Date.now() / 1000)} 120 40\n`);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.all);
  assert.equal(f.calls(), [`kafka-server-start.sh ${f.dir}/run/server.properties`]);
  assert.not.ok(existsSync(join(f.dir, "run/ready.ok")), "a restarted container must not inherit the cached readiness");
  assert.not.ok(existsSync(join(f.dir, "run/ready.state")), "nor the previous JVM's in-JVM verdict");
});

t("an interrupted join resumes: the stale voter entry is retired on the next start, then Kafka starts", async () => {
  const f = await fake([{ controller: "open" }, { controller: "open" }]);
  made.push(f);
  mkdirSync(f.data, { recursive: true });
  writeFileSync(join(f.data, "meta.properties"), `version=1\ncluster.id=${CLUSTER}\nnode.id=2\ndirectory.id=NewDirectoryIdForDiskQ\n`);
  writeFileSync(join(f.data, ".kafka-ha-join-pending"), "");
  writeFileSync(join(f.dir, "status"), LEADER_STATUS);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.all);
  assert.match(r.stderr, /an earlier join did not finish/);
  const all = f.env["KAFKA_HA_VOTERS"]!.split(" ")
    .map((v) => v.split("@")[1])
    .join(",");
  assert.equal(f.calls(), [
    `kafka-metadata-quorum.sh --bootstrap-controller ${all} --command-config ${f.dir}/run/controller-client.properties describe --status`,
    `kafka-metadata-quorum.sh --bootstrap-controller ${all} --command-config ${f.dir}/run/controller-client.properties remove-controller --controller-id 2 --controller-directory-id OldDirectoryOfNode2xxw`,
    `kafka-server-start.sh ${f.dir}/run/server.properties`,
  ]);
  assert.not.ok(existsSync(join(f.data, ".kafka-ha-join-pending")));
});

t("remove-controller fails: exits non-zero with the tool's message, keeps the join marker, never starts Kafka", async () => {
  const f = await fake([{ controller: "open" }, { controller: "open" }]);
  made.push(f);
  writeFileSync(join(f.dir, "status"), LEADER_STATUS);
  writeFileSync(join(f.dir, "remove-fails"), "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment");
  const r = await run(f);
  assert.is.not(r.exitCode, 0);
  assert.match(
    r.stderr,
    /could not remove the old voter entry of node 2 \(directory OldDirectoryOfNode2xxw\) through .*TimeoutException: Timed out waiting for a node assignment\. Kafka is not started; the next start of this container retries the removal/,
  );
  assert.ok(existsSync(join(f.data, ".kafka-ha-join-pending")), "the join marker stays for the retry");
  assert.not.ok(f.calls().some((c) => c.startsWith("kafka-server-start.sh")));
});

t("empty disk, the quorum answers but does not know this node: no removal", async () => {
  const f = await fake([{ controller: "open" }, { controller: "closed" }]);
  made.push(f);
  writeFileSync(join(f.dir, "status"), statusWith(0, [voterJson(0), voterJson(1)]));
  const r = await run(f);
  assert.is(r.exitCode, 0, r.all);
  assert.not.ok(f.calls().some((c) => c.includes("remove-controller")));
  assert.ok(f.calls().some((c) => c.endsWith("--no-initial-controllers")));
});

t("foreign cluster id on the disk: exits non-zero naming both ids, never starts", async () => {
  const f = await fake([{ controller: "closed" }, { controller: "closed" }]);
  made.push(f);
  mkdirSync(f.data, { recursive: true });
  writeFileSync(join(f.data, "meta.properties"), `version=1\ncluster.id=${OTHER_CLUSTER}\nnode.id=2\n`);
  const r = await run(f);
  assert.is.not(r.exitCode, 0);
  assert.match(r.stderr, new RegExp(OTHER_CLUSTER));
  assert.match(r.stderr, new RegExp(CLUSTER));
  assert.match(r.stderr, /belongs to Kafka cluster/);
  assert.equal(f.calls(), []);
});

t("dedicated broker with an empty disk: formats as a broker without looking for the quorum; external listener", async () => {
  const f = await fake([], {
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
  const f = await fake([], { POD_NAME: "kafka-ha-4" });
  made.push(f);
  const r = await run(f);
  assert.is(r.exitCode, 0, r.stderr);
  assert.ok(f.config().includes("process.roles=broker\nlisteners=CLIENT://:9092,INTERNAL://:9094\n"));
  assert.not.ok(f.config().includes("auto.join"));
  assert.ok(f.calls()[0]?.endsWith("--no-initial-controllers"));
});

t("rack awareness on but no rack file: refuses with a message", async () => {
  const f = await fake([], { KAFKA_HA_RACK_FILE: "/nonexistent/rack" });
  made.push(f);
  const r = await run(f);
  assert.is.not(r.exitCode, 0);
  assert.match(r.stderr, /rack awareness is on but \/nonexistent\/rack is missing/);
});

t.run();
