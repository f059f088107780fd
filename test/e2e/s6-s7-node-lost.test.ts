// S6 node lost for good -> S7 replacement broker.
// S6 deletes the node (container, local volume and Node object) hosting the harness group's coordinator (a partition leader too): the
// broker is Pending, traffic continues on two brokers, the two others stay Ready.
// S7 is the README's "replace a lost broker" procedure: a new agent in the same zone, delete the
// lost broker's PVC and pod; the broker starts there with an empty disk under the same id,
// re-replicates, the quorum has three voters again, and the replacement's own replicas hold every
// acknowledged record (leadership moved to it, then read through it alone).
import * as assert from "uvu/assert";
import { NAMESPACE, brokerAddress, brokerPods, waitBrokersReady } from "../../scripts/env/release.js";
import { addNode, deleteNode, wipeVolume } from "../helpers/faults.js";
import { assertJavaClients } from "../helpers/java-clients.js";
import { partitionStates, partitionsWithoutLiveLeader, quorumProblems, waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { brokerById, brokerOrdinals, groupCoordinator, leaderBroker, podName, nodeZone, preferredLeaderElection, quorum, waitPending } from "./env.js";
import { assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S6: Scenario = {
  id: "S6",
  name: "node lost for good",
  does: "deletes the node (container, local volume, Node object) hosting the harness group's coordinator, which also leads partitions of the traffic topic (else a node hosting a partition leader)",
  holds: "2 Ready brokers; every partition has a live leader",
};

const S7: Scenario = {
  id: "S7",
  name: "replacement broker",
  does: "adds a node in the lost zone, deletes the lost broker's claim and pod, and lets the StatefulSet recreate the broker there with an empty disk",
  holds:
    "the broker returns on the new node with a new claim, under its old id and ordinal; it is a voter with a new directory id; Ready means in the ISR; Java clients (running from S6's start): their rules (failed sends reported)",
  procedure: "Replace a lost broker (S6, S7)",
};

export default scenarioFile(import.meta.url, [S6, S7], (test, run) => {
  let lost: { node: string; zone: string; pod: string; ordinal: number; brokerId: number; pvc: string; pvcUid: string; directoryId: string } | undefined;

  const scenario = sharedSession(test, run, S6, { javaClients: true });

  scenario(
    S6,
    async (w, s, e) => {
      await sleep(10000);
      // The hardest single broker to lose: the group's coordinator, which also leads partitions of the
      // traffic topic (its members must find the new coordinator as well as the new leaders).
      const coordinator = await groupCoordinator(e, podName(0), s.traffic.groupId);
      const ledByCoordinator = (await partitionStates(s.probe, [s.traffic.topic])).filter((p) => p.leader === coordinator).length;
      const { brokerId, ordinal, pod } =
        coordinator >= 0 && ledByCoordinator > 0 ? await brokerById(e, s.probe, coordinator) : await leaderBroker(e, s.probe, s.traffic.topic, 0);
      w.fact("groupCoordinatorBeforeLoss", coordinator);
      w.fact("trafficPartitionsLedByLostBroker", (await partitionStates(s.probe, [s.traffic.topic])).filter((p) => p.leader === brokerId).length);
      assert.ok(pod.pvc, `${pod.name} has no volume`);
      const pvc = await e.kube.core.readNamespacedPersistentVolumeClaim({ name: pod.pvc, namespace: NAMESPACE });
      // The voter's directory id names its disk (KIP-853): S7 checks the replacement's is new.
      const directoryId = (await quorum(e, pod.name)).replication.find((r) => r.nodeId === brokerId)?.directoryId ?? "";
      lost = {
        node: pod.node,
        zone: await nodeZone(e, pod.node),
        pod: pod.name,
        ordinal,
        brokerId,
        pvc: pod.pvc,
        pvcUid: pvc.metadata?.uid ?? "",
        directoryId,
      };
      w.fact("lostVoterDirectoryId", directoryId);
      w.fact("lostNode", lost.node);
      w.fact("zone", lost.zone);
      w.fact("lostBroker", lost.pod);

      const deletedAt = w.mark(`delete node ${lost.node} (${lost.zone}, hosts ${lost.pod})`, { fault: true });
      await deleteNode(e.kube, e.cluster, lost.node);
      w.mark(`node ${lost.node} gone`);

      await waitPending(e, lost.pod);
      w.mark(`${lost.pod} Pending`);
      const progress = await s.keepsWorking(deletedAt, "after the node loss");
      w.fact("acksAfterLoss", progress.acks);
      w.fact("groupReadsAfterLoss", progress.reads);
      w.fact("keptWorkingAfterSeconds", progress.seconds);
      // Readiness must not turn the survivors unready although their partitions lack a replica.
      await sleep(30000);
      const ready = (await brokerPods(e.kube.core)).filter((p) => p.ready).map((p) => p.name);
      assert.is(ready.length, 2, `Ready brokers after the loss: ${ready.join(", ")}`);
      assert.equal(await partitionsWithoutLiveLeader(s.probe, brokerId), [], "partitions without a live leader");
      const { check } = await w.finish();
      assertStrict(check);
    },
    { recoveryExpected: false },
  );

  scenario(S7, async (w, s, e) => {
    assert.ok(lost, "S6 did not run");
    const gone = lost;
    w.mark(`add an agent in ${gone.zone}`, { fault: true });
    const node = await addNode(e.kube, e.cluster, gone.zone);
    w.fact("newNode", node);
    w.mark(`node ${node} Ready`);

    // The procedure: the claim of the lost volume goes, then the pod, so the StatefulSet creates both afresh.
    w.mark(`delete PVC ${gone.pvc} and pod ${gone.pod}`);
    await wipeVolume(e.kube, NAMESPACE, gone.pod, gone.pvc);
    const back = await waitFor(async () => (await brokerPods(e.kube.core)).find((p) => p.name === gone.pod && p.ready), {
      what: `${gone.pod} Ready on the new node`,
      timeoutMs: 900000,
      intervalMs: 2000,
    });
    w.mark(`${gone.pod} Ready on ${back.node}`);
    assert.is(back.node, node, `${gone.pod} runs on ${back.node}, not the new node`);
    const pvc = await e.kube.core.readNamespacedPersistentVolumeClaim({ name: back.pvc, namespace: NAMESPACE });
    assert.is.not(pvc.metadata?.uid, gone.pvcUid, "the broker kept the old claim: the disk is not new");
    const ids = await brokerOrdinals(s.probe);
    assert.is(ids.get(gone.brokerId), gone.ordinal, `broker id ${gone.brokerId} is not back at ordinal ${gone.ordinal}`);

    const isrMs = await waitFullIsr(s.probe, 900000);
    w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after Ready)`);
    const q = await waitFor(
      async () => {
        const r = await quorum(e, gone.pod);
        return quorumProblems(r.status, r.replication, [...ids.keys()]).length === 0 ? r : undefined;
      },
      { what: "a healthy quorum of three voters including the replaced node", timeoutMs: 300000, intervalMs: 5000, probeTimeoutMs: 120000 },
    ).catch(async (err: unknown) => {
      const r = await quorum(e, gone.pod);
      throw new Error(`${String(err)}; last: ${quorumProblems(r.status, r.replication, [...ids.keys()]).join("; ")}`);
    });
    w.fact("quorumVoters", q.status.voters.join(","));
    const newDirectoryId = q.replication.find((r) => r.nodeId === gone.brokerId)?.directoryId ?? "";
    w.fact("replacedVoterDirectoryId", newDirectoryId);
    assert.ok(q.status.voters.includes(gone.brokerId), "the replaced node is a voter");
    assert.is.not(newDirectoryId, gone.directoryId, `voter ${gone.brokerId} still has its old directory id: the quorum does not know the new disk`);

    // Proof that the replacement's own replicas hold every record: make it the leader of every
    // partition of the topic (first in the replica list + preferred election), then read through it alone.
    await s.stopTraffic();
    const topic = s.traffic.topic;
    const states = await partitionStates(s.probe, [topic]);
    await s.probe.use(
      "reordering replicas",
      (admin) =>
        admin.alterPartitionReassignments({
          topics: [
            {
              topic,
              partitionAssignment: states.map((p) => ({
                partition: p.partition,
                replicas: [gone.brokerId, ...p.replicas.filter((r) => r !== gone.brokerId)],
              })),
            },
          ],
        }),
      { timeoutMs: 30000 },
    );
    await waitFor(
      async () =>
        (
          await s.probe.use("list reassignments", (admin) =>
            admin.listPartitionReassignments({ topics: [{ topic, partitions: states.map((p) => p.partition) }] }),
          )
        ).topics.every((t) => t.partitions.length === 0),
      { what: "the replica reordering to finish", timeoutMs: 120000, intervalMs: 2000, probeTimeoutMs: 60000 },
    );
    const ledByReplacement = async (): Promise<boolean> => (await partitionStates(s.probe, [topic])).every((p) => p.leader === gone.brokerId);
    await waitFor(
      async () => {
        if (await ledByReplacement()) return true;
        await preferredLeaderElection(e, gone.pod).catch(() => undefined);
        return ledByReplacement();
      },
      { what: `broker ${gone.brokerId} to lead every partition of ${topic}`, timeoutMs: 180000, intervalMs: 5000, probeTimeoutMs: 120000 },
    );
    w.mark(`broker ${gone.brokerId} leads every partition; reading through ${brokerAddress(gone.ordinal)} only`);
    const { check, java } = await w.finish({ stopTraffic: true, readBrokers: [brokerAddress(gone.ordinal)] });
    assert.ok(await ledByReplacement(), `leadership left broker ${gone.brokerId} during the read`);
    w.fact("readThroughReplacementOnly", true);
    assertStrict(check);
    // A node lost for good: sends may fail (reported as javaFailedSends); nothing acknowledged may be lost.
    assertJavaClients(java, { noFailedSends: false });
    w.assertReadyMeansInIsr(1);
    await waitBrokersReady(e.kube.core, { timeoutMs: 120000 });
  });
});
