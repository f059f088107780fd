// The scenario catalogue, docs/scenarios.md, generated from the scenario files' declarations
// (scenario.ts): `npm run scenarios` writes it, `npm run scenarios -- --check` (and the unit tier)
// fails when it drifted.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { UPGRADE_TIER, listScenarioFiles } from "./run.js";
import type { ScenarioFile } from "./scenario.js";

export const CATALOGUE = fileURLToPath(new URL("../../docs/scenarios.md", import.meta.url));

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The catalogue's markdown for the given files, in run order. */
export function catalogue(files: readonly ScenarioFile[]): string {
  const out = [
    "# HA scenarios",
    "",
    "<!-- Generated from the declarations in test/e2e/*.test.ts by `npm run scenarios`; edit those, not this file. -->",
    "",
    "Every scenario runs under live `acks=all` traffic on the local k3d cluster, in this order, in one of two tiers: the HA",
    'tier (`npm run test:e2e`, part of `npm test` and CI) or the upgrade tier (`npm run test:upgrades`; README "Tests"). It',
    'asserts the checker\'s rules besides what is listed here (see the development guide, "How the HA suite works").',
    "A failed assertion fails the scenario; everything else is reported.",
    "",
  ];
  for (const f of files) {
    for (const s of f.scenarios) {
      out.push(
        `## ${s.id} ${s.name}`,
        "",
        `File: [\`test/e2e/${f.file}\`](../test/e2e/${f.file})${
          f.scenarios.length > 1
            ? ` (with ${f.scenarios
                .filter((o) => o !== s)
                .map((o) => o.id)
                .join(", ")} in one file, sharing its setup)`
            : ""
        }. Tier: ${UPGRADE_TIER.includes(f.file) ? "upgrades (`npm run test:upgrades`)" : "HA (`npm test`)"}.`,
        "",
      );
      out.push(`- **Does:** ${cell(s.does)}.`, `- **Must hold:** ${cell(s.holds)}.`);
      if (s.procedure) out.push(`- **Proves the README procedure:** [${s.procedure}](../README.md#${anchor(s.procedure)}).`);
      out.push("");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** GitHub's anchor of a heading. */
export const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");

async function main(): Promise<void> {
  const text = catalogue(await listScenarioFiles());
  if (process.argv.includes("--check")) {
    if (readFileSync(CATALOGUE, "utf8") !== text) throw new Error("docs/scenarios.md drifted from the scenario declarations: npm run scenarios");
    console.log("[kafka-ha] scenarios: docs/scenarios.md is up to date");
    return;
  }
  writeFileSync(CATALOGUE, text);
  console.log(`[kafka-ha] scenarios: wrote ${CATALOGUE}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error(`[kafka-ha] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
