import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type Ack,
  type CheckInput,
  type GroupRead,
  type IsrSample,
  type Read,
  RULES,
  acksPerSecond,
  check,
  groupOrderViolations,
  groupRedeliveries,
  longestGap,
  readGaps,
  readyVerdicts,
  timeToFullIsr,
  underMinIsrSamples,
  unconsumedAcks,
  violations,
} from "../helpers/checker.js";

// A clean history. Producer p0 sends ids 0, 1, 2 and producer p1 ids 3, 4, 5 (send #0..#2 each);
// id N goes to partition N % 2. Partition 0 holds ids 0, 2, 4 at offsets 0..2, partition 1 ids 1, 3, 5.
const place: Record<number, [number, number]> = { 0: [0, 0], 1: [1, 0], 2: [0, 1], 3: [1, 1], 4: [0, 2], 5: [1, 2] };
const ack = (id: number, over: Partial<Ack> = {}): Ack => ({
  id,
  partition: place[id]?.[0] ?? 0,
  offset: place[id]?.[1] ?? 0,
  time: 1000 + id * 100,
  producer: id < 3 ? "p0" : "p1",
  seq: id % 3,
  ...over,
});
const acks = [0, 1, 2, 3, 4, 5].map((id) => ack(id));
const readsOf = (list: Ack[]): Read[] => list.map(({ id, partition, offset }) => ({ id, partition, offset }));
const byLog = (a: Read, b: Read): number => a.partition - b.partition || a.offset - b.offset;
// The group: one member, one generation, reading each partition in order.
const groupOf = (reads: Read[], member = "m0", generation = 1): GroupRead[] =>
  [...reads].sort(byLog).map((r, i) => ({ ...r, time: 2000 + i, member, generation }));
const base: CheckInput = {
  acks,
  failures: [],
  reads: readsOf(acks),
  ends: [
    { partition: 0, end: 3 },
    { partition: 1, end: 3 },
  ],
  groupReads: groupOf(readsOf(acks)),
  attempted: 6,
  start: 1000,
  end: 1600,
  groupDeadline: 1600,
  groupRestarts: [],
};
const ruleNames = (input: CheckInput): string[] => violations(check(input)).map((v) => v.split(" ")[0] ?? "");

/** The checker of main before this change (7f5c370), reduced to what it asserted: lost, offset mismatches, unexpected. */
function oldCheckerPasses(input: CheckInput): boolean {
  const readCount = new Map<number, number>();
  const readAt = new Map<string, number>();
  for (const r of input.reads) {
    const key = `${r.partition}:${r.offset}`;
    if (readAt.has(key)) continue; // the old checker dropped a second read of an offset
    readAt.set(key, r.id);
    readCount.set(r.id, (readCount.get(r.id) ?? 0) + 1);
  }
  // It never saw late acks (the traffic threw them away) nor group reads.
  const acked = input.acks.filter((a) => !a.late);
  const lost = acked.filter((a) => !readCount.has(a.id));
  const mismatches = acked.filter((a) => readAt.has(`${a.partition}:${a.offset}`) && readAt.get(`${a.partition}:${a.offset}`) !== a.id);
  return lost.length === 0 && mismatches.length === 0;
}

test("a clean history passes every rule", () => {
  const r = check(base);
  assert.is(r.acknowledged, 6);
  assert.equal(violations(r), []);
  assert.is(r.duplicates, 0);
  assert.is(r.lateAcks, 0);
  assert.is(r.longestGap.ms, 100);
});

test("every rule has a name and a demand", () => {
  assert.equal(
    RULES.map((r) => r.name),
    [
      "acked-at-offset",
      "ack-order",
      "one-record-per-offset",
      "contiguous-read-back",
      "group-order",
      "group-consumed",
      "group-steady",
      "no-duplicates",
      "nothing-unexpected",
    ],
  );
  assert.ok(RULES.every((r) => r.demand.length > 10));
});

test("no acknowledgement at all fails", () => {
  assert.equal(ruleNames({ ...base, acks: [], reads: [], groupReads: [], ends: [] }), ["acknowledged:"]);
});

// --- acked-at-offset

