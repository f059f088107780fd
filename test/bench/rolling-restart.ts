// The longest gap between acknowledgements during a rolling restart (issue 11's goal: at most 1 s for
// a producer with the Java client's default settings). The failover probe (FailoverProbe.java, one
// producer per partition, the Java client's defaults) writes while `helm upgrade` changes a broker
// setting, so the checksum annotation rolls every broker pod (as S9 triggers it); the bench waits for
// the roll (waitRolled), full ISR, and 10 s more. Figure: the longest gap between consecutive
// acknowledgements of any partition that overlaps [upgrade, end]. The release is left changed: run.ts
// runs this step after the defaults release's other steps.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP } from "../../scripts/env/release.js";
import { kafkaTool, podName, rollWithConfigChange, updateRevision, waitRolled } from "../e2e/env.js";
import { RollWatch } from "../e2e/session.js";
import { AdminProbe, waitFullIsr } from "../helpers/kafka-admin.js";
import { log } from "../helpers/log.js";
import { sleep } from "../../scripts/lib/wait.js";
import { type ChartMark, gapChartSpec, renderSvg } from "./charts.js";
import { type EventWindow, ProbeRun, type ProbeOutput, eventWindow, probeClass } from "./failover-probe.js";
import {
  type BenchContext,
  type BenchSection,
  type Chart,
  type Step,
  atMost,
  failureLines,
  goalCell,
  markdownTable,
  sectionMarkdown,
  secs,
} from "./section.js";

/** The section's settings: the probe's topic, the steady traffic around the roll, the goal. */
export const ROLLING = {
  partitions: 6,
  /** Steady traffic before the upgrade, and after the roll's full ISR before the measurement ends. */
  steadyMs: 10000,
  /** Issue 11's bound on the longest gap between acknowledgements during the roll. */
  goalMs: 1000,
} as const;
const GOAL = atMost(ROLLING.goalMs / 1000, " s", 1000);

export interface RollingRun {
  upgradeAt: number;
  endedAt: number;
  /** helm upgrade until every broker was replaced and Ready (waitRolled). */
  rollMs: number;
  restarts: { pod: string; at: number }[];
  marks: ChartMark[];
  window: EventWindow;
  probe: { sent: number; acked: number; failed: number };
}

async function measure(ctx: BenchContext): Promise<{ run: RollingRun; output: ProbeOutput }> {
  const e = ctx.e;
  const topic = "rolling-defaults";
  const marks: ChartMark[] = [];
  const mark = (label: string): number => {
    const time = Date.now();
    marks.push({ time, label });
    log(`bench rolling restart: ${label}`);
    return time;
  };
  await kafkaTool(e, podName(0), "kafka-topics.sh", `--create --topic ${topic} --partitions ${ROLLING.partitions} --replication-factor 3`);
  let probe: ProbeRun | undefined;
  let roll: RollWatch | undefined;
  try {
    probe = await ProbeRun.start(e, { name: "rolling-probe", topic, partitions: ROLLING.partitions, clientProperties: [] });
    await sleep(ROLLING.steadyMs);
    roll = await RollWatch.start(e);
    const revisionBefore = await updateRevision(e);
    // A broker setting no client sees, different on every run (as S9).
    const value = String(300000 + (Date.now() % 100000));
    const upgradeAt = mark(`helm upgrade: config.log.retention.check.interval.ms=${value}`);
    await rollWithConfigChange(e, value);
    const rollMs = await waitRolled(e, revisionBefore, upgradeAt);
    mark(`every broker replaced and Ready (${secs(rollMs)})`);
    await waitFullIsr(new AdminProbe(BOOTSTRAP), 300000);
    await sleep(ROLLING.steadyMs);
    const endedAt = Date.now();
    await roll.stop();
    const restarts = roll.restarts();
    for (const r of restarts) marks.push({ time: r.at, label: `${r.pod} replaced` });
    const { output, raw } = await probe.stop();
    writeFileSync(join(ctx.dir, "rolling-restart.probe.jsonl"), raw);
    const all = Array.from({ length: ROLLING.partitions }, (_, p) => p);
    const window = eventWindow(output, all, upgradeAt, endedAt);
    log(`bench rolling restart: longest ack gap ${secs(window.windowMs)} over ${secs(endedAt - upgradeAt)}`);
    const totals = (key: "sent" | "acked" | "failed"): number => (output.summary?.partitions ?? []).reduce((a, p) => a + p[key], 0);
    return {
      run: { upgradeAt, endedAt, rollMs, restarts, marks, window, probe: { sent: totals("sent"), acked: totals("acked"), failed: totals("failed") } },
      output,
    };
  } finally {
    await roll?.stop();
    await probe?.close();
    await kafkaTool(e, podName(0), "kafka-topics.sh", `--delete --topic ${topic}`).catch((err: unknown) => log(`deleting ${topic}: ${String(err)}`));
  }
}

