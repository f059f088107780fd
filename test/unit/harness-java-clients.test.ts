import { test } from "uvu";
import * as assert from "uvu/assert";
import { useSecurity } from "../helpers/connection.js";
import {
  type JavaHistories,
  checkJava,
  consumeDelays,
  consumedReads,
  javaClientsPod,
  javaValueId,
  javaViolations,
  parseConsumer,
  parseProducer,
} from "../helpers/java-clients.js";

// Lines captured from a real run of Kafka 4.4.0's kafka-verifiable-producer.sh and
// kafka-verifiable-consumer.sh in the cluster (pod java-clients-javasmoke-1795526396590).
const T = "javasmoke-1795526396590";
const REAL_PRODUCER = [
  '{"timestamp":1795526399834,"name":"startup_complete"}',
  `{"timestamp":1795526401978,"name":"producer_send_success","key":null,"value":"0","offset":0,"topic":"${T}","partition":0}`,
  `{"timestamp":1795526401984,"name":"producer_send_success","key":null,"value":"1","offset":1,"topic":"${T}","partition":0}`,
  `{"timestamp":1795526401984,"name":"producer_send_success","key":null,"value":"2","offset":2,"topic":"${T}","partition":0}`,
  `{"timestamp":1795526424279,"name":"producer_send_success","key":null,"value":"2448","offset":499,"topic":"${T}","partition":4}`,
  `{"timestamp":1795526424279,"name":"producer_send_success","key":null,"value":"2449","offset":500,"topic":"${T}","partition":4}`,
  '{"timestamp":1795526424289,"name":"shutdown_complete"}',
];
const REAL_CONSUMER = [
  '{"timestamp":1795526399695,"name":"startup_complete"}',
  `{"timestamp":1795526406056,"name":"partitions_assigned","partitions":[{"topic":"${T}","partition":0},{"topic":"${T}","partition":1},{"topic":"${T}","partition":2},{"topic":"${T}","partition":3},{"topic":"${T}","partition":4},{"topic":"${T}","partition":5}]}`,
  `{"timestamp":1795526406243,"name":"records_consumed","count":500,"partitions":[{"topic":"${T}","partition":0,"count":500,"minOffset":0,"maxOffset":499}]}`,
  `{"timestamp":1795526406273,"name":"offsets_committed","offsets":[{"topic":"${T}","partition":0,"offset":500}],"success":true}`,
  `{"timestamp":1795526406283,"name":"records_consumed","count":116,"partitions":[{"topic":"${T}","partition":0,"count":114,"minOffset":500,"maxOffset":613},{"topic":"${T}","partition":2,"count":2,"minOffset":0,"maxOffset":1}]}`,
  '{"timestamp":1795526425007,"name":"shutdown_requested"}',
  `{"timestamp":1795526425014,"name":"partitions_revoked","partitions":[{"topic":"${T}","partition":0},{"topic":"${T}","partition":1}]}`,
];
// Not captured (no send failed in that run): built from the fields of VerifiableProducer.FailedSend
// (timestamp, name, key, value, topic, exception = the class's toString, message).
const FAILED_SEND = `{"timestamp":1795526410000,"name":"producer_send_error","key":null,"value":"3","topic":"${T}","exception":"class org.apache.kafka.common.errors.TimeoutException","message":"Expiring 1 record(s) for ${T}-0:120001 ms has passed since batch creation"}`;
// Likewise from VerifiableConsumer.OffsetsCommitted (error only when success is false).
const FAILED_COMMIT = `{"timestamp":1795526407000,"name":"offsets_committed","offsets":[{"topic":"${T}","partition":2,"offset":2}],"error":"The coordinator is not available.","success":false}`;

test("the producer history: acks carry the send counter as id and send order, the JSON timestamp as time", () => {
  const h = parseProducer([...REAL_PRODUCER, "Option --producer.config has been deprecated", ""]);
  assert.equal(h.acks[0], { id: 0, partition: 0, offset: 0, time: 1795526401978, producer: "java", seq: 0 });
  assert.equal(
    h.acks.map((a) => `${a.id}@p${a.partition}:${a.offset}`),
    ["0@p0:0", "1@p0:1", "2@p0:2", "2448@p4:499", "2449@p4:500"],
  );
  assert.is(h.startedAt, 1795526399834);
  assert.is(h.shutdownAt, 1795526424289);
  assert.is(h.summary, undefined);
  assert.is(h.skipped, 1, "a stray non-JSON line is counted, not parsed");
  assert.equal(h.failures, []);
});

test("a failed send keeps its id and the exception class and message", () => {
  const h = parseProducer([FAILED_SEND]);
  assert.equal(h.failures, [
    {
      id: 3,
      time: 1795526410000,
      producer: "java",
      seq: 3,
      error: `class org.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s) for ${T}-0:120001 ms has passed since batch creation`,
    },
  ]);
});

