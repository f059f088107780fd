// S11 no unclean leader election (the chart's unclean.leader.election.enable=false): a partition's
// ISR shrinks to its leader alone, the leader takes acknowledged writes nobody else has, then the
// leader goes away while the stale replica is up. The partition must stay offline (no stale
// replica elected) until the leader returns, and no acknowledged record may be lost.
//
// Layout: one partition on brokers 0 (leader) and 2 (or 1, when 2 is the active controller), with
// min.insync.replicas=1 on this topic so the leader alone may acknowledge acks=all writes (the
// state unclean election would throw away). The ISR shrinks by cutting the stale replica's node off
// from broker 0's node only: it stays up and reaches the third broker, so the KRaft quorum keeps a
// majority throughout. Broker 0 then
// stops cleanly (its node cordoned, so it stays away); broker 2 is reconnected, alive and out of
// the ISR: with unclean election on, Kafka would make it leader here and truncate broker 0's
// acknowledged records when it returns.
import * as assert from "uvu/assert";
import { NAMESPACE, brokerPods, waitBrokersReady } from "../../scripts/env/release.js";
import { healPartition, keepDown, nodeAddresses, partitionNode, uncordon } from "../helpers/faults.js";
import { partitionStates, waitFullIsr } from "../helpers/kafka-admin.js";
import { every, sleep, waitFor } from "../../scripts/lib/wait.js";
import { type Env, ensureInstalled, kafkaTool, podName, quorum, restoreNodes } from "./env.js";
import { assertStrict } from "./session.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

/** The quorum leader once two reads 10 s apart agree (S10 just before may have moved it). */
async function settledQuorumLeader(e: Env): Promise<number> {
  let last = -1;
  return waitFor(
    async () => {
      const now = (await quorum(e, podName(0))).status.leaderId;
      const settled = now >= 0 && now === last;
      last = now;
      return settled ? now : undefined;
    },
    { what: "the quorum leader to settle", timeoutMs: 180000, intervalMs: 10000, probeTimeoutMs: 60000 },
  );
}

const S11: Scenario = {
  id: "S11",
  name: "no unclean election",
  does: "shrinks a partition's ISR to its leader, lets the leader alone take acknowledged writes, stops it while the stale replica is up, then brings it back",
  holds:
    "a topic (one partition on brokers 0 and 2, or 0 and 1 when broker 2 is the active controller, moved there if the controller changes before the cut; topic min ISR 1) whose ISR shrinks to broker 0 (the other replica's node cut off from broker 0's node only, so the quorum keeps its majority) takes acknowledged writes on broker 0 alone; broker 0 stops and stays away while the other replica is up and reconnected: for 45 s no sample shows another leader (the partition stays offline); broker 0 returns and leads; nothing acknowledged is lost. The group consumer cannot read what was acknowledged just before the partition went offline, so its supervisor does not judge it from broker 0's stop until a whole stall window (90 s) after broker 0 leads again (`pauseGroupSupervision`); every rule, *group-steady* included, stays asserted",
};

