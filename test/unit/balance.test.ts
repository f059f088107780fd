// The S14/S15 balance rules (test/helpers/balance.ts) on hand-made layouts: they must catch what
// an uneven plan looks like, or the scenarios' balance assertions could not fail.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { balance, replicasAdded } from "../helpers/balance.js";
import type { PartitionState } from "../helpers/kafka-admin.js";

const zones = new Map([
  [0, "a"],
  [1, "b"],
  [2, "c"],
  [3, "a"],
  [4, "b"],
]);
const p = (partition: number, replicas: number[], topic = "t"): PartitionState => ({ topic, partition, leader: replicas[0]!, replicas, isr: replicas });

test("a rack-aware even layout over 5 brokers in 3 zones passes", () => {
  const even = [p(0, [0, 1, 2]), p(1, [3, 4, 2]), p(2, [2, 0, 4]), p(3, [4, 3, 2]), p(4, [1, 2, 3])];
  assert.equal(balance(even, zones).problems, []);
  assert.is(balance(even, zones).perTopic.t, "0:2/1 1:2/1 2:5/1 3:3/1 4:3/1");
});

test("new brokers left empty: replicas per broker in a zone differ", () => {
  const old = [p(0, [0, 1, 2]), p(1, [1, 2, 0]), p(2, [2, 0, 1])];
  const problems = balance(old, zones).problems;
  assert.ok(
    problems.some((x) => x.startsWith("t: replicas per broker in a differ by 3")),
    problems.join("\n"),
  );
  assert.ok(problems.some((x) => x.startsWith("t: leaders per broker differ by 1")) === false);
});

test("two replicas in one zone, a replica on an unknown broker and piled-up leaders are named", () => {
  const bad = [p(0, [0, 3, 2]), p(1, [0, 4, 2]), p(2, [0, 4, 7])];
  const problems = balance(bad, zones).problems;
  assert.ok(problems.includes("t-0: replicas [0,3,2] span 2 zones, 3 possible"), problems.join("\n"));
  assert.ok(problems.includes("t-2: replica on broker 7, not a broker of the release (0,1,2,3,4)"), problems.join("\n"));
  assert.ok(
    problems.some((x) => x.startsWith("t: leaders per broker differ by 3")),
    problems.join("\n"),
  );
});

test("replicasAdded counts the new replicas and the partitions that got one", () => {
  assert.equal(replicasAdded([p(0, [0, 1, 2]), p(1, [1, 2, 0])], [p(0, [3, 1, 2]), p(1, [2, 1, 0])]), { replicas: 1, partitions: 1 });
});

test.run();
