// The bench's SVG charts, drawn like the e2e report's timelines (test/helpers/report.ts): a vega-lite
// spec compiled to vega and rendered headless (View.toSVG, no canvas). One chart per probe run: every
// gap between consecutive acknowledgements of at least the probe's resolution, per partition, over
// time, with the run's events (kill, node start, leader move, pod replaced) marked and the issue's
// goal as a dashed line.
import * as vega from "vega";
import type * as vl from "vega-lite";
import { compile } from "vega-lite";
import { GAP_EVENT_MS, type ProbeOutput, partitionGaps } from "./failover-probe.js";

export interface ChartMark {
  time: number;
  label: string;
}

export interface GapChart {
  title: string;
  output: ProbeOutput;
  marks: ChartMark[];
  /** Gaps of these partitions inside [from, to] are drawn as "affected" (the event concerned them). */
  affected?: { partitions: number[]; from: number; to: number }[];
  goalMs?: number;
}

const LABEL_ROWS = 8;

/** One layer of a top-level layered spec. */
type Layer = Extract<vl.TopLevelSpec, { layer: unknown }>["layer"][number];

/** The vega-lite spec; exported so the unit tier can check that it compiles and renders. */
export function gapChartSpec(c: GapChart): vl.TopLevelSpec {
  const t0 = c.output.start?.time ?? Math.min(...c.output.gaps.map((g) => g.from), ...c.marks.map((m) => m.time));
  const partitions = c.output.start?.partitions ?? 0;
  const isAffected = (p: number, from: number, to: number): boolean => (c.affected ?? []).some((a) => a.partitions.includes(p) && to > a.from && from < a.to);
  const gaps = Array.from({ length: partitions }, (_, p) => partitionGaps(c.output, p))
    .flat()
    .map((g) => ({
      second: (g.from - t0) / 1000,
      gapSeconds: g.ms / 1000,
      partition: `p${g.partition}`,
      kind: isAffected(g.partition, g.from, g.to) ? "the event's partitions" : "other partitions",
    }));
  const marks = c.marks.map((m, i) => ({ second: Math.max(0, (m.time - t0) / 1000), label: m.label, labelY: 4 + (i % LABEL_ROWS) * 13 }));
  const layers: Layer[] = [
    {
      data: { values: gaps },
      mark: { type: "point", filled: true, size: 70, opacity: 0.85 },
      encoding: {
        x: { field: "second", type: "quantitative", title: "seconds since the probe started (a gap is drawn where it began)" },
        y: {
          field: "gapSeconds",
          type: "quantitative",
          title: `gap between acknowledgements, s (>= ${(c.output.start?.gapEventMs ?? GAP_EVENT_MS) / 1000} s)`,
        },
        color: { field: "partition", type: "nominal" },
        shape: { field: "kind", type: "nominal", title: "" },
      },
    },
    {
      data: { values: marks },
      mark: { type: "rule", color: "firebrick", strokeDash: [4, 3] },
      encoding: { x: { field: "second", type: "quantitative" } },
    },
    {
      data: { values: marks },
      mark: { type: "text", align: "left", dx: 3, color: "firebrick", fontSize: 10, baseline: "top" },
      encoding: { x: { field: "second", type: "quantitative" }, y: { field: "labelY", type: "quantitative", scale: null }, text: { field: "label" } },
    },
  ];
  if (c.goalMs !== undefined)
    layers.push({
      data: { values: [{ goal: c.goalMs / 1000, label: `goal ${c.goalMs / 1000} s` }] },
      layer: [
        { mark: { type: "rule", color: "seagreen", strokeDash: [6, 4] }, encoding: { y: { field: "goal", type: "quantitative" } } },
        {
          mark: { type: "text", align: "right", dy: -6, color: "seagreen", fontSize: 10 },
          encoding: { y: { field: "goal", type: "quantitative" }, x: { value: 900 }, text: { field: "label" } },
        },
      ],
    });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: c.title,
    width: 900,
    height: 280,
    layer: layers,
  };
}

export async function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
