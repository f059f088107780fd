// Kafka's own Java clients beside the kafkajs harness traffic (issue 13: "ordinary clients"): the
// verifiable producer and consumer that Kafka's system tests are built on, run in one pod of the
// release's namespace from the brokers' own image, against the client Service, with the Java
// client defaults. kafkajs is tuned by the harness (one record per awaited send, a 15 s cutoff, a
// new producer after each failure); these clients show what an application that configures
// nothing sees.
//
// The producer writes a topic of its own (the strict checker's rules are per producer and topic,
// and the tool's values are bare integers: a topic of its own keeps both histories apart). Both
// tools print one JSON event per line; each container writes that stdout to a file on an emptyDir,
// and the suite reads the files incrementally through `kubectl exec tail -c +N`: a container log
// would be rotated by the kubelet (10 MiB) long before a 15-minute run ends, and `kubectl logs -f`
// does not reliably follow a rotation. The pure parsing and checking below is unit-tested with
// lines captured from a real run (test/unit/harness-java-clients.test.ts).
import type { V1Pod } from "@kubernetes/client-node";
import { execa } from "execa";
import * as assert from "uvu/assert";
import { SERVER_NODE } from "../../scripts/env/cluster/k3d.js";
import { NAMESPACE, RELEASE } from "../../scripts/env/release.js";
import {
  type Ack,
  type CheckResult,
  type FailedSend,
  type GroupOrderViolation,
  type GroupRead,
  check,
  groupOrderViolations,
  longestGap,
  unconsumedAcks,
  violations,
} from "./checker.js";
import { type Kube, statusOf } from "./faults.js";
import { AdminProbe } from "./kafka-admin.js";
import { clientSecurity, javaClientProperties } from "./connection.js";
import { log } from "./log.js";
import { createTopic, readAll } from "./traffic.js";
import { waitFor } from "../../scripts/lib/wait.js";

/** The producer's name in the checker's history (one producer instance for the whole run). */
export const JAVA_PRODUCER = "java";
/**
 * Records per second. Modest on purpose: the point is the client's behaviour under the faults, not
 * load; 100/s gives every partition several records per second to time gaps by.
 */
export const JAVA_THROUGHPUT = 100;

// ---- parsing (pure) ----

type JsonEvent = Record<string, unknown> & { name?: unknown; timestamp?: unknown };

