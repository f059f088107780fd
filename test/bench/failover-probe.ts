// The failover probe (FailoverProbe.java) from the bench's side: compiled at bench time (nothing
// compiled is committed), shipped to a pod of the release's namespace through a ConfigMap, run with
// the Kafka image's libraries on the k3d server node (which no bench step kills), stopped through a
// file, and read from its log. The parsing and the window computation are pure and unit-tested
// (test/unit/bench-probe.test.ts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { V1ConfigMap, V1Pod } from "@kubernetes/client-node";
import { execa } from "execa";
import { serverNodePodSpec } from "../helpers/java-clients.js";
import { CHART_DIR, NAMESPACE, RELEASE } from "../../scripts/env/release.js";
import type { Env } from "../e2e/env.js";
import { statusOf } from "../helpers/faults.js";
import { log } from "../helpers/log.js";
import { waitFor } from "../../scripts/lib/wait.js";

/** One send per partition every INTERVAL_MS; gaps between acks of at least GAP_EVENT_MS are printed one by one. */
export const INTERVAL_MS = 20;
export const GAP_EVENT_MS = 100;

// ---- the probe's output (pure) ----

export interface ProbeGap {
  partition: number;
  /** The acknowledgements on each side of the gap (epoch ms). */
  from: number;
  to: number;
  ms: number;
  /** No acknowledgement came after it before the probe stopped sending. */
  open?: boolean;
}

export interface ProbeFailure {
  partition: number;
  sentAt: number;
  time: number;
  error: string;
}

export interface ProbeStats {
  time: number;
  partitions: { partition: number; sent: number; acked: number; failed: number; lastAck: number }[];
}

export interface ProbeSummaryPartition {
  partition: number;
  sent: number;
  acked: number;
  failed: number;
  longestGapMs: number;
  gapFrom: number;
  gapTo: number;
  firstAck: number;
  lastAck: number;
}

export interface ProbeOutput {
  start?: { time: number; topic: string; partitions: number; intervalMs: number; gapEventMs: number; config: Record<string, string> };
  gaps: ProbeGap[];
  failures: ProbeFailure[];
  stats: ProbeStats[];
  summary?: { time: number; stoppedAt: number; partitions: ProbeSummaryPartition[] };
  /** Lines that were not the probe's JSON (a client library's log line). */
  otherLines: number;
}

/** The probe's stdout, line by line; lines that are not its JSON events are counted, not parsed. */
export function parseProbeOutput(text: string): ProbeOutput {
  const out: ProbeOutput = { gaps: [], failures: [], stats: [], otherLines: 0 };
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let ev: Record<string, unknown>;
    try {
      ev = line.startsWith('{"event":') ? (JSON.parse(line) as Record<string, unknown>) : {};
    } catch {
      ev = {};
    }
    switch (ev.event) {
      case "start":
        out.start = ev as unknown as ProbeOutput["start"];
        break;
      case "gap":
        out.gaps.push({ partition: Number(ev.partition), from: Number(ev.from), to: Number(ev.to), ms: Number(ev.ms) });
        break;
      case "fail":
        out.failures.push({ partition: Number(ev.partition), sentAt: Number(ev.sentAt), time: Number(ev.time), error: String(ev.error) });
        break;
      case "stats":
        out.stats.push(ev as unknown as ProbeStats);
        break;
      case "summary":
        out.summary = ev as unknown as ProbeOutput["summary"];
        break;
      default:
        out.otherLines++;
    }
  }
  return out;
}

/** The newest stats line: every partition acknowledged at least once after `since`. */
export function ackingSince(out: ProbeOutput, since: number, partitions?: number[]): boolean {
  const last = out.stats.at(-1);
  if (!last) return false;
  const wanted = partitions ?? last.partitions.map((p) => p.partition);
  return wanted.every((w) => (last.partitions.find((p) => p.partition === w)?.lastAck ?? 0) > since);
}

/** Gaps of one partition: the printed ones, plus the one still open when the probe stopped sending (or, without a summary, at its last stats line). */
export function partitionGaps(out: ProbeOutput, partition: number): ProbeGap[] {
  const gaps = out.gaps.filter((g) => g.partition === partition);
  const gapEventMs = out.start?.gapEventMs ?? GAP_EVENT_MS;
  const end = out.summary?.stoppedAt ?? out.stats.at(-1)?.time;
  const lastAck =
    out.summary?.partitions.find((p) => p.partition === partition)?.lastAck ?? out.stats.at(-1)?.partitions.find((p) => p.partition === partition)?.lastAck;
  if (end !== undefined && lastAck !== undefined) {
    const from = lastAck > 0 ? lastAck : (out.start?.time ?? end);
    if (end - from >= gapEventMs) gaps.push({ partition, from, to: end, ms: end - from, open: true });
  }
  return gaps;
}

export interface PartitionWindow {
  partition: number;
  /** The longest gap between consecutive acknowledgements overlapping the interval; 0 when none reached gapEventMs. */
  ms: number;
  from?: number;
  to?: number;
  open: boolean;
  /** Sends of this partition that failed in the interval. */
  failedSends: number;
}

