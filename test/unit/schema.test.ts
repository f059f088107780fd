// The values schema: generated files in sync, every key documented with a default, every object
// closed, values.yaml and every scenario file valid.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { buildSchema, buildTable, buildTypes, buildValuesYaml } from "../../scripts/chart/schema/generate.js";
import { chartDir } from "../helpers/render.js";

const read = (p: string): string => readFileSync(join(chartDir, p), "utf8");
const schema = JSON.parse(read("values.schema.json")) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true }).compile(schema);

test("generated files match scripts/chart/schema/values.ts (npm run schema:check)", async () => {
  assert.equal(read("values.schema.json"), `${JSON.stringify(buildSchema(), null, 2)}\n`, "values.schema.json drifted: npm run schema");
  assert.equal(read("values.yaml"), buildValuesYaml(), "values.yaml drifted: npm run schema");
  assert.equal(read("test/helpers/values.generated.ts"), await buildTypes(), "values.generated.ts drifted: npm run schema");
  assert.ok(read("README.md").includes(buildTable()), "README values table drifted: npm run schema");
});

test("draft-07, values.yaml starts with the yaml-language-server header", () => {
  assert.is(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  assert.ok(read("values.yaml").startsWith("# yaml-language-server: $schema=values.schema.json\n"));
});

test("every key has a description and a default; every object is closed", () => {
  const problems: string[] = [];
  const walk = (s: Record<string, unknown>, path: string, inKubeShape = false): void => {
    const kubeShape = inKubeShape || String(s["$comment"] ?? "").startsWith("Kubernetes shape");
    if (s["type"] === "object" || s["properties"]) {
      if (s["additionalProperties"] === undefined || s["additionalProperties"] === true) problems.push(`${path}: object not closed`);
    }
    const props = s["properties"] as Record<string, Record<string, unknown>> | undefined;
    for (const [k, p] of Object.entries(props ?? {})) {
      const child = `${path}.${k}`;
      if (typeof p["description"] !== "string" || (p["description"] as string).length < 10) problems.push(`${child}: no description`);
      if (!("default" in p) && !kubeShape) problems.push(`${child}: no default`);
      walk(p, child, kubeShape);
    }
  };
  walk(schema, "values");
  // Nested Kubernetes shapes (affinity, tolerations) are closed too.
  const text = JSON.stringify(schema);
  assert.not.ok(text.includes('"additionalProperties":true'));
  assert.equal(problems, []);
});

test("the defaults in the schema equal values.yaml", () => {
  const values = parse(read("values.yaml")) as Record<string, unknown>;
  assert.equal(values, schema["default"]);
});

test("values.yaml and every scenario fixture are valid", () => {
  const files = ["values.yaml", ...readdirSync(join(chartDir, "test/fixtures/scenarios")).map((f) => `test/fixtures/scenarios/${f}`)];
  assert.ok(files.length >= 8);
  for (const f of files) {
    const ok = validate(parse(read(f)) ?? {});
    assert.ok(ok, `${f}: ${JSON.stringify(validate.errors)}`);
  }
});

test.run();
