// Pure checks over what the traffic recorded. No I/O, so every rule here is unit-tested with
// crafted histories (test/unit/harness-checker.test.ts).
//
// Modelled on Kafka's own system tests (every acknowledged record must be consumed) and on
// Jepsen's Kafka workload: a send is either acknowledged (the client got an offset), failed (the
// client got an error or gave up: indeterminate, it may or may not be in the log), or acknowledged
// late (after the client had given up; still a promise the log must keep). A record read back is
// matched to what was sent by its id. The rules (RULES below) are strict: each finding names the
// records involved, and every scenario asserts that there are none (test/e2e/session.ts).

/** A send the broker acknowledged with acks=all. `time` is ms since the epoch. */
export interface Ack {
  id: number;
  partition: number;
  offset: number;
  time: number;
  /** The producer instance that sent it (a new instance replaces a producer after each failed send). */
  producer: string;
  /** Send order within that producer instance: 0, 1, 2, ... */
  seq: number;
  /** Acknowledged after the client-side cutoff, when the send had already been counted failed. */
  late?: boolean;
}

/** A send that returned an error or passed the client-side cutoff. Indeterminate: it may still be in the log. */
export interface FailedSend {
  id: number;
  time: number;
  error: string;
  producer: string;
  seq: number;
}

/** A record read back by a consumer. */
export interface Read {
  id: number;
  partition: number;
  offset: number;
}

/**
 * A record the consumer group delivered, in delivery order (the array order). `member` is the
 * consumer instance, `generation` counts its joins of the group: reads delivered after its n-th
 * join carry n.
 */
export interface GroupRead extends Read {
  time: number;
  member: string;
  generation: number;
}

/** The end offset (high watermark) of a partition when the read-back started. */
export interface PartitionEnd {
  partition: number;
  end: number;
}

export interface CheckInput {
  acks: Ack[];
  failures: FailedSend[];
  /** What the final, fresh consumer read from offset 0 of every partition. */
  reads: Read[];
  /** End offsets the read-back read up to. */
  ends: PartitionEnd[];
  /** What the consumer group delivered, in delivery order. */
  groupReads: GroupRead[];
  /** Highest id the producer attempted (ids are 0..attempted-1); reads above it are unexpected. */
  attempted: number;
  /** Start and end of the send loop, to count the gaps before the first and after the last ack. */
  start: number;
  end: number;
  /** Acks up to this time must have been delivered to the group (rule group-consumed); default: none. */
  groupDeadline?: number;
  /** When the group consumer's supervisor replaced it (rule group-steady). */
  groupRestarts?: number[];
}

export interface Gap {
  ms: number;
  from: number;
  to: number;
}

/** An acknowledged record that is not at its acknowledged offset. */
export interface LostRecord extends Ack {
  /** Other ids read at the acknowledged offset ([] when that offset was never read). */
  foundThere: number[];
  /** Where the id was read instead ([] when nowhere). */
  readAt: { partition: number; offset: number }[];
}

export interface AckOrderViolation {
  producer: string;
  partition: number;
  seq: number;
  offset: number;
  previousSeq: number;
  previousOffset: number;
}

export interface InconsistentOffset {
  partition: number;
  offset: number;
  ids: number[];
}

export interface ReadGap {
  partition: number;
  /** First offset missing. */
  from: number;
  /** Offset after the last missing one. */
  to: number;
}

export interface GroupOrderViolation {
  member: string;
  generation: number;
  partition: number;
  offset: number;
  /**
   * `back`: at or below the member's previous offset, `skip`: past its next one, both without a
   * join since the run of reads began; `resume-past`: a new run beyond the group's furthest read + 1.
   */
  kind: "back" | "skip" | "resume-past";
  /** The offset the rule allowed (for `resume-past`: the highest it may be). */
  expected: number;
}

