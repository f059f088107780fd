// S1 install: `helm install` (Helm 4) with defaults (plus the local image and external access), wait
// until ready; three brokers on three nodes in three zones; a topic with RF 3 has an ISR of 3
// everywhere; the KRaft quorum has three voters; the cluster id is the one `helm template` renders;
// `helm test` passes; the traffic topic, created without settings, has the chart's replication
// factor, min ISR and unclean election setting; traffic loses nothing.
import * as assert from "uvu/assert";
import { BROKERS, NAMESPACE, brokerPods, localValues, splitImage } from "../../scripts/env/release.js";
import { seriesMissing } from "../helpers/metrics.js";
import { partitionStates, quorumProblems, waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep } from "../../scripts/lib/wait.js";
import {
  brokerOrdinals,
  freshInstall,
  nodeZone,
  passesHelmTest,
  podName,
  quorum,
  readinessProbeCost,
  releaseServerProperties,
  renderedClusterId,
  storedClusterId,
} from "./env.js";
import { assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S1: Scenario = {
  id: "S1",
  name: "install",
  does: "installs the chart afresh with Helm 4 (defaults, the local image, external access) and produces to a topic created without settings",
  holds:
    "3 brokers on 3 nodes in 3 zones; RF 3 and ISR 3 on every partition; 3 caught-up KRaft voters; the stored cluster id is the one `helm template` renders; the traffic topic has the release's `default.replication.factor`, `min.insync.replicas` and `unclean.leader.election.enable` (not topic settings); `helm test` passes; every series the alerts and the dashboard use is exported by some pod; the readiness check's CPU per broker is reported",
};

export default scenarioFile(import.meta.url, [S1], (test, run) => {
  let installed: Awaited<ReturnType<typeof freshInstall>> | undefined;
  const scenario = sharedSession(test, run, S1, {
    open: "in-test",
    setUp: async (e) => {
      installed = await freshInstall(e);
    },
  });

  scenario(S1, async (w, s, e) => {
    const { installMs, pods } = installed!;
    w.mark(`installed and Ready after ${(installMs / 1000).toFixed(0)}s`);
    w.fact("installSeconds", Math.round(installMs / 1000));

    const nodes = pods.map((p) => p.node);
    const zones = await Promise.all(nodes.map((n) => nodeZone(e, n)));
    w.fact("placement", pods.map((p, i) => `${p.name}@${p.node}/${zones[i]}`).join(" "));
    assert.is(pods.length, BROKERS, "broker pods");
    assert.is(new Set(nodes).size, BROKERS, `brokers share a node: ${nodes.join(", ")}`);
    assert.ok(zones.every(Boolean), `a broker node has no zone label: ${zones.join(", ")}`);
    assert.is(new Set(zones).size, BROKERS, `brokers share a zone: ${zones.join(", ")}`);

    await sleep(20000);
    const states = await partitionStates(s.probe, [s.traffic.topic]);
    assert.is(states.length, 6, "partitions of the traffic topic");
    for (const s of states) {
      assert.is(s.replicas.length, 3, `RF of partition ${s.partition}`);
      assert.is(s.isr.length, 3, `ISR of partition ${s.partition}: [${s.isr}]`);
    }
    await waitFullIsr(s.probe, 60000);
    // The defaults the README promises, and that the traffic topic got them from the release.
    const props = await releaseServerProperties(e);
    assert.equal(
      ["default.replication.factor", "min.insync.replicas", "unclean.leader.election.enable"].map((k) => `${k}=${props.get(k)}`),
      ["default.replication.factor=3", "min.insync.replicas=2", "unclean.leader.election.enable=false"],
      "the chart's durability defaults",
    );
    await w.checkReleaseDurability(e);

    const ordinals = await brokerOrdinals(s.probe);
    const q = await quorum(e, podName(0));
    w.fact("quorumVoters", q.status.voters.join(","));
    w.fact("brokerIds", [...ordinals.keys()].join(","));
    assert.equal(quorumProblems(q.status, q.replication, [...ordinals.keys()]), [], "KRaft quorum");

    // Deterministic cluster id (issue 12): the Secret holds the id `helm template` renders without a
    // cluster (what a GitOps tool applies), and the brokers formatted with it.
    const stored = await storedClusterId(e);
    w.fact("clusterId", stored);
    assert.is(stored, await renderedClusterId(localValues(splitImage(e.image))), "the installed cluster id is the one helm template renders");
    w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));

    // The ISR-aware readiness check's price per broker (issue 11: at most 2 % of a core, i.e. 20 millicores).
    const cost = await readinessProbeCost(e, podName(0));
    w.fact("readinessScriptCpuSeconds", cost.scriptCpuSeconds);
    w.fact("readinessPeriodSeconds", cost.periodSeconds);
    w.fact("readinessInJvmMillicores", cost.inJvmMillicores);
    w.fact("readinessInJvmChecks", `${cost.inJvmChecks} in ${cost.windowSeconds} s`);
    w.fact("readinessMillicoresPerBroker", cost.millicores);

    // Metrics (issue 11): every series the alerts and the dashboard use is exported by the release.
    const missing = await seriesMissing(
      e.kube.core,
      NAMESPACE,
      (await brokerPods(e.kube.core)).map((p) => p.name),
    );
    w.fact("metricsSeriesMissing", missing.join(" ") || "none");
    assert.equal(missing, [], "series of files/metrics/jmx-exporter.yaml that no pod exports");

    const { check } = await w.finish({ stopTraffic: true });
    assertStrict(check);
  });
});