export default scenarioFile(import.meta.url, [S11], (test, run) => {
  // Broker ids (= ordinals in combined mode), chosen in before(): the stale replica must not be the
  // active controller, or the cut would keep the leader from reaching the controller instead (it
  // would be fenced and broker 2 would lead: CI run 2026-11-24 15:30, the ISR never shrank to 0).
  let [LEADER, STALE, WITNESS] = [0, 2, 1];
  // How long the partition is watched while only the stale replica could lead it.
  const OFFLINE_WATCH_MS = 45000;

  let isolated: string | undefined;

  const scenario = sharedSession(test, run, S11, {
    setUp: async (e) => {
      await ensureInstalled(e);
      const controller = await settledQuorumLeader(e);
      [LEADER, STALE, WITNESS] = controller === 2 ? [0, 1, 2] : [0, 2, 1];
      return { layout: { assignment: [[LEADER, STALE]], configs: { "min.insync.replicas": "1" } } };
    },
    restore: async (e) => {
      if (isolated) await healPartition(e.cluster, isolated).catch(() => undefined);
      await restoreNodes(e).catch(() => undefined);
    },
  });

  scenario(S11, async (w, s, e) => {
    const topic = s.traffic.topic;
    const state = async () => (await partitionStates(s.probe, [topic]))[0];
    // The quorum leader can still move after before() chose the layout (CI 2026-12-04, right
    // after S10: it moved to the stale replica's broker and the ISR never shrank to broker 0).
    // Then the stale replica moves to the third broker, so the cut never separates the leader
    // from the active controller.
    const controllerAtCut = (await quorum(e, podName(WITNESS))).status.leaderId;
    if (controllerAtCut === STALE) {
      w.mark(`quorum leader moved to broker ${STALE} since the layout was chosen: replica of broker ${STALE} moved to broker ${WITNESS}`);
      await s.probe.use("reassign the stale replica", (a) =>
        a.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [LEADER, WITNESS] }] }] }),
      );
      const onTarget = (ids: number[] = []) => ids.length === 2 && ids.includes(LEADER) && ids.includes(WITNESS);
      await waitFor(
        async () => {
          const p = await state();
          return onTarget(p?.replicas) && onTarget(p?.isr) ? true : undefined;
        },
        {
          what: `${topic} on brokers ${LEADER} and ${WITNESS}, both in the ISR`,
          timeoutMs: 120000,
          intervalMs: 1000,
        },
      );
      [STALE, WITNESS] = [WITNESS, STALE];
    }
    w.fact("staleReplica", STALE);
    const pods = await brokerPods(e.kube.core);
    const nodeOf = (ordinal: number): string => pods.find((p) => p.ordinal === ordinal)?.node ?? "";
    const [leaderNode, staleNode] = [nodeOf(LEADER), nodeOf(STALE)];
    assert.ok(leaderNode && staleNode && leaderNode !== staleNode, `brokers ${LEADER} and ${STALE} on two nodes: ${leaderNode}, ${staleNode}`);
    assert.is((await state())?.leader, LEADER, `broker ${LEADER} leads ${topic}`);
    w.fact(
      "uncleanElectionSetting",
      (
        await s.probe.use("describe config", (a) =>
          a.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ["unclean.leader.election.enable"] }] }),
        )
      ).resources[0]?.configEntries[0]?.configValue ?? "?",
    );

    // 1. Broker 2 falls out of the ISR: its node cannot reach broker 0's node (only).
    w.fact("quorumLeaderAtCut", controllerAtCut);
    const cutAt = w.mark(`cut ${staleNode} (broker ${STALE}) off from ${leaderNode} (broker ${LEADER})`, { fault: true });
    isolated = staleNode;
    await partitionNode(e.cluster, staleNode, await nodeAddresses(e.kube, leaderNode));
    const shrunkMs = await waitFor(async () => ((await state())?.isr.join(",") === String(LEADER) ? Date.now() - cutAt : undefined), {
      what: `the ISR of ${topic} to shrink to broker ${LEADER}`,
      timeoutMs: 120000,
      intervalMs: 1000,
      probeTimeoutMs: 30000,
    });
    const shrunkAt = w.mark(`ISR of ${topic} is [${LEADER}] (${(shrunkMs / 1000).toFixed(0)}s after the cut)`);
    w.fact("isrShrunkAfterSeconds", Math.round(shrunkMs / 1000));

    // 2. Broker 0 alone takes acknowledged writes.
    await waitFor(async () => s.traffic.acksSince(shrunkAt) >= 200, {
      what: `200 acks while broker ${LEADER} is alone in the ISR`,
      timeoutMs: 120000,
      intervalMs: 500,
    });
    const aloneAcks = s.traffic.acksSince(shrunkAt);
    w.fact("acksOnlyOnTheLeader", aloneAcks);

    // 3. Broker 0 stops cleanly and stays away; broker 2 is reconnected (alive, stale). The group
    // cannot read what broker 0 acknowledged last until it is back: expected here, so its
    // supervisor does not count that as a stall (group-steady and group-consumed stay asserted).
    const resumeSupervision = s.traffic.pauseGroupSupervision(`${topic}, the only partition, is offline on purpose`);
    w.mark(`stop broker ${LEADER} (clean shutdown, ${leaderNode} cordoned); reconnect ${staleNode}`);
    await keepDown(e.kube, NAMESPACE, podName(LEADER), leaderNode, { gracePeriodSeconds: undefined });
    await healPartition(e.cluster, staleNode);
    isolated = undefined;

    // 4. The partition stays offline: no sample may show another leader. Read with Kafka's own
    // tool in the third broker (kafkajs refuses metadata with a leaderless partition in it).
    const leaderNow = async (): Promise<number> => {
      const line =
        (await kafkaTool(e, podName(WITNESS), "kafka-topics.sh", `--describe --topic ${topic}`, 60000)).split("\n").find((l) => /Partition: 0\b/.test(l)) ?? "";
      const m = /Leader: (\d+|none)/.exec(line);
      if (!m) throw new Error(`no leader field in: ${line}`);
      return m[1] === "none" ? -1 : Number(m[1]);
    };
    const leaders: number[] = [];
    const watching = every(
      1000,
      async () => {
        leaders.push(await leaderNow());
      },
      60000,
    );
    const unclean = () => leaders.filter((l) => l >= 0 && l !== LEADER);
    await waitFor(async () => ((await leaderNow()) === -1 ? true : undefined), {
      what: `${topic} to lose its leader`,
      timeoutMs: 120000,
      intervalMs: 1000,
      probeTimeoutMs: 60000,
    }).catch(async (err: unknown) => {
      await watching.stop();
      if (unclean().length > 0)
        throw new Error(`broker ${unclean()[0]}, outside the ISR, was elected leader of ${topic} (unclean election) instead of the partition going offline`);
      throw err;
    });
    const offlineAt = w.mark(`${topic} has no leader; watching it for ${OFFLINE_WATCH_MS / 1000}s with broker ${STALE} up`);
    await sleep(OFFLINE_WATCH_MS);
    await watching.stop();
    const elected = [...new Set(unclean())];
    w.fact("leadersSeenWhileLeaderAway", elected.join(",") || "none");
    w.fact("leaderSamplesWhileAway", leaders.length);
    // Each sample starts a JVM in the third broker (a few seconds).
    assert.ok(leaders.length >= 5, `too few samples of ${topic} (${leaders.length}) to vouch for the watch`);
    assert.equal(elected, [], `a replica outside the ISR was elected leader of ${topic} (unclean election)`);

    // 5. Broker 0 returns and leads again; broker 2 catches up.
    const backAt = w.mark(`broker ${LEADER} back (${leaderNode} uncordoned)`);
    await uncordon(e.kube, leaderNode);
    const ledMs = await waitFor(async () => ((await leaderNow()) === LEADER ? Date.now() - backAt : undefined), {
      what: `broker ${LEADER} to lead ${topic} again`,
      timeoutMs: 300000,
      intervalMs: 1000,
      probeTimeoutMs: 60000,
    });
    w.mark(`broker ${LEADER} leads ${topic} again (${(ledMs / 1000).toFixed(0)}s); offline for ${((Date.now() - offlineAt) / 1000).toFixed(0)}s`);
    resumeSupervision();
    await waitBrokersReady(e.kube.core, { timeoutMs: 300000 });
    await waitFullIsr(s.probe, 300000);
    w.mark("full ISR");
    await sleep(5000);
    const { check } = await w.finish({ stopTraffic: true });
    assertStrict(check);
  });
});
