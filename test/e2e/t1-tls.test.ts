// T1 TLS everywhere: the release installed with TLS on every listener (client, internal,
// controller, external) from a Secret the user made with openssl (test/helpers/certificates.ts, as
// the README's "Security" section says), and every client of the suite over TLS with the brokers'
// names checked: the harness traffic and kafkajs with its defaults through the external node ports,
// Kafka's Java clients through the client Service. Under live acks=all traffic the leader of
// partition 0 is deleted, then a values change rolls every pod one at a time; nothing acknowledged
// is lost, the graceful faults cost the Java client no send, and `helm test` passes over TLS. A
// plaintext client gets no answer from a TLS port. The release is removed afterwards, so a later
// scenario installs the defaults afresh.
import { Kafka, logLevel } from "kafkajs";
import { BOOTSTRAP, CHART_DIR, EXTERNAL_HOST, NAMESPACE, RELEASE, brokerPods, uninstallChart } from "../../scripts/release.js";
import { serverCertificate } from "../helpers/certificates.js";
import { useTls } from "../helpers/connection.js";
import { deletePod, helmUpgrade } from "../helpers/faults.js";
import { assertJavaClients } from "../helpers/java-clients.js";
import { waitFullIsr } from "../helpers/kafka-admin.js";
import { assertKafkajsDefaults } from "../helpers/kafkajs-defaults.js";
import { sleep, waitFor } from "../helpers/wait.js";
import { deleteNamespace, env, freshInstall, leaderBroker, passesHelmTest, updateRevision, waitRolled } from "./env.js";
import { Session, assertStrict, log } from "./session.js";
import { type Scenario, scenarioFile, title } from "./scenario.js";

const T1: Scenario = {
  id: "T1",
  name: "TLS everywhere: pod delete and rolling restart",
  does: "installs the release with TLS on every listener (certificate from a user's Secret), deletes the leader of partition 0, then rolls every pod with a values change",
  holds:
    "every client connects over TLS with the brokers' names checked; a plaintext client gets no answer from a TLS port; Java clients: their rules and 0 failed sends through both graceful faults; kafkajs with its defaults: its rules; helm test passes over TLS",
  procedure: "Security",
};

const TLS_SECRET = `${RELEASE}-test-tls`;

/** A plaintext client against a TLS port: the connection must fail (the broker reads no Kafka request from it). */
async function plaintextRefused(address: string): Promise<string> {
  const admin = new Kafka({
    clientId: "t1-plaintext",
    brokers: [address],
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await Promise.race([admin.connect(), sleep(20000).then(() => Promise.reject(new Error("no answer within 20 s")))]);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    void admin.disconnect().catch(() => undefined);
  }
  throw new Error(`a plaintext client connected to ${address}, a TLS port`);
}

export default scenarioFile(import.meta.url, [T1], (test, run) => {
  let session: Session | undefined;

  test.before(async () => {
    const e = await env();
    const cert = await serverCertificate({ release: RELEASE, namespace: NAMESPACE, externalIp: EXTERNAL_HOST });
    useTls({ ca: cert.ca, secretName: TLS_SECRET });
    const { installMs } = await freshInstall(e, {
      values: { tls: { enabled: true, secret: { name: TLS_SECRET } } },
      beforeInstall: async () => {
        await e.kube.core.createNamespacedSecret({
          namespace: NAMESPACE,
          body: { metadata: { name: TLS_SECRET }, type: "kubernetes.io/tls", stringData: { "tls.crt": cert.cert, "tls.key": cert.key, "ca.crt": cert.ca } },
        });
      },
    });
    log(`T1: TLS release Ready ${(installMs / 1000).toFixed(0)}s after helm install`);
    session = await Session.prepare(T1, run, { javaClients: true, kafkajsDefaults: true });
  });

  test.after(async () => {
    await session?.close();
    const e = await env();
    log("T1: removing the TLS release (later scenarios install the defaults)");
    await uninstallChart(e.kubeconfig).catch((err: unknown) => log(`helm uninstall failed: ${String(err)}`));
    await deleteNamespace(e.kube).catch((err: unknown) => log(`deleting namespace ${NAMESPACE} failed: ${String(err)}`));
  });

  test(title(T1), async () => {
    const e = await env();
    const s = session!;
    const w = s.window(T1);
    await w.run(async () => {
      const refusal = await plaintextRefused(BOOTSTRAP[0] ?? "");
      w.mark(`a plaintext client on ${BOOTSTRAP[0] ?? ""}: ${refusal}`);
      await sleep(10000);

      const leader = await leaderBroker(e, s.probe, s.traffic.topic, 0);
      const { name } = leader.pod;
      w.mark(`delete pod ${name} (leader of partition 0)`, { fault: true });
      const oldUid = await deletePod(e.kube, NAMESPACE, name);
      await waitFor(async () => (await brokerPods(e.kube.core)).find((p) => p.name === name && p.uid !== oldUid && p.ready), {
        what: `${name} to come back Ready`,
        timeoutMs: 300000,
        intervalMs: 1000,
      });
      w.mark(`${name} Ready again`);
      w.mark(`full ISR (${((await waitFullIsr(s.probe, 300000)) / 1000).toFixed(0)}s after Ready)`);
      await sleep(10000);

      const revisionBefore = await updateRevision(e);
      const rollAt = w.mark("helm upgrade: a pod annotation rolls every pod", { fault: true });
      await helmUpgrade({
        release: RELEASE,
        namespace: NAMESPACE,
        chartDir: CHART_DIR,
        kubeconfig: e.kubeconfig,
        values: { podAnnotations: { "kafka-ha.test/rolled": `run-${run}-${Date.now()}` } },
      });
      const rolledMs = await waitRolled(e, revisionBefore, rollAt);
      w.mark(`rollout complete (${(rolledMs / 1000).toFixed(0)}s)`);
      w.fact("rolloutSeconds", Math.round(rolledMs / 1000));
      w.mark(`full ISR (${((await waitFullIsr(s.probe, 300000)) / 1000).toFixed(0)}s after the rollout)`);
      w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));
      await sleep(10000);

      const { check, java, kafkajsDefaults } = await w.finish({ stopTraffic: true });
      assertStrict(check);
      // Graceful faults: the Java client's own retries (defaults) must carry every send through them.
      assertJavaClients(java, { noFailedSends: true });
      assertKafkajsDefaults(kafkajsDefaults);
    });
  });
});
