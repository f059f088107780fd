// The chart with both Helm majors (issue 12): Helm 4 is the project's helm (scripts/versions.json
// `helm`), Helm 3 (`helm3`, the last 3.x) is what many users still run. Both must lint the chart
// strictly and render the same objects from the same values.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { helm, helmLint, helmTemplate, loadScenarios, parseManifests } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

const t = suite("helm 3 and helm 4");
const scenarios = loadScenarios();

t("the pinned helm is Helm 4 and helm3 is Helm 3", async () => {
  const v4 = await helm(["version", "--template", "{{.Version}}"]);
  const v3 = await helm(["version", "--template", "{{.Version}}"], "helm3");
  assert.match(v4.stdout, /^v4\./);
  assert.match(v3.stdout, /^v3\./);
});

t("helm lint --strict passes with Helm 3 and Helm 4", async () => {
  for (const tool of ["helm", "helm3"] as const) {
    const r = await helmLint(tool);
    assert.ok(r.ok, `${tool}: ${r.stdout}${r.stderr}`);
  }
});

async function objectsOf(values: KafkaHaValues | string, tool: "helm" | "helm3"): Promise<unknown[]> {
  const r = await helmTemplate(values, [], { tool });
  assert.ok(r.ok, `${tool} template: ${r.stderr}`);
  return parseManifests(r.stdout);
}

// Tolerated difference: Helm 4 ends every document with an empty line, Helm 3 does not, so the
// comparison is of parsed objects, not of bytes. Helm 4 still reads YAML numbers in values as
// float64, like Helm 3; the large numbers below check that both render them alike.
const largeNumbers: KafkaHaValues = { config: { "message.max.bytes": 10485760, "log.retention.ms": 604800000, "log.cleaner.min.cleanable.ratio": 0.5 } };

t("Helm 3 and Helm 4 render the same objects for every scenario", async () => {
  for (const [name, values] of [...scenarios, ["large numbers in config", largeNumbers] as const]) {
    const [v4, v3] = await Promise.all([objectsOf(values, "helm"), objectsOf(values, "helm3")]);
    assert.equal(v4, v3, name);
  }
});

t("Helm 3 and Helm 4 refuse the same invalid values", async () => {
  // A schema error and a cross-field error: both majors stop the render.
  for (const values of ["broker:\n  replicas: 0\n", "replication:\n  minInsyncReplicas: 3\n"]) {
    const [v4, v3] = await Promise.all([helmTemplate(values), helmTemplate(values, [], { tool: "helm3" })]);
    assert.not.ok(v4.ok, `helm 4 accepted ${values}`);
    assert.not.ok(v3.ok, `helm 3 accepted ${values}`);
  }
});

t.run();
