// The failover probe's output as the bench reads it (test/bench/failover-probe.ts): the JSON lines
// FailoverProbe.java prints, and the window computation the failover and rolling-restart tables
// report. OUTPUT is a real run (trimmed to a few gap lines): FailoverProbe against a one-node broker
// in the Kafka image, 3 partitions, request.timeout.ms=2000, the broker's JVM stopped (SIGSTOP) at
// 1796401109147 and resumed (SIGCONT) at 1796401112195.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ackingSince, eventWindow, parseProbeOutput, partitionGaps, partitionWindow } from "../bench/failover-probe.js";
import { mostLeading, reorderPlan } from "../bench/failover.js";

const STOP = 1796401109147;
const CONT = 1796401112195;

const OUTPUT = `{"event":"start","time":1796401101132,"topic":"probe","partitions":3,"intervalMs":20,"gapEventMs":100,"config":{"bootstrap.servers":"localhost:9092","delivery.timeout.ms":"30000","key.serializer":"org.apache.kafka.common.serialization.ByteArraySerializer","request.timeout.ms":"2000","value.serializer":"org.apache.kafka.common.serialization.ByteArraySerializer"}}
{"event":"gap","partition":0,"from":1796401108185,"to":1796401108358,"ms":173}
{"event":"gap","partition":2,"from":1796401108239,"to":1796401108387,"ms":148}
{"event":"gap","partition":1,"from":1796401108199,"to":1796401108367,"ms":168}
{"event":"stats","time":1796401108368,"partitions":[{"partition":0,"sent":14,"acked":12,"failed":0,"lastAck":1796401108358},{"partition":1,"sent":13,"acked":11,"failed":0,"lastAck":1796401108367},{"partition":2,"sent":14,"acked":11,"failed":0,"lastAck":1796401108387}]}
{"event":"gap","partition":1,"from":1796401109133,"to":1796401112213,"ms":3080}
{"event":"gap","partition":0,"from":1796401109146,"to":1796401112221,"ms":3075}
{"event":"gap","partition":2,"from":1796401109149,"to":1796401112227,"ms":3078}
{"event":"gap","partition":1,"from":1796401112231,"to":1796401112446,"ms":215}
{"event":"gap","partition":2,"from":1796401112268,"to":1796401112906,"ms":638}
{"event":"gap","partition":1,"from":1796401112446,"to":1796401113060,"ms":614}
{"event":"gap","partition":0,"from":1796401112452,"to":1796401113072,"ms":620}
{"event":"stats","time":1796401115368,"partitions":[{"partition":0,"sent":306,"acked":303,"failed":0,"lastAck":1796401115323},{"partition":1,"sent":320,"acked":316,"failed":0,"lastAck":1796401115261},{"partition":2,"sent":279,"acked":275,"failed":0,"lastAck":1796401115260}]}
{"event":"gap","partition":2,"from":1796401117207,"to":1796401117407,"ms":200}
{"event":"summary","time":1796401118389,"stoppedAt":1796401118274,"partitions":[{"partition":0,"sent":424,"acked":424,"failed":0,"longestGapMs":3075,"gapFrom":1796401109146,"gapTo":1796401112221,"firstAck":1796401108101,"lastAck":1796401118277},{"partition":1,"sent":430,"acked":430,"failed":0,"longestGapMs":3080,"gapFrom":1796401109133,"gapTo":1796401112213,"firstAck":1796401108152,"lastAck":1796401118277},{"partition":2,"sent":395,"acked":395,"failed":0,"longestGapMs":3078,"gapFrom":1796401109149,"gapTo":1796401112227,"firstAck":1796401108146,"lastAck":1796401118272}]}
`;

test("parse: every event kind, the config the probe ran with; other lines counted, not parsed", () => {
  const out = parseProbeOutput(`${OUTPUT}[2026-12-04 16:18:31,396] WARN a client log line on stdout\n{"event":"gap", broken\n`);
  assert.is(out.start?.partitions, 3);
  assert.is(out.start?.gapEventMs, 100);
  assert.is(out.start?.config["request.timeout.ms"], "2000");
  assert.is(out.gaps.length, 11);
  assert.equal(out.gaps[6], { partition: 1, from: 1796401112231, to: 1796401112446, ms: 215 });
  assert.is(out.stats.length, 2);
  assert.is(out.summary?.stoppedAt, 1796401118274);
  assert.is(out.summary?.partitions[1]?.longestGapMs, 3080);
  assert.is(out.failures.length, 0);
  assert.is(out.otherLines, 2);
});

test("window over the stop: per partition the longest gap that overlaps it, the gap before it not counted", () => {
  const out = parseProbeOutput(OUTPUT);
  const w = partitionWindow(out, 0, STOP, CONT + 2000);
  assert.equal(w, { partition: 0, ms: 3075, from: 1796401109146, to: 1796401112221, open: false, failedSends: 0 });
  // The probe's own longest gap agrees with the one computed from its gap lines.
  for (const p of [0, 1, 2]) assert.is(partitionWindow(out, p, STOP, CONT + 2000).ms, out.summary?.partitions[p]?.longestGapMs);
  // An interval that ends before the stop sees only the start-up gaps (173 ms on p0).
  assert.is(partitionWindow(out, 0, 1796401108000, 1796401109000).ms, 173);
  // None at all: 0, meaning "below the probe's 100 ms resolution".
  assert.equal(partitionWindow(out, 0, 1796401115500, 1796401117000), { partition: 0, ms: 0, open: false, failedSends: 0 });
  // A gap that began before the interval but ends inside it counts: the event is inside it.
  assert.is(partitionWindow(out, 1, STOP + 1000, STOP + 1500).ms, 3080);
});

