// S17 Kafka version upgrade (issue 10): the release is installed on the previous Kafka minor
// (scripts/versions.json kafkaPrevious, built like the chart's own image), then, under live acks=all
// traffic, upgraded to the chart's Kafka exactly as README "Upgrade Kafka" says: `helm upgrade
// --set image.tag=<new>`. Sampled every second: every pod replaced once, highest ordinal first, never
// more than one broker unready. The features Job (templates/features-job.yaml) raises the finalized
// feature levels, and it may only succeed once every node runs the new Kafka: its completion is
// checked against the end of the roll, and the levels are read back. Going back to the previous
// minor is then refused. No acknowledged record is lost; the Java client sees no failed send.
import * as assert from "uvu/assert";
import { execa } from "execa";
import { NAMESPACE, RELEASE, splitImage } from "../../scripts/env/release.js";
import { kafkaImage } from "../../scripts/images/index.js";
import { pinned } from "../../scripts/lib/versions.js";
import { waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep } from "../../scripts/lib/wait.js";
import {
  type Env,
  TOOL_ENV,
  execInBroker,
  freshInstall,
  passesHelmTest,
  storedClusterId,
  toolBootstrap,
  updateRevision,
  waitRolled,
  upgradeRelease,
} from "./env.js";
import { RollWatch, finishGracefulRoll, log } from "./session.js";
import { removeRelease, sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const PREVIOUS = pinned("kafkaPrevious");

const S17: Scenario = {
  id: "S17",
  name: `Kafka ${PREVIOUS} -> the chart's Kafka`,
  does: `installs Kafka ${PREVIOUS} (the previous minor), then under traffic helm upgrade --set image.tag to the chart's Kafka, then tries to go back to ${PREVIOUS}`,
  holds:
    "every pod replaced once, highest ordinal first, each next one only after the previous was Ready again, never more than one broker unready; the cluster id kept; the features Job completed only after the last broker started on the new Kafka, and every finalized feature is then at the level the new brokers support (metadata.version raised); going back is refused with nothing changed; Java clients: their rules and 0 failed sends; kafkajs with its defaults: its rules; helm test passes",
  procedure: "Upgrade Kafka (S17)",
};

interface FeatureLine {
  supportedMax: string;
  finalized: string;
}

/** `kafka-features.sh describe`: feature -> its supported maximum and finalized level, as printed. */
async function features(e: Env): Promise<Map<string, FeatureLine>> {
  const out = await execInBroker(e, `${RELEASE}-0`, `${TOOL_ENV} /opt/kafka/bin/kafka-features.sh --bootstrap-server ${toolBootstrap()} describe`);
  const lines = new Map<string, FeatureLine>();
  for (const m of out.matchAll(/Feature: (\S+)\s+SupportedMinVersion: .+?\s+SupportedMaxVersion: (.+?)\s+FinalizedVersionLevel: (.+?)\s+Epoch/g)) {
    lines.set(m[1]!, { supportedMax: m[2]!.trim(), finalized: m[3]!.trim() });
  }
  assert.ok(lines.has("metadata.version"), `kafka-features.sh describe printed no metadata.version:\n${out}`);
  return lines;
}

const show = (f: Map<string, FeatureLine>): string => [...f].map(([name, l]) => `${name}=${l.finalized}`).join(" ");

/** When the features Job completed (it stays a day after it ends: templates/_jobs.tpl), or undefined. */
async function featuresJobCompleted(e: Env): Promise<{ at?: number; log: string }> {
  const job = await e.kube.batch.readNamespacedJob({ name: `${RELEASE}-features`, namespace: NAMESPACE });
  const log = (await execa(e.kubectl, ["--kubeconfig", e.kubeconfig, "-n", NAMESPACE, "logs", `job/${RELEASE}-features`], { reject: false })).stdout;
  const done = job.status?.completionTime;
  return { at: done ? new Date(done).getTime() : undefined, log };
}

export default scenarioFile(import.meta.url, [S17], (test, run) => {
  let current = "";

  const scenario = sharedSession(test, run, S17, {
    javaClients: true,
    kafkajsDefaults: true,
    setUp: async (e) => {
      current = splitImage(e.image).tag;
      const previous = await kafkaImage(PREVIOUS);
      log(`S17: importing ${previous} into the cluster`);
      await e.cluster.importImages([previous]);
      const { installMs } = await freshInstall(e, { values: { image: splitImage(previous) } });
      log(`S17: release Ready on Kafka ${PREVIOUS} ${(installMs / 1000).toFixed(0)}s after helm install`);
    },
    tearDown: removeRelease("S17", "later scenarios install the chart's Kafka afresh"),
  });

  scenario(S17, async (w, s, e) => {
    await sleep(10000);
    const before = await features(e);
    w.fact("featuresBefore", show(before));
    const roll = await RollWatch.start(e);
    try {
      const revisionBefore = await updateRevision(e);
      const idBefore = await storedClusterId(e);
      const upgradeAt = w.mark(`helm upgrade --set image.tag=${current}`, { fault: true });
      await upgradeRelease(e, { image: { tag: current } }, { timeoutMs: 900000 });
      const rolledMs = await waitRolled(e, revisionBefore, upgradeAt);
      w.mark(`rollout complete (${(rolledMs / 1000).toFixed(0)}s)`);
      w.fact("rolloutSeconds", Math.round(rolledMs / 1000));
      assert.is(await storedClusterId(e), idBefore, "the upgrade kept the cluster id");
      w.mark(`full ISR (${((await waitFullIsr(s.probe, 300000)) / 1000).toFixed(0)}s after the rollout)`);
      await sleep(5000);
      await roll.stop();

      // The features: raised, and only once the last pod was back (Ready) on the new Kafka.
      const job = await featuresJobCompleted(e);
      w.fact(
        "featuresJob",
        job.log
          .split("\n")
          .filter((l) => l.startsWith("[kafka-ha features]"))
          .join(" / "),
      );
      const succeededAt = job.at;
      assert.ok(succeededAt !== undefined, "the features Job did not complete");
      // "Runs the new Kafka" is its container started on the new image (it registers with the
      // controllers before it is Ready, which also waits for the ISR): the last pod replaced.
      const lastRestart = roll.restarts().at(-1);
      assert.ok(lastRestart, "no pod was replaced");
      const lastPod = await e.kube.core.readNamespacedPod({ name: lastRestart.pod, namespace: NAMESPACE });
      const started = lastPod.status?.containerStatuses?.find((c) => c.name === "kafka")?.state?.running?.startedAt;
      assert.ok(started, `${lastRestart.pod} is not running`);
      const lastStarted = new Date(started).getTime();
      w.fact("featuresRaisedSecondsAfterLastPodStarted", Math.round((succeededAt - lastStarted) / 1000));
      const lastBack = s.readyTransitions.find((t) => t.pod === lastRestart.pod && t.time >= lastRestart.at - 1000);
      if (lastBack) w.fact("featuresRaisedSecondsAfterLastPodReady", Math.round((succeededAt - lastBack.time) / 1000));
      // Kubernetes keeps both times to the second.
      assert.ok(succeededAt >= lastStarted, "the features Job completed before the last broker started on the new Kafka");
      const after = await features(e);
      w.fact("featuresAfter", show(after));
      const notRaised = [...after]
        .filter(([, l]) => l.finalized !== l.supportedMax)
        .map(([name, l]) => `${name} finalized ${l.finalized}, supported up to ${l.supportedMax}`);
      assert.equal(notRaised, [], "every feature is at the level the new Kafka supports");
      assert.is.not(after.get("metadata.version")!.finalized, before.get("metadata.version")!.finalized, "metadata.version was raised");

      // Going back below the finalized metadata.version is refused, nothing changed.
      const revisionAfter = await updateRevision(e);
      w.mark(`helm upgrade --set image.tag=${PREVIOUS} (must be refused)`);
      const refused = await upgradeRelease(e, { image: { tag: PREVIOUS } }, { timeoutMs: 120000 }).then(
        () => "",
        (err: unknown) => String(err),
      );
      assert.match(
        refused,
        new RegExp(`runs Kafka ${PREVIOUS.replace(/\./g, "\\.")}, older than the Kafka ${current.replace(/\./g, "\\.")} this release runs`),
      );
      assert.is(await updateRevision(e), revisionAfter, "the refused downgrade changed nothing");
      w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));
      await finishGracefulRoll(w, s, roll, upgradeAt);
    } finally {
      await roll.stop();
    }
  });
});
