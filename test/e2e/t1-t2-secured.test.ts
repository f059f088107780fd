// T2 then T1, on one secured install: the release installed with the README's "Security" value
// block, TLS on every listener from a Secret the user made with openssl
// (test/helpers/certificates.ts), SASL/SCRAM users whose passwords are in a Secret the user made,
// and the authorizer with ACLs for the suite's user. The security Job writes the users and ACLs.
// T2 access control: a plaintext client on a TLS port gets no answer, a wrong password an
// authentication error, a user without ACLs an authorization error for produce and consume, and
// the allowed user produces and consumes through the external addresses with the brokers' names
// checked; the NetworkPolicy (on by default with TLS) keeps a foreign pod off the controller and
// internal ports and a broker off ports its egress rules do not list. T1 faults: every client of the suite (harness traffic, kafkajs with its defaults, Kafka's
// Java clients) over TLS and SCRAM; the leader of partition 0 is deleted, then a values change rolls
// every pod one at a time; nothing acknowledged is lost, the graceful faults cost the Java client
// no send, and `helm test` passes. The release is removed afterwards, so a later scenario installs
// the defaults afresh.
import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import * as assert from "uvu/assert";
import { BOOTSTRAP, EXTERNAL_HOST, NAMESPACE, RELEASE, brokerPods } from "../../scripts/env/release.js";
import { kubectl } from "../../scripts/env/cluster/k3d.js";
import { serverCertificate } from "../helpers/certificates.js";
import { type SaslUser, clientSecurity, kafkajsSasl, useSecurity } from "../helpers/connection.js";
import { deletePod } from "../helpers/faults.js";
import { AdminProbe, waitFullIsr } from "../helpers/kafka-admin.js";
import { createTopic } from "../helpers/traffic.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { type Env, env, freshInstall, leaderBroker, passesHelmTest } from "./env.js";
import { type Window, assertStrict, log, rollEveryPod } from "./session.js";
import { removeRelease, sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const T2: Scenario = {
  id: "T2",
  name: "secured install: access control",
  does: "installs the release with TLS everywhere, SASL/SCRAM users and ACLs (README 'Security'), then connects as clients that must be turned away and as the allowed user",
  holds:
    "a plaintext client on a TLS port gets no answer; a wrong password fails with an authentication error; a user without ACLs gets an authorization error for produce and for consume; the allowed user produces and consumes through the external addresses with the brokers' names checked; the NetworkPolicy (on with TLS) lets a foreign pod reach the client port but not the controller or internal port, and a broker reach DNS but not another port of the DNS pod",
  procedure: "Security",
};

const T1: Scenario = {
  id: "T1",
  name: "secured install: pod delete and rolling restart",
  does: "on the secured install, with every client over TLS and SCRAM, deletes the leader of partition 0, then rolls every pod with a values change",
  holds:
    "Java clients: their rules and 0 failed sends through both graceful faults; kafkajs with its defaults: its rules; Ready means in the ISR after each restart; helm test passes on the secured release",
  procedure: "Security",
};

const TLS_SECRET = `${RELEASE}-test-tls`;
const USERS_SECRET = `${RELEASE}-test-users`;
const MECHANISM = "SCRAM-SHA-512";
const password = (): string => randomBytes(18).toString("base64url");
/** The suite's user: everything on the topics and groups it names ha-*, and what its clients ask of the cluster. */
const SUITE: SaslUser = { mechanism: MECHANISM, username: "ha-suite", password: password() };
/** A user the authorizer must turn away: it exists, with no ACL. */
const DENIED: SaslUser = { mechanism: MECHANISM, username: "ha-denied", password: password() };

const SECURED_VALUES = {
  tls: { enabled: true, secret: { name: TLS_SECRET } },
  sasl: {
    enabled: true,
    mechanism: MECHANISM,
    users: [SUITE, DENIED].map((u) => ({ name: u.username, passwordSecret: { name: USERS_SECRET, key: u.username } })),
  },
  authorization: {
    enabled: true,
    acls: [
      { principal: `User:${SUITE.username}`, resourceType: "topic", name: "ha-", patternType: "prefixed", operations: ["All"] },
      { principal: `User:${SUITE.username}`, resourceType: "group", name: "ha-", patternType: "prefixed", operations: ["All"] },
      { principal: `User:${SUITE.username}`, resourceType: "cluster", operations: ["Describe", "DescribeConfigs", "IdempotentWrite"] },
    ],
  },
};

/**
 * A client of its own through the external addresses. Those that must be turned away get no retry
 * and short timeouts (what they get is the verdict); the allowed user keeps kafkajs' default retries,
 * as an application does (its group's coordinator may need a moment on a brand-new cluster).
 */
function client(opts: { tls: boolean; user?: SaslUser; retries?: boolean }): Kafka {
  const s = clientSecurity();
  return new Kafka({
    clientId: "t2-access",
    brokers: BOOTSTRAP,
    ...(opts.tls && s ? { ssl: { ca: [s.ca] } } : {}),
    ...(opts.user ? { sasl: kafkajsSasl(opts.user) } : {}),
    ...(opts.retries ? {} : { connectionTimeout: 5000, requestTimeout: 10000, retry: { retries: 0 } }),
    logLevel: logLevel.NOTHING,
  });
}

/** Runs `attempt`, which must fail within `ms`; resolves with the error's name and message. */
async function refused(what: string, attempt: () => Promise<unknown>, ms = 30000): Promise<string> {
  try {
    await Promise.race([attempt(), sleep(ms).then(() => Promise.reject(new Error(`no answer within ${ms / 1000}s`)))]);
  } catch (err) {
    const e = err as Error & { type?: string };
    return `${e.name}${e.type ? ` ${e.type}` : ""}: ${e.message}`;
  }
  throw new Error(`${what} succeeded, but must be refused`);
}

/** T2's checks, each logged and marked in the window's timeline. */
/** Whether a TCP connection from `pod` to host:port opens within 5 s (bash's /dev/tcp: the Kafka image has no nc). */
async function connects(pod: string, host: string, port: number): Promise<boolean> {
  const probe = `timeout 5 bash -c '</dev/tcp/${host}/${port}' && echo open || echo closed`;
  return (await kubectl(["-n", NAMESPACE, "exec", pod, "-c", pod.startsWith(RELEASE) ? "kafka" : pod, "--", "bash", "-c", probe])).trim() === "open";
}

/**
 * The NetworkPolicy, enforced by k3s's network policy controller: a pod that is not the release's
 * (the Kafka image, so it has bash) reaches a broker's client port and nothing else of it, and a
 * broker reaches the DNS pod's port 53 but not its metrics port. The positive checks show the ports
 * listen, so the negative ones are the policy, not a closed port.
 */
async function networkPolicy(e: Env, w: Window): Promise<void> {
  const probe = "t2-foreign";
  await kubectl(["-n", NAMESPACE, "delete", "pod", probe, "--ignore-not-found", "--wait=true"]);
  await kubectl(["-n", NAMESPACE, "run", probe, `--image=${e.image}`, "--restart=Never", "--labels=app=t2-foreign", "--command", "--", "sleep", "3600"]);
  try {
    await kubectl(["-n", NAMESPACE, "wait", "--for=condition=Ready", `pod/${probe}`, "--timeout=120s"]);
    const broker = `${RELEASE}-0.${RELEASE}-headless.${NAMESPACE}.svc.cluster.local`;
    const from = async (pod: string, host: string, port: number): Promise<boolean> =>
      waitFor(async () => ((await connects(pod, host, port)) ? true : undefined), {
        what: `${pod} to reach ${host}:${port}`,
        timeoutMs: 30000,
        intervalMs: 2000,
      })
        .then(() => true)
        .catch(() => false);
    assert.ok(await from(probe, broker, 9092), "a foreign pod reaches the client port");
    for (const port of [9093, 9094]) assert.not.ok(await connects(probe, broker, port), `a foreign pod must not reach port ${port}`);
    const dns = (await kubectl(["-n", "kube-system", "get", "pods", "-l", "k8s-app=kube-dns", "-o", "jsonpath={.items[0].status.podIP}"])).trim();
    assert.ok(await from(probe, dns, 9153), "the DNS pod's metrics port listens (seen from a pod without egress rules)");
    assert.ok(await from(`${RELEASE}-0`, dns, 53), "a broker reaches DNS");
    assert.not.ok(await connects(`${RELEASE}-0`, dns, 9153), "a broker must not reach ports its egress rules do not list");
    w.mark("NetworkPolicy: foreign pod -> client port open, controller and internal ports closed; broker -> DNS 53 open, 9153 closed");
  } finally {
    await kubectl(["-n", NAMESPACE, "delete", "pod", probe, "--ignore-not-found", "--wait=false"]);
  }
}

async function accessControl(w: Window, run: number): Promise<void> {
  const topic = `ha-t2-r${run}-${Date.now()}`;
  // Created as the suite's user: the probe's clients use the session's security (useSecurity).
  await createTopic(new AdminProbe(BOOTSTRAP), topic, 3);
  w.mark(`topic ${topic} created by ${SUITE.username}`);
  const allowed = client({ tls: true, user: SUITE, retries: true });

  const plaintext = await refused("a plaintext client on a TLS port", async () => {
    const a = client({ tls: false }).admin();
    await a.connect();
    await a.disconnect();
  });
  w.mark(`plaintext client on ${BOOTSTRAP[0] ?? ""}: ${plaintext}`);

  const wrong = await refused("a wrong password", () =>
    client({ tls: true, user: { ...SUITE, password: "wrong-password" } })
      .producer()
      .connect(),
  );
  w.mark(`wrong password: ${wrong}`);
  assert.match(wrong, /SASL|[Aa]uthentication/, "a wrong password fails with an authentication error");

  const producer = client({ tls: true, user: DENIED }).producer();
  const produce = await refused(`${DENIED.username} producing`, async () => {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: "denied" }] });
  });
  await producer.disconnect().catch(() => undefined);
  w.mark(`${DENIED.username} producing: ${produce}`);
  assert.match(produce, /AUTHORIZATION_FAILED|[Nn]ot authorized/, "produce without an ACL: an authorization error");

  const consumer = client({ tls: true, user: DENIED }).consumer({ groupId: `ha-t2-denied-${Date.now()}` });
  const consume = await refused(`${DENIED.username} consuming`, async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((_, reject) => {
      consumer.on(consumer.events.CRASH, (ev) => reject(ev.payload.error));
      void consumer.run({ eachMessage: async () => reject(new Error("a record was delivered")) }).catch(reject);
    });
  });
  await consumer.disconnect().catch(() => undefined);
  w.mark(`${DENIED.username} consuming: ${consume}`);
  assert.match(consume, /AUTHORIZATION_FAILED|[Nn]ot authorized/, "consume without an ACL: an authorization error");

  // The allowed user, through the external addresses, the brokers' names checked (the client's default).
  const p = allowed.producer();
  await p.connect();
  const sent = Array.from({ length: 20 }, (_, i) => `r${i}`);
  try {
    await p.send({ topic, acks: -1, messages: sent.map((value) => ({ value })) });
  } finally {
    await p.disconnect();
  }
  const got = new Set<string>();
  const c = allowed.consumer({ groupId: `ha-t2-allowed-${Date.now()}` });
  let crashed: unknown;
  c.on(c.events.CRASH, (ev) => (crashed = ev.payload.error));
  await c.connect();
  try {
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void got.add(message.value?.toString() ?? "") });
    await waitFor(async () => (crashed ? Promise.reject(crashed as Error) : got.size >= sent.length), {
      what: `${SUITE.username} to read back its ${sent.length} records`,
      timeoutMs: 90000,
      intervalMs: 500,
    });
  } finally {
    await c.disconnect();
  }
  assert.equal([...got].sort(), [...sent].sort());
  w.mark(`${SUITE.username} produced and consumed ${sent.length} records over TLS+SCRAM through ${BOOTSTRAP.join(",")}`);
}

