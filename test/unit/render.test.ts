// Render tests over a matrix of scenarios (test/fixtures/scenarios): each scenario is rendered once,
// indexed by kind/name, validated strictly against the Kubernetes OpenAPI schema of the pinned
// version, then checked for the behaviour the values promise.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse, parseAllDocuments, stringify } from "yaml";
import { execa } from "execa";
import { toolPath } from "../../scripts/lib/tools.js";
import { chartDir, helmLint, helmTemplate, loadScenarios, render, renderNotes, type K8sObject, type Rendered } from "../helpers/render.js";
import { k8sValidator } from "../helpers/k8s-schema.js";

interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string }[];
  ports?: { name: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
  readinessProbe?: { exec?: { command: string[] } };
  startupProbe?: { exec?: { command: string[] } };
  livenessProbe?: { exec?: { command: string[] } };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  topologySpreadConstraints?: {
    topologyKey: string;
    whenUnsatisfiable: string;
    minDomains?: number;
    nodeTaintsPolicy?: string;
    labelSelector: { matchLabels: Record<string, string> };
  }[];
  affinity?: { podAntiAffinity?: Record<string, unknown>; nodeAffinity?: unknown };
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  priorityClassName?: string;
  volumes: { name: string; projected?: unknown }[];
  terminationGracePeriodSeconds: number;
}
interface StatefulSet extends K8sObject {
  spec: {
    replicas: number;
    serviceName: string;
    podManagementPolicy: string;
    updateStrategy: { type: string };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates: { spec: { storageClassName?: string; accessModes: string[]; resources: { requests: { storage: string } } } }[];
  };
}
interface Service extends K8sObject {
  spec: {
    clusterIP?: string;
    type?: string;
    publishNotReadyAddresses?: boolean;
    selector: Record<string, string>;
    ports: { port: number; nodePort?: number }[];
  };
}

const scenarios = loadScenarios();

const rendered = new Map<string, Rendered>();
const validatorP = k8sValidator();
const renderedP = Promise.all([...scenarios].map(async ([n, v]) => rendered.set(n, await render(v))));
const R = (name: string): Rendered => {
  const r = rendered.get(name);
  if (!r) throw new Error(`scenario ${name} not rendered`);
  return r;
};
const env = (c: Container, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;
const kafka = (s: StatefulSet): Container => {
  const c = s.spec.template.spec.containers.find((x) => x.name === "kafka");
  if (!c) throw new Error("no kafka container");
  return c;
};
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);

const t = suite("render");
t.before(async () => {
  await renderedP;
});

t("every scenario renders and every object is valid against the Kubernetes schema (unknown fields are errors)", async () => {
  const v = await validatorP;
  const errors: string[] = [];
  for (const [name, r] of rendered) for (const o of r.objects) errors.push(...v.errors(o).map((e) => `${name}: ${e}`));
  assert.equal(errors, []);
  assert.ok(rendered.size >= 8);
});

t("the strict validation does catch an unknown field and a wrong type", async () => {
  const v = await validatorP;
  const sts = structuredClone(R("defaults").get<StatefulSet>("StatefulSet", "kafka-ha"));
  (kafka(sts) as unknown as Record<string, unknown>)["imagePullPolicyy"] = "Always";
  (sts.spec as unknown as Record<string, unknown>)["replicas"] = "three";
  const errs = v.errors(sts).join("\n");
  assert.match(errs, /imagePullPolicyy/);
  assert.match(errs, /replicas must be integer/);
});

t("helm lint --strict passes", async () => {
  const r = await helmLint();
  assert.ok(r.ok, r.stdout + r.stderr);
});

