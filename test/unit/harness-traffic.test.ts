import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Ack, FailedSend } from "../helpers/checker.js";
import type { Admin, ITopicConfig } from "kafkajs";
import { AdminProbe } from "../helpers/kafka-admin.js";
import { countSince, createTopic, groupStalled, lateOutcome, supervisionAllowed } from "../helpers/traffic.js";

test("countSince counts the recent end of a time-ordered list", () => {
  const entries = [1, 2, 3, 10, 11].map((time) => ({ time }));
  assert.is(countSince(entries, 10), 2);
  assert.is(countSince(entries, 0), 5);
  assert.is(countSince(entries, 12), 0);
  assert.is(countSince([], 0), 0);
});

test("the group consumer counts as stalled when it read under a tenth of the acks (S6: 62 against 298,937)", () => {
  assert.ok(groupStalled(298937, 62));
  assert.ok(groupStalled(1000, 99));
  assert.not.ok(groupStalled(1000, 100), "a tenth keeps it");
  assert.not.ok(groupStalled(1000, 1200), "catching up after a pause");
  assert.not.ok(groupStalled(99, 0), "too few acks to judge (producer stalled too, e.g. during a failover)");
});

test("the supervisor judges no window that reaches into a pause (S11: a partition offline on purpose)", () => {
  assert.ok(supervisionAllowed([], 1000), "no pause");
  assert.not.ok(supervisionAllowed([{ from: 500 }], 1000), "a pause still open");
  assert.not.ok(supervisionAllowed([{ from: 500, to: 1200 }], 1000), "the window starts before the pause ended");
  assert.ok(supervisionAllowed([{ from: 500, to: 900 }], 1000), "the window starts after the pause ended");
  assert.not.ok(supervisionAllowed([{ from: 100, to: 200 }, { from: 900 }], 1000), "any open pause holds");
});

const timedOut = (): FailedSend => ({
  id: 7,
  time: Date.now(),
  error: "TimeoutError: timed out after 15s waiting for send of record 7",
  producer: "p3",
  seq: 4,
});
const ackOf = (offset: number) => ({ id: 7, partition: 2, offset, producer: "p3", seq: 4 });

test("a send past the cutoff that is acknowledged later is kept as a late ack; its producer is retired only then", async () => {
  const acks: Ack[] = [];
  const failure = timedOut();
  const order: string[] = [];
  let answer: (offset: number) => void = () => undefined;
  const sending = new Promise<number>((resolve) => {
    answer = resolve;
  });
  const done = lateOutcome(sending, ackOf, failure, { acks, waitMs: 5000, onLateAck: () => order.push("ack"), retire: async () => order.push("retire") });
  assert.equal(order, [], "nothing happens while the send is pending");
  answer(41);
  await done;
  assert.equal(
    acks.map(({ time: _, ...a }) => a),
    [{ id: 7, partition: 2, offset: 41, producer: "p3", seq: 4, late: true }],
  );
  assert.equal(order, ["ack", "retire"]);
  assert.match(failure.error, /^TimeoutError/, "the send still counts as failed at the cutoff");
});

test("a send past the cutoff that fails later (or never settles) adds its outcome to the failure, never rejects", async () => {
  const acks: Ack[] = [];
  const failed = timedOut();
  await lateOutcome(Promise.reject(new Error("NOT_ENOUGH_REPLICAS")), ackOf, failed, { acks, waitMs: 5000 });
  assert.match(failed.error, /; then: Error: NOT_ENOUGH_REPLICAS$/);
  const hanging = timedOut();
  let retired = false;
  await lateOutcome(new Promise<number>(() => undefined), ackOf, hanging, { acks, waitMs: 50, retire: async () => (retired = true) });
  assert.match(hanging.error, /; then: TimeoutError: timed out after 0s waiting for late outcome of record 7$/);
  assert.ok(retired);
  assert.equal(acks, []);
});

test("createTopic waits through a broker whose metadata lags the creation (T2 failed on kafkajs' waitForLeaders)", async () => {
  const created: ITopicConfig[] = [];
  // What brokers answered in turn: the topic unknown (KRaft metadata not yet applied), leaders but a
  // short ISR, then the full ISR.
  const answers: (() => unknown)[] = [
    () => {
      throw new Error("This server does not host this topic-partition");
    },
    () => ({ topics: [{ name: "t", partitions: [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0, replicas: [0, 1], isr: [0] })) }] }),
    () => ({ topics: [{ name: "t", partitions: [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0, replicas: [0, 1], isr: [0, 1] })) }] }),
  ];
  let asked = 0;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    createTopics: async (req: { topics: ITopicConfig[]; waitForLeaders?: boolean }) => {
      assert.is(req.waitForLeaders, false, "kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION");
      created.push(...req.topics);
      return true;
    },
    fetchTopicMetadata: async () => (answers[Math.min(asked++, answers.length - 1)] ?? (() => undefined))(),
  } as unknown as Admin;
  await createTopic(new AdminProbe(["a:1"], { newAdmin: () => admin }), "t", 3, { replicationFactor: 2 });
  assert.equal(created, [{ topic: "t", numPartitions: 3, replicationFactor: 2 }]);
  assert.is(asked, 3, "returns once every partition has its full ISR, not before");
});

test("createTopic refuses a layout together with what the layout decides", async () => {
  const admin = {} as unknown as Admin;
  const probe = new AdminProbe(["a:1"], { newAdmin: () => admin });
  const layout = { assignment: [[0, 1]], configs: {} };
  const refusal = (p: Promise<void>) =>
    p.then(
      () => "created",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
  assert.match(await refusal(createTopic(probe, "t", 1, { layout, replicationFactor: 3 })), "a layout or a replication factor, not both");
  assert.match(await refusal(createTopic(probe, "t", 2, { layout })), "assigns 1 partitions, not 2");
});

test.run();