/** The longest ack gap of `partition` that overlaps [from, to] (a gap that began before the fault counts: the fault is inside it). */
export function partitionWindow(out: ProbeOutput, partition: number, from: number, to: number): PartitionWindow {
  const overlapping = partitionGaps(out, partition).filter((g) => g.to > from && g.from < to);
  const worst = overlapping.reduce<ProbeGap | undefined>((a, g) => (a === undefined || g.ms > a.ms ? g : a), undefined);
  const failedSends = out.failures.filter((f) => f.partition === partition && f.time >= from && f.sentAt <= to).length;
  return worst
    ? { partition, ms: worst.ms, from: worst.from, to: worst.to, open: worst.open === true, failedSends }
    : { partition, ms: 0, open: false, failedSends };
}

export interface EventWindow {
  /** The largest per-partition window among `partitions` (the ones the event concerned). */
  windowMs: number;
  worst?: PartitionWindow;
  /** The largest among the other partitions (a follower on the failed broker can stall them too). */
  othersMs: number;
  perPartition: PartitionWindow[];
  failedSends: number;
  /** Gaps shorter than this are not printed by the probe: a window of 0 means "below it". */
  resolutionMs: number;
}

/** Per-partition windows over [from, to] and their maximum among `partitions`; the figure the failover tables report. */
export function eventWindow(out: ProbeOutput, partitions: number[], from: number, to: number): EventWindow {
  const all = out.start?.partitions ?? Math.max(0, ...out.stats.flatMap((s) => s.partitions.map((p) => p.partition + 1)));
  const perPartition = Array.from({ length: all }, (_, p) => partitionWindow(out, p, from, to));
  const mine = perPartition.filter((w) => partitions.includes(w.partition));
  const worst = mine.reduce<PartitionWindow | undefined>((a, w) => (a === undefined || w.ms > a.ms ? w : a), undefined);
  return {
    windowMs: worst?.ms ?? 0,
    worst,
    othersMs: Math.max(0, ...perPartition.filter((w) => !partitions.includes(w.partition)).map((w) => w.ms)),
    perPartition,
    failedSends: perPartition.reduce((a, w) => a + w.failedSends, 0),
    resolutionMs: out.start?.gapEventMs ?? GAP_EVENT_MS,
  };
}

/**
 * The client settings of a values file's comment block: the lines `#   key=value` after a line
 * `# client.properties:`, up to the first comment line that is not one of them. The fast-failover
 * profile documents its client side there, and the bench runs the probe with exactly those.
 */
export function clientPropertiesFromComments(yamlText: string): string[] {
  const lines = yamlText.split("\n");
  const at = lines.findIndex((l) => /^#\s*client\.properties:\s*$/.test(l));
  if (at < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(at + 1)) {
    const m = /^#\s+([a-z][a-z0-9.]*=\S+)\s*$/.exec(line);
    if (!m?.[1]) break;
    out.push(m[1]);
  }
  return out;
}

// ---- the pod (I/O) ----

let compiled: Promise<Buffer> | undefined;

/** FailoverProbe.class, compiled once per process against the chart's kafka-clients (scripts/lib/build-kafka-class.sh). */
export function probeClass(): Promise<Buffer> {
  compiled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "kafka-ha-probe-"));
    try {
      await execa("bash", [join(CHART_DIR, "scripts/lib/build-kafka-class.sh"), join(CHART_DIR, "test/bench/FailoverProbe.java"), dir]);
      return readFileSync(join(dir, "FailoverProbe.class"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  compiled.catch(() => {
    compiled = undefined;
  });
  return compiled;
}

export interface ProbeOptions {
  /** Pod and ConfigMap name. */
  name: string;
  topic: string;
  partitions: number;
  /** The producer's settings besides bootstrap.servers (empty: the Java client's defaults). */
  clientProperties: string[];
  /** The probe stops by itself after this long (a safety net: the bench stops it). */
  maxSeconds?: number;
}

const PROBE_DIR = "/probe";
const WORK_DIR = "/work";

export function probeConfigMap(o: ProbeOptions, classFile: Buffer): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: o.name, namespace: NAMESPACE, labels: { app: "kafka-ha-bench" } },
    data: { "client.properties": [`bootstrap.servers=${RELEASE}:9092`, ...o.clientProperties].join("\n") + "\n" },
    binaryData: { "FailoverProbe.class": classFile.toString("base64") },
  };
}