export interface CheckResult {
  acknowledged: number;
  /** Acknowledgements that came after the client-side cutoff (included in `acknowledged` and checked like the others). */
  lateAcks: number;
  failedSends: number;
  /** Rule acked-at-offset: acknowledged records not read back at exactly their acknowledged offset. */
  lost: LostRecord[];
  /** Rule ack-order. */
  ackOrder: AckOrderViolation[];
  /** Rule one-record-per-offset. */
  inconsistentOffsets: InconsistentOffset[];
  /** Rule contiguous-read-back. */
  readGaps: ReadGap[];
  /** Rule group-order. */
  groupOrder: GroupOrderViolation[];
  /** Group reads of offsets the group had read before (allowed after a re-join; reported). */
  groupRedeliveries: number;
  /** Rule no-duplicates: ids read at more than one offset, with how many extra copies. */
  duplicates: number;
  duplicateIds: number[];
  /** Rule nothing-unexpected: ids read (by the read-back or the group) that were never sent. */
  unexpected: number[];
  /** Rule group-consumed: acknowledged records (up to the group deadline) the group never delivered at their offset. */
  groupMissed: Ack[];
  /** Rule group-steady: times the group consumer had to be replaced. */
  groupRestarts: number[];
  /** Failed sends that were read back anyway (Jepsen's "recovered"): indeterminate, not an error. */
  recovered: number;
  /** Longest time without an acknowledgement inside [start, end]. */
  longestGap: Gap;
}

export function longestGap(ackTimes: number[], start: number, end: number): Gap {
  const times = [...ackTimes].sort((a, b) => a - b);
  let best: Gap = { ms: 0, from: start, to: start };
  let previous = start;
  for (const t of [...times, end]) {
    const clamped = Math.min(Math.max(t, start), end);
    if (clamped - previous > best.ms) best = { ms: clamped - previous, from: previous, to: clamped };
    previous = Math.max(previous, clamped);
  }
  return best;
}

/** A (partition, offset) as one number: numeric Map keys keep a 300,000-record history fast. */
const at = (partition: number, offset: number): number => partition * 2 ** 32 + offset;
const place = (key: number): { partition: number; offset: number } => ({ partition: Math.floor(key / 2 ** 32), offset: key % 2 ** 32 });

/** Acknowledged records up to `deadline` that the group did not deliver as that id at that offset. */
export function groupMissed(acks: readonly Ack[], groupReads: readonly GroupRead[], deadline: number | undefined): Ack[] {
  if (deadline === undefined) return [];
  const delivered = new Map<number, Set<number>>();
  for (const r of groupReads) {
    const key = at(r.partition, r.offset);
    const ids = delivered.get(key) ?? new Set<number>();
    ids.add(r.id);
    delivered.set(key, ids);
  }
  return acks.filter((a) => a.time <= deadline && !delivered.get(at(a.partition, a.offset))?.has(a.id));
}

/** What was read where: the ids read at each offset and the offsets each id was read at (distinct). */
export class ReadIndex {
  private readonly idsAt = new Map<number, number[]>();
  private readonly offsetsOf = new Map<number, number[]>();

  constructor(reads: readonly Read[]) {
    for (const r of reads) {
      const key = at(r.partition, r.offset);
      const ids = this.idsAt.get(key);
      if (!ids) this.idsAt.set(key, [r.id]);
      else if (!ids.includes(r.id)) ids.push(r.id);
      const offsets = this.offsetsOf.get(r.id);
      if (!offsets) this.offsetsOf.set(r.id, [key]);
      else if (!offsets.includes(key)) offsets.push(key);
    }
  }

  /** Distinct ids read at (partition, offset). */
  ids(partition: number, offset: number): number[] {
    return this.idsAt.get(at(partition, offset)) ?? [];
  }

  /** Distinct places an id was read at. */
  placesOf(id: number): { partition: number; offset: number }[] {
    return (this.offsetsOf.get(id) ?? []).map(place);
  }

  /** Offsets read with more than one distinct id. */
  *conflicts(): Generator<InconsistentOffset> {
    for (const [key, ids] of this.idsAt) if (ids.length > 1) yield { ...place(key), ids: [...ids].sort((a, b) => a - b) };
  }

