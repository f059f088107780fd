// Kafka's own benchmarks (kafka-producer-perf-test.sh, kafka-consumer-perf-test.sh) run in a pod of
// their own inside the cluster, so the figure is the brokers' and the network's, not the host's port
// forwarding. The client settings (TLS, SASL) come from a Secret mounted as /bench. One pod can run
// several tools one after the other (runToolPod): each run's output follows a marker line, so one JVM
// start per pod is paid once per tool, not once per pod scheduling.
import { SERVER_NODE, kubectl } from "../../scripts/env/cluster/k3d.js";
import { NAMESPACE } from "../../scripts/env/release.js";
import { waitFor } from "../../scripts/lib/wait.js";

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

export interface ConsumerResult {
  /** data.consumed.in.nMsg and data.consumed.in.MB. */
  records: number;
  mb: number;
  /** Over the whole run, the consumer group's join included (the tool's MB.sec and nMsg.sec). */
  recordsPerSec: number;
  mbPerSec: number;
  /** Joining the group (rebalance.time.ms) and fetching (fetch.time.ms). */
  rebalanceMs: number;
  fetchMs: number;
  /** While fetching only (fetch.nMsg.sec, fetch.MB.sec): the figure the throughput tables use. */
  fetchRecordsPerSec: number;
  fetchMbPerSec: number;
  /** false: the tool stopped on its --timeout before it read the records asked for (it says so in a WARNING line). */
  complete: boolean;
}

const CONSUMER_COLUMNS = {
  mb: "data.consumed.in.MB",
  mbPerSec: "MB.sec",
  records: "data.consumed.in.nMsg",
  recordsPerSec: "nMsg.sec",
  rebalanceMs: "rebalance.time.ms",
  fetchMs: "fetch.time.ms",
  fetchMbPerSec: "fetch.MB.sec",
  fetchRecordsPerSec: "fetch.nMsg.sec",
} as const;

/**
 * kafka-consumer-perf-test's result: a CSV header line (`start.time, end.time, data.consumed.in.MB,
 * MB.sec, ...`, the last line naming data.consumed.in.nMsg) and, after it, one line of values (the
 * dates hold no comma). A `WARNING: Exiting
 * before consuming the expected number of records` line between them marks an incomplete run.
 * Columns are found by name. Undefined when there is no header or no values line (the run failed).
 */
export function parseConsumerSummary(output: string): ConsumerResult | undefined {
  const lines = output.split("\n").map((l) => l.trim());
  const at = lines.map((l, i) => (l.split(",").some((c) => c.trim() === CONSUMER_COLUMNS.records) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  if (at < 0) return undefined;
  const header = (lines[at] ?? "").split(",").map((c) => c.trim());
  const rest = lines.slice(at + 1);
  const values = rest.find((l) => /^\d{4}-\d\d-\d\d /.test(l));
  if (!values) return undefined;
  const cells = values.split(",").map((c) => c.trim());
  const get = (column: string): number => {
    const i = header.indexOf(column);
    const v = i >= 0 ? Number(cells[i]) : Number.NaN;
    if (!Number.isFinite(v)) throw new Error(`kafka-consumer-perf-test: no number in column ${column}: ${values}`);
    return v;
  };
  const out = Object.fromEntries(Object.entries(CONSUMER_COLUMNS).map(([key, column]) => [key, get(column)])) as Omit<ConsumerResult, "complete">;
  return { ...out, complete: !rest.some((l) => /^WARNING: Exiting before consuming the expected number/.test(l)) };
}

/** The line runToolPod's script prints before each tool's output. */
export const MARKER = "=== kafka-ha-bench:";

/** Shell for one marked part of a tool pod's script; `|| echo` keeps the later parts running. */
export const marked = (label: string, command: string): string => `echo '${MARKER} ${label}'; ${command} 2>&1 || echo "${label} failed: exit $?"`;

/** A tool pod's output cut at its marker lines: label -> what that part printed. */
export function splitMarked(output: string): Map<string, string> {
  const parts = new Map<string, string>();
  let label: string | undefined;
  let lines: string[] = [];
  for (const line of output.split("\n")) {
    if (line.startsWith(MARKER)) {
      if (label !== undefined) parts.set(label, lines.join("\n"));
      label = line.slice(MARKER.length).trim();
      lines = [];
    } else if (label !== undefined) lines.push(line);
  }
  if (label !== undefined) parts.set(label, lines.join("\n"));
  return parts;
}

export interface ToolPod {
  /** Pod name: one pod per call. */
  name: string;
  image: string;
  /** Bash script; /opt/kafka/bin is on the PATH, the client Secret at /bench, /tmp writable. */
  script: string;
  /** Secret holding client.properties (and what it points at), mounted at /bench. */
  clientSecret: string;
  timeoutMs?: number;
}

/** Runs a script to completion in a pod of the release's namespace and returns its log (throws with its tail when the pod failed). */
export async function runToolPod(r: ToolPod): Promise<string> {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: r.name, labels: { app: "kafka-ha-bench" } },
    spec: {
      restartPolicy: "Never",
      // Always the k3d server node, which hosts no broker: every setup's client sees the same network path.
      nodeSelector: { "kubernetes.io/hostname": SERVER_NODE },
      tolerations: [
        { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
        { key: "CriticalAddonsOnly", operator: "Exists" },
      ],
      containers: [
        {
          name: "bench",
          image: r.image,
          imagePullPolicy: "IfNotPresent",
          command: ["bash", "-c", `PATH=/opt/kafka/bin:$PATH; ${r.script}`],
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
    { what: `benchmark pod ${r.name}`, timeoutMs: r.timeoutMs ?? 15 * 60 * 1000, intervalMs: 2000 },
  );
  const output = await kubectl(["-n", NAMESPACE, "logs", r.name]);
  await kubectl(["-n", NAMESPACE, "delete", "pod", r.name, "--ignore-not-found", "--wait=false"]);
  if (phase !== "Succeeded") throw new Error(`${r.name} ended ${phase}:\n${output.split("\n").slice(-15).join("\n")}`);
  return output;
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

/** The producer tool's command line: acks=all plus `props`, the client Secret's settings. */
export function producerCommand(r: Omit<ProducerRun, "name" | "image" | "clientSecret">, props: readonly string[] = []): string {
  return [
    `kafka-producer-perf-test.sh --topic ${r.topic} --num-records ${r.records} --record-size ${r.recordSize} --throughput ${r.throughput}`,
    `--producer-props acks=all ${props.join(" ")}${props.length ? " " : ""}bootstrap.servers=${r.bootstrap} --producer.config /bench/client.properties`,
  ].join(" ");
}

/** Runs the tool to completion in a pod and returns its summary (throws with the pod's log when there is none). */
export async function runProducer(r: ProducerRun): Promise<ProducerResult> {
  const output = await runToolPod({ name: r.name, image: r.image, clientSecret: r.clientSecret, script: producerCommand(r) });
  const result = parseProducerSummary(output);
  if (!result) throw new Error(`${r.name} ended without a summary:\n${output.split("\n").slice(-15).join("\n")}`);
  return result;
}
