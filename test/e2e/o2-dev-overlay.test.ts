// O2 dev overlay on one node: a second k3d cluster (kafka-ha-single: one node, no zone label, its own
// API and node ports, so the 3-zone cluster is not touched) gets the release installed as a
// developer installs it, `-f examples/values-dev.yaml` with nothing else but the local image and
// node-port access. One KRaft node becomes Ready, NOTES say it is not highly available, acks=all
// traffic on an RF 1 topic works; the pod is deleted (a restart: Kafka is down until it is back, the
// window is reported) and every acknowledged record is still there afterwards. The one-node cluster
// is deleted at the end when this run created it (KAFKA_HA_KEEP_CLUSTER=1 keeps it).
import { PolicyV1Api } from "@kubernetes/client-node";
import * as assert from "uvu/assert";
import { SINGLE_NODE_CLUSTER, ZONE_LABEL, clusterDown, clusterNodes, clusterUp, importImages, kubeconfigPath } from "../../scripts/env/cluster/k3d.js";
import {
  type BrokerPod,
  EXTERNAL_HOST,
  NAMESPACE,
  RELEASE,
  brokerPods,
  installChart,
  localValues,
  releaseNotes,
  splitImage,
  uninstallChart,
  waitBrokersReady,
} from "../../scripts/env/release.js";
import { deletePod, kubeFrom } from "../helpers/faults.js";
import { quorumProblems } from "../helpers/kafka-admin.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { type Env, deleteNamespace, quorum, waitKafkaServing } from "./env.js";
import { assertStrict, log } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const CLUSTER = SINGLE_NODE_CLUSTER;
const DEV_OVERLAY = "examples/values-dev.yaml";
const BROKERS = [`${EXTERNAL_HOST}:${CLUSTER.nodePorts.first}`];
const POD = `${RELEASE}-0`;

const O2: Scenario = {
  id: "O2",
  name: "dev overlay on one node",
  does: "installs examples/values-dev.yaml on a one-node cluster without zone labels and deletes its one pod",
  holds:
    "one pod on the one node, no zone label, no PDB; the NOTES warning; a one-voter quorum; the same claim after the pod is deleted; the release's replication settings (RF 1, min ISR 1) on the traffic topic",
  procedure: "One chart for every environment",
};

export default scenarioFile(import.meta.url, [O2], (test, run) => {
  let created = false;

  let installed: { single: Env; pods: BrokerPod[]; installMs: number; clusterMs: number } | undefined;
  const scenario = sharedSession(test, run, O2, {
    open: "in-test",
    brokers: BROKERS,
    setUp: async (e) => {
      installed = await installOnOneNode(e);
    },
    tearDown: async () => {
      const kubeconfig = kubeconfigPath(CLUSTER);
      if (created && process.env.KAFKA_HA_KEEP_CLUSTER !== "1") {
        log(`O2: deleting the one-node cluster ${CLUSTER.name}`);
        await clusterDown(CLUSTER);
      } else if ((await clusterNodes(CLUSTER)).length > 0) {
        await uninstallChart(kubeconfig).catch((err: unknown) => log(`helm uninstall failed: ${String(err)}`));
        await deleteNamespace(kubeFrom(kubeconfig)).catch((err: unknown) => log(`deleting namespace ${NAMESPACE} failed: ${String(err)}`));
      }
    },
  });

  /** The one-node cluster (created if missing) with the chart installed from the dev overlay, its pod Ready and serving. */
  async function installOnOneNode(e: Env): Promise<NonNullable<typeof installed>> {
    created = (await clusterNodes(CLUSTER)).length === 0;
    log(`O2: bringing up the one-node cluster ${CLUSTER.name} (${created ? "new" : "exists"})`);
    const clusterStarted = Date.now();
    await clusterUp(CLUSTER);
    await importImages([e.image], CLUSTER);
    const clusterMs = Date.now() - clusterStarted;
    const kubeconfig = kubeconfigPath(CLUSTER);
    const kube = kubeFrom(kubeconfig);
    // This cluster's view for the Env helpers (quorum, kubectl exec).
    const single: Env = { ...e, kubeconfig, kube };
    await uninstallChart(kubeconfig);
    await deleteNamespace(kube);

    const started = Date.now();
    await installChart(kubeconfig, localValues(splitImage(e.image), CLUSTER.nodePorts.first), { valueFiles: [DEV_OVERLAY] });
    const pods = await waitBrokersReady(kube.core, { count: 1, timeoutMs: 600000 });
    await waitKafkaServing(1, 300000, BROKERS);
    return { single, pods, installMs: Date.now() - started, clusterMs };
  }

  scenario(O2, async (w, s) => {
    const { single, pods, installMs, clusterMs } = installed!;
    const { kube, kubeconfig } = single;
    w.mark(`installed with ${DEV_OVERLAY}, Ready after ${(installMs / 1000).toFixed(0)}s`);
    w.fact("clusterSeconds", Math.round(clusterMs / 1000));
    w.fact("clusterCreated", created);
    w.fact("installSeconds", Math.round(installMs / 1000));

    const nodes = (await kube.core.listNode()).items;
    assert.is(nodes.length, 1, "a one-node cluster");
    assert.is(nodes[0]?.metadata?.labels?.[ZONE_LABEL], undefined, "the node has no zone label");
    assert.equal(
      pods.map((p) => p.name),
      [POD],
      "one pod",
    );
    await w.checkReleaseDurability(single);
    assert.is(pods[0]?.node, nodes[0]?.metadata?.name);
    const pdbs = await kube.kc.makeApiClient(PolicyV1Api).listNamespacedPodDisruptionBudget({ namespace: NAMESPACE });
    assert.is(pdbs.items.length, 0, "no PodDisruptionBudget");
    const notes = await releaseNotes(kubeconfig);
    assert.match(notes, /WARNING: this release is NOT HIGHLY AVAILABLE \(highAvailability=false\)/);
    const q = await quorum(single, POD);
    w.fact("quorumVoters", q.status.voters.join(","));
    assert.equal(quorumProblems(q.status, q.replication, [0]), [], "a one-voter quorum");

    await sleep(15000);
    const before = pods[0]!;
    w.mark(`delete pod ${POD} (the only broker and controller: Kafka is down until it is back)`, { fault: true });
    const oldUid = await deletePod(kube, NAMESPACE, POD);
    const after = await waitFor(async () => (await brokerPods(kube.core)).find((p) => p.name === POD && p.uid !== oldUid && p.ready), {
      what: `${POD} to come back Ready`,
      timeoutMs: 300000,
      intervalMs: 1000,
    });
    w.mark(`${POD} Ready again`);
    assert.is(after.pvc, before.pvc, "the same claim");
    await s.keepsWorking(Date.now(), "after the restart");
    // The restart's unavailability window is the run's longest gap between acknowledgements.
    const { check } = await w.finish({ stopTraffic: true });
    assertStrict(check);
  });
});
