// S14 scale brokers out 3 -> 5 -> S15 scale them back in 5 -> 3 (issue 10), each exactly as README
// "Scale" says: one `helm upgrade --set broker.replicas=N`, under live acks=all traffic; the chart's
// rebalance Jobs (templates/rebalance-job.yaml) move the replicas. One traffic session spans both.
// A ballast topic (about 40 MB) makes the copy last long enough, at the throttle S14 sets, for the
// new brokers to turn Ready while they still receive replicas. Balance is checked on the cluster's
// own metadata (test/helpers/balance.ts), not on what the Job says it did.
import * as assert from "uvu/assert";
import { execa } from "execa";
import { NAMESPACE, RELEASE, brokerPods, waitBrokersReady } from "../../scripts/env/release.js";
import { balance, replicasAdded } from "../helpers/balance.js";
import { type AdminProbe, type PartitionState, parseEndpointIds, partitionStates, reassignments, waitFullIsr } from "../helpers/kafka-admin.js";
import { every, sleep } from "../../scripts/lib/wait.js";
import {
  type Env,
  TOOL_ENV,
  ensureInstalled,
  execInBroker,
  kafkaTool,
  nodeZone,
  readinessFailures,
  toolBootstrap,
  updateRevision,
  upgradeRelease,
} from "./env.js";
import { RollWatch, type Window, assertStrict, log } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S14: Scenario = {
  id: "S14",
  name: "scale brokers out 3 -> 5",
  does: "helm upgrade --set broker.replicas=5 (replication throttled to 128 KiB/s per broker, so the copy of a 40 MB ballast topic outlasts the new brokers' start by a minute)",
  holds:
    "brokers 3 and 4 join and become Ready while they receive replicas, no broker turns unready during the copy, and no replica leaves an ISR but the ones being added; afterwards every topic's replicas are within one of even per zone and its leaders within one of even over the 5 brokers, every partition spans 3 zones, no throttle is left; 0 lost",
  procedure: "Scale (S14, S15)",
};

const S15: Scenario = {
  id: "S15",
  name: "scale brokers in 5 -> 3",
  does: "first a scale-in that cannot be done (a topic with 4 replicas), then helm upgrade --set broker.replicas=3",
  holds:
    "the impossible scale-in is refused naming the topic, with nothing changed; then no replica leaves an ISR but the ones being added, no replica is left on brokers 3 and 4 before their pods go, they are unregistered from the KRaft metadata, full ISR and balance over 0..2; over S14-S15: Java clients, their rules and 0 failed sends; kafkajs with its defaults, its rules",
  procedure: "Scale (S14, S15)",
};

const BALLAST = "scale-ballast";
// About 20 MB of ballast goes to each new broker: some two minutes at this rate (measured 111-125 s),
// while a new broker turns Ready some 20 s after it registered (a 13 s copy at 2 MiB/s was over before
// they were Ready). A copy that outlasts replica.lag.time.max.ms (30 s) by far is also what showed a
// finished partition's replica, still throttled, falling out of the ISR (README "Scale").
const S14_THROTTLE = 128 * 1024;

/** Broker id -> zone (the ordinal is the node id in combined mode). */
async function brokerZones(e: Env): Promise<Map<number, string>> {
  const zones = new Map<number, string>();
  for (const p of await brokerPods(e.kube.core)) zones.set(p.ordinal, await nodeZone(e, p.node));
  return zones;
}

/** Every topic's partitions, internal ones too. */
const allPartitions = (probe: AdminProbe): Promise<PartitionState[]> => partitionStates(probe);

/** The broker ids KRaft knows, fenced ones included (kafka-cluster.sh list-endpoints). */
async function registeredBrokers(e: Env): Promise<number[]> {
  const out = await execInBroker(
    e,
    `${RELEASE}-0`,
    `${TOOL_ENV} /opt/kafka/bin/kafka-cluster.sh list-endpoints --include-fenced-brokers --bootstrap-server ${toolBootstrap()}`,
  );
  return parseEndpointIds(out);
}

