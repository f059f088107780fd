// The mutation script (test/mutations/run.ts) breaks the chart by editing its text. Each edit must
// still find its target and change the rendered manifests, or `npm run test:mutations` would
// "prove" the suite against an unbroken chart.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MUTATIONS } from "../mutations/run.js";
import { chartDir, helmTemplate } from "../helpers/render.js";

const CHART_FILES = ["Chart.yaml", "values.yaml", "values.schema.json", "templates", "files", ".helmignore"];

async function renderCopy(mutate?: (dir: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-mutation-"));
  try {
    for (const f of CHART_FILES) cpSync(join(chartDir, f), join(dir, f), { recursive: true, force: true, errorOnExist: false });
    mutate?.(dir);
    const r = await helmTemplate({}, [], { chart: dir });
    assert.ok(r.ok, r.stderr);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// What each broken chart renders that the real one does not (or the reverse).
const EXPECTED: Record<string, (manifests: string) => boolean> = {
  "readiness-tcp": (m) => /readinessProbe:\s+tcpSocket:\s+port: 9092/.test(m),
  "pdb-removed": (m) => !m.includes("kind: PodDisruptionBudget"),
  "unclean-election": (m) => m.includes("unclean.leader.election.enable=true"),
  "min-isr-1": (m) => m.includes("min.insync.replicas=1"),
  "spread-removed": (m) => !m.includes("topologySpreadConstraints") && !m.includes("podAntiAffinity"),
};

test("every mutation applies to the chart and changes what it renders", async () => {
  const original = await renderCopy();
  assert.equal(MUTATIONS.map((m) => m.name).sort(), Object.keys(EXPECTED).sort(), "every mutation has an expectation here");
  for (const m of MUTATIONS) {
    assert.not.ok(EXPECTED[m.name]!(original), `the unbroken chart already looks like ${m.name}`);
    assert.ok(EXPECTED[m.name]!(await renderCopy(m.apply)), `${m.name} did not change the render as expected`);
  }
});

test.run();
