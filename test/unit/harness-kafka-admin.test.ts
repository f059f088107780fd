import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import type { Admin } from "kafkajs";
import {
  AdminProbe,
  liveSeed,
  parseEndpointIds,
  parseNodeList,
  parseQuorumReplication,
  parseQuorumStatus,
  quorumProblems,
  reassignments,
  summarize,
  waitFullIsr,
} from "../helpers/kafka-admin.js";

// Output of kafka-metadata-quorum.sh 4.4.0 (tabs and padding as printed) from a 3-node KRaft cluster.
const STATUS = `ClusterId:              YZzv4T17Ria0ltY5R_7ZPg
LeaderId:               2
LeaderEpoch:            3
HighWatermark:          1819
MaxFollowerLag:         0
MaxFollowerLagTimeMs:   202
CurrentVoters:          [{"id": 0, "endpoints": ["CONTROLLER://127.0.0.1:29190"]}, {"id": 1, "endpoints": ["CONTROLLER://127.0.0.1:29191"]}, {"id": 2, "endpoints": ["CONTROLLER://127.0.0.1:29192"]}]
CurrentObservers:       []
`;
const REPLICATION = [
  "NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t",
  "2     \tAAAAAAAAAAAAAAAAAAAAAA\t1833        \t0  \t1795463992618     \t1795463992618        \tLeader  \t",
  "0     \tAAAAAAAAAAAAAAAAAAAAAA\t1833        \t0  \t1795463992248     \t1795463992248        \tFollower\t",
  "1     \tAAAAAAAAAAAAAAAAAAAAAA\t1700        \t133\t1795463992246     \t1795463992246        \tFollower\t",
].join("\n");

test("quorum --status: leader, voters (KIP-853 objects), observers", () => {
  const s = parseQuorumStatus(STATUS);
  assert.is(s.leaderId, 2);
  assert.is(s.highWatermark, 1819);
  assert.equal(s.voters, [0, 1, 2]);
  assert.equal(s.observers, []);
  assert.equal(parseNodeList("[1,2,3]"), [1, 2, 3]);
  assert.throws(() => parseQuorumStatus("ClusterId: x\n"), /no LeaderId/);
});

test("quorum --replication rows and what makes a quorum unhealthy", () => {
  const rows = parseQuorumReplication(REPLICATION);
  assert.equal(
    rows.map((r) => [r.nodeId, r.lag, r.status]),
    [
      [2, 0, "Leader"],
      [0, 0, "Follower"],
      [1, 133, "Follower"],
    ],
  );
  const status = parseQuorumStatus(STATUS);
  assert.equal(quorumProblems(status, rows, [0, 1, 2]), []);
  assert.equal(quorumProblems(status, rows, [0, 1, 2], 100), ["voter 1 lags by 133"]);
  assert.equal(quorumProblems(status, rows, [0, 1, 2, 3]), ["voters are [0,1,2], expected [0,1,2,3]", "voter 3 missing from --replication"]);
  assert.equal(quorumProblems({ ...status, leaderId: -1 }, rows, [0, 1, 2]), ["no quorum leader (LeaderId -1)"]);
});

test("ISR summary: under-replicated, under min ISR (capped at RF), offline", () => {
  const states = [
    { topic: "t", partition: 0, leader: 1, replicas: [0, 1, 2], isr: [0, 1, 2] },
    { topic: "t", partition: 1, leader: 1, replicas: [0, 1, 2], isr: [1, 2] },
    { topic: "t", partition: 2, leader: 1, replicas: [0, 1, 2], isr: [1] },
    { topic: "t", partition: 3, leader: -1, replicas: [0, 1, 2], isr: [] },
    { topic: "rf1", partition: 0, leader: 0, replicas: [0], isr: [0] },
  ];
  const s = summarize(
    states,
    new Map([
      ["t", 2],
      ["rf1", 2],
    ]),
    5,
  );
  assert.equal(s, { time: 5, partitions: 5, underReplicated: 3, underMinIsr: 2, offline: 1, outOfIsr: [0, 1, 2] });
});

// A stand-in for kafkajs' Admin: connect() behaves per address ("ok", "refused", "hang").
function fakeAdmins(behaviour: Record<string, "ok" | "refused" | "hang">, log: string[]) {
  return (address: string): Admin => {
    const admin = {
      connect: async () => {
        log.push(`connect ${address}`);
        if (behaviour[address] === "refused") throw new Error(`Connection error: connect ECONNREFUSED ${address}`);
        if (behaviour[address] === "hang") await new Promise(() => undefined);
      },
      disconnect: async () => undefined,
      describeCluster: async () => ({ brokers: [], controller: null, clusterId: address }),
    };
    return admin as unknown as Admin;
  };
}

test("AdminProbe: moves past refusing and hanging addresses, then starts with the one that answered", async () => {
  const log: string[] = [];
  const probe = new AdminProbe(["a:1", "b:2", "c:3"], { attemptTimeoutMs: 200, newAdmin: fakeAdmins({ "a:1": "refused", "b:2": "hang", "c:3": "ok" }, log) });
  const first = await probe.use("describe", (admin) => admin.describeCluster());
  assert.is(first.clusterId, "c:3");
  assert.equal(log, ["connect a:1", "connect b:2", "connect c:3"]);
  log.length = 0;
  const second = await probe.use("describe", (admin) => admin.describeCluster());
  assert.is(second.clusterId, "c:3");
  assert.equal(log, ["connect c:3"], "the address that answered last is tried first");
});

