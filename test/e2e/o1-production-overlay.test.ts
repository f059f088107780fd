// O1 production overlay: the release installed as a user installs it for production,
// `-f examples/values-production.yaml` (scaled to the k3d cluster's ~2 cores by
// test/fixtures/overlays/production-k3d.yaml, sizes only). 3 dedicated controllers and 3 brokers,
// each StatefulSet in three zones on three nodes, one PDB each. Under live acks=all traffic the
// leader of partition 0 and the quorum's leader are deleted at once; both come back, the quorum
// keeps its three voters and nothing acknowledged is lost. The release is removed afterwards, so a
// later scenario installs the defaults afresh.
import { PolicyV1Api } from "@kubernetes/client-node";
import * as assert from "uvu/assert";
import { BROKERS, NAMESPACE, RELEASE, brokerPods, releaseNotes } from "../../scripts/env/release.js";
import { deletePod } from "../helpers/faults.js";
import { leaderOf, quorumProblems, waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { CONTROLLER_ID_BASE, brokerOrdinals, freshInstall, nodeZone, quorum } from "./env.js";
import { assertStrict } from "./session.js";
import { removeRelease, sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const PRODUCTION_LAYERS = ["examples/values-production.yaml", "test/fixtures/overlays/production-k3d.yaml"];
const CONTROLLERS = 3;
const controllerPod = (i: number): string => `${RELEASE}-controller-${i}`;
const brokerPod = (i: number): string => `${RELEASE}-broker-${i}`;

const O1: Scenario = {
  id: "O1",
  name: "production overlay",
  does: "installs examples/values-production.yaml (sizes scaled to k3d) and deletes a partition leader and the quorum leader at once",
  holds:
    "brokers and controllers each on 3 nodes in 3 zones; both PDBs; no HA warning in NOTES; quorum healthy before and after deleting a partition leader and the quorum leader at once; the release's replication settings on the traffic topic",
  procedure: "One chart for every environment",
};

export default scenarioFile(import.meta.url, [O1], (test, run) => {
  let installed: Awaited<ReturnType<typeof freshInstall>> | undefined;
  const scenario = sharedSession(test, run, O1, {
    open: "in-test",
    setUp: async (e) => {
      installed = await freshInstall(e, { valueFiles: PRODUCTION_LAYERS, pods: CONTROLLERS + BROKERS });
    },
    tearDown: removeRelease("O1", "later scenarios install the defaults"),
  });

  scenario(O1, async (w, s, e) => {
    const { installMs, pods } = installed!;
    w.mark(`installed with ${PRODUCTION_LAYERS.join(" + ")}, ${pods.length} pods Ready after ${(installMs / 1000).toFixed(0)}s`);
    w.fact("installSeconds", Math.round(installMs / 1000));
    await w.checkReleaseDurability(e);

    // Placement: each StatefulSet on three nodes in three zones.
    const zones = new Map(await Promise.all(pods.map(async (p) => [p.name, await nodeZone(e, p.node)] as const)));
    w.fact("placement", pods.map((p) => `${p.name}@${p.node}/${zones.get(p.name)}`).join(" "));
    for (const [kind, n] of [
      ["controller", CONTROLLERS],
      ["broker", BROKERS],
    ] as const) {
      const own = pods.filter((p) => p.name.startsWith(`${RELEASE}-${kind}-`));
      assert.is(own.length, n, `${kind} pods`);
      assert.is(new Set(own.map((p) => p.node)).size, n, `${kind}s share a node: ${own.map((p) => p.node).join(", ")}`);
      assert.is(new Set(own.map((p) => zones.get(p.name))).size, n, `${kind}s share a zone`);
    }
    const pdbs = await e.kube.kc.makeApiClient(PolicyV1Api).listNamespacedPodDisruptionBudget({ namespace: NAMESPACE });
    const budgets = pdbs.items.map((p) => `${p.metadata?.name}:${String(p.spec?.maxUnavailable)}`).sort();
    w.fact("pdbs", budgets.join(" "));
    assert.equal(budgets, [`${RELEASE}-broker:1`, `${RELEASE}-controller:1`]);
    assert.not.match(await releaseNotes(e.kubeconfig), /NOT HIGHLY AVAILABLE/);

    const voters = Array.from({ length: CONTROLLERS }, (_, i) => CONTROLLER_ID_BASE + i);
    const before = await quorum(e, brokerPod(0));
    w.fact("quorumVoters", before.status.voters.join(","));
    assert.equal(quorumProblems(before.status, before.replication, voters), [], "KRaft quorum after install");

    await sleep(15000);
    const leaderId = await leaderOf(s.probe, s.traffic.topic, 0);
    const ordinal = (await brokerOrdinals(s.probe)).get(leaderId);
    assert.ok(ordinal !== undefined, `leader ${leaderId} of partition 0 is not a known broker`);
    const victims = [brokerPod(ordinal), controllerPod(before.status.leaderId - CONTROLLER_ID_BASE)];
    w.fact("deletedPods", victims.join(" "));
    w.mark(`delete ${victims[0]} (leader of partition 0) and ${victims[1]} (quorum leader)`, { fault: true });
    const oldUids = await Promise.all(victims.map((v) => deletePod(e.kube, NAMESPACE, v)));

    await waitFor(
      async () => {
        const now = await brokerPods(e.kube.core);
        return victims.every((v, i) => now.some((p) => p.name === v && p.uid !== oldUids[i] && p.ready));
      },
      { what: `${victims.join(" and ")} to come back Ready`, timeoutMs: 300000, intervalMs: 1000 },
    );
    w.mark("both pods Ready again");
    const isrMs = await waitFullIsr(s.probe, 300000);
    w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after Ready)`);
    await s.keepsWorking(Date.now(), "after the faults");

    const after = await quorum(e, brokerPod(0));
    w.fact("quorumLeaderAfter", after.status.leaderId);
    assert.equal(quorumProblems(after.status, after.replication, voters), [], "KRaft quorum after the faults");

    const { check } = await w.finish({ stopTraffic: true });
    assertStrict(check);
  });
});