/** The JSON events among `lines`; anything else (a stray println of a tool) is counted, not parsed. */
function events(lines: readonly string[]): { events: JsonEvent[]; skipped: number } {
  const out: JsonEvent[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as unknown;
      if (e && typeof e === "object" && !Array.isArray(e)) out.push(e as JsonEvent);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { events: out, skipped };
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number.NaN);

/** The verifiable producer's values are its send counter, 0, 1, 2, ... (no --value-prefix). */
export const javaValueId = (value: unknown): number => {
  const text = typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : "";
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
};

export interface ProducerHistory {
  /** producer_send_success: the send counter is the record id and its send sequence. */
  acks: Ack[];
  /** producer_send_error (the send failed for good: after the client's own retries, within delivery.timeout.ms). */
  failures: FailedSend[];
  startedAt?: number;
  /** shutdown_complete: the producer closed, every send it made has its outcome printed. */
  shutdownAt?: number;
  /**
   * tool_data: what the tool counted. The 4.4 tool printed none after a SIGTERM in our runs (nor the
   * consumer its shutdown_complete): the shutdown hook is cut short after the producer closed. The
   * ids are the send counter, so the highest id + 1 stands in for `sent`.
   */
  summary?: { sent: number; acked: number };
  skipped: number;
}

export function parseProducer(lines: readonly string[]): ProducerHistory {
  const { events: list, skipped } = events(lines);
  const h: ProducerHistory = { acks: [], failures: [], skipped };
  for (const e of list) {
    const time = num(e.timestamp);
    if (e.name === "producer_send_success") {
      const id = javaValueId(e.value);
      h.acks.push({ id, partition: num(e.partition), offset: num(e.offset), time, producer: JAVA_PRODUCER, seq: id });
    } else if (e.name === "producer_send_error") {
      const id = javaValueId(e.value);
      h.failures.push({ id, time, error: `${String(e.exception ?? "error")}: ${String(e.message ?? "")}`, producer: JAVA_PRODUCER, seq: id });
    } else if (e.name === "startup_complete") h.startedAt = time;
    else if (e.name === "shutdown_complete") h.shutdownAt = time;
    else if (e.name === "tool_data") h.summary = { sent: num(e.sent), acked: num(e.acked) };
  }
  return h;
}

/** One partition's records of one poll (records_consumed), as offsets from..to. */
export interface ConsumedRange {
  time: number;
  partition: number;
  from: number;
  to: number;
  count: number;
  /** partitions_assigned events seen before it (each rebalance assigns anew). */
  generation: number;
}

export interface ConsumerHistory {
  ranges: ConsumedRange[];
  /** partitions_assigned events (the first assignment included). */
  assignments: number;
  /** offsets_committed events with success=false. */
  failedCommits: string[];
  shutdownAt?: number;
  skipped: number;
}

export function parseConsumer(lines: readonly string[]): ConsumerHistory {
  const { events: list, skipped } = events(lines);
  const h: ConsumerHistory = { ranges: [], assignments: 0, failedCommits: [], skipped };
  for (const e of list) {
    const time = num(e.timestamp);
    if (e.name === "partitions_assigned") h.assignments++;
    else if (e.name === "records_consumed" && Array.isArray(e.partitions)) {
      for (const p of e.partitions as Record<string, unknown>[]) {
        h.ranges.push({ time, partition: num(p.partition), from: num(p.minOffset), to: num(p.maxOffset), count: num(p.count), generation: h.assignments });
      }
    } else if (e.name === "offsets_committed" && e.success === false) h.failedCommits.push(String(e.error ?? "commit failed"));
    else if (e.name === "shutdown_complete") h.shutdownAt = time;
  }
  return h;
}

/**
 * The consumer's reads, offset by offset, in delivery order, for the checker's group-order rule
 * (which looks at member, generation, partition and offset only: the tool reports no values, so
 * `id` is -1). A poll's records of one partition are consecutive offsets here (no transactions, no
 * compaction), so a range whose count differs from its width is a hole (`ragged`).
 */
export function consumedReads(h: ConsumerHistory): { reads: GroupRead[]; ragged: ConsumedRange[] } {
  const reads: GroupRead[] = [];
  const ragged: ConsumedRange[] = [];
  for (const r of h.ranges) {
    if (r.count !== r.to - r.from + 1) ragged.push(r);
    for (let offset = r.from; offset <= r.to; offset++)
      reads.push({ id: -1, partition: r.partition, offset, time: r.time, member: "java", generation: r.generation });
  }
  return { reads, ragged };
}

export interface JavaResult {
  /** The checker's strict rules over the producer's history and the read-back of its topic. */
  check: CheckResult;
  /** Acknowledged records whose offset the consumer never got (rule consumed-every-ack). */
  unconsumed: Ack[];
  consumerOrder: GroupOrderViolation[];
  raggedRanges: ConsumedRange[];
  /** The producer printed shutdown_complete: it closed, so every send it made has its outcome in the history. */
  producerClosed: boolean;
  /** Figures inside the scenario window (its start to the producer's stop). */
  acknowledged: number;
  failedSends: number;
  longestGapMs: number;
  /**
   * From the producer's stop until the consumer had every acknowledged offset, by the tools' own
   * timestamps (0: it had them all before the stop; null: never, within the wait).
   */
  catchUpMs: number | null;
  /** Longest time from an acknowledgement to the consumer's delivery of that offset (null: some never delivered). */
  maxConsumeDelayMs: number | null;
  facts: Record<string, string | number | boolean | null>;
}

export interface JavaHistories {
  producer: ProducerHistory;
  consumer: ConsumerHistory;
  reads: { id: number; partition: number; offset: number }[];
  ends: { partition: number; end: number }[];
  /** When the producer was told to stop (host clock; the pod shares it). */
  stopAt: number;
}

/**
 * When the consumer first got each acknowledged offset, against the ack and the producer's stop:
 * the catch-up after the stop and the longest ack-to-delivery delay (null when some offset never came).
 */
export function consumeDelays(acks: readonly Ack[], consumed: readonly GroupRead[], stopAt: number): { catchUpMs: number | null; maxDelayMs: number | null } {
  const first = new Map<string, number>();
  for (const r of consumed) {
    const key = `${r.partition}:${r.offset}`;
    first.set(key, Math.min(first.get(key) ?? Number.POSITIVE_INFINITY, r.time));
  }
  let last = Number.NEGATIVE_INFINITY;
  let maxDelay = 0;
  for (const a of acks) {
    const at = first.get(`${a.partition}:${a.offset}`);
    if (at === undefined) return { catchUpMs: null, maxDelayMs: null };
    last = Math.max(last, at);
    maxDelay = Math.max(maxDelay, at - a.time);
  }
  return { catchUpMs: Math.max(0, last - stopAt), maxDelayMs: maxDelay };
}

/**
 * The verifiable producer's shutdown hook sets its stop flag and closes the producer while the send
 * loop may be between its check of that flag and its next send (VerifiableProducer.run and main,
 * Kafka 4.4). That send is refused by the closed client and printed as a send error (CI 2026-12-05,
 * S9). It never reached the client's buffer, so it is the tool's own shutdown race, not a send the
 * cluster failed: counted apart (javaSendsRefusedAtClose), and only at or after the stop.
 */
export function refusedAtClose(f: FailedSend, stopAt: number): boolean {
  return f.time >= stopAt && f.error.startsWith("class java.lang.IllegalStateException: Cannot perform operation after producer has been closed");
}

/** Everything the scenario asserts about the Java clients, from what they printed and the read-back. */
export function checkJava(h: JavaHistories, windowStart: number, topic: string): JavaResult {
  const p = h.producer;
  const refused = p.failures.filter((f) => refusedAtClose(f, h.stopAt));
  const failed = p.failures.filter((f) => !refusedAtClose(f, h.stopAt));
  // A reduce, not Math.max(...ids): a long run has more ids than a call takes arguments.
  const attempted = p.summary?.sent ?? [...p.acks, ...p.failures].reduce((top, x) => Math.max(top, x.id), -1) + 1;
  const result = check({
    acks: p.acks,
    failures: failed,
    reads: h.reads,
    ends: h.ends,
    groupReads: [],
    attempted,
    start: p.startedAt ?? windowStart,
    end: h.stopAt,
  });
  const { reads: consumed, ragged } = consumedReads(h.consumer);
  const inWindow = <T extends { time: number }>(xs: T[]): T[] => xs.filter((x) => x.time >= windowStart && x.time <= h.stopAt);
  const windowAcks = inWindow(p.acks).map((a) => a.time);
  const failures = inWindow(failed);
  const unconsumed = unconsumedAcks(p.acks, consumed);
  const consumerOrder = groupOrderViolations(consumed);
  const gap = longestGap(windowAcks, windowStart, h.stopAt).ms;
  const delays = consumeDelays(p.acks, consumed, h.stopAt);
  const secs = (ms: number | null): number | null => (ms === null ? null : Number((ms / 1000).toFixed(1)));
  const facts: JavaResult["facts"] = {
    javaTopic: topic,
    javaAcknowledged: windowAcks.length,
    javaFailedSends: failures.length,
    javaFailedSendsTotal: failed.length,
    javaSendsRefusedAtClose: refused.length,
    javaLost: result.lost.length,
    javaDuplicates: result.duplicates,
    javaLongestGapSeconds: Number((gap / 1000).toFixed(1)),
    javaSent: attempted,
    javaReadBack: h.reads.length,
    javaUnconsumed: unconsumed.length,
    javaConsumerCatchUpSeconds: secs(delays.catchUpMs),
    javaMaxConsumeDelaySeconds: secs(delays.maxDelayMs),
    javaConsumerAssignments: h.consumer.assignments,
    javaFailedCommits: h.consumer.failedCommits.length,
  };
  if (failed.length > 0) facts.javaFirstFailure = failed[0]?.error ?? "";
  return {
    check: result,
    unconsumed,
    consumerOrder,
    raggedRanges: ragged,
    producerClosed: p.shutdownAt !== undefined,
    acknowledged: windowAcks.length,
    failedSends: failures.length,
    longestGapMs: gap,
    catchUpMs: delays.catchUpMs,
    maxConsumeDelayMs: delays.maxDelayMs,
    facts,
  };
}

/** One line per broken rule (empty: the Java clients' history passes), like checker.violations. */
export function javaViolations(r: JavaResult): string[] {
  const out = violations(r.check).map((v) => `producer: ${v}`);
  if (!r.producerClosed) out.push("producer-closed: the producer never printed shutdown_complete, so sends may have no outcome in the history");
  const first = <T>(xs: T[], show: (x: T) => string): string => xs.slice(0, 5).map(show).join("; ");
  if (r.unconsumed.length > 0)
    out.push(
      `consumed-every-ack (the consumer got every acknowledged offset): ${r.unconsumed.length} missing; first: ${first(r.unconsumed, (a) => `id ${a.id} at p${a.partition}:${a.offset}`)}`,
    );
  if (r.consumerOrder.length > 0)
    out.push(
      `consumer group-order: ${r.consumerOrder.length} violation(s); first: ${first(r.consumerOrder, (v) => `p${v.partition} offset ${v.offset} (${v.kind}, expected ${v.expected})`)}`,
    );
  if (r.raggedRanges.length > 0)
    out.push(
      `consumer polls with holes: ${r.raggedRanges.length}; first: ${first(r.raggedRanges, (x) => `p${x.partition} ${x.from}..${x.to} count ${x.count}`)}`,
    );
  return out;
}

/**
 * What a scenario asserts about the Java clients: every rule above holds (no acknowledged record
 * lost, none duplicated, all consumed); with `noFailedSends` (graceful scenarios) also that no send
 * failed, since the client's own retries must ride out a planned broker restart.
 */
export function assertJavaClients(r: JavaResult | undefined, opts: { noFailedSends: boolean }): void {
  assert.ok(r, "the Java clients were not checked (the session runs them only with javaClients and finish({ stopTraffic }))");
  const found = javaViolations(r);
  assert.ok(found.length === 0, `the Java clients' records break ${found.length} rule(s):\n  ${found.join("\n  ")}`);
  // Over the producer's whole run, not only the last window: a chain (S3-S5) is checked at its end.
  if (opts.noFailedSends) assert.is(r.check.failedSends, 0, `the Java producer (client defaults) had failed sends: ${String(r.facts.javaFirstFailure ?? "")}`);
}

// ---- the pod (I/O) ----

export interface JavaClientsContext {
  kube: Kube;
  kubectl: string;
  kubeconfig: string;
  /** The brokers' image (it carries /opt/kafka/bin). */
  image: string;
}

const OUT = "/out";
const CLIENT_SERVICE = `${RELEASE}:9092`;
/**
 * The verifiable producer sets retries=0 for Kafka's system tests, and a producer with retries=0
 * silently turns idempotence off. This file restores the KafkaProducer default (retries =
 * Integer.MAX_VALUE, bounded by delivery.timeout.ms = 120 s), and with it idempotence; acks is the
 * tool's default -1 (all), which is also the client's. Nothing else is set.
 */
const PRODUCER_PROPERTIES = ["retries=2147483647"];
/** Where the Java clients' pod mounts the release's CA on a secured release (test/helpers/connection.ts). */
const CA_DIR = "/opt/kafka-ha/tls";
/** The clients' security settings on a secured release (test/helpers/connection.ts); names are checked (Kafka's default). */
const tlsProperties = (): string[] => javaClientProperties(`${CA_DIR}/ca.crt`);

/** A container that runs one tool into OUT/<name>.jsonl and then stays up, so its files can still be read. */
function toolContainer(name: string, tool: string, args: string): NonNullable<V1Pod["spec"]>["containers"][number] {
  const script = [
    "set -u",
    `cd ${OUT}`,
    `printf '%s\\n' ${[...(name === "producer" ? PRODUCER_PROPERTIES : []), ...tlsProperties()].map((l) => `'${l}'`).join(" ")} > ${name}.properties`,
    `/opt/kafka/bin/${tool} ${args} > ${name}.jsonl 2> ${name}.err &`,
    `echo $! > ${name}.pid`,
    `wait $!`,
    `echo $? > ${name}.exit`,
    "exec sleep 86400",
  ].join("\n");
  return {
    name,
    image: "",
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/bash", "-c", script],
    env: [
      { name: "KAFKA_HEAP_OPTS", value: "-Xms32m -Xmx128m" },
      { name: "KAFKA_JVM_PERFORMANCE_OPTS", value: "-XX:+UseSerialGC -XX:TieredStopAtLevel=1" },
      { name: "LOG_DIR", value: `${OUT}/logs-${name}` },
    ],
    resources: { requests: { cpu: "50m", memory: "200Mi" }, limits: { memory: "320Mi" } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    volumeMounts: [{ name: "out", mountPath: OUT }, ...(clientSecurity() ? [{ name: "tls", mountPath: CA_DIR, readOnly: true }] : [])],
  };
}

/**
 * The pod. It runs on the k3d server node: no scenario kills, drains or partitions that node (they
 * fault the agents that host the brokers), so the clients see a broker fault the way an
 * application on a healthy node does, and S8's `docker kill` of a broker's node cannot take them
 * down with it. Labelled like the chart's helm test pod (name kafka-ha-test), so no selector of the
 * release (brokers are selected by name kafka-ha) matches it.
 */
export function javaClientsPod(name: string, image: string, topic: string, group: string): V1Pod {
  const containers = [
    toolContainer(
      "producer",
      "kafka-verifiable-producer.sh",
      `--bootstrap-server ${CLIENT_SERVICE} --topic ${topic} --throughput ${JAVA_THROUGHPUT} --command-config ${OUT}/producer.properties`,
    ),
    toolContainer(
      "consumer",
      "kafka-verifiable-consumer.sh",
      `--bootstrap-server ${CLIENT_SERVICE} --topic ${topic} --group-id ${group} --command-config ${OUT}/consumer.properties`,
    ),
  ].map((c) => ({ ...c, image }));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: {
        "app.kubernetes.io/name": `${RELEASE}-test`,
        "app.kubernetes.io/instance": RELEASE,
        "app.kubernetes.io/component": "java-clients",
        "app.kubernetes.io/part-of": "kafka-ha",
      },
    },
    spec: {
      ...serverNodePodSpec(),
      containers,
      volumes: [
        { name: "out", emptyDir: { sizeLimit: "512Mi" } },
        ...(clientSecurity() ? [{ name: "tls", secret: { secretName: clientSecurity()?.secretName, items: [{ key: "ca.crt", path: "ca.crt" }] } }] : []),
      ],
    },
  };
}

