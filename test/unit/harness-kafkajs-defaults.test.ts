// The kafkajs-defaults profile's pure check (test/helpers/kafkajs-defaults.ts) on crafted
// histories: at-least-once holds or it does not; duplicates and reordering are reported only.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Ack, GroupRead, Read } from "../helpers/checker.js";
import { KAFKAJS_PRODUCER, type KafkajsHistory, acksOfSend, checkKafkajs } from "../helpers/kafkajs-defaults.js";

const T0 = 1_000_000;

/** Two sends of two records: ids 0,1 on p0 at 0,1 and ids 2,3 on p1 at 0,1. */
const acks = (): Ack[] => [...acksOfSend(0, 2, 0, 0, T0 + 100), ...acksOfSend(2, 2, 1, 0, T0 + 200)];
const readsOf = (xs: readonly Ack[]): Read[] => xs.map(({ id, partition, offset }) => ({ id, partition, offset }));
const groupOf = (xs: readonly Read[]): GroupRead[] => xs.map((r, i) => ({ ...r, time: T0 + 300 + i, member: "kafkajs-defaults", generation: 0 }));
const history = (over: Partial<KafkajsHistory> = {}): KafkajsHistory => ({
  acks: acks(),
  failures: [],
  groupReads: groupOf(readsOf(acks())),
  attempted: 4,
  unresolved: 0,
  maxPending: 2,
  startedAt: T0,
  stopAt: T0 + 1000,
  ...over,
});
const ends = [
  { partition: 0, end: 2 },
  { partition: 1, end: 2 },
];

test("acksOfSend: the records of one send take consecutive offsets of one partition, in send order", () => {
  assert.equal(acksOfSend(8, 3, 4, 100, 5), [
    { id: 8, partition: 4, offset: 100, time: 5, producer: KAFKAJS_PRODUCER, seq: 8 },
    { id: 9, partition: 4, offset: 101, time: 5, producer: KAFKAJS_PRODUCER, seq: 9 },
    { id: 10, partition: 4, offset: 102, time: 5, producer: KAFKAJS_PRODUCER, seq: 10 },
  ]);
});

test("a clean history passes with its figures", () => {
  const r = checkKafkajs(history(), { reads: readsOf(acks()), ends }, T0);
  assert.equal(r.violations, []);
  assert.is(r.facts.kjsAcknowledged, 4);
  assert.is(r.facts.kjsLost, 0);
  assert.is(r.facts.kjsMaxPendingSends, 2);
});

test("a retried send written twice and landing behind a later one is reported, not a violation", () => {
  // The first send's records were written at p0:0,1, its response lost, and the retry wrote them
  // again at p0:3,4 behind a later send of id 4 at p0:2; the ack names the retry's offsets.
  const h = history({ acks: [...acksOfSend(4, 1, 0, 2, T0 + 150), ...acksOfSend(0, 2, 0, 3, T0 + 400), ...acksOfSend(2, 2, 1, 0, T0 + 200)], attempted: 5 });
  const reads: Read[] = [
    { id: 0, partition: 0, offset: 0 },
    { id: 1, partition: 0, offset: 1 },
    { id: 4, partition: 0, offset: 2 },
    { id: 0, partition: 0, offset: 3 },
    { id: 1, partition: 0, offset: 4 },
    { id: 2, partition: 1, offset: 0 },
    { id: 3, partition: 1, offset: 1 },
  ];
  h.groupReads = groupOf(reads);
  const r = checkKafkajs(
    h,
    {
      reads,
      ends: [
        { partition: 0, end: 5 },
        { partition: 1, end: 2 },
      ],
    },
    T0,
  );
  assert.equal(r.violations, []);
  assert.is(r.facts.kjsDuplicates, 2);
  assert.is(r.facts.kjsAckOrderViolations, 1, "id 4 (sent after 0 and 1) acknowledged at a lower offset");
});

test("an acknowledged record missing from the read-back is a violation naming it", () => {
  const reads = readsOf(acks()).filter((r) => r.id !== 3);
  const r = checkKafkajs(history({ groupReads: groupOf(reads) }), { reads, ends }, T0);
  assert.ok(
    r.violations.some((v) => v.startsWith("acked-at-offset") && v.includes("id 3")),
    r.violations.join("\n"),
  );
  assert.ok(
    r.violations.some((v) => v.startsWith("contiguous-read-back")),
    "the hole at p1:1",
  );
  assert.ok(
    r.violations.some((v) => v.startsWith("group-consumed") && v.includes("id 3 at p1:1")),
    "the group never got it either",
  );
  assert.is(r.facts.kjsLost, 1);
});

test("two records at one offset, or a record never sent, are violations", () => {
  const reads = [...readsOf(acks()), { id: 2, partition: 0, offset: 1 }, { id: 99, partition: 1, offset: 2 }];
  const r = checkKafkajs(history(), { reads, ends }, T0);
  assert.ok(
    r.violations.some((v) => v.startsWith("one-record-per-offset")),
    r.violations.join("\n"),
  );
  assert.ok(
    r.violations.some((v) => v.startsWith("nothing-unexpected") && v.includes("id 99")),
    r.violations.join("\n"),
  );
});

test("no acknowledgement at all is a violation; failed sends are counted in the window", () => {
  const failures = [0, 1].map((id) => ({ id, time: T0 + 500, error: "KafkaJSNumberOfRetriesExceeded", producer: KAFKAJS_PRODUCER, seq: id }));
  const r = checkKafkajs(history({ acks: [], failures, groupReads: [], attempted: 2 }), { reads: [], ends: [] }, T0);
  assert.ok(r.violations.some((v) => v.startsWith("acknowledged:")));
  assert.is(r.facts.kjsFailedSends, 2);
  assert.is(r.facts.kjsFirstFailure, "KafkaJSNumberOfRetriesExceeded");
});

test.run();