t("defaults: the contract names, 3 combined pods, Parallel, RollingUpdate, one PVC each", () => {
  const r = R("defaults");
  const sts = r.get<StatefulSet>("StatefulSet", "kafka-ha");
  assert.is(sts.spec.replicas, 3);
  assert.is(sts.spec.serviceName, "kafka-ha-headless");
  assert.is(sts.spec.podManagementPolicy, "Parallel");
  assert.is(sts.spec.updateStrategy.type, "RollingUpdate");
  assert.equal(sts.spec.selector.matchLabels, {
    "app.kubernetes.io/name": "kafka-ha",
    "app.kubernetes.io/instance": "kafka-ha",
    "app.kubernetes.io/component": "kafka",
  });
  assert.is(kafka(sts).name, "kafka");
  assert.is(sts.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage, "10Gi");
  assert.equal(sts.spec.volumeClaimTemplates[0]?.spec.accessModes, ["ReadWriteOnce"]);
  assert.is(sts.spec.volumeClaimTemplates[0]?.spec.storageClassName, undefined);
  const headless = r.get<Service>("Service", "kafka-ha-headless");
  assert.is(headless.spec.clusterIP, "None");
  assert.is(headless.spec.publishNotReadyAddresses, true);
  assert.equal(
    headless.spec.ports.map((p) => p.port),
    [9092, 9093, 9094],
  );
  const client = r.get<Service>("Service", "kafka-ha");
  assert.equal(
    client.spec.ports.map((p) => p.port),
    [9092],
  );
  assert.ok(matches(client.spec.selector, sts.spec.template.metadata.labels));
  assert.is(
    kafka(sts)
      .ports?.map((p) => p.containerPort)
      .join(","),
    "9092,9094,9093,9096",
  );
  assert.is(r.ofKind("Pod").length, 1, "the helm test pod");
  assert.is(r.get("Pod", "kafka-ha-test").metadata.annotations?.["helm.sh/hook"], "test");
});

t("defaults: quorum settings and broker defaults", () => {
  const r = R("defaults");
  const c = kafka(r.get<StatefulSet>("StatefulSet", "kafka-ha"));
  assert.is(env(c, "KAFKA_HA_ROLE"), "combined");
  assert.is(env(c, "KAFKA_HA_CONTROLLERS"), "3");
  assert.is(env(c, "KAFKA_HA_VOTERS"), [0, 1, 2].map((i) => `${i}@kafka-ha-${i}.kafka-ha-headless.kafka.svc.cluster.local:9093`).join(" "));
  const props = (r.get("ConfigMap", "kafka-ha-config") as unknown as { data: Record<string, string> }).data["server.properties"] ?? "";
  for (const line of [
    "default.replication.factor=3",
    "min.insync.replicas=2",
    "offsets.topic.replication.factor=3",
    "transaction.state.log.replication.factor=3",
    "transaction.state.log.min.isr=2",
    "unclean.leader.election.enable=false",
    "controller.listener.names=CONTROLLER",
  ])
    assert.ok(props.split("\n").includes(line), `server.properties lacks ${line}:\n${props}`);
  // Kafka refuses auto-join on broker-only nodes: start.sh writes it for controllers only.
  assert.not.ok(props.includes("auto.join"));
  const cm = r.get("ConfigMap", "kafka-ha-config") as unknown as { data: Record<string, string> };
  const log4j = parse(cm.data["log4j2.yaml"] ?? "") as { Configuration: { Appenders: Record<string, unknown> } };
  assert.equal(Object.keys(log4j.Configuration.Appenders), ["Console"], "server logs to stdout only");
  assert.is(env(c, "KAFKA_HA_LOG4J_CONFIG"), "/opt/kafka-ha/config/log4j2.yaml");
  const scripts = r.get("ConfigMap", "kafka-ha-scripts") as unknown as { data: Record<string, string>; binaryData: Record<string, string> };
  assert.is(scripts.data["start.sh"], readFileSync(join(chartDir, "files/scripts/start.sh"), "utf8"));
  assert.is(scripts.data["ready.sh"], readFileSync(join(chartDir, "files/scripts/ready.sh"), "utf8"));
  assert.equal(Buffer.from(scripts.binaryData["NodeZone.class"] ?? "", "base64"), readFileSync(join(chartDir, "files/rack/NodeZone.class")));
  assert.equal(Buffer.from(scripts.binaryData["BootstrapState.class"] ?? "", "base64"), readFileSync(join(chartDir, "files/quorum/BootstrapState.class")));
});

