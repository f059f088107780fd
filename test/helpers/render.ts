// Renders the chart with the pinned helm (values through a temp file, never --set), parses the
// manifests once and indexes them by kind and name.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, ExecaError } from "execa";
import { parse, parseAllDocuments, stringify } from "yaml";
import { toolPath } from "../../scripts/lib/tools.js";
import type { KafkaHaValues } from "./values.generated.js";

export const chartDir = fileURLToPath(new URL("../..", import.meta.url));
export const kubeVersion = (JSON.parse(readFileSync(join(chartDir, "scripts/versions.json"), "utf8")) as { kubernetes: string }).kubernetes;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Rendered {
  objects: K8sObject[];
  /** The object of this kind and name; throws when absent. */
  get<T = K8sObject>(kind: string, name: string): T;
  find(kind: string, name: string): K8sObject | undefined;
  ofKind(kind: string): K8sObject[];
}

async function helm(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const bin = await toolPath("helm");
  try {
    const r = await execa(bin, args, { cwd: chartDir, reject: false });
    return { ok: r.exitCode === 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    if (err instanceof ExecaError && err.code === "ENOENT") throw new Error(`helm not found at ${bin}: run scripts/tools.sh path helm`);
    throw err;
  }
}

/**
 * `helm template` with the values written to a temp file; resolves with stdout or stderr.
 * `valueFiles` (relative to the chart, e.g. examples/values-dev.yaml) come first, as a user's
 * `-f overlay -f my.yaml` would: the values win over them.
 */
export async function helmTemplate(
  values: KafkaHaValues | string,
  extra: string[] = [],
  opts: { release?: string; valueFiles?: string[]; chart?: string } = {},
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const { release = "kafka-ha", valueFiles = [], chart = "." } = opts;
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-values-"));
  try {
    const file = join(dir, "values.yaml");
    writeFileSync(file, typeof values === "string" ? values : stringify(values));
    const layers = valueFiles.flatMap((f) => ["-f", join(chartDir, f)]);
    return await helm(["template", release, chart, "--namespace", "kafka", "--kube-version", kubeVersion.replace(/^v/, ""), ...layers, "-f", file, ...extra]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function helmLint(): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return helm(["lint", "--strict", ".", "--namespace", "kafka", "--kube-version", kubeVersion.replace(/^v/, "")]);
}

export async function render(values: KafkaHaValues = {}, valueFiles: string[] = []): Promise<Rendered> {
  const r = await helmTemplate(values, ["--include-crds"], { valueFiles });
  if (!r.ok) throw new Error(`helm template failed:\n${r.stderr}`);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(r.stdout)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const o = doc.toJS() as K8sObject | null;
    if (o) objects.push(o);
  }
  const index = new Map<string, K8sObject>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.name}`;
    if (index.has(key)) throw new Error(`two rendered objects named ${key}`);
    index.set(key, o);
  }
  return {
    objects,
    find: (kind, name) => index.get(`${kind}/${name}`),
    get<T>(kind: string, name: string): T {
      const o = index.get(`${kind}/${name}`);
      if (!o) throw new Error(`no ${kind}/${name} among: ${[...index.keys()].join(", ")}`);
      return o as T;
    },
    ofKind: (kind) => objects.filter((o) => o.kind === kind),
  };
}

/**
 * NOTES.txt as `helm install` prints it. helm template does not render NOTES.txt and a dry-run
 * install needs a cluster: it is rendered through tpl in a throw-away copy of the chart.
 */
export async function renderNotes(values: KafkaHaValues = {}, valueFiles: string[] = []): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-notes-"));
  try {
    cpSync(chartDir, dir, { recursive: true, filter: (src) => !/\/(node_modules|\.git)(\/|$)/.test(src) });
    renameSync(join(dir, "templates/NOTES.txt"), join(dir, "files/NOTES.txt"));
    writeFileSync(join(dir, "templates/zz-notes.yaml"), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ tpl (.Files.Get "files/NOTES.txt") . | quote }}\n');
    const r = await helmTemplate(values, ["--show-only", "templates/zz-notes.yaml"], { valueFiles, chart: dir });
    if (!r.ok) throw new Error(`rendering NOTES.txt failed:\n${r.stderr}`);
    return (parse(r.stdout) as { data: { notes: string } }).data.notes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
