// Security (values tls.*, sasl.*, authorization.*; README "Security"). TLS: what the renders give every pod and the helm test pod, the
// names the cert-manager Certificate covers (checked against every pod's advertised name, in both
// modes), and start.sh's TLS part run with bash: the certificate and key reach server.properties
// exactly (read back with java.util.Properties, as Kafka loads it), the tools get client settings
// per listener, and a key Kafka cannot read stops the start with a message saying how to convert it.
// SASL and the authorizer: the listeners' protocols, the security Job and what start.sh makes of the
// certificate (super.users = User:<its CN>). The cert-manager Certificate is validated against
// cert-manager's own CRD by render.test.ts (fixture tls-cert-manager); the Job's script is tested in
// security-sync.test.ts; the generated certificate's Job
// in generated-certificate.test.ts; refusals are in test/fixtures/invalid (93-109).
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { javaProperties } from "../helpers/java-properties.js";
import { loadScenarios, render, renderNotes, type Rendered } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";
import { runChartScript, writeStubs } from "./fake-tools.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are read structurally */
type Obj = any;

const t = suite("security");
const scenarios = loadScenarios();
const fixture = (name: string): KafkaHaValues => {
  const v = scenarios.get(name);
  if (!v) throw new Error(`no fixture ${name}`);
  return v;
};

const podSpecs = (r: Rendered): { name: string; spec: Obj }[] => [
  ...r.ofKind("StatefulSet").map((s: Obj) => ({ name: `StatefulSet/${s.metadata.name}`, spec: s.spec.template.spec })),
  ...r.ofKind("Pod").map((p: Obj) => ({ name: `Pod/${p.metadata.name}`, spec: p.spec })),
];
const tlsSecretOf = (spec: Obj): string | undefined => spec.volumes?.find((v: Obj) => v.name === "tls")?.secret?.secretName;
const serverProperties = (r: Rendered): string => r.get<Obj>("ConfigMap", "kafka-ha-config").data["server.properties"];

/** Every pod's advertised name: <statefulset>-<ordinal>.<headless>.<namespace>.svc.cluster.local. */
const podNames = (r: Rendered): string[] =>
  r
    .ofKind("StatefulSet")
    .flatMap((s: Obj) => Array.from({ length: s.spec.replicas as number }, (_, i) => `${s.metadata.name}-${i}.kafka-ha-headless.kafka.svc.cluster.local`));

/** RFC 6125 matching as Java and Node do it: a wildcard stands for exactly one left-most label. */
const covers = (san: string, host: string): boolean =>
  san.startsWith("*.") ? host.slice(host.indexOf(".") + 1) === san.slice(2) && !host.slice(0, host.indexOf(".")).includes(".") : san === host;

t("off by default: every listener PLAINTEXT, no certificate volume, no Certificate", async () => {
  const r = await render({});
  assert.ok(serverProperties(r).includes("listener.security.protocol.map=CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT"));
  assert.not.ok(serverProperties(r).includes("ssl."));
  for (const p of podSpecs(r)) assert.is(tlsSecretOf(p.spec), undefined, p.name);
  assert.is(r.ofKind("Certificate").length, 0);
});

t("source secret: every Kafka pod and the helm test pod mount the user's Secret; start.sh is told which listeners", async () => {
  const r = await render(fixture("tls-secret"));
  assert.ok(serverProperties(r).includes("listener.security.protocol.map=CLIENT:SSL,INTERNAL:SSL,CONTROLLER:SSL,EXTERNAL:SSL"));
  assert.ok(serverProperties(r).includes("listener.name.client.ssl.client.auth=requested"));
  assert.ok(serverProperties(r).includes("listener.name.internal.ssl.client.auth=required"), "peers always present the release's certificate");
  for (const p of podSpecs(r)) assert.is(tlsSecretOf(p.spec), "kafka-tls", p.name);
  const kafka = (r.get<Obj>("StatefulSet", "kafka-ha").spec.template.spec.containers as Obj[]).find((c) => c.name === "kafka");
  const env = Object.fromEntries((kafka.env as Obj[]).map((e) => [e.name, e.value]));
  assert.is(env["KAFKA_HA_TLS_LISTENERS"], "CLIENT INTERNAL CONTROLLER EXTERNAL");
  assert.is(env["KAFKA_HA_TLS_DIR"], "/opt/kafka-ha/tls");
  const test = r.get<Obj>("Pod", "kafka-ha-test").spec.containers[0].command.join("\n");
  assert.match(test, /security\.protocol=SSL/);
  assert.match(test, /ssl\.keystore\.key=/, "clientAuth=requested: the test pod presents the release's certificate");
});

