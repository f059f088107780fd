// Helm for every script and test: the pinned binaries (`helm` is the project's Helm 4, `helm3` the
// last Helm 3 for the Helm 3 user path, scripts/tools.sh), values always through a temp file (never
// --set, which would reparse them), errors naming the call and its output.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, ExecaError } from "execa";
import { stringify } from "yaml";
import { type ToolName, toolPath } from "./tools.js";

export type HelmTool = Extract<ToolName, "helm" | "helm3">;

export interface HelmCall {
  tool?: HelmTool;
  /** Added as --kubeconfig; without it the caller's environment decides. */
  kubeconfig?: string;
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
}

export interface HelmResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved. */
  all: string;
}

/** Runs helm; a non-zero exit is a result (ok: false), not an error. Throws when helm is missing or times out. */
export async function helmExec(args: string[], call: HelmCall = {}): Promise<HelmResult> {
  const tool = call.tool ?? "helm";
  const bin = await toolPath(tool);
  try {
    const r = await execa(bin, [...args, ...(call.kubeconfig ? ["--kubeconfig", call.kubeconfig] : [])], {
      cwd: call.cwd,
      env: call.env,
      timeout: call.timeoutMs ?? 120000,
      reject: false,
      all: true,
    });
    if (r.timedOut) throw new Error(`${tool} ${args.slice(0, 2).join(" ")} timed out after ${(call.timeoutMs ?? 120000) / 1000}s`);
    return { ok: r.exitCode === 0, stdout: r.stdout, stderr: r.stderr, all: r.all ?? "" };
  } catch (err) {
    if (err instanceof ExecaError && err.code === "ENOENT") throw new Error(`${tool} not found at ${bin}: run scripts/tools.sh path ${tool}`, { cause: err });
    throw err;
  }
}

/** Runs helm and returns its output; a non-zero exit throws naming the call and its output. */
export async function helm(args: string[], call: HelmCall = {}): Promise<string> {
  const r = await helmExec(args, call);
  if (!r.ok) throw new Error(`${call.tool ?? "helm"} ${args.join(" ")} failed:\n${r.all}`);
  return r.all;
}

/** Calls `use` with the path of a temp file holding `values` (YAML, or YAML text), removed afterwards. */
export async function withValuesFile<T>(values: unknown, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "kafka-ha-values-"));
  try {
    const file = join(dir, "values.yaml");
    await writeFile(file, typeof values === "string" ? values : stringify(values));
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
