// S2 pod deleted: `kubectl delete pod` on the leader of a partition. The pod comes back with the
// same name on the same volume; nothing acknowledged is lost. It comes back behind: while it is
// down, a ballast topic whose followers are throttled to 1 MB/s on that broker gets 30 MB, so the
// broker needs about half a minute of catching up after its port opens. Ready must wait for that
// (assertReadyMeansInIsr); a readiness check of the port alone turns Ready at once.
import * as assert from "uvu/assert";
import { NAMESPACE, RELEASE, brokerPods } from "../../scripts/env/release.js";
import { deletePod } from "../helpers/faults.js";
import { waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { assertUnderReplicatedMetric, watchUnderReplicated } from "../helpers/metrics.js";
import { type Env, TOOL_ENV, execInBroker, kafkaTool, leaderBroker, podName } from "./env.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S2: Scenario = {
  id: "S2",
  name: "pod deleted",
  does: "deletes the pod leading partition 0 and, while it is away, writes 30 MB to a ballast topic whose catch-up on that broker is throttled to 1 MB/s",
  holds:
    "the new pod mounts the same claim and volume on the same node; it comes back behind (30 MB written to a ballast topic while it was away, its catch-up throttled to 1 MB/s) and Ready means in the ISR (1 transition at least), so a readiness check of the port alone fails here; the brokers' under-replicated metric (scraped from every pod's /metrics) rises during the fault and is 0 on every broker after it; Java clients: their rules and 0 failed sends; kafkajs with its defaults: its rules",
};

export default scenarioFile(import.meta.url, [S2], (test, run) => {
  // Ballast the restarted broker must catch up on, throttled on it (see the header).
  const BALLAST_RECORDS = 30000;
  const BALLAST_CATCH_UP_BYTES_PER_SECOND = 1000000;
  const ballast = `ballast-s2-r${run}-${Date.now()}`;
  let throttled: { pod: string; brokerId: number } | undefined;
  let underReplicated: ReturnType<typeof watchUnderReplicated> | undefined;

  const scenario = sharedSession(test, run, S2, { javaClients: true, kafkajsDefaults: true, restore: undoFault });

  async function undoFault(e: Env): Promise<void> {
    await underReplicated?.stop();
    if (throttled) {
      const { pod, brokerId } = throttled;
      await kafkaTool(
        e,
        pod,
        "kafka-configs.sh",
        `--entity-type brokers --entity-name ${brokerId} --alter --delete-config follower.replication.throttled.rate`,
      ).catch(() => undefined);
      await kafkaTool(e, pod, "kafka-topics.sh", `--delete --topic ${ballast}`).catch(() => undefined);
    }
  }

  scenario(S2, async (w, s, e) => {
    await sleep(10000);
    underReplicated = watchUnderReplicated(e.kube.core, NAMESPACE, async () => (await brokerPods(e.kube.core)).map((p) => p.name));
    const leader = await leaderBroker(e, s.probe, s.traffic.topic, 0);
    const before = leader.pod;
    const { name } = before;
    assert.ok(before.pvc, `${name} has no PVC`);
    const pvcBefore = await e.kube.core.readNamespacedPersistentVolumeClaim({ name: before.pvc, namespace: NAMESPACE });
    w.fact("deletedPod", name);
    w.fact("node", before.node);

    const victimId = leader.brokerId;
    const other = podName(leader.ordinal === 0 ? 1 : 0);
    await kafkaTool(
      e,
      other,
      "kafka-topics.sh",
      `--create --topic ${ballast} --partitions 3 --replication-factor 3 --config follower.replication.throttled.replicas=*`,
    );
    await kafkaTool(
      e,
      other,
      "kafka-configs.sh",
      `--entity-type brokers --entity-name ${victimId} --alter --add-config follower.replication.throttled.rate=${BALLAST_CATCH_UP_BYTES_PER_SECOND}`,
    );
    throttled = { pod: other, brokerId: victimId };

    w.mark(`delete pod ${name} (leader of partition 0)`, { fault: true });
    const oldUid = await deletePod(e.kube, NAMESPACE, name);
    await waitFor(async () => !(await brokerPods(e.kube.core)).some((p) => p.uid === oldUid), {
      what: `the old ${name} to be gone`,
      timeoutMs: 180000,
      intervalMs: 500,
    });
    await execInBroker(
      e,
      other,
      `${TOOL_ENV} /opt/kafka/bin/kafka-producer-perf-test.sh --topic ${ballast} --num-records ${BALLAST_RECORDS} --record-size 1000 --throughput -1 --producer-props bootstrap.servers=${RELEASE}:9092 acks=1 > /dev/null`,
      180000,
    );
    w.mark(`${BALLAST_RECORDS / 1000} MB written to ${ballast} while ${name} was away`);

    const after = await waitFor(async () => (await brokerPods(e.kube.core)).find((p) => p.name === name && p.uid !== oldUid && p.ready), {
      what: `${name} to come back Ready`,
      timeoutMs: 300000,
      intervalMs: 1000,
    });
    w.mark(`${name} Ready again`);
    const pvcAfter = await e.kube.core.readNamespacedPersistentVolumeClaim({ name: after.pvc, namespace: NAMESPACE });
    assert.is(after.pvc, before.pvc, "the new pod mounts the same claim");
    assert.is(pvcAfter.metadata?.uid, pvcBefore.metadata?.uid, "the claim is the same object (same volume)");
    assert.is(pvcAfter.spec?.volumeName, pvcBefore.spec?.volumeName, "the claim is bound to the same volume");
    assert.is(after.node, before.node, "a local volume brings the pod back on its node");

    const isrMs = await waitFullIsr(s.probe, 300000);
    w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after Ready)`);
    // The metrics tell an operator the same story: under-replicated during the fault, 0 after it.
    assertUnderReplicatedMetric(w, await underReplicated.finish());
    underReplicated = undefined;
    await sleep(10000);
    // A graceful restart: the Java client's own retries (defaults) must carry every send through it.
    await w.finishWithClients({ readyTransitions: 1, noFailedSends: true });
  });
});
