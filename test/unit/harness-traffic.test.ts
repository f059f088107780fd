import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countSince, groupStalled } from '../helpers/traffic.js';

test('countSince counts the recent end of a time-ordered list', () => {
  const entries = [1, 2, 3, 10, 11].map((time) => ({ time }));
  assert.is(countSince(entries, 10), 2);
  assert.is(countSince(entries, 0), 5);
  assert.is(countSince(entries, 12), 0);
  assert.is(countSince([], 0), 0);
});

test('the group consumer counts as stalled when it read under a tenth of the acks (S6: 62 against 298,937)', () => {
  assert.ok(groupStalled(298937, 62));
  assert.ok(groupStalled(1000, 99));
  assert.not.ok(groupStalled(1000, 100), 'a tenth keeps it');
  assert.not.ok(groupStalled(1000, 1200), 'catching up after a pause');
  assert.not.ok(groupStalled(99, 0), 'too few acks to judge (producer stalled too, e.g. during a failover)');
});

test.run();
