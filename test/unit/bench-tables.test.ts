// How the benchmark tier composes and reports (test/bench/section.ts, run.ts and each section's
// table): --only, the install plan, the tables with their ratios and the goals, a section
// that failed, and the SVG chart of a probe run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gapChartSpec, renderSvg } from "../bench/charts.js";
import { type EventWindow, parseProbeOutput } from "../bench/failover-probe.js";
import { type FailoverRun, FailoverSection, failoverTable, perPartitionLines } from "../bench/failover.js";
import type { ConsumerResult, ProducerResult } from "../bench/perf-test.js";
import { PROFILE_ORDER } from "../bench/profiles.js";
import { installTable, readinessTable } from "../bench/readiness.js";
import { type RollingRun, rollingTable } from "../bench/rolling-restart.js";
import { sections } from "../bench/run.js";
import { SECTION_IDS, type BenchSection, atMost, goalCell, markdownTable, parseOnly, plan, ratio } from "../bench/section.js";
import { type ThroughputResult, throughputTable } from "../bench/throughput.js";

test("--only: the sections named, in the tier's order; all without it; unknown ids refused", () => {
  assert.equal(parseOnly([]), [...SECTION_IDS]);
  assert.equal(parseOnly(["--only", "rolling,throughput"]), ["throughput", "rolling"]);
  assert.equal(parseOnly(["--only=failover"]), ["failover"]);
  assert.throws(() => parseOnly(["--only", "throughput,latency"]), /unknown section latency; known: readiness, throughput, tls, failover, rolling/);
  assert.throws(() => parseOnly(["--only"]), /--only needs section ids/);
});

test("the plan: each profile installed once, in order; its steps in section order, the one that changes the release last", () => {
  const p = plan(sections([...SECTION_IDS]), PROFILE_ORDER);
  assert.equal(
    p.map((x) => x.profile),
    ["defaults", "tuned", "tls-scram", "fast-failover"],
  );
  assert.equal(
    p[0]?.steps.map((s) => s.section.id),
    ["readiness", "throughput", "tls", "failover", "rolling"],
  );
  assert.ok(p[0]?.steps.at(-1)?.step.changesRelease);
  assert.equal(
    p.slice(1).map((x) => x.steps.map((s) => s.section.id)),
    [["throughput"], ["tls"], ["failover"]],
  );
  // --only rolling: one install, the defaults.
  assert.equal(
    plan(sections(["rolling"]), PROFILE_ORDER).map((x) => x.profile),
    ["defaults"],
  );
  // A changing step first in section order still runs last.
  const fake = (id: string, changesRelease: boolean): BenchSection =>
    ({ id, steps: [{ profile: "defaults", what: id, changesRelease, run: async () => undefined }] }) as unknown as BenchSection;
  assert.equal(
    plan([fake("a", true), fake("b", false), fake("c", false)], PROFILE_ORDER)[0]?.steps.map((s) => s.step.what),
    ["b", "c", "a"],
  );
});

test("goals and ratios: met, missed, not measured; a ratio of unknowns is '?'", () => {
  const g = atMost(12, " s", 1000);
  assert.is(goalCell(g, 11999), "<= 12 s: met");
  assert.is(goalCell(g, 12001), "<= 12 s: missed");
  assert.is(goalCell(g, Number.NaN), "<= 12 s: not measured");
  assert.is(goalCell(undefined, 5), "");
  assert.is(ratio(9, 10), "0.90x");
  assert.is(ratio(9, 0), "?");
  assert.is(ratio(undefined, 10), "?");
  assert.is(markdownTable(["a", "bb"], [["xyz", "1"]]), "| a   | bb |\n|-----|----|\n| xyz | 1  |");
});

const producer = (recordsPerSec: number, p99Ms: number): ProducerResult => ({
  records: 100000,
  recordsPerSec,
  mbPerSec: recordsPerSec / 1000,
  avgMs: 1,
  maxMs: 1,
  p50Ms: p99Ms / 2,
  p95Ms: p99Ms,
  p99Ms,
  p999Ms: p99Ms,
});
const consumer = (fetchRecordsPerSec: number): ConsumerResult => ({
  records: 200000,
  mb: 195.3,
  recordsPerSec: fetchRecordsPerSec / 2,
  mbPerSec: fetchRecordsPerSec / 2000,
  rebalanceMs: 3000,
  fetchMs: 4000,
  fetchRecordsPerSec,
  fetchMbPerSec: fetchRecordsPerSec / 1000,
  complete: true,
});

