import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  Report,
  type ScenarioRun,
  aggregate,
  javaClientsTable,
  kafkajsDefaultsTable,
  median,
  parseResults,
  serializeResults,
  renderTimeline,
  summaryTable,
} from "../helpers/report.js";

const run = (id: string, n: number, over: Partial<ScenarioRun> = {}): ScenarioRun => ({
  id,
  name: `scenario ${id}`,
  run: n,
  passed: true,
  acknowledged: 1000,
  lost: 0,
  duplicates: 0,
  lateAcks: 0,
  orderViolations: 0,
  failedSends: 0,
  longestGapMs: 1000,
  timeToFullIsrMs: 5000,
  wallMs: 60000,
  startedAt: 0,
  events: [{ time: 3000, label: "pod deleted" }],
  acksPerSecond: [
    { second: 0, acks: 10 },
    { second: 1, acks: 0 },
    { second: 2, acks: 12 },
    { second: 3, acks: 9 },
  ],
  facts: {},
  ...over,
});

test("median of odd and even counts", () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median([7]), 7);
});

test("aggregate: median and worst per scenario; worst acknowledged is the fewest", () => {
  const [s2, s8] = aggregate([
    run("S8", 1, { longestGapMs: 9000, acknowledged: 800 }),
    run("S2", 1, { longestGapMs: 2000, acknowledged: 900, failedSends: 1 }),
    run("S2", 2, { longestGapMs: 4000, acknowledged: 1100, failedSends: 0 }),
    run("S2", 3, { longestGapMs: 3000, acknowledged: 1000, failedSends: 5, passed: false }),
  ]);
  assert.is(s2?.id, "S2", "scenarios are ordered by number");
  assert.is(s2?.runs, 3);
  assert.is(s2?.passed, 2);
  assert.is(s2?.median.longestGapMs, 3000);
  assert.is(s2?.worst.longestGapMs, 4000);
  assert.is(s2?.median.acknowledged, 1000);
  assert.is(s2?.worst.acknowledged, 900);
  assert.is(s2?.worst.failedSends, 5);
  assert.is(s8?.runs, 1);
  assert.is(s8?.worst.longestGapMs, 9000);
});

test('a run that never got back to full ISR is the worst, shown as "never"', () => {
  const [a] = aggregate([run("S5", 1, { timeToFullIsrMs: 4000 }), run("S5", 2, { timeToFullIsrMs: null }), run("S5", 3, { timeToFullIsrMs: 6000 })]);
  assert.is(a?.median.timeToFullIsrMs, 6000);
  assert.is(a?.worst.timeToFullIsrMs, null);
  const table = summaryTable(aggregate([run("S5", 1, { timeToFullIsrMs: 4000 }), run("S5", 2, { timeToFullIsrMs: null })]));
  assert.match(table, /never/);
});

test("n/a where recovery is not expected; unknown figures of a failed run are left out", () => {
  const aggs = aggregate([
    run("S3", 1, { recoveryExpected: false, timeToFullIsrMs: null }),
    run("S4", 1, { lost: Number.NaN, passed: false }),
    run("S4", 2, { lost: 0 }),
  ]);
  const [s3, s4] = aggs;
  assert.is(s3?.recoveryExpected, false);
  assert.is(s4?.worst.lost, 0);
  assert.is(s4?.passed, 1);
  assert.match(summaryTable(aggs), /S3 scenario S3 .*\| n\/a +\|/);
});

