// Generates, from scripts/chart/schema/values.ts: values.schema.json, values.yaml,
// test/helpers/values.generated.ts and the README values table.
//   npx tsx scripts/chart/schema/generate.ts          write them
//   npx tsx scripts/chart/schema/generate.ts --check  fail (exit 1) when any of them differs
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";
import { stringify } from "yaml";
import type { Json, JsonSchema, Node } from "./dsl.js";
import { values } from "./values.js";
import { REPO_ROOT } from "../../lib/paths.js";

const START = "<!-- values:start -->";
const END = "<!-- values:end -->";

export function buildSchema(): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "kafka-ha values",
    ...values.schema,
  };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function yamlValue(v: Json): string {
  return stringify(v, { lineWidth: 0 }).trimEnd();
}

function emitYaml(node: Node, indent: string, out: string[]): void {
  for (const [key, child] of Object.entries(node.children ?? {})) {
    for (const l of wrap(child.description, 96 - indent.length)) out.push(`${indent}# ${l}`);
    if (child.kind === "object") {
      out.push(`${indent}${key}:`);
      emitYaml(child, `${indent}  `, out);
    } else {
      const v = yamlValue(child.default);
      const block = typeof child.default === "object" && child.default !== null && Object.keys(child.default).length > 0;
      if (block) {
        out.push(`${indent}${key}:`);
        for (const l of v.split("\n")) out.push(`${indent}  ${l}`);
      } else out.push(`${indent}${key}: ${v}`);
    }
    if (indent === "") out.push("");
  }
}

export function buildValuesYaml(): string {
  const out = [
    "# yaml-language-server: $schema=values.schema.json",
    "# Generated from scripts/chart/schema/values.ts by `npm run schema`: edit that file, not this one.",
    "",
  ];
  emitYaml(values, "", out);
  return `${out.join("\n").trimEnd()}\n`;
}

/** Every values key a user sets (the leaves of the values tree), with its node, in declaration order. */
export function valueKeys(node: Node = values, prefix = ""): { path: string; node: Node }[] {
  return Object.entries(node.children ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return child.kind === "object" ? valueKeys(child, path) : [{ path, node: child }];
  });
}

/** The README values table: one row per key; each top-level section opens with a row naming it. */
export function buildTable(): string {
  const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const row = ({ path, node }: { path: string; node: Node }): string =>
    `| \`${path}\` | ${cell(node.allowed)} | \`${cell(JSON.stringify(node.default))}\` | ${cell(node.description)} |`;
  const rows = Object.entries(values.children ?? {}).flatMap(([key, child]) =>
    child.kind === "object"
      ? [`| **\`${key}\`** | | | **${cell(child.description)}** |`, ...valueKeys(child, key).map(row)]
      : [row({ path: key, node: child })],
  );
  return ["| key | allowed | default | description |", "|---|---|---|---|", ...rows].join("\n");
}

export function spliceReadme(readme: string, table: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} ... ${END} block for the values table`);
  return `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`;
}

export async function buildTypes(): Promise<string> {
  return compile(buildSchema() as Parameters<typeof compile>[0], "Values", {
    bannerComment: "/* Generated from scripts/chart/schema/values.ts by `npm run schema`: do not edit. */",
    additionalProperties: false,
    style: { singleQuote: false },
    unreachableDefinitions: false,
  });
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const readmePath = join(REPO_ROOT, "README.md");
  const outputs: [string, string][] = [
    [join(REPO_ROOT, "values.schema.json"), `${JSON.stringify(buildSchema(), null, 2)}\n`],
    [join(REPO_ROOT, "values.yaml"), buildValuesYaml()],
    [join(REPO_ROOT, "test/helpers/values.generated.ts"), await buildTypes()],
    [readmePath, spliceReadme(readFileSync(readmePath, "utf8"), buildTable())],
  ];
  const drifted: string[] = [];
  for (const [path, text] of outputs) {
    let current: string;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = "";
    }
    if (current === text) continue;
    if (check) drifted.push(path.slice(REPO_ROOT.length + 1));
    else writeFileSync(path, text);
  }
  if (check && drifted.length > 0) {
    console.error(`[kafka-ha] schema: generated files differ from scripts/chart/schema/values.ts: ${drifted.join(", ")}\nRun: npm run schema`);
    process.exit(1);
  }
  console.log(
    check
      ? "[kafka-ha] schema: generated files are up to date"
      : "[kafka-ha] schema: wrote values.schema.json, values.yaml, test/helpers/values.generated.ts, README values table",
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