export default scenarioFile(import.meta.url, [T2, T1], (test, run) => {
  const scenario = sharedSession(test, run, T1, {
    javaClients: true,
    kafkajsDefaults: true,
    setUp: async (e) => {
      const cert = await serverCertificate({ release: RELEASE, namespace: NAMESPACE, externalIp: EXTERNAL_HOST });
      useSecurity({ ca: cert.ca, secretName: TLS_SECRET, sasl: SUITE });
      const { installMs } = await freshInstall(e, {
        values: SECURED_VALUES,
        beforeInstall: async () => {
          const core = e.kube.core;
          await core.createNamespacedSecret({
            namespace: NAMESPACE,
            body: { metadata: { name: TLS_SECRET }, type: "kubernetes.io/tls", stringData: { "tls.crt": cert.cert, "tls.key": cert.key, "ca.crt": cert.ca } },
          });
          await core.createNamespacedSecret({
            namespace: NAMESPACE,
            body: { metadata: { name: USERS_SECRET }, stringData: Object.fromEntries([SUITE, DENIED].map((u) => [u.username, u.password])) },
          });
        },
      });
      log(`T2/T1: secured release Ready ${(installMs / 1000).toFixed(0)}s after helm install`);
      // One traffic session over TLS and SCRAM for both: T2's checks run beside it (and must cost it
      // nothing), T1's faults are judged by it.
    },
    tearDown: removeRelease("T2/T1", "secured; later scenarios install the defaults"),
  });

  scenario(T2, async (w) => {
    await accessControl(w, run);
    await networkPolicy(await env(), w);
    const { check } = await w.finish();
    assertStrict(check);
  });

  scenario(T1, async (w, s, e) => {
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

    await rollEveryPod(e, w, s.probe, { "kafka-ha.test/rolled": `run-${run}-${Date.now()}` }, "rolling restart");
    w.fact("helmTestSeconds", Math.round((await passesHelmTest(e)) / 1000));
    await sleep(10000);

    // Graceful faults: the Java client's own retries (defaults) must carry every send through them.
    await w.finishWithClients({ readyTransitions: 1, noFailedSends: true });
  });
});
