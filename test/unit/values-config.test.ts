// Values that real users set: numbers in `config` reach Kafka exactly as written (read back with
// java.util.Properties, as Kafka loads server.properties), quantities as YAML numbers render
// exactly, the render-time rules accept the edge of what Kubernetes accepts and refuse one step
// beyond it, every key the chart writes is refused in `config`, and the longest release name keeps
// every name within Kubernetes' limits. Scenario files test/fixtures/scenarios/numbers.yaml and
// metadata-limits.yaml are also validated against the strict Kubernetes schema by render.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { javaProperties } from "../helpers/java-properties.js";
import { chartDir, helmTemplate, render, type K8sObject, type Rendered } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

interface Resources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}
interface StatefulSet extends K8sObject {
  spec: {
    replicas: number;
    template: { spec: { containers: { name: string; resources: Resources }[] } };
    volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[];
  };
}

const read = (p: string): string => readFileSync(join(chartDir, p), "utf8");
const scenario = (name: string): KafkaHaValues => parse(read(`test/fixtures/scenarios/${name}.yaml`)) as KafkaHaValues;
const serverProperties = (r: Rendered): string =>
  (r.get("ConfigMap", "kafka-ha-config") as unknown as { data: Record<string, string> }).data["server.properties"] ?? "";
const kafkaResources = (s: StatefulSet): Resources => {
  const c = s.spec.template.spec.containers.find((x) => x.name === "kafka");
  if (!c) throw new Error("no kafka container");
  return c.resources;
};

const t = suite("values users set");
// Rendered on first use, not in a before hook: uvu ends a suite whose hook throws without failing the run.
let numbersP: Promise<Rendered> | undefined;
const numbers = (): Promise<Rendered> => (numbersP ??= render(scenario("numbers")));

t("config: numbers, booleans and backslashes reach Kafka exactly as written", async () => {
  const props = serverProperties(await numbers());
  // The line text the issue names: no scientific notation.
  for (const line of ["message.max.bytes=10485760", "log.retention.ms=604800000", "log.segment.bytes=1073741824"])
    assert.ok(props.split("\n").includes(line), `server.properties lacks ${line}:\n${props}`);
  const loaded = await javaProperties(props);
  const want: Record<string, string> = {
    "message.max.bytes": "10485760",
    "replica.fetch.max.bytes": "10485760",
    "log.retention.ms": "604800000",
    "log.segment.bytes": "1073741824",
    "log.flush.interval.messages": "9007199254740991",
    "log.retention.bytes": "9223372036854775807",
    "log.cleaner.min.cleanable.ratio": "0.5",
    "log.cleaner.enable": "true",
    "log.preallocate": "false",
    "log.local.retention.bytes": "-2",
    "ssl.principal.mapping.rules": "RULE:^CN=([a-z]+)\\.example\\.com$/$1/,DEFAULT",
  };
  for (const [k, v] of Object.entries(want)) assert.is(loaded[k], v, `${k} as Kafka reads it`);
});

t("quantities written as YAML numbers render exactly, for brokers and dedicated controllers", async () => {
  const r = await numbers();
  const broker = r.get<StatefulSet>("StatefulSet", "kafka-ha-broker");
  const controller = r.get<StatefulSet>("StatefulSet", "kafka-ha-controller");
  assert.equal(kafkaResources(broker), { requests: { cpu: "2", memory: "2147483648" }, limits: { cpu: "4", memory: "4294967296" } });
  assert.equal(kafkaResources(controller), { requests: { cpu: "0.25", memory: "1073741824" }, limits: { cpu: "1", memory: "1073741824" } });
  assert.is(broker.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage, "107374182400");
  assert.is(controller.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage, "5368709120");
});

t("edge values Kubernetes accepts are accepted and rendered as given", async () => {
  const r = await render(scenario("metadata-limits"));
  const sts = r.get<StatefulSet>("StatefulSet", "kafka-ha");
  assert.equal(kafkaResources(sts), { requests: { cpu: "1m", memory: "64Mi" }, limits: { cpu: "0.001", memory: "0.5Gi" } });
  assert.is(sts.spec.volumeClaimTemplates[0]?.spec.resources.requests.storage, "100Mi");
});