/** The probe's pod: on the k3d server node like the suite's Java clients (java-clients.ts), the class and client.properties from the ConfigMap. */
export function probePod(o: ProbeOptions, image: string): V1Pod {
  const args = [`${PROBE_DIR}/client.properties`, o.topic, o.partitions, INTERVAL_MS, o.maxSeconds ?? 1800, `${WORK_DIR}/stop`, GAP_EVENT_MS].join(" ");
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: o.name, namespace: NAMESPACE, labels: { app: "kafka-ha-bench", "app.kubernetes.io/component": "failover-probe" } },
    spec: {
      ...serverNodePodSpec(),
      containers: [
        {
          name: "probe",
          image,
          imagePullPolicy: "IfNotPresent",
          command: ["bash", "-c", `mkdir -p ${WORK_DIR}/logs && exec /opt/kafka/bin/kafka-run-class.sh FailoverProbe ${args}`],
          env: [
            { name: "CLASSPATH", value: PROBE_DIR },
            { name: "LOG_DIR", value: `${WORK_DIR}/logs` },
            { name: "KAFKA_HEAP_OPTS", value: "-Xms64m -Xmx192m" },
            { name: "KAFKA_JVM_PERFORMANCE_OPTS", value: "-XX:+UseSerialGC" },
          ],
          resources: { requests: { cpu: "100m", memory: "320Mi" }, limits: { memory: "320Mi" } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          volumeMounts: [
            { name: "probe", mountPath: PROBE_DIR, readOnly: true },
            { name: "work", mountPath: WORK_DIR },
          ],
        },
      ],
      volumes: [
        { name: "probe", configMap: { name: o.name } },
        { name: "work", emptyDir: {} },
      ],
    },
  };
}

export class ProbeRun {
  private constructor(
    private readonly e: Env,
    readonly options: ProbeOptions,
  ) {}

  /** Creates the ConfigMap and the pod; resolves once every partition has an acknowledgement. */
  static async start(e: Env, options: ProbeOptions): Promise<ProbeRun> {
    const run = new ProbeRun(e, options);
    await run.close();
    await e.kube.core.createNamespacedConfigMap({ namespace: NAMESPACE, body: probeConfigMap(options, await probeClass()) });
    await e.kube.core.createNamespacedPod({ namespace: NAMESPACE, body: probePod(options, e.image) });
    try {
      const since = Date.now();
      await waitFor(async () => ackingSince(await run.output(), since), {
        what: `the failover probe ${options.name} acknowledged on every partition`,
        timeoutMs: 180000,
        intervalMs: 2000,
        probeTimeoutMs: 30000,
      });
    } catch (err) {
      const tail = await run.log().then(
        (l) => l.split("\n").slice(-15).join("\n"),
        () => "(no log)",
      );
      await run.close();
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tail}`, { cause: err });
    }
    log(`failover probe ${options.name} acknowledging on all ${options.partitions} partitions of ${options.topic}`);
    return run;
  }

  async log(): Promise<string> {
    return this.e.kube.core.readNamespacedPodLog({ name: this.options.name, namespace: NAMESPACE, container: "probe" });
  }

  async output(): Promise<ProbeOutput> {
    return parseProbeOutput(await this.log());
  }

  /** Until the newest stats line shows an acknowledgement after `since` on each of `partitions`; the stats come every 5 s. */
  async waitAckedAfter(since: number, partitions: number[], timeoutMs: number): Promise<void> {
    await waitFor(async () => ackingSince(await this.output(), since, partitions), {
      what: `an acknowledgement on partitions ${partitions.join(",")} after ${new Date(since).toISOString()}`,
      timeoutMs,
      intervalMs: 2000,
      probeTimeoutMs: 30000,
    });
  }

  /** Stops sending (the stop file), waits for the summary (the producers close first, at most 30 s) and returns the whole output. */
  async stop(): Promise<{ output: ProbeOutput; raw: string }> {
    const r = await execa(
      this.e.kubectl,
      ["--kubeconfig", this.e.kubeconfig, "-n", NAMESPACE, "exec", this.options.name, "-c", "probe", "--", "touch", `${WORK_DIR}/stop`],
      { reject: false, timeout: 60000, all: true },
    );
    if (r.exitCode !== 0) log(`failover probe ${this.options.name}: could not write the stop file (${r.all ?? ""}); waiting for the summary anyway`);
    const raw = await waitFor(
      async () => {
        const text = await this.log();
        return parseProbeOutput(text).summary ? text : undefined;
      },
      { what: `the failover probe ${this.options.name}'s summary`, timeoutMs: 90000, intervalMs: 2000, probeTimeoutMs: 30000 },
    );
    return { output: parseProbeOutput(raw), raw };
  }

  /** Deletes the pod and the ConfigMap (safe to call twice). */
  async close(): Promise<void> {
    const ignore404 = (err: unknown): void => {
      if (statusOf(err) !== 404) log(`failover probe ${this.options.name}: ${String(err)}`);
    };
    await this.e.kube.core.deleteNamespacedPod({ name: this.options.name, namespace: NAMESPACE, gracePeriodSeconds: 0 }).catch(ignore404);
    await this.e.kube.core.deleteNamespacedConfigMap({ name: this.options.name, namespace: NAMESPACE }).catch(ignore404);
    await waitFor(
      async () => {
        try {
          await this.e.kube.core.readNamespacedPod({ name: this.options.name, namespace: NAMESPACE });
          return false;
        } catch (err) {
          return statusOf(err) === 404;
        }
      },
      { what: `pod ${this.options.name} to be gone`, timeoutMs: 60000, intervalMs: 1000 },
    );
  }
}
