// S9 rolling restart: `helm upgrade` changes a broker setting; the checksum annotation rolls the
// StatefulSet. Sampled every second: no partition under min ISR, never more than one broker
// unready; and no acks=all send fails during the whole roll.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BROKERS, CHART_DIR, NAMESPACE, RELEASE, brokerPods } from '../../scripts/release.js';
import { underMinIsrSamples } from '../helpers/checker.js';
import { helmUpgrade } from '../helpers/faults.js';
import { waitFullIsr } from '../helpers/kafka-admin.js';
import { every, sleep, waitFor } from '../helpers/wait.js';
import { env } from './env.js';
import { Session, assertStrict } from './session.js';
import { scenarioFile } from './registry.js';

scenarioFile(import.meta.url, (run) => {
  const test = suite(`S9 rolling restart (run ${run})`);
  let session: Session | undefined;

  test.before(async () => {
    session = await Session.prepare('s9', run);
  });

  test.after(async () => {
    await session?.close();
  });

  interface PodSample {
    time: number;
    notReady: number;
    uids: Map<string, string>;
  }

  test('S9 rolling restart: helm upgrade rolls one broker at a time, never under min ISR, no failed send', async () => {
    const e = await env();
    const s = session!;
    const w = s.window('S9', 'rolling restart');
    await w.run(async () => {
      const podSamples: PodSample[] = [];
      const podSampling = every(1000, async () => {
        const pods = await brokerPods(e.kube.core);
        const time = Date.now();
        podSamples.push({ time, notReady: BROKERS - pods.filter((p) => p.ready).length, uids: new Map(pods.map((p) => [p.name, p.uid])) });
      });
      try {
        await sleep(10000);
        const before = new Map((await brokerPods(e.kube.core)).map((p) => [p.name, p.uid]));
        const sts = await e.kube.apps.readNamespacedStatefulSet({ name: RELEASE, namespace: NAMESPACE });
        const revisionBefore = sts.status?.updateRevision ?? '';
        // A broker setting that changes nothing a client sees, different on every run.
        const value = String(300000 + run * 1000 + (Date.now() % 1000));
        const upgradeAt = w.mark(`helm upgrade: config.log.retention.check.interval.ms=${value}`, { fault: true });
        await helmUpgrade({ release: RELEASE, namespace: NAMESPACE, chartDir: CHART_DIR, kubeconfig: e.kubeconfig, values: { config: { 'log.retention.check.interval.ms': value } } });

        const rolledMs = await waitFor(
          async () => {
            const st = (await e.kube.apps.readNamespacedStatefulSet({ name: RELEASE, namespace: NAMESPACE })).status;
            const done =
              st?.updateRevision !== revisionBefore &&
              st?.currentRevision === st?.updateRevision &&
              st?.updatedReplicas === BROKERS &&
              st?.readyReplicas === BROKERS;
            return done ? Date.now() - upgradeAt : undefined;
          },
          { what: 'the StatefulSet to roll every broker', timeoutMs: 1200000, intervalMs: 2000 },
        );
        w.mark(`rollout complete (${(rolledMs / 1000).toFixed(0)}s)`);
        const isrMs = await waitFullIsr(s.probe, 300000);
        w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after the rollout)`);
        await sleep(10000);
        await podSampling.stop();

        // Restart order: when each old pod disappeared.
        const restarts: { pod: string; at: number }[] = [];
        for (const [name, uid] of before) {
          const gone = podSamples.find((p) => p.uids.get(name) !== uid);
          if (gone) restarts.push({ pod: name, at: gone.time });
        }
        restarts.sort((a, b) => a.at - b.at);
        for (const r of restarts) w.mark(`${r.pod} replaced`, {});
        w.fact('restartOrder', restarts.map((r) => `${r.pod}@+${((r.at - upgradeAt) / 1000).toFixed(0)}s`).join(' '));
        const maxNotReady = Math.max(...podSamples.filter((p) => p.time >= upgradeAt).map((p) => p.notReady));
        // Only samples that got an answer vouch for the roll; failed probes are counted as samplerErrors.
        const isrSamples = s.sampler.samples.filter((x) => x.time >= upgradeAt && x.partitions > 0);
        const underMin = underMinIsrSamples(isrSamples);
        w.fact('podSamples', podSamples.length);
        w.fact('isrSamples', isrSamples.length);
        w.fact('maxBrokersNotReady', maxNotReady);
        w.fact('samplesUnderMinIsr', underMin.length);
        w.fact('samplerErrors', s.sampler.errors.length);

        const { check, run: result } = await w.finish({ stopTraffic: true });
        assertStrict(check);
        assert.is(restarts.length, BROKERS, `pods replaced by the upgrade: ${restarts.map((r) => r.pod).join(', ')}`);
        assert.ok(maxNotReady <= 1, `${maxNotReady} brokers were unready at the same time`);
        assert.ok(isrSamples.length >= (rolledMs / 1000) * 0.5, `too few ISR samples (${isrSamples.length}) to vouch for the roll`);
        assert.equal(
          underMin.slice(0, 3).map((x) => ({ ...x, time: new Date(x.time).toISOString() })),
          [],
          `${underMin.length} samples had a partition under min ISR or offline`,
        );
        assert.is(result.failedSends, 0, `acks=all sends failed during the roll: ${String(result.facts.firstFailure ?? '')}`);
      } finally {
        await podSampling.stop();
      }
    });
  });

  test.run();
});