test("AdminProbe: when no address answers, the error names every address and what each did", async () => {
  const log: string[] = [];
  const probe = new AdminProbe(["a:1", "b:2"], { attemptTimeoutMs: 100, newAdmin: fakeAdmins({ "a:1": "refused", "b:2": "hang" }, log) });
  try {
    await probe.use("describe", (admin) => admin.describeCluster());
    assert.unreachable("use() should have thrown");
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    assert.match(message, /describe failed through every broker address/);
    assert.match(message, /a:1: Connection error: connect ECONNREFUSED a:1/);
    assert.match(message, /b:2: timed out/);
  }
  assert.is(log.length, 4, "two rounds over both addresses");
});

test("liveSeed: an address that accepts but never answers (docker-proxy before a gone broker) is no seed", async () => {
  // Accepts every connection and never writes a byte back.
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const address = silent.address();
  const port = typeof address === "object" && address ? address.port : 0;
  try {
    const seed = liveSeed([`127.0.0.1:${port}`], 500);
    await seed().then(
      (list) => assert.unreachable(`returned ${list.join(",")}`),
      (err: unknown) => assert.match(String(err), /no bootstrap address answered within 0.5s: 127\.0\.0\.1:\d+/),
    );
  } finally {
    silent.close();
  }
});

/** An admin whose topic metadata comes from `answers` in turn (the last one repeats). */
function metadataAdmin(answers: { leader: number; replicas: number[]; isr: number[] }[][]): { admin: Admin; asked: () => number } {
  let asked = 0;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => ["t"],
    fetchTopicMetadata: async () => ({
      topics: [{ name: "t", partitions: (answers[Math.min(asked++, answers.length - 1)] ?? []).map((p, partitionId) => ({ partitionId, ...p })) }],
    }),
  } as unknown as Admin;
  return { admin, asked: () => asked };
}

test("waitFullIsr: returns once every partition has a leader and its whole ISR, not before", async () => {
  const short = { leader: 0, replicas: [0, 1], isr: [0] };
  const leaderless = { leader: -1, replicas: [0, 1], isr: [0, 1] };
  const full = { leader: 0, replicas: [0, 1], isr: [0, 1] };
  const { admin, asked } = metadataAdmin([
    [short, full],
    [leaderless, full],
    [full, full],
  ]);
  await waitFullIsr(new AdminProbe(["a:1"], { newAdmin: () => admin }), 10000);
  assert.is(asked(), 3);
});

test("waitFullIsr: on timeout the error names the partitions still short", async () => {
  const { admin } = metadataAdmin([[{ leader: 0, replicas: [0, 1, 2], isr: [0, 2] }]]);
  const err = await waitFullIsr(new AdminProbe(["a:1"], { newAdmin: () => admin }), 1500).then(
    () => "returned",
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  assert.match(err, "timed out after 2s waiting for full ISR: 1/1 partitions not fully in ISR, e.g. t-0 replicas [0,1,2] isr [0,2]");
});

test("parseEndpointIds: the id column of kafka-cluster.sh list-endpoints, sorted; the header and blank lines skipped", () => {
  const out = `ID         HOST                                              PORT       RACK       STATE      ENDPOINT_TYPE
2          kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local 9094       zone-c     unfenced   broker
0          kafka-ha-0.kafka-ha-headless.kafka.svc.cluster.local 9094       zone-a     fenced     broker

1          kafka-ha-1.kafka-ha-headless.kafka.svc.cluster.local 9094       zone-b     unfenced   broker
`;
  assert.equal(parseEndpointIds(out), [0, 1, 2]);
  assert.equal(parseEndpointIds(""), []);
});

test.run();

test("reassignments: read from what kafkajs 2.2.4 really decodes (name, partition), not from its typings", async () => {
  // A ListPartitionReassignments v0 response, decoded by kafkajs' own decoder as its admin does.
  const require = createRequire(import.meta.url);
  const Encoder = require("kafkajs/src/protocol/encoder.js");
  const { decode } = require("kafkajs/src/protocol/requests/listPartitionReassignments/v0/response.js");
  const e = new Encoder();
  const ints = (xs: number[]) => {
    e.writeUVarInt(xs.length + 1);
    for (const x of xs) e.writeInt32(x);
  };
  e.writeUVarInt(0).writeInt32(0).writeInt16(0).writeUVarIntString(null);
  e.writeUVarInt(2).writeUVarIntString("t").writeUVarInt(2).writeInt32(2);
  ints([0, 1, 2, 3]);
  ints([3]);
  ints([0]);
  e.writeUVarInt(0).writeUVarInt(0);
  const { topics } = await decode(e.buffer);
  const admin = { connect: async () => undefined, disconnect: async () => undefined, listPartitionReassignments: async () => ({ topics }) } as unknown as Admin;
  assert.equal(await reassignments(new AdminProbe(["a:1"], { newAdmin: () => admin })), [{ topic: "t", partition: 2, adding: [3] }]);
});
