// S18 chart upgrade from the previous version (issue 10): the release is installed from the chart
// as it was released before (test/fixtures/charts/kafka-ha-<previous>.tgz, packaged from the last
// main of that version), then, under live acks=all traffic, upgraded to the working tree exactly as
// README "Upgrade" says: `helm upgrade --reset-then-reuse-values` (the new chart's defaults under
// the user's values). Sampled every second: every pod replaced once, highest ordinal first, each
// next one only after the previous is Ready again, never more than one broker unready; the cluster
// id is kept; no acknowledged record is lost and the Java client sees no failed send.
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { CHART_DIR, NAMESPACE, RELEASE } from "../../scripts/release.js";
import { helmUpgrade } from "../helpers/faults.js";
import { waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep } from "../helpers/wait.js";
import { env, freshInstall, passesHelmTest, storedClusterId, teardown, updateRevision, waitRolled } from "./env.js";
import { RollWatch, Session, finishGracefulRoll, log } from "./session.js";
import { type Scenario, scenarioFile, title } from "./scenario.js";

/** The chart version before this one, as its users installed it (helm package of that release's main). */
const PREVIOUS_CHART = fileURLToPath(new URL("../fixtures/charts/kafka-ha-0.1.0.tgz", import.meta.url));

const S18: Scenario = {
  id: "S18",
  name: "chart upgrade from the previous version",
  does: "installs the previous chart version (0.1.0, packaged), then under traffic upgrades to this chart with helm upgrade --reset-then-reuse-values",
  holds:
    "the cluster id kept; every pod replaced once, highest ordinal first, each next one only after the previous was Ready again; never more than one broker unready; Java clients: their rules and 0 failed sends; kafkajs with its defaults: its rules; helm test passes",
  procedure: "Upgrade (S9)",
};

export default scenarioFile(import.meta.url, [S18], (test, run) => {
  let session: Session | undefined;

  test.before(async () => {
    const e = await env();
    const { installMs } = await freshInstall(e, { chart: PREVIOUS_CHART });
    log(`S18: release Ready on the previous chart ${(installMs / 1000).toFixed(0)}s after helm install`);
    session = await Session.prepare(S18, run, { javaClients: true, kafkajsDefaults: true });
  });

  test.after(async () => {
    await session?.close();
    const e = await env();
    log("S18: removing the release (later scenarios install this chart afresh)");
    await teardown(e, { clusterDown: false });
  });

  test(title(S18), async () => {
    const e = await env();
    const s = session!;
    const w = s.window(S18);
    await w.run(async () => {
      await sleep(10000);
      const roll = await RollWatch.start(e);
      try {
        const revisionBefore = await updateRevision(e);
        const idBefore = await storedClusterId(e);
        const upgradeAt = w.mark("helm upgrade --reset-then-reuse-values to this chart", { fault: true });
        await helmUpgrade({
          release: RELEASE,
          namespace: NAMESPACE,
          chartDir: CHART_DIR,
          kubeconfig: e.kubeconfig,
          values: {},
          reuse: "reset-then-reuse",
          timeoutMs: 600000,
        });
        const rolledMs = await waitRolled(e, revisionBefore, upgradeAt);
        w.mark(`rollout complete (${(rolledMs / 1000).toFixed(0)}s)`);
        w.fact("rolloutSeconds", Math.round(rolledMs / 1000));
        assert.is(await storedClusterId(e), idBefore, "the upgrade kept the cluster id");
        w.mark(`full ISR (${((await waitFullIsr(s.probe, 300000)) / 1000).toFixed(0)}s after the rollout)`);
        w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));
        await sleep(10000);
        await finishGracefulRoll(w, s, roll, upgradeAt);
      } finally {
        await roll.stop();
      }
    });
  });
});
