// What security costs (issue 9): the same producer benchmark against the chart's defaults (every
// listener PLAINTEXT) and against the README's security block (TLS on every listener, SCRAM-SHA-512
// on the client listener), one after the other on one cluster in one run. Each setup is a fresh
// install; per setup: a warm-up (discarded), two runs as fast as the producer goes (throughput and
// its latency under saturation), and one run at a fixed rate well below saturation (latency without
// queueing). acks=all, replication factor 3, 1 KiB records, 6 partitions.
import { randomBytes } from "node:crypto";
import { NAMESPACE, RELEASE } from "../../scripts/release.js";
import { serverCertificate } from "../helpers/certificates.js";
import { type SaslUser, javaClientProperties, useSecurity } from "../helpers/connection.js";
import { type Env, freshInstall, kafkaTool } from "../e2e/env.js";
import { log } from "../helpers/log.js";
import { type ProducerResult, runProducer } from "./perf-test.js";

export interface SetupResult {
  setup: string;
  installSeconds: number;
  saturated: ProducerResult[];
  fixedRate: ProducerResult;
}

export const RECORD_SIZE = 1024;
export const SATURATED_RECORDS = 100_000;
export const FIXED_RATE = 1000;
export const FIXED_RATE_RECORDS = 30_000;

const CLIENT_SECRET = "kafka-ha-bench-client";
const USER: SaslUser = { mechanism: "SCRAM-SHA-512", username: "bench", password: randomBytes(18).toString("base64url") };

async function clientSecret(e: Env, data: Record<string, string>): Promise<void> {
  await e.kube.core.deleteNamespacedSecret({ name: CLIENT_SECRET, namespace: NAMESPACE }).catch(() => undefined);
  await e.kube.core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: CLIENT_SECRET }, stringData: data } });
}

async function measure(e: Env, setup: string, installSeconds: number): Promise<SetupResult> {
  const topic = `bench-${setup}`;
  await kafkaTool(e, `${RELEASE}-0`, "kafka-topics.sh", `--create --topic ${topic} --partitions 6 --replication-factor 3`);
  const base = { image: e.image, bootstrap: `${RELEASE}:9092`, topic, recordSize: RECORD_SIZE, clientSecret: CLIENT_SECRET };
  log(`bench ${setup}: warm-up`);
  await runProducer({ ...base, name: `bench-${setup}-warmup`, records: 20_000, throughput: -1 });
  const saturated: ProducerResult[] = [];
  for (const i of [1, 2]) {
    const r = await runProducer({ ...base, name: `bench-${setup}-max-${i}`, records: SATURATED_RECORDS, throughput: -1 });
    log(`bench ${setup}: as fast as it goes, run ${i}: ${r.recordsPerSec.toFixed(0)} records/s, p99 ${r.p99Ms} ms`);
    saturated.push(r);
  }
  const fixedRate = await runProducer({ ...base, name: `bench-${setup}-fixed`, records: FIXED_RATE_RECORDS, throughput: FIXED_RATE });
  log(`bench ${setup}: ${FIXED_RATE} records/s: p50 ${fixedRate.p50Ms} ms, p99 ${fixedRate.p99Ms} ms`);
  return { setup, installSeconds, saturated, fixedRate };
}

export async function plaintext(e: Env): Promise<SetupResult> {
  useSecurity(undefined);
  const { installMs } = await freshInstall(e);
  await clientSecret(e, { "client.properties": "# PLAINTEXT: the client's defaults\n" });
  return measure(e, "plaintext", Math.round(installMs / 1000));
}

export async function tlsScram(e: Env): Promise<SetupResult> {
  const tlsSecret = `${RELEASE}-bench-tls`;
  const usersSecret = `${RELEASE}-bench-users`;
  const cert = await serverCertificate({ release: RELEASE, namespace: NAMESPACE, externalIp: "127.0.0.1" });
  useSecurity({ ca: cert.ca, secretName: tlsSecret, sasl: USER });
  const { installMs } = await freshInstall(e, {
    values: {
      tls: { enabled: true, secret: { name: tlsSecret } },
      sasl: { enabled: true, mechanism: USER.mechanism, users: [{ name: USER.username, passwordSecret: { name: usersSecret, key: USER.username } }] },
    },
    beforeInstall: async () => {
      await e.kube.core.createNamespacedSecret({
        namespace: NAMESPACE,
        body: { metadata: { name: tlsSecret }, type: "kubernetes.io/tls", stringData: { "tls.crt": cert.cert, "tls.key": cert.key, "ca.crt": cert.ca } },
      });
      await e.kube.core.createNamespacedSecret({
        namespace: NAMESPACE,
        body: { metadata: { name: usersSecret }, stringData: { [USER.username]: USER.password } },
      });
    },
  });
  await clientSecret(e, { "client.properties": `${javaClientProperties("/bench/ca.crt").join("\n")}\n`, "ca.crt": cert.ca });
  return measure(e, "tls-scram", Math.round(installMs / 1000));
}
