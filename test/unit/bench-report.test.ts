// The benchmark tier's reading of Kafka's producer benchmark (test/bench/perf-test.ts) and its table
// (test/bench/tls-cost.ts): the summary line as kafka-producer-perf-test prints it, and a run without one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseProducerSummary } from "../bench/perf-test.js";
import { tlsCostTable } from "../bench/tls-cost.js";

const OUTPUT = `49981 records sent, 9996.2 records/sec (9.76 MB/sec), 1604.3 ms avg latency, 2339.0 ms max latency.
100000 records sent, 10211.374451 records/sec (9.97 MB/sec), 1531.86 ms avg latency, 2339.00 ms max latency, 1580 ms 50th, 2149 ms 95th, 2276 ms 99th, 2330 ms 99.9th.
`;

// The second line of OUTPUT, field by field.
const LAST_LINE = {
  records: 100000,
  recordsPerSec: 10211.374451,
  mbPerSec: 9.97,
  avgMs: 1531.86,
  maxMs: 2339,
  p50Ms: 1580,
  p95Ms: 2149,
  p99Ms: 2276,
  p999Ms: 2330,
};

test("the last summary line, every figure", () => {
  assert.equal(parseProducerSummary(OUTPUT), LAST_LINE);
});

test("no summary (the producer failed): undefined, so the run fails instead of reporting zeros", () => {
  assert.is(parseProducerSummary("org.apache.kafka.common.errors.SaslAuthenticationException: failed\n"), undefined);
});

test("the table: medians of the saturated runs, the fixed-rate run, and the secured/plaintext ratio", () => {
  const r = (recordsPerSec: number, p99Ms: number) => ({ ...parseProducerSummary(OUTPUT)!, recordsPerSec, mbPerSec: recordsPerSec / 1000, p99Ms });
  const table = tlsCostTable([
    { setup: "plaintext", installSeconds: 60, saturated: [r(10000, 200), r(12000, 300)], fixedRate: { ...r(1000, 20), p50Ms: 5 } },
    { setup: "tls-scram", installSeconds: 70, saturated: [r(8000, 300), r(9000, 400)], fixedRate: { ...r(1000, 30), p50Ms: 6 } },
  ]).split("\n");
  assert.is(table[2], "| plaintext | 11000 | 11.0 | 250 | 5.0 | 20.0 |");
  assert.is(table[3], "| tls-scram | 8500 | 8.5 | 350 | 6.0 | 30.0 |");
  assert.is(table[4], "| tls-scram / plaintext | 0.77x | 0.77x | 1.40x | 1.20x | 1.50x |");
});

test.run();
