import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { QUARANTINED, SCENARIO_FILES, UPGRADE_TIER, addMissing, exitCode, listScenarioFiles, parseArgs, selects, tierFiles } from "../e2e/run.js";
import { CATALOGUE, catalogue } from "../e2e/catalogue.js";
import type { ScenarioFile } from "../e2e/scenario.js";
import { report } from "../helpers/report.js";
import { REPO_ROOT } from "../../scripts/lib/paths.js";

test("every scenario file in test/e2e is in the runner order (smoke.test.ts has its own tier entry)", () => {
  const dir = fileURLToPath(new URL("../e2e/", import.meta.url));
  const onDisk = readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts") && f !== "smoke.test.ts")
    .sort();
  assert.equal([...SCENARIO_FILES].sort(), onDisk);
});

test("every scenario file declares its scenarios, H1, S1..S11, S14..S18, Q1, the overlays O1, O2 and the secured T1, T2, T3, T4 once each, with what they do and what must hold", async () => {
  const files = await listScenarioFiles();
  assert.equal(
    files.map((f) => f.file),
    SCENARIO_FILES,
    "each file names itself",
  );
  const all = files.flatMap((f) => f.scenarios);
  assert.equal(all.map((s) => s.id).sort(), [
    "H1",
    "O1",
    "O2",
    "Q1",
    "S1",
    "S10",
    "S11",
    "S14",
    "S15",
    "S16",
    "S17",
    "S18",
    "S2",
    "S3",
    "S4",
    "S5",
    "S6",
    "S7",
    "S8",
    "S9",
    "T1",
    "T2",
    "T3",
    "T4",
  ]);
  for (const s of all) assert.ok(s.name && s.does.length > 20 && s.holds.length > 20, `${s.id} says what it does and what must hold`);
});

test("every README procedure a scenario names is a README heading", async () => {
  const headings = new Set(
    readFileSync(new URL("../../README.md", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("#"))
      .map((l) => l.replace(/^#+ /, "")),
  );
  for (const s of (await listScenarioFiles()).flatMap((f) => f.scenarios)) {
    if (s.procedure) assert.ok(headings.has(s.procedure), `${s.id}: no README heading "${s.procedure}"`);
  }
});

test("docs/scenarios.md is generated from the declarations (npm run scenarios)", async () => {
  assert.fixture(readFileSync(CATALOGUE, "utf8"), catalogue(await listScenarioFiles()));
});

const DRAIN: ScenarioFile = {
  file: "s3-s5-drain.test.ts",
  scenarios: ["S3", "S4", "S5"].map((id) => ({ id, name: "x", does: "x", holds: "x" })),
};

test("a scenario that never reported shows as failed, once per run", () => {
  const before = report.runs.length;
  report.add({
    id: "S3",
    name: "x",
    run: 1,
    passed: true,
    acknowledged: 1,
    lost: 0,
    duplicates: 0,
    lateAcks: 0,
    orderViolations: 0,
    failedSends: 0,
    longestGapMs: 0,
    timeToFullIsrMs: 0,
    wallMs: 1,
    startedAt: 0,
    events: [],
    acksPerSecond: [],
    facts: {},
  });
  addMissing([DRAIN], 2, "hook failed");
  const added = report.runs.slice(before + 1);
  assert.equal(
    added.map((r) => `${r.id}/${r.run}/${r.passed}`),
    ["S4/1/false", "S5/1/false", "S3/2/false", "S4/2/false", "S5/2/false"],
  );
  assert.ok(added.every((r) => r.error === "hook failed"));
  report.runs.splice(before);
});

test("runner arguments: --repeat N, --only list, --tier, errors on anything else", () => {
  assert.equal(parseArgs([]), { repeat: 1, only: [], tier: "ha" });
  assert.equal(parseArgs(["--repeat", "3"]), { repeat: 3, only: [], tier: "ha" });
  assert.equal(parseArgs(["--repeat=2", "--only", "S3,s8"]), { repeat: 2, only: ["s3", "s8"], tier: "ha" });
  assert.equal(parseArgs(["--tier", "upgrades"]).tier, "upgrades");
  assert.throws(() => parseArgs(["--tier", "fast"]), /--tier must be ha, upgrades or all/);
  const picked = (o: string): string[] => SCENARIO_FILES.filter((f) => selects(o, f));
  assert.equal(picked("s1"), ["s1-install.test.ts"], "the id s1 does not select s10");
  assert.equal(picked("s10"), ["s10-network-partition.test.ts"]);
  assert.equal(picked("s16"), ["s16-controller-quorum.test.ts"]);
  assert.equal(picked("s5"), ["s3-s5-drain.test.ts"]);
  assert.equal(picked("s3-s5"), ["s3-s5-drain.test.ts"]);
  assert.throws(() => parseArgs(["--repeat", "0"]), /positive integer/);
  assert.throws(() => parseArgs(["--repeat"]), /needs a value/);
  assert.throws(() => parseArgs(["--fast"]), /unknown argument --fast/);
});

test("tiers: every scenario file is in exactly one of the HA tier (npm test, CI) and the upgrade tier; all is both", () => {
  for (const f of UPGRADE_TIER) assert.ok(SCENARIO_FILES.includes(f), `${f} is a scenario file`);
  const ha = tierFiles("ha");
  const upgrades = tierFiles("upgrades");
  assert.equal([...ha, ...upgrades].sort(), [...SCENARIO_FILES].sort());
  assert.equal(
    ha.filter((f) => upgrades.includes(f)),
    [],
  );
  assert.equal(upgrades, [
    "h1-helm3-to-helm4.test.ts",
    "s16-controller-quorum.test.ts",
    "s17-kafka-upgrade.test.ts",
    "s18-chart-upgrade.test.ts",
    "t4-generated-certificate.test.ts",
  ]);
  assert.equal(tierFiles("all"), [...SCENARIO_FILES]);
});

test("quarantine names existing scenario files, each with a reason, and leaves scenarios to run", () => {
  for (const [f, why] of Object.entries(QUARANTINED)) {
    assert.ok(SCENARIO_FILES.includes(f), `${f} is a scenario file`);
    assert.ok(why.length > 20, `${f} says why it is quarantined`);
  }
  assert.ok(
    SCENARIO_FILES.some((f) => !(f in QUARANTINED)),
    "a default run still runs scenarios",
  );
});

test("exit code: a scenario that did not pass fails the run even when uvu says 0 (before hook threw)", () => {
  assert.equal(exitCode(0, [{ id: "S1", run: 1, passed: true }]), { code: 0 });
  const hookFailed = exitCode(0, [
    { id: "S1", run: 1, passed: true },
    { id: "S6", run: 3, passed: false },
  ]);
  assert.is(hookFailed.code, 1);
  assert.match(hookFailed.message ?? "", /1 scenario run\(s\) did not pass: S6 run 3/);
  assert.is(exitCode(1, [{ id: "S1", run: 1, passed: true }]).code, 1, "a uvu failure stays a failure");
  assert.is(exitCode(0, []).code, 1, "no scenario at all is a failure");
});

test("the scenarios' fixtures are in the repository, not only on this machine (S18's previous chart once was ignored as *.tgz)", async () => {
  const fixtures = readdirSync(`${REPO_ROOT}/test/fixtures/charts`).map((f) => `test/fixtures/charts/${f}`);
  assert.ok(fixtures.length > 0);
  const tracked = (await execa("git", ["ls-files", "--", ...fixtures], { cwd: REPO_ROOT })).stdout.split("\n");
  assert.equal(tracked.sort(), fixtures.sort());
});

test.run();
