// The contract between the pod template and the scripts it runs: every environment variable
// files/scripts/start.sh and ready.sh read is set by the StatefulSets' kafka container (in at least
// one fixture), those start.sh requires are set in every render, and the template sets no
// KAFKA_HA_* variable that no script reads. A renamed variable on either side fails here instead
// of at a pod's first start.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chartDir, loadScenarios, render } from "../helpers/render.js";

interface Container {
  name: string;
  env?: { name: string }[];
}
interface StatefulSet {
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[] } } };
}

const SCRIPTS = ["start.sh", "ready.sh"];
const script = (name: string): string => readFileSync(join(chartDir, "files/scripts", name), "utf8");
/** The in-JVM readiness check runs in the Kafka JVM and reads the same environment (as string literals). */
const READINESS_SOURCE = "scripts/chart/readiness/KafkaHaReadinessReporter.java";
const readByJava = (text: string): Set<string> => new Set([...text.matchAll(/"(KAFKA_HA_[A-Z0-9_]+)"/g)].map((m) => m[1] ?? ""));

/** Variables of the chart's own namespace a script reads (KAFKA_HA_*, POD_NAME, CLUSTER_ID). */
const readBy = (text: string): Set<string> => new Set([...text.matchAll(/\$\{?(KAFKA_HA_[A-Z0-9_]+|POD_NAME|CLUSTER_ID)\b/g)].map((m) => m[1] ?? ""));

/** Read with a default and never set by the chart on purpose: hooks for tests and tuning. */
const HOOKS: Record<string, string> = {
  KAFKA_HA_POLL_SECONDS: "start.sh's pause between quorum look-ups (2 s); the start-script tests shorten it",
  KAFKA_HA_READY_HOST: "ready.sh's address of its own broker (localhost); the readiness tests point it at a fake",
  KAFKA_HA_READY_MAX_QUORUM_LAG: "ready.sh's caught-up bound for a controller (1,000 records), documented in its header",
  KAFKA_HA_READY_STATE_MAX_AGE: "how old an in-JVM verdict ready.sh still trusts (30 s); the readiness tests vary it",
};

/** The variables start.sh refuses to start without (its `for v in ...; do` check). */
const required = (): string[] => (/^for v in ([A-Z_ ]+); do$/m.exec(script("start.sh"))?.[1] ?? "").split(" ").filter(Boolean);

/** Environment variable names of the kafka container of every StatefulSet, per fixture. */
async function containerEnvs(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const [fixture, values] of loadScenarios()) {
    for (const sts of (await render(values)).ofKind("StatefulSet") as unknown as StatefulSet[]) {
      const kafka = sts.spec.template.spec.containers.find((c) => c.name === "kafka");
      assert.ok(kafka, `${fixture}: ${sts.metadata.name} has a kafka container`);
      out.set(`${fixture}/${sts.metadata.name}`, new Set((kafka.env ?? []).map((e) => e.name)));
    }
  }
  return out;
}

test("start.sh's required variables are found (the check this test reads still exists)", () => {
  assert.ok(required().length >= 8, `required: ${required().join(" ")}`);
});

test("what the scripts read is what the pod template sets", async () => {
  const envs = await containerEnvs();
  const setSomewhere = new Set([...envs.values()].flatMap((s) => [...s]));
  const read = new Set([...SCRIPTS.flatMap((s) => [...readBy(script(s))]), ...readByJava(readFileSync(join(chartDir, READINESS_SOURCE), "utf8"))]);
  for (const hook of Object.keys(HOOKS)) {
    assert.ok(read.has(hook), `${hook} is listed as a hook but no script reads it`);
    assert.not.ok(setSomewhere.has(hook), `${hook} is set by the chart: it is no longer a hook`);
  }
  const unset = [...read].filter((v) => !setSomewhere.has(v) && !(v in HOOKS));
  assert.equal(unset, [], "read by a script, set by no render");
  const unread = [...setSomewhere].filter((v) => v.startsWith("KAFKA_HA_") && !read.has(v));
  assert.equal(unread, [], "set by the template, read by no script");
  for (const [where, names] of envs) {
    const missing = required().filter((v) => !names.has(v));
    assert.equal(missing, [], `${where} lacks variables start.sh requires`);
  }
});

test("Kafka's ports are written once, in templates/_topology.tpl (the scripts get them from the environment)", () => {
  const files = [
    ...readdirSync(join(chartDir, "templates"))
      .filter((f) => f !== "_topology.tpl" && f !== "tests")
      .map((f) => join("templates", f)),
    ...readdirSync(join(chartDir, "templates/tests")).map((f) => join("templates/tests", f)),
    ...SCRIPTS.map((f) => join("files/scripts", f)),
  ];
  const literal = files.filter((f) => /\b909[2-6]\b/.test(readFileSync(join(chartDir, f), "utf8")));
  assert.equal(literal, [], "files with a Kafka port number written out");
});

test.run();
