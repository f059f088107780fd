// `npm run bench`: the benchmark tier, not part of `npm test`. Figures are reported, never asserted
// (these machines are noisy); every comparison is made side by side in one run on one cluster.
// Today it measures what security costs (tls-cost.ts); the observability issue adds throughput
// against a tuned configuration, failover windows and readiness cost. Writes
// reports/bench-<time>/bench.json and bench.md, prints the table, and removes the release (the
// cluster stays when it existed before, as with the e2e runner).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { clusterNodes } from "../../scripts/cluster/k3d.js";
import { currentEnv, env, teardown } from "../e2e/env.js";
import { log } from "../helpers/log.js";
import { FIXED_RATE, RECORD_SIZE, SATURATED_RECORDS, type SetupResult, plaintext, tlsScram } from "./tls-cost.js";

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

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

async function main(): Promise<number> {
  const started = new Date();
  const dir = join(fileURLToPath(new URL("../../reports/", import.meta.url)), `bench-${started.toISOString().replace(/[:.]/g, "-")}`);
  mkdirSync(dir, { recursive: true });
  const clusterExisted = (await clusterNodes()).length > 0;
  let code = 0;
  try {
    const e = await env();
    const results = [await plaintext(e), await tlsScram(e)];
    const table = tlsCostTable(results);
    const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, k3d`;
    const text = `# kafka-ha benchmark, ${started.toISOString()}\n\nMachine: ${machine}.\n\n## What security costs\n\nProducer: kafka-producer-perf-test in a pod of the cluster, acks=all, RF 3, 6 partitions, ${RECORD_SIZE}-byte records; "max" is the median of two runs of ${SATURATED_RECORDS} records as fast as the producer goes, the fixed rate one run of 30 s.\n\n${table}\n`;
    writeFileSync(join(dir, "bench.json"), `${JSON.stringify({ started: started.toISOString(), machine, tlsCost: results }, null, 2)}\n`);
    writeFileSync(join(dir, "bench.md"), text);
    process.stdout.write(`\n${text}\nreport: ${dir}/bench.json\n`);
  } catch (err) {
    code = 1;
    process.stderr.write(`[kafka-ha bench] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  } finally {
    const e = currentEnv();
    if (e) {
      log(`bench: cleaning up (${clusterExisted ? "keeping" : "deleting"} the cluster)`);
      await teardown(e, { clusterDown: !clusterExisted }).catch((err: unknown) => log(`cleanup failed: ${String(err)}`));
    }
  }
  return code;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