t("only some listeners: the map follows tls.listeners and only those get ssl.client.auth", async () => {
  const r = await render({ tls: { enabled: true, secret: { name: "kafka-tls" }, listeners: { internal: false, controller: false } } });
  const props = serverProperties(r);
  assert.ok(props.includes("listener.security.protocol.map=CLIENT:SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:SSL"));
  assert.not.ok(props.includes("listener.name.internal."));
  assert.ok(props.includes("listener.name.client.ssl.client.auth=none"));
});

t("source certManager: the Certificate covers every pod's advertised name, the client Service and the external host, in both modes", async () => {
  for (const name of ["tls-cert-manager", "tls-secret"]) {
    const values: KafkaHaValues =
      name === "tls-secret"
        ? { ...fixture(name), tls: { ...fixture(name).tls, source: "certManager", certManager: { issuerRef: { name: "ca" } } } }
        : fixture(name);
    const r = await render(values);
    const cert = r.get<Obj>("Certificate", "kafka-ha-tls").spec;
    assert.is(cert.secretName, "kafka-ha-tls");
    assert.is(cert.privateKey.encoding, "PKCS8", "Kafka reads PKCS#8 keys only");
    assert.ok(cert.usages.includes("client auth") && cert.usages.includes("server auth"), "brokers and controllers present it to each other");
    const sans: string[] = cert.dnsNames;
    const hosts = [...podNames(r), "kafka-ha", "kafka-ha.kafka", "kafka-ha.kafka.svc", "kafka-ha.kafka.svc.cluster.local"];
    for (const h of hosts)
      assert.ok(
        sans.some((s) => covers(s, h)),
        `${name}: ${h} is not covered by ${sans.join(", ")}`,
      );
    if (name === "tls-cert-manager") {
      assert.ok(sans.includes("kafka-ext.example.com") && sans.includes("kafka.example.com"), "external host and extraDnsNames");
      assert.is(cert.ipAddresses, undefined);
      assert.equal(cert.issuerRef, { name: "corp-ca", kind: "ClusterIssuer", group: "cert-manager.io" });
    } else {
      assert.equal(cert.ipAddresses, ["127.0.0.1"], "an IPv4 external host is an IP SAN");
    }
    for (const p of podSpecs(r)) assert.is(tlsSecretOf(p.spec), "kafka-ha-tls", `${name}: ${p.name}`);
  }
});

