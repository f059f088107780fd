// Throughput (issue 11): producer and consumer throughput, and the producer's latency, with Kafka's
// own perf tools in a pod of the cluster, against the chart's defaults and against a hand-tuned
// server.properties given through the chart's `config` value (TUNED_CONFIG in profiles.ts, after the
// OpenMessaging Benchmark's Kafka deployment). The issue's goal: the defaults reach at least 0.9 of
// the tuned throughput.
//
// Per setup, in one pod (one scheduling, a JVM per tool): a warm-up (discarded), two producer runs
// as fast as the producer goes, one at a fixed rate well below saturation, then two consumer runs,
// each a new group reading from the earliest offset. Topic: 6 partitions, RF 3 (the release's min
// ISR 2). Client settings, the same for both setups: those of OMB's driver-kafka/kafka-throughput.yaml
// (commit d493354): producer acks=all, linger.ms=1, batch.size=1048576; consumer
// enable.auto.commit=false, auto.offset.reset=earliest (the tool's default), max.partition.fetch.bytes
// 10485760 (the tool's --fetch-size). Everything else is the Java client's default.
import { RELEASE } from "../../scripts/env/release.js";
import { kafkaTool } from "../e2e/env.js";
import { log } from "../helpers/log.js";
import {
  type ConsumerResult,
  type ProducerResult,
  marked,
  parseConsumerSummary,
  parseProducerSummary,
  producerCommand,
  runToolPod,
  splitMarked,
} from "./perf-test.js";
import { CLIENT_SECRET, type ProfileId, TUNED_CONFIG } from "./profiles.js";
import { type BenchContext, type BenchSection, type Step, atLeast, failureLines, goalCell, markdownTable, median, num, ratio } from "./section.js";

const SATURATED_RECORDS = 100_000;
/** The section's settings: the topic, the runs' sizes and rate, the clients' settings. */
export const THROUGHPUT = {
  recordSize: 1024,
  partitions: 6,
  warmupRecords: 10_000,
  /** Each of the two producer runs as fast as the producer goes. */
  saturatedRecords: SATURATED_RECORDS,
  /** The fixed-rate producer run: records/s, and how many. */
  fixedRate: 1000,
  fixedRateRecords: 20_000,
  /** What each consumer run reads: less than the topic holds (warm-up + both saturated runs + the fixed rate), so it never waits out --timeout. */
  consumerRecords: 2 * SATURATED_RECORDS,
  /** OMB driver-kafka/kafka-throughput.yaml producerConfig (acks=all is producerCommand's). */
  producerProps: ["linger.ms=1", "batch.size=1048576"],
  /** OMB driver-kafka/kafka-throughput.yaml consumerConfig (max.partition.fetch.bytes through --fetch-size). */
  consumerProps: ["enable.auto.commit=false", "auto.offset.reset=earliest"],
  consumerFetchBytes: 10485760,
} as const;

export interface ThroughputResult {
  profile: ProfileId;
  producer: ProducerResult[];
  fixedRate: ProducerResult;
  consumer: ConsumerResult[];
}

/** The pod's script: every run marked, so one log holds them all (perf-test.ts splitMarked). */
export function throughputScript(topic: string, bootstrap = `${RELEASE}:9092`): string {
  const producer = (records: number, throughput: number): string =>
    producerCommand({ topic, records, recordSize: THROUGHPUT.recordSize, throughput, bootstrap }, THROUGHPUT.producerProps);
  const consumer = (group: string): string =>
    `kafka-consumer-perf-test.sh --bootstrap-server ${bootstrap} --topic ${topic} --num-records ${THROUGHPUT.consumerRecords} --timeout 30000 --fetch-size ${THROUGHPUT.consumerFetchBytes} --group ${group} --command-config /tmp/consumer.properties`;
  return [
    `printf '%s\\n' ${THROUGHPUT.consumerProps.map((p) => `'${p}'`).join(" ")} > /tmp/consumer.properties`,
    "cat /bench/client.properties >> /tmp/consumer.properties",
    marked("warmup", producer(THROUGHPUT.warmupRecords, -1)),
    marked("producer-1", producer(THROUGHPUT.saturatedRecords, -1)),
    marked("producer-2", producer(THROUGHPUT.saturatedRecords, -1)),
    marked("fixed-rate", producer(THROUGHPUT.fixedRateRecords, THROUGHPUT.fixedRate)),
    marked("consumer-1", consumer(`${topic}-1`)),
    marked("consumer-2", consumer(`${topic}-2`)),
  ].join("\n");
}

/** The figures of one pod's log; throws naming the run that has none. */
export function parseThroughput(profile: ProfileId, output: string): ThroughputResult {
  const parts = splitMarked(output);
  const tail = (label: string): string => (parts.get(label) ?? "(no output)").split("\n").slice(-8).join("\n");
  const producer = (label: string): ProducerResult => {
    const r = parseProducerSummary(parts.get(label) ?? "");
    if (!r) throw new Error(`throughput ${profile}: ${label} printed no summary:\n${tail(label)}`);
    return r;
  };
  const consumer = (label: string): ConsumerResult => {
    const r = parseConsumerSummary(parts.get(label) ?? "");
    if (!r) throw new Error(`throughput ${profile}: ${label} printed no result:\n${tail(label)}`);
    return r;
  };
  return {
    profile,
    producer: [producer("producer-1"), producer("producer-2")],
    fixedRate: producer("fixed-rate"),
    consumer: [consumer("consumer-1"), consumer("consumer-2")],
  };
}