test("event window: the maximum among the event's partitions, the others apart", () => {
  const out = parseProbeOutput(OUTPUT);
  const w = eventWindow(out, [1], STOP, CONT + 2000);
  assert.is(w.windowMs, 3080);
  assert.is(w.worst?.partition, 1);
  assert.is(w.othersMs, 3078);
  assert.is(w.perPartition.length, 3);
  assert.is(w.failedSends, 0);
  assert.is(w.resolutionMs, 100);
  const none = eventWindow(out, [0, 1, 2], 1796401115500, 1796401117000);
  assert.is(none.windowMs, 0);
  assert.is(none.othersMs, 0);
});

test("a partition never acknowledged again before the probe stopped: an open gap up to stoppedAt", () => {
  const text = OUTPUT.replace(
    /"partition":2,"sent":395,"acked":395,"failed":0,"longestGapMs":3078,"gapFrom":1796401109149,"gapTo":1796401112227,"firstAck":1796401108146,"lastAck":1796401118272/,
    (m) => m.replace('"lastAck":1796401118272', '"lastAck":1796401113000'),
  );
  const out = parseProbeOutput(text);
  const gaps = partitionGaps(out, 2);
  assert.equal(gaps.at(-1), { partition: 2, from: 1796401113000, to: 1796401118274, ms: 5274, open: true });
  const w = partitionWindow(out, 2, 1796401113500, 1796401118000);
  assert.is(w.ms, 5274);
  assert.ok(w.open);
  // A healthy partition's last ack is just before or after stoppedAt: no open gap.
  assert.is(partitionGaps(out, 0).filter((g) => g.open).length, 0);
});

test("without a summary (the probe died) the open gap ends at the last stats line", () => {
  const text = OUTPUT.split("\n")
    .filter((l) => !l.includes('"summary"'))
    .join("\n");
  const gaps = partitionGaps(parseProbeOutput(text), 0);
  assert.is(gaps.filter((g) => g.open).length, 0, "p0 acked 45 ms before the last stats line");
  const stalled = text.replace('"lastAck":1796401115323', '"lastAck":1796401114000');
  assert.equal(partitionGaps(parseProbeOutput(stalled), 0).at(-1), { partition: 0, from: 1796401114000, to: 1796401115368, ms: 1368, open: true });
});

test("failed sends are counted per partition inside the interval", () => {
  const fail = (p: number, sentAt: number, time: number) =>
    `{"event":"fail","partition":${p},"sentAt":${sentAt},"time":${time},"error":"TimeoutException: Expiring 1 record(s) for probe-${p}: 30001 ms has passed since batch creation"}`;
  const out = parseProbeOutput(`${OUTPUT}${fail(1, STOP, STOP + 30001)}\n${fail(1, STOP + 20, STOP + 30021)}\n${fail(2, 1796401100000, 1796401101000)}\n`);
  assert.is(out.failures.length, 3);
  assert.match(out.failures[0]?.error ?? "", /^TimeoutException: Expiring 1 record/);
  assert.is(partitionWindow(out, 1, STOP, STOP + 40000).failedSends, 2);
  assert.is(partitionWindow(out, 2, STOP, STOP + 40000).failedSends, 0, "failed before the interval");
  assert.is(eventWindow(out, [1], STOP, STOP + 40000).failedSends, 2);
});

test("acking since: the newest stats line shows an ack after the time on the partitions asked", () => {
  const out = parseProbeOutput(OUTPUT);
  assert.ok(ackingSince(out, 1796401115000));
  assert.not.ok(ackingSince(out, 1796401115300), "p1 and p2 acked before");
  assert.ok(ackingSince(out, 1796401115300, [0]));
  assert.not.ok(ackingSince(parseProbeOutput(OUTPUT.split("\n")[0] ?? ""), 0), "no stats line yet");
});

const state = (partition: number, leader: number, replicas: number[]) => ({ topic: "t", partition, leader, replicas, isr: replicas });

test("the broker an event targets: the one leading the most partitions (lowest id on a tie), another when asked", () => {
  const states = [
    state(0, 0, [0, 1, 2]),
    state(1, 1, [1, 2, 0]),
    state(2, 1, [1, 0, 2]),
    state(3, 2, [2, 0, 1]),
    state(4, 0, [0, 2, 1]),
    state(5, -1, [2, 1, 0]),
  ];
  assert.is(mostLeading(states), 0);
  assert.is(
    mostLeading(states, (b) => b !== 0),
    1,
  );
  assert.is(
    mostLeading([state(0, 2, [2, 0, 1])], (b) => b !== 2),
    2,
    "the only leader when no other leads",
  );
  assert.is(mostLeading([state(0, -1, [0, 1, 2])]), undefined);
});

test("the graceful move's plan: the broker last in each partition it leads, the replica set unchanged", () => {
  const states = [state(0, 0, [0, 1, 2]), state(1, 1, [1, 2, 0]), state(4, 0, [0, 2, 1])];
  assert.equal(reorderPlan("t", states, 0), {
    version: 1,
    partitions: [
      { topic: "t", partition: 0, replicas: [1, 2, 0] },
      { topic: "t", partition: 4, replicas: [2, 1, 0] },
    ],
  });
});

test.run();
