import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Ack, type IsrSample, acksPerSecond, check, longestGap, timeToFullIsr, underMinIsrSamples } from '../helpers/checker.js';

// A clean run: ids 0..5 on two partitions, all acknowledged, all read back once.
const acks: Ack[] = [0, 1, 2, 3, 4, 5].map((id) => ({ id, partition: id % 2, offset: Math.floor(id / 2), time: 1000 + id * 100 }));
const readsOf = (list: Ack[]) => list.map(({ id, partition, offset }) => ({ id, partition, offset }));
const base = { acks, failures: [], reads: readsOf(acks), attempted: 6, start: 1000, end: 1600 };

test('a clean run has nothing lost, duplicated or unexpected', () => {
  const r = check(base);
  assert.is(r.acknowledged, 6);
  assert.equal(r.lost, []);
  assert.is(r.duplicates, 0);
  assert.equal(r.unexpected, []);
  assert.equal(r.offsetMismatches, []);
  assert.is(r.longestGap.ms, 100);
});

test('an acknowledged record missing from the read-back is lost', () => {
  const r = check({ ...base, reads: readsOf(acks).filter((x) => x.id !== 3) });
  assert.equal(r.lost, [3]);
});

test('a record truncated after its ack (another record now at its offset) is lost and a mismatch', () => {
  // Unclean leader election style: offset 1 of partition 1 (id 3) was overwritten by id 5.
  const reads = readsOf(acks).filter((x) => x.id !== 3 && x.id !== 5);
  reads.push({ id: 5, partition: 1, offset: 1 });
  const r = check({ ...base, reads });
  assert.equal(r.lost, [3]);
  assert.equal(r.offsetMismatches, [{ id: 3, partition: 1, offset: 1, found: 5 }]);
});

test('an id read at two offsets is a duplicate; the same offset re-delivered is not', () => {
  const reads = [...readsOf(acks), { id: 4, partition: 0, offset: 3 }, { id: 2, partition: 0, offset: 1 }];
  const r = check({ ...base, reads });
  assert.is(r.duplicates, 1);
  assert.equal(r.duplicateIds, [4]);
  assert.equal(r.lost, []);
});

test('failed sends are counted; those read back anyway are "recovered", not lost or unexpected', () => {
  const failures = [{ id: 6, time: 1550, error: 'timeout' }, { id: 7, time: 1560, error: 'NOT_ENOUGH_REPLICAS' }];
  const reads = [...readsOf(acks), { id: 6, partition: 0, offset: 3 }];
  const r = check({ ...base, failures, reads, attempted: 8 });
  assert.is(r.failedSends, 2);
  assert.is(r.recovered, 1);
  assert.equal(r.unexpected, []);
  assert.equal(r.lost, []);
});

test('an id never attempted is unexpected', () => {
  const r = check({ ...base, reads: [...readsOf(acks), { id: 99, partition: 1, offset: 3 }] });
  assert.equal(r.unexpected, [99]);
});

test('longest gap counts the silence before the first and after the last acknowledgement', () => {
  assert.equal(longestGap([1200, 1300], 1000, 2000), { ms: 700, from: 1300, to: 2000 });
  assert.equal(longestGap([1500, 1600], 1000, 1700), { ms: 500, from: 1000, to: 1500 });
  assert.equal(longestGap([], 1000, 1400), { ms: 400, from: 1000, to: 1400 });
  // Unsorted input and a gap in the middle.
  assert.equal(longestGap([1900, 1100, 1000, 1200], 1000, 2000), { ms: 700, from: 1200, to: 1900 });
});

const sample = (time: number, underReplicated: number, underMinIsr = 0, offline = 0): IsrSample => ({ time, partitions: 6, underReplicated, underMinIsr, offline });

test('time to full ISR is measured to the first full sample after the last degraded one', () => {
  const samples = [sample(0, 0), sample(1000, 2), sample(2000, 1), sample(3000, 0), sample(4000, 1), sample(5000, 0), sample(6000, 0)];
  assert.is(timeToFullIsr(samples, 500), 4500);
  assert.is(timeToFullIsr(samples, 5500), 0);
  assert.is(timeToFullIsr([...samples, sample(7000, 3)], 500), null);
  assert.is(timeToFullIsr([{ time: 1000, partitions: 0, underReplicated: 0, underMinIsr: 0, offline: 0 }, sample(2000, 0)], 0), 2000);
});

test('under-min-ISR samples include leaderless partitions', () => {
  const samples = [sample(0, 1), sample(1000, 1, 1), sample(2000, 0, 0, 1)];
  assert.equal(underMinIsrSamples(samples).map((s) => s.time), [1000, 2000]);
});

test('acks per second buckets acknowledgements and keeps empty seconds', () => {
  assert.equal(acksPerSecond([1000, 1500, 3999, 4000], 1000, 4000), [
    { second: 0, acks: 2 },
    { second: 1, acks: 0 },
    { second: 2, acks: 1 },
  ]);
});

test.run();
