// H1 Helm 3 install, Helm 4 upgrade (issue 12): the path most users take now that Helm 3 is out of
// support. The release is installed with Helm 3 (`helm3` of scripts/versions.json) holding a random
// cluster id, as every release of the chart's earlier versions does; then upgraded with Helm 4 with
// new values that no longer name the id (a plain `helm upgrade -f`, no --reuse-values), which rolls
// the brokers. The Secret must keep the stored id (lookup), every broker must come back Ready with
// it (a changed id makes a restarted broker refuse to start), nothing acknowledged may be lost, and
// `helm test` must pass with Helm 4.
import { randomBytes } from "node:crypto";
import * as assert from "uvu/assert";
import { NAMESPACE, RELEASE, brokerPods, installChart, localValues, splitImage } from "../../scripts/env/release.js";
import { pinnedVersion } from "../../scripts/lib/tools.js";
import { waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep } from "../../scripts/lib/wait.js";
import { freshInstall, passesHelmTest, storedClusterId, updateRevision, waitRolled } from "./env.js";
import { assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

/** A random Kafka cluster id as `kafka-storage.sh random-uuid` makes one (never starting with '-'). */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

const H1: Scenario = {
  id: "H1",
  name: "Helm 3 install, Helm 4 upgrade",
  does: "installs the release with Helm 3 holding a random cluster id, upgrades it with Helm 4 under traffic (new values that no longer name the id), runs helm test with Helm 4",
  holds: "Helm 3 stored the given cluster id; the Helm 4 upgrade kept it; every broker restarted and is Ready; `helm test` passes",
  procedure: "Helm versions",
};

export default scenarioFile(import.meta.url, [H1], (test, run) => {
  const oldId = randomClusterId();
  let installMs = 0;
  const scenario = sharedSession(test, run, H1, {
    open: "in-test",
    setUp: async (e) => {
      ({ installMs } = await freshInstall(e, { tool: "helm3", values: { clusterId: oldId } }));
    },
  });

  scenario(H1, async (w, s, e) => {
    w.mark(`installed with Helm 3 and Ready after ${(installMs / 1000).toFixed(0)}s`);
    w.fact("installSeconds", Math.round(installMs / 1000));
    w.fact("installedWith", await pinnedVersion("helm3"));
    w.fact("upgradedWith", await pinnedVersion("helm"));
    assert.is(await storedClusterId(e), oldId, "Helm 3 stored the cluster id it was given");
    await sleep(10000);

    const uidsBefore = new Map((await brokerPods(e.kube.core)).map((p) => [p.name, p.uid]));
    const revisionBefore = await updateRevision(e);
    // A broker setting that changes nothing a client sees: the pods roll, as after a chart upgrade.
    const values = { ...localValues(splitImage(e.image)), config: { "log.retention.check.interval.ms": String(300000 + run) } };
    const upgradeAt = w.mark("helm 4 upgrade -f (clusterId no longer set)", { fault: true });
    await installChart(e.kubeconfig, values);
    const rolledMs = await waitRolled(e, revisionBefore, upgradeAt);
    w.mark(`rollout complete (${(rolledMs / 1000).toFixed(0)}s)`);
    w.fact("rolloutSeconds", Math.round(rolledMs / 1000));

    assert.is(await storedClusterId(e), oldId, "the Helm 4 upgrade kept the stored cluster id");
    const pods = await brokerPods(e.kube.core);
    assert.ok(
      pods.every((p) => p.ready && p.uid !== uidsBefore.get(p.name)),
      `every broker restarted and is Ready: ${pods.map((p) => `${p.name}:${p.ready}`).join(" ")}`,
    );
    const sts = await e.kube.apps.readNamespacedStatefulSet({ name: RELEASE, namespace: NAMESPACE });
    w.fact("statefulSetFieldManagers", (sts.metadata?.managedFields ?? []).map((f) => `${f.manager}/${f.operation}`).join(" "));
    const isrMs = await waitFullIsr(s.probe, 300000);
    w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after the rollout)`);
    w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));

    const { check } = await w.finish({ stopTraffic: true });
    assertStrict(check);
  });
});