t("the hook Jobs' ConfigMaps hold their class and JobClient.class, which the Jobs run from /opt/kafka-ha/class", () => {
  interface Job extends K8sObject {
    spec: { template: { spec: { containers: (Container & { command: string[] })[]; volumes: { name: string; configMap?: { name: string } }[] } } };
  }
  const shipped = (file: string): Buffer => readFileSync(join(chartDir, file));
  for (const [scenario, configMap, cls, file, jobs] of [
    ["defaults", "kafka-ha-rebalance", "Rebalance", "files/rebalance/Rebalance.class", ["kafka-ha-rebalance-before", "kafka-ha-rebalance-after"]],
    ["defaults", "kafka-ha-features", "FeatureLevels", "files/features/FeatureLevels.class", ["kafka-ha-features"]],
    ["dedicated-controllers", "kafka-ha-controller-removal", "ControllerRemoval", "files/quorum/ControllerRemoval.class", ["kafka-ha-controller-removal"]],
  ] as const) {
    const r = R(scenario);
    const data = r.get<K8sObject & { binaryData: Record<string, string> }>("ConfigMap", configMap).binaryData;
    assert.equal(Object.keys(data).sort(), [`${cls}.class`, "JobClient.class"].sort(), configMap);
    assert.equal(Buffer.from(data[`${cls}.class`] ?? "", "base64"), shipped(file), configMap);
    assert.equal(Buffer.from(data["JobClient.class"] ?? "", "base64"), shipped("files/jobs/JobClient.class"), configMap);
    for (const name of jobs) {
      const pod = r.get<Job>("Job", name).spec.template.spec;
      const c = pod.containers[0];
      const command = c?.command ?? [];
      assert.equal(command.slice(command.indexOf("-cp"), command.indexOf("-cp") + 3), ["-cp", "/opt/kafka/libs/*:/opt/kafka-ha/class", cls], name);
      assert.ok(
        c?.volumeMounts?.some((m) => m.name === "class" && m.mountPath === "/opt/kafka-ha/class"),
        name,
      );
      assert.is(pod.volumes.find((v) => v.name === "class")?.configMap?.name, configMap, name);
    }
  }
});

t("quorum bootstrap: the port start.sh serves is the declared one; the class sits next to start.sh; probes count a waiting start.sh as alive", () => {
  for (const [name, sts, alive] of [
    ["defaults", R("defaults").get<StatefulSet>("StatefulSet", "kafka-ha"), 9092],
    ["dedicated-controllers", R("dedicated-controllers").get<StatefulSet>("StatefulSet", "kafka-ha-controller"), 9093],
  ] as const) {
    const c = kafka(sts);
    const port = c.ports?.find((p) => p.name === "bootstrap")?.containerPort;
    assert.is(env(c, "KAFKA_HA_BOOTSTRAP_PORT"), String(port), name);
    const items = (sts.spec.template.spec.volumes.find((v) => v.name === "scripts") as unknown as { configMap: { items: { key: string; path: string }[] } })
      .configMap.items;
    assert.ok(
      items.some((i) => i.key === "start.sh" && i.path === "start.sh") &&
        items.some((i) => i.key === "BootstrapState.class" && i.path === "quorum/BootstrapState.class"),
      name,
    );
    for (const probe of [c.startupProbe, c.livenessProbe]) {
      const cmd = probe?.exec?.command.join(" ") ?? "";
      assert.match(cmd, "/opt/kafka-ha/run/preparing", name);
      assert.match(cmd, `/dev/tcp/127.0.0.1/${alive}`, name);
    }
  }
  const broker = kafka(R("dedicated-controllers").get<StatefulSet>("StatefulSet", "kafka-ha-broker"));
  assert.not.ok(
    broker.ports?.some((p) => p.name === "bootstrap"),
    "broker-only pods never serve the bootstrap port",
  );
});