async function measure(ctx: BenchContext, profile: ProfileId): Promise<ThroughputResult> {
  const e = ctx.e;
  const topic = `throughput-${profile}`;
  await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", `--create --topic ${topic} --partitions ${THROUGHPUT.partitions} --replication-factor 3`);
  try {
    log(`bench throughput ${profile}: producer and consumer runs in one pod`);
    const output = await runToolPod({ name: `bench-throughput-${profile}`, image: e.image, clientSecret: CLIENT_SECRET, script: throughputScript(topic) });
    const r = parseThroughput(profile, output);
    log(
      `bench throughput ${profile}: producer ${r.producer.map((p) => p.recordsPerSec.toFixed(0)).join(", ")} records/s; consumer ${r.consumer.map((c) => c.fetchRecordsPerSec.toFixed(0)).join(", ")} records/s`,
    );
    return r;
  } finally {
    await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", `--delete --topic ${topic}`).catch((err: unknown) => log(`deleting ${topic}: ${String(err)}`));
  }
}

const RATIO_GOAL = atLeast(0.9, "");

interface Row {
  figure: string;
  value: (r: ThroughputResult) => number;
  /** The issue's goal applies to this row's defaults/tuned ratio. */
  goal?: boolean;
}

const ROWS: Row[] = [
  { figure: "producer records/s (max)", value: (r) => median(r.producer.map((p) => p.recordsPerSec)), goal: true },
  { figure: "producer MB/s (max)", value: (r) => median(r.producer.map((p) => p.mbPerSec)), goal: true },
  { figure: "producer p50 ms at max", value: (r) => median(r.producer.map((p) => p.p50Ms)) },
  { figure: "producer p99 ms at max", value: (r) => median(r.producer.map((p) => p.p99Ms)) },
  { figure: `producer p50 ms at ${THROUGHPUT.fixedRate}/s`, value: (r) => r.fixedRate.p50Ms },
  { figure: `producer p99 ms at ${THROUGHPUT.fixedRate}/s`, value: (r) => r.fixedRate.p99Ms },
  { figure: "consumer records/s (fetching)", value: (r) => median(r.consumer.map((c) => c.fetchRecordsPerSec)), goal: true },
  { figure: "consumer MB/s (fetching)", value: (r) => median(r.consumer.map((c) => c.fetchMbPerSec)), goal: true },
  { figure: "consumer records/s (with group join)", value: (r) => median(r.consumer.map((c) => c.recordsPerSec)) },
  { figure: "consumer group join ms", value: (r) => median(r.consumer.map((c) => c.rebalanceMs)) },
];

/** Figures as rows, defaults and tuned side by side, their ratio, and the issue's goal on the throughput rows. */
export function throughputTable(defaults: ThroughputResult | undefined, tuned: ThroughputResult | undefined): string {
  const rows = ROWS.map((row) => {
    const d = defaults ? row.value(defaults) : undefined;
    const t = tuned ? row.value(tuned) : undefined;
    const q = d !== undefined && t !== undefined && t !== 0 ? d / t : undefined;
    return [row.figure, num(d), num(t), ratio(d, t), row.goal ? goalCell(RATIO_GOAL, q === undefined ? undefined : Math.round(q * 100) / 100) : ""];
  });
  return markdownTable(["figure", "defaults", "tuned", "defaults / tuned", "goal (defaults / tuned)"], rows);
}

export class ThroughputSection implements BenchSection {
  readonly id = "throughput" as const;
  private readonly results = new Map<ProfileId, ThroughputResult>();
  private readonly failures: { what: string; error: string }[] = [];
  readonly steps: Step[] = (["defaults", "tuned"] as const).map((profile) => ({
    profile,
    what: `throughput, ${profile}`,
    run: async (ctx: BenchContext) => {
      this.results.set(profile, await measure(ctx, profile));
    },
  }));

  failed(step: Step, error: string): void {
    this.failures.push({ what: step.what, error });
  }

  async report(): Promise<{ markdown: string; json: unknown; charts: [] }> {
    const defaults = this.results.get("defaults");
    const tuned = this.results.get("tuned");
    const incomplete = [...this.results.values()].flatMap((r) => r.consumer.filter((c) => !c.complete).map(() => r.profile));
    const markdown = [
      "## Throughput: chart defaults vs a tuned server.properties",
      "",
      `kafka-producer-perf-test and kafka-consumer-perf-test in a pod on the k3d server node (no broker there); topic of ${THROUGHPUT.partitions} partitions, RF 3, min ISR 2, ${THROUGHPUT.recordSize}-byte records. Producer (both setups): acks=all, ${THROUGHPUT.producerProps.join(", ")} (OMB driver-kafka/kafka-throughput.yaml), otherwise the Java client's defaults; "max" is the median of two runs of ${THROUGHPUT.saturatedRecords} records as fast as it goes (after a ${THROUGHPUT.warmupRecords}-record warm-up), the fixed rate one run of ${THROUGHPUT.fixedRateRecords / THROUGHPUT.fixedRate} s. Consumer: the median of two runs of ${THROUGHPUT.consumerRecords} records, each a new group from the earliest offset, max.partition.fetch.bytes=${THROUGHPUT.consumerFetchBytes}, enable.auto.commit=false; "fetching" leaves the group join out (the tool's fetch.* columns).`,
      "",
      `tuned: the defaults plus \`config\`: ${Object.entries(TUNED_CONFIG)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")} (after the OpenMessaging Benchmark's Kafka deployment, see test/bench/profiles.ts).`,
      "",
      throughputTable(defaults, tuned),
      incomplete.length > 0
        ? `\nA consumer run stopped on its timeout before reading ${THROUGHPUT.consumerRecords} records (${incomplete.join(", ")}): its figure is low.`
        : "",
      failureLines(this.failures),
    ]
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd();
    return { markdown, json: { defaults, tuned, tunedConfig: TUNED_CONFIG, failures: this.failures }, charts: [] };
  }
}