/** A file in a container read incrementally by byte offset; only complete lines are returned. */
class PodFile {
  private bytes = 0;
  private rest = Buffer.alloc(0);
  readonly lines: string[] = [];

  constructor(
    private readonly clients: JavaClients,
    private readonly container: string,
    private readonly path: string,
  ) {}

  /** Reads what was appended since the last call; returns the new complete lines. */
  async poll(): Promise<string[]> {
    const chunk = await this.clients.exec(this.container, `test -f ${this.path} && tail -c +${this.bytes + 1} ${this.path} || true`);
    this.bytes += chunk.length;
    const buf = Buffer.concat([this.rest, chunk]);
    const end = buf.lastIndexOf(10);
    if (end < 0) {
      this.rest = buf;
      return [];
    }
    this.rest = buf.subarray(end + 1);
    const fresh = buf.subarray(0, end).toString("utf8").split("\n");
    this.lines.push(...fresh);
    return fresh;
  }
}

export class JavaClients {
  private readonly producerOut: PodFile;
  private readonly consumerOut: PodFile;
  private stopAt = 0;

  private constructor(
    private readonly ctx: JavaClientsContext,
    readonly pod: string,
    readonly topic: string,
    private readonly brokers: string[],
  ) {
    this.producerOut = new PodFile(this, "producer", `${OUT}/producer.jsonl`);
    this.consumerOut = new PodFile(this, "consumer", `${OUT}/consumer.jsonl`);
  }