test("values are ids only when they are the bare send counter", () => {
  assert.is(javaValueId("2449"), 2449);
  assert.is(javaValueId(Buffer.from("17")), 17);
  assert.ok(Number.isNaN(javaValueId("5.17")), "a --value-prefix value is not ours");
  assert.ok(Number.isNaN(javaValueId("id=3;t=1")), "a kafkajs harness value is not ours");
  assert.ok(Number.isNaN(javaValueId(null)));
});

test("the consumer history: per-poll offset ranges with the assignment count, failed commits", () => {
  const h = parseConsumer([...REAL_CONSUMER, FAILED_COMMIT]);
  assert.equal(
    h.ranges.map((r) => [r.partition, r.from, r.to, r.count, r.generation]),
    [
      [0, 0, 499, 500, 1],
      [0, 500, 613, 114, 1],
      [2, 0, 1, 2, 1],
    ],
  );
  assert.is(h.assignments, 1);
  assert.equal(h.failedCommits, ["The coordinator is not available."]);
  const { reads, ragged } = consumedReads(h);
  assert.is(reads.length, 616);
  assert.equal(ragged, []);
});

test("a poll range whose count differs from its width is a hole", () => {
  const h = parseConsumer([
    `{"timestamp":1,"name":"records_consumed","count":3,"partitions":[{"topic":"${T}","partition":1,"count":3,"minOffset":10,"maxOffset":13}]}`,
  ]);
  assert.is(consumedReads(h).ragged.length, 1);
});

// A whole small history: ids 0..5, partition = id % 2, offsets in send order.
const producerLines = (ids: number[]): string[] => [
  '{"timestamp":1000,"name":"startup_complete"}',
  ...ids.map(
    (id) =>
      `{"timestamp":${1100 + id * 100},"name":"producer_send_success","key":null,"value":"${id}","offset":${Math.floor(id / 2)},"topic":"t","partition":${id % 2}}`,
  ),
  '{"timestamp":1800,"name":"shutdown_complete"}',
];
const consumerLines = (ranges: [number, number, number][]): string[] => [
  '{"timestamp":1000,"name":"partitions_assigned","partitions":[]}',
  ...ranges.map(
    ([p, from, to]) =>
      `{"timestamp":1500,"name":"records_consumed","count":${to - from + 1},"partitions":[{"topic":"t","partition":${p},"count":${to - from + 1},"minOffset":${from},"maxOffset":${to}}]}`,
  ),
];
/** The consumer's history of polls, each [partition, from, to]. */
const consumed = (...ranges: [number, number, number][]) => parseConsumer(consumerLines(ranges));
const history = (over: Partial<JavaHistories> = {}): JavaHistories => {
  const ids = [0, 1, 2, 3, 4, 5];
  return {
    producer: parseProducer(producerLines(ids)),
    consumer: consumed([0, 0, 2], [1, 0, 2]),
    reads: ids.map((id) => ({ id, partition: id % 2, offset: Math.floor(id / 2) })),
    ends: [
      { partition: 0, end: 3 },
      { partition: 1, end: 3 },
    ],
    stopAt: 1900,
    ...over,
  };
};
/** The whole history, `over` replacing parts of it, checked over the window from 1000 on topic t. */
const check = (over: Partial<JavaHistories> = {}) => checkJava(history(over), 1000, "t");

test("a clean Java history passes; figures count the window", () => {
  const r = check();
  assert.equal(javaViolations(r), []);
  assert.is(r.acknowledged, 6);
  assert.is(r.failedSends, 0);
  assert.is(r.facts.javaSent, 6, "no tool_data: the highest id + 1");
  assert.is(r.longestGapMs, 300, "from the last ack (1600) to the stop (1900)");
  // Every offset consumed at 1500: before the stop; the longest delay is id 0's (acked 1100).
  assert.is(r.catchUpMs, 0);
  assert.is(r.maxConsumeDelayMs, 400);
});

test("consume delays: catch-up after the stop by the tools' timestamps; null when an offset never came", () => {
  const acks = parseProducer(producerLines([0, 1])).acks;
  const at = (partition: number, time: number) => ({ id: -1, partition, offset: 0, time, member: "java", generation: 1 });
  assert.equal(consumeDelays(acks, [at(0, 1150), at(1, 2500), at(1, 2600)], 2000), { catchUpMs: 500, maxDelayMs: 1300 });
  assert.equal(consumeDelays(acks, [at(0, 1150)], 2000), { catchUpMs: null, maxDelayMs: null });
});

