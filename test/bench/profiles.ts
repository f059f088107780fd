// The releases the benchmark tier compares, each a fresh install of the working-tree chart (with the
// suite's local values: the image, external access, metrics) on the same cluster:
//
// - defaults: the chart's defaults (every listener PLAINTEXT).
// - tuned: the defaults plus a hand-tuned server.properties through the chart's `config` value
//   (TUNED_CONFIG below, after the OpenMessaging Benchmark's Kafka deployment).
// - tls-scram: the README's security block: TLS on every listener, SCRAM-SHA-512 on the client listener.
// - fast-failover: the defaults under examples/values-fast-failover.yaml.
//
// Each install also writes the Secret the benchmark pods mount at /bench (client.properties, ca.crt).
import { randomBytes } from "node:crypto";
import { NAMESPACE, RELEASE } from "../../scripts/env/release.js";
import { serverCertificate } from "../helpers/certificates.js";
import { type SaslUser, javaClientProperties, useSecurity } from "../helpers/connection.js";
import { type Env, freshInstall } from "../e2e/env.js";

export const PROFILE_ORDER = ["defaults", "tuned", "tls-scram", "fast-failover"] as const;
export type ProfileId = (typeof PROFILE_ORDER)[number];

/** The overlay of the fast-failover profile, relative to the chart. */
export const FAST_FAILOVER_VALUES = "examples/values-fast-failover.yaml";

/**
 * The hand-tuned broker settings, given through the chart's `config` value. Reference: the
 * OpenMessaging Benchmark (github.com/openmessaging/benchmark) Kafka driver's deployments:
 *
 * - driver-kafka/deploy/ssd-deployment/templates/server.properties (and hdd-deployment, the same
 *   lines; commit 0209bd1, 2022-04-08, unchanged at the repository's head of 2026-01-04):
 *   num.network.threads=8, num.replica.fetchers=8, message.max.bytes=10485760,
 *   replica.fetch.max.bytes=10485760.
 * - driver-kafka/deploy/confluent-deployment/28cku/ansible-config.yaml: numIoThreads 16 (its 2cku
 *   profile keeps Kafka's 8), templated into num.io.threads of that deployment's server.properties.
 * - the ssd-deployment server.properties before 0209bd1 (commit 9d3feef), "EXPERIMENT WITH SOME
 *   SETTINGS": socket.send.buffer.bytes and socket.receive.buffer.bytes of 1 MiB (commented out
 *   there; Kafka's defaults are 100 KiB).
 *
 * Added here, not from OMB: replica.socket.receive.buffer.bytes 1 MiB, the followers' side of the
 * socket buffers above (Kafka's default 64 KiB).
 *
 * Left out, refused by the chart (templates/_config.tpl kafka-ha.managedKeys: it writes them per
 * pod): broker.id, advertised.listeners, listeners, listener.security.protocol.map,
 * inter.broker.listener.name, log.dirs and the ssl.* keystore settings of those files; and
 * zookeeper.connect, which Kafka 4 (KRaft only) no longer has. test/unit/bench-profiles.test.ts checks
 * that none of these keys is managed and that each lands in server.properties.
 */
export const TUNED_CONFIG: Record<string, number> = {
  "num.network.threads": 8,
  "num.io.threads": 16,
  "num.replica.fetchers": 8,
  "message.max.bytes": 10485760,
  "replica.fetch.max.bytes": 10485760,
  "socket.send.buffer.bytes": 1048576,
  "socket.receive.buffer.bytes": 1048576,
  "replica.socket.receive.buffer.bytes": 1048576,
};

/** The Secret every benchmark pod mounts at /bench. */
export const CLIENT_SECRET = "kafka-ha-bench-client";
/** The SCRAM user of the tls-scram profile (a fresh password per run). */
export const BENCH_USER: SaslUser = { mechanism: "SCRAM-SHA-512", username: "bench", password: randomBytes(18).toString("base64url") };

async function clientSecret(e: Env, data: Record<string, string>): Promise<void> {
  await e.kube.core.deleteNamespacedSecret({ name: CLIENT_SECRET, namespace: NAMESPACE }).catch(() => undefined);
  await e.kube.core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: CLIENT_SECRET }, stringData: data } });
}

const PLAINTEXT_CLIENT = { "client.properties": "# PLAINTEXT: the client's defaults\n" };

/** Installs the profile from scratch (freshInstall: the previous release and its data go); resolves with installMs. */
export async function installProfile(e: Env, profile: ProfileId): Promise<number> {
  if (profile === "tls-scram") return installTlsScram(e);
  useSecurity(undefined);
  const { installMs } = await freshInstall(e, {
    values: profile === "tuned" ? { config: TUNED_CONFIG } : undefined,
    valueFiles: profile === "fast-failover" ? [FAST_FAILOVER_VALUES] : undefined,
  });
  await clientSecret(e, PLAINTEXT_CLIENT);
  return installMs;
}

async function installTlsScram(e: Env): Promise<number> {
  const tlsSecret = `${RELEASE}-bench-tls`;
  const usersSecret = `${RELEASE}-bench-users`;
  const cert = await serverCertificate({ release: RELEASE, namespace: NAMESPACE, externalIp: "127.0.0.1" });
  useSecurity({ ca: cert.ca, secretName: tlsSecret, sasl: BENCH_USER });
  const { installMs } = await freshInstall(e, {
    values: {
      tls: { enabled: true, secret: { name: tlsSecret } },
      sasl: {
        enabled: true,
        mechanism: BENCH_USER.mechanism,
        users: [{ name: BENCH_USER.username, passwordSecret: { name: usersSecret, key: BENCH_USER.username } }],
      },
    },
    beforeInstall: async () => {
      await e.kube.core.createNamespacedSecret({
        namespace: NAMESPACE,
        body: { metadata: { name: tlsSecret }, type: "kubernetes.io/tls", stringData: { "tls.crt": cert.cert, "tls.key": cert.key, "ca.crt": cert.ca } },
      });
      await e.kube.core.createNamespacedSecret({
        namespace: NAMESPACE,
        body: { metadata: { name: usersSecret }, stringData: { [BENCH_USER.username]: BENCH_USER.password } },
      });
    },
  });
  await clientSecret(e, { "client.properties": `${javaClientProperties("/bench/ca.crt").join("\n")}\n`, "ca.crt": cert.ca });
  return installMs;
}
