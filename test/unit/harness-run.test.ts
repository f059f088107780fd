import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SCENARIO_FILES, parseArgs } from '../e2e/run.js';

test('every scenario file in test/e2e is in the runner order (smoke.test.ts has its own tier entry)', () => {
  const dir = fileURLToPath(new URL('../e2e/', import.meta.url));
  const onDisk = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'smoke.test.ts').sort();
  assert.equal([...SCENARIO_FILES].sort(), onDisk);
});

test('every scenario S1..S9 is declared by a test whose name starts with its id', async () => {
  const { readFile } = await import('node:fs/promises');
  const dir = new URL('../e2e/', import.meta.url);
  const text = (await Promise.all(SCENARIO_FILES.map((f) => readFile(new URL(f, dir), 'utf8')))).join('\n');
  for (let i = 1; i <= 9; i++) assert.match(text, new RegExp(`test\\('S${i} `), `no test('S${i} ...')`);
});

test('runner arguments: --repeat N, --only list, errors on anything else', () => {
  assert.equal(parseArgs([]), { repeat: 1, only: [] });
  assert.equal(parseArgs(['--repeat', '3']), { repeat: 3, only: [] });
  assert.equal(parseArgs(['--repeat=2', '--only', 'S3,s8']), { repeat: 2, only: ['s3', 's8'] });
  assert.throws(() => parseArgs(['--repeat', '0']), /positive integer/);
  assert.throws(() => parseArgs(['--repeat']), /needs a value/);
  assert.throws(() => parseArgs(['--fast']), /unknown argument --fast/);
});

test.run();
