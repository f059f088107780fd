// S8 hard node failure: the container of the node hosting a partition leader is killed without
// warning (docker kill: no graceful shutdown of the kubelet, the pod or the JVM). Each partition the
// dead broker led gets a new leader and a first acknowledgement within the broker session timeout
// plus a stated client margin; then the node is started again and the broker catches up.
import * as assert from "uvu/assert";
import { waitBrokersReady } from "../../scripts/env/release.js";
import { killNode } from "../helpers/faults.js";
import { longestGap } from "../helpers/checker.js";
import { partitionStates, waitFullIsr } from "../helpers/kafka-admin.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { leaderBroker } from "./env.js";
import { sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

// Kafka's broker.session.timeout.ms default (the chart keeps it): a fenced broker loses leadership after it.
const SESSION_TIMEOUT_MS = 9000;
// Per partition the dead broker led, bounds counted from the kill. A new leader: the session timeout
// plus 15 s for the host-side probe (a metadata request through the dead broker's address waits
// out its attempt before the next address). A first acknowledgement: the session timeout plus 21 s
// for the harness client (a request to the dead leader times out after 10 s, then kafkajs backs
// off and refreshes metadata; a send hung past the 15 s cutoff gets a new producer).
const NEW_LEADER_BOUND_MS = SESSION_TIMEOUT_MS + 15000;
const FIRST_ACK_BOUND_MS = SESSION_TIMEOUT_MS + 21000;
// An ack this soon after the kill may still come from the dead leader (docker kill takes a moment).
const KILL_SETTLE_MS = 2000;

const S8: Scenario = {
  id: "S8",
  name: "hard node failure",
  does: "kills the container of the node hosting a partition leader (no graceful shutdown), starts it again 10 s later",
  holds:
    "per partition the killed broker led: a new leader within the session timeout (9 s) + 15 s and a first acknowledgement within 9 s + 21 s (the margin is the client's: a 10 s request timeout, back-off, the 15 s send cutoff); Ready means in the ISR; Java clients: their rules (failed sends reported); kafkajs with its defaults: its rules",
};

export default scenarioFile(import.meta.url, [S8], (test, run) => {
  let killed: string | undefined;

  const scenario = sharedSession(test, run, S8, {
    javaClients: true,
    kafkajsDefaults: true,
    tearDown: async (e) => {
      if (killed) await e.cluster.startNode(killed).catch(() => undefined);
    },
  });

  scenario(S8, async (w, s, e) => {
    await sleep(10000);
    const leader = await leaderBroker(e, s.probe, s.traffic.topic, 0);
    const victim = leader.brokerId;
    const { node, name: pod } = leader.pod;
    w.fact("killedNode", node);
    w.fact("brokerOnIt", pod);

    const led = (await partitionStates(s.probe, [s.traffic.topic])).filter((p) => p.leader === victim).map((p) => p.partition);
    assert.ok(led.length > 0, `broker ${victim} leads no partition of ${s.traffic.topic}`);
    const killedAt = w.mark(`docker kill ${node} (hosts ${pod}, leader of partitions ${led.join(",")})`, { fault: true });
    killed = node;
    await killNode(e.cluster, node);

    // Failover: no partition of any topic led by the dead broker, none leaderless; when each
    // partition of the traffic topic it led got its new leader.
    const newLeaderMs = new Map<number, number>();
    const failoverMs = await waitFor(
      async () => {
        const states = await partitionStates(s.probe);
        const now = Date.now() - killedAt;
        for (const p of states)
          if (p.topic === s.traffic.topic && led.includes(p.partition) && p.leader >= 0 && p.leader !== victim && !newLeaderMs.has(p.partition))
            newLeaderMs.set(p.partition, now);
        return states.length > 0 && states.every((p) => p.leader >= 0 && p.leader !== victim) ? now : undefined;
      },
      { what: `leadership to leave broker ${victim}`, timeoutMs: 180000, intervalMs: 250, probeTimeoutMs: 60000 },
    );
    w.mark(`leadership failed over (${(failoverMs / 1000).toFixed(1)}s)`);
    w.fact("failoverSeconds", Number((failoverMs / 1000).toFixed(1)));
    w.fact("sessionTimeoutSeconds", SESSION_TIMEOUT_MS / 1000);
    // The first acknowledgement on each partition the dead broker led, from its new leader.
    const firstAckMs = await waitFor(
      async () => {
        const firsts = led.map((p) => s.traffic.acks.find((a) => a.partition === p && a.time >= killedAt + KILL_SETTLE_MS));
        return firsts.every(Boolean) ? new Map(firsts.map((a) => [a!.partition, a!.time - killedAt])) : undefined;
      },
      { what: `an acknowledgement on each of partitions ${led.join(",")} after the kill`, timeoutMs: 120000, intervalMs: 500 },
    );
    const seconds = (ms: number | undefined) => (ms === undefined ? "never" : `${(ms / 1000).toFixed(1)}s`);
    w.fact("perPartitionFailover", led.map((p) => `p${p}:leader@${seconds(newLeaderMs.get(p))},firstAck@${seconds(firstAckMs.get(p))}`).join(" "));
    // The ack gap around the kill is the unavailability window the producer saw.
    const gap = longestGap(
      s.traffic.acks.map((a) => a.time),
      killedAt - 5000,
      killedAt + failoverMs,
    );
    w.fact("ackGapAroundKillSeconds", Number((gap.ms / 1000).toFixed(1)));
    for (const p of led) {
      const leaderMs = newLeaderMs.get(p) ?? failoverMs;
      assert.ok(leaderMs <= NEW_LEADER_BOUND_MS, `partition ${p}: new leader seen ${seconds(leaderMs)} after the kill (bound ${seconds(NEW_LEADER_BOUND_MS)})`);
      const ackMs = firstAckMs.get(p)!;
      assert.ok(ackMs <= FIRST_ACK_BOUND_MS, `partition ${p}: first acknowledgement ${seconds(ackMs)} after the kill (bound ${seconds(FIRST_ACK_BOUND_MS)})`);
    }

    await sleep(10000);
    w.mark(`start ${node} again`);
    await e.cluster.startNode(node);
    killed = undefined;
    // The API may still show the pod Ready (the node was not yet marked NotReady): Kafka's view decides.
    const isrMs = await waitFullIsr(s.probe, 600000);
    w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after the node start)`);
    await waitBrokersReady(e.kube.core, { timeoutMs: 300000 });
    await sleep(5000);
    // A hard failure: sends may fail (reported as javaFailedSends); nothing acknowledged may be lost.
    await w.finishWithClients({ readyTransitions: 1, noFailedSends: false });
  });
});