test("acked-at-offset: an acknowledged record missing from the read-back is lost (and leaves a hole)", () => {
  const r = check({ ...base, reads: readsOf(acks).filter((x) => x.id !== 3) });
  assert.equal(
    r.lost.map((l) => [l.id, l.foundThere, l.readAt]),
    [[3, [], []]],
  );
  assert.equal(ruleNames({ ...base, reads: readsOf(acks).filter((x) => x.id !== 3) }), ["acked-at-offset", "contiguous-read-back"]);
});

test("acked-at-offset: a record overwritten after its ack (another record at its offset) is lost", () => {
  // Unclean-election style: offset 1 of partition 1 (id 3) now holds id 7, a failed send.
  const reads = [...readsOf(acks).filter((x) => x.id !== 3), { id: 7, partition: 1, offset: 1 }];
  const r = check({ ...base, reads, attempted: 8, failures: [{ id: 7, time: 1400, error: "timeout", producer: "p2", seq: 0 }] });
  assert.equal(
    r.lost.map((l) => [l.id, l.foundThere]),
    [[3, [7]]],
  );
});

test("acked-at-offset: a record found only at another offset is flagged (main's checker passed this history)", () => {
  // id 3 was acked at p1:1 but the log holds it at p1:3; p1:1 holds nothing readable... in the
  // read-back the consumer got p1:0, p1:2, p1:3. main's checker: id 3 was read, p1:1 holds
  // nothing else, so it saw no loss. Rules acked-at-offset and contiguous-read-back catch it.
  const reads = [...readsOf(acks).filter((x) => x.id !== 3), { id: 3, partition: 1, offset: 3 }];
  const input = {
    ...base,
    reads,
    ends: [
      { partition: 0, end: 3 },
      { partition: 1, end: 4 },
    ],
  };
  assert.ok(oldCheckerPasses(input));
  const r = check(input);
  assert.equal(
    r.lost.map((l) => [l.id, l.readAt]),
    [[3, [{ partition: 1, offset: 3 }]]],
  );
  assert.equal(ruleNames(input), ["acked-at-offset", "contiguous-read-back"]);
});