t("PDB: maxUnavailable 1 and its selector matches the pod labels (every layout)", () => {
  for (const [name, r] of rendered) {
    const pdbs = r.ofKind("PodDisruptionBudget") as unknown as {
      metadata: { name: string };
      spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
    }[];
    const stss = r.ofKind("StatefulSet") as StatefulSet[];
    assert.is(pdbs.length, stss.length, name);
    for (const sts of stss) {
      const pdb = pdbs.find((p) => p.metadata.name === sts.metadata.name);
      assert.ok(pdb, `${name}: no PDB for ${sts.metadata.name}`);
      assert.is(pdb.spec.maxUnavailable, 1);
      assert.ok(matches(pdb.spec.selector.matchLabels, sts.spec.template.metadata.labels), `${name}: PDB selector does not match pods`);
      assert.ok(matches(sts.spec.selector.matchLabels, sts.spec.template.metadata.labels));
      // The PDB of one StatefulSet must not cover another's pods.
      for (const other of stss.filter((s) => s !== sts)) assert.not.ok(matches(pdb.spec.selector.matchLabels, other.spec.template.metadata.labels));
    }
  }
});

t("topology spread: zone DoNotSchedule with minDomains 3 + hostname, tainted nodes not counted, selecting the StatefulSet's own pods", () => {
  for (const [name, r] of rendered) {
    for (const sts of r.ofKind("StatefulSet") as StatefulSet[]) {
      const tsc = sts.spec.template.spec.topologySpreadConstraints ?? [];
      const zone = tsc.find((x) => x.topologyKey === "topology.kubernetes.io/zone");
      const host = tsc.find((x) => x.topologyKey === "kubernetes.io/hostname");
      assert.ok(host, name);
      assert.is(host.nodeTaintsPolicy, "Honor", name);
      if (name === "no-zone-labels") {
        assert.is(zone, undefined, "the fallback spreads over hostnames only");
        continue;
      }
      assert.is(zone?.whenUnsatisfiable, "DoNotSchedule", name);
      // With only two zones schedulable the scheduler still counts three: no two pods in one zone.
      assert.is(zone?.minDomains, 3, name);
      assert.is(zone?.nodeTaintsPolicy, "Honor", name);
      assert.ok(matches(zone?.labelSelector.matchLabels ?? { x: "y" }, sts.spec.template.metadata.labels));
      assert.equal(zone?.labelSelector.matchLabels, sts.spec.selector.matchLabels);
    }
  }
});

t("topology spread: minDomains null is omitted (the only way with ScheduleAnyway); a two-zone cluster sets 2", async () => {
  const zoneOf = (r: Rendered) =>
    r.get<StatefulSet>("StatefulSet", "kafka-ha").spec.template.spec.topologySpreadConstraints?.find((x) => x.topologyKey === "topology.kubernetes.io/zone");
  const anyway = zoneOf(await render({ topologySpread: { zone: { whenUnsatisfiable: "ScheduleAnyway", minDomains: null } } }));
  assert.is(anyway?.whenUnsatisfiable, "ScheduleAnyway");
  assert.not.ok(anyway && "minDomains" in anyway);
  assert.is(zoneOf(await render({ topologySpread: { zone: { minDomains: 2 } } }))?.minDomains, 2);
});

t("headless Service: selects every Kafka pod of every layout, never the helm test pod", () => {
  for (const [name, r] of rendered) {
    const headless = r.get<Service>("Service", "kafka-ha-headless");
    // Unchanged since the first release: a new selector would drop the running pods' DNS names
    // while an upgrade rolls them (the test pod gets its own name label instead).
    assert.equal(headless.spec.selector, { "app.kubernetes.io/name": "kafka-ha", "app.kubernetes.io/instance": "kafka-ha" }, name);
    for (const sts of r.ofKind("StatefulSet") as StatefulSet[])
      assert.ok(matches(headless.spec.selector, sts.spec.template.metadata.labels), `${name}: headless misses ${sts.metadata.name}`);
    for (const pod of r.ofKind("Pod")) {
      const labels = (pod as unknown as { metadata: { labels: Record<string, string> } }).metadata.labels;
      assert.not.ok(matches(headless.spec.selector, labels), `${name}: headless selects ${pod.metadata.name}`);
      for (const svc of r.ofKind("Service") as Service[])
        assert.not.ok(matches(svc.spec.selector, labels), `${name}: ${svc.metadata.name} selects ${pod.metadata.name}`);
    }
  }
  assert.ok(R("defaults").find("Pod", "kafka-ha-test"), "the test pod is rendered by default");
});

