// The benchmark tier's reading of kafka-consumer-perf-test (test/bench/perf-test.ts) and of the
// throughput pod's log (test/bench/throughput.ts), with output captured from Kafka 4.4.0's tools
// (the image's kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh against a one-node broker).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MARKER, marked, parseConsumerSummary, producerCommand, splitMarked } from "../bench/perf-test.js";
import { THROUGHPUT, parseThroughput, throughputScript } from "../bench/throughput.js";

const CONSUMER = `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
2026-12-04 16:07:27:165, 2026-12-04 16:07:29:048, 19.5313, 10.3724, 20000, 10621.3489, 1427, 456, 42.8317, 43859.6491
`;

// --timeout ran out before --num-records 30000 (the topic held 20000).
const CONSUMER_SHORT = `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
WARNING: Exiting before consuming the expected number of records: timeout (5000 ms) exceeded. You can use the --timeout option to increase the timeout.
2026-12-04 16:07:30:733, 2026-12-04 16:07:36:598, 19.5313, 3.3301, 20000, 3410.0597, 474, 5391, 3.6229, 3709.8868
`;

const PRODUCER = `Option --producer-props has been deprecated and will be removed in a future version. Use --command-property instead.
Option --producer.config has been deprecated and will be removed in a future version. Use --command-config instead.
20000 records sent, 15360.983103 records/sec (15.00 MB/sec), 214.76 ms avg latency, 508.00 ms max latency, 215 ms 50th, 478 ms 95th, 490 ms 99th, 491 ms 99.9th.
`;

test("consumer result: every column by name, complete", () => {
  assert.equal(parseConsumerSummary(CONSUMER), {
    mb: 19.5313,
    mbPerSec: 10.3724,
    records: 20000,
    recordsPerSec: 10621.3489,
    rebalanceMs: 1427,
    fetchMs: 456,
    fetchMbPerSec: 42.8317,
    fetchRecordsPerSec: 43859.6491,
    complete: true,
  });
});

test("consumer result after the tool's timeout: the figures, marked incomplete", () => {
  const r = parseConsumerSummary(CONSUMER_SHORT);
  assert.is(r?.complete, false);
  assert.is(r?.records, 20000);
  assert.is(r?.fetchMs, 5391);
});

test("consumer result: columns found by name, whatever their order; none without a header or values", () => {
  const swapped =
    "end.time, start.time, fetch.nMsg.sec, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec\n2026-12-04 16:07:29:048, 2026-12-04 16:07:27:165, 43859.6491, 19.5313, 10.3724, 20000, 10621.3489, 1427, 456, 42.8317\n";
  assert.is(parseConsumerSummary(swapped)?.fetchRecordsPerSec, 43859.6491);
  assert.is(parseConsumerSummary("org.apache.kafka.common.errors.TimeoutException: Timeout expired while fetching topic metadata\n"), undefined);
  assert.is(parseConsumerSummary(CONSUMER.split("\n")[0] ?? ""), undefined);
  assert.throws(() => parseConsumerSummary(CONSUMER.replace("1427", "x")), /rebalance\.time\.ms/);
});

test("marked parts: each tool's output under its label, a failed tool says so", () => {
  const log = [`${MARKER} warmup`, "a", `${MARKER} producer-1`, "b", "c", `${MARKER} consumer-1`, "consumer-1 failed: exit 1"].join("\n");
  const parts = splitMarked(`before the first marker\n${log}`);
  assert.equal([...parts.keys()], ["warmup", "producer-1", "consumer-1"]);
  assert.is(parts.get("producer-1"), "b\nc");
  assert.match(marked("x", "false"), /^echo '=== kafka-ha-bench: x'; false 2>&1 \|\| echo "x failed: exit \$\?"$/);
});

test("the throughput pod's log: both producer runs, the fixed rate, both consumer runs", () => {
  const log = [
    `${MARKER} warmup`,
    PRODUCER,
    `${MARKER} producer-1`,
    PRODUCER,
    `${MARKER} producer-2`,
    PRODUCER.replace("15360.983103", "14000.5"),
    `${MARKER} fixed-rate`,
    PRODUCER.replace("215 ms 50th", "3 ms 50th"),
    `${MARKER} consumer-1`,
    CONSUMER,
    `${MARKER} consumer-2`,
    CONSUMER_SHORT,
  ].join("\n");
  const r = parseThroughput("defaults", log);
  assert.equal(
    r.producer.map((p) => p.recordsPerSec),
    [15360.983103, 14000.5],
  );
  assert.is(r.fixedRate.p50Ms, 3);
  assert.equal(
    r.consumer.map((c) => c.complete),
    [true, false],
  );
  assert.throws(() => parseThroughput("tuned", log.replace(CONSUMER, "consumer-1 failed: exit 1")), /consumer-1 printed no result/);
});

test("the throughput script: the same client settings on every run, consumers read less than the topic holds", () => {
  const script = throughputScript("throughput-defaults");
  const producers = script.split("\n").filter((l) => l.includes("kafka-producer-perf-test.sh"));
  assert.is(producers.length, 4);
  for (const p of producers)
    assert.match(
      p,
      /--producer-props acks=all linger\.ms=1 batch\.size=1048576 bootstrap\.servers=kafka-ha:9092 --producer\.config \/bench\/client\.properties/,
    );
  const consumers = script.split("\n").filter((l) => l.includes("kafka-consumer-perf-test.sh"));
  assert.is(consumers.length, 2);
  for (const c of consumers)
    assert.match(c, new RegExp(`--num-records ${THROUGHPUT.consumerRecords} .*--fetch-size 10485760 .*--command-config /tmp/consumer\\.properties`));
  assert.match(script, /printf '%s\\n' 'enable\.auto\.commit=false' 'auto\.offset\.reset=earliest' > \/tmp\/consumer\.properties/);
  // tls-cost's producer keeps its old command line: acks=all and the client Secret's settings only.
  assert.is(
    producerCommand({ topic: "t", records: 1, recordSize: 1024, throughput: -1, bootstrap: "b:9092" }),
    "kafka-producer-perf-test.sh --topic t --num-records 1 --record-size 1024 --throughput -1 --producer-props acks=all bootstrap.servers=b:9092 --producer.config /bench/client.properties",
  );
});

test.run();
