// Renders the chart with the pinned helm (values through a temp file, never --set), parses the
// manifests once and indexes them by kind and name. `helm` is the project's Helm 4; the Helm 3
// checks pass "helm3".
import { pinned } from "../../scripts/lib/versions.js";
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { type HelmResult, type HelmTool, helmExec, withValuesFile } from "../../scripts/lib/helm.js";
import type { KafkaHaValues } from "./values.generated.js";

export const chartDir = fileURLToPath(new URL("../..", import.meta.url));
export const kubeVersion = pinned("kubernetes");

/** The value sets of test/fixtures/scenarios, by file name without .yaml, in name order. */
export function loadScenarios(): Map<string, KafkaHaValues> {
  const dir = join(chartDir, "test/fixtures/scenarios");
  const scenarios = new Map<string, KafkaHaValues>();
  for (const f of readdirSync(dir).sort()) scenarios.set(f.replace(/\.yaml$/, ""), (parse(readFileSync(join(dir, f), "utf8")) ?? {}) as KafkaHaValues);
  return scenarios;
}

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

export type { HelmResult, HelmTool };

/**
 * Runs helm in the chart directory with no cluster in reach (KUBECONFIG points nowhere), as a GitOps
 * tool renders: whatever a render produces must not depend on a cluster that happens to be up.
 */
export function helm(args: string[], tool: HelmTool = "helm"): Promise<HelmResult> {
  return helmExec(args, { tool, cwd: chartDir, env: { KUBECONFIG: join(tmpdir(), "kafka-ha-no-cluster", "kubeconfig") } });
}

export interface TemplateOptions {
  release?: string;
  /** Files relative to the chart (e.g. examples/values-dev.yaml), layered before the values as a user's `-f overlay -f my.yaml`. */
  valueFiles?: string[];
  chart?: string;
  tool?: HelmTool;
}

/** `helm template` with the values written to a temp file; resolves with stdout or stderr. */
export async function helmTemplate(values: KafkaHaValues | string, extra: string[] = [], opts: TemplateOptions = {}): Promise<HelmResult> {
  const { release = "kafka-ha", valueFiles = [], chart = ".", tool = "helm" } = opts;
  const layers = valueFiles.flatMap((f) => ["-f", join(chartDir, f)]);
  return withValuesFile(values, (file) =>
    helm(["template", release, chart, "--namespace", "kafka", "--kube-version", kubeVersion.replace(/^v/, ""), ...layers, "-f", file, ...extra], tool),
  );
}

export { withValuesFile };

export async function helmLint(tool: HelmTool = "helm"): Promise<HelmResult> {
  return helm(["lint", "--strict", ".", "--namespace", "kafka", "--kube-version", kubeVersion.replace(/^v/, "")], tool);
}

/** The objects of a multi-document YAML stream (empty documents skipped). */
export function parseManifests(yaml: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(yaml)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const o = doc.toJS() as K8sObject | null;
    if (o) objects.push(o);
  }
  return objects;
}

export async function render(
  values: KafkaHaValues = {},
  opts: {
    valueFiles?: string[];
    tool?: HelmTool;
    /** APIs the render may assume, e.g. monitoring.coreos.com/v1/ServiceMonitor. */ apiVersions?: string[];
  } = {},
): Promise<Rendered> {
  const tool = opts.tool ?? "helm";
  const r = await helmTemplate(values, ["--include-crds", ...(opts.apiVersions ?? []).flatMap((a) => ["--api-versions", a])], opts);
  if (!r.ok) throw new Error(`${tool} template failed:\n${r.stderr}`);
  const objects = parseManifests(r.stdout);
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
    writeFileSync(
      join(dir, "templates/zz-notes.yaml"),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ tpl (.Files.Get "files/NOTES.txt") . | quote }}\n',
    );
    const r = await helmTemplate(values, ["--show-only", "templates/zz-notes.yaml"], { valueFiles, chart: dir });
    if (!r.ok) throw new Error(`rendering NOTES.txt failed:\n${r.stderr}`);
    return (parse(r.stdout) as { data: { notes: string } }).data.notes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
