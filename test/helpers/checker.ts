// Pure checks over what the traffic recorded. No I/O, so every rule here is unit-tested
// (test/unit/harness-checker.test.ts).
//
// Modelled on Kafka's own system tests (every acknowledged record must be consumed) and on
// Jepsen's queue/lost-write checkers: a send is either acknowledged (the client got an offset),
// failed (the client got an error or gave up: indeterminate, it may or may not be in the log),
// and a record read back is matched to what was sent by its id.

/** A send the broker acknowledged with acks=all. `time` is ms since the epoch. */
export interface Ack {
  id: number;
  partition: number;
  offset: number;
  time: number;
}

/** A send that returned an error (or timed out). Indeterminate: it may still be in the log. */
export interface FailedSend {
  id: number;
  time: number;
  error: string;
}

/** A record read back by a consumer. */
export interface Read {
  id: number;
  partition: number;
  offset: number;
}

export interface CheckInput {
  acks: Ack[];
  failures: FailedSend[];
  /** What the final, fresh consumer read from offset 0 of every partition. */
  reads: Read[];
  /** Highest id the producer attempted (ids are 0..attempted-1); reads above it are unexpected. */
  attempted: number;
  /** Start and end of the send loop, to count the gaps before the first and after the last ack. */
  start: number;
  end: number;
}

export interface Gap {
  ms: number;
  from: number;
  to: number;
}

export interface CheckResult {
  acknowledged: number;
  failedSends: number;
  /** Acknowledged ids never read back. Must be empty. */
  lost: number[];
  /** An acknowledged (partition, offset) that holds another record when read back. Must be empty. */
  offsetMismatches: { id: number; partition: number; offset: number; found: number }[];
  /** Ids read more than once (at different offsets), with how many extra copies. */
  duplicates: number;
  duplicateIds: number[];
  /** Failed sends that were read back anyway (Jepsen's "recovered"): indeterminate, not an error. */
  recovered: number;
  /** Ids read back that were never sent (corruption or a foreign writer). Must be empty. */
  unexpected: number[];
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

export function check(input: CheckInput): CheckResult {
  const readCount = new Map<number, number>();
  const readAt = new Map<string, number>();
  const unexpected: number[] = [];
  for (const r of input.reads) {
    const key = `${r.partition}:${r.offset}`;
    // The same (partition, offset) read twice (a consumer re-delivery) is one record, not a duplicate.
    if (readAt.has(key)) continue;
    readAt.set(key, r.id);
    readCount.set(r.id, (readCount.get(r.id) ?? 0) + 1);
    if (!Number.isInteger(r.id) || r.id < 0 || r.id >= input.attempted) unexpected.push(r.id);
  }

  const lost: number[] = [];
  const offsetMismatches: CheckResult['offsetMismatches'] = [];
  for (const a of input.acks) {
    if (!readCount.has(a.id)) lost.push(a.id);
    const found = readAt.get(`${a.partition}:${a.offset}`);
    if (found !== undefined && found !== a.id) offsetMismatches.push({ id: a.id, partition: a.partition, offset: a.offset, found });
  }

  const duplicateIds: number[] = [];
  let duplicates = 0;
  for (const [id, n] of readCount) {
    if (n > 1) {
      duplicateIds.push(id);
      duplicates += n - 1;
    }
  }

  const recovered = input.failures.filter((f) => readCount.has(f.id)).length;

  return {
    acknowledged: input.acks.length,
    failedSends: input.failures.length,
    lost: lost.sort((a, b) => a - b),
    offsetMismatches,
    duplicates,
    duplicateIds: duplicateIds.sort((a, b) => a - b),
    recovered,
    unexpected: unexpected.sort((a, b) => a - b),
    longestGap: longestGap(input.acks.map((a) => a.time), input.start, input.end),
  };
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