test("acked-at-offset: a late ack (after the 15 s cutoff) is checked; losing it passed main's checker", () => {
  // Send #0 of producer p2 (id 6) passed the cutoff at 1600 and was counted failed; its ack came at
  // 3000 for p0:3. main's traffic threw that ack away, so a lost id 6 was just "a failed send".
  const late = ack(6, { partition: 0, offset: 3, time: 3000, producer: "p2", seq: 0, late: true });
  const input: CheckInput = { ...base, acks: [...acks, late], failures: [{ id: 6, time: 1600, error: "TimeoutError", producer: "p2", seq: 0 }], attempted: 7 };
  assert.ok(oldCheckerPasses(input));
  const r = check(input);
  assert.is(r.lateAcks, 1);
  assert.is(r.failedSends, 1);
  assert.equal(
    r.lost.map((l) => l.id),
    [6],
  );
  assert.match(violations(r)[0] ?? "", /id 6 \(producer p2 send #0, late ack\) acked [\d:.]+ at p0:3: that offset was not read, the record was read nowhere/);
  // Read back where it was acknowledged, the late ack passes and counts as recovered.
  const kept = check({
    ...input,
    reads: [...input.reads, { id: 6, partition: 0, offset: 3 }],
    ends: [
      { partition: 0, end: 4 },
      { partition: 1, end: 3 },
    ],
  });
  assert.equal(violations(kept), []);
  assert.is(kept.recovered, 1);
});

// --- one-record-per-offset

test("one-record-per-offset: an offset re-read with another record is an inconsistency, not a re-delivery (loses a write main's checker passed)", () => {
  // The read-back's consumer re-joined and read partition 1 again, this time from a replica that
  // lost id 3: p1:1 now holds id 7 (a failed send). main's checker kept the first read of p1:1 and
  // dropped the second, so it reported nothing lost, although the log no longer holds id 3.
  const reads = [...readsOf(acks), { id: 1, partition: 1, offset: 0 }, { id: 7, partition: 1, offset: 1 }, { id: 5, partition: 1, offset: 2 }];
  const input: CheckInput = { ...base, reads, attempted: 8, failures: [{ id: 7, time: 1500, error: "timeout", producer: "p2", seq: 0 }] };
  assert.ok(oldCheckerPasses(input));
  const r = check(input);
  assert.equal(r.inconsistentOffsets, [{ partition: 1, offset: 1, ids: [3, 7] }]);
  assert.equal(ruleNames(input), ["one-record-per-offset"]);
  assert.match(violations(r)[0] ?? "", /p1:1 read as ids 3 and 7/);
});

test("one-record-per-offset: the group and the read-back must agree too; the same record re-read is fine", () => {
  const again = [...readsOf(acks), ...readsOf(acks)];
  assert.equal(check({ ...base, reads: again }).inconsistentOffsets, []);
  assert.is(check({ ...base, reads: again }).duplicates, 0, "a re-delivered offset is not a duplicate");
  const groupReads = groupOf(readsOf(acks)).map((g) => (g.partition === 0 && g.offset === 2 ? { ...g, id: 9 } : g));
  assert.equal(check({ ...base, groupReads, attempted: 10 }).inconsistentOffsets, [{ partition: 0, offset: 2, ids: [4, 9] }]);
});

// --- ack-order

test("ack-order: per producer and partition, offsets rise in send order", () => {
  // p0's send #2 (id 2) acknowledged below its send #0 (id 0) on partition 0.
  const swapped = acks.map((a) => (a.id === 0 ? { ...a, offset: 1 } : a.id === 2 ? { ...a, offset: 0 } : a));
  const input = { ...base, acks: swapped, reads: readsOf(swapped), groupReads: groupOf(readsOf(swapped)) };
  assert.equal(check(input).ackOrder, [{ producer: "p0", partition: 0, seq: 2, offset: 0, previousSeq: 0, previousOffset: 1 }]);
  assert.equal(ruleNames(input), ["ack-order"]);
});

test("ack-order: two producers interleave freely, a repeated offset of one producer is a violation", () => {
  assert.equal(check(base).ackOrder, [], "p0 and p1 interleave on both partitions");
  const twice = [...acks, ack(6, { partition: 0, offset: 1, producer: "p0", seq: 3 })];
  assert.is(check({ ...base, acks: twice, attempted: 7 }).ackOrder.length, 1);
});

// --- contiguous-read-back

test("contiguous-read-back: a hole below the end offset is flagged even where no ack points (main's checker passed it)", () => {
  // p0:1 held id 2; the read-back skipped it. With id 2 a failed send (no ack), main saw nothing wrong.
  const input: CheckInput = {
    ...base,
    acks: acks.filter((a) => a.id !== 2),
    failures: [{ id: 2, time: 1200, error: "timeout", producer: "p0", seq: 2 }],
    reads: readsOf(acks).filter((x) => x.id !== 2),
  };
  assert.ok(oldCheckerPasses(input));
  assert.equal(check(input).readGaps, [{ partition: 0, from: 1, to: 2 }]);
  assert.equal(ruleNames(input), ["contiguous-read-back"]);
});

test("contiguous-read-back: from offset 0, up to the end offset or past it when the read went further", () => {
  assert.equal(readGaps([{ id: 1, partition: 0, offset: 2 }], [{ partition: 0, end: 5 }]), [
    { partition: 0, from: 0, to: 2 },
    { partition: 0, from: 3, to: 5 },
  ]);
  assert.equal(readGaps([], [{ partition: 3, end: 0 }]), [], "an empty partition");
  assert.equal(
    readGaps(
      [
        { id: 1, partition: 0, offset: 0 },
        { id: 2, partition: 0, offset: 4 },
      ],
      [{ partition: 0, end: 1 }],
    ),
    [{ partition: 0, from: 1, to: 4 }],
  );
  assert.equal(readGaps([{ id: 1, partition: 2, offset: 1 }], []), [{ partition: 2, from: 0, to: 1 }], "a partition without an end offset");
});

// --- group-order

const g = (member: string, generation: number, partition: number, offsets: number[]): GroupRead[] =>
  offsets.map((offset) => ({ id: 0, partition, offset, time: 0, member, generation }));

test("group-order: without a re-join a member reads each partition offset by offset", () => {
  assert.equal(groupOrderViolations(g("m0", 1, 0, [0, 1, 2, 3])), []);
  assert.equal(groupOrderViolations(g("m0", 1, 0, [0, 1, 3])), [{ member: "m0", generation: 1, partition: 0, offset: 3, kind: "skip", expected: 2 }]);
  assert.equal(groupOrderViolations(g("m0", 1, 0, [0, 1, 2, 1])), [{ member: "m0", generation: 1, partition: 0, offset: 1, kind: "back", expected: 3 }]);
  assert.equal(
    groupOrderViolations(g("m0", 1, 0, [0, 1, 1])).map((v) => v.kind),
    ["back"],
    "the same offset twice without a re-join",
  );
  // Keeping the partition across a join and going on where it was is one run.
  assert.equal(groupOrderViolations([...g("m0", 1, 0, [0, 1]), ...g("m0", 2, 0, [2, 3])]), []);
});

test("group-order: after a re-join a member may resume at the committed offset (re-delivery), never past the group's furthest read + 1", () => {
  // m0 read 0..4 and committed 3; after the re-join (generation 2) it re-reads from 3: allowed.
  assert.equal(groupOrderViolations([...g("m0", 1, 0, [0, 1, 2, 3, 4]), ...g("m0", 2, 0, [3, 4, 5])]), []);
  // A replacement member resuming at 5 right after 4: allowed. At 6: offset 5 was skipped.
  assert.equal(groupOrderViolations([...g("m0", 1, 0, [0, 1, 2, 3, 4]), ...g("m1", 1, 0, [5, 6])]), []);
  assert.equal(groupOrderViolations([...g("m0", 1, 0, [0, 1, 2, 3, 4]), ...g("m1", 1, 0, [6, 7])]), [
    { member: "m1", generation: 1, partition: 0, offset: 6, kind: "resume-past", expected: 5 },
  ]);
  // Partition 0 went to m1 (which read 5..9) and came back to m0 at 10 after another join: allowed.
  assert.equal(groupOrderViolations([...g("m0", 1, 0, [0, 1, 2, 3, 4]), ...g("m1", 1, 0, [5, 6, 7, 8, 9]), ...g("m0", 3, 0, [10, 11])]), []);
  // The group reads from the beginning: a first read past 0 skipped records.
  assert.equal(groupOrderViolations(g("m0", 1, 2, [1, 2])), [{ member: "m0", generation: 1, partition: 2, offset: 1, kind: "resume-past", expected: 0 }]);
  // An old member finishing its batch while the new one has started (both continuous): fine.
  const interleaved = [...g("m0", 1, 0, [0, 1]), ...g("m1", 1, 0, [2]), ...g("m0", 1, 0, [2]), ...g("m1", 1, 0, [3])];
  assert.equal(groupOrderViolations(interleaved), []);
});

test("group-order: a join during a run allows the jump after it (kafkajs delivers a batch fetched before it re-joined), a second jump without a join does not", () => {
  // Generation 1 read 0..2; kafkajs re-joined (generation 2) while a batch with 3, 4 was still
  // delivered; then it fetched from the committed offset 2: allowed, the member re-joined.
  const stale = [...g("m0", 1, 0, [0, 1, 2]), ...g("m0", 2, 0, [3, 4]), ...g("m0", 2, 0, [2, 3, 4, 5])];
  assert.equal(groupOrderViolations(stale), []);
  // Going back again in generation 2, with no join since that run began at 2: a violation.
  assert.equal(groupOrderViolations([...stale, ...g("m0", 2, 0, [4])]), [{ member: "m0", generation: 2, partition: 0, offset: 4, kind: "back", expected: 6 }]);
});

test("group re-deliveries are counted (reads of offsets the group had read before)", () => {
  assert.is(groupRedeliveries([...g("m0", 1, 0, [0, 1, 2, 3, 4]), ...g("m0", 2, 0, [3, 4, 5]), ...g("m1", 1, 1, [0])]), 2);
  assert.is(check(base).groupRedeliveries, 0);
});

test("group-order violations fail the check and name the member", () => {
  const groupReads = groupOf(readsOf(acks)).filter((r) => !(r.partition === 1 && r.offset === 1));
  // The skipped offset is also a record the group never delivered.
  assert.equal(ruleNames({ ...base, groupReads }), ["group-order", "group-consumed"]);
  assert.match(violations(check({ ...base, groupReads }))[0] ?? "", /member m0 generation 1 p1: read offset 2, skipping without a re-join \(expected 1\)/);
});

// --- no-duplicates, nothing-unexpected, failed sends

test("no-duplicates: an id read at two offsets fails (idempotent producers write once)", () => {
  const reads = [...readsOf(acks), { id: 4, partition: 0, offset: 3 }];
  const r = check({
    ...base,
    reads,
    ends: [
      { partition: 0, end: 4 },
      { partition: 1, end: 3 },
    ],
  });
  assert.is(r.duplicates, 1);
  assert.equal(r.duplicateIds, [4]);
  assert.equal(
    violations(r).map((v) => v.split(" ")[0]),
    ["no-duplicates"],
  );
});

test('failed sends are counted; those read back anyway are "recovered", not lost or unexpected', () => {
  const failures = [
    { id: 6, time: 1550, error: "timeout", producer: "p2", seq: 0 },
    { id: 7, time: 1560, error: "NOT_ENOUGH_REPLICAS", producer: "p3", seq: 0 },
  ];
  const reads = [...readsOf(acks), { id: 6, partition: 0, offset: 3 }];
  const r = check({
    ...base,
    failures,
    reads,
    attempted: 8,
    ends: [
      { partition: 0, end: 4 },
      { partition: 1, end: 3 },
    ],
  });
  assert.is(r.failedSends, 2);
  assert.is(r.recovered, 1);
  assert.equal(violations(r), []);
});

test("nothing-unexpected: an id never attempted, read back or by the group", () => {
  const reads = [...readsOf(acks), { id: 99, partition: 1, offset: 3 }];
  assert.equal(
    check({
      ...base,
      reads,
      ends: [
        { partition: 0, end: 3 },
        { partition: 1, end: 4 },
      ],
    }).unexpected,
    [99],
  );
  const groupReads = [...groupOf(readsOf(acks)), { id: Number.NaN, partition: 1, offset: 3, time: 3000, member: "m0", generation: 1 }];
  assert.equal(check({ ...base, groupReads }).unexpected, [Number.NaN]);
});

test("messages show at most five offending records per rule", () => {
  const reads = readsOf(acks).filter((x) => x.partition === 1);
  const [line] = violations(check({ ...base, reads }));
  assert.match(line ?? "", /^acked-at-offset \(every acknowledged record .*\): 3 violation\(s\); first: id 0 /);
  const many = Array.from({ length: 8 }, (_, i) => ack(10 + i, { partition: 5, offset: 100 + i, producer: "p9", seq: i }));
  const lines = violations(check({ ...base, acks: [...acks, ...many], attempted: 20 }));
  assert.is((lines[0]?.match(/acked [\d:.]+ at p5:/g) ?? []).length, 5);
  assert.match(lines[0] ?? "", /8 violation\(s\)/);
});

// S6 acknowledged 298,937 records: no stack-deep spread, nothing quadratic (that would take minutes).
test("a history of 300,000 records is checked without blowing up", () => {
  const n = 300000;
  const big = Array.from({ length: n }, (_, id) => ({
    id,
    partition: id % 6,
    offset: Math.floor(id / 6),
    time: id,
    producer: `p${id % 2}`,
    seq: Math.floor(id / 2),
  }));
  const reads = readsOf(big);
  const started = Date.now();
  const r = check({
    acks: big,
    failures: [],
    reads,
    ends: [0, 1, 2, 3, 4, 5].map((partition) => ({ partition, end: n / 6 })),
    groupReads: groupOf(reads),
    attempted: n,
    start: 0,
    end: n,
  });
  assert.equal(violations(r), []);
  assert.ok(Date.now() - started < 60000, `took ${Date.now() - started} ms`);
});

// --- timing figures

test("longest gap counts the silence before the first and after the last acknowledgement", () => {
  assert.equal(longestGap([1200, 1300], 1000, 2000), { ms: 700, from: 1300, to: 2000 });
  assert.equal(longestGap([1500, 1600], 1000, 1700), { ms: 500, from: 1000, to: 1500 });
  assert.equal(longestGap([], 1000, 1400), { ms: 400, from: 1000, to: 1400 });
  // Unsorted input and a gap in the middle.
  assert.equal(longestGap([1900, 1100, 1000, 1200], 1000, 2000), { ms: 700, from: 1200, to: 1900 });
});

const sample = (time: number, underReplicated: number, underMinIsr = 0, offline = 0): IsrSample => ({
  time,
  partitions: 6,
  underReplicated,
  underMinIsr,
  offline,
});

test("time to full ISR is measured to the first full sample after the last degraded one", () => {
  const samples = [sample(0, 0), sample(1000, 2), sample(2000, 1), sample(3000, 0), sample(4000, 1), sample(5000, 0), sample(6000, 0)];
  assert.is(timeToFullIsr(samples, 500), 4500);
  assert.is(timeToFullIsr(samples, 5500), 0);
  assert.is(timeToFullIsr([...samples, sample(7000, 3)], 500), null);
  assert.is(timeToFullIsr([{ time: 1000, partitions: 0, underReplicated: 0, underMinIsr: 0, offline: 0 }, sample(2000, 0)], 0), 2000);
});

test("under-min-ISR samples include leaderless partitions", () => {
  const samples = [sample(0, 1), sample(1000, 1, 1), sample(2000, 0, 0, 1)];
  assert.equal(
    underMinIsrSamples(samples).map((s) => s.time),
    [1000, 2000],
  );
});

test("acks per second buckets acknowledgements and keeps empty seconds", () => {
  assert.equal(acksPerSecond([1000, 1500, 3999, 4000], 1000, 4000), [
    { second: 0, acks: 2 },
    { second: 1, acks: 0 },
    { second: 2, acks: 1 },
  ]);
});

test("group-consumed: an acknowledged record the group never delivered at its offset, up to the deadline", () => {
  // The group missed ids 3 and 4 and read id 5 at the wrong offset; id 5 was acked (1500) after deadline 1450.
  const groupReads = groupOf(readsOf(acks).filter((r) => r.id !== 3 && r.id !== 4)).map((r) => (r.id === 5 ? { ...r, offset: 7 } : r));
  assert.equal(
    check({ ...base, groupReads, groupDeadline: 1450 }).groupMissed.map((a) => a.id),
    [3, 4],
  );
  assert.equal(
    check({ ...base, groupReads, groupDeadline: 1600 }).groupMissed.map((a) => a.id),
    [3, 4, 5],
  );
  assert.ok(ruleNames({ ...base, groupReads }).includes("group-consumed"));
  // Without a deadline the rule has nothing to check.
  assert.equal(check({ ...base, groupReads, groupDeadline: undefined }).groupMissed, []);
});

test("group-steady: a supervisor replacement of the group consumer is a violation", () => {
  assert.equal(ruleNames({ ...base, groupRestarts: [1300] }), ["group-steady"]);
});

test("Ready transitions: judged by the first answered ISR sample at least 1 s later (transition times are whole seconds)", () => {
  const at = (time: number, outOfIsr?: number[]): IsrSample => ({
    time,
    partitions: outOfIsr ? 6 : 0,
    underReplicated: 0,
    underMinIsr: 0,
    offline: 0,
    outOfIsr,
  });
  const samples = [at(10_000, [1]), at(10_900, [1]), at(11_200), at(12_100, []), at(20_000, [2]), at(50_000, [])];
  const verdicts = readyVerdicts(
    [
      // Out of the ISR before 11 s, and the 11.2 s sample failed: judged at 12.1 s, back in every ISR.
      { pod: "kafka-ha-1", brokerId: 1, time: 10_000 },
      // Ready at 19 s, still missing from an ISR at 20 s: what a TCP check would give.
      { pod: "kafka-ha-2", brokerId: 2, time: 19_000 },
      // No answered sample within 10 s of 30 s + 1 s: unverified, not a pass.
      { pod: "kafka-ha-0", brokerId: 0, time: 30_000 },
    ],
    samples,
  );
  assert.equal(
    verdicts.map((v) => [v.pod, v.inIsr, v.sampleTime]),
    [
      ["kafka-ha-1", true, 12_100],
      ["kafka-ha-2", false, 20_000],
      ["kafka-ha-0", undefined, undefined],
    ],
  );
});

test("consumed-every-ack: an acknowledged offset the consumer never got is flagged; extra or repeated offsets are not", () => {
  const consumed = readsOf(acks).map(({ partition, offset }) => ({ partition, offset }));
  assert.equal(unconsumedAcks(acks, consumed), []);
  assert.equal(unconsumedAcks(acks, [...consumed, ...consumed, { partition: 0, offset: 7 }]), []);
  // Partition 1 consumed up to offset 1 only: id 5 (p1:2) is missing. Another partition's offset 2 does not stand in.
  const short = consumed.filter((c) => !(c.partition === 1 && c.offset === 2));
  assert.equal(
    unconsumedAcks(acks, short).map((a) => a.id),
    [5],
  );
  assert.equal(
    unconsumedAcks(acks, []).map((a) => a.id),
    [0, 2, 4, 1, 3, 5],
  );
});

test.run();
