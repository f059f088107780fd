// The NetworkPolicy (values networkPolicy.*, README "Security"), read as Kubernetes applies it: a
// rule allows a connection when its `from` (none: anyone) holds a selector the source pod's labels
// match and its ports hold the destination port. The policy is checked against the labels and ports
// the same render gives every pod, so a renamed label or a new port that the policy misses fails
// here. k3d enforces it for real in T2 (test/e2e/t1-t2-secured.test.ts).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadScenarios, render, type Rendered } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are read structurally */
type Obj = any;

const t = suite("network policy");
const TLS: KafkaHaValues = { tls: { enabled: true, secret: { name: "kafka-tls" } }, externalAccess: { enabled: true } };

const policy = (r: Rendered): Obj | undefined => r.ofKind("NetworkPolicy").find((p: Obj) => p.metadata.name === "kafka-ha")?.spec;
const matches = (selector: Obj, labels: Record<string, string>): boolean =>
  Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);

/** Every pod the render makes, with its labels and (Kafka pods) its container ports by name. */
function pods(r: Rendered): { name: string; labels: Record<string, string>; ports: Record<string, number> }[] {
  const kafka = r.ofKind("StatefulSet").map((s: Obj) => ({
    name: `StatefulSet/${s.metadata.name}`,
    labels: s.spec.template.metadata.labels,
    ports: Object.fromEntries(
      (s.spec.template.spec.containers.find((c: Obj) => c.name === "kafka").ports as Obj[]).map((p) => [p.name, p.containerPort]),
    ) as Record<string, number>,
  }));
  const jobs = r.ofKind("Job").map((j: Obj) => ({ name: `Job/${j.metadata.name}`, labels: j.spec.template.metadata.labels, ports: {} }));
  const tests = r.ofKind("Pod").map((p: Obj) => ({ name: `Pod/${p.metadata.name}`, labels: p.metadata.labels, ports: {} }));
  return [...kafka, ...jobs, ...tests];
}

/** Whether the policy lets a pod with `from` labels (undefined: a client outside the release) reach `port`. */
function admits(spec: Obj, from: Record<string, string> | undefined, port: number): boolean {
  return (spec.ingress as Obj[]).some(
    (rule) =>
      (rule.ports as Obj[]).some((p) => p.port === port) &&
      (rule.from === undefined ||
        (from !== undefined && (rule.from as Obj[]).some((peer) => peer.podSelector && !peer.namespaceSelector && matches(peer.podSelector, from)))),
  );
}

t("off without security, on with TLS (networkPolicy.enabled null), and forced either way", async () => {
  assert.is(policy(await render({})), undefined);
  assert.ok(policy(await render(TLS)));
  assert.is(policy(await render({ ...TLS, networkPolicy: { enabled: false } })), undefined);
  assert.ok(policy(await render({ networkPolicy: { enabled: true } })));
  assert.ok(policy(await render(loadScenarios().get("secured") ?? {})), "the README's security block turns it on");
});

t("it selects every Kafka pod and no other pod of the release; each Kafka port is reachable by exactly who should", async () => {
  for (const values of [TLS, { ...TLS, controller: { dedicated: true } }]) {
    const r = await render({ ...values, sasl: { enabled: true } });
    const spec = policy(r);
    const all = pods(r);
    const kafka = all.filter((p) => p.name.startsWith("StatefulSet/"));
    const others = all.filter((p) => !p.name.startsWith("StatefulSet/"));
    assert.ok(others.some((p) => p.name === "Job/kafka-ha-security") && others.some((p) => p.name === "Pod/kafka-ha-test"), "the render has the other pods");
    for (const p of kafka) assert.ok(matches(spec.podSelector, p.labels), `${p.name} is selected`);
    for (const p of others) assert.not.ok(matches(spec.podSelector, p.labels), `${p.name} is not selected (it is a client)`);

    const ports = Object.assign({}, ...kafka.map((p) => p.ports)) as Record<string, number>;
    assert.equal(Object.keys(ports).sort(), ["bootstrap", "client", "controller", "external", "internal"]);
    const aKafkaPod = kafka[0]?.labels;
    for (const [name, port] of Object.entries(ports)) assert.ok(admits(spec, aKafkaPod, port), `Kafka pods reach each other's ${name} port`);
    for (const p of others) {
      assert.ok(admits(spec, p.labels, ports["internal"] ?? 0), `${p.name} reaches the internal listener`);
      assert.not.ok(admits(spec, p.labels, ports["controller"] ?? 0), `${p.name} does not reach the controller port`);
    }
    const stranger = { app: "something-else" };
    for (const name of ["controller", "internal", "bootstrap"]) assert.not.ok(admits(spec, stranger, ports[name] ?? 0), `a foreign pod does not reach ${name}`);
    for (const name of ["client", "external"]) assert.ok(admits(spec, stranger, ports[name] ?? 0), `anyone reaches ${name} with no peers listed`);
  }
});

t("clientPeers and externalPeers restrict those ports to the peers given", async () => {
  const peer = { namespaceSelector: { matchLabels: { team: "orders" } } };
  const spec = policy(await render({ ...TLS, networkPolicy: { clientPeers: [peer], externalPeers: [{ ipBlock: { cidr: "192.0.2.0/24" } }] } }));
  const rulesFor = (port: number): Obj[] => (spec.ingress as Obj[]).filter((r) => (r.ports as Obj[]).some((p) => p.port === port));
  assert.ok(
    rulesFor(9092).every((r) => r.from !== undefined),
    "no rule leaves the client port open to anyone",
  );
  assert.ok(rulesFor(9092).some((r) => JSON.stringify(r.from) === JSON.stringify([peer])));
  assert.equal(rulesFor(9095), [{ ports: [{ port: 9095, protocol: "TCP" }], from: [{ ipBlock: { cidr: "192.0.2.0/24" } }] }]);
});

t("egress: DNS, the Kafka pods' ports, the API server only with rack awareness, and extraEgress", async () => {
  const spec = policy(await render(TLS));
  assert.equal(spec.policyTypes, ["Ingress", "Egress"]);
  const egress = spec.egress as Obj[];
  assert.ok(egress.some((r) => r.to === undefined && (r.ports as Obj[]).some((p) => p.port === 53 && p.protocol === "UDP")));
  assert.ok(
    egress.some((r) => r.to === undefined && (r.ports as Obj[]).some((p) => p.port === 6443)),
    "the rack init container reaches the API",
  );
  const noRack = policy(await render({ ...TLS, rackAwareness: { enabled: false }, topologySpread: { zone: { enabled: false } } })).egress as Obj[];
  assert.not.ok(JSON.stringify(noRack).includes("6443"), "no API access without rack awareness");
  const peerRule = egress.find((r) => r.to !== undefined);
  assert.equal(
    (peerRule.ports as Obj[]).map((p) => p.port),
    [9092, 9093, 9094, 9096],
  );
});

t.run();