test("throughput table: figures side by side, defaults / tuned, the 0.9 goal on the throughput rows only", () => {
  const defaults: ThroughputResult = {
    profile: "defaults",
    producer: [producer(9000, 200), producer(11000, 300)],
    fixedRate: producer(1000, 20),
    consumer: [consumer(40000), consumer(42000)],
  };
  const tuned: ThroughputResult = {
    profile: "tuned",
    producer: [producer(12000, 200), producer(12000, 200)],
    fixedRate: producer(1000, 10),
    consumer: [consumer(41000), consumer(41000)],
  };
  const lines = throughputTable(defaults, tuned).split("\n");
  const row = (figure: string): string[] => (lines.find((l) => l.startsWith(`| ${figure} `)) ?? "").split("|").map((c) => c.trim());
  assert.equal(row("producer records/s (max)").slice(2, 6), ["10000", "12000", "0.83x", ">= 0.9: missed"]);
  assert.equal(row("consumer records/s (fetching)").slice(2, 6), ["41000", "41000", "1.00x", ">= 0.9: met"]);
  assert.equal(row("producer p99 ms at max").slice(2, 6), ["250", "200", "1.25x", ""]);
  assert.equal(row("producer p99 ms at 1000/s").slice(2, 6), ["20.0", "10.0", "2.00x", ""]);
  // One setup missing (its step failed): its column and the ratio are '?'.
  assert.match(throughputTable(defaults, undefined), /\| producer records\/s \(max\)\s+\| 10000\s+\| \?\s+\| \?\s+\| >= 0\.9: not measured/);
});

const window = (windowMs: number, worst: number, othersMs: number): EventWindow => ({
  windowMs,
  worst: { partition: worst, ms: windowMs, open: false, failedSends: 0, from: 0, to: windowMs },
  othersMs,
  perPartition: [0, 1, 2, 3, 4, 5].map((p) => ({ partition: p, ms: p === worst ? windowMs : othersMs, open: false, failedSends: 0 })),
  failedSends: 0,
  resolutionMs: 100,
});

const run = (profile: FailoverRun["profile"], killMs: number, moveMs: number): FailoverRun => ({
  profile,
  clientProperties: [],
  marks: [],
  probe: { sent: 1, acked: 1, failed: 0, otherLines: 0 },
  errors: [],
  events: [
    {
      kind: "graceful-move",
      broker: 0,
      pod: "kafka-ha-0",
      node: "k3d-kafka-ha-agent-0",
      partitions: [0, 4],
      startedAt: 0,
      endedAt: 1,
      newLeadersMs: 6000,
      window: window(moveMs, 0, 0),
    },
    {
      kind: "hard-kill",
      broker: 1,
      pod: "kafka-ha-1",
      node: "k3d-kafka-ha-agent-1",
      partitions: [1, 2, 3],
      startedAt: 0,
      endedAt: 1,
      newLeadersMs: killMs / 2,
      quorumLeader: false,
      window: window(killMs, 2, 400),
    },
  ],
});

test("failover table: hard kill first, each profile's goal, the fast / defaults ratio; the graceful move without a goal", () => {
  const lines = failoverTable([run("defaults", 31200, 300), run("fast-failover", 5400, 0)]).split("\n");
  const cells = (i: number): string[] => (lines[i] ?? "").split("|").map((c) => c.trim());
  assert.equal(cells(2).slice(1, 10), [
    "hard node kill",
    "defaults",
    "1 (kafka-ha-1 on k3d-kafka-ha-agent-1)",
    "1,2,3",
    "31.2 s (p2)",
    "<= 12 s: missed",
    "0.4 s",
    "0",
    "15.6 s",
  ]);
  assert.equal(cells(3).slice(2, 7), ["fast profile", "1 (kafka-ha-1 on k3d-kafka-ha-agent-1)", "1,2,3", "5.4 s (p2)", "<= 6 s: met"]);
  assert.equal(cells(4).slice(1, 6), ["hard node kill", "fast / defaults", "", "", "0.17x"]);
  assert.equal(cells(5).slice(5, 7), ["0.3 s (p0)", ""]);
  assert.is(cells(6)[5], "< 0.1 s", "a move below the probe's resolution");
  assert.is(lines.length, 8);
  assert.match(perPartitionLines([run("defaults", 31200, 300)]), /- hard node kill, defaults: p0 0\.4 s, p1\* 0\.4 s, p2\* 31\.2 s, p3\* 0\.4 s/);
  // A graceful move that failed: its row says so, the hard kill's figures stay.
  const broken = run("fast-failover", 5400, 0);
  broken.events = broken.events.filter((e) => e.kind === "hard-kill");
  broken.errors = [{ kind: "graceful-move", error: "timed out after 60s waiting for the new replica order\n  at x" }];
  const withError = failoverTable([run("defaults", 31200, 300), broken]);
  assert.match(withError, /\| graceful leader move \| fast profile\s+\|\s+\|\s+\| not measured: timed out after 60s waiting for the new replica order\s+\|/);
  assert.match(withError, /\| hard node kill\s+\| fast profile .*\| 5\.4 s \(p2\)/);
});