  /** Ids read at more than one offset, with the number of places. */
  *spread(): Generator<[number, number]> {
    for (const [id, offsets] of this.offsetsOf) if (offsets.length > 1) yield [id, offsets.length];
  }

  has(id: number): boolean {
    return this.offsetsOf.has(id);
  }
}

/**
 * Rule ack-order: per producer instance and partition, acknowledged offsets rise in send order.
 * (One producer's records to one partition are appended in the order it sent them: idempotence
 * with sequence numbers guarantees it.)
 */
export function ackOrderViolations(acks: readonly Ack[]): AckOrderViolation[] {
  const streams = new Map<string, Ack[]>();
  for (const a of acks) {
    const key = `${a.producer}|${a.partition}`;
    const stream = streams.get(key);
    if (stream) stream.push(a);
    else streams.set(key, [a]);
  }
  const out: AckOrderViolation[] = [];
  for (const stream of streams.values()) {
    stream.sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < stream.length; i++) {
      const prev = stream[i - 1] as Ack;
      const cur = stream[i] as Ack;
      if (cur.offset <= prev.offset) {
        out.push({ producer: cur.producer, partition: cur.partition, seq: cur.seq, offset: cur.offset, previousSeq: prev.seq, previousOffset: prev.offset });
      }
    }
  }
  return out;
}

/**
 * Rule acked-at-offset: every acknowledged record is read back at exactly the offset it was
 * acknowledged at. Covers a record never read (lost), one overwritten by another record
 * (truncation), and one found only at another offset (the ack lied, or the log was rewritten).
 */
export function lostRecords(acks: readonly Ack[], reads: readonly Read[] | ReadIndex): LostRecord[] {
  const index = reads instanceof ReadIndex ? reads : new ReadIndex(reads);
  const out: LostRecord[] = [];
  for (const a of acks) {
    const there = index.ids(a.partition, a.offset);
    if (there.includes(a.id)) continue;
    out.push({ ...a, foundThere: there, readAt: index.placesOf(a.id) });
  }
  return out.sort((a, b) => a.id - b.id);
}

/**
 * Rule one-record-per-offset: an offset read more than once (a re-delivery, the group and the
 * read-back, two read-back attempts) must hold the same record every time. Two different records
 * at one offset mean two replicas disagreed about the log: an inconsistency, never a re-delivery.
 */
