// What security costs (issue 9): the same producer benchmark against the chart's defaults (every
// listener PLAINTEXT, profile "defaults") and against the README's security block (TLS on every
// listener, SCRAM-SHA-512 on the client listener, profile "tls-scram"), on one cluster in one run.
// Per setup: a warm-up (discarded), two runs as fast as the producer goes (throughput and its
// latency under saturation), and one run at a fixed rate well below saturation (latency without
// queueing). acks=all, replication factor 3, 1 KiB records, 6 partitions; the producer's other
// settings are the Java client's defaults.
import { RELEASE } from "../../scripts/env/release.js";
import { kafkaTool } from "../e2e/env.js";
import { log } from "../helpers/log.js";
import { type ProducerResult, runProducer } from "./perf-test.js";
import { CLIENT_SECRET, type ProfileId } from "./profiles.js";
import { type BenchContext, type BenchSection, type Step, failureLines, median } from "./section.js";

export interface SetupResult {
  setup: string;
  installSeconds: number;
  saturated: ProducerResult[];
  fixedRate: ProducerResult;
}

export const RECORD_SIZE = 1024;
export const SATURATED_RECORDS = 100_000;
export const FIXED_RATE = 1000;
export const FIXED_RATE_RECORDS = 30_000;

/** The markdown table: one row per setup, then the secured/plaintext ratio. */
export function tlsCostTable(results: SetupResult[]): string {
  const row = (r: SetupResult): number[] => [
    median(r.saturated.map((x) => x.recordsPerSec)),
    median(r.saturated.map((x) => x.mbPerSec)),
    median(r.saturated.map((x) => x.p99Ms)),
    r.fixedRate.p50Ms,
    r.fixedRate.p99Ms,
  ];
  const header = [
    "| setup | records/s (max) | MB/s (max) | p99 ms at max | p50 ms at " + String(FIXED_RATE) + "/s | p99 ms at " + String(FIXED_RATE) + "/s |",
    "|---|---|---|---|---|---|",
  ];
  const lines = results.map(
    (r) =>
      `| ${r.setup} | ${row(r)
        .map((v) => v.toFixed(v < 100 ? 1 : 0))
        .join(" | ")} |`,
  );
  const [plain, secured] = results;
  if (plain && secured) {
    const p = row(plain);
    const s = row(secured);
    lines.push(`| ${secured.setup} / ${plain.setup} | ${s.map((v, i) => `${(v / (p[i] || 1)).toFixed(2)}x`).join(" | ")} |`);
  }
  return [...header, ...lines].join("\n");
}

async function measure(ctx: BenchContext, setup: string, profile: ProfileId): Promise<SetupResult> {
  const e = ctx.e;
  const topic = `bench-${setup}`;
  await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", `--create --topic ${topic} --partitions 6 --replication-factor 3`);
  try {
    const base = { image: e.image, bootstrap: `${RELEASE}:9092`, topic, recordSize: RECORD_SIZE, clientSecret: CLIENT_SECRET };
    log(`bench ${setup}: warm-up`);
    await runProducer({ ...base, name: `bench-${setup}-warmup`, records: 20_000, throughput: -1 });
    const saturated: ProducerResult[] = [];
    for (const i of [1, 2]) {
      const r = await runProducer({ ...base, name: `bench-${setup}-max-${i}`, records: SATURATED_RECORDS, throughput: -1 });
      log(`bench ${setup}: as fast as it goes, run ${i}: ${r.recordsPerSec.toFixed(0)} records/s, p99 ${r.p99Ms} ms`);
      saturated.push(r);
    }
    const fixedRate = await runProducer({ ...base, name: `bench-${setup}-fixed`, records: FIXED_RATE_RECORDS, throughput: FIXED_RATE });
    log(`bench ${setup}: ${FIXED_RATE} records/s: p50 ${fixedRate.p50Ms} ms, p99 ${fixedRate.p99Ms} ms`);
    const install = ctx.installs.filter((i) => i.profile === profile).at(-1);
    return { setup, installSeconds: Math.round((install?.installMs ?? Number.NaN) / 1000), saturated, fixedRate };
  } finally {
    // The next sections on this release start without these 250 MB.
    await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", `--delete --topic ${topic}`).catch((err: unknown) => log(`deleting ${topic}: ${String(err)}`));
  }
}

export class TlsCostSection implements BenchSection {
  readonly id = "tls" as const;
  private readonly results = new Map<string, SetupResult>();
  private readonly failures: { what: string; error: string }[] = [];
  readonly steps: Step[] = [
    { profile: "defaults", what: "producer benchmark, plaintext (chart defaults)", run: async (ctx) => this.add(await measure(ctx, "plaintext", "defaults")) },
    { profile: "tls-scram", what: "producer benchmark, TLS + SCRAM", run: async (ctx) => this.add(await measure(ctx, "tls-scram", "tls-scram")) },
  ];

  private add(r: SetupResult): void {
    this.results.set(r.setup, r);
  }

  failed(step: Step, error: string): void {
    this.failures.push({ what: step.what, error });
  }

  async report(): Promise<{ markdown: string; json: unknown; charts: [] }> {
    const results = ["plaintext", "tls-scram"].map((s) => this.results.get(s)).filter((r): r is SetupResult => r !== undefined);
    const markdown = [
      "## What security costs",
      "",
      `Producer: kafka-producer-perf-test in a pod on the k3d server node (no broker there), acks=all (the Java client's other defaults), RF 3, 6 partitions, ${RECORD_SIZE}-byte records; "max" is the median of two runs of ${SATURATED_RECORDS} records as fast as the producer goes, the fixed rate one run of ${FIXED_RATE_RECORDS / FIXED_RATE} s. plaintext: the chart's defaults; tls-scram: TLS on every listener, SCRAM-SHA-512 on the client listener.`,
      "",
      results.length > 0 ? tlsCostTable(results) : "(no setup measured)",
      "",
      failureLines(this.failures),
    ]
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd();
    return { markdown, json: { results, failures: this.failures }, charts: [] };
  }
}
