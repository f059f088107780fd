// files/tls/GeneratedCertificate.class (tls.source=generated) run with `java` against a fake
// Kubernetes API (a local HTTPS server that stores Secrets): it creates the release's Secret once,
// with a certificate that openssl verifies against the CA and a PKCS#8 key that matches it, and it
// keeps a Secret that exists.
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { selfSigned } from "../helpers/certificates.js";
import { chartDir } from "../helpers/render.js";

const t = suite("GeneratedCertificate");
let dir = "";
let server: Server | undefined;
let port = 0;
const secrets = new Map<string, { metadata: { name: string; labels: Record<string, string> }; type: string; data: Record<string, string> }>();
const posts: string[] = [];

t.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kafka-ha-gencert-"));
  await selfSigned(dir, "127.0.0.1", ["-addext", "subjectAltName=IP:127.0.0.1"], "key.pem");
  writeFileSync(join(dir, "token"), "test-token\n");
  server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "ca.crt")) }, (req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.headers.authorization !== "Bearer test-token") return void res.writeHead(401).end("{}");
      const get = /^\/api\/v1\/namespaces\/kafka\/secrets\/([^/]+)$/.exec(req.url ?? "");
      if (req.method === "GET" && get) {
        const s = secrets.get(get[1] ?? "");
        return void (s ? res.writeHead(200).end(JSON.stringify(s)) : res.writeHead(404).end('{"code":404}'));
      }
      if (req.method === "POST" && req.url === "/api/v1/namespaces/kafka/secrets") {
        posts.push(body);
        const s = JSON.parse(body) as { metadata: { name: string; labels: Record<string, string> }; type: string; data: Record<string, string> };
        if (secrets.has(s.metadata.name)) return void res.writeHead(409).end('{"code":409}');
        secrets.set(s.metadata.name, s);
        return void res.writeHead(201).end(body);
      }
      res.writeHead(400).end("{}");
    });
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});
t.after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (secret: string) => {
  const work = mkdtempSync(join(dir, "work-"));
  return execa("java", ["-cp", join(chartDir, "files/tls"), "GeneratedCertificate"], {
    env: {
      KUBERNETES_SERVICE_HOST: "127.0.0.1",
      KUBERNETES_SERVICE_PORT: String(port),
      KAFKA_HA_SA_DIR: dir,
      KAFKA_HA_NAMESPACE: "kafka",
      KAFKA_HA_SECRET: secret,
      KAFKA_HA_COMMON_NAME: "kafka-ha",
      KAFKA_HA_DNS_NAMES: "*.kafka-ha-headless.kafka.svc.cluster.local,kafka-ha,kafka-ha.kafka.svc",
      KAFKA_HA_IP_ADDRESSES: "127.0.0.1",
      KAFKA_HA_VALIDITY_DAYS: "30",
      KAFKA_HA_SECRET_LABELS: '{"app.kubernetes.io/instance":"kafka-ha"}',
      KAFKA_HA_WORK_DIR: work,
    },
    reject: false,
  });
};

const decode = (s: string | undefined): string => Buffer.from(s ?? "", "base64").toString("utf8");

t("creates a kubernetes.io/tls Secret: a certificate signed by ca.crt for the given names, its PKCS#8 key, the labels", async () => {
  const r = await run("kafka-ha-tls");
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /created Secret kafka\/kafka-ha-tls/);
  const s = secrets.get("kafka-ha-tls");
  assert.ok(s);
  assert.is(s.type, "kubernetes.io/tls");
  assert.equal(s.metadata.labels, { "app.kubernetes.io/instance": "kafka-ha" });
  for (const key of ["tls.crt", "tls.key", "ca.crt"])
    assert.not.ok(decode(s.data[key]).includes("\r"), `${key}: LF line ends (Kafka's PEM reader matches no CRLF)`);
  const ca = new X509Certificate(decode(s.data["ca.crt"]));
  const cert = new X509Certificate(decode(s.data["tls.crt"]));
  assert.ok(ca.ca, "ca.crt is a CA certificate");
  assert.ok(cert.verify(ca.publicKey), "tls.crt is signed by ca.crt");
  assert.ok(cert.checkIssued(ca));
  assert.match(cert.subject, /CN=kafka-ha$/);
  assert.is(cert.subjectAltName, "DNS:*.kafka-ha-headless.kafka.svc.cluster.local, DNS:kafka-ha, DNS:kafka-ha.kafka.svc, IP Address:127.0.0.1");
  assert.ok(cert.checkHost("kafka-ha-2.kafka-ha-headless.kafka.svc.cluster.local"), "the wildcard covers every pod");
  const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 29 && days <= 30.01, `valid for ${String(days)} days`);
  const keyPem = decode(s.data["tls.key"]);
  assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/, "PKCS#8, which Kafka reads");
  const key = createPrivateKey(keyPem);
  assert.is(
    createPublicKey(key).export({ format: "pem", type: "spki" }).toString(),
    cert.publicKey.export({ format: "pem", type: "spki" }).toString(),
    "tls.key is the certificate's key",
  );
  assert.ok(!posts.at(-1)?.includes("ca.p12"), "no keystore leaks into the Secret");
});

t("keeps a Secret that exists: no new certificate", async () => {
  const before = JSON.stringify(secrets.get("kafka-ha-tls"));
  const postsBefore = posts.length;
  const r = await run("kafka-ha-tls");
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /exists, kept as it is/);
  assert.is(posts.length, postsBefore);
  assert.is(JSON.stringify(secrets.get("kafka-ha-tls")), before);
});

t("API errors fail the Job with the HTTP status", async () => {
  const bad = mkdtempSync(join(dir, "sa-"));
  writeFileSync(join(bad, "token"), "wrong");
  writeFileSync(join(bad, "ca.crt"), readFileSync(join(dir, "ca.crt")));
  const r = await execa("java", ["-cp", join(chartDir, "files/tls"), "GeneratedCertificate"], {
    env: {
      KUBERNETES_SERVICE_HOST: "127.0.0.1",
      KUBERNETES_SERVICE_PORT: String(port),
      KAFKA_HA_SA_DIR: bad,
      KAFKA_HA_NAMESPACE: "kafka",
      KAFKA_HA_SECRET: "x",
    },
    reject: false,
  });
  assert.is(r.exitCode, 1);
  assert.match(r.stderr, /answered HTTP 401/);
});

t.run();
