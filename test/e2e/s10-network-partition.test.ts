// S10 network partition: the node hosting the leader of a partition is cut off from every other
// node (the server with the API server and the published client ports included) for 40 s by packet
// filters inside the node, then healed. Routes and addresses stay, so this is a partition, not a
// crash: the node, its kubelet and its broker keep running on their side of it.
//
// What Kafka should do: the isolated broker cannot reach the controller quorum, so after the broker
// session timeout (9 s) it is fenced and its partitions get new leaders from their ISR; acks=all
// records sent to it are not acknowledged (its followers cannot fetch them), so a record it took in
// alone is never acknowledged and may be truncated after the heal. The checker proves no
// acknowledged record was lost. After the heal the broker catches up and rejoins every ISR.
import { CoordinationV1Api } from "@kubernetes/client-node";
import * as assert from "uvu/assert";
import { SERVER_NODE } from "../../scripts/env/cluster/k3d.js";
import { NAMESPACE, waitBrokersReady } from "../../scripts/env/release.js";
import { longestGap } from "../helpers/checker.js";
import { healPartition, nodeAddresses, partitionNode } from "../helpers/faults.js";
import { partitionStates, waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { leaderBroker, podName, quorum } from "./env.js";
import { assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S10: Scenario = {
  id: "S10",
  name: "network partition",
  does: "cuts the node of partition 0's leader off from every other node for 40 s with packet filters inside the node, then heals it",
  holds: "leadership leaves the isolated broker during the partition; full ISR and all Ready after the heal; the node container was not restarted",
};

export default scenarioFile(import.meta.url, [S10], (test, run) => {
  const PARTITION_MS = 40000;
  // Kafka's broker.session.timeout.ms default (the chart keeps it).
  const SESSION_TIMEOUT_MS = 9000;

  let isolated: string | undefined;

  const scenario = sharedSession(test, run, S10, {
    restore: async (e) => {
      if (isolated) await healPartition(e.cluster, isolated).catch(() => undefined);
    },
  });

  scenario(S10, async (w, s, e) => {
    const topic = s.traffic.topic;
    await sleep(10000);
    const leader = await leaderBroker(e, s.probe, topic, 0);
    const victim = leader.brokerId;
    const { node, name: pod } = leader.pod;
    assert.ok(node && node !== SERVER_NODE, `the leader's node ${node} must be an agent (the server carries the API and the client ports)`);
    const others = (await e.kube.core.listNode()).items.map((n) => n.metadata?.name ?? "").filter((n) => n && n !== node);
    const peers = (await Promise.all(others.map((n) => nodeAddresses(e.kube, n)))).flat();
    const witness = podName(leader.ordinal === 0 ? 1 : 0);
    const quorumLeader = (await quorum(e, witness)).status.leaderId;
    const led = (await partitionStates(s.probe, [topic])).filter((p) => p.leader === victim).length;
    const containerBefore = await e.cluster.nodeContainer(node);
    w.fact("isolatedNode", node);
    w.fact("brokerOnIt", pod);
    w.fact("partitionsLedAtCut", led);
    w.fact("isolatedWasQuorumLeader", quorumLeader === victim);
    w.fact("cutFrom", peers.join(" "));

    const cutAt = w.mark(`cut ${node} off from ${others.length} nodes for ${PARTITION_MS / 1000}s (hosts ${pod}, leader of ${topic}-0)`, { fault: true });
    isolated = node;
    await partitionNode(e.cluster, node, peers);

    // The partitions it led get leaders on the majority side (seen through the brokers there).
    const movedMs = await waitFor(
      async () => {
        const states = await partitionStates(s.probe, [topic]);
        return states.length > 0 && states.every((p) => p.leader >= 0 && p.leader !== victim) ? Date.now() - cutAt : undefined;
      },
      { what: `leadership of ${topic} to leave broker ${victim}`, timeoutMs: PARTITION_MS, intervalMs: 500, probeTimeoutMs: 20000 },
    );
    w.mark(`leadership of ${topic} left broker ${victim} (${(movedMs / 1000).toFixed(1)}s)`);
    w.fact("leadershipMovedSeconds", Number((movedMs / 1000).toFixed(1)));
    w.fact("sessionTimeoutSeconds", SESSION_TIMEOUT_MS / 1000);

    await sleep(Math.max(0, cutAt + PARTITION_MS - Date.now()));
    const healAt = w.mark(`heal: ${node} reconnected`);
    await healPartition(e.cluster, node);
    isolated = undefined;

    const isrMs = await waitFullIsr(s.probe, 600000);
    w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after the heal)`);
    w.fact("fullIsrAfterHealSeconds", Number((isrMs / 1000).toFixed(1)));
    // The node's kubelet talks to the API server again (it renews its lease every 10 s), so the
    // pods' Ready conditions below are fresh, not what the API server last heard before the cut.
    const leases = e.kube.kc.makeApiClient(CoordinationV1Api);
    await waitFor(
      async () => {
        const renewed = (await leases.readNamespacedLease({ name: node, namespace: "kube-node-lease" })).spec?.renewTime;
        return renewed !== undefined && new Date(renewed).getTime() > healAt;
      },
      { what: `${node} to renew its node lease after the heal`, timeoutMs: 120000, intervalMs: 2000 },
    );
    w.fact("kubeletBackAfterHealSeconds", Number(((Date.now() - healAt) / 1000).toFixed(1)));
    await waitBrokersReady(e.kube.core, { timeoutMs: 300000 });
    w.fact("allReadyAfterHealSeconds", Number(((Date.now() - healAt) / 1000).toFixed(1)));
    // The producer's view of the outage: the longest time without an acknowledgement around the cut.
    const gap = longestGap(
      s.traffic.acks.map((a) => a.time),
      cutAt - 5000,
      Date.now(),
    );
    w.fact("ackGapAroundCutSeconds", Number((gap.ms / 1000).toFixed(1)));
    w.fact("ackGapStartsAfterCutSeconds", Number(((gap.from - cutAt) / 1000).toFixed(1)));

    // A partition is not a crash: the node's container and the broker's pod kept running.
    assert.equal(await e.cluster.nodeContainer(node), containerBefore, `${node}'s container was restarted during the partition`);
    const restarts = (await e.kube.core.readNamespacedPod({ name: pod, namespace: NAMESPACE })).status?.containerStatuses?.find(
      (c) => c.name === "kafka",
    )?.restartCount;
    w.fact("brokerContainerRestarts", restarts ?? -1);

    await sleep(5000);
    const { check } = await w.finish({ stopTraffic: true });
    assertStrict(check);
  });
});
