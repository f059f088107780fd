// The HA suite's report: one record per scenario run, aggregated per scenario (median and worst
// over --repeat N), written as JSON under reports/, printed as a table, and drawn as one SVG
// timeline per scenario run (acknowledgements per second with the fault events marked), rendered
// headless by vega-lite -> vega (View.toSVG, no canvas).
import { readFileSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as vega from "vega";
import * as vl from "vega-lite";

export interface TimelineEvent {
  time: number;
  label: string;
}

export interface ScenarioRun {
  id: string;
  name: string;
  run: number;
  passed: boolean;
  error?: string;
  acknowledged: number;
  /** Acknowledged records (late ones included) not read back at their acknowledged offset. */
  lost: number;
  duplicates: number;
  /** Acknowledgements that came after the client-side send cutoff (those sends also count as failed). */
  lateAcks: number;
  /** Acks out of send order per producer and partition, plus group reads going back or skipping. */
  orderViolations: number;
  failedSends: number;
  longestGapMs: number;
  /** null: the cluster never got every partition back to full ISR within the observation. */
  timeToFullIsrMs: number | null;
  /** false where the scenario leaves the cluster degraded on purpose (S3, S4, S6): shown as n/a. */
  recoveryExpected?: boolean;
  wallMs: number;
  startedAt: number;
  events: TimelineEvent[];
  acksPerSecond: { second: number; acks: number }[];
  /** Scenario-specific facts (who was drained, refused by PDB, quorum voters, ...). */
  facts: Record<string, string | number | boolean | null>;
}

export type Figure = "acknowledged" | "lost" | "duplicates" | "lateAcks" | "orderViolations" | "failedSends" | "longestGapMs" | "timeToFullIsrMs" | "wallMs";
export const FIGURES: Figure[] = [
  "acknowledged",
  "lost",
  "duplicates",
  "lateAcks",
  "orderViolations",
  "failedSends",
  "longestGapMs",
  "timeToFullIsrMs",
  "wallMs",
];

export interface Aggregate {
  id: string;
  name: string;
  runs: number;
  passed: number;
  recoveryExpected: boolean;
  median: Record<Figure, number | null>;
  worst: Record<Figure, number | null>;
}

/** Median; for an even count the mean of the two middle values. Infinity stands for "never". */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Worst = fewest acknowledged records, most of everything else. */
export function worst(figure: Figure, values: number[]): number {
  return figure === "acknowledged" ? Math.min(...values) : Math.max(...values);
}

const toNumber = (v: number | null): number => (v === null ? Number.POSITIVE_INFINITY : v);
const fromNumber = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function aggregate(runs: ScenarioRun[]): Aggregate[] {
  const byId = new Map<string, ScenarioRun[]>();
  for (const r of runs) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const order = (id: string): number => Number(/\d+/.exec(id)?.[0] ?? 0);
  return [...byId.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([id, list]) => {
      const med = {} as Record<Figure, number | null>;
      const bad = {} as Record<Figure, number | null>;
      const recovering = list.filter((r) => r.recoveryExpected !== false);
      for (const f of FIGURES) {
        // NaN = unknown (a run that failed before its read-back); it is left out, the pass count shows the failure.
        const values = (f === "timeToFullIsrMs" ? recovering : list).map((r) => toNumber(r[f])).filter((v) => !Number.isNaN(v));
        med[f] = values.length > 0 ? fromNumber(median(values)) : Number.NaN;
        bad[f] = values.length > 0 ? fromNumber(worst(f, values)) : Number.NaN;
      }
      return {
        id,
        name: list[0]?.name ?? id,
        runs: list.length,
        passed: list.filter((r) => r.passed).length,
        recoveryExpected: recovering.length > 0,
        median: med,
        worst: bad,
      };
    });
}

const seconds = (ms: number | null): string => (ms === null ? "never" : `${(ms / 1000).toFixed(1)}s`);
const cell = (figure: Figure, v: number | null): string => {
  if (v !== null && Number.isNaN(v)) return "?";
  return figure.endsWith("Ms") ? seconds(v) : v === null ? "-" : String(Math.round(v));
};

/** A markdown table with padded columns, as lines. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)];
}

export function summaryTable(aggregates: Aggregate[]): string {
  const repeated = aggregates.some((a) => a.runs > 1);
  const header = [
    "scenario",
    "runs",
    "passed",
    "acknowledged",
    "lost",
    "duplicates",
    "late acks",
    "order violations",
    "failed sends",
    "longest gap",
    "time to full ISR",
    "wall time",
  ];
  const rows = aggregates.map((a) => [
    `${a.id} ${a.name}`,
    String(a.runs),
    `${a.passed}/${a.runs}`,
    ...FIGURES.map((f) => {
      if (f === "timeToFullIsrMs" && !a.recoveryExpected) return "n/a";
      return repeated ? `${cell(f, a.median[f])} (${cell(f, a.worst[f])})` : cell(f, a.median[f]);
    }),
  ]);
  const out = markdownTable(header, rows);
  out.push(
    "",
    "lost: acknowledged records (late acks included) not read back at their acknowledged offset. late acks: acknowledged after the 15 s client cutoff (also counted as failed sends).",
    "order violations: acks out of send order per producer and partition, and group-consumer reads going back or skipping (checker.ts, rules ack-order and group-order).",
    "time to full ISR: from the fault until every partition has all replicas in its ISR; n/a where the scenario leaves the cluster degraded on purpose.",
  );
  if (repeated) out.push("cells: median (worst) over the runs; worst = fewest acknowledged, most of the rest.");
  return out.join("\n");
}

/** The Java clients' columns: facts the session adds where a scenario runs them (test/helpers/java-clients.ts). */
const JAVA_COLUMNS: [string, string][] = [
  ["acknowledged", "javaAcknowledged"],
  ["lost", "javaLost"],
  ["duplicates", "javaDuplicates"],
  ["failed sends", "javaFailedSends"],
  ["longest gap (s)", "javaLongestGapSeconds"],
  ["not consumed", "javaUnconsumed"],
  ["consumer catch-up (s)", "javaConsumerCatchUpSeconds"],
  ["max consume delay (s)", "javaMaxConsumeDelaySeconds"],
];

/** kafkajs with its defaults: facts the session adds where a scenario runs it (test/helpers/kafkajs-defaults.ts). */
const KAFKAJS_COLUMNS: [string, string][] = [
  ["acknowledged", "kjsAcknowledged"],
  ["lost", "kjsLost"],
  ["duplicates (reported)", "kjsDuplicates"],
  ["ack order (reported)", "kjsAckOrderViolations"],
  ["failed sends", "kjsFailedSends"],
  ["longest gap (s)", "kjsLongestGapSeconds"],
  ["not consumed", "kjsUnconsumed"],
  ["most sends in flight", "kjsMaxPendingSends"],
];

/** One row per run that has the client's facts (its first column's key); '' when no run had them. */
function clientTable(title: string, columns: [string, string][], runs: ScenarioRun[]): string {
  const rows = runs
    .filter((r) => (columns[0]?.[1] ?? "") in r.facts)
    .map((r) => [`${r.id} ${r.name} (run ${r.run})`, ...columns.map(([, key]) => (r.facts[key] === null ? "never" : String(r.facts[key] ?? "?")))]);
  if (rows.length === 0) return "";
  return markdownTable([title, ...columns.map(([column]) => column)], rows).join("\n");
}

export const javaClientsTable = (runs: ScenarioRun[]): string => clientTable("Java verifiable clients", JAVA_COLUMNS, runs);
export const kafkajsDefaultsTable = (runs: ScenarioRun[]): string => clientTable("kafkajs with its defaults", KAFKAJS_COLUMNS, runs);

const LABEL_ROWS = 8;

/** The vega-lite spec of one run's timeline. Exported so the unit tier can check it compiles. */
export function timelineSpec(run: ScenarioRun): vl.TopLevelSpec {
  // Labels go on successive rows (pixels from the top) so events seconds apart do not print over each other.
  const events = run.events.map((e, i) => ({ second: Math.max(0, (e.time - run.startedAt) / 1000), label: e.label, labelY: 4 + (i % LABEL_ROWS) * 13 }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `${run.id} ${run.name} (run ${run.run}): acknowledged sends per second`,
    width: 900,
    height: 260,
    layer: [
      {
        data: { values: run.acksPerSecond },
        mark: { type: "area", line: true, opacity: 0.4, interpolate: "step-after" },
        encoding: {
          x: { field: "second", type: "quantitative", title: "seconds since traffic started" },
          y: { field: "acks", type: "quantitative", title: "acks per second" },
        },
      },
      {
        data: { values: events },
        mark: { type: "rule", color: "firebrick", strokeDash: [4, 3] },
        encoding: { x: { field: "second", type: "quantitative" } },
      },
      {
        data: { values: events },
        mark: { type: "text", align: "left", angle: 0, dx: 3, dy: -4, color: "firebrick", fontSize: 10, baseline: "top" },
        encoding: { x: { field: "second", type: "quantitative" }, y: { field: "labelY", type: "quantitative", scale: null }, text: { field: "label" } },
      },
    ],
  };
}

export async function renderTimeline(run: ScenarioRun): Promise<string> {
  const compiled = vl.compile(timelineSpec(run)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Collects the runs of one suite invocation. */
export class Report {
  readonly runs: ScenarioRun[] = [];
  readonly startedAt = Date.now();
  meta: Record<string, string | number | boolean> = {};

  add(run: ScenarioRun): void {
    this.runs.push(run);
    saveResults();
  }

  /** Writes report.json and the SVG timelines under `dir`; returns the table printed at the end. */
  async write(dir: string): Promise<{ dir: string; table: string }> {
    await mkdir(dir, { recursive: true });
    const aggregates = aggregate(this.runs);
    const table = [summaryTable(aggregates), javaClientsTable(this.runs), kafkajsDefaultsTable(this.runs)].filter(Boolean).join("\n\n");
    await writeFile(
      join(dir, "report.json"),
      `${JSON.stringify({ startedAt: new Date(this.startedAt).toISOString(), meta: this.meta, aggregates, runs: this.runs }, null, 2)}\n`,
    );
    await writeFile(join(dir, "summary.txt"), `${table}\n`);
    for (const run of this.runs) {
      try {
        await writeFile(join(dir, `${run.id}-run${run.run}.svg`), await renderTimeline(run));
      } catch (err) {
        process.stderr.write(`[kafka-ha] could not draw the timeline of ${run.id} run ${run.run}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    return { dir, table };
  }
}

/** The one report of this process (the runner writes it; scenario files add to it). */
export const report = new Report();

/**
 * Scenario setups (before hooks, Session.prepare) and tests that failed (by file label and run): the
 * run's summary says why a scenario has no result. `stage` "test": the test failed before its traffic window reported.
 */
export const setupFailures: { label: string; run: number; message: string; stage?: "setup" | "test" }[] = [];

/** What one scenario file's process hands back to run.ts: its runs and failed setups. */
export interface FileResults {
  runs: ScenarioRun[];
  setupFailures: typeof setupFailures;
}

// JSON has no NaN (a figure a failed run could not measure): it travels as a string.
const NAN = "__NaN__";
export const serializeResults = (r: FileResults): string => JSON.stringify(r, (_, v: unknown) => (typeof v === "number" && Number.isNaN(v) ? NAN : v));
export const parseResults = (text: string): FileResults => JSON.parse(text, (_, v: unknown) => (v === NAN ? Number.NaN : v)) as FileResults;

/** Reads a file's results (none: the process ended before it wrote them). */
export function readResults(path: string): FileResults {
  try {
    return parseResults(readFileSync(path, "utf8"));
  } catch {
    return { runs: [], setupFailures: [] };
  }
}

// In a scenario file's process (run.ts sets KAFKA_HA_E2E_RESULTS), the results are written at every
// scenario run recorded and as the process exits, so even a process ended by run.ts's time limit
// hands back what it finished.
const resultsPath = process.env.KAFKA_HA_E2E_RESULTS;
const saveResults = (): void => {
  if (resultsPath) writeFileSync(resultsPath, serializeResults({ runs: report.runs, setupFailures }));
};
if (resultsPath) process.on("exit", saveResults);