test("rolling table and readiness tables", () => {
  const r: RollingRun = {
    upgradeAt: 1000,
    endedAt: 200000,
    rollMs: 150000,
    restarts: [
      { pod: "kafka-ha-2", at: 21000 },
      { pod: "kafka-ha-1", at: 71000 },
    ],
    marks: [],
    window: { ...window(1400, 3, 300), worst: { partition: 3, ms: 1400, open: false, failedSends: 0, from: 61000, to: 62400 } },
    probe: { sent: 1, acked: 1, failed: 0 },
  };
  const row = (rollingTable(r).split("\n")[2] ?? "").split("|").map((c) => c.trim());
  assert.equal(row.slice(1, 8), [
    "defaults",
    "150.0 s",
    "1.4 s",
    "p3, 60.0 s after the upgrade",
    "<= 1 s: missed",
    "0",
    "kafka-ha-2 +20.0 s, kafka-ha-1 +70.0 s",
  ]);

  const cost = (pod: string, millicores: number) => ({
    pod,
    scriptCpuSeconds: 0.012,
    periodSeconds: 10,
    inJvmMillicores: millicores - 1.2,
    inJvmChecks: 6,
    windowSeconds: 30,
    millicores,
  });
  const t = readinessTable([cost("kafka-ha-0", 8), cost("kafka-ha-1", 10), cost("kafka-ha-2", 30)]).split("\n");
  assert.equal(
    (t[2] ?? "")
      .split("|")
      .map((c) => c.trim())
      .slice(1, 9),
    ["kafka-ha-0", "12.0", "10", "1.2", "6.8", "6 in 30 s", "8.0", "<= 20 millicores: met"],
  );
  assert.match(t[4] ?? "", /\| 30\.0\s+\| <= 20 millicores: missed \|$/);
  assert.match(t[5] ?? "", /^\| mean .*\| 16\.0\s+\| <= 20 millicores: met\s+\|$/);
  assert.match(installTable([{ profile: "defaults", installMs: 52400, at: 0 }]), /\| defaults \| 52\.4 s\s+\|/);
});

test("a section whose steps failed reports why instead of figures", async () => {
  const s = new FailoverSection();
  for (const step of s.steps) s.failed(step, `timed out after 180s waiting for leadership\n    at stack`);
  const r = await s.report();
  assert.match(r.markdown, /^## Failover windows/);
  assert.match(r.markdown, /\(not measured\)/);
  assert.match(r.markdown, /- not measured: failover windows, defaults: timed out after 180s waiting for leadership$/m);
  assert.not.match(r.markdown, /at stack/);
  assert.equal(r.charts, []);
});

test("the probe run's chart: gaps per partition over time, events and the goal marked, rendered to SVG", async () => {
  const out = parseProbeOutput(
    [
      '{"event":"start","time":1000,"topic":"t","partitions":2,"intervalMs":20,"gapEventMs":100,"config":{}}',
      '{"event":"gap","partition":0,"from":11000,"to":41000,"ms":30000}',
      '{"event":"gap","partition":1,"from":11010,"to":11300,"ms":290}',
      '{"event":"summary","time":60000,"stoppedAt":59000,"partitions":[{"partition":0,"sent":1,"acked":1,"failed":0,"longestGapMs":30000,"gapFrom":11000,"gapTo":41000,"firstAck":2000,"lastAck":59010},{"partition":1,"sent":1,"acked":1,"failed":0,"longestGapMs":290,"gapFrom":11010,"gapTo":11300,"firstAck":2000,"lastAck":58990}]}',
    ].join("\n"),
  );
  const spec = gapChartSpec({
    title: "failover, defaults",
    output: out,
    marks: [{ time: 11000, label: "docker kill" }],
    affected: [{ partitions: [0], from: 11000, to: 50000 }],
    goalMs: 12000,
  });
  const layers = (spec as { layer: { data?: { values: Record<string, unknown>[] } }[] }).layer;
  assert.equal(layers[0]?.data?.values, [
    { second: 10, gapSeconds: 30, partition: "p0", kind: "the event's partitions" },
    { second: 10.01, gapSeconds: 0.29, partition: "p1", kind: "other partitions" },
  ]);
  const svg = await renderSvg(spec);
  assert.match(svg, /^<svg/);
  assert.match(svg, /failover, defaults/);
  assert.match(svg, /docker kill/);
  assert.match(svg, /goal 12 s/);
});

test.run();
