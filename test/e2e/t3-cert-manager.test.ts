// T3 cert-manager: the certificate path for real. cert-manager (built from the Go module proxy,
// scripts/env/cluster/cert-manager.ts) is installed with a CA ClusterIssuer; the release is installed
// with tls.source=certManager, so its pods start on the Certificate the chart renders. Under live
// acks=all traffic over TLS (every client checks the brokers' names), the certificate is rotated
// the way README "Security" says: cert-manager issues a new key from the same CA (here forced by
// deleting the Secret, as a renewal does on its own before expiry), then every pod is restarted
// one at a time. Each broker must then serve the new certificate; nothing acknowledged is lost and
// the Java client sees no failed send. The release and cert-manager are removed afterwards.
import { X509Certificate } from "node:crypto";
import * as assert from "uvu/assert";
import { BOOTSTRAP, NAMESPACE, RELEASE } from "../../scripts/env/release.js";
import { kubectl } from "../../scripts/env/cluster/k3d.js";
import { CERT_MANAGER_NAMESPACE, installCertManager, uninstallCertManager } from "../../scripts/env/cluster/cert-manager.js";
import { servedCertificate } from "../helpers/certificates.js";
import { clientSecurity, useSecurity } from "../helpers/connection.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { freshInstall, passesHelmTest, secretData } from "./env.js";
import { log, rollEveryPod } from "./session.js";
import { removeRelease, sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const T3: Scenario = {
  id: "T3",
  name: "cert-manager: issue and rotate under traffic",
  does: "installs cert-manager with a CA ClusterIssuer and the release with tls.source=certManager; under traffic over TLS, has cert-manager issue a new key and restarts every pod one at a time",
  holds:
    "the pods start on the Certificate the chart renders; after the rotation every broker serves the new certificate; Java clients: their rules and 0 failed sends; kafkajs with its defaults: its rules; helm test passes",
  procedure: "Security",
};

const ISSUER = "kafka-ha-test-ca";
const SECRET = `${RELEASE}-tls`;

// A self-signed root, a CA certificate from it, and a CA ClusterIssuer that signs with that CA: the
// usual cert-manager setup for a cluster-internal CA (the CA ClusterIssuer puts ca.crt in Secrets).
const ISSUERS = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: ${ISSUER}-root }
spec: { selfSigned: {} }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: ${ISSUER}, namespace: ${CERT_MANAGER_NAMESPACE} }
spec:
  isCA: true
  commonName: kafka-ha test CA
  secretName: ${ISSUER}
  privateKey: { algorithm: ECDSA, size: 256 }
  issuerRef: { name: ${ISSUER}-root, kind: ClusterIssuer, group: cert-manager.io }
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: ${ISSUER} }
spec: { ca: { secretName: ${ISSUER} } }
`;

const serialOf = (pem: string): string => new X509Certificate(pem).serialNumber;

export default scenarioFile(import.meta.url, [T3], (test, run) => {
  const scenario = sharedSession(test, run, T3, {
    javaClients: true,
    kafkajsDefaults: true,
    setUp: async (e) => {
      await installCertManager();
      await waitFor(async () => (await kubectl(["apply", "-f", "-"], { input: ISSUERS }), true), {
        what: "the test CA issuers",
        timeoutMs: 120000,
        intervalMs: 3000,
      });
      await kubectl(["-n", CERT_MANAGER_NAMESPACE, "wait", "--for=condition=Ready", `certificate/${ISSUER}`, "--timeout=120s"]);
      // The CA every certificate of the release is signed by: the suite's clients trust it from the start.
      const ca = Buffer.from(await kubectl(["-n", CERT_MANAGER_NAMESPACE, "get", "secret", ISSUER, "-o", "jsonpath={.data.tls\\.crt}"]), "base64").toString();
      useSecurity({ ca, secretName: SECRET });
      const { installMs } = await freshInstall(e, {
        values: { tls: { enabled: true, source: "certManager", certManager: { issuerRef: { name: ISSUER, kind: "ClusterIssuer" } } } },
      });
      const issued = await secretData(e, SECRET);
      assert.match(issued["tls.key"] ?? "", /^-----BEGIN PRIVATE KEY-----/, "cert-manager wrote a PKCS#8 key");
      assert.is(issued["ca.crt"]?.trim(), ca.trim(), "the Secret's ca.crt is the CA of the ClusterIssuer");
      log(`T3: release Ready on its cert-manager certificate ${(installMs / 1000).toFixed(0)}s after helm install`);
    },
    tearDown: async (e) => {
      await removeRelease("T3", "cert-manager goes too")(e);
      await kubectl(["delete", "-f", "-", "--ignore-not-found"], { input: ISSUERS }).catch(() => undefined);
      await uninstallCertManager().catch((err: unknown) => log(`removing cert-manager failed: ${String(err)}`));
    },
  });

  scenario(T3, async (w, s, e) => {
    const before = await secretData(e, SECRET);
    const oldSerial = serialOf(before["tls.crt"] ?? "");
    for (const address of BOOTSTRAP)
      assert.is((await servedCertificate(address, clientSecurity()?.ca ?? "")).serialNumber, oldSerial, `${address} serves the issued certificate`);
    await sleep(10000);

    // A renewal, brought forward: cert-manager issues a new key (rotationPolicy Always) from the same CA.
    w.mark(`certificate ${oldSerial} renewed by cert-manager (Secret deleted)`, { fault: true });
    await e.kube.core.deleteNamespacedSecret({ name: SECRET, namespace: NAMESPACE });
    const renewed = await waitFor(
      async () => {
        const d = await secretData(e, SECRET).catch(() => undefined);
        return d?.["tls.crt"] && serialOf(d["tls.crt"]) !== oldSerial ? d : undefined;
      },
      { what: "cert-manager to issue the new certificate", timeoutMs: 120000, intervalMs: 1000 },
    );
    const newSerial = serialOf(renewed["tls.crt"] ?? "");
    assert.is.not(renewed["tls.key"], before["tls.key"], "a new key");
    assert.is(renewed["ca.crt"], before["ca.crt"], "the same CA");
    w.mark(`new certificate ${newSerial} issued`);

    await rollEveryPod(e, w, s.probe, { "kafka-ha.test/certificate": newSerial }, "the new certificate");
    for (const address of BOOTSTRAP)
      assert.is((await servedCertificate(address, clientSecurity()?.ca ?? "")).serialNumber, newSerial, `${address} serves the new certificate`);
    w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));
    await sleep(10000);

    // A rotation is a graceful restart: the Java client's own retries must carry every send through it.
    await w.finishWithClients({ noFailedSends: true });
  });
});
