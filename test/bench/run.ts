// `npm run bench [-- --only <section,...>]`: the benchmark tier, not part of `npm test`. Figures are
// reported, never asserted (these machines are noisy); every comparison is made side by side in one
// run on one cluster. Sections, one file each (section.ts says how they compose):
//
//   readiness   install -> all Ready, and readiness' CPU per broker (readiness.ts)
//   throughput  producer and consumer throughput and latency, chart defaults vs a tuned server.properties (throughput.ts)
//   tls         what TLS + SCRAM costs the producer (tls-cost.ts)
//   failover    failover windows on a hard node kill and a graceful leader move, defaults vs the fast-failover profile (failover.ts)
//   rolling     the longest ack gap during a rolling restart, Java client defaults (rolling-restart.ts)
//
// Each profile (profiles.ts) is installed once, fresh, and serves every selected section's steps for
// it (a step that fails gets the release reinstalled before the next one). Writes
// reports/bench-<time>/bench.json, bench.md and the sections' SVG charts, prints bench.md, and removes
// the release (the cluster stays when it existed before, as with the e2e runner). Exit 1 when a step
// failed (its figures are missing; the report says which and why).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { clusterNodes } from "../../scripts/env/cluster/k3d.js";
import { currentEnv, env, teardown } from "../e2e/env.js";
import { log } from "../helpers/log.js";
import { FailoverSection } from "./failover.js";
import { PROFILE_ORDER, installProfile } from "./profiles.js";
import { ReadinessSection } from "./readiness.js";
import { RollingRestartSection } from "./rolling-restart.js";
import { type BenchContext, type BenchSection, type SectionId, type Step, errorText, firstLine, parseOnly, plan } from "./section.js";
import { ThroughputSection } from "./throughput.js";
import { TlsCostSection } from "./tls-cost.js";

export function sections(only: SectionId[]): BenchSection[] {
  const all: BenchSection[] = [new ReadinessSection(), new ThroughputSection(), new TlsCostSection(), new FailoverSection(), new RollingRestartSection()];
  return all.filter((s) => only.includes(s.id));
}

/** Runs the plan: per profile a fresh install, then its steps; a failed step is recorded and the release reinstalled before the next. */
async function runPlan(ctx: BenchContext, selected: BenchSection[]): Promise<number> {
  let failures = 0;
  const fail = (section: BenchSection, step: Step, text: string): void => {
    failures++;
    log(`bench: ${section.id}: ${step.what} failed: ${firstLine(text)}`);
    section.failed(step, text);
  };
  for (const { profile, steps } of plan(selected, PROFILE_ORDER)) {
    let installed = false;
    let installError: string | undefined;
    for (const { section, step } of steps) {
      if (installError) {
        fail(section, step, `the ${profile} release could not be installed: ${installError}`);
        continue;
      }
      if (!installed) {
        try {
          log(`bench: installing the ${profile} release`);
          const installMs = await installProfile(ctx.e, profile);
          ctx.installs.push({ profile, installMs, at: Date.now() });
          installed = true;
        } catch (err) {
          installError = firstLine(errorText(err));
          process.stderr.write(`${errorText(err)}\n`);
          fail(section, step, `the ${profile} release could not be installed: ${installError}`);
          continue;
        }
      }
      try {
        log(`bench: ${section.id}: ${step.what}`);
        await step.run(ctx);
      } catch (err) {
        // The release may be left half-way (a node down, a pod gone): the next step gets a fresh one.
        installed = false;
        process.stderr.write(`${errorText(err)}\n`);
        fail(section, step, errorText(err));
      }
    }
  }
  return failures;
}

async function main(): Promise<number> {
  const only = parseOnly(process.argv.slice(2));
  const started = new Date();
  const dir = join(fileURLToPath(new URL("../../reports/", import.meta.url)), `bench-${started.toISOString().replace(/[:.]/g, "-")}`);
  mkdirSync(dir, { recursive: true });
  const selected = sections(only);
  const planned = plan(selected, PROFILE_ORDER);
  log(`bench: ${only.join(", ")}; installs: ${planned.map((p) => `${p.profile} (${p.steps.map((s) => s.section.id).join(", ")})`).join(" -> ")}`);
  // Before any install: a probe that does not compile fails the bench now, not half an hour in.
  for (const s of selected) await s.prepare?.();
  const clusterExisted = (await clusterNodes()).length > 0;
  let code = 0;
  try {
    const ctx: BenchContext = { e: await env(), dir, installs: [] };
    const failed = await runPlan(ctx, selected);
    if (failed > 0) code = 1;
    const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, k3d`;
    const reports = [];
    for (const s of selected) reports.push({ id: s.id, ...(await s.report({ installs: ctx.installs })) });
    for (const r of reports) for (const c of r.charts) writeFileSync(join(dir, c.file), c.svg);
    const wallSeconds = Math.round((Date.now() - started.getTime()) / 1000);
    const text = [
      `# kafka-ha benchmark, ${started.toISOString()}`,
      "",
      `Machine: ${machine}. Sections: ${only.join(", ")}. Wall time: ${Math.floor(wallSeconds / 60)} min ${wallSeconds % 60} s${failed > 0 ? `; ${failed} step(s) failed, see "not measured"` : ""}.`,
      "Figures are reported, never asserted; the goals are the issue's.",
      ...reports.map((r) => `\n${r.markdown}`),
      "",
    ].join("\n");
    writeFileSync(
      join(dir, "bench.json"),
      `${JSON.stringify(
        {
          started: started.toISOString(),
          machine,
          wallSeconds,
          sections: only,
          installs: ctx.installs,
          plan: planned.map((p) => ({ profile: p.profile, steps: p.steps.map((s) => `${s.section.id}: ${s.step.what}`) })),
          results: Object.fromEntries(reports.map((r) => [r.id, r.json])),
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(join(dir, "bench.md"), text);
    process.stdout.write(`\n${text}\nreport: ${dir}/bench.md\n`);
  } catch (err) {
    code = 1;
    process.stderr.write(`[kafka-ha bench] ${errorText(err)}\n`);
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
