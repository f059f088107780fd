// The e2e tiers: `npm run test:e2e [-- --repeat N] [-- --only S3,S8] [-- --tier upgrades|all]`.
// Brings the environment up (k3d cluster, Kafka image), then runs every scenario file once per
// repetition, in scenario order, each in a process of its own through uvu's CLI (the repetition in
// KAFKA_HA_E2E_RUN, its results handed back in a JSON file, a hung file ended after
// FILE_TIMEOUT_MS), then always writes the report (reports/) and cleans up: the release and its
// namespace go, nodes are uncordoned, and a cluster this run created is deleted again
// (KAFKA_HA_KEEP_CLUSTER=1 keeps it). A process per file keeps uvu's own runner as it is meant to
// be used, and one file's leftovers (timers, clients) away from the next.
import { mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { execa } from "execa";
import { type ScenarioRun, readResults, report, setupFailures } from "../helpers/report.js";
import type { ScenarioFile } from "./scenario.js";

// This process imports the scenario files for their declarations only (scenario.ts).
process.env.KAFKA_HA_E2E_LISTING = "1";

// Order matters: H1 installs afresh with Helm 3 and upgrades with Helm 4; S1 installs afresh with
// Helm 4 (so each repetition starts clean); the destructive chains come last (S10 and S11 heal
// their partitions and uncordon, so they run before them; Q1 wipes a controller's disk), S6/S7 last
// of the default-values scenarios (it replaces a node). S16 installs dedicated controllers afresh and
// removes that release again, like S17 and S18 after it install their own. Then the overlays: O1
// installs examples/values-production.yaml instead of the defaults (and removes it again), O2 runs
// examples/values-dev.yaml on a one-node cluster of its own.
export const SCENARIO_FILES = [
  "h1-helm3-to-helm4.test.ts",
  "s1-install.test.ts",
  "s2-pod-delete.test.ts",
  "s3-s5-drain.test.ts",
  "s9-rolling-upgrade.test.ts",
  "s10-network-partition.test.ts",
  "s11-unclean-election.test.ts",
  "s8-node-kill.test.ts",
  "q1-quorum-wipe.test.ts",
  "s6-s7-node-lost.test.ts",
  "s14-s15-broker-scale.test.ts",
  "s16-controller-quorum.test.ts",
  "s17-kafka-upgrade.test.ts",
  "s18-chart-upgrade.test.ts",
  "o1-production-overlay.test.ts",
  "t1-t2-secured.test.ts",
  "t3-cert-manager.test.ts",
  "t4-generated-certificate.test.ts",
  "o2-dev-overlay.test.ts",
];

/** A scenario file's process is ended after this long (its scenarios then show as failed). */
export const FILE_TIMEOUT_MS = 20 * 60 * 1000;

const E2E_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The declarations of the given scenario files (in that order), read without running anything. */
export async function listScenarioFiles(files: readonly string[] = SCENARIO_FILES): Promise<ScenarioFile[]> {
  const out: ScenarioFile[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(E2E_DIR, f)).href)) as { default?: ScenarioFile };
    if (!mod.default?.scenarios) throw new Error(`${f} does not export its scenarioFile(...) declaration as default`);
    out.push(mod.default);
  }
  return out;
}

/** Adds a failed entry for every expected (scenario, run) that produced no result. */
export function addMissing(files: readonly ScenarioFile[], repeat: number, why: string | ((file: string, run: number) => string)): void {
  for (let run = 1; run <= repeat; run++) {
    for (const { file: f, scenarios } of files) {
      for (const sc of scenarios) {
        if (report.runs.some((r) => r.id === sc.id && r.run === run)) continue;
        report.add({
          id: sc.id,
          name: sc.name,
          run,
          passed: false,
          error: typeof why === "string" ? why : why(f, run),
          acknowledged: Number.NaN,
          lost: Number.NaN,
          duplicates: Number.NaN,
          lateAcks: Number.NaN,
          orderViolations: Number.NaN,
          failedSends: Number.NaN,
          longestGapMs: Number.NaN,
          timeToFullIsrMs: Number.NaN,
          wallMs: Number.NaN,
          startedAt: Date.now(),
          events: [],
          acksPerSecond: [],
          facts: {},
        });
      }
    }
  }
}

