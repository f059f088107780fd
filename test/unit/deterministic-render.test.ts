// Renders are deterministic (issue 12): GitOps tools (Argo CD, Flux's `helm template` mode) render
// without a cluster, so `lookup` finds nothing; every such render, every dry-run and the install
// itself must produce the same objects, in particular the same cluster id. No cluster is reachable
// from these tests (test/helpers/render.ts points KUBECONFIG nowhere).
import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { helm, helmTemplate, kubeVersion, loadScenarios, parseManifests, withValuesFile, type K8sObject } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

const t = suite("deterministic render");
const scenarios = loadScenarios();

/** The cluster id in the rendered Secret <fullname>-cluster-id. */
function clusterIdOf(objects: K8sObject[]): string {
  const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name.endsWith("-cluster-id")) as
    (K8sObject & { data: { clusterId: string } }) | undefined;
  if (!secret) throw new Error("no cluster id Secret rendered");
  return Buffer.from(secret.data.clusterId, "base64").toString();
}

async function templateId(values: KafkaHaValues, release = "kafka-ha", namespace = "kafka"): Promise<string> {
  const r = await withValuesFile(values, (file) =>
    helm([
      "template",
      release,
      ".",
      "--namespace",
      namespace,
      "--kube-version",
      kubeVersion.replace(/^v/, ""),
      "-f",
      file,
      "--show-only",
      "templates/secret.yaml",
    ]),
  );
  assert.ok(r.ok, r.stderr);
  return clusterIdOf(parseManifests(r.stdout));
}

/** The id the chart derives, computed here independently from README's description. */
function derivedId(namespace: string, fullname: string): string {
  const hex = createHash("sha256").update(`kafka-ha/${namespace}/${fullname}`).digest("hex");
  return hex.slice(0, 21) + "AQgw"[parseInt(hex.charAt(21), 16) % 4];
}

t("two helm template renders of every scenario are identical byte for byte", async () => {
  for (const [name, values] of scenarios) {
    const [a, b] = await Promise.all([helmTemplate(values), helmTemplate(values)]);
    assert.ok(a.ok && b.ok, `${name}: ${a.stderr}${b.stderr}`);
    if (a.stdout !== b.stdout) {
      const la = a.stdout.split("\n");
      const lb = b.stdout.split("\n");
      const i = la.findIndex((l, n) => l !== lb[n]);
      assert.unreachable(`${name}: two renders differ, first at line ${i + 1}:\n  ${la[i]}\n  ${lb[i]}`);
    }
  }
});

t("the cluster id without clusterId: sha256 of namespace and fullname, a canonical 16-byte Kafka Uuid", async () => {
  const id = await templateId({});
  assert.is(id, derivedId("kafka", "kafka-ha"));
  assert.is(id, "5438ccc6d174f38ad0bcbQ", "the id of release kafka-ha in namespace kafka never changes between chart versions");
  // 22 base64url characters whose last one has its low 4 bits zero: decodes to 16 bytes and back.
  assert.match(id, /^[0-9a-f]{21}[AQgw]$/);
  assert.is(Buffer.from(id, "base64url").length, 16);
  assert.is(Buffer.from(id, "base64url").toString("base64url"), id);
});

t("the cluster id follows namespace and fullname, and clusterId overrides it", async () => {
  assert.is(await templateId({}, "kafka-ha", "other"), derivedId("other", "kafka-ha"));
  assert.is(await templateId({}, "prod", "kafka"), derivedId("kafka", "prod-kafka-ha"));
  assert.is(await templateId({ fullnameOverride: "events" }, "anything", "kafka"), derivedId("kafka", "events"));
  assert.is(await templateId({ nameOverride: "bus" }, "prod", "kafka"), derivedId("kafka", "prod-bus"));
  assert.is(await templateId({ clusterId: "MkU3OEVBNTcwNTJENDM2Qg" }), "MkU3OEVBNTcwNTJENDM2Qg");
  const ids = new Set([derivedId("kafka", "kafka-ha"), derivedId("other", "kafka-ha"), derivedId("kafka", "prod-kafka-ha")]);
  assert.is(ids.size, 3);
});

t("an upgrade that changes values keeps the cluster id (it depends on namespace and fullname only)", async () => {
  const base = await templateId({});
  for (const values of [...scenarios.values()].filter((v) => !v.clusterId && !v.fullnameOverride && !v.nameOverride)) {
    assert.is(await templateId(values), base, JSON.stringify(values));
  }
  assert.is(await templateId({ broker: { replicas: 5 }, config: { "num.partitions": 12 }, image: { tag: "9.9.9" } }), base);
});

/** The documents of `helm install --dry-run=client -o json`: the manifest and the hooks, as objects. */
async function dryRunInstall(values: KafkaHaValues): Promise<K8sObject[]> {
  const r = await withValuesFile(values, (file) => helm(["install", "kafka-ha", ".", "--namespace", "kafka", "--dry-run=client", "-o", "json", "-f", file]));
  assert.ok(r.ok, r.stderr);
  const release = JSON.parse(r.stdout) as { manifest: string; hooks?: { manifest: string }[] };
  return [...parseManifests(release.manifest), ...(release.hooks ?? []).flatMap((h) => parseManifests(h.manifest))];
}

const byKindName = (a: K8sObject, b: K8sObject): number => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`);

t("helm install --dry-run=client gives the same objects, cluster id included, as helm template", async () => {
  for (const name of ["defaults", "dedicated-controllers"]) {
    const values = scenarios.get(name) ?? {};
    const installed = (await dryRunInstall(values)).sort(byKindName);
    const rendered = await helmTemplate(values);
    assert.ok(rendered.ok, rendered.stderr);
    const templated = parseManifests(rendered.stdout).sort(byKindName);
    assert.is(clusterIdOf(installed), clusterIdOf(templated), name);
    assert.is(clusterIdOf(installed), derivedId("kafka", "kafka-ha"));
    assert.equal(installed, templated, name);
  }
});

t.run();