/** Dynamic broker and topic configs that still mention a replication throttle. */
async function leftoverThrottles(e: Env): Promise<string[]> {
  const brokers = await kafkaTool(e, `${RELEASE}-0`, "kafka-configs.sh", "--describe --entity-type brokers");
  const topics = await kafkaTool(e, `${RELEASE}-0`, "kafka-configs.sh", "--describe --entity-type topics");
  return `${brokers}\n${topics}`.split("\n").filter((l) => l.includes("replication.throttled"));
}

/**
 * Samples every second, while a rebalance runs: how many partitions Kafka is moving (when the copy
 * ran), and each replica outside its partition's ISR that is not one the move is adding (a replica
 * that fell behind: README "Scale" names the throttle trap this caught).
 */
function watchCopy(probe: AdminProbe): {
  stop: () => Promise<void>;
  spans: () => { first?: number; last?: number; most: number };
  outOfIsr: () => string[];
} {
  const seen: { time: number; moving: number }[] = [];
  const outside = new Map<string, number>();
  const sampling = every(1000, async () => {
    const states = await allPartitions(probe);
    const moving = await reassignments(probe);
    const adding = new Set(moving.flatMap((m) => m.adding.map((b) => `${m.topic}-${m.partition}:${b}`)));
    for (const p of states) {
      for (const b of p.replicas) {
        const replica = `${p.topic}-${p.partition}:${b}`;
        if (!p.isr.includes(b) && !adding.has(replica)) outside.set(replica, (outside.get(replica) ?? 0) + 1);
      }
    }
    seen.push({ time: Date.now(), moving: moving.length });
  });
  return {
    stop: () => sampling.stop(),
    spans: () => {
      const busy = seen.filter((s) => s.moving > 0);
      return { first: busy[0]?.time, last: busy.at(-1)?.time, most: Math.max(0, ...busy.map((s) => s.moving)) };
    },
    // Seen in 3 samples (about a second apart) or more: one can fall between a move's completion and the list.
    outOfIsr: () => [...outside].filter(([, n]) => n >= 3).map(([replica, n]) => `${replica} x${n}`),
  };
}

async function scaleTo(e: Env, replicas: number, values: Record<string, unknown> = {}): Promise<number> {
  const started = Date.now();
  await upgradeRelease(e, { ...values, broker: { replicas } }, { timeoutMs: 900000 });
  return Date.now() - started;
}

async function statefulSetReplicas(e: Env): Promise<number> {
  const sts = await e.kube.apps.readNamespacedStatefulSet({ name: RELEASE, namespace: NAMESPACE });
  return sts.spec?.replicas ?? -1;
}

/** Records the balance figures and fails on any problem. */
async function assertBalanced(e: Env, w: Window, probe: AdminProbe, label: string): Promise<PartitionState[]> {
  const states = await allPartitions(probe);
  const { perTopic, problems } = balance(states, await brokerZones(e));
  w.fact(
    `${label}BalancePerTopic`,
    Object.entries(perTopic)
      .map(([t, v]) => `${t} ${v}`)
      .join("; "),
  );
  assert.equal(problems, [], `${label}: the partitions are not balanced (broker:replicas/leaders per topic in the report)`);
  return states;
}

