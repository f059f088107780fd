// The metrics contract (issue 11, README "Metrics and alerts"): the JMX exporter rules
// (files/metrics/jmx-exporter.yaml) name the series, and the alerts (files/metrics/alerts.yaml, as
// the PrometheusRule renders them) and the Grafana dashboard (files/metrics/dashboard.json, as its
// ConfigMap renders it) use only those names. The rendered rules go through promtool (built by
// scripts/tools.sh from versions.json `prometheus`): `check rules`, then `test rules` with the unit
// tests of test/unit/alerts/, which give every alert input series and expected alerts, negative
// cases included, for release kafka-ha in namespace kafka.
import { EXPORTED_SERIES } from "../helpers/metrics.js";
import { toolPath } from "../../scripts/lib/tools.js";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { parse, stringify } from "yaml";
import { chartDir, helmTemplate, parseManifests, type K8sObject } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

const t = suite("metrics: exporter rules, alerts, dashboard");

const API = ["--api-versions", "monitoring.coreos.com/v1/PrometheusRule"];
const NAMESPACE = "kafka"; // helmTemplate's namespace
const JOB = "kafka-ha-metrics"; // <fullname>-metrics of release kafka-ha
const ON: KafkaHaValues = {
  metrics: { enabled: true, image: { repository: "example.org/jmx-exporter" }, prometheusRule: { enabled: true }, dashboard: { enabled: true } },
};

/** Series from elsewhere: Prometheus' own up of each target, and the kubelet's volume statistics. */
const EXTERNAL_SERIES = ["up", "kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes"];

interface ExporterRule {
  pattern: string;
  name?: string;
  type?: string;
  labels?: Record<string, string>;
}
interface ExporterConfig {
  lowercaseOutputName?: boolean;
  includeObjectNames?: string[];
  whitelistObjectNames?: string[];
  rules: ExporterRule[];
}
interface RuleGroup {
  name: string;
  rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
}
interface PrometheusRule extends K8sObject {
  spec: { groups: RuleGroup[] };
}
interface Panel {
  type: string;
  id: number;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { type: string; uid: string } }[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; current?: { value?: string } }[] };
}

const exporter = parse(readFileSync(join(chartDir, "files/metrics/jmx-exporter.yaml"), "utf8")) as ExporterConfig;

/** The names the rules yield: each rule's literal name, with the _total client_java gives a counter. */
function exporterNames(): Set<string> {
  const names = new Set<string>();
  for (const r of exporter.rules) {
    assert.ok(r.name, `rule ${r.pattern} has no name: the default names depend on the MBean, so every rule names its metric`);
    assert.not.match(r.name, /\$/, `rule ${r.pattern}: a name with a capture group is not a fixed set of names`);
    assert.match(r.name, /^kafka_[a-z0-9_]+$/, `rule ${r.pattern}: names are kafka_ and lower case`);
    assert.not.match(r.name, /_total$/, `rule ${r.pattern}: the agent adds _total to a COUNTER; a name ending in it is refused by client_java`);
    names.add(r.type === "COUNTER" ? `${r.name}_total` : r.name);
  }
  return names;
}

/**
 * The metric names of a PromQL expression. Strings, label matchers, ranges and grouping clauses are
 * dropped; what is left is identifiers, and those not followed by "(" (functions, aggregations) and
 * not keywords are metric names.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const keywords = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan"]);
  return [...bare.matchAll(/(?<![\w$:.])[a-zA-Z_:][\w:]*/g)]
    .filter((m) => !/^\s*\(/.test(bare.slice((m.index ?? 0) + m[0].length)))
    .map((m) => m[0])
    .filter((n) => !keywords.has(n.toLowerCase()));
}

