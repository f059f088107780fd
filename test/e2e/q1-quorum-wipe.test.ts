// Q1 quorum safety (KAFKA-14077): a controller's disk is wiped while a second controller is down.
// Voters A, B, C (kafka-ha-0, -1, -2, combined mode). B goes down; A and C commit new metadata (a topic
// and its configuration) that B never sees; then C goes down (cleanly) and A loses its disk;
// A (empty) and B (stale) come back. Two of three voters are up, but only C holds the new
// metadata: if A took a first start it would return as its old voter with an empty log and B could
// lead without the topic (what start.sh did after its 30 s window until the redesign). start.sh must
// keep A waiting (metadata and produce are unavailable meanwhile: that is correct, the window is
// reported) until C returns; then C and B elect a leader, A joins with a new directory id, and the
// topic, its configuration, the metadata log and every acknowledged record are intact.
import * as assert from "uvu/assert";
import kafkajs from "kafkajs";
import { NAMESPACE, brokerPods, waitBrokersReady } from "../../scripts/env/release.js";
import { keepDown, uncordon, wipeVolume } from "../helpers/faults.js";
import { quorumProblems, waitFullIsr } from "../helpers/kafka-admin.js";
import { createTopic } from "../helpers/traffic.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { controllerQuorumStatus, execInBroker, kafkaLog, podName, quorum, restoreNodes, waitPending } from "./env.js";
import { assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const CONFIGS = { "retention.ms": "4242000", "segment.ms": "4343000" };
// kafkajs is CommonJS: its enums are not named ESM exports.
const { ConfigResourceTypes } = kafkajs;

const Q1: Scenario = {
  id: "Q1",
  name: "controller disk wiped while another voter is down",
  does: "keeps voter 1 down while voters 0 and 2 commit a topic, stops voter 2, wipes voter 0's disk, brings voter 1 and then voter 2 back",
  holds:
    "the wiped voter waits (does not format) while the voter with the new metadata is away; then the topic and its configuration are intact, the metadata high watermark did not go back, the wiped voter joins under a new directory id without `--initial-controllers`; producer and group make progress again after voter 2 returns (the group's supervisor pauses while the quorum is unavailable on purpose)",
};

export default scenarioFile(import.meta.url, [Q1], (test, run) => {
  const scenario = sharedSession(test, run, Q1, { restore: (e) => restoreNodes(e).catch(() => undefined) });

  scenario(Q1, async (w, s, e) => {
    const [a, b, c] = [0, 1, 2].map(podName) as [string, string, string];
    const pods = await brokerPods(e.kube.core);
    const pod = (name: string) => {
      const p = pods.find((x) => x.name === name);
      if (!p?.node || !p.pvc) throw new Error(`${name} is not scheduled with a volume`);
      return p;
    };
    const start = await quorum(e, a);
    const oldDirectoryA = start.replication.find((r) => r.nodeId === 0)?.directoryId ?? "";

    // 1. B down, kept down (node cordoned: its local volume keeps it Pending).
    w.mark(`${b} down (node ${pod(b).node} cordoned, pod killed)`, { fault: true });
    await keepDown(e.kube, NAMESPACE, b, pod(b).node);
    await waitPending(e, b);
    // B stays registered until its broker session times out. Until then the metadata may name it as
    // the controller, where kafkajs sends describeConfigs (one run waited 36 s for the config below).
    const bDownAt = Date.now();
    await waitFor(async () => !(await s.probe.use("describe cluster", (admin) => admin.describeCluster())).brokers.some((x) => x.nodeId === 1), {
      what: `${b} (broker 1) to leave the cluster's metadata`,
      timeoutMs: 120000,
      intervalMs: 1000,
      probeTimeoutMs: 30000,
    });
    w.fact("brokerOneLeftMetadataAfterMs", Date.now() - bDownAt);

    // 2. A and C commit metadata that B never sees.
    const topic = `q1-meta-r${run}-${Date.now()}`;
    // Replicas on A and C by name, as the scenario describes (CI 2026-12-05, before the wait above:
    // Kafka placed a replica on B and the wait for full ISRs timed out).
    await createTopic(s.probe, topic, 3, {
      layout: {
        assignment: [
          [0, 2],
          [2, 0],
          [0, 2],
        ],
        configs: {},
      },
    });
    await s.probe.use(
      "alter topic config",
      (admin) =>
        admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(CONFIGS).map(([name, value]) => ({ name, value })) }],
        }),
      { timeoutMs: 45000 },
    );
    const configsOf = async (): Promise<Record<string, string>> => {
      const r = await s.probe.use(
        "describe configs",
        (admin) =>
          admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: Object.keys(CONFIGS) }], includeSynonyms: false }),
        { timeoutMs: 30000 },
      );
      return Object.fromEntries((r.resources[0]?.configEntries ?? []).map((x) => [x.configName, x.configValue]));
    };
    // alterConfigs returns once the controller committed the change; each broker applies the
    // committed metadata on its own, so the broker kafkajs asks can lag a moment (CI 2026-12-05:
    // read right after the call, it returned other values). Bounded, and the time is reported.
    const alteredAt = Date.now();
    await waitFor(
      async () => {
        const seen = await configsOf();
        const same = Object.entries(CONFIGS).every(([k, v]) => seen[k] === v);
        if (!same) throw new Error(`seen ${JSON.stringify(seen)}, want ${JSON.stringify(CONFIGS)}`);
        return true;
      },
      { what: "the topic config committed by voters 0 and 2 to be visible", timeoutMs: 60000, intervalMs: 1000, probeTimeoutMs: 35000 },
    );
    w.fact("configVisibleAfterMs", Date.now() - alteredAt);
    const committed = await quorum(e, a);
    assert.is(committed.status.leaderId === 0 || committed.status.leaderId === 2, true, `leader ${committed.status.leaderId} while voter 1 is down`);
    w.fact("metadataHighWatermarkCommitted", committed.status.highWatermark);
    w.mark(`topic ${topic} created and configured by voters 0 and 2 (metadata high watermark ${committed.status.highWatermark})`);

    // 3. C goes down cleanly, then A loses its disk; then B (stale) comes back. C stops with its
    // grace period: killed, it would re-register after an unclean shutdown and Kafka (4.1+,
    // eligible leader replicas, KIP-966) would rightly refuse to elect it for partitions whose
    // other replicas are gone: that is Kafka's rule for a double failure of data replicas, not
    // the quorum safety this scenario is about (a killed C made one CI run fail that way).
    const faultAt = w.mark(`take ${c} down (clean shutdown), then wipe ${a}'s disk`);
    // From here until every broker is back the cluster is unavailable on purpose (no quorum
    // leader), so the group cannot read: not a stall for its supervisor (CI-like run 2026-12-03:
    // replaced 41 s after the leader returned, still re-joining). group-consumed and the progress
    // check after C's return (keepsWorking) still hold the group to account.
    const resumeSupervision = s.traffic.pauseGroupSupervision("the KRaft quorum is unavailable on purpose until voter 2 returns");
    await keepDown(e.kube, NAMESPACE, c, pod(c).node, { gracePeriodSeconds: undefined });
    await waitPending(e, c);
    w.mark(`${c} down; wiping ${a}'s disk`);
    await wipeVolume(e.kube, NAMESPACE, a, pod(a).pvc);
    await waitFor(async () => (await e.kube.core.readNamespacedPod({ name: a, namespace: NAMESPACE }).catch(() => undefined))?.spec?.nodeName, {
      what: `${a} rescheduled on an empty volume`,
      timeoutMs: 180000,
      intervalMs: 1000,
    });
    w.mark(`${b} back (node uncordoned): only ${a} (empty) and ${b} (stale) can run`);
    await uncordon(e.kube, pod(b).node);

    // 4. A waits as long as C is away, naming why; no leader exists meanwhile. (The old start.sh
    // formatted instead: recorded here and failed at the end, after showing what it cost.)
    const aLog = () => kafkaLog(e, a).catch(() => "");
    const WAITING = /waiting: .*voter 1 \([^)]*\) has data.*voter 2 \([^)]*\) is unreachable/;
    await waitFor(async () => WAITING.test(await aLog()) || /formatting/.test(await aLog()), {
      what: `${a} to wait, naming voter 1 (has data) and voter 2 (unreachable)`,
      timeoutMs: 300000,
      intervalMs: 3000,
    });
    w.mark(`${a} waits: voter 1 has data, voter 2 unreachable`);
    // Past the 30 s after which the old start.sh took a first start, with B's Kafka running.
    await sleep(Math.max(20000, faultAt + 60000 - Date.now()));
    const waited = await aLog();
    const formattedWhileWaiting = /formatting/.test(waited);
    w.fact("waitingLine", (waited.match(/.*waiting: .*/g) ?? []).at(-1)?.replace(/^.*\[kafka-ha\] /, "") ?? "");
    w.fact("wipedVoterFormattedWhileWaiting", formattedWhileWaiting);
    if (formattedWhileWaiting) w.mark(`${a} FORMATTED while voter 2 was down`);
    const leaderless = await controllerQuorumStatus(e, b, 20).then(
      (st) => `LeaderId ${st.leaderId}`,
      (err: unknown) =>
        `no answer (${
          String(err)
            .split("\n")
            .find((l) => /Exception|timed out|exit/.test(l)) ?? "error"
        })`,
    );
    w.fact("quorumStatusWhileAandBOnly", leaderless);

    // 5. C returns: C and B elect a leader, A joins.
    const cBackAt = w.mark(`${c} back (node uncordoned)`);
    await uncordon(e.kube, pod(c).node);
    const led = await waitFor(
      async () => {
        const st = await controllerQuorumStatus(e, c, 30);
        return st.leaderId >= 0 ? st : undefined;
      },
      { what: "a quorum leader once voter 2 is back", timeoutMs: 600000, intervalMs: 5000, probeTimeoutMs: 90000 },
    );
    w.mark(`quorum leader ${led.leaderId} (${Math.round((Date.now() - cBackAt) / 1000)}s after ${c} returned)`);
    w.fact("metadataUnavailableSeconds", Math.round((Date.now() - faultAt) / 1000));

    // 6. Nothing committed is lost: the metadata log, the topic, its configuration.
    const topicsNow = await waitFor(
      () => execInBroker(e, c, `KAFKA_HEAP_OPTS=-Xmx192m /opt/kafka/bin/kafka-topics.sh --bootstrap-server localhost:9092 --list`, 120000),
      {
        what: `the topic list from ${c}`,
        timeoutMs: 300000,
        intervalMs: 5000,
        probeTimeoutMs: 130000,
      },
    );
    w.fact("topicKept", topicsNow.split("\n").includes(topic));
    assert.not.ok(
      formattedWhileWaiting,
      `${a} formatted its disk while voter 2 (the only one with the new metadata) was down (topic kept: ${topicsNow.split("\n").includes(topic)}):\n${waited}`,
    );
    assert.ok(topicsNow.split("\n").includes(topic), `topic ${topic} lost from the metadata; topics now:\n${topicsNow}`);
    const joined = await waitFor(
      async () => {
        const q = await quorum(e, c);
        // The old entry of voter 0 (old directory id) can look caught up while the metadata log
        // is quiet: the wiped voter is back only once voter 0 has a new directory id.
        const rejoined = q.replication.some((r) => r.nodeId === 0 && r.directoryId !== oldDirectoryA);
        return rejoined && quorumProblems(q.status, q.replication, [0, 1, 2]).length === 0 ? q : undefined;
      },
      {
        what: `three voters, caught up, with the wiped one back under a new directory id (old ${oldDirectoryA})`,
        timeoutMs: 600000,
        intervalMs: 5000,
        probeTimeoutMs: 120000,
      },
    );
    // A's start script lines once it has joined (read earlier, A may not have seen the new leader yet).
    const startLines = (await aLog()).split("\n").filter((l) => l.includes("[kafka-ha]") || l.startsWith("--- container restarted"));
    // A restart while joining is the start script's designed retry (e.g. the stale voter's removal timed out): reported.
    w.fact(
      "wipedVoterRestartedWhileJoining",
      startLines.some((l) => l.startsWith("--- container restarted")),
    );
    const newDirectoryA = joined.replication.find((r) => r.nodeId === 0 && r.directoryId !== oldDirectoryA)?.directoryId ?? "";
    w.fact("quorumVoters", joined.status.voters.join(","));
    w.fact("wipedVoterDirectoryIds", `${oldDirectoryA} -> ${newDirectoryA}`);
    w.fact("metadataHighWatermarkAfter", joined.status.highWatermark);
    assert.is.not(newDirectoryA, oldDirectoryA, "the wiped voter came back under its old directory id");
    assert.ok(
      joined.status.highWatermark >= committed.status.highWatermark,
      `metadata log went back: ${joined.status.highWatermark} < ${committed.status.highWatermark}`,
    );
    assert.ok(
      startLines.some((l) => /an existing quorum \(leader \d+\) answers/.test(l)),
      `${a} did not join:\n${startLines.join("\n")}`,
    );
    assert.not.ok(
      startLines.some((l) => l.includes("--initial-controllers")),
      `${a} formatted with the initial voter set`,
    );

    await waitBrokersReady(e.kube.core, { timeoutMs: 900000 });
    w.mark("all brokers Ready");
    resumeSupervision();
    // Checked only now: kafkajs fails every admin call while any partition has no leader, and the
    // partitions A led stay leaderless until A registers again (its unclean restart takes it out
    // of their ISR, KIP-966, and C, an eligible leader replica after its clean shutdown, leads).
    assert.equal(
      await waitFor(async () => configsOf(), { what: `configs of ${topic}`, timeoutMs: 120000, intervalMs: 5000, probeTimeoutMs: 60000 }),
      CONFIGS,
      "topic config intact",
    );
    const progress = await s.keepsWorking(cBackAt, `after ${c} returned`);
    w.fact("keptWorkingAfterSeconds", progress.seconds);
    const isrMs = await waitFullIsr(s.probe, 600000);
    w.mark(`full ISR (${Math.round(isrMs / 1000)}s later)`);
    const { check } = await w.finish({ stopTraffic: true });
    assertStrict(check);
  });
});