t("source generated: hook Job and account made before the release, the names it certifies, and no key in any render", async () => {
  const r = await render(fixture("tls-generated"));
  const job = r.get<Obj>("Job", "kafka-ha-tls-generator");
  const hooks = ["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Job"].map((kind) => r.get<Obj>(kind, "kafka-ha-tls-generator"));
  for (const h of hooks) assert.is(h.metadata.annotations["helm.sh/hook"], "pre-install,pre-upgrade", h.kind);
  const weight = (h: Obj): number => Number(h.metadata.annotations["helm.sh/hook-weight"]);
  for (const h of hooks.slice(0, 4)) assert.ok(weight(h) < weight(job), `${String(h.kind)} exists before the Job runs`);
  assert.equal(r.get<Obj>("Role", "kafka-ha-tls-generator").rules, [
    { apiGroups: [""], resources: ["secrets"], resourceNames: ["kafka-ha-tls"], verbs: ["get"] },
    { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
  ]);
  const pod = job.spec.template.spec;
  assert.is(pod.serviceAccountName, "kafka-ha-tls-generator");
  assert.not.ok(pod.metadata?.labels?.["app.kubernetes.io/name"] === "kafka-ha", "no Service of the release selects the Job's pod");
  assert.is(job.spec.template.metadata.labels["app.kubernetes.io/name"], "kafka-ha-tls-generator");
  const env = Object.fromEntries((pod.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
  assert.is(env["KAFKA_HA_SECRET"], "kafka-ha-tls");
  assert.is(env["KAFKA_HA_VALIDITY_DAYS"], "825");
  assert.is(env["KAFKA_HA_IP_ADDRESSES"], "127.0.0.1", "the external host");
  const sans = (env["KAFKA_HA_DNS_NAMES"] as string).split(",");
  for (const h of [...podNames(r), "kafka-ha", "kafka-ha.kafka.svc.cluster.local", "kafka.example.com"])
    assert.ok(
      sans.some((s) => covers(s, h)),
      `${h} is not covered by ${sans.join(", ")}`,
    );
  assert.equal(JSON.parse(env["KAFKA_HA_SECRET_LABELS"] as string), { "app.kubernetes.io/name": "kafka-ha", "app.kubernetes.io/instance": "kafka-ha" });
  for (const p of podSpecs(r)) assert.is(tlsSecretOf(p.spec), "kafka-ha-tls", p.name);
  assert.is(r.ofKind("Secret").filter((s: Obj) => s.metadata.name === "kafka-ha-tls").length, 0, "the Secret is never rendered");
  assert.not.match(
    JSON.stringify([...r.ofKind("ConfigMap"), ...r.ofKind("Secret")]),
    /-----BEGIN [A-Z ]+-----(\\n)?[A-Za-z0-9+/]{16}/,
    "no certificate or key in a render",
  );
  assert.is(r.ofKind("Certificate").length, 0);
});

t("NOTES: the pod commands use run/client.properties and the client settings are listed", async () => {
  const notes = await renderNotes(fixture("tls-cert-manager"));
  assert.match(notes, /kafka-console-producer\.sh --bootstrap-server localhost:9092 --command-config \/opt\/kafka-ha\/run\/client\.properties/);
  assert.match(notes, /ssl\.truststore\.type=PEM/);
  assert.match(notes, /ssl\.keystore\.key=/, "clientAuth=required: clients need a certificate");
  assert.match(notes, /rollout restart statefulset\/kafka-ha-broker and statefulset\/kafka-ha-controller/);
  assert.not.match(await renderNotes({}), /--command-config|TLS on/);
});

t("SASL and the authorizer (fixture secured): SASL_SSL on client and external, the authorizer, the release's CN as principal, the Job", async () => {
  const r = await render(fixture("secured"));
  const props = serverProperties(r);
  assert.ok(props.includes("listener.security.protocol.map=CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL,EXTERNAL:SASL_SSL"));
  assert.ok(props.includes("sasl.enabled.mechanisms=SCRAM-SHA-512"));
  for (const l of ["client", "external"])
    assert.ok(props.includes(`listener.name.${l}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`));
  assert.ok(props.includes("allow.everyone.if.no.acl.found=false"));
  for (const l of ["internal", "controller"])
    assert.ok(props.includes(`listener.name.${l}.ssl.principal.mapping.rules=RULE:^(.*,)?CN=([^,]+)(,.*)?$/$2/,DEFAULT`));
  assert.not.match(props, /^super\.users=/m, "written per pod by start.sh (from the certificate)");
  const job = r.get<Obj>("Job", "kafka-ha-security");
  assert.is(job.metadata.annotations["helm.sh/hook"], "post-install,post-upgrade");
  const jobPod = job.spec.template.spec;
  assert.is(tlsSecretOf(jobPod), "kafka-tls");
  const users = jobPod.volumes.find((v: Obj) => v.name === "users");
  assert.equal(users.projected.sources, [{ secret: { name: "kafka-users", items: [{ key: "alice", path: "alice" }] } }]);
  assert.equal(r.get<Obj>("ConfigMap", "kafka-ha-security").data.acls.trim().split("\n"), [
    "TOPIC|orders-|PREFIXED|User:alice|*|READ|ALLOW",
    "TOPIC|orders-|PREFIXED|User:alice|*|WRITE|ALLOW",
    "TOPIC|orders-|PREFIXED|User:alice|*|DESCRIBE|ALLOW",
    "TOPIC|orders-|PREFIXED|User:alice|*|CREATE|ALLOW",
    "GROUP|orders-|PREFIXED|User:alice|*|READ|ALLOW",
  ]);
  // helm test: no user of its own, so the internal listener as the release.
  const test = r.get<Obj>("Pod", "kafka-ha-test").spec.containers[0];
  assert.match(test.env.find((e: Obj) => e.name === "BOOTSTRAP").value, /^kafka-ha-0\.kafka-ha-headless\.kafka\.svc\.cluster\.local:9094,/);
  assert.match(test.command.join("\n"), /ssl\.keystore\.key=/);
  const notes = await renderNotes(fixture("secured"));
  assert.match(notes, /security\.protocol=SASL_SSL/);
  assert.match(notes, /--bootstrap-server localhost:9094 --command-config \/opt\/kafka-ha\/run\/internal-client\.properties/);
});

t("no SASL, no authorizer: no Job, no SASL or authorizer setting", async () => {
  const r = await render(fixture("tls-secret"));
  assert.is(r.find("Job", "kafka-ha-security"), undefined);
  assert.not.match(serverProperties(r), /sasl\.|authorizer|principal\.mapping/);
});

// ---- start.sh's TLS part, with bash and stub Kafka tools ----

const STORAGE_STUB = `#!/usr/bin/env bash
cfg=""; while [ $# -gt 0 ]; do [ "$1" = --config ] && cfg="$2"; shift; done
d="$(sed -n 's/^log.dirs=//p' "$cfg")"; mkdir -p "$d"; printf 'cluster.id=%s\\nnode.id=5\\n' "$CLUSTER_ID" > "$d/meta.properties"
`;
const SERVER_STUB = `#!/usr/bin/env bash
cp "$1" "$FAKE/started.properties"
`;

/** Runs start.sh as broker 5 with TLS files made of `key` (PEM); resolves with the fake's directory and the result. */
async function startBroker(key: string, cert = CERT, env: Record<string, string> = {}): Promise<{ dir: string; exitCode: number | undefined; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-tls-start-"));
  writeStubs(join(dir, "bin"), { "kafka-storage.sh": STORAGE_STUB, "kafka-server-start.sh": SERVER_STUB });
  mkdirSync(join(dir, "run"));
  mkdirSync(join(dir, "tls"));
  writeFileSync(join(dir, "tls/tls.crt"), cert);
  writeFileSync(join(dir, "tls/tls.key"), key);
  writeFileSync(join(dir, "tls/ca.crt"), CERT);
  writeFileSync(join(dir, "template.properties"), "min.insync.replicas=2\n");
  const r = await runChartScript("start.sh", dir, {
    POD_NAME: "kafka-ha-broker-5",
    CLUSTER_ID: "MkU3OEVBNTcwNTJENDM2Qg",
    KAFKA_HA_ROLE: "broker",
    KAFKA_HA_DOMAIN: "kafka-ha-headless.kafka.svc.cluster.local",
    KAFKA_HA_VOTERS: "1000@kafka-ha-controller-0.kafka-ha-headless.kafka.svc.cluster.local:9093",
    KAFKA_HA_CONFIG_TEMPLATE: join(dir, "template.properties"),
    KAFKA_HA_RUN_DIR: join(dir, "run"),
    KAFKA_HA_DATA_DIR: join(dir, "data"),
    KAFKA_HA_CLIENT_PORT: "9092",
    KAFKA_HA_CONTROLLER_PORT: "9093",
    KAFKA_HA_INTERNAL_PORT: "9094",
    KAFKA_HA_EXTERNAL_PORT: "9095",
    KAFKA_HA_TLS_LISTENERS: "CLIENT INTERNAL CONTROLLER",
    KAFKA_HA_TLS_DIR: join(dir, "tls"),
    ...env,
  });
  return { dir, exitCode: r.exitCode, stderr: r.stderr };
}

// Not a real certificate: start.sh only copies it, and Kafka is a stub here (the e2e suite runs real ones).
const CERT =
  "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUDummyCertificateBodyForTheTest0wCgYIKoZIzj0E\nAwIwDzENMAsGA1UEAwwEdGVzdA==\n-----END CERTIFICATE-----\n";
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PKCS8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PKCS1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();

t("start.sh: the certificate and key reach server.properties exactly; the tools get client settings per listener", async () => {
  const { dir, exitCode, stderr } = await startBroker(PKCS8);
  try {
    assert.is(exitCode, 0, stderr);
    const props = await javaProperties(readFileSync(join(dir, "started.properties"), "utf8"));
    assert.is(props["ssl.keystore.type"], "PEM");
    assert.is(props["ssl.keystore.key"], PKCS8);
    assert.is(props["ssl.keystore.certificate.chain"], CERT);
    const client = await javaProperties(readFileSync(join(dir, "run/client.properties"), "utf8"));
    assert.is(client["security.protocol"], "SSL");
    assert.is(client["ssl.truststore.location"], join(dir, "tls/ca.crt"));
    assert.is(client["ssl.keystore.key"], PKCS8, "the tools present the pod's certificate (internal and controller listeners require one)");
    assert.is(client["ssl.endpoint.identification.algorithm"], "", "localhost is not among the certificate's names");
    assert.is((await javaProperties(readFileSync(join(dir, "run/controller-client.properties"), "utf8")))["security.protocol"], "SSL");
    // EXTERNAL is not in KAFKA_HA_TLS_LISTENERS here, and no tool uses it; INTERNAL is.
    assert.is((await javaProperties(readFileSync(join(dir, "run/internal-client.properties"), "utf8")))["security.protocol"], "SSL");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t("start.sh: a certificate and key with Windows line ends reach server.properties whole, without the CRs", async () => {
  const crlf = (pem: string): string => pem.replaceAll("\n", "\r\n");
  const { dir, exitCode, stderr } = await startBroker(crlf(PKCS8), crlf(CERT));
  try {
    assert.is(exitCode, 0, stderr);
    const props = await javaProperties(readFileSync(join(dir, "started.properties"), "utf8"));
    assert.is(props["ssl.keystore.key"], PKCS8);
    assert.is(props["ssl.keystore.certificate.chain"], CERT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t("SASL/PLAIN: brokers mount the users' Secrets, start.sh writes each SASL listener's users; the Job keeps no SCRAM user", async () => {
  const r = await render({ ...fixture("secured"), sasl: { ...fixture("secured").sasl, mechanism: "PLAIN" } });
  const props = serverProperties(r);
  assert.ok(props.includes("sasl.enabled.mechanisms=PLAIN"));
  assert.not.match(props, /sasl\.jaas\.config/, "the users' passwords are never in a ConfigMap");
  const pod = r.get<Obj>("StatefulSet", "kafka-ha").spec.template.spec;
  const kafka = pod.containers.find((c: Obj) => c.name === "kafka");
  assert.ok(kafka.volumeMounts.some((m: Obj) => m.name === "users" && m.mountPath === "/opt/kafka-ha/users" && m.readOnly));
  assert.equal(pod.volumes.find((v: Obj) => v.name === "users").projected.sources, [
    { secret: { name: "kafka-users", items: [{ key: "alice", path: "alice" }] } },
  ]);
  assert.ok(kafka.env.some((e: Obj) => e.name === "KAFKA_HA_PLAIN_USERS_DIR" && e.value === "/opt/kafka-ha/users"));
  const jobEnv = r.get<Obj>("Job", "kafka-ha-security").spec.template.spec.containers[0].env;
  assert.is(jobEnv.find((e: Obj) => e.name === "KAFKA_HA_SASL_MECHANISM").value, "", "no SCRAM credential is written, every one is deleted");
  const scram = await render(fixture("secured"));
  const scramPod = scram.get<Obj>("StatefulSet", "kafka-ha").spec.template.spec;
  assert.not.ok(
    scramPod.volumes.some((v: Obj) => v.name === "users"),
    "SCRAM: the brokers never see a password",
  );
});

t('start.sh with SASL/PLAIN: user_<name>="<password>" on the client and external listeners, exactly; a password JAAS cannot hold stops the start', async () => {
  const users = mkdtempSync(join(tmpdir(), "kafka-ha-plain-users-"));
  writeFileSync(join(users, "alice"), "s3cret=;#:!x");
  writeFileSync(join(users, "bob"), "other pass\n");
  const ok = await startBroker(PKCS8, CERT, { KAFKA_HA_PLAIN_USERS_DIR: users });
  try {
    assert.is(ok.exitCode, 0, ok.stderr);
    const props = await javaProperties(readFileSync(join(ok.dir, "started.properties"), "utf8"));
    for (const l of ["client", "external"])
      assert.is(
        props[`listener.name.${l}.plain.sasl.jaas.config`],
        'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="s3cret=;#:!x" user_bob="other pass";',
      );
    writeFileSync(join(users, "bob"), 'has"quote');
    const bad = await startBroker(PKCS8, CERT, { KAFKA_HA_PLAIN_USERS_DIR: users });
    rmSync(bad.dir, { recursive: true, force: true });
    assert.is.not(bad.exitCode, 0);
    assert.match(bad.stderr, /SASL\/PLAIN user bob contains a double quote, a backslash or a line break/);
    assert.not.match(bad.stderr, /has"quote/, "the password is never printed");
  } finally {
    rmSync(ok.dir, { recursive: true, force: true });
    rmSync(users, { recursive: true, force: true });
  }
});

t("start.sh: a PKCS#1 key stops the start before Kafka, with the conversion to run", async () => {
  const { dir, exitCode, stderr } = await startBroker(PKCS1);
  try {
    assert.is.not(exitCode, 0);
    assert.match(stderr, /tls\.key starts with '-----BEGIN RSA PRIVATE KEY-----'.*PKCS#8.*openssl pkcs8 -topk8 -nocrypt/);
    assert.throws(() => readFileSync(join(dir, "started.properties")), "Kafka must not start");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A self-signed certificate with this subject, made by the JDK's keytool (PEM). */
async function certificateFor(dname: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-keytool-"));
  try {
    const ks = ["-keystore", join(dir, "ks.p12"), "-storepass", "changeit", "-storetype", "PKCS12", "-alias", "a"];
    await execa("keytool", ["-genkeypair", ...ks, "-keyalg", "EC", "-dname", dname, "-validity", "2"]);
    return (await execa("keytool", ["-exportcert", "-rfc", ...ks])).stdout + "\n";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t("start.sh with the authorizer: super.users is User:<the certificate's CN> plus authorization.superUsers", async () => {
  for (const [dname, principal] of [
    ["CN=kafka-ha.kafka.svc, O=kafka-ha", "User:kafka-ha.kafka.svc"],
    ["O=corp, CN=brokers.example.com", "User:brokers.example.com"],
  ] as const) {
    const { dir, exitCode, stderr } = await startBroker(PKCS8, await certificateFor(dname), {
      KAFKA_HA_AUTHORIZER: "true",
      KAFKA_HA_SUPER_USERS: "User:admin;User:ops",
    });
    try {
      assert.is(exitCode, 0, stderr);
      assert.is((await javaProperties(readFileSync(join(dir, "started.properties"), "utf8")))["super.users"], `${principal};User:admin;User:ops`, dname);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

t("start.sh with the authorizer and a certificate without CN: stops before Kafka, saying why", async () => {
  const { dir, exitCode, stderr } = await startBroker(PKCS8, await certificateFor("O=corp, OU=kafka"), {
    KAFKA_HA_AUTHORIZER: "true",
    KAFKA_HA_SUPER_USERS: "",
  });
  try {
    assert.is.not(exitCode, 0);
    assert.match(stderr, /the authorizer is on, but tls\.crt has no CN in its subject \('[^']*O=corp[^']*'\)/);
    assert.throws(() => readFileSync(join(dir, "started.properties")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.run();
