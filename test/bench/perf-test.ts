// Kafka's own producer benchmark (kafka-producer-perf-test.sh) run in a pod of its own inside the
// cluster, so the figure is the brokers' and the network's, not the host's port forwarding. The
// client settings (TLS, SASL) come from a Secret mounted as /bench.
import { kubectl } from "../../scripts/cluster/k3d.js";
import { NAMESPACE } from "../../scripts/release.js";
import { waitFor } from "../helpers/wait.js";

export interface ProducerResult {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgMs: number;
  maxMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

const SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th/;

/** The summary line the tool prints last; undefined when there is none (the run failed). */
export function parseProducerSummary(output: string): ProducerResult | undefined {
  const lines = output.split("\n").filter((l) => SUMMARY.test(l));
  const m = SUMMARY.exec(lines.at(-1) ?? "");
  if (!m) return undefined;
  const n = m.slice(1).map(Number);
  const [records, recordsPerSec, mbPerSec, avgMs, maxMs, p50Ms, p95Ms, p99Ms, p999Ms] = n as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { records, recordsPerSec, mbPerSec, avgMs, maxMs, p50Ms, p95Ms, p99Ms, p999Ms };
}

export interface ProducerRun {
  /** Pod name: one run, one pod. */
  name: string;
  image: string;
  bootstrap: string;
  topic: string;
  records: number;
  recordSize: number;
  /** Records per second the tool aims at; -1: as fast as it can. */
  throughput: number;
  /** Secret holding client.properties (and what it points at), mounted at /bench. */
  clientSecret: string;
}

/** Runs the tool to completion in a pod and returns its summary (throws with the pod's log when there is none). */
export async function runProducer(r: ProducerRun): Promise<ProducerResult> {
  const script = [
    `kafka-producer-perf-test.sh --topic ${r.topic} --num-records ${r.records} --record-size ${r.recordSize} --throughput ${r.throughput}`,
    `--producer-props acks=all bootstrap.servers=${r.bootstrap} --producer.config /bench/client.properties`,
  ].join(" ");
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: r.name, labels: { app: "kafka-ha-bench" } },
    spec: {
      restartPolicy: "Never",
      containers: [
        {
          name: "bench",
          image: r.image,
          imagePullPolicy: "IfNotPresent",
          command: ["bash", "-c", `PATH=/opt/kafka/bin:$PATH ${script}`],
          env: [{ name: "KAFKA_HEAP_OPTS", value: "-Xms256m -Xmx512m" }],
          resources: { requests: { cpu: "500m", memory: "768Mi" }, limits: { memory: "768Mi" } },
          volumeMounts: [{ name: "client", mountPath: "/bench", readOnly: true }],
        },
      ],
      volumes: [{ name: "client", secret: { secretName: r.clientSecret } }],
    },
  };
  await kubectl(["-n", NAMESPACE, "delete", "pod", r.name, "--ignore-not-found", "--wait=true"]);
  await kubectl(["-n", NAMESPACE, "apply", "-f", "-"], { input: JSON.stringify(pod) });
  const phase = await waitFor(
    async () => {
      const p = (await kubectl(["-n", NAMESPACE, "get", "pod", r.name, "-o", "jsonpath={.status.phase}"])).trim();
      return p === "Succeeded" || p === "Failed" ? p : undefined;
    },
    { what: `benchmark pod ${r.name}`, timeoutMs: 15 * 60 * 1000, intervalMs: 2000 },
  );
  const output = await kubectl(["-n", NAMESPACE, "logs", r.name]);
  await kubectl(["-n", NAMESPACE, "delete", "pod", r.name, "--ignore-not-found", "--wait=false"]);
  const result = parseProducerSummary(output);
  if (phase !== "Succeeded" || !result) throw new Error(`${r.name} ended ${phase} without a summary:\n${output.split("\n").slice(-15).join("\n")}`);
  return result;
}
