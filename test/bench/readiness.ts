// Install -> all Ready, and what readiness costs (issue 11). The install time is freshInstall's
// installMs (helm upgrade --install until every broker pod is Ready and the brokers serve), for each
// install of the run. The readiness cost is readinessProbeCost (test/e2e/env.ts) on every broker of
// the defaults release at steady state, the brokers measured at once (each figure is CPU time, so
// measuring them together does not change it): ready.sh's CPU per run (it reads the in-JVM check's
// verdict) spread over its period, plus the in-JVM check's own CPU. The issue's goal: at most 20
// millicores per broker.
import { BROKERS } from "../../scripts/env/release.js";
import { type ProbeCost, podName, readinessProbeCost } from "../e2e/env.js";
import { log } from "../helpers/log.js";
import { type BenchContext, type BenchSection, type InstallRecord, type Step, atMost, failureLines, goalCell, markdownTable, num, secs } from "./section.js";

/** ready.sh runs timed per broker, and the window over which the in-JVM check's CPU is read. */
export const SCRIPT_RUNS = 20;
export const WINDOW_SECONDS = 30;
export const READINESS_GOAL = atMost(20, " millicores");

export interface BrokerCost extends ProbeCost {
  pod: string;
}

export function readinessTable(costs: BrokerCost[]): string {
  const rows = costs.map((c) => [
    c.pod,
    num(c.scriptCpuSeconds * 1000),
    String(c.periodSeconds),
    num((c.scriptCpuSeconds / c.periodSeconds) * 1000),
    num(c.inJvmMillicores),
    `${c.inJvmChecks} in ${c.windowSeconds} s`,
    num(c.millicores),
    goalCell(READINESS_GOAL, c.millicores),
  ]);
  if (costs.length > 1) {
    const mean = costs.reduce((a, c) => a + c.millicores, 0) / costs.length;
    rows.push(["mean", "", "", "", "", "", num(mean), goalCell(READINESS_GOAL, mean)]);
  }
  return markdownTable(
    ["broker", "ready.sh CPU ms per run", "period s", "ready.sh millicores", "in-JVM check millicores", "in-JVM checks", "millicores per broker", "goal"],
    rows,
  );
}

export function installTable(installs: InstallRecord[]): string {
  return markdownTable(
    ["install", "helm install -> every broker Ready and serving"],
    installs.map((i) => [i.profile, secs(i.installMs)]),
  );
}

export class ReadinessSection implements BenchSection {
  readonly id = "readiness" as const;
  private costs: BrokerCost[] = [];
  private readonly failures: { what: string; error: string }[] = [];
  readonly steps: Step[] = [
    {
      profile: "defaults",
      what: "readiness cost on every broker",
      run: async (ctx: BenchContext) => {
        const pods = Array.from({ length: BROKERS }, (_, i) => podName(i));
        log(`bench readiness: ${SCRIPT_RUNS} ready.sh runs and a ${WINDOW_SECONDS} s window on ${pods.join(", ")}`);
        this.costs = await Promise.all(pods.map(async (pod) => ({ pod, ...(await readinessProbeCost(ctx.e, pod, SCRIPT_RUNS, WINDOW_SECONDS)) })));
        log(`bench readiness: ${this.costs.map((c) => `${c.pod} ${c.millicores} millicores`).join(", ")}`);
      },
    },
  ];

  failed(step: Step, error: string): void {
    this.failures.push({ what: step.what, error });
  }

  async report(ctx: { installs: InstallRecord[] }): Promise<{ markdown: string; json: unknown; charts: [] }> {
    const markdown = [
      "## Install and readiness cost",
      "",
      "Install: `helm upgrade --install` of a fresh release (namespace and data removed first) until every broker pod is Ready and the brokers serve; every install of this run, in order.",
      "",
      ctx.installs.length > 0 ? installTable(ctx.installs) : "(no install)",
      "",
      `Readiness cost per broker of the defaults release at steady state: ready.sh (it reads the in-JVM check's verdict, no JVM) timed over ${SCRIPT_RUNS} runs with bash's \`time\` and spread over the probe period, plus the CPU of the in-JVM check (its thread and its admin client) over a ${WINDOW_SECONDS} s window (readinessProbeCost, test/e2e/env.ts).`,
      "",
      this.costs.length > 0 ? readinessTable(this.costs) : "(not measured)",
      failureLines(this.failures),
    ]
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd();
    return { markdown, json: { installs: ctx.installs, readiness: this.costs, failures: this.failures }, charts: [] };
  }
}