/**
 * The upgrade tier (`npm run test:upgrades`, `--tier upgrades`): procedures that move a running
 * release to something new, each several rolls long: Helm 3 to Helm 4 (H1), the controller quorum
 * resized 3 -> 5 -> 3 (S16, two rolls and the controller-removal Job), the previous Kafka (S17) and
 * chart (S18), and the CA change (T4, three rolls). CI's 90 minutes do not hold them next to the HA
 * tier (README "Tests"; 78 minutes with H1 and T4 in it), so `npm test` runs the HA tier (every
 * other file) and the upgrade tier runs before each release and whenever Chart.yaml's version or
 * appVersion, the pinned Helm, the certificate handling or the quorum handling (start.sh, the
 * controller-removal Job) changes. `--only` picks from every file.
 */
export const UPGRADE_TIER: readonly string[] = [
  "h1-helm3-to-helm4.test.ts",
  "s16-controller-quorum.test.ts",
  "s17-kafka-upgrade.test.ts",
  "s18-chart-upgrade.test.ts",
  "t4-generated-certificate.test.ts",
];
export type Tier = "ha" | "upgrades" | "all";

/** The files of a tier, in scenario order. */
export function tierFiles(tier: Tier): string[] {
  if (tier === "all") return [...SCENARIO_FILES];
  return SCENARIO_FILES.filter((f) => UPGRADE_TIER.includes(f) === (tier === "upgrades"));
}

// Quarantined: scenario files taken out of the default run while a flake is fixed. A default run
// says so loudly at its start and end; `--only s3,s6` still runs them. Add an entry only with the
// reason and the failure rate seen; remove it once the cause is fixed and proven over repeated
// runs. Empty: the S3-S8 flakes it held were kafkajs bootstrap and admin-client problems, fixed by
// liveSeed and AdminProbe (test/helpers/kafka-admin.ts) and proven with --repeat 3.
export const QUARANTINED: Readonly<Record<string, string>> = {};

/**
 * The run's exit code. uvu exits 0 when a suite's before hook throws (its runner returns from a
 * `finally`), so the report decides too: no scenario run at all, or any run that did not pass
 * (addMissing has added the ones that never reported), fails the run.
 */
export function exitCode(uvuCode: number, runs: Pick<ScenarioRun, "id" | "run" | "passed">[]): { code: number; message?: string } {
  if (runs.length === 0) return { code: 1, message: "no scenario ran: failing rather than passing silently" };
  const failed = runs.filter((r) => !r.passed);
  if (failed.length > 0)
    return { code: uvuCode || 1, message: `${failed.length} scenario run(s) did not pass: ${failed.map((r) => `${r.id} run ${r.run}`).join(", ")}` };
  return { code: uvuCode };
}

/**
 * Whether `--only` entry `o` selects scenario file `f`: a scenario id (s3 selects s3-s5-drain, and
 * s1 selects s1-install but not s10-network-partition) or the start of the file name up to a dash.
 */
export function selects(o: string, f: string): boolean {
  return f.split(/[-.]/).includes(o) || f === o || f.startsWith(`${o}-`) || f.startsWith(`${o}.`);
}

interface Args {
  repeat: number;
  only: string[];
  tier: Tier;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { repeat: 1, only: [], tier: "ha" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    const value = (): string => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--repeat" || a.startsWith("--repeat=")) {
      args.repeat = Number(value());
      if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new Error(`--repeat must be a positive integer`);
    } else if (a === "--only" || a.startsWith("--only=")) {
      args.only = value()
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
    } else if (a === "--tier" || a.startsWith("--tier=")) {
      const tier = value();
      if (tier !== "ha" && tier !== "upgrades" && tier !== "all") throw new Error(`--tier must be ha, upgrades or all, not ${tier}`);
      args.tier = tier;
    } else {
      throw new Error(`unknown argument ${a} (use --repeat N, --only s2,s8, --tier ha|upgrades|all)`);
    }
  }
  return args;
}

