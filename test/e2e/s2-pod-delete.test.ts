// S2 pod deleted: `kubectl delete pod` on the leader of a partition. The pod comes back with the
// same name on the same volume; nothing acknowledged is lost.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NAMESPACE, brokerPods } from '../../scripts/release.js';
import { deletePod } from '../helpers/faults.js';
import { waitFullIsr } from '../helpers/kafka-admin.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { env, leaderBroker } from './env.js';
import { assertJavaClients } from '../helpers/java-clients.js';
import { Session, assertStrict } from './session.js';
import { scenarioFile } from './registry.js';

scenarioFile(import.meta.url, (run) => {
  const test = suite(`S2 pod deleted (run ${run})`);
  let session: Session | undefined;

  test.before(async () => {
    session = await Session.prepare('s2', run, { javaClients: true });
  });

  test.after(async () => {
    await session?.close();
  });

  test('S2 pod deleted: the partition leader comes back with the same name and volume', async () => {
    const e = await env();
    const s = session!;
    const w = s.window('S2', 'pod deleted');
    await w.run(async () => {
      await sleep(10000);
      const before = (await leaderBroker(e, s.probe, s.traffic.topic, 0)).pod;
      const { name } = before;
      assert.ok(before.pvc, `${name} has no PVC`);
      const pvcBefore = await e.kube.core.readNamespacedPersistentVolumeClaim({ name: before.pvc, namespace: NAMESPACE });
      w.fact('deletedPod', name);
      w.fact('node', before.node);

      w.mark(`delete pod ${name} (leader of partition 0)`, { fault: true });
      const oldUid = await deletePod(e.kube, NAMESPACE, name);

      const after = await waitFor(
        async () => (await brokerPods(e.kube.core)).find((p) => p.name === name && p.uid !== oldUid && p.ready),
        { what: `${name} to come back Ready`, timeoutMs: 300000, intervalMs: 1000 },
      );
      w.mark(`${name} Ready again`);
      const pvcAfter = await e.kube.core.readNamespacedPersistentVolumeClaim({ name: after.pvc, namespace: NAMESPACE });
      assert.is(after.pvc, before.pvc, 'the new pod mounts the same claim');
      assert.is(pvcAfter.metadata?.uid, pvcBefore.metadata?.uid, 'the claim is the same object (same volume)');
      assert.is(pvcAfter.spec?.volumeName, pvcBefore.spec?.volumeName, 'the claim is bound to the same volume');
      assert.is(after.node, before.node, 'a local volume brings the pod back on its node');

      const isrMs = await waitFullIsr(s.probe, 300000);
      w.mark(`full ISR (${(isrMs / 1000).toFixed(0)}s after Ready)`);
      await sleep(10000);
      const { check, java } = await w.finish({ stopTraffic: true });
      assertStrict(check);
      w.assertReadyMeansInIsr(1);
      // A graceful restart: the Java client's own retries (defaults) must carry every send through it.
      assertJavaClients(java, { noFailedSends: true });
    });
  });

  test.run();
});
