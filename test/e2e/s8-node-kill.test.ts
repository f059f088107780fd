// S8 hard node failure: the container of the node hosting a partition leader is killed without
// warning (docker kill: no graceful shutdown of the kubelet, the pod or the JVM). Leadership fails
// over within the broker session timeout; then the node is started again and the broker catches up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitBrokersReady } from '../../scripts/release.js';
import { killNode } from '../helpers/faults.js';
import { partitionStates, waitFullIsr } from '../helpers/kafka-admin.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { env, leaderBroker } from './env.js';
import { Session, assertStrict } from './session.js';
import { scenarioFile } from './registry.js';

scenarioFile(import.meta.url, (run) => {
  // Kafka's broker.session.timeout.ms default (the chart keeps it): a fenced broker loses leadership after it.
  const SESSION_TIMEOUT_MS = 9000;
  // "Bounded by the session timeout, not by minutes": the assertion allows client retry back-off on top.
  const WINDOW_BOUND_MS = 60000;

  const test = suite(`S8 hard node failure (run ${run})`);
  let session: Session | undefined;
  let killed: string | undefined;

  test.before(async () => {
    session = await Session.prepare('s8', run);
  });

  test.after(async () => {
    await session?.close();
    const e = await env();
    if (killed) await e.cluster.startNode(killed).catch(() => undefined);
  });

  test('S8 hard node failure: leadership fails over within the session timeout, nothing lost', async () => {
    const e = await env();
    const s = session!;
    const w = s.window('S8', 'hard node failure');
    await w.run(async () => {
      await sleep(10000);
      const leader = await leaderBroker(e, s.probe, s.traffic.topic, 0);
      const victim = leader.brokerId;
      const { node, name: pod } = leader.pod;
      w.fact('killedNode', node);
      w.fact('brokerOnIt', pod);

      const killedAt = w.mark(`docker kill ${node} (hosts ${pod}, leader of partition 0)`, { fault: true });
      killed = node;
      await killNode(e.cluster, node);

      // Failover: no partition of any topic led by the dead broker, none leaderless.
      const failoverMs = await waitFor(
        async () => {
          const states = await partitionStates(s.probe);
          return states.length > 0 && states.every((p) => p.leader >= 0 && p.leader !== victim) ? Date.now() - killedAt : undefined;
        },
        { what: `leadership to leave broker ${victim}`, timeoutMs: 180000, intervalMs: 250, probeTimeoutMs: 60000 },
      );
      w.mark(`leadership failed over (${(failoverMs / 1000).toFixed(1)}s)`);
      w.fact('failoverSeconds', Number((failoverMs / 1000).toFixed(1)));
      w.fact('sessionTimeoutSeconds', SESSION_TIMEOUT_MS / 1000);
      await waitFor(async () => s.traffic.acksSince(killedAt + failoverMs) >= 100, {
        what: 'acknowledgements after the failover',
        timeoutMs: 120000,
        intervalMs: 500,
      });
      // The ack gap around the kill is the unavailability window the producer saw.
      const acks = s.traffic.acks.filter((a) => a.time >= killedAt - 5000).map((a) => a.time);
      let gap = 0;
      for (let i = 1; i < acks.length; i++) gap = Math.max(gap, (acks[i] ?? 0) - (acks[i - 1] ?? 0));
      w.fact('ackGapAroundKillSeconds', Number((gap / 1000).toFixed(1)));
      // failoverMs is what a host-side probe saw (it may first try the dead broker's address, a few
      // seconds); it is reported. The producer's ack gap is the unavailability window.
      assert.ok(gap < WINDOW_BOUND_MS, `producer saw no acknowledgement for ${gap} ms`);

      await sleep(10000);
      w.mark(`start ${node} again`);
      await e.cluster.startNode(node);
      killed = undefined;
      // The API may still show the pod Ready (the node was not yet marked NotReady): Kafka's view decides.
      const isrMs = await waitFullIsr(s.probe, 600000);
      w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after the node start)`);
      await waitBrokersReady(e.kube.core, { timeoutMs: 300000 });
      await sleep(5000);
      const { check } = await w.finish({ stopTraffic: true });
      assertStrict(check);
    });
  });

  test.run();
});
