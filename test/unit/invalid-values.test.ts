// The catalogue of invalid values (test/fixtures/invalid): each file states the messages a user
// must see. Schema errors are refused by ajv and by `helm template` alike; the template rules
// (cross-field rules in templates/_validate.tpl, single-value checks in templates/_checks.tpl) are
// valid JSON Schema (ajv accepts them, proving the rule lives in the templates) and `helm template`
// refuses them with every broken rule in one message. A `# release: <name>` line
// renders the file under that release name instead of kafka-ha.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { chartDir, helmTemplate } from "../helpers/render.js";

const dir = join(chartDir, "test/fixtures/invalid");
const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

interface Case {
  file: string;
  body: string;
  ajv: string[];
  helm: string[];
  release: string | undefined;
}
const cases: Case[] = files.map((file) => {
  const text = readFileSync(join(dir, file), "utf8");
  const lines = text.split("\n");
  const tagged = (tag: string): string[] => lines.filter((l) => l.startsWith(`# ${tag}: `)).map((l) => l.slice(tag.length + 4));
  return { file, body: text, ajv: tagged("ajv"), helm: tagged("helm"), release: tagged("release")[0] };
});

test("the catalogue holds at least 60 invalid values files, each with expected messages", () => {
  assert.ok(cases.length >= 60, `only ${cases.length} files`);
  for (const c of cases) {
    assert.ok(c.ajv.length > 0, `${c.file}: no '# ajv:' line`);
    assert.ok(c.helm.length > 0, `${c.file}: no '# helm:' line`);
  }
  const rules = cases.filter((c) => c.ajv[0]?.startsWith("valid"));
  assert.ok(rules.length >= 30, "template rules are covered");
  assert.ok(cases.length - rules.length >= 15, "schema rules are covered");
});

for (const c of cases) {
  test(`ajv: ${c.file}`, () => {
    const ok = validate(parse(c.body) ?? {});
    const got = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
    if (c.ajv[0]?.startsWith("valid")) {
      assert.ok(ok, `${c.file} should pass the schema (a cross-field rule), got: ${got.join("; ")}`);
      return;
    }
    assert.not.ok(ok, `${c.file} passed the schema`);
    for (const want of c.ajv)
      assert.ok(
        got.some((g) => g.startsWith(want)),
        `${c.file}: expected '${want}', got: ${got.join("; ")}`,
      );
  });
}

test("helm template refuses every file with the expected messages", async () => {
  const results = await Promise.all(cases.map(async (c) => ({ c, r: await helmTemplate(c.body, [], { release: c.release }) })));
  for (const { c, r } of results) {
    assert.not.ok(r.ok, `${c.file}: helm template accepted it`);
    for (const want of c.helm) assert.ok(r.stderr.includes(want), `${c.file}: expected '${want}' in:\n${r.stderr}`);
    if (c.ajv[0]?.startsWith("valid")) {
      // One fail, every line naming a value.
      assert.is(r.stderr.split("invalid values:").length, 2, `${c.file}: expected a single fail`);
      assert.is(c.helm.length, r.stderr.split("\n").filter((l) => l.startsWith("kafka-ha: ")).length, `${c.file}: unexpected extra messages:\n${r.stderr}`);
    }
  }
});

test.run();