// Each row: values, and null (accepted) or the start of the one message expected. Boundaries of
// the quantity rules in both notations, so the quantity parser in templates/_checks.tpl is pinned.
const mem = (requests: string | number, limits: string | number): KafkaHaValues => ({
  broker: { resources: { requests: { memory: requests }, limits: { memory: limits } } },
});
const cpu = (requests: string | number, limits: string | number): KafkaHaValues => ({
  broker: { resources: { requests: { cpu: requests }, limits: { cpu: limits } } },
});
const rows: [string, KafkaHaValues, string | null][] = [
  ["memory request 64Mi", mem("64Mi", "2Gi"), null],
  ["memory request 64Mi - 1 byte", mem(67108863, "2Gi"), "kafka-ha: broker.resources.requests.memory (67108863) is less than 64Mi"],
  ["memory request 0.0625Gi (= 64Mi)", mem("0.0625Gi", "2Gi"), null],
  ["memory request 4096m (4 bytes)", mem("4096m", "2Gi"), "kafka-ha: broker.resources.requests.memory (4096m) is less than 64Mi"],
  ["memory limit 512Mi", mem("256Mi", "512Mi"), null],
  ["memory limit 500M (< 512Mi)", mem("256Mi", "500M"), "kafka-ha: broker.resources.limits.memory (500M) is less than 512Mi"],
  ["memory limit 1e9 bytes", mem("256Mi", "1e9"), null],
  ["memory limit 1E (exa) vs 2Ei request", mem("2Ei", "1E"), "kafka-ha: broker.resources.requests.memory (2Ei) exceeds broker.resources.limits.memory (1E)"],
  ["memory request = limit in two notations", mem("2Gi", 2147483648), null],
  [
    "memory request 1 byte above the limit",
    mem(2147483649, "2Gi"),
    "kafka-ha: broker.resources.requests.memory (2147483649) exceeds broker.resources.limits.memory (2Gi)",
  ],
  ["cpu request = limit (1 vs 1000m)", cpu(1, "1000m"), null],
  ["cpu request 1001m above limit 1", cpu("1001m", 1), "kafka-ha: broker.resources.requests.cpu (1001m) exceeds broker.resources.limits.cpu (1)"],
  ["cpu request 0.5 above limit 400m", cpu(0.5, "400m"), "kafka-ha: broker.resources.requests.cpu (0.5) exceeds broker.resources.limits.cpu (400m)"],
  ["cpu request 0.0009 (below 1m)", cpu("0.0009", ""), "kafka-ha: broker.resources.requests.cpu (0.0009) is below one millicore"],
  ["cpu request 2k (2000 cores), no limit", cpu("2k", ""), null],
  ["storage 100Mi", { broker: { storage: { size: 104857600 } } }, null],
  ["storage 100Mi - 1 byte", { broker: { storage: { size: 104857599 } } }, "kafka-ha: broker.storage.size (104857599) is less than 100Mi"],
  ["storage 0.09Gi (< 100Mi)", { broker: { storage: { size: "0.09Gi" } } }, "kafka-ha: broker.storage.size (0.09Gi) is less than 100Mi"],
  ["storage 0.1Gi (> 100Mi)", { broker: { storage: { size: "0.1Gi" } } }, null],
  ["controller values unused in combined mode", { controller: { resources: { requests: { memory: "1Ki" } } } }, null],
  ["config integer 2^53 - 1", { config: { "log.flush.interval.ms": 9007199254740991 } }, null],
  [
    "config integer 2^53",
    { config: { "log.flush.interval.ms": 9007199254740992 } },
    'kafka-ha: config."log.flush.interval.ms": the number 9.007199254740992e+15 cannot pass through Helm exactly',
  ],
  [
    "config negative integer beyond -2^53",
    { config: { "log.flush.interval.ms": -9007199254740992 } },
    'kafka-ha: config."log.flush.interval.ms": the number -9.007199254740992e+15 cannot pass',
  ],
  ["config single-line string with spaces, = and :", { config: { "sasl.jaas.config": 'org.example.Login required user="a:b" key=c;' } }, null],
  ["config carriage return", { config: { "sasl.kerberos.service.name": "kafka\r" } }, 'kafka-ha: config."sasl.kerberos.service.name" spans several lines'],
  ["readiness timeout 45", { probes: { readiness: { timeoutSeconds: 45 } } }, null],
  [
    "readiness timeout 44",
    { probes: { readiness: { timeoutSeconds: 44 } } },
    "kafka-ha: probes.readiness.timeoutSeconds (44) is shorter than the readiness check may take (45 s",
  ],
  ["readiness timeout 5 without the ISR check", { probes: { readiness: { timeoutSeconds: 5, isrCheck: false } } }, null],
  ["label value of 63 characters", { podLabels: { a: "x".repeat(63) } }, null],
  ["label value of 64 characters", { podLabels: { a: "x".repeat(64) } }, 'kafka-ha: podLabels."a": "'],
  ["label key name of 63 characters", { podLabels: { [`example.com/${"k".repeat(63)}`]: "v" } }, null],
  ["label key with an empty prefix", { podLabels: { "/a": "v" } }, 'kafka-ha: podLabels."/a" is not a valid key'],
  ["annotation key upper case", { podAnnotations: { "Example.com/Note": "v" } }, null],
  ["tolerationSeconds with NoExecute", { tolerations: [{ key: "k", operator: "Exists", effect: "NoExecute", tolerationSeconds: 0 }] }, null],
];
for (const [name, values, want] of rows) {
  t(`rule boundary: ${name}`, async () => {
    const r = await helmTemplate(values);
    if (want === null) {
      assert.ok(r.ok, `refused:\n${r.stderr}`);
      return;
    }
    assert.not.ok(r.ok, "accepted");
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("kafka-ha: "));
    assert.is(lines.length, 1, `expected one message, got:\n${r.stderr}`);
    assert.ok(lines[0]?.startsWith(want), `expected '${want}...', got:\n${r.stderr}`);
  });
}

