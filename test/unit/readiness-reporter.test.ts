// The in-JVM readiness check as the chart wires it (README "What you get", readiness): Kafka starts
// KafkaHaReadinessReporter from metric.reporters, loads it from the CLASSPATH the pod sets, out of the
// scripts ConfigMap. Its behaviour runs in the HA suite (S1 measures its cost, S2 and S9 pace on it);
// ready.sh's reading of its verdict is in ready-script.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { render } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are read structurally */
type Obj = any;

const JMX = "org.apache.kafka.common.metrics.JmxReporter";
async function wiring(values: KafkaHaValues = {}) {
  const r = await render(values);
  const props: string = r.get<Obj>("ConfigMap", "kafka-ha-config").data["server.properties"];
  const pod = r.get<Obj>("StatefulSet", "kafka-ha").spec.template.spec;
  const kafka = pod.containers.find((c: Obj) => c.name === "kafka");
  const scripts = pod.volumes.find((v: Obj) => v.name === "scripts").configMap.items.map((i: Obj) => i.path);
  return {
    reporters: props.split("\n").filter((l) => l.startsWith("metric.reporters=")),
    classpath: kafka.env.find((e: Obj) => e.name === "CLASSPATH")?.value,
    scripts,
    shipped: Object.keys(r.get<Obj>("ConfigMap", "kafka-ha-scripts").binaryData),
  };
}

test("default: Kafka's JmxReporter kept (4.x lists it only when metric.reporters names it), then the readiness check, loaded from the scripts volume", async () => {
  const w = await wiring();
  assert.equal(w.reporters, [`metric.reporters=${JMX},KafkaHaReadinessReporter`]);
  assert.is(w.classpath, "/opt/kafka-ha/scripts/readiness");
  assert.ok(w.scripts.includes("readiness/KafkaHaReadinessReporter.class"));
  assert.ok(w.shipped.includes("KafkaHaReadinessReporter.class"));
});

test("the user's metric.reporters replace Kafka's default and keep the readiness check after them; an empty one leaves it alone", async () => {
  const w = await wiring({ config: { "metric.reporters": "com.linkedin.kafka.cruisecontrol.metricsreporter.CruiseControlMetricsReporter" } });
  assert.equal(w.reporters, ["metric.reporters=com.linkedin.kafka.cruisecontrol.metricsreporter.CruiseControlMetricsReporter,KafkaHaReadinessReporter"]);
  assert.equal((await wiring({ config: { "metric.reporters": "" } })).reporters, ["metric.reporters=KafkaHaReadinessReporter"]);
});

test("isrCheck=false: no readiness check in the JVM, no CLASSPATH; Kafka's default stays", async () => {
  const w = await wiring({ probes: { readiness: { isrCheck: false } } });
  assert.equal(w.reporters, [`metric.reporters=${JMX}`]);
  assert.is(w.classpath, undefined);
});

test.run();
