// The metrics agent image and the chart's defaults for it (issue 11): one fact in two places each.
//  - the agent's version: values.yaml's default metrics.image.tag and scripts/versions.json
//    `jmxExporter` (the version scripts/images/jmx-exporter/build.sh downloads and tags with);
//  - the jar's path: values.yaml's default metrics.image.jarPath and the path build.sh writes
//    the jar to (its `jar_path=` line).
// Bumping one without the other would leave users' default install pulling a tag nobody builds, or
// copying a path the image does not have.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { pinned } from "../../scripts/lib/versions.js";
import { REPO_ROOT } from "../../scripts/lib/paths.js";

const read = (file: string): string => readFileSync(path.join(REPO_ROOT, file), "utf8");
const image = (parse(read("values.yaml")) as { metrics: { image: { tag: unknown; jarPath: unknown } } }).metrics.image;

test("values.yaml metrics.image.tag is versions.json jmxExporter", () => {
  assert.type(image.tag, "string", "metrics.image.tag must be a string in values.yaml");
  assert.is(image.tag, pinned("jmxExporter"));
});

test("values.yaml metrics.image.jarPath is where scripts/images/jmx-exporter/build.sh puts the jar", () => {
  const script = read("scripts/images/jmx-exporter/build.sh");
  const lines = [...script.matchAll(/^jar_path=(\S+)$/gm)].map((m) => m[1]);
  assert.equal(lines.length, 1, "build.sh sets jar_path once, on a line of its own");
  assert.match(script, /^COPY agent\.jar \$jar_path$/m, "build.sh copies the jar to $jar_path");
  assert.is(image.jarPath, lines[0]);
});

test.run();
