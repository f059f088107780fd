// The per-environment overlays (examples/values-<env>.yaml), rendered as a user installs them
// (`-f examples/values-<env>.yaml [-f my.yaml]`) and as the HA suite installs them (layered with
// test/fixtures/overlays/*): valid against values.schema.json and the strict Kubernetes schema, and
// each with the properties its comments promise.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { chartDir, helmTemplate, render, renderNotes, type K8sObject, type Rendered } from "../helpers/render.js";
import { k8sValidator } from "../helpers/k8s-schema.js";

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface StatefulSet extends K8sObject {
  spec: {
    replicas: number;
    template: {
      spec: {
        containers: Container[];
        initContainers?: Container[];
        topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[];
        affinity?: { podAntiAffinity?: Record<string, unknown> };
      };
    };
    volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[];
  };
}
interface Pdb extends K8sObject {
  spec: { maxUnavailable: number };
}

const ENVS = ["dev", "staging", "production"] as const;
type EnvName = (typeof ENVS)[number];
const overlay = (name: EnvName): string => `examples/values-${name}.yaml`;
/** What the HA suite installs: an overlay and the fixture that scales it to the k3d cluster. */
const SUITE_LAYERS: Record<string, string[]> = {
  "production on k3d": [overlay("production"), "test/fixtures/overlays/production-k3d.yaml"],
  // S16: dedicated controllers over the defaults, sized for k3d.
  "dedicated on k3d": ["test/fixtures/overlays/dedicated-k3d.yaml"],
};

const layerSets: Record<string, string[]> = { ...Object.fromEntries(ENVS.map((e) => [e, [overlay(e)]])), ...SUITE_LAYERS };
const rendered = new Map<string, Rendered>();
const renderedP = Promise.all(Object.entries(layerSets).map(async ([name, files]) => rendered.set(name, await render({}, { valueFiles: files }))));
const validatorP = k8sValidator();
const R = (name: string): Rendered => {
  const r = rendered.get(name);
  if (!r) throw new Error(`${name} not rendered`);
  return r;
};
const kafka = (s: StatefulSet): Container => {
  const c = s.spec.template.spec.containers.find((x) => x.name === "kafka");
  if (!c) throw new Error("no kafka container");
  return c;
};
const env = (c: Container, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;
const props = (r: Rendered): string[] =>
  ((r.get("ConfigMap", "kafka-ha-config") as unknown as { data: Record<string, string> }).data["server.properties"] ?? "").split("\n");
const zoneConstraint = (s: StatefulSet): { whenUnsatisfiable: string } | undefined =>
  s.spec.template.spec.topologySpreadConstraints?.find((c) => c.topologyKey === "topology.kubernetes.io/zone");
/** Memory quantity in MiB (Mi and Gi only: what the overlays use). */
const mib = (q: string | undefined): number => {
  const m = /^(\d+)(Mi|Gi)$/.exec(q ?? "");
  if (!m) throw new Error(`unexpected memory quantity ${q}`);
  return Number(m[1]) * (m[2] === "Gi" ? 1024 : 1);
};

const t = suite("overlays");
t.before(async () => {
  await renderedP;
});

t("every overlay file (and the suite's layering) is valid against values.schema.json", () => {
  const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8")) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const files = [
    ...readdirSync(join(chartDir, "examples")).map((f) => `examples/${f}`),
    ...readdirSync(join(chartDir, "test/fixtures/overlays")).map((f) => `test/fixtures/overlays/${f}`),
  ];
  assert.ok(
    ENVS.every((e) => files.includes(overlay(e))),
    `missing overlays among ${files.join(", ")}`,
  );
  for (const f of files) assert.ok(validate(parse(readFileSync(join(chartDir, f), "utf8")) ?? {}), `${f}: ${JSON.stringify(validate.errors)}`);
});

t("every overlay renders and every object is valid against the Kubernetes schema (unknown fields are errors)", async () => {
  const v = await validatorP;
  const errors: string[] = [];
  for (const [name, r] of rendered) for (const o of r.objects) errors.push(...v.errors(o).map((e) => `${name}: ${e}`));
  assert.equal(errors, []);
  assert.is(rendered.size, ENVS.length + Object.keys(SUITE_LAYERS).length);
});