test('summary table: one row per scenario, "median (worst)" cells only when repeated', () => {
  const once = summaryTable(aggregate([run("S1", 1), run("S2", 1, { lost: 2, passed: false })]));
  assert.is(once.split("\n").filter((l) => l.startsWith("|")).length, 4);
  assert.match(once, /S2 scenario S2 +\| 1 +\| 0\/1/);
  assert.match(once, /\| late acks \| order violations \|/);
  assert.not.match(
    once
      .split("\n")
      .filter((l) => l.startsWith("|"))
      .join("\n"),
    /\(/,
    'no "median (worst)" cells',
  );
  const twice = summaryTable(aggregate([run("S1", 1, { longestGapMs: 1000 }), run("S1", 2, { longestGapMs: 3000 })]));
  assert.match(twice, /2\.0s \(3\.0s\)/);
});

test("the timeline renders to SVG through vega-lite and vega, with the fault marked", async () => {
  const svg = await renderTimeline(run("S2", 1));
  assert.match(svg, /^<svg/);
  assert.match(svg, /pod deleted/);
  assert.match(svg, /acks per second/);
});

test("timeline labels of events close together go on different rows", async () => {
  const svg = await renderTimeline(
    run("S9", 1, {
      events: [
        { time: 1000, label: "AAA first" },
        { time: 2000, label: "BBB second" },
      ],
    }),
  );
  const rowOf = (label: string): string | undefined => new RegExp(`translate\\([\\d.]+,([\\d.]+)\\)"[^>]*>${label}<`).exec(svg)?.[1];
  assert.ok(rowOf("AAA first") && rowOf("BBB second"), "both labels are drawn");
  assert.is.not(rowOf("AAA first"), rowOf("BBB second"));
});

test("Report.write puts report.json, summary.txt and one SVG per run in the directory", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kafka-ha-report-"));
  try {
    const r = new Report();
    r.add(run("S1", 1));
    r.add(run("S1", 2, { lost: 1, passed: false }));
    const { table } = await r.write(dir);
    const json = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as { runs: unknown[]; aggregates: { worst: { lost: number } }[] };
    assert.is(json.runs.length, 2);
    assert.is(json.aggregates[0]?.worst.lost, 1);
    assert.match(await readFile(join(dir, "S1-run2.svg"), "utf8"), /<svg/);
    assert.match(table, /1\/2/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the Java clients table: one row per run that ran them, none without", () => {
  assert.is(javaClientsTable([run("S1", 1)]), "");
  const facts = {
    javaAcknowledged: 30000,
    javaLost: 0,
    javaDuplicates: 0,
    javaFailedSends: 2,
    javaLongestGapSeconds: 31.5,
    javaUnconsumed: 0,
    javaConsumerCatchUpSeconds: null,
  };
  const table = javaClientsTable([run("S1", 1), run("S8", 1, { facts })]);
  assert.match(table, /Java verifiable clients/);
  assert.match(table, /\| S8 scenario S8 \(run 1\) +\| 30000 +\| 0 +\| 0 +\| 2 +\| 31\.5 +\| 0 +\| never +\|/);
  assert.not.match(table, /S1 scenario/);
});

test("a scenario file's results travel to run.ts whole, unmeasured (NaN) figures included", () => {
  const failed = run("S6", 2, { passed: false, lost: Number.NaN, facts: { note: "NaN is a figure here" } });
  const back = parseResults(serializeResults({ runs: [failed], setupFailures: [{ label: "s6", run: 2, message: "boom" }] }));
  assert.ok(Number.isNaN(back.runs[0]?.lost));
  assert.equal({ ...back.runs[0], lost: 0 }, { ...failed, lost: 0 });
  assert.equal(back.setupFailures, [{ label: "s6", run: 2, message: "boom" }]);
});

test("the kafkajs-defaults table: one row per run that ran it, duplicates and ack order marked as reported", () => {
  assert.is(kafkajsDefaultsTable([run("S8", 1, { facts: { javaAcknowledged: 5 } })]), "");
  const facts = {
    kjsAcknowledged: 9000,
    kjsLost: 0,
    kjsDuplicates: 8,
    kjsAckOrderViolations: 3,
    kjsFailedSends: 0,
    kjsLongestGapSeconds: 12.5,
    kjsUnconsumed: 0,
    kjsMaxPendingSends: 412,
  };
  const table = kafkajsDefaultsTable([run("S2", 1, { facts })]);
  assert.match(table, /kafkajs with its defaults .*duplicates \(reported\) .*ack order \(reported\)/);
  assert.match(table, /\| S2 scenario S2 \(run 1\) +\| 9000 +\| 0 +\| 8 +\| 3 +\| 0 +\| 12\.5 +\| 0 +\| 412 +\|/);
});

test.run();
