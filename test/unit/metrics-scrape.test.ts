// test/helpers/metrics.ts: how the e2e suite reads the exporter's text format (S2 and S9 assert on it).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { metricSum, sampleTotal } from "../helpers/metrics.js";

const SCRAPE = `# HELP kafka_server_replicamanager_underreplicatedpartitions Partitions this broker leads that are under-replicated.
# TYPE kafka_server_replicamanager_underreplicatedpartitions gauge
kafka_server_replicamanager_underreplicatedpartitions 2.0
kafka_server_replicamanager_underreplicatedpartitions_extra 40.0
kafka_log_log_size{topic="orders",} 1024.0
kafka_log_log_size{topic="pay ments",} 1.5E3
kafka_network_requestmetrics_requests_total{request="Produce",} 7.0 1733330000000
`;

test("metricSum: exact names only, labels summed, exponents and timestamps read", () => {
  assert.is(metricSum(SCRAPE, "kafka_server_replicamanager_underreplicatedpartitions"), 2);
  assert.is(metricSum(SCRAPE, "kafka_log_log_size"), 2524);
  assert.is(metricSum(SCRAPE, "kafka_network_requestmetrics_requests_total"), 7);
  assert.is(metricSum(SCRAPE, "kafka_server_replicamanager"), undefined, "a prefix is not a series");
  assert.is(metricSum("", "kafka_log_log_size"), undefined);
});

test("sampleTotal: the pods that answered", () => {
  assert.is(sampleTotal({ time: 0, byPod: { "kafka-ha-0": 2, "kafka-ha-1": 1 }, missing: ["kafka-ha-2"] }), 3);
});

test.run();