t("dev: one combined KRaft node, RF 1 / min ISR 1, no PDB, no zone spread, no rack init container", () => {
  const r = R("dev");
  const stss = r.ofKind("StatefulSet") as StatefulSet[];
  assert.is(stss.length, 1);
  const sts = r.get<StatefulSet>("StatefulSet", "kafka-ha");
  assert.is(sts.spec.replicas, 1);
  const c = kafka(sts);
  assert.is(env(c, "KAFKA_HA_ROLE"), "combined");
  assert.is(env(c, "KAFKA_HA_CONTROLLERS"), "1");
  assert.is(env(c, "KAFKA_HA_VOTERS"), "0@kafka-ha-0.kafka-ha-headless.kafka.svc.cluster.local:9093");
  for (const line of [
    "default.replication.factor=1",
    "min.insync.replicas=1",
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
  ])
    assert.ok(props(r).includes(line), `server.properties lacks ${line}`);
  assert.is(r.ofKind("PodDisruptionBudget").length, 0);
  assert.is(zoneConstraint(sts), undefined, "a node without a zone label must be able to take the pod");
  assert.is(sts.spec.template.spec.initContainers, undefined, "no rack init container (it needs a zone label)");
  assert.is(env(c, "KAFKA_HA_RACK_FILE"), undefined);
  assert.is(r.ofKind("ClusterRole").length, 0);
  assert.ok(mib(c.resources?.limits?.["memory"]) <= 1024, "small enough for a laptop or a CI runner");
});

t("dev: NOTES say loudly that the release is not highly available; the HA overlays' NOTES do not", async () => {
  const notes = await renderNotes({}, [overlay("dev")]);
  assert.match(notes, /^#{20,}\nWARNING: this release is NOT HIGHLY AVAILABLE \(highAvailability=false\)/);
  assert.match(notes, /1 broker\(s\), 1 KRaft controller\(s\): restarting or losing one stops Kafka/);
  assert.match(notes, /replication factor 1, min ISR 1: a lost disk loses the records on it/);
  assert.match(notes, /PodDisruptionBudget off, zone spread off, rack awareness off/);
  assert.match(notes, /^kafka-ha \S+ \(one node, broker and KRaft controller\), release kafka-ha in namespace kafka\.$/m);
  // The consumer example runs in the one pod there is.
  assert.match(notes, /exec -it kafka-ha-0 -c kafka -- \\\n\s+\/opt\/kafka\/bin\/kafka-console-consumer\.sh/);
  assert.not.match(notes, /kafka-ha-1/);
  for (const e of ["staging", "production"] as const) assert.not.match(await renderNotes({}, [overlay(e)]), /NOT HIGHLY AVAILABLE/, e);
});

t("dev without highAvailability=false is refused, and every refusal it relaxes names the value", async () => {
  const r = await helmTemplate({ highAvailability: true }, [], { valueFiles: [overlay("dev")] });
  assert.not.ok(r.ok, "a single KRaft node installed without the acknowledgement");
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("kafka-ha: "));
  assert.is(lines.length, 4, r.stderr);
  for (const l of lines) assert.ok(l.includes("set highAvailability=false (see examples/values-dev.yaml)"), l);
  assert.ok(lines.some((l) => l.startsWith("kafka-ha: controller.replicas (1) is a single KRaft controller")));
});

t("highAvailability=false relaxes only what one node needs: min ISR 2 on one broker and a PDB stay refused", async () => {
  const isr2 = await helmTemplate({ replication: { minInsyncReplicas: 2 } }, [], { valueFiles: [overlay("dev")] });
  assert.not.ok(isr2.ok);
  assert.match(isr2.stderr, /kafka-ha: replication\.minInsyncReplicas \(2\) must be lower than broker\.replicas \(1\)/);
  assert.not.match(isr2.stderr, /set highAvailability=false/, "no hint where the value would not help");
  const pdb = await helmTemplate({ podDisruptionBudget: { enabled: true } }, [], { valueFiles: [overlay("dev")] });
  assert.not.ok(pdb.ok);
  assert.match(pdb.stderr, /kafka-ha: podDisruptionBudget\.enabled must be false with a single controller/);
  assert.match(
    pdb.stderr,
    /kafka-ha: podDisruptionBudget\.enabled must be false when replication\.minInsyncReplicas \(1\) is not lower than replication\.defaultReplicationFactor \(1\)/,
  );
});

