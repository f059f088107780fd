// S18 chart upgrade from the previous version (issue 10): the release is installed from the chart
// as it was released before (test/fixtures/charts/kafka-ha-<previous>.tgz, packaged from the last
// main of that version), then, under live acks=all traffic, upgraded to the working tree exactly as
// README "Upgrade" says: `helm upgrade --reset-then-reuse-values` (the new chart's defaults under
// the user's values). Sampled every second: every pod replaced once, highest ordinal first, each
// next one only after the previous is Ready again, never more than one broker unready; the cluster
// id is kept; no acknowledged record is lost and the Java client sees no failed send.
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import {} from "../../scripts/env/release.js";
import { waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep } from "../../scripts/lib/wait.js";
import { freshInstall, passesHelmTest, storedClusterId, updateRevision, waitRolled, upgradeRelease } from "./env.js";
import { RollWatch, finishGracefulRoll, log } from "./session.js";
import { removeRelease, sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

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
  const scenario = sharedSession(test, run, S18, {
    javaClients: true,
    kafkajsDefaults: true,
    setUp: async (e) => {
      const { installMs } = await freshInstall(e, { chart: PREVIOUS_CHART });
      log(`S18: release Ready on the previous chart ${(installMs / 1000).toFixed(0)}s after helm install`);
    },
    tearDown: removeRelease("S18", "later scenarios install this chart afresh"),
  });

  scenario(S18, async (w, s, e) => {
    await sleep(10000);
    const roll = await RollWatch.start(e);
    try {
      const revisionBefore = await updateRevision(e);
      const idBefore = await storedClusterId(e);
      const upgradeAt = w.mark("helm upgrade --reset-then-reuse-values to this chart", { fault: true });
      await upgradeRelease(e, {}, { reuse: "reset-then-reuse", timeoutMs: 600000 });
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