t("images: repository:appVersion by default, repository@digest in every container when a digest is set (tag not used)", () => {
  const images = (r: Rendered): string[] =>
    r.objects.flatMap((o) => {
      const spec = o.kind === "Pod" ? (o as unknown as { spec: PodSpec }).spec : o.kind === "StatefulSet" ? (o as StatefulSet).spec.template.spec : undefined;
      return spec ? [...spec.containers, ...(spec.initContainers ?? [])].map((c) => c.image ?? "") : [];
    });
  const def = images(R("defaults"));
  assert.is(def.length, 3, "rack init, kafka, helm test");
  assert.equal([...new Set(def)], ["apache/kafka:4.4.0"]);
  const pinned = images(R("openshift-digest"));
  assert.is(pinned.length, 4, "controller, broker (+ rack init), helm test");
  assert.equal([...new Set(pinned)], ["registry.example.com/kafka/kafka@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"]);
});

t("uid/gid: 1000 by default on pods and containers; null leaves them to the platform (OpenShift restricted SCC)", () => {
  const contexts = (r: Rendered) =>
    r.objects.flatMap((o) => {
      const spec = o.kind === "Pod" ? (o as unknown as { spec: PodSpec }).spec : o.kind === "StatefulSet" ? (o as StatefulSet).spec.template.spec : undefined;
      return spec ? [spec.securityContext, ...[...spec.containers, ...(spec.initContainers ?? [])].map((c) => c.securityContext ?? {})] : [];
    });
  for (const sc of contexts(R("defaults"))) {
    assert.is(sc["runAsUser"], 1000);
    assert.is(sc["runAsGroup"], 1000);
    assert.is(sc["runAsNonRoot"], true);
  }
  const pod = R("defaults").get<StatefulSet>("StatefulSet", "kafka-ha").spec.template.spec.securityContext;
  assert.is(pod["fsGroup"], 1000);
  const platform = contexts(R("openshift-digest"));
  assert.is(platform.length, 7, "controller pod + container, broker pod + rack + kafka, test pod + container");
  for (const sc of platform) {
    for (const k of ["runAsUser", "runAsGroup", "fsGroup"]) assert.not.ok(k in sc, `${k} rendered although null`);
    assert.is(sc["runAsNonRoot"], true);
    assert.equal(sc["seccompProfile"], { type: "RuntimeDefault" });
  }
});