for (const name of ["staging", "production", "production on k3d"]) {
  t(`${name}: dedicated controllers (3 or 5), 3+ brokers, RF 3 / min ISR 2, a PDB each, zone spread DoNotSchedule, rack awareness`, () => {
    const r = R(name);
    const ctl = r.get<StatefulSet>("StatefulSet", "kafka-ha-controller");
    const brk = r.get<StatefulSet>("StatefulSet", "kafka-ha-broker");
    assert.ok([3, 5].includes(ctl.spec.replicas), `controllers: ${ctl.spec.replicas}`);
    assert.ok(brk.spec.replicas >= 3, `brokers: ${brk.spec.replicas}`);
    assert.is(env(kafka(ctl), "KAFKA_HA_ROLE"), "controller");
    assert.is(env(kafka(brk), "KAFKA_HA_VOTERS")?.split(" ").length, ctl.spec.replicas);
    for (const line of [
      "default.replication.factor=3",
      "min.insync.replicas=2",
      "offsets.topic.replication.factor=3",
      "transaction.state.log.min.isr=2",
      "unclean.leader.election.enable=false",
    ])
      assert.ok(props(r).includes(line), `server.properties lacks ${line}`);
    const pdbs = r.ofKind("PodDisruptionBudget") as Pdb[];
    assert.equal(pdbs.map((p) => [p.metadata.name, p.spec.maxUnavailable]).sort(), [
      ["kafka-ha-broker", 1],
      ["kafka-ha-controller", 1],
    ]);
    for (const s of [ctl, brk]) {
      assert.is(zoneConstraint(s)?.whenUnsatisfiable, "DoNotSchedule", s.metadata.name);
      assert.ok(s.spec.template.spec.affinity?.podAntiAffinity, `${s.metadata.name}: no pod anti-affinity`);
    }
    assert.ok(
      brk.spec.template.spec.initContainers?.some((c) => c.name === "rack"),
      "rack awareness on the brokers",
    );
  });
}

t("production: hard anti-affinity, sized resources and storage, larger than staging; the k3d layering changes sizes only", () => {
  const brk = (name: string): StatefulSet => R(name).get<StatefulSet>("StatefulSet", "kafka-ha-broker");
  const prod = brk("production");
  assert.ok(prod.spec.template.spec.affinity?.podAntiAffinity?.["requiredDuringSchedulingIgnoredDuringExecution"], "hard anti-affinity");
  assert.ok(brk("staging").spec.template.spec.affinity?.podAntiAffinity?.["preferredDuringSchedulingIgnoredDuringExecution"], "staging: soft anti-affinity");
  const memory = (s: StatefulSet): number => mib(kafka(s).resources?.limits?.["memory"]);
  assert.ok(memory(prod) >= 8192, `production broker memory ${memory(prod)} MiB`);
  assert.ok(memory(brk("staging")) < memory(prod));
  assert.ok(Number(/^(\d+)Gi$/.exec(prod.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage ?? "")?.[1]) >= 100, "production broker storage");
  assert.ok(props(R("production")).includes("auto.create.topics.enable=false"));
  // Layered for the HA suite: smaller, and otherwise the same objects.
  const k3d = brk("production on k3d");
  assert.ok(memory(k3d) < memory(prod));
  const shape = (r: Rendered): string[] => r.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  assert.equal(shape(R("production on k3d")), shape(R("production")));
  const strip = (s: StatefulSet): unknown => {
    const c = structuredClone(s.spec.template.spec);
    for (const x of [...c.containers, ...(c.initContainers ?? [])]) if (x.name === "kafka") delete x.resources;
    for (const x of c.containers) x.env = x.env?.filter((e) => e.name !== "KAFKA_HEAP_OPTS");
    return c;
  };
  assert.equal(strip(k3d), strip(prod), "only resources and heap differ");
});

t.run();