export default scenarioFile(import.meta.url, [S14, S15], (test, run) => {
  const scenario = sharedSession(test, run, S14, {
    javaClients: true,
    kafkajsDefaults: true,
    setUp: writeBallast,
    // Later scenarios find the release as they expect it: three brokers, no ballast to re-replicate.
    tearDown: (e) =>
      kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", `--delete --if-exists --topic ${BALLAST}`).then(
        () => undefined,
        (err: unknown) => log(`S15: ballast not deleted: ${String(err)}`),
      ),
  });

  /** Data at rest besides the traffic's, so the rebalance Jobs move real volume (40 MB). */
  async function writeBallast(e: Env): Promise<void> {
    await ensureInstalled(e);
    log(`S14: ballast topic ${BALLAST} (6 partitions, 40,000 records of 1 KiB)`);
    await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", `--create --if-not-exists --topic ${BALLAST} --partitions 6 --replication-factor 3`);
    await execInBroker(
      e,
      `${RELEASE}-0`,
      `${TOOL_ENV} /opt/kafka/bin/kafka-producer-perf-test.sh --topic ${BALLAST} --num-records 40000 --record-size 1024 --throughput -1 --producer.config /opt/kafka-ha/run/client.properties --producer-props bootstrap.servers=${RELEASE}:9092 acks=all`,
      300000,
    );
  }

  scenario(S14, async (w, s, e) => {
    await sleep(10000);
    const before = await allPartitions(s.probe);
    const roll = await RollWatch.start(e, 5);
    const copy = watchCopy(s.probe);
    try {
      const revisionBefore = await updateRevision(e);
      const at = w.mark("helm upgrade --set broker.replicas=5", { fault: true });
      const upgradeMs = await scaleTo(e, 5, { rebalance: { throttleBytesPerSecond: S14_THROTTLE } });
      w.mark(`helm upgrade returned after its rebalance Job (${(upgradeMs / 1000).toFixed(0)}s)`);
      w.fact("operationSeconds", Math.round(upgradeMs / 1000));
      assert.is(await updateRevision(e), revisionBefore, "a scale-out changes no pod template: the running brokers are not restarted");
      await waitBrokersReady(e.kube.core, { count: 5, timeoutMs: 300000 });
      w.mark(`full ISR (${((await waitFullIsr(s.probe, 300000)) / 1000).toFixed(0)}s after)`);
      await sleep(5000);
      await Promise.all([roll.stop(), copy.stop()]);

      const c = copy.spans();
      assert.ok(c.first !== undefined && c.last !== undefined, "no partition reassignment was seen: the rebalance Job moved nothing");
      w.fact("copySeconds", Math.round((c.last - c.first) / 1000) + 1);
      w.fact("mostPartitionsMovingAtOnce", c.most);
      const outOfIsr = copy.outOfIsr();
      w.fact("replicasOutOfIsrOutsideMoves", outOfIsr.join(" ") || "none");
      const allReady = roll.allReadyAt(at);
      assert.ok(allReady !== undefined, "the five brokers were never all Ready");
      w.fact("allReadySecondsAfterUpgrade", Math.round((allReady - at) / 1000));
      // Receiving replicas must not keep a broker unready or make it unready: all five were Ready
      // while the copy still ran, and none turned unready after that.
      assert.ok(
        allReady <= c.last,
        `the copy ended ${Math.round((allReady - c.last) / 1000)}s before all five brokers were Ready: readiness during a copy was not exercised`,
      );
      const unready = roll.unreadySpans(allReady);
      const why = await Promise.all(unready.map(async (u) => `${u.pod} (${(await readinessFailures(e, u.pod).catch(() => [])).slice(-3).join("; ")})`));
      w.fact("unreadyAfterAllReady", unready.map((u) => `${u.pod}@+${Math.round((u.from - at) / 1000)}s..+${Math.round((u.to - at) / 1000)}s`).join(" "));
      assert.is(roll.maxNotReady(allReady), 0, `a broker turned unready after all five were Ready (while partitions were copied or after): ${why.join(", ")}`);
      assert.equal(roll.restarts(), [], "no running broker was restarted by the scale-out");
      assert.equal(outOfIsr, [], "no replica left an ISR while the copy ran, but for the ones being added (replica x samples)");

      const after = await assertBalanced(e, w, s.probe, "afterScaleOut");
      const moved = replicasAdded(before, after);
      w.fact("replicasMoved", moved.replicas);
      w.fact("partitionsMoved", `${moved.partitions} of ${after.length}`);
      assert.equal(await leftoverThrottles(e), [], "the rebalance removed its replication throttles");

      const { check } = await w.finish();
      assertStrict(check);
      // Not assertReadyMeansInIsr: a new broker is Ready by design while it is still outside the
      // ISR of the partitions it receives (README "Readiness"); the assertions above are that rule.
    } finally {
      await Promise.all([roll.stop(), copy.stop()]);
    }
  });

  scenario(S15, async (w, s, e) => {
    await sleep(10000);
    // 1. A scale-in that cannot be done: 4 replicas do not fit on 3 brokers.
    await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", "--create --topic s15-four-replicas --partitions 1 --replication-factor 4");
    const layoutBefore = await allPartitions(s.probe);
    w.mark("helm upgrade --set broker.replicas=3 with a 4-replica topic (must be refused)", { fault: true });
    const refused = await scaleTo(e, 3).then(
      () => undefined,
      (err: unknown) => String(err),
    );
    assert.ok(refused !== undefined, "the scale-in with a 4-replica topic was not refused");
    const jobLog = (await execa(e.kubectl, ["--kubeconfig", e.kubeconfig, "-n", NAMESPACE, "logs", `job/${RELEASE}-rebalance-before`], { reject: false }))
      .stdout;
    w.fact("refusal", jobLog.split("\n").find((l) => l.includes("refused")) ?? refused.slice(0, 300));
    assert.match(jobLog, /refused: 3 brokers cannot hold topic s15-four-replicas \(4 replicas\)/);
    assert.match(refused, /pre-upgrade hooks failed/);
    assert.is(await statefulSetReplicas(e), 5, "the refused scale-in left the StatefulSet at 5 brokers");
    assert.is(replicasAdded(layoutBefore, await allPartitions(s.probe)).replicas, 0, "the refused scale-in moved nothing");
    await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", "--delete --topic s15-four-replicas");
    w.mark("refused as it must be; topic s15-four-replicas deleted");

    // 2. The scale-in.
    const before = await allPartitions(s.probe);
    const copy = watchCopy(s.probe);
    let pods3and4GoneAt: number | undefined;
    const podWatch = every(1000, async () => {
      const names = (await brokerPods(e.kube.core)).map((p) => p.name);
      if (pods3and4GoneAt === undefined && !names.includes(`${RELEASE}-3`) && !names.includes(`${RELEASE}-4`)) pods3and4GoneAt = Date.now();
    });
    try {
      const at = w.mark("helm upgrade --set broker.replicas=3", { fault: true });
      const upgradeMs = await scaleTo(e, 3);
      w.mark(`helm upgrade returned after both rebalance Jobs (${(upgradeMs / 1000).toFixed(0)}s)`);
      w.fact("operationSeconds", Math.round(upgradeMs / 1000));
      await waitBrokersReady(e.kube.core, { count: 3, timeoutMs: 300000 });
      await sleep(3000);
      await Promise.all([copy.stop(), podWatch.stop()]);
      const c = copy.spans();
      assert.ok(c.first !== undefined && c.last !== undefined, "no partition reassignment was seen before the scale-in");
      assert.ok(pods3and4GoneAt !== undefined, "pods 3 and 4 are still there");
      w.fact("copySeconds", Math.round((c.last - c.first) / 1000) + 1);
      const outOfIsr = copy.outOfIsr();
      w.fact("replicasOutOfIsrOutsideMoves", outOfIsr.join(" ") || "none");
      w.fact("podsGoneSecondsAfterUpgrade", Math.round((pods3and4GoneAt - at) / 1000));
      assert.ok(c.last < pods3and4GoneAt, "the replicas were moved off brokers 3 and 4 before their pods went");
      assert.equal(outOfIsr, [], "no replica left an ISR while the copy ran, but for the ones being added (replica x samples)");
      assert.is(await statefulSetReplicas(e), 3);
      const registered = await registeredBrokers(e);
      w.fact("registeredBrokers", registered.join(","));
      assert.equal(registered, [0, 1, 2], "brokers 3 and 4 are unregistered from the KRaft metadata");
      w.mark(`full ISR (${((await waitFullIsr(s.probe, 300000)) / 1000).toFixed(0)}s after)`);
      const after = await assertBalanced(e, w, s.probe, "afterScaleIn");
      const moved = replicasAdded(before, after);
      w.fact("replicasMoved", moved.replicas);
      w.fact("partitionsMoved", `${moved.partitions} of ${after.length}`);
      assert.equal(await leftoverThrottles(e), [], "the rebalance removed its replication throttles");

      // Both operations are graceful: the Java client's own retries must carry every send through them.
      await w.finishWithClients({ noFailedSends: true });
    } finally {
      await Promise.all([copy.stop(), podWatch.stop()]);
    }
  });
});