/** Each selector of the expression: its metric name and its label matchers' text. */
function selectors(expr: string): { name: string; matchers: string }[] {
  return [...expr.matchAll(/(?<![\w$:.])([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g)].map((m) => ({ name: m[1] ?? "", matchers: m[2] ?? "" }));
}

/**
 * Renders that must not produce the object: either the render succeeds without it, or the chart
 * refuses the values with a message naming `key` (metrics.enabled=false with a part of it enabled).
 */
async function absentOrRefused(values: KafkaHaValues, extra: string[], select: (o: K8sObject[]) => K8sObject[], key: string): Promise<void> {
  const r = await helmTemplate(values, extra);
  if (r.ok) assert.is(select(parseManifests(r.stdout)).length, 0, `${key}: nothing rendered`);
  else assert.match(r.stderr, key, `the refusal names ${key}`);
}

async function renderObjects(values: KafkaHaValues, extra: string[] = [], release?: string): Promise<K8sObject[]> {
  const r = await helmTemplate(values, extra, release ? { release } : {});
  if (!r.ok) throw new Error(`helm template failed:\n${r.stderr}`);
  return parseManifests(r.stdout);
}
const prometheusRules = (objects: K8sObject[]): PrometheusRule[] => objects.filter((o) => o.kind === "PrometheusRule") as PrometheusRule[];
const dashboards = (objects: K8sObject[]): K8sObject[] => objects.filter((o) => o.kind === "ConfigMap" && o.metadata.name.endsWith("-dashboard"));

const promtool = (): Promise<string> => toolPath("promtool");

t("the exporter rules: lower-case names, only the MBeans they use, every name seen on a live broker", () => {
  assert.is(exporter.lowercaseOutputName, true);
  assert.is(exporter.whitelistObjectNames, undefined, "1.x reads includeObjectNames");
  const include = exporter.includeObjectNames ?? [];
  assert.ok(include.length > 0, "includeObjectNames restricts the MBeans the agent reads");
  for (const o of include) assert.not.match(o, /^[^:]*\*|:\*$/, `${o}: a whole domain would read every MBean of it`);
  const derived = [...exporterNames()].sort();
  const live = EXPORTED_SERIES.filter((n) => n.startsWith("kafka_")).sort();
  assert.equal(derived, live, "the rules' names are the ones validated on a live broker (EXPORTED_SERIES)");
  // Per partition: only kafka_log_log_size (the top comment of the rules explains why).
  const perPartition = exporter.rules.filter((r) => Object.keys(r.labels ?? {}).includes("partition")).map((r) => r.name);
  assert.equal(perPartition, ["kafka_log_log_size"]);
});

t("the PrometheusRule: rendered with metrics, the rule and the API; scoped to the release; promtool check and test pass", async () => {
  const objects = await renderObjects({ ...ON, metrics: { ...ON.metrics, prometheusRule: { enabled: true, labels: { release: "prometheus" } } } }, API);
  const [rule, ...more] = prometheusRules(objects);
  assert.ok(rule, "a PrometheusRule is rendered");
  assert.is(more.length, 0);
  assert.is(rule.metadata.name, "kafka-ha");
  assert.is(rule.metadata.labels?.["release"], "prometheus", "metrics.prometheusRule.labels");
  assert.is(rule.metadata.labels?.["app.kubernetes.io/instance"], "kafka-ha");

  const text = stringify(rule.spec);
  assert.not.match(text, /__[A-Z_]+__/, "every placeholder is replaced");
  const alerts = rule.spec.groups.flatMap((g) => g.rules);
  const names = alerts.map((a) => a.alert).sort();
  assert.equal(names, [
    "KafkaBrokerDown",
    "KafkaDiskNearlyFull",
    "KafkaNoActiveController",
    "KafkaOfflinePartitions",
    "KafkaQuorumFollowerLag",
    "KafkaSeveralActiveControllers",
    "KafkaUnderMinIsrPartitions",
    "KafkaUnderReplicatedPartitions",
  ]);
  const known = new Set([...exporterNames(), ...EXPORTED_SERIES, ...EXTERNAL_SERIES]);
  for (const a of alerts) {
    assert.ok(["critical", "warning"].includes(a.labels?.["severity"] ?? ""), `${a.alert}: severity`);
    for (const k of ["summary", "description", "runbook"]) assert.ok(a.annotations?.[k], `${a.alert}: annotation ${k}`);
    for (const n of metricNames(a.expr)) assert.ok(known.has(n), `${a.alert} uses ${n}, which neither the exporter rules nor Prometheus/kubelet produce`);
    const sel = selectors(a.expr);
    assert.is(sel.length, metricNames(a.expr).length, `${a.alert}: every metric has a selector`);
    for (const s of sel) {
      assert.match(s.matchers, `namespace="${NAMESPACE}"`, `${a.alert}: ${s.name} is scoped to the namespace`);
      if (s.name.startsWith("kubelet_")) assert.match(s.matchers, 'persistentvolumeclaim=~"data-(kafka-ha)-[0-9]+"', `${a.alert}: the release's data claims`);
      else assert.match(s.matchers, `job="${JOB}"`, `${a.alert}: ${s.name} is scoped to the release's job`);
    }
  }
  assert.match(text, /activebrokercount\{[^}]*\}\) < 3/, "KafkaBrokerDown compares with broker.replicas");

  const bin = await promtool();
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-alerts-"));
  try {
    writeFileSync(join(dir, "rules.yaml"), text);
    const labelsOnly = structuredClone(rule.spec);
    for (const g of labelsOnly.groups) for (const r of g.rules) delete r.annotations;
    writeFileSync(join(dir, "rules.labels-only.yaml"), stringify(labelsOnly));
    const check = await execa(bin, ["check", "rules", "rules.yaml"], { cwd: dir, reject: false, all: true });
    assert.is(check.exitCode, 0, `promtool check rules:\n${check.all}`);
    assert.match(check.all ?? "", "SUCCESS: 8 rules found");

    const tests = readdirSync(join(chartDir, "test/unit/alerts")).filter((f) => f.endsWith(".yaml"));
    assert.ok(tests.length >= 4);
    for (const f of tests) cpSync(join(chartDir, "test/unit/alerts", f), join(dir, f));
    // every alert has a positive and a negative case
    const cases = tests.flatMap((f) => {
      const doc = parse(readFileSync(join(dir, f), "utf8")) as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
      return doc.tests.flatMap((g) => g.alert_rule_test);
    });
    for (const n of names) {
      assert.ok(
        cases.some((c) => c.alertname === n && c.exp_alerts.length > 0),
        `${n} has a test where it fires`,
      );
      assert.ok(
        cases.some((c) => c.alertname === n && c.exp_alerts.length === 0),
        `${n} has a test where it does not`,
      );
    }
    const run = await execa(bin, ["test", "rules", ...tests], { cwd: dir, reject: false, all: true });
    assert.is(run.exitCode, 0, `promtool test rules:\n${run.all}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t("the PrometheusRule is not rendered without the monitoring.coreos.com/v1 API, nor without metrics or the rule enabled", async () => {
  assert.is(prometheusRules(await renderObjects(ON)).length, 0, "no PrometheusRule API");
  await absentOrRefused({ ...ON, metrics: { ...ON.metrics, enabled: false } }, API, prometheusRules, "metrics.prometheusRule.enabled");
  assert.is(
    prometheusRules(await renderObjects({ ...ON, metrics: { ...ON.metrics, prometheusRule: { enabled: false } } }, API)).length,
    0,
    "prometheusRule.enabled=false",
  );
  assert.is(prometheusRules(await renderObjects({}, API)).length, 0, "defaults");
});

t("dedicated controllers: the disk alert watches both StatefulSets' claims", async () => {
  const [rule] = prometheusRules(await renderObjects({ ...ON, controller: { dedicated: true } }, API));
  assert.ok(rule);
  const disk = rule.spec.groups.flatMap((g) => g.rules).find((r) => r.alert === "KafkaDiskNearlyFull");
  assert.match(disk?.expr ?? "", 'persistentvolumeclaim=~"data-(kafka-ha-controller|kafka-ha-broker)-[0-9]+"');
  const re = /^data-(kafka-ha-controller|kafka-ha-broker)-[0-9]+$/;
  for (const pvc of ["data-kafka-ha-controller-0", "data-kafka-ha-broker-4"]) assert.ok(re.test(pvc), pvc);
  for (const pvc of ["data-kafka-ha-0", "data-kafka-ha-broker-x"]) assert.not.ok(re.test(pvc), pvc);
});

t("the dashboard ConfigMap: valid JSON, this release's uid and defaults, only metric names the rules produce", async () => {
  const objects = await renderObjects(ON);
  const [cm, ...more] = dashboards(objects);
  assert.ok(cm, "the dashboard ConfigMap is rendered");
  assert.is(more.length, 0);
  assert.is(cm.metadata.name, "kafka-ha-dashboard");
  assert.is(cm.metadata.labels?.["grafana_dashboard"], "1", "metrics.dashboard.labels' default, the Grafana sidecar's label");
  const data = (cm as K8sObject & { data: Record<string, string> }).data;
  assert.equal(Object.keys(data), ["kafka-kafka-ha.json"], "one key, named after the release (the sidecar writes every key into one folder)");
  const d = JSON.parse(data["kafka-kafka-ha.json"] ?? "") as Dashboard;
  assert.is(d.schemaVersion, 39);
  assert.is(d.title, "Kafka kafka/kafka-ha");
  assert.match(d.uid, /^kafka-ha-[0-9a-f]{12}$/);
  assert.ok(d.uid.length <= 40, "Grafana uids have at most 40 characters");
  const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
  assert.is(vars["datasource"]?.type, "datasource");
  assert.is(vars["datasource"]?.query, "prometheus");
  assert.is(vars["namespace"]?.current?.value, NAMESPACE);
  assert.is(vars["job"]?.current?.value, JOB);

  // The same file as shipped: importable as it is.
  const file = JSON.parse(readFileSync(join(chartDir, "files/metrics/dashboard.json"), "utf8")) as Dashboard;
  assert.is(file.panels.length, d.panels.length);

  const known = new Set([...exporterNames(), ...EXPORTED_SERIES, ...EXTERNAL_SERIES]);
  const ids = new Set<number>();
  const used = new Set<string>();
  for (const p of d.panels) {
    assert.not.ok(ids.has(p.id), `panel id ${p.id} is unique`);
    ids.add(p.id);
    assert.ok(p.gridPos.x + p.gridPos.w <= 24, `${p.title} fits the grid`);
    if (p.type === "row") continue;
    assert.equal(p.datasource, { type: "prometheus", uid: "${datasource}" }, `${p.title}: the datasource variable`);
    assert.ok((p.targets ?? []).length > 0, `${p.title} has queries`);
    for (const target of p.targets ?? []) {
      const names = metricNames(target.expr);
      assert.ok(names.length > 0, `${p.title}: ${target.expr}`);
      for (const n of names) {
        assert.ok(known.has(n), `panel "${p.title}" uses ${n}, which neither the exporter rules nor Prometheus/kubelet produce`);
        used.add(n);
      }
      const sel = selectors(target.expr);
      assert.is(sel.length, names.length, `${p.title}: every metric has a selector`);
      for (const s of sel) {
        assert.match(s.matchers, 'namespace="$namespace"', `${p.title}: ${s.name} is scoped to the namespace variable`);
        if (!s.name.startsWith("kubelet_")) assert.match(s.matchers, 'job="$job"', `${p.title}: ${s.name} is scoped to the job variable`);
      }
    }
  }
  const rows = d.panels.filter((p) => p.type === "row").map((p) => p.title);
  assert.equal(rows, ["Cluster health", "Throughput", "Request latency", "Idle ratios", "KRaft quorum", "Storage", "JVM"]);
  for (const n of [
    "kafka_controller_kafkacontroller_activecontrollercount",
    "kafka_server_raft_metrics_high_watermark",
    "kafka_log_log_size",
    "jvm_memory_used_bytes",
  ]) {
    assert.ok(used.has(n), `the dashboard shows ${n}`);
  }
});

t("the dashboard ConfigMap: per release, labels from metrics.dashboard.labels, only with metrics and the dashboard enabled", async () => {
  const [other] = dashboards(await renderObjects({ ...ON, metrics: { ...ON.metrics, dashboard: { enabled: true, labels: { team: "data" } } } }, [], "orders"));
  assert.ok(other);
  assert.is(other.metadata.name, "orders-kafka-ha-dashboard");
  assert.equal(
    Object.fromEntries(Object.entries(other.metadata.labels ?? {}).filter(([k]) => !k.includes("/"))),
    { grafana_dashboard: "1", team: "data" },
    "the labels given join the default grafana_dashboard (Helm merges maps; grafana_dashboard: null drops it)",
  );
  const [mine] = dashboards(await renderObjects(ON));
  const uid = (cm: K8sObject | undefined): string =>
    (JSON.parse(Object.values((cm as K8sObject & { data: Record<string, string> }).data)[0] ?? "") as Dashboard).uid;
  assert.is.not(uid(other), uid(mine), "two releases' dashboards have their own uids");
  assert.is(dashboards(await renderObjects({ ...ON, metrics: { ...ON.metrics, dashboard: { enabled: false } } })).length, 0);
  await absentOrRefused({ ...ON, metrics: { ...ON.metrics, enabled: false } }, [], dashboards, "metrics.dashboard.enabled");
  assert.is(dashboards(await renderObjects({})).length, 0);
});

t("metricNames reads PromQL as the checks above need", () => {
  assert.equal(metricNames('sum by (topic) (rate(a_total{job="x", pvc=~"data-(b|c)-[0-9]+"}[$__rate_interval]))'), ["a_total"]);
  assert.equal(metricNames('max(x{a="1"}) - on (namespace, job) group_right y{b="2"} > 1000 and z'), ["x", "y", "z"]);
  assert.equal(metricNames('scalar(max(hw{a="$namespace"})) - leo{} offset 5m'), ["hw", "leo"]);
  assert.equal(selectors('up{namespace="kafka"} == 0 or foo').length, 1);
});

t.run();
