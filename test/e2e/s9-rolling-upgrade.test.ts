// S9 rolling restart: `helm upgrade` changes a broker setting; the checksum annotation rolls the
// StatefulSet. Sampled every second: no partition under min ISR, never more than one broker
// unready; and no acks=all send fails during the whole roll.
// Then two checks of day-2 operations on the same release: a throttled partition reassignment onto a
// broker keeps that broker Ready for the whole move (ready.sh), and an upgrade the chart refuses
// (switching controller.dedicated, found by lookup of the running StatefulSet) leaves the release as it was.
import * as assert from "uvu/assert";
import { helmExec } from "../../scripts/lib/helm.js";
import { log } from "../helpers/log.js";
import { NAMESPACE, RELEASE, brokerPods } from "../../scripts/env/release.js";
import { longestGap, underMinIsrSamples } from "../helpers/checker.js";
import { waitFullIsr } from "../helpers/kafka-admin.js";
import { every, sleep, waitFor } from "../../scripts/lib/wait.js";
import { assertUnderReplicatedMetric, watchUnderReplicated } from "../helpers/metrics.js";
import {
  env,
  execInBroker,
  kafkaTool,
  passesHelmTest,
  podName,
  rollWithConfigChange,
  storedClusterId,
  updateRevision,
  waitRolled,
  upgradeRelease,
} from "./env.js";
import { assertJavaClients } from "../helpers/java-clients.js";
import { assertKafkajsDefaults } from "../helpers/kafkajs-defaults.js";
import { RollWatch, assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S9: Scenario = {
  id: "S9",
  name: "rolling restart",
  does: "changes a broker setting with helm upgrade so the StatefulSet rolls; then a throttled reassignment onto a broker and a refused upgrade",
  holds:
    "the cluster id Secret kept; every pod replaced, highest ordinal first, each next one only after the previous was Ready again (= in every ISR, asserted); never more than one broker unready; the brokers' under-replicated metric (every pod's /metrics) rises during the roll and is 0 on every broker after it; no ISR sample under min ISR, none failed, no gap between samples over 8 s; 0 failed sends; Java clients: their rules and 0 failed sends; kafkajs with its defaults: its rules; `helm test` passes after the roll; a broker receiving a reassignment stays Ready; an unsupported upgrade is refused and changes nothing",
  procedure: "Upgrade (S9)",
};

export default scenarioFile(import.meta.url, [S9], (test, run) => {
  const scenario = sharedSession(test, run, S9, { javaClients: true, kafkajsDefaults: true });

  scenario(S9, async (w, s, e) => {
    await sleep(10000);
    const roll = await RollWatch.start(e);
    const underReplicated = watchUnderReplicated(e.kube.core, NAMESPACE, async () => (await brokerPods(e.kube.core)).map((p) => p.name));
    try {
      const revisionBefore = await updateRevision(e);
      const idBefore = await storedClusterId(e);
      // A broker setting that changes nothing a client sees, different on every run.
      const value = String(300000 + run * 1000 + (Date.now() % 1000));
      const upgradeAt = w.mark(`helm upgrade: config.log.retention.check.interval.ms=${value}`, { fault: true });
      await rollWithConfigChange(e, value);

      const rolledMs = await waitRolled(e, revisionBefore, upgradeAt);
      w.mark(`rollout complete (${(rolledMs / 1000).toFixed(0)}s)`);
      assert.is(await storedClusterId(e), idBefore, "the upgrade kept the cluster id Secret");
      const isrMs = await waitFullIsr(s.probe, 300000);
      w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after the rollout)`);
      // The metrics tell an operator the same story: under-replicated while a broker restarts, 0 after.
      assertUnderReplicatedMetric(w, await underReplicated.finish());
      w.fact("helmTestAfterRollSeconds", Math.round((await passesHelmTest(e)) / 1000));
      await sleep(10000);
      await roll.stop();
      const restarts = roll.restarts();
      for (const r of restarts) w.mark(`${r.pod} replaced`, {});
      w.fact("restartOrder", restarts.map((r) => `${r.pod}@+${((r.at - upgradeAt) / 1000).toFixed(0)}s`).join(" "));
      const maxNotReady = roll.maxNotReady(upgradeAt);
      // Only samples that got an answer vouch for the roll; failed probes are counted as samplerErrors.
      const isrSamples = s.sampler.samples.filter((x) => x.time >= upgradeAt && x.partitions > 0);
      const underMin = underMinIsrSamples(isrSamples);
      w.fact("podSamples", roll.count);
      w.fact("isrSamples", isrSamples.length);
      w.fact("maxBrokersNotReady", maxNotReady);
      w.fact("samplesUnderMinIsr", underMin.length);
      const samplerErrors = s.sampler.errors.filter((x) => Date.parse(x.slice(0, 24)) >= upgradeAt);
      w.fact("samplerErrors", samplerErrors.length);
      const sampleGap = longestGap(
        isrSamples.map((x) => x.time),
        upgradeAt,
        Date.now() - 10000,
      );
      w.fact("longestIsrSampleGapSeconds", Number((sampleGap.ms / 1000).toFixed(1)));

      const { check, run: result, java, kafkajsDefaults } = await w.finish({ stopTraffic: true });
      assertStrict(check);
      w.assertReadyMeansInIsr(3);
      roll.assertOneAtATime(s.readyTransitions, upgradeAt);
      // Every second of the roll is vouched for: no failed ISR sample, no gap over 8 s (a sample
      // through a restarting broker's address waits up to 4 s before trying the next address).
      assert.equal(samplerErrors, [], "ISR samples failed during the roll");
      assert.ok(sampleGap.ms <= 8000, `no ISR sample for ${(sampleGap.ms / 1000).toFixed(1)}s from ${new Date(sampleGap.from).toISOString()}`);
      assert.equal(
        underMin.slice(0, 3).map((x) => ({ ...x, time: new Date(x.time).toISOString() })),
        [],
        `${underMin.length} samples had a partition under min ISR or offline`,
      );
      assert.is(result.failedSends, 0, `acks=all sends failed during the roll: ${String(result.facts.firstFailure ?? "")}`);
      assertJavaClients(java, { noFailedSends: true });
      assertKafkajsDefaults(kafkajsDefaults);
    } finally {
      await roll.stop();
      await underReplicated.stop();
    }
  });

  test("reassignment: a broker that receives partitions stays Ready for the whole move", async () => {
    const e = await env();
    const topic = `reassign-r${run}-${Date.now()}`;
    const receiver = podName(2);
    // Three partitions on brokers 0 and 1 only, 60 MB of 1 KB records.
    await kafkaTool(e, podName(0), "kafka-topics.sh", `--create --topic ${topic} --replica-assignment 0:1,1:0,0:1`);
    await execInBroker(
      e,
      podName(0),
      `yes "$(head -c 1000 /dev/zero | tr '\\0' x)" | head -n 60000 | KAFKA_HEAP_OPTS=-Xmx256m /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server ${RELEASE}:9092 --topic ${topic} --producer-property acks=all --producer-property linger.ms=20 --producer-property batch.size=524288`,
      300000,
    );
    // Broker 2 receives all three: 0,1 -> 2,1 (replaces 0), 1,0 -> 1,0,2 (one more replica), 0,1 -> 1,2.
    const plan = JSON.stringify({
      version: 1,
      partitions: [
        [2, 1],
        [1, 0, 2],
        [1, 2],
      ].map((replicas, partition) => ({ topic, partition, replicas })),
    });
    await execInBroker(e, podName(0), `echo '${plan}' > /tmp/plan.json`);
    const startedAt = Date.now();
    // 1 MB/s: the copy of 60 MB takes about a minute, several probe periods and cache periods.
    await kafkaTool(e, podName(0), "kafka-reassign-partitions.sh", "--reassignment-json-file /tmp/plan.json --execute --throttle 1000000");
    const samples: boolean[] = [];
    const sampling = every(1000, async () => {
      const pod = (await brokerPods(e.kube.core)).find((p) => p.name === receiver);
      if (pod) samples.push(pod.ready);
    });
    let probedWhileCopying = "";
    try {
      // While broker 2 is an adding replica outside the ISR, its own readiness check (cache removed) passes.
      await waitFor(
        async () => {
          const describe = await kafkaTool(e, podName(0), "kafka-topics.sh", `--describe --topic ${topic}`);
          const copying = describe.split("\n").find((l) => /Adding Replicas: [0-9,]*\b2\b/.test(l) && !/\tIsr: [0-9,]*\b2\b/.test(l));
          if (!copying) return undefined;
          const out = await execInBroker(e, receiver, 'rm -f "$KAFKA_HA_RUN_DIR/ready.ok"; bash /opt/kafka-ha/scripts/ready.sh; echo "ready.sh: exit $?"');
          return (probedWhileCopying = `${copying.trim().replace(/\s+/g, " ")} => ${out.trim().replace(/\n/g, " ")}`);
        },
        { what: `broker 2 copying a partition of ${topic}`, timeoutMs: 120000, intervalMs: 2000 },
      );
      const movedMs = await waitFor(
        async () => {
          const out = await kafkaTool(e, podName(0), "kafka-reassign-partitions.sh", "--reassignment-json-file /tmp/plan.json --verify");
          return /still in progress/.test(out) ? undefined : Date.now() - startedAt;
        },
        { what: `the reassignment of ${topic}`, timeoutMs: 600000, intervalMs: 3000 },
      );
      await sampling.stop();
      const unready = samples.filter((r) => !r).length;
      log(
        `reassignment onto broker 2: ${(movedMs / 1000).toFixed(0)} s for 60 MB at 1 MB/s; ${receiver} Ready in ${samples.length - unready} of ${samples.length} samples (1/s)`,
      );
      log(`during the copy: ${probedWhileCopying}`);
      assert.match(probedWhileCopying, /ready\.sh: exit 0$/, "the receiving broker's own check passed while it was outside the ISR");
      assert.ok(movedMs > 20000, `the move took ${movedMs} ms: too short to span several readiness periods`);
      assert.ok(samples.length >= movedMs / 2000, `too few samples (${samples.length})`);
      assert.is(unready, 0, `${receiver} was unready in ${unready} of ${samples.length} samples during the move`);
    } finally {
      await sampling.stop();
      await kafkaTool(e, podName(0), "kafka-topics.sh", `--delete --topic ${topic}`).catch((err: unknown) => log(`deleting ${topic}: ${String(err)}`));
    }
  });

  test("upgrade checks: switching controller.dedicated on the running release is refused, nothing changes", async () => {
    const e = await env();
    const revision = async (): Promise<number> =>
      (JSON.parse((await helmExec(["status", RELEASE, "-n", NAMESPACE, "-o", "json"], { kubeconfig: e.kubeconfig })).stdout) as { version: number }).version;
    const generation = async (): Promise<number | undefined> =>
      (await e.kube.apps.readNamespacedStatefulSet({ name: RELEASE, namespace: NAMESPACE })).metadata?.generation;
    const before = { revision: await revision(), generation: await generation() };
    const refused = await upgradeRelease(e, { controller: { dedicated: true } }).then(
      () => "",
      (err: unknown) => String(err),
    );
    log(`refused upgrade: ${refused.split("\n").find((l) => l.includes("kafka-ha: ")) ?? refused}`);
    assert.match(refused, /upgrade refused \(checked against the running release\)/);
    assert.match(refused, /controller\.dedicated=true on a release that runs in combined mode \(StatefulSet kafka-ha\) is not supported/);
    assert.equal({ revision: await revision(), generation: await generation() }, before, "release revision and StatefulSet unchanged");
    const sets = await e.kube.apps.listNamespacedStatefulSet({ namespace: NAMESPACE });
    assert.equal(
      sets.items.map((x) => x.metadata?.name),
      [RELEASE],
      "no controller StatefulSet created",
    );
  });
});