export function rollingTable(run: RollingRun): string {
  const w = run.window;
  const at = w.worst?.from !== undefined ? `p${w.worst.partition}, ${secs(w.worst.from - run.upgradeAt)} after the upgrade` : "";
  return markdownTable(
    [
      "profile",
      "roll (upgrade -> every broker replaced and Ready)",
      "longest ack gap, any partition",
      "where, when",
      "goal",
      "failed sends",
      "pods replaced (after the upgrade)",
    ],
    [
      [
        "defaults",
        secs(run.rollMs),
        w.windowMs === 0 ? `< ${secs(w.resolutionMs)}` : secs(w.windowMs),
        at,
        goalCell(GOAL, w.windowMs),
        String(w.failedSends),
        run.restarts.map((r) => `${r.pod} +${secs(r.at - run.upgradeAt)}`).join(", "),
      ],
    ],
  );
}

export class RollingRestartSection implements BenchSection {
  readonly id = "rolling" as const;
  private result: { run: RollingRun; output: ProbeOutput } | undefined;
  private readonly failures: { what: string; error: string }[] = [];
  readonly steps: Step[] = [
    {
      profile: "defaults",
      what: "longest ack gap during a rolling restart",
      changesRelease: true,
      run: async (ctx) => {
        this.result = await measure(ctx);
      },
    },
  ];

  async prepare(): Promise<void> {
    await probeClass();
  }

  failed(step: Step, error: string): void {
    this.failures.push({ what: step.what, error });
  }

  async report(): Promise<{ markdown: string; json: unknown; charts: Chart[] }> {
    const charts: Chart[] = [];
    if (this.result) {
      const { run, output } = this.result;
      const spec = gapChartSpec({
        title: "rolling restart (helm upgrade), Java client defaults: gaps between acknowledgements per partition",
        output,
        marks: run.marks,
        affected: [{ partitions: run.window.perPartition.map((w) => w.partition), from: run.upgradeAt, to: run.endedAt }],
        goalMs: ROLLING.goalMs,
      });
      charts.push({ file: "rolling-restart.svg", svg: await renderSvg(spec) });
    }
    const markdown = sectionMarkdown([
      "## Rolling restart",
      "",
      `The failover probe (one producer per partition, one record per partition every 20 ms, acks=all, the Java client's defaults) on a topic of ${ROLLING.partitions} partitions, RF 3, while \`helm upgrade\` changes config.log.retention.check.interval.ms on the defaults release, which rolls every broker pod (highest ordinal first, each after the previous is Ready). Figure: the longest gap between consecutive acknowledgements of any partition from the upgrade until full ISR after the roll plus ${ROLLING.steadyMs / 1000} s.`,
      "",
      this.result ? rollingTable(this.result.run) : "(not measured)",
      "",
      charts.map((c) => `![${c.file}](${c.file})`).join("\n"),
      failureLines(this.failures),
    ]);
    return { markdown, json: { run: this.result?.run, failures: this.failures }, charts };
  }
}
