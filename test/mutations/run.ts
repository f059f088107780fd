// Mutation proof for the HA suite: `npm run test:mutations [-- --only readiness-tcp,pdb-removed]`.
// Each mutation breaks the chart on purpose in a copy of this working tree, runs the scenarios
// that should catch it there (on the same local cluster; the e2e runner uninstalls the mutated
// release when it ends), and records which scenario and assertion went red. A mutation no
// scenario catches is a hole in the suite: the table says "SURVIVED". Needs the cluster lock
// like any e2e run; it takes about 25 minutes for all five.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execa } from "execa";
import { kubeconfigPath } from "../../scripts/env/cluster/k3d.js";
import { uninstallChart } from "../../scripts/env/release.js";
import { log } from "../helpers/log.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

interface Mutation {
  name: string;
  /** What the broken chart does differently. */
  breaks: string;
  /** Scenario files to run (run.ts --only). */
  scenarios: string;
  apply: (dir: string) => void;
}

/** Replaces `from` (which must occur) in a file of the copy. */
function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`mutation target not found in ${file}: ${from}`);
  writeFileSync(path, text.replace(from, to));
}

export const MUTATIONS: Mutation[] = [
  {
    name: "readiness-tcp",
    breaks: "readiness is a TCP check of the client port instead of ready.sh (in every ISR)",
    // S9 alone does not catch it (2026-11-24): at the suite's load a restarted broker is back in
    // every ISR within a second of its port opening. S2 brings it back behind on purpose.
    scenarios: "s2",
    apply: (dir) => edit(dir, "templates/_pod.tpl", 'exec:\n    command: ["/bin/bash", "/opt/kafka-ha/scripts/ready.sh"]', "tcpSocket:\n    port: 9092"),
  },
  {
    name: "pdb-removed",
    breaks: "no PodDisruptionBudget is rendered",
    scenarios: "s3",
    apply: (dir) => rmSync(join(dir, "templates/pdb.yaml")),
  },
  {
    name: "unclean-election",
    breaks: "unclean.leader.election.enable=true in server.properties",
    scenarios: "s1,s11",
    apply: (dir) =>
      edit(
        dir,
        "templates/_config.tpl",
        "unclean.leader.election.enable={{ .Values.replication.uncleanLeaderElection }}",
        "unclean.leader.election.enable=true",
      ),
  },
  {
    name: "min-isr-1",
    breaks: "min.insync.replicas=1 in server.properties",
    scenarios: "s1",
    apply: (dir) => edit(dir, "templates/_config.tpl", "min.insync.replicas={{ .Values.replication.minInsyncReplicas }}", "min.insync.replicas=1"),
  },
  {
    name: "spread-removed",
    breaks: "no topology spread constraints and no pod anti-affinity",
    scenarios: "s1",
    apply: (dir) => {
      edit(dir, "templates/_pod.tpl", "{{- if or $v.topologySpread.zone.enabled $v.topologySpread.hostname.enabled }}", "{{- if false }}");
      edit(dir, "templates/_pod.tpl", "{{- with $affinity }}", "{{- with false }}");
    },
  },
];

/** A copy of the working tree (tracked files as they are now, the kubeconfig, node_modules linked). */
async function copyTree(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-mutant-"));
  const files = (await execa("git", ["ls-files", "-z"], { cwd: repo })).stdout.split("\0").filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(repo, f))) continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(repo, f), join(dir, f));
  }
  if (existsSync(join(repo, ".kube"))) cpSync(join(repo, ".kube"), join(dir, ".kube"), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
  return dir;
}

interface Outcome {
  mutation: Mutation;
  caughtBy: string[];
  passed: string[];
  exitCode: number;
}

interface ReportRun {
  id: string;
  passed: boolean;
  error?: string;
}

async function runMutation(m: Mutation): Promise<Outcome> {
  const dir = await copyTree();
  try {
    m.apply(dir);
    // A release left by an earlier run would be reused by the scenarios instead of the mutant.
    if (existsSync(kubeconfigPath())) await uninstallChart(kubeconfigPath());
    log(`mutation ${m.name} (${m.breaks}): running --only ${m.scenarios} in ${dir}`);
    const run = execa("npx", ["tsx", "test/e2e/run.ts", "--only", m.scenarios], { cwd: dir, reject: false, all: true, env: { KAFKA_HA_KEEP_CLUSTER: "1" } });
    // Progress: the scenario lines of the run, prefixed.
    run.all?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (/\[kafka-ha e2e\]|FAIL/.test(line)) process.stdout.write(`  [${m.name}] ${line.trim()}\n`);
    });
    const result = await run;
    const reports = existsSync(join(dir, "reports")) ? readdirSync(join(dir, "reports")).filter((d) => d.startsWith("e2e-")) : [];
    const runs = reports.flatMap((d) => (JSON.parse(readFileSync(join(dir, "reports", d, "report.json"), "utf8")) as { runs: ReportRun[] }).runs);
    return {
      mutation: m,
      caughtBy: runs.filter((r) => !r.passed).map((r) => `${r.id}: ${(r.error ?? "").split("\n")[0]?.slice(0, 220)}`),
      passed: runs.filter((r) => r.passed).map((r) => r.id),
      exitCode: result.exitCode ?? -1,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(outcomes: Outcome[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "| mutation | what it breaks | scenarios run | verdict | caught by (scenario: first line of the failure) |",
    "|---|---|---|---|---|",
    ...outcomes.map(
      (o) =>
        `| ${o.mutation.name} | ${cell(o.mutation.breaks)} | ${o.mutation.scenarios} | ${o.caughtBy.length > 0 ? "caught" : "SURVIVED"} | ${o.caughtBy.map(cell).join("<br>") || `passed: ${o.passed.join(", ")}`} |`,
    ),
  ].join("\n");
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--only");
  const only = i >= 0 ? (process.argv[i + 1] ?? "").split(",") : undefined;
  const chosen = MUTATIONS.filter((m) => !only || only.includes(m.name));
  if (chosen.length === 0) throw new Error(`no mutation named ${only?.join(",")}; known: ${MUTATIONS.map((m) => m.name).join(", ")}`);
  const outcomes: Outcome[] = [];
  for (const m of chosen) outcomes.push(await runMutation(m));
  const text = table(outcomes);
  const out = join(repo, "reports", `mutations-${new Date().toISOString().replace(/[:.]/g, "-")}.md`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${text}\n`);
  process.stdout.write(`\n${text}\n\n(${out})\n`);
  // The run fails when a mutation survived: the suite has a hole.
  if (outcomes.some((o) => o.caughtBy.length === 0)) process.exitCode = 1;
}

// Imported by the unit tier (each mutation must still apply to the chart); run as a script, it runs them.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
