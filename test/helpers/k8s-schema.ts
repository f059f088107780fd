// Strict validation of rendered objects against the OpenAPI v3 spec of the pinned Kubernetes version
// (api/openapi-spec/v3 of the k8s.io/kubernetes Go module, fetched with `go mod download`), and of
// the custom resources the chart renders against their CRDs (cert-manager's, from its Go module). The spec
// is converted once to a JSON Schema with every object closed (unknown fields are errors) and cached
// under ${KAFKA_HA_CACHE:-~/.cache/kafka-ha}.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa, ExecaError } from "execa";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { pinned } from "../../scripts/lib/versions.js";
import { kubeVersion, type K8sObject } from "./render.js";

type Schema = { [key: string]: unknown };
const CONVERTER_VERSION = 2;

/** The source directory of a Go module at a version, fetched from the Go module proxy. */
async function moduleDir(module: string, version: string): Promise<string> {
  let out: string;
  try {
    out = (await execa("go", ["mod", "download", "-json", `${module}@${version}`], { cwd: homedir() })).stdout;
  } catch (err) {
    if (err instanceof ExecaError && err.code === "ENOENT")
      throw new Error(`go is not installed: it fetches the schemas the renders are checked against (go mod download ${module})`, { cause: err });
    throw err;
  }
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${module}@${version} gave no Dir: ${out}`);
  return dir;
}

const specDir = async (): Promise<string> => join(await moduleDir("k8s.io/kubernetes", kubeVersion), "api/openapi-spec/v3");

/** The custom resources the chart renders, checked against their own CRDs: cert-manager's Certificate (tls.source=certManager). */
const CRDS = [{ module: "github.com/cert-manager/cert-manager", version: pinned("certManager"), file: "deploy/crds/cert-manager.io_certificates.yaml" }];

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
}

async function addCrds(definitions: Schema, byGvk: Record<string, string>): Promise<void> {
  for (const c of CRDS) {
    const crd = parse(readFileSync(join(await moduleDir(c.module, c.version), c.file), "utf8")) as Crd;
    for (const v of crd.spec.versions) {
      const name = `crd.${crd.spec.group}.${v.name}.${crd.spec.names.kind}`;
      definitions[name] = convert(v.schema.openAPIV3Schema);
      byGvk[`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`] = name;
    }
  }
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== "object") return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith("x-") || k === "format" || k === "default" || k === "description" || k === "example") continue;
    if (k === "$ref" && typeof v === "string") out[k] = v.replace("#/components/schemas/", "#/definitions/");
    else if (k === "oneOf") out["anyOf"] = convert(v);
    else if (k === "properties") {
      const props: Schema = {};
      for (const [pk, pv] of Object.entries(v as Schema)) props[pk] = convert(pv);
      out[k] = props;
    } else out[k] = convert(v);
  }
  if (src["x-kubernetes-int-or-string"] === true) return { anyOf: [{ type: "integer" }, { type: "string" }] };
  // Close every object that declares its properties: an unknown field is an error, as with
  // `kubectl apply --validate=strict`.
  if (src["properties"] && src["additionalProperties"] === undefined) out["additionalProperties"] = false;
  return out;
}

async function loadSchema(): Promise<{ definitions: Schema; byGvk: Record<string, string> }> {
  const cacheDir = join(process.env["KAFKA_HA_CACHE"] ?? join(homedir(), ".cache/kafka-ha"), "k8s-schema");
  const file = join(cacheDir, `${kubeVersion}-${CRDS.map((c) => c.version).join("-")}-v${CONVERTER_VERSION}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { definitions: Schema; byGvk: Record<string, string> };
  const dir = await specDir();
  const definitions: Schema = {};
  const byGvk: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const spec = JSON.parse(readFileSync(join(dir, f), "utf8")) as { components?: { schemas?: Record<string, Schema> } };
    for (const [name, s] of Object.entries(spec.components?.schemas ?? {})) {
      definitions[name] = convert(s);
      const gvks = s["x-kubernetes-group-version-kind"] as { group: string; version: string; kind: string }[] | undefined;
      for (const g of gvks ?? []) {
        const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
        if (name.includes(".pkg.apis.meta.")) continue;
        byGvk[`${apiVersion}/${g.kind}`] = name;
      }
    }
  }
  await addCrds(definitions, byGvk);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify({ definitions, byGvk }));
  renameSync(`${file}.tmp`, file);
  return { definitions, byGvk };
}

export interface K8sValidator {
  /** Error lines for one object (empty when valid). */
  errors(o: K8sObject): string[];
}

export async function k8sValidator(): Promise<K8sValidator> {
  const { definitions, byGvk } = await loadSchema();
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "k8s", definitions });
  const compiled = new Map<string, ValidateFunction>();
  return {
    errors(o) {
      const gvk = `${o.apiVersion}/${o.kind}`;
      const def = byGvk[gvk];
      if (!def) return [`${gvk} is not a kind of Kubernetes ${kubeVersion}`];
      let v = compiled.get(def);
      if (!v) {
        v = ajv.compile({ $ref: `k8s#/definitions/${def}` });
        compiled.set(def, v);
      }
      const label = `${o.kind}/${o.metadata.name}`;
      if (v(o)) return [];
      return (v.errors ?? []).map((e) => `${label}${e.instancePath} ${e.message ?? ""} ${e.params ? JSON.stringify(e.params) : ""}`);
    },
  };
}