t("every key the chart writes in server.properties (templates/_config.tpl, _tls.tpl, start.sh) is refused in config", async () => {
  const written = new Set<string>();
  const defines = [
    /define "kafka-ha.serverProperties"[\s\S]*?{{- end -}}/.exec(read("templates/_config.tpl"))?.[0] ?? "",
    /define "kafka-ha.tlsProperties"[\s\S]*?{{- end -}}/.exec(read("templates/_tls.tpl"))?.[0] ?? "",
  ];
  for (const m of defines.join("\n").matchAll(/^([a-z][a-z0-9._-]*)=/gm)) written.add(m[1] ?? "");
  // start.sh's part of server.properties: write_config and the keystore lines it appends (not the tools' client settings).
  const start = read("files/scripts/start.sh");
  const serverPart = ["write_config", "keystore_lines"].map((f) => new RegExp(`^${f}\\(\\) \\{[\\s\\S]*?^\\}`, "m").exec(start)?.[0] ?? "").join("\n");
  assert.ok(serverPart.includes("ssl.keystore.key="), "start.sh's functions were found");
  for (const m of serverPart.matchAll(/echo "([a-z][a-z0-9._-]*)=/g)) written.add(m[1] ?? "");
  assert.ok(written.has("node.id") && written.has("min.insync.replicas") && written.size >= 15, `parsed ${[...written].join(", ")}`);
  // metric.reporters is merged, not managed: the user's reporters come first, the readiness check
  // after them (test/unit/readiness-reporter.test.ts).
  written.delete("metric.reporters");
  const keys = [...written, "broker.id", "security.inter.broker.protocol"];
  const r = await helmTemplate({ config: Object.fromEntries(keys.map((k) => [k, "x"])) });
  assert.not.ok(r.ok);
  for (const k of keys) assert.ok(r.stderr.includes(`kafka-ha: config."${k}" is managed by the chart`), `config.${k} is not refused:\n${r.stderr}`);
});

t("the readiness timeout rule covers every timeout in ready.sh", () => {
  const ready = read("files/scripts/ready.sh");
  const timeouts = [...ready.matchAll(/\btimeout (\d+)\b/g)].map((m) => Number(m[1]));
  assert.ok(timeouts.length >= 2, `found timeouts ${timeouts.join(", ")} in ready.sh`);
  const rule = Number(/define "kafka-ha.readinessCheckSeconds" -}}(\d+)/.exec(read("templates/_checks.tpl"))?.[1]);
  const longest = timeouts.reduce((a, b) => a + b, 0);
  assert.ok(rule >= longest + 2, `readinessCheckSeconds ${rule} must cover ready.sh's ${longest} s plus 2 s`);
});

t("the longest release name keeps every name within Kubernetes' limits (dedicated mode, external access)", async () => {
  const release = `k${"x".repeat(52)}`; // 53 characters, Helm's maximum
  const r = await helmTemplate({ controller: { dedicated: true }, broker: { replicas: 100 }, externalAccess: { enabled: true, nodePortBase: 30000 } }, [], {
    release,
  });
  assert.ok(r.ok, r.stderr);
  const objects = r.stdout
    .split(/^---$/m)
    .map((d) => parse(d) as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
  const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
  for (const o of objects) {
    const n = o.metadata.name;
    if (o.kind === "Service") assert.ok(n.length <= 63 && dns1035.test(n), `Service ${n}`);
    if (o.kind === "StatefulSet") {
      // Pods are <name>-<ordinal> (a DNS label) and carry controller-revision-hash=<name>-<hash of up to 10>.
      const sts = o as StatefulSet;
      assert.ok(n.length + 11 <= 63, `StatefulSet ${n}: revision hash label too long`);
      assert.ok(`${n}-${sts.spec.replicas - 1}`.length <= 63, `pods of ${n}`);
    }
    assert.ok(n.length <= 253, `${o.kind} ${n}`);
  }
});

t.run();
