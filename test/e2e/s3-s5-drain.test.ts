// S3 node drained for maintenance -> S4 second drain refused -> S5 back to full strength.
// One traffic session spans the chain (with a broker Pending, no RF-3 topic could be created).
// The drains go through the Eviction API, so the PodDisruptionBudget is consulted for real.
import * as assert from "uvu/assert";
import { type BrokerPod, NAMESPACE, brokerPods, waitBrokersReady } from "../../scripts/env/release.js";
import { drain, uncordon } from "../helpers/faults.js";
import { partitionStates, partitionsWithoutLiveLeader, quorumProblems, waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { brokerOrdinals, leaderBroker, quorum, restoreNodes } from "./env.js";
import { assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S3: Scenario = {
  id: "S3",
  name: "node drained for maintenance",
  does: "drains the node of partition 0's leader through the Eviction API",
  holds:
    "the drain completes, nothing refused; the pod stays Pending; 2 Ready brokers; every partition has a live leader (the ordinary clients of the chain are checked in S5)",
  procedure: "Drain a node (S3, S4, S5)",
};

const S4: Scenario = {
  id: "S4",
  name: "second drain refused",
  does: "drains a second node while the first one is still cordoned",
  holds: "a second drain is refused by the PDB and the target broker keeps running, Ready",
  procedure: "Drain a node (S3, S4, S5)",
};

const S5: Scenario = {
  id: "S5",
  name: "back to full strength",
  does: "uncordons both nodes and waits for the Pending broker to come back",
  holds:
    "the broker returns on its node; ISR 3 everywhere; KRaft quorum healthy; Ready means in the ISR; over the whole chain S3-S5: Java clients, their rules and 0 failed sends; kafkajs with its defaults, its rules",
  procedure: "Drain a node (S3, S4, S5)",
};

export default scenarioFile(import.meta.url, [S3, S4, S5], (test, run) => {
  // State handed along the chain.
  let first: { node: string; pod: string; brokerId: number } | undefined;
  let second: { node: string; pod: string } | undefined;

  // The ordinary clients run through the whole chain and are checked at its end (S5).
  const scenario = sharedSession(test, run, S3, {
    javaClients: true,
    kafkajsDefaults: true,
    tearDown: (e) => restoreNodes(e).catch(() => undefined),
  });

  scenario(
    S3,
    async (w, s, e) => {
      await sleep(10000);
      const leader = await leaderBroker(e, s.probe, s.traffic.topic, 0);
      const { brokerId } = leader;
      const { node, name: pod } = leader.pod;
      first = { node, pod, brokerId };
      w.fact("drainedNode", node);
      w.fact("evictedBroker", pod);

      const drainedAt = w.mark(`drain ${node} (hosts ${pod}, leader of partition 0)`, { fault: true });
      const result = await drain(e.kube, node, { timeoutMs: 180000 });
      w.fact("drainSeconds", Math.round(result.ms / 1000));
      w.fact("evicted", result.evicted.join(" "));
      assert.equal(result.refusedByPdb, [], "no eviction refused on the first drain");
      assert.equal(result.errors, [], "eviction errors");
      assert.ok(result.completed, `drain of ${node} did not complete`);
      assert.ok(result.evicted.includes(`${NAMESPACE}/${pod}`), `${pod} was not evicted: ${result.evicted.join(", ")}`);
      w.mark(`drain of ${node} done`);

      // The StatefulSet recreates the pod; its local volume pins it to the cordoned node: Pending.
      const pending = await waitFor(
        async () => {
          const p = await e.kube.core.readNamespacedPod({ name: pod, namespace: NAMESPACE }).catch(() => undefined);
          const unschedulable = p?.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "False");
          return p && p.status?.phase === "Pending" && unschedulable ? p : undefined;
        },
        { what: `${pod} to be recreated and Pending`, timeoutMs: 120000, intervalMs: 1000 },
      );
      w.fact("pendingReason", pending.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "");
      // Stays Pending: checked again after the traffic proved the cluster serves with two brokers.
      const progress = await s.keepsWorking(drainedAt, "after the drain");
      w.fact("acksAfterDrain", progress.acks);
      w.fact("groupReadsAfterDrain", progress.reads);
      w.fact("keptWorkingAfterSeconds", progress.seconds);
      const live = (await brokerPods(e.kube.core)).filter((p) => p.ready);
      assert.is(live.length, 2, `Ready brokers: ${live.map((p) => p.name).join(", ")}`);
      const again = await e.kube.core.readNamespacedPod({ name: pod, namespace: NAMESPACE });
      assert.is(again.status?.phase, "Pending", `${pod} left Pending while its node is cordoned`);
      assert.equal(await partitionsWithoutLiveLeader(s.probe, brokerId, [s.traffic.topic]), [], "partitions without a live leader");

      const { check } = await w.finish();
      assertStrict(check);
    },
    { recoveryExpected: false },
  );

  scenario(
    S4,
    async (w, s, e) => {
      assert.ok(first, "S3 did not run");
      const pods = await brokerPods(e.kube.core);
      const target = pods.find((p): p is BrokerPod => p.ready && p.node !== first!.node);
      assert.ok(target, "no Ready broker on another node");
      second = { node: target.node, pod: target.name };
      w.fact("secondNode", target.node);

      w.mark(`drain ${target.node} (hosts ${target.name}) while ${first!.node} is cordoned`, { fault: true });
      const result = await drain(e.kube, target.node, { timeoutMs: 30000, retryMs: 5000 });
      w.mark(`drain of ${target.node} gave up after ${(result.ms / 1000).toFixed(0)}s`);
      w.fact("refusedByPdb", result.refusedByPdb.map((r) => `${r.pod}: ${r.message}`).join("; "));
      assert.not.ok(result.completed, `the second drain completed: ${result.evicted.join(", ")}`);
      const refused = result.refusedByPdb.find((r) => r.pod === target.name);
      assert.ok(
        refused,
        `eviction of ${target.name} was not refused by the PDB (evicted: ${result.evicted.join(", ")}; errors: ${JSON.stringify(result.errors)})`,
      );
      assert.match(refused.message, /disruption budget/i);

      const still = (await brokerPods(e.kube.core)).find((p) => p.name === target.name);
      assert.ok(still?.ready, `${target.name} is not Ready any more`);
      assert.is(still.uid, target.uid, `${target.name} was restarted`);
      await sleep(5000);
      const { check } = await w.finish();
      assertStrict(check);
    },
    { recoveryExpected: false },
  );

  scenario(S5, async (w, s, e) => {
    assert.ok(first && second, "S3/S4 did not run");
    w.mark(`uncordon ${first!.node} and ${second!.node}`, { fault: true });
    await uncordon(e.kube, first!.node);
    await uncordon(e.kube, second!.node);
    await waitBrokersReady(e.kube.core, { timeoutMs: 600000 });
    const back = (await brokerPods(e.kube.core)).find((p) => p.name === first!.pod);
    assert.is(back?.node, first!.node, `${first!.pod} came back on another node`);
    w.mark(`${first!.pod} Ready`);
    const isrMs = await waitFullIsr(s.probe, 600000);
    w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after Ready)`);
    const states = await partitionStates(s.probe);
    assert.ok(
      states.every((p) => p.isr.length === 3 || p.replicas.length < 3),
      "ISR 3 everywhere",
    );
    const ids = [...(await brokerOrdinals(s.probe)).keys()];
    const q = await quorum(e, first!.pod);
    assert.equal(quorumProblems(q.status, q.replication, ids), [], "KRaft quorum");
    await sleep(10000);
    // Drains and an uncordon are graceful: over the whole chain (S3 to S5) the Java client's own
    // retries must carry every send.
    await w.finishWithClients({ readyTransitions: 1, noFailedSends: true });
  });
});
