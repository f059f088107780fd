import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { QUARANTINED, SCENARIOS_OF, SCENARIO_FILES, addMissing, exitCode, parseArgs, selects } from '../e2e/run.js';
import { report } from '../helpers/report.js';

test('every scenario file in test/e2e is in the runner order (smoke.test.ts has its own tier entry)', () => {
  const dir = fileURLToPath(new URL('../e2e/', import.meta.url));
  const onDisk = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'smoke.test.ts').sort();
  assert.equal([...SCENARIO_FILES].sort(), onDisk);
});

test('every scenario is declared by a test whose name starts with its id', async () => {
  const { readFile } = await import('node:fs/promises');
  const dir = new URL('../e2e/', import.meta.url);
  for (const [f, scenarios] of Object.entries(SCENARIOS_OF)) {
    const text = await readFile(new URL(f, dir), 'utf8');
    for (const { id } of scenarios) assert.match(text, new RegExp(`test\\('${id} `), `${f}: no test('${id} ...')`);
  }
});

test('every scenario file says which scenarios it reports, H1, S1..S11, Q1 and the overlays O1, O2 once each', () => {
  assert.equal(Object.keys(SCENARIOS_OF).sort(), [...SCENARIO_FILES].sort());
  const ids = Object.values(SCENARIOS_OF).flat().map((s) => s.id).sort();
  assert.equal(ids, ['H1', 'O1', 'O2', 'Q1', 'S1', 'S10', 'S11', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9']);
});

test('a scenario that never reported shows as failed, once per run', () => {
  const before = report.runs.length;
  report.add({ id: 'S3', name: 'x', run: 1, passed: true, acknowledged: 1, lost: 0, duplicates: 0, lateAcks: 0, orderViolations: 0, failedSends: 0, longestGapMs: 0, timeToFullIsrMs: 0, wallMs: 1, startedAt: 0, events: [], acksPerSecond: [], facts: {} });
  addMissing(['s3-s5-drain.test.ts'], 2, 'hook failed');
  const added = report.runs.slice(before + 1);
  assert.equal(added.map((r) => `${r.id}/${r.run}/${r.passed}`), ['S4/1/false', 'S5/1/false', 'S3/2/false', 'S4/2/false', 'S5/2/false']);
  assert.ok(added.every((r) => r.error === 'hook failed'));
  report.runs.splice(before);
});

test('runner arguments: --repeat N, --only list, errors on anything else', () => {
  assert.equal(parseArgs([]), { repeat: 1, only: [] });
  assert.equal(parseArgs(['--repeat', '3']), { repeat: 3, only: [] });
  assert.equal(parseArgs(['--repeat=2', '--only', 'S3,s8']), { repeat: 2, only: ['s3', 's8'] });
  const picked = (o: string): string[] => SCENARIO_FILES.filter((f) => selects(o, f));
  assert.equal(picked('s1'), ['s1-install.test.ts'], 'the id s1 does not select s10');
  assert.equal(picked('s10'), ['s10-network-partition.test.ts']);
  assert.equal(picked('s5'), ['s3-s5-drain.test.ts']);
  assert.equal(picked('s3-s5'), ['s3-s5-drain.test.ts']);
  assert.throws(() => parseArgs(['--repeat', '0']), /positive integer/);
  assert.throws(() => parseArgs(['--repeat']), /needs a value/);
  assert.throws(() => parseArgs(['--fast']), /unknown argument --fast/);
});

test('quarantine names existing scenario files, each with a reason, and leaves scenarios to run', () => {
  for (const [f, why] of Object.entries(QUARANTINED)) {
    assert.ok(SCENARIO_FILES.includes(f), `${f} is a scenario file`);
    assert.ok(why.length > 20, `${f} says why it is quarantined`);
  }
  assert.ok(SCENARIO_FILES.some((f) => !(f in QUARANTINED)), 'a default run still runs scenarios');
});

test('exit code: a scenario that did not pass fails the run even when uvu says 0 (before hook threw)', () => {
  assert.equal(exitCode(0, [{ id: 'S1', run: 1, passed: true }]), { code: 0 });
  const hookFailed = exitCode(0, [{ id: 'S1', run: 1, passed: true }, { id: 'S6', run: 3, passed: false }]);
  assert.is(hookFailed.code, 1);
  assert.match(hookFailed.message ?? '', /1 scenario run\(s\) did not pass: S6 run 3/);
  assert.is(exitCode(1, [{ id: 'S1', run: 1, passed: true }]).code, 1, 'a uvu failure stays a failure');
  assert.is(exitCode(0, []).code, 1, 'no scenario at all is a failure');
});

test.run();
