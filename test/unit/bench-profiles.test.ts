// The benchmark tier's profiles are values the chart accepts, and their settings land where Kafka
// reads them: examples/values-fast-failover.yaml (alone, and over the production overlay's dedicated
// controllers) and the tuned `config` of test/bench/profiles.ts, rendered with helm template. Also the
// client settings the fast profile documents in its comments, which the failover probe runs with.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { FAST_FAILOVER_VALUES, TUNED_CONFIG } from "../bench/profiles.js";
import { clientPropertiesFromComments } from "../bench/failover-probe.js";
import { probeClientProperties } from "../bench/failover.js";
import { type K8sObject, type Rendered, chartDir, helmTemplate, render } from "../helpers/render.js";

interface StatefulSet extends K8sObject {
  spec: { template: { spec: { volumes?: { configMap?: { name: string } }[] } } };
}

/** server.properties of every ConfigMap a StatefulSet mounts, per StatefulSet. */
function serverProperties(r: Rendered): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const sts of r.ofKind("StatefulSet") as StatefulSet[]) {
    const props = new Map<string, string>();
    for (const v of sts.spec.template.spec.volumes ?? []) {
      const cm = v.configMap ? (r.find("ConfigMap", v.configMap.name) as { data?: Record<string, string> } | undefined) : undefined;
      for (const line of (cm?.data?.["server.properties"] ?? "").split("\n")) {
        const m = /^([a-z][^=#]*)=(.*)$/.exec(line);
        if (m?.[1] !== undefined && m[2] !== undefined) props.set(m[1], m[2]);
      }
    }
    out.set(sts.metadata.name, props);
  }
  return out;
}

const FAST = parse(readFileSync(join(chartDir, FAST_FAILOVER_VALUES), "utf8")) as { config: Record<string, number> };

test("fast-failover: only broker.session.timeout.ms and broker.heartbeat.interval.ms, within Kafka's rule (heartbeat at most half the session)", () => {
  assert.equal(Object.keys(FAST).sort(), ["config"]);
  const session = FAST.config["broker.session.timeout.ms"];
  const heartbeat = FAST.config["broker.heartbeat.interval.ms"];
  assert.equal(Object.keys(FAST.config).sort(), ["broker.heartbeat.interval.ms", "broker.session.timeout.ms"]);
  assert.ok(session !== undefined && session < 9000, "shorter than Kafka's 9 s");
  assert.ok(heartbeat !== undefined && heartbeat * 2 <= session, "Kafka wants broker.heartbeat.interval.ms <= broker.session.timeout.ms / 2");
});

for (const [name, files] of [
  ["over the defaults (combined mode)", [FAST_FAILOVER_VALUES]],
  ["over the production overlay (dedicated controllers)", ["examples/values-production.yaml", FAST_FAILOVER_VALUES]],
] as const) {
  test(`fast-failover ${name}: the chart accepts it and every StatefulSet's server.properties has both settings`, async () => {
    const r = await render({}, { valueFiles: [...files] });
    const all = serverProperties(r);
    assert.ok(all.size >= (files.length > 1 ? 2 : 1), `StatefulSets: ${[...all.keys()].join(", ")}`);
    for (const [sts, props] of all) {
      assert.is(props.get("broker.session.timeout.ms"), "4000", `${sts}: broker.session.timeout.ms`);
      assert.is(props.get("broker.heartbeat.interval.ms"), "1000", `${sts}: broker.heartbeat.interval.ms`);
    }
  });
}

test("fast-failover: the documented client settings are the probe's, each key=value, and consistent with each other and the broker side", () => {
  const lines = clientPropertiesFromComments(readFileSync(join(chartDir, FAST_FAILOVER_VALUES), "utf8"));
  assert.equal(probeClientProperties("fast-failover"), lines);
  assert.equal(probeClientProperties("defaults"), [], "the defaults run sets nothing: the Java client's defaults");
  const props = new Map(lines.map((l) => [l.slice(0, l.indexOf("=")), Number(l.slice(l.indexOf("=") + 1))]));
  assert.equal(
    [...props.keys()],
    [
      "request.timeout.ms",
      "delivery.timeout.ms",
      "metadata.max.age.ms",
      "retry.backoff.ms",
      "retry.backoff.max.ms",
      "socket.connection.setup.timeout.ms",
      "socket.connection.setup.timeout.max.ms",
    ],
  );
  for (const [k, v] of props) assert.ok(Number.isInteger(v) && v > 0, `${k}=${v}`);
  const get = (k: string): number => props.get(k) ?? Number.NaN;
  // The Java producer refuses delivery.timeout.ms < linger.ms (default 5) + request.timeout.ms.
  assert.ok(get("delivery.timeout.ms") >= 5 + get("request.timeout.ms"));
  assert.ok(get("retry.backoff.max.ms") >= get("retry.backoff.ms"));
  assert.ok(get("socket.connection.setup.timeout.max.ms") >= get("socket.connection.setup.timeout.ms"));
  // A request to a dead leader is given up after the broker is fenced, so the refreshed metadata names the new leader.
  assert.ok(get("request.timeout.ms") > (FAST.config["broker.session.timeout.ms"] ?? Infinity));
});

test("the comment block parser: lines after '# client.properties:' up to the first other line", () => {
  const text = ["# intro", "# client.properties:", "#   a.b=1", "#   c.d.e=x", "#", "#   f=2", "config: {}"].join("\n");
  assert.equal(clientPropertiesFromComments(text), ["a.b=1", "c.d.e=x"]);
  assert.equal(clientPropertiesFromComments("config: {}\n"), []);
});

/** The keys of templates/_config.tpl's kafka-ha.managedKeys, which values.config may not set. */
function managedKeys(): string[] {
  const tpl = readFileSync(join(chartDir, "templates/_config.tpl"), "utf8");
  const block = /define "kafka-ha\.managedKeys" -}}\n([\s\S]*?)\{\{- end -}}/.exec(tpl)?.[1] ?? "";
  return block
    .split("\n")
    .map((l) => /^([a-z][a-z0-9._-]*):/.exec(l)?.[1])
    .filter((k): k is string => k !== undefined);
}

test("tuned: no key the chart manages, and every key lands in server.properties as written", async () => {
  const managed = managedKeys();
  assert.ok(managed.includes("log.dirs") && managed.includes("node.id"), `managed keys read from _config.tpl: ${managed.join(", ")}`);
  for (const k of Object.keys(TUNED_CONFIG)) assert.not.ok(managed.includes(k), `${k} is managed by the chart`);
  const r = await render({ config: TUNED_CONFIG });
  const props = serverProperties(r).get("kafka-ha");
  assert.ok(props, "StatefulSet kafka-ha");
  for (const [k, v] of Object.entries(TUNED_CONFIG)) assert.is(props.get(k), String(v), k);
});

test("what the tuned profile leaves out is refused by the chart (the reason given in profiles.ts)", async () => {
  for (const key of ["log.dirs", "advertised.listeners", "broker.id"]) {
    const r = await helmTemplate({ config: { ...TUNED_CONFIG, [key]: "x" } });
    assert.not.ok(r.ok, `${key} accepted`);
    assert.match(r.stderr, new RegExp(`config\\."${key.replace(/\./g, "\\.")}" is managed by the chart`));
  }
});

test.run();