test("a lost acknowledged record, an unconsumed offset and a producer that never closed are each flagged", () => {
  const lost = check({ reads: history().reads.filter((r) => r.id !== 4) });
  assert.match(javaViolations(lost).join("\n"), /acked-at-offset/);
  const unconsumed = check({ consumer: consumed([0, 0, 2], [1, 0, 1]) });
  assert.equal(
    unconsumed.unconsumed.map((a) => a.id),
    [5],
  );
  assert.match(javaViolations(unconsumed).join("\n"), /consumed-every-ack.*id 5 at p1:2/);
  const open = check({ producer: parseProducer(producerLines([0, 1, 2, 3, 4, 5]).slice(0, -1)) });
  assert.match(javaViolations(open).join("\n"), /producer-closed/);
});

test("failed sends are counted (not a rule violation: graceful scenarios assert them zero separately)", () => {
  const failed = parseProducer([FAILED_SEND.replace("1795526410000", "1500").replace('"value":"3"', '"value":"6"')]).failures;
  const r = check({ producer: { ...history().producer, failures: failed } });
  assert.is(r.failedSends, 1);
  assert.equal(javaViolations(r), []);
  assert.match(String(r.facts.javaFirstFailure), /TimeoutException/);
});

test("a send the closing tool refused after the stop is counted apart; the same refusal before the stop is a failed send", () => {
  // What S9 printed in CI 2026-12-05: the shutdown hook closed the producer while the send loop ran.
  const refusal = (time: number) =>
    `{"timestamp":${time},"name":"producer_send_error","key":null,"value":"6","topic":"t","exception":"class java.lang.IllegalStateException","message":"Cannot perform operation after producer has been closed"}`;
  const atClose = check({ producer: { ...history().producer, failures: parseProducer([refusal(1950)]).failures } });
  assert.is(atClose.failedSends, 0);
  assert.is(atClose.check.failedSends, 0);
  assert.is(atClose.facts.javaSendsRefusedAtClose, 1);
  assert.is(atClose.facts.javaFirstFailure, undefined);
  const before = check({ producer: { ...history().producer, failures: parseProducer([refusal(1700)]).failures } });
  assert.is(before.check.failedSends, 1, "a closed producer while the run goes on is a failure");
  assert.is(before.facts.javaSendsRefusedAtClose, 0);
});

test("the consumer going back without a rebalance breaks group-order", () => {
  const r = check({ consumer: consumed([0, 0, 2], [0, 1, 2], [1, 0, 2]) });
  assert.match(javaViolations(r).join("\n"), /consumer group-order/);
});

test("the pod: the brokers' image on the server node, the test label, no producer setting but the restored retries", () => {
  const pod = javaClientsPod("java-clients-x", "kafka-ha.local/kafka:4.4.0", "x", "x-group");
  assert.is(pod.metadata?.labels?.["app.kubernetes.io/name"], "kafka-ha-test");
  assert.equal(pod.spec?.nodeSelector, { "kubernetes.io/hostname": "k3d-kafka-ha-server-0" });
  const [producer, consumer] = pod.spec?.containers ?? [];
  assert.is(producer?.image, "kafka-ha.local/kafka:4.4.0");
  const script = producer?.command?.join(" ") ?? "";
  assert.match(script, /'retries=2147483647' > producer\.properties/);
  assert.match(
    script,
    /kafka-verifiable-producer\.sh --bootstrap-server kafka-ha:9092 --topic x --throughput 100 --command-config \/out\/producer\.properties >/,
  );
  assert.match(
    consumer?.command?.join(" ") ?? "",
    /kafka-verifiable-consumer\.sh --bootstrap-server kafka-ha:9092 --topic x --group-id x-group --command-config \/out\/consumer\.properties >/,
  );
  assert.not.match(script, /security\.protocol/, "plaintext unless a scenario calls useSecurity");
  assert.is(pod.spec?.volumes?.length, 1);
});

test("the pod on a secured release (useSecurity): both clients trust the release's CA from its Secret, names checked", () => {
  useSecurity({ ca: "-----BEGIN CERTIFICATE-----", secretName: "kafka-ha-test-tls" });
  const pod = javaClientsPod("java-clients-x", "kafka-ha.local/kafka:4.4.0", "x", "x-group");
  for (const c of pod.spec?.containers ?? []) {
    const script = c.command?.join(" ") ?? "";
    assert.match(
      script,
      /'security\.protocol=SSL' 'ssl\.truststore\.type=PEM' 'ssl\.truststore\.location=\/opt\/kafka-ha\/tls\/ca\.crt' > (producer|consumer)\.properties/,
    );
    assert.not.match(script, /ssl\.endpoint\.identification\.algorithm/, "hostname verification stays on (the client default)");
    assert.ok(c.volumeMounts?.some((m) => m.name === "tls" && m.mountPath === "/opt/kafka-ha/tls"));
  }
  assert.equal(pod.spec?.volumes?.find((v) => v.name === "tls")?.secret, { secretName: "kafka-ha-test-tls", items: [{ key: "ca.crt", path: "ca.crt" }] });
});

test.run();