/** Runs one scenario file for one repetition in a process of its own; returns its exit code. */
async function runFile(file: string, run: number, repeat: number, resultsDir: string): Promise<number> {
  const results = join(resultsDir, `${file.replace(/\.test\.ts$/, "")}-run${run}.json`);
  const { KAFKA_HA_E2E_LISTING: _, ...env } = process.env;
  process.stdout.write(`\n[kafka-ha e2e] ${file}${repeat > 1 ? ` (run ${run}/${repeat})` : ""}\n`);
  const child = await execa("node", ["--import", "tsx", "node_modules/uvu/bin.js", "test/e2e", `^${file.replace(/\./g, "\\.")}$`], {
    cwd: join(E2E_DIR, "../.."),
    env: { ...env, KAFKA_HA_E2E_RUN: String(run), KAFKA_HA_E2E_RESULTS: results },
    extendEnv: false,
    stdio: "inherit",
    timeout: FILE_TIMEOUT_MS,
    reject: false,
  });
  const back = readResults(results);
  for (const r of back.runs) report.add(r);
  setupFailures.push(...back.setupFailures);
  if (child.timedOut) process.stderr.write(`[kafka-ha e2e] ${file} run ${run}: ended after ${FILE_TIMEOUT_MS / 60000} minutes\n`);
  return child.timedOut ? 1 : (child.exitCode ?? 1);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const names =
    args.only.length === 0 ? tierFiles(args.tier).filter((f) => !(f in QUARANTINED)) : SCENARIO_FILES.filter((f) => args.only.some((o) => selects(o, f)));
  if (args.only.length === 0) process.stdout.write(`[kafka-ha e2e] tier ${args.tier}: ${names.length} scenario files\n`);
  const quarantineNotice = (): void => {
    if (args.only.length > 0) return;
    for (const [f, why] of Object.entries(QUARANTINED)) {
      process.stderr.write(`[kafka-ha e2e] QUARANTINED, NOT RUN: ${f}: ${why} (run it with --only ${f.split("-")[0]})\n`);
    }
  };
  quarantineNotice();
  if (names.length === 0) throw new Error(`--only ${args.only.join(",")} matches no scenario file (${SCENARIO_FILES.join(", ")})`);

  const files = await listScenarioFiles(names);
  const { env, currentEnv, teardown } = await import("./env.js");
  const { log } = await import("../helpers/log.js");
  const started = Date.now();
  const dir = join(fileURLToPath(new URL("../../reports/", import.meta.url)), `e2e-${new Date(started).toISOString().replace(/[:.]/g, "-")}`);
  const resultsDir = join(dir, "files");
  mkdirSync(resultsDir, { recursive: true });
  report.meta = { repeat: args.repeat, files: names.join(" "), node: process.version };
  let clusterExisted = true;
  let code = 0;
  let setupError: unknown;
  try {
    clusterExisted = await clusterExists();
    await env();
    for (let run = 1; run <= args.repeat; run++) {
      for (const { file } of files) code = Math.max(code, await runFile(file, run, args.repeat, resultsDir));
    }
  } catch (err) {
    setupError = err;
    code = 1;
    process.stderr.write(`[kafka-ha e2e] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  } finally {
    addMissing(files, args.repeat, (f, run) => {
      if (setupError) return `not run: ${setupError instanceof Error ? setupError.message : String(setupError)}`;
      const setup = setupFailures.find((x) => x.run === run && f.startsWith(`${x.label}-`));
      if (setup?.stage === "test") return `no result: failed before its traffic window: ${setup.message}`;
      return setup ? `setup failed: ${setup.message}` : "no result: failed before its traffic window (see the test output above)";
    });
    report.meta.wallSeconds = Math.round((Date.now() - started) / 1000);
    if (setupError) report.meta.setupError = setupError instanceof Error ? setupError.message : String(setupError);
    const { table } = await report.write(dir);
    const facts = report.runs.map(
      (r) =>
        `  ${r.id} run ${r.run}${r.passed ? "" : " FAILED"}: ${Object.entries(r.facts)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(" ")}${r.error ? `\n    error: ${r.error}` : ""}`,
    );
    process.stdout.write(
      `\n${table}\n\nfacts per run:\n${facts.join("\n")}\n\nreport: ${dir}/report.json (timelines: ${dir}/*.svg); wall time ${report.meta.wallSeconds}s\n`,
    );
    const keep = process.env.KAFKA_HA_KEEP_CLUSTER === "1" || clusterExisted;
    try {
      const e = currentEnv();
      if (e) {
        log(`cleaning up (${keep ? "keeping" : "deleting"} the cluster)`);
        await teardown(e, { clusterDown: !keep });
      }
    } catch (err) {
      process.stderr.write(`[kafka-ha e2e] cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`);
      code = code || 1;
    }
  }
  const verdict = exitCode(code, report.runs);
  if (verdict.message) process.stderr.write(`[kafka-ha e2e] ${verdict.message}\n`);
  code = verdict.code;
  quarantineNotice();
  return code;
}

async function clusterExists(): Promise<boolean> {
  const { clusterNodes } = await import("../../scripts/env/cluster/k3d.js");
  return (await clusterNodes()).length > 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`[kafka-ha e2e] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
