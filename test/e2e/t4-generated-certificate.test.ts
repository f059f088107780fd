// T4 generated certificate and SASL/PLAIN, then a new CA: the quick-start TLS path and the CA
// change README "Security" describes. The release is installed with tls.source=generated, so a hook
// Job creates its Secret (a CA and the server certificate) before any pod starts, and with
// SASL/PLAIN users (the brokers read the passwords from the users' Secret); a wrong password is
// turned away. Under live acks=all traffic over TLS and PLAIN (every client checks the brokers'
// names), the CA is replaced with an overlap, in the
// three steps of the README, each one `kubectl` edit of the Secret then a one-at-a-time restart:
//   1. ca.crt = old CA + new CA (every broker trusts both);
//   2. tls.crt/tls.key = a certificate from the new CA (peers trust it already);
//   3. ca.crt = new CA only.
// The clients trust both CAs from the start, as the procedure asks of them before step 2. Each
// restart is a `helm upgrade`, which reruns the generator Job: it must keep the edited Secret.
// Nothing acknowledged is lost, the Java client sees no failed send, and every broker ends on the
// new certificate.
import { X509Certificate, randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import * as assert from "uvu/assert";
import { BOOTSTRAP, NAMESPACE, RELEASE } from "../../scripts/env/release.js";
import { serverCertificate, servedCertificate } from "../helpers/certificates.js";
import { type SaslUser, clientSecurity, kafkajsSasl, useSecurity } from "../helpers/connection.js";
import { sleep } from "../../scripts/lib/wait.js";
import { type Env, freshInstall, passesHelmTest, secretData } from "./env.js";
import { log, rollEveryPod } from "./session.js";
import { removeRelease, sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const T4: Scenario = {
  id: "T4",
  name: "generated certificate and SASL/PLAIN, then a new CA with overlap",
  does: "installs with tls.source=generated and SASL/PLAIN users; under traffic over TLS and PLAIN, replaces the CA in README's three steps (trust both, new certificate, drop the old CA), each a Secret edit and a one-at-a-time restart",
  holds:
    "the hook Job creates the Secret before the pods start and keeps it on every upgrade; a wrong PLAIN password fails with an authentication error; after the steps every broker serves the new CA's certificate; Java clients: their rules and 0 failed sends; kafkajs with its defaults: its rules; helm test passes",
  procedure: "Security",
};

const SECRET = `${RELEASE}-tls`;
// The clients' truststore, both CAs (a client-side file in real life; the Java clients' pod mounts it).
const CLIENT_TRUST = "t4-client-trust";
const USERS_SECRET = `${RELEASE}-t4-users`;
const SUITE: SaslUser = { mechanism: "PLAIN", username: "ha-suite", password: randomBytes(18).toString("base64url") };
const PLAIN_VALUES = {
  tls: { enabled: true, source: "generated" },
  sasl: { enabled: true, mechanism: "PLAIN", users: [{ name: SUITE.username, passwordSecret: { name: USERS_SECRET, key: SUITE.username } }] },
};

/** What a client with a wrong PLAIN password gets when it connects (no retry: the verdict is the point). */
async function wrongPassword(): Promise<string> {
  const producer = new Kafka({
    clientId: "t4-wrong-password",
    brokers: [...BOOTSTRAP],
    ssl: { ca: [clientSecurity()?.ca ?? ""] },
    sasl: kafkajsSasl({ ...SUITE, password: "wrong-password" }),
    retry: { retries: 0 },
    connectionTimeout: 10000,
    logLevel: logLevel.NOTHING,
  }).producer();
  try {
    await producer.connect();
    return "connected";
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** What a user does with `kubectl edit secret`: replaces some of the Secret's keys. */
async function editSecret(e: Env, data: Record<string, string>): Promise<void> {
  const s = await e.kube.core.readNamespacedSecret({ name: SECRET, namespace: NAMESPACE });
  s.data = { ...s.data, ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])) };
  await e.kube.core.replaceNamespacedSecret({ name: SECRET, namespace: NAMESPACE, body: s });
}

const serialOf = (pem: string): string => new X509Certificate(pem).serialNumber;

async function assertServed(serial: string, what: string): Promise<void> {
  for (const address of BOOTSTRAP) assert.is((await servedCertificate(address, clientSecurity()?.ca ?? "")).serialNumber, serial, `${address} serves ${what}`);
}

export default scenarioFile(import.meta.url, [T4], (test, run) => {
  let next: Awaited<ReturnType<typeof serverCertificate>> | undefined;

  const scenario = sharedSession(test, run, T4, {
    javaClients: true,
    kafkajsDefaults: true,
    setUp: async (e) => {
      let generated: Record<string, string> = {};
      const { installMs } = await freshInstall(e, {
        values: PLAIN_VALUES,
        beforeInstall: async () => {
          await e.kube.core.createNamespacedSecret({
            namespace: NAMESPACE,
            body: { metadata: { name: USERS_SECRET }, stringData: { [SUITE.username]: SUITE.password } },
          });
        },
        // The CA exists only once the chart's Job has made it; the clients trust it (and the next CA) from then on.
        beforeClients: async () => {
          generated = await secretData(e, SECRET);
          next = await serverCertificate({ release: RELEASE, namespace: NAMESPACE, externalIp: "127.0.0.1" });
          const bothCas = `${(generated["ca.crt"] ?? "").trim()}\n${next.ca.trim()}\n`;
          await e.kube.core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: CLIENT_TRUST }, stringData: { "ca.crt": bothCas } } });
          useSecurity({ ca: bothCas, secretName: CLIENT_TRUST, sasl: SUITE });
        },
      });
      const meta = (await e.kube.core.readNamespacedSecret({ name: SECRET, namespace: NAMESPACE })).metadata;
      assert.is(meta?.annotations?.["kafka-ha/generated-by"], "tls.source=generated", "the generator Job made the Secret");
      assert.is(meta?.annotations?.["meta.helm.sh/release-name"], undefined, "not a release resource: no render holds a key");
      assert.ok(
        new X509Certificate(generated["tls.crt"] ?? "").verify(new X509Certificate(generated["ca.crt"] ?? "").publicKey),
        "tls.crt is signed by ca.crt",
      );
      log(`T4: release Ready on its generated certificate ${(installMs / 1000).toFixed(0)}s after helm install`);
    },
    tearDown: removeRelease("T4", "the namespace takes the generated Secret with it"),
  });

  scenario(T4, async (w, s, e) => {
    const cert = next!;
    const generated = await secretData(e, SECRET);
    const oldSerial = serialOf(generated["tls.crt"] ?? "");
    await assertServed(oldSerial, "the generated certificate");
    const refused = await wrongPassword();
    w.mark(`wrong PLAIN password: ${refused}`);
    assert.match(refused, /SASL|[Aa]uthentication/, "a wrong password fails with an authentication error");
    await sleep(10000);

    const bothCas = `${(generated["ca.crt"] ?? "").trim()}\n${cert.ca.trim()}\n`;
    w.mark("step 1: ca.crt = old CA + new CA", { fault: true });
    await editSecret(e, { "ca.crt": bothCas });
    await rollEveryPod(e, w, s.probe, { "kafka-ha.test/ca": "both" }, "step 1");
    assert.is((await secretData(e, SECRET))["ca.crt"], bothCas, "the generator Job (pre-upgrade) kept the edited Secret");
    await assertServed(oldSerial, "the generated certificate still");

    const newSerial = serialOf(cert.cert);
    w.mark(`step 2: tls.crt = ${newSerial} from the new CA`, { fault: true });
    await editSecret(e, { "tls.crt": cert.cert, "tls.key": cert.key });
    await rollEveryPod(e, w, s.probe, { "kafka-ha.test/ca": "new-certificate" }, "step 2");
    await assertServed(newSerial, "the new CA's certificate");

    w.mark("step 3: ca.crt = new CA only", { fault: true });
    await editSecret(e, { "ca.crt": cert.ca });
    await rollEveryPod(e, w, s.probe, { "kafka-ha.test/ca": "new-only" }, "step 3");
    await assertServed(newSerial, "the new CA's certificate");
    w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));
    await sleep(10000);

    // Every step is a graceful restart: the Java client's own retries must carry every send through it.
    await w.finishWithClients({ noFailedSends: true });
  });
});