export function inconsistentOffsets(reads: readonly Read[]): InconsistentOffset[] {
  return [...new ReadIndex(reads).conflicts()].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/**
 * Rule contiguous-read-back: per partition, the read-back holds every offset from 0 up to its end
 * offset (and up to the highest offset it read, if it read past the end). Kafka leaves holes in
 * offsets only for transaction markers (not used: no transactional producer), compaction (the
 * topics use cleanup.policy=delete) and records removed by retention or deleteRecords (the log
 * start would move past 0; these topics live minutes against a 7-day retention). Idempotent
 * batches take consecutive offsets. So any hole is a record the read-back did not get.
 */
export function readGaps(reads: readonly Read[], ends: readonly PartitionEnd[]): ReadGap[] {
  const offsets = new Map<number, Set<number>>();
  for (const r of reads) offsets.set(r.partition, (offsets.get(r.partition) ?? new Set<number>()).add(r.offset));
  const limit = new Map<number, number>(ends.map((e) => [e.partition, e.end]));
  for (const [p, set] of offsets) {
    let highest = -1;
    for (const o of set) highest = Math.max(highest, o);
    limit.set(p, Math.max(limit.get(p) ?? 0, highest + 1));
  }
  const out: ReadGap[] = [];
  for (const [partition, end] of [...limit].sort(([a], [b]) => a - b)) {
    const set = offsets.get(partition) ?? new Set<number>();
    let from = -1;
    for (let o = 0; o <= end; o++) {
      const missing = o < end && !set.has(o);
      if (missing && from < 0) from = o;
      if (!missing && from >= 0) {
        out.push({ partition, from, to: o });
        from = -1;
      }
    }
  }
  return out;
}

/**
 * Rule group-order, over the group's reads in delivery order. A member reads a partition one
 * offset after the other: a run of reads. A new run may begin only
 * - away from where the previous run would continue (back or forward) if the member re-joined the
 *   group since that run began (its generation changed): a rebalance restarts from the committed
 *   offset, which may be behind what was delivered (re-delivery, allowed). Without a join, any
 *   jump is a violation (`back` or `skip`). "Since the run began" rather than "since the last
 *   read": kafkajs re-joins from inside a fetch when a leader moved, while another broker's batch
 *   may still be delivered, so a few reads after a join can continue the old position;
 * - at most one past the furthest offset any member of the group read before (`resume-past`):
 *   beyond it records were skipped by the whole group. Before any read that is 0, the group
 *   starts from the beginning.
 */
export function groupOrderViolations(reads: readonly GroupRead[]): GroupOrderViolation[] {
  const furthest = new Map<number, number>();
  const runs = new Map<string, { next: number; generation: number }>();
  const out: GroupOrderViolation[] = [];
  for (const r of reads) {
    const key = `${r.member}|${r.partition}`;
    const run = runs.get(key);
    const bound = (furthest.get(r.partition) ?? -1) + 1;
    const base = { member: r.member, generation: r.generation, partition: r.partition, offset: r.offset };
    if (run && r.offset !== run.next && r.generation === run.generation) {
      out.push({ ...base, kind: r.offset < run.next ? "back" : "skip", expected: run.next });
    } else if ((!run || r.offset !== run.next) && r.offset > bound) {
      out.push({ ...base, kind: "resume-past", expected: bound });
    }
    runs.set(key, { next: r.offset + 1, generation: run && r.offset === run.next ? run.generation : r.generation });
    furthest.set(r.partition, Math.max(bound - 1, r.offset));
  }
  return out;
}

/** Group reads of an offset the group had read before (re-deliveries after a re-join: allowed, counted). */
export function groupRedeliveries(reads: readonly GroupRead[]): number {
  const furthest = new Map<number, number>();
  let n = 0;
  for (const r of reads) {
    const top = furthest.get(r.partition) ?? -1;
    if (r.offset <= top) n++;
    else furthest.set(r.partition, r.offset);
  }
  return n;
}

/**
 * Rule consumed-every-ack, for a consumer whose history gives offsets only (Kafka's verifiable
 * consumer reports each poll as per-partition offset ranges, not record ids): every acknowledged
 * record's offset was delivered to the consumer. What sits at that offset is the read-back's
 * business (rule acked-at-offset), so offsets suffice here.
 */
export function unconsumedAcks(acks: readonly Ack[], consumed: readonly { partition: number; offset: number }[]): Ack[] {
  const seen = new Set(consumed.map((c) => at(c.partition, c.offset)));
  return acks.filter((a) => !seen.has(at(a.partition, a.offset))).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

export function check(input: CheckInput): CheckResult {
  const index = new ReadIndex(input.reads);
  // An id at two distinct offsets is a duplicate; one offset re-read is not.
  const duplicateIds: number[] = [];
  let duplicates = 0;
  for (const [id, places] of index.spread()) {
    duplicateIds.push(id);
    duplicates += places - 1;
  }
  const allReads = [...input.reads, ...input.groupReads];
  const unexpected = [...new Set(allReads.map((r) => r.id).filter((id) => !Number.isInteger(id) || id < 0 || id >= input.attempted))];

  return {
    acknowledged: input.acks.length,
    lateAcks: input.acks.filter((a) => a.late).length,
    failedSends: input.failures.length,
    lost: lostRecords(input.acks, index),
    ackOrder: ackOrderViolations(input.acks),
    inconsistentOffsets: inconsistentOffsets(allReads),
    readGaps: readGaps(input.reads, input.ends),
    groupOrder: groupOrderViolations(input.groupReads),
    groupRedeliveries: groupRedeliveries(input.groupReads),
    groupMissed: groupMissed(input.acks, input.groupReads, input.groupDeadline),
    groupRestarts: input.groupRestarts ?? [],
    duplicates,
    duplicateIds: duplicateIds.sort((a, b) => a - b),
    unexpected: unexpected.sort((a, b) => a - b),
    recovered: input.failures.filter((f) => index.has(f.id)).length,
    longestGap: longestGap(
      input.acks.map((a) => a.time),
      input.start,
      input.end,
    ),
  };
}

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
const FIRST = 5;

/** One strict rule: its name, what it demands, and how its findings are printed. */
interface Rule {
  name: string;
  demand: string;
  findings: (r: CheckResult) => string[];
}

export const RULES: Rule[] = [
  {
    name: "acked-at-offset",
    demand: "every acknowledged record is read back at exactly its acknowledged offset",
    findings: (r) =>
      r.lost.map(
        (l) =>
          `id ${l.id} (producer ${l.producer} send #${l.seq}${l.late ? ", late ack" : ""}) acked ${clock(l.time)} at p${l.partition}:${l.offset}: ` +
          `${l.foundThere.length > 0 ? `that offset holds id ${l.foundThere.join("/")}` : "that offset was not read"}, ` +
          `${l.readAt.length > 0 ? `the record was read at ${l.readAt.map((p) => `p${p.partition}:${p.offset}`).join(", ")}` : "the record was read nowhere"}`,
      ),
  },
  {
    name: "ack-order",
    demand: "per producer and partition, acknowledged offsets rise in send order",
    findings: (r) =>
      r.ackOrder.map(
        (v) => `producer ${v.producer} p${v.partition}: send #${v.seq} acked at offset ${v.offset}, after send #${v.previousSeq} at ${v.previousOffset}`,
      ),
  },
  {
    name: "one-record-per-offset",
    demand: "an offset read more than once holds the same record every time",
    findings: (r) => r.inconsistentOffsets.map((v) => `p${v.partition}:${v.offset} read as ids ${v.ids.join(" and ")}`),
  },
  {
    name: "contiguous-read-back",
    demand: "the read-back holds every offset from 0 to the end offset of every partition",
    findings: (r) => r.readGaps.map((g) => `p${g.partition}: offsets ${g.from}..${g.to - 1} missing`),
  },
  {
    name: "group-order",
    demand: "a group member reads each partition offset by offset, jumps only after re-joining the group, and never past what the group read + 1",
    findings: (r) =>
      r.groupOrder.map(
        (v) =>
          `member ${v.member} generation ${v.generation} p${v.partition}: read offset ${v.offset}, ` +
          (v.kind === "resume-past"
            ? `resuming past the group's furthest read + 1 = ${v.expected}`
            : `${v.kind === "back" ? "going back" : "skipping"} without a re-join (expected ${v.expected})`),
      ),
  },
  {
    name: "group-consumed",
    demand: "the consumer group delivers every acknowledged record, at its acknowledged offset",
    findings: (r) => r.groupMissed.map((a) => `id ${a.id} acked ${clock(a.time)} at p${a.partition}:${a.offset} never delivered to the group there`),
  },
  {
    name: "group-steady",
    demand: "the group consumer keeps up without being replaced by its supervisor",
    findings: (r) => r.groupRestarts.map((t) => `replaced at ${clock(t)}`),
  },
  {
    name: "no-duplicates",
    demand: "idempotent producers write each record once",
    findings: (r) => r.duplicateIds.map((id) => `id ${id} read at more than one offset`),
  },
  {
    name: "nothing-unexpected",
    demand: "every record read was sent by this traffic",
    findings: (r) => r.unexpected.map((id) => `id ${id} was never sent`),
  },
];

/**
 * One line per violated rule: its name, the count and the first offending records. Empty when the
 * history passes every rule; the scenarios assert that (assertStrict in test/e2e/session.ts).
 * `only`: the rules a client promises (kafkajs without idempotence: kafkajs-defaults.ts).
 */
export function violations(result: CheckResult, only: readonly string[] = RULES.map((r) => r.name)): string[] {
  const out: string[] = [];
  if (result.acknowledged === 0) out.push("acknowledged: the producer got no acknowledgement at all");
  for (const rule of RULES.filter((r) => only.includes(r.name))) {
    const found = rule.findings(result);
    if (found.length === 0) continue;
    out.push(`${rule.name} (${rule.demand}): ${found.length} violation(s); first: ${found.slice(0, FIRST).join("; ")}`);
  }
  return out;
}

/** One sample of the cluster's partition health, taken while the scenario runs. */
export interface IsrSample {
  time: number;
  /** Partitions checked (0 when the sample could not be taken). */
  partitions: number;
  /** Partitions whose ISR is smaller than their replica set. */
  underReplicated: number;
  /** Partitions whose ISR is smaller than min.insync.replicas (acks=all sends to them fail). */
  underMinIsr: number;
  /** Partitions without a leader. */
  offline: number;
  /** Brokers missing from the ISR of at least one partition they are a replica of (absent when the sample failed). */
  outOfIsr?: number[];
}

export interface ReadyTransition {
  pod: string;
  brokerId: number;
  /** The Ready condition's lastTransitionTime. */
  time: number;
}

export interface ReadyVerdict extends ReadyTransition {
  /** In every ISR it belongs to at the first sample after the transition; undefined: no sample answered. */
  inIsr: boolean | undefined;
  sampleTime?: number;
}

/**
 * "Ready means back in the ISR of every partition it hosts", checked at each Ready transition: the
 * first ISR sample that answered at least `resolutionMs` after the transition (Kubernetes keeps
 * transition times to the second, so an earlier sample may predate the real transition) must list
 * the broker in every ISR it is a replica of. Without an answered sample within `withinMs` the
 * transition is unverified, which fails the claim as well.
 */
export function readyVerdicts(transitions: ReadyTransition[], samples: IsrSample[], resolutionMs = 1000, withinMs = 10000): ReadyVerdict[] {
  return transitions.map((t) => {
    const sample = samples.find(
      (s) => s.outOfIsr !== undefined && s.partitions > 0 && s.time >= t.time + resolutionMs && s.time <= t.time + resolutionMs + withinMs,
    );
    return sample ? { ...t, inIsr: !sample.outOfIsr!.includes(t.brokerId), sampleTime: sample.time } : { ...t, inIsr: undefined };
  });
}

export const fullIsr = (s: IsrSample): boolean => s.partitions > 0 && s.underReplicated === 0 && s.offline === 0;

/**
 * Time from `since` until every partition is back in full ISR for good: the first full sample
 * after the last sample that was not full. 0 when no sample after `since` was ever degraded;
 * null when the last sample is still degraded (never recovered inside the observation).
 */
export function timeToFullIsr(samples: IsrSample[], since: number): number | null {
  const after = samples.filter((s) => s.time >= since).sort((a, b) => a.time - b.time);
  if (after.length === 0) return null;
  let lastDegraded = -1;
  after.forEach((s, i) => {
    if (!fullIsr(s)) lastDegraded = i;
  });
  if (lastDegraded === -1) return 0;
  const recovered = after[lastDegraded + 1];
  return recovered ? recovered.time - since : null;
}

/** Samples at which some partition was under min ISR (S9 must have none). */
export const underMinIsrSamples = (samples: IsrSample[]): IsrSample[] => samples.filter((s) => s.underMinIsr > 0 || s.offline > 0);

/** Acknowledgements per whole second relative to `start`, for the timeline chart. Empty seconds are 0. */
export function acksPerSecond(ackTimes: number[], start: number, end: number): { second: number; acks: number }[] {
  const seconds = Math.max(0, Math.ceil((end - start) / 1000));
  const buckets = new Array<number>(seconds).fill(0);
  for (const t of ackTimes) {
    const i = Math.floor((t - start) / 1000);
    if (i >= 0 && i < seconds) buckets[i] = (buckets[i] ?? 0) + 1;
  }
  return buckets.map((acks, second) => ({ second, acks }));
}