  /**
   * Creates the topic (six partitions, two led by each broker, so every broker fault touches it;
   * no topic settings, like the kafkajs topic: the release's defaults, RF 3 and min ISR 2) and the
   * pod; returns once the producer has its first acknowledgement. `brokers` are host-side
   * addresses for the topic admin and the read-back.
   */
  static async start(ctx: JavaClientsContext, topic: string, brokers: string[]): Promise<JavaClients> {
    await createTopic(new AdminProbe(brokers), topic, 6);
    const name = `java-clients-${topic}`
      .toLowerCase()
      .slice(0, 63)
      .replace(/[^a-z0-9]+$/, "");
    const c = new JavaClients(ctx, name, topic, brokers);
    await ctx.kube.core.createNamespacedPod({ namespace: NAMESPACE, body: javaClientsPod(name, ctx.image, topic, `${topic}-group`) });
    try {
      await waitFor(
        async () => {
          const p = await ctx.kube.core.readNamespacedPod({ name, namespace: NAMESPACE });
          if (p.status?.phase === "Failed" || p.status?.phase === "Succeeded") throw new Error(`pod ${name} ended: ${p.status.phase}`);
          return p.status?.phase === "Running";
        },
        { what: `pod ${name} running`, timeoutMs: 120000, intervalMs: 1000 },
      );
      await waitFor(async () => (await c.producerOut.poll(), parseProducer(c.producerOut.lines).acks.length > 0), {
        what: `the Java producer's first acknowledgement (pod ${name})`,
        timeoutMs: 120000,
        intervalMs: 2000,
        probeTimeoutMs: 30000,
      });
    } catch (err) {
      const detail = await c.exec("producer", `tail -n 20 ${OUT}/producer.err ${OUT}/producer.jsonl 2>&1 || true`).then(String, () => "");
      await c.close();
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${detail}`, { cause: err });
    }
    log(`Java verifiable producer and consumer running in pod ${name} (topic ${topic}, ${JAVA_THROUGHPUT} records/s)`);
    return c;
  }

  /** Runs a shell command in one of the pod's containers; its stdout as bytes. */
  async exec(container: string, command: string): Promise<Buffer> {
    const r = await execa(
      this.ctx.kubectl,
      ["--kubeconfig", this.ctx.kubeconfig, "-n", NAMESPACE, "exec", this.pod, "-c", container, "--", "bash", "-c", command],
      {
        encoding: "buffer",
        timeout: 60000,
        reject: false,
        maxBuffer: 512 * 1024 * 1024,
      },
    );
    if (r.exitCode !== 0)
      throw new Error(
        `kubectl exec ${this.pod} -c ${container}: exit ${r.exitCode}${r.timedOut ? " (timed out)" : ""}: ${Buffer.from(r.stderr).toString("utf8").slice(0, 500)}`,
      );
    return Buffer.from(r.stdout);
  }

  /** SIGTERM to a tool; its shutdown hook closes the client (the producer waits for every pending send). */
  private async stopTool(container: "producer" | "consumer", timeoutMs: number): Promise<void> {
    await this.exec(container, `test -f ${OUT}/${container}.exit || kill -TERM "$(cat ${OUT}/${container}.pid)"`);
    await waitFor(async () => (await this.exec(container, `cat ${OUT}/${container}.exit 2>/dev/null || true`)).length > 0, {
      what: `the Java ${container} to shut down`,
      timeoutMs,
      intervalMs: 1000,
      probeTimeoutMs: 30000,
    });
  }

  /**
   * Stops the producer cleanly: KafkaProducer.close() waits until every send has its outcome, which
   * takes up to delivery.timeout.ms (120 s) when a send is stuck.
   */
  async stopProducer(): Promise<void> {
    if (this.stopAt) return;
    this.stopAt = Date.now();
    await this.stopTool("producer", 180000);
  }

  /**
   * After stopProducer: waits (bounded) until the consumer got every acknowledged offset, stops it,
   * reads the topic back from the host, and checks all of it. `windowStart` bounds the figures.
   */
  async finish(windowStart: number, catchUpMs = 120000): Promise<JavaResult> {
    if (!this.stopAt) await this.stopProducer();
    await this.producerOut.poll();
    const producer = parseProducer(this.producerOut.lines);
    const coveredAll = async (): Promise<boolean> => {
      await this.consumerOut.poll();
      return unconsumedAcks(producer.acks, consumedReads(parseConsumer(this.consumerOut.lines)).reads).length === 0;
    };
    // Only a bound: the figures come from the tools' timestamps (consumeDelays); a consumer that
    // never catches up shows as unconsumed offsets in the check.
    await waitFor(coveredAll, {
      what: "the Java consumer to get every acknowledged offset",
      timeoutMs: catchUpMs,
      intervalMs: 2000,
      probeTimeoutMs: 60000,
    }).catch(() => undefined);
    await this.stopTool("consumer", 60000).catch((err: unknown) => log(`Java consumer stop: ${String(err)}`));
    await this.consumerOut.poll();
    const back = await readAll({ brokers: this.brokers, topic: this.topic, timeoutMs: 180000, parseValue: javaValueId });
    const result = checkJava(
      { producer, consumer: parseConsumer(this.consumerOut.lines), reads: back.reads, ends: back.ends, stopAt: this.stopAt },
      windowStart,
      this.topic,
    );
    const samples = new Map<unknown, string>();
    for (const line of [...this.producerOut.lines, ...this.consumerOut.lines]) {
      const kind = /"name":"([a-z_]+)"/.exec(line)?.[1];
      if (kind && !samples.has(kind)) samples.set(kind, line);
    }
    log(`Java clients, one line of each event kind:\n  ${[...samples.values()].join("\n  ")}`);
    return result;
  }

  /** Deletes the pod and the topic; safe to call twice and on a half-started pod. */
  async close(): Promise<void> {
    await this.ctx.kube.core.deleteNamespacedPod({ name: this.pod, namespace: NAMESPACE, gracePeriodSeconds: 0 }).catch((err: unknown) => {
      if (statusOf(err) !== 404) log(`deleting pod ${this.pod}: ${String(err)}`);
    });
    await new AdminProbe(this.brokers)
      .use("delete topic", (admin) => admin.deleteTopics({ topics: [this.topic], timeout: 20000 }), { timeoutMs: 30000 })
      .catch(() => undefined);
  }
}

/**
 * The pod-level settings of the suite's client pods (Java clients, the bench's probes): run once, as
 * uid 1000, on the k3d server node, which hosts no broker, so a broker fault never takes the client
 * with it and every setup has the same network path.
 */
export function serverNodePodSpec() {
  return {
    restartPolicy: "Never",
    terminationGracePeriodSeconds: 1,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    nodeSelector: { "kubernetes.io/hostname": SERVER_NODE },
    // k3s leaves its server schedulable; should a cluster taint it, the pod still goes there.
    tolerations: [
      { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
      { key: "CriticalAddonsOnly", operator: "Exists" },
    ],
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
  };
}