t("uid/gid: values without podSecurityContext (helm upgrade --reuse-values of an older release) keep uid/gid 1000", async () => {
  // --reuse-values renders the new templates with the old release's values and none of the new defaults.
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-reuse-"));
  try {
    for (const f of ["Chart.yaml", "templates", "files"]) cpSync(join(chartDir, f), join(dir, f), { recursive: true });
    const old = parse(readFileSync(join(chartDir, "values.yaml"), "utf8")) as Record<string, unknown>;
    delete old["podSecurityContext"];
    writeFileSync(join(dir, "values.yaml"), stringify(old));
    const r = await helmTemplate({}, [], { chart: dir });
    assert.ok(r.ok, r.stderr);
    const sts = parseAllDocuments(r.stdout)
      .map((d) => d.toJS() as StatefulSet)
      .find((o) => o?.kind === "StatefulSet");
    assert.ok(sts);
    assert.equal(
      [
        sts.spec.template.spec.securityContext["runAsUser"],
        sts.spec.template.spec.securityContext["runAsGroup"],
        sts.spec.template.spec.securityContext["fsGroup"],
      ],
      [1000, 1000, 1000],
    );
    assert.is(kafka(sts).securityContext?.["runAsUser"], 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t("uid/gid: gid 0 and an arbitrary uid are rendered as given", async () => {
  const sts = (await render({ podSecurityContext: { runAsUser: 1000680000, runAsGroup: 0, fsGroup: 0 } })).get<StatefulSet>("StatefulSet", "kafka-ha");
  assert.is(sts.spec.template.spec.securityContext["runAsUser"], 1000680000);
  assert.is(sts.spec.template.spec.securityContext["runAsGroup"], 0);
  assert.is(sts.spec.template.spec.securityContext["fsGroup"], 0);
  assert.is(kafka(sts).securityContext?.["runAsGroup"], 0);
});

t("security context: non-root, read-only root, drop ALL, RuntimeDefault, writable mounts, no token in kafka", () => {
  for (const [name, r] of rendered) {
    for (const sts of r.ofKind("StatefulSet") as StatefulSet[]) {
      const pod = sts.spec.template.spec;
      assert.is(pod.securityContext["runAsNonRoot"], true);
      assert.equal(pod.securityContext["seccompProfile"], { type: "RuntimeDefault" });
      assert.is(pod.automountServiceAccountToken, false, `${name}: token automounted`);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const sc = c.securityContext ?? {};
        assert.is(sc["readOnlyRootFilesystem"], true, `${name}/${c.name}`);
        assert.is(sc["allowPrivilegeEscalation"], false);
        assert.equal(sc["capabilities"], { drop: ["ALL"] });
      }
      const mounts = kafka(sts).volumeMounts?.map((m) => m.mountPath) ?? [];
      for (const p of ["/tmp", "/opt/kafka/logs", "/opt/kafka-ha/run", "/var/lib/kafka/data"]) assert.ok(mounts.includes(p), `${name}: ${p} not writable`);
      assert.not.ok(
        mounts.some((m) => m.startsWith("/var/run/secrets")),
        `${name}: kafka container has a token`,
      );
      assert.ok(pod.terminationGracePeriodSeconds >= 60);
      assert.equal(kafka(sts).readinessProbe?.exec?.command, ["/bin/bash", "/opt/kafka-ha/scripts/ready.sh"]);
    }
  }
});

t("rack awareness: init container with a projected token, RBAC get nodes only; off: neither", () => {
  const on = R("defaults");
  const pod = on.get<StatefulSet>("StatefulSet", "kafka-ha").spec.template.spec;
  const init = pod.initContainers?.find((c) => c.name === "rack");
  assert.ok(init);
  assert.ok(init.volumeMounts?.some((m) => m.mountPath === "/var/run/secrets/kubernetes.io/serviceaccount"));
  assert.ok(pod.volumes.some((v) => v.name === "kube-api-access" && v.projected));
  assert.is(env(kafka(on.get<StatefulSet>("StatefulSet", "kafka-ha")), "KAFKA_HA_RACK_FILE"), "/opt/kafka-ha/run/rack");
  const role = on.ofKind("ClusterRole")[0] as unknown as { rules: unknown[] };
  assert.equal(role.rules, [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }]);
  const off = R("rack-awareness-off");
  const podOff = off.get<StatefulSet>("StatefulSet", "kafka-ha").spec.template.spec;
  assert.is(podOff.initContainers, undefined);
  assert.not.ok(podOff.volumes.some((v) => v.name === "kube-api-access"));
  assert.is(off.ofKind("ClusterRole").length + off.ofKind("ClusterRoleBinding").length, 0);
  assert.is(env(kafka(off.get<StatefulSet>("StatefulSet", "kafka-ha")), "KAFKA_HA_RACK_FILE"), undefined);
});

t("five brokers: 5 pods, still 3 voters", () => {
  const c = kafka(R("five-brokers").get<StatefulSet>("StatefulSet", "kafka-ha"));
  assert.is(R("five-brokers").get<StatefulSet>("StatefulSet", "kafka-ha").spec.replicas, 5);
  assert.is(env(c, "KAFKA_HA_VOTERS")?.split(" ").length, 3);
});

t("dedicated controllers: two StatefulSets, controller ids from 1000, client Service selects brokers only", () => {
  const r = R("dedicated-controllers");
  const ctl = r.get<StatefulSet>("StatefulSet", "kafka-ha-controller");
  const brk = r.get<StatefulSet>("StatefulSet", "kafka-ha-broker");
  assert.is(r.ofKind("StatefulSet").length, 2);
  assert.is(env(kafka(ctl), "KAFKA_HA_ROLE"), "controller");
  assert.is(env(kafka(brk), "KAFKA_HA_ROLE"), "broker");
  assert.is(env(kafka(ctl), "KAFKA_HA_NODE_ID_OFFSET"), "1000");
  assert.is(
    env(kafka(brk), "KAFKA_HA_VOTERS"),
    [0, 1, 2].map((i) => `${1000 + i}@kafka-ha-controller-${i}.kafka-ha-headless.kafka.svc.cluster.local:9093`).join(" "),
  );
  assert.is(
    kafka(ctl)
      .ports?.map((p) => p.containerPort)
      .join(","),
    "9093,9096",
  );
  assert.is(ctl.spec.template.spec.initContainers, undefined, "controllers need no rack");
  const client = r.get<Service>("Service", "kafka-ha");
  assert.ok(matches(client.spec.selector, brk.spec.template.metadata.labels));
  assert.not.ok(matches(client.spec.selector, ctl.spec.template.metadata.labels));
  const headless = r.get<Service>("Service", "kafka-ha-headless");
  assert.ok(matches(headless.spec.selector, brk.spec.template.metadata.labels) && matches(headless.spec.selector, ctl.spec.template.metadata.labels));
});

t("external access: one NodePort Service per broker at 31090+ordinal, EXTERNAL listener env; off by default", () => {
  assert.is(R("defaults").ofKind("Service").length, 2);
  const r = R("external-access");
  for (const i of [0, 1, 2]) {
    const s = r.get<Service>("Service", `kafka-ha-${i}-external`);
    assert.is(s.spec.type, "NodePort");
    assert.is(s.spec.publishNotReadyAddresses, true, "a broker that leads partitions while catching up stays reachable");
    assert.is(s.spec.ports[0]?.nodePort, 31090 + i);
    assert.is(s.spec.selector["statefulset.kubernetes.io/pod-name"], `kafka-ha-${i}`);
  }
  const c = kafka(r.get<StatefulSet>("StatefulSet", "kafka-ha"));
  assert.is(env(c, "KAFKA_HA_EXTERNAL_HOST"), "127.0.0.1");
  assert.is(env(c, "KAFKA_HA_EXTERNAL_PORT_BASE"), "31090");
  assert.ok(c.ports?.some((p) => p.containerPort === 9095));
});

t("custom storage class and access mode reach the volumeClaimTemplates", () => {
  const vct = R("custom-storage-class").get<StatefulSet>("StatefulSet", "kafka-ha").spec.volumeClaimTemplates[0];
  assert.is(vct?.spec.storageClassName, "fast-ssd");
  assert.is(vct?.spec.resources.requests.storage, "50Gi");
  assert.equal(vct?.spec.accessModes, ["ReadWriteOncePod"]);
});

t("dedicated node pool: nodeSelector, tolerations, priority class, hard anti-affinity merged with user affinity", () => {
  const pod = R("dedicated-node-pool").get<StatefulSet>("StatefulSet", "kafka-ha").spec.template.spec;
  assert.equal(pod.nodeSelector, { "node-pool": "kafka" });
  assert.is(pod.tolerations?.length, 1);
  assert.is(pod.priorityClassName, "kafka-critical");
  const req = pod.affinity?.podAntiAffinity?.["requiredDuringSchedulingIgnoredDuringExecution"] as { topologyKey: string }[];
  assert.is(req[0]?.topologyKey, "kubernetes.io/hostname");
  assert.ok(pod.affinity?.nodeAffinity, "user affinity kept");
  assert.is(R("defaults").get<StatefulSet>("StatefulSet", "kafka-ha").spec.template.spec.affinity, undefined);
});

t("tuned: extra config, cluster id, heap from the memory limit, CPU limit", () => {
  const r = R("tuned");
  const props = (r.get("ConfigMap", "kafka-ha-config") as unknown as { data: Record<string, string> }).data["server.properties"] ?? "";
  assert.ok(props.includes("num.partitions=6\n"));
  assert.ok(props.includes("auto.create.topics.enable=false"));
  assert.ok(props.includes("unclean.leader.election.enable=true"));
  const secret = r.get("Secret", "kafka-ha-cluster-id") as unknown as { data: { clusterId: string } };
  assert.is(Buffer.from(secret.data.clusterId, "base64").toString(), "MkU3OEVBNTcwNTJENDM2Qg");
  const c = kafka(r.get<StatefulSet>("StatefulSet", "kafka-ha"));
  assert.is(env(c, "KAFKA_HEAP_OPTS"), "-XX:MaxRAMPercentage=40 -XX:InitialRAMPercentage=40");
});

t("generated cluster id: 22 base64url characters, canonical UUID encoding", () => {
  const secret = R("defaults").get("Secret", "kafka-ha-cluster-id") as unknown as {
    metadata: { annotations: Record<string, string> };
    data: { clusterId: string };
  };
  const id = Buffer.from(secret.data.clusterId, "base64").toString();
  assert.match(id, /^[A-Za-z0-9_-]{21}[AQgw]$/);
  assert.is(Buffer.from(id, "base64url").toString("base64url"), id);
  assert.is(secret.metadata.annotations["helm.sh/resource-policy"], "keep");
});

t("checksum/config changes when a broker setting changes, and only then", async () => {
  const sum = (r: Rendered): string | undefined => r.get<StatefulSet>("StatefulSet", "kafka-ha").spec.template.metadata.annotations["checksum/config"];
  const base = sum(R("defaults"));
  assert.match(base ?? "", /^[0-9a-f]{64}$/);
  assert.is(sum(await render({})), base, "stable across renders");
  assert.is.not(sum(await render({ config: { "num.partitions": 6 } })), base);
  assert.is.not(sum(await render({ replication: { minInsyncReplicas: 1 } })), base);
});

t("helm package ships the templates, values, schema and files/ only (the repo's tooling stays out)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-pkg-"));
  try {
    const helm = await toolPath("helm");
    await execa(helm, ["package", chartDir, "-d", dir]);
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz")) ?? "";
    const files = (await execa("tar", ["tzf", join(dir, tgz)])).stdout.split("\n").map((f) => f.replace(/^kafka-ha\//, ""));
    for (const f of [
      "Chart.yaml",
      "values.yaml",
      "values.schema.json",
      "README.md",
      "files/scripts/start.sh",
      "files/scripts/ready.sh",
      "files/rack/NodeZone.class",
      "files/quorum/BootstrapState.class",
      "files/rebalance/Rebalance.class",
      "files/features/FeatureLevels.class",
      "files/quorum/ControllerRemoval.class",
      "files/jobs/JobClient.class",
      "templates/NOTES.txt",
    ])
      assert.ok(files.includes(f), `package lacks ${f}`);
    assert.equal(
      files.filter((f) => /^(node_modules|test|scripts|\.ci)\/|package(-lock)?\.json$|tsconfig\.json$/.test(f)),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t("NOTES.txt: bootstrap address, produce/consume example, helm test, placement", async () => {
  const notes = await renderNotes();
  assert.match(notes, /kafka-ha\.kafka\.svc\.cluster\.local:9092/);
  assert.match(notes, /kafka-console-producer\.sh .*--command-property acks=all/);
  assert.match(notes, /kafka-console-consumer\.sh .*--from-beginning/);
  assert.match(notes, /helm test kafka-ha -n kafka/);
  assert.match(notes, /Zone spread ON: .*topology\.kubernetes\.io\/zone \(DoNotSchedule, minDomains 3\)/);
  assert.match(notes, /Rack awareness ON/);
  assert.match(notes, /No zone labels on this cluster\? .*rackAwareness\.enabled=false/s);
});

t("NOTES.txt says when zone spread and rack awareness are off", async () => {
  const notes = await renderNotes({ rackAwareness: { enabled: false }, topologySpread: { zone: { enabled: false } } });
  assert.match(notes, /Zone spread OFF \(topologySpread\.zone\.enabled=false\)/);
  assert.match(notes, /Rack awareness OFF \(rackAwareness\.enabled=false\)/);
  assert.not.match(notes, /ON:/);
});

t.run();
