// Live traffic for the HA scenarios: idempotent acks=all producers writing numbered, keyed records
// without pause, a consumer group reading continuously, and a fresh consumer that reads every
// partition from offset 0 at the end. Everything it saw is kept for the checker (checker.ts):
// every ack with the producer instance and send sequence behind it, every failed send, acks that
// came after the client-side cutoff, and every record the group delivered with its offset.
//
// kafkajs runs on the host and reaches the brokers through their per-broker external access
// (broker N advertised at 127.0.0.1:31090+N; the bootstrap lists all of them, since each port
// reaches one broker only).
import { randomUUID } from "node:crypto";
import { type Consumer, Kafka, type LogEntry, logLevel, type Producer, type RecordMetadata } from "kafkajs";
import "./kafkajs-fetch-guard.js";
import { type Ack, type CheckInput, type FailedSend, type GroupRead, type PartitionEnd, type Read, groupMissed } from "./checker.js";
import { BOOTSTRAP } from "../../scripts/env/release.js";
import { AdminProbe, liveSeed } from "./kafka-admin.js";
import { log } from "./log.js";
import { TimeoutError, sleep, waitFor, withTimeout } from "../../scripts/lib/wait.js";
import { kafkajsSecurity } from "./connection.js";

/** How long the end of a check waits for the consumer group to deliver every acknowledged record. */
export const GROUP_CATCH_UP_MS = 60000;

export interface TrafficOptions {
  brokers?: string[];
  /** Topic name; a fresh one per scenario run keeps runs independent. */
  topic: string;
  partitions?: number;
  /**
   * A scenario that needs a particular layout (S11): the replicas of each partition and topic-level
   * settings. Without it the topic gets the release's defaults (see createTopic).
   */
  layout?: TopicLayout;
  /** Independent idempotent producers sending in parallel (each its own producer id). */
  producers?: number;
  /**
   * Client-side cutoff of one send including kafkajs' retries: a send past it counts as failed and
   * its producer is replaced, but the send itself is left to finish; an ack that still comes is
   * recorded as late and checked like any other (see LATE_ACK_WAIT_MS).
   */
  sendTimeoutMs?: number;
  /** Hard cap on the send loop, whatever the scenario does; reaching it fails the scenario. */
  maxDurationMs?: number;
}

/** kafkajs logs every retry at ERROR; keep the last lines for the report instead of flooding the output. */
export class ClientLog {
  readonly lines: string[] = [];
  count = 0;
  creator =
    () =>
    (entry: LogEntry): void => {
      if (entry.level > logLevel.WARN) return;
      this.count++;
      const line = `${new Date(entry.log.timestamp).toISOString()} ${entry.namespace} ${entry.log.message}${entry.log.error ? `: ${String(entry.log.error)}` : ""}`;
      this.lines.push(line);
      if (this.lines.length > 200) this.lines.shift();
    };
}

export const errorText = (err: unknown): string => {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return `${err.name}: ${err.message}${cause instanceof Error ? ` (${cause.message})` : ""}`;
  }
  return String(err);
};

export const parseId = (value: Buffer | null): number => {
  const text = value?.toString("utf8") ?? "";
  const match = /^id=(\d+);/.exec(text);
  return match ? Number(match[1]) : Number.NaN;
};

/** A kafkajs client whose every new seed connection goes to an address that just answered (see liveSeed). */
export function kafkaClient(brokers: string[], clientId: string, log: ClientLog): Kafka {
  return new Kafka({
    clientId,
    brokers: liveSeed(brokers),
    ...kafkajsSecurity(),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
    logLevel: logLevel.WARN,
    logCreator: log.creator,
  });
}

export interface TopicLayout {
  /** Replica broker ids per partition, preferred leader first. */
  assignment: number[][];
  configs: Record<string, string>;
}

/**
 * Creates the topic with no topic-level settings, as an application does, so it gets the chart's
 * replication factor and min ISR (the scenarios check these, see topicDurability), unless a
 * scenario gives its own layout or replication factor; then waits until
 * every partition has a leader and a full ISR. kafkajs' own waitForLeaders gives up when a broker
 * whose metadata lags answers UNKNOWN_TOPIC_OR_PARTITION right after the creation ("This server
 * does not host this topic-partition"; it failed T2 in a CI run), so the wait is ours: bounded,
 * retrying on any error. Every topic the suite creates goes through here.
 */
export async function createTopic(
  probe: AdminProbe,
  topic: string,
  partitions: number,
  opts: { layout?: TopicLayout; replicationFactor?: number } = {},
): Promise<void> {
  const { layout, replicationFactor } = opts;
  // A layout fixes the replicas itself: refuse what it would silently ignore or never satisfy.
  if (layout && replicationFactor) throw new Error(`createTopic ${topic}: give a layout or a replication factor, not both`);
  if (layout && layout.assignment.length !== partitions)
    throw new Error(`createTopic ${topic}: the layout assigns ${layout.assignment.length} partitions, not ${partitions}`);
  const spec = layout
    ? {
        topic,
        replicaAssignment: layout.assignment.map((replicas, partition) => ({ partition, replicas })),
        configEntries: Object.entries(layout.configs).map(([name, value]) => ({ name, value })),
      }
    : { topic, numPartitions: partitions, ...(replicationFactor ? { replicationFactor } : {}) };
  await probe.use(`creating topic ${topic}`, (admin) => admin.createTopics({ waitForLeaders: false, timeout: 30000, topics: [spec] }), {
    timeoutMs: 45000,
  });
  await waitFor(
    async () => {
      const meta = await probe.use(`metadata of ${topic}`, (admin) => admin.fetchTopicMetadata({ topics: [topic] }));
      const parts = meta.topics[0]?.partitions ?? [];
      return parts.length === partitions && parts.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length);
    },
    { what: `leaders and full ISRs for every partition of ${topic}`, timeoutMs: 60000, intervalMs: 500, probeTimeoutMs: 60000 },
  );
}

/**
 * The group consumer is supervised like an application's liveness probe would: when over this long
 * it read less than a tenth of what the producer got acknowledged (at least 100 acks, counting only
 * those at least GROUP_GRACE_MS old), it is replaced by a new member of the same group. A kafkajs consumer can stay out of its group after a
 * broker is lost for good, reading a trickle (S6: 62 reads against 298,937 acks in 300 s, the group
 * without active members); every restart is printed, marked on the timeline and counted.
 */
export const GROUP_STALL_MS = 90000;
/** The group consumer's metadata lifetime (kafkajs default 300 s; see startGroupConsumer). */
export const GROUP_METADATA_MAX_AGE_MS = 10000;
/**
 * Requests a group member sends to its group's coordinator. kafkajs 2.2.4 looks the coordinator up
 * only when it joins: a request that times out leaves its connection open
 * (network/requestQueue/index.js), and a timed-out heartbeat is not a rebalance error
 * (consumer/runner.js), so after the coordinator's broker is lost for good a member heartbeats into
 * it, a request timeout per try, through all its retries (S6 on the coordinator's node: 90 s
 * without reading, every run). The Java consumer marks the coordinator unknown on such a timeout and
 * looks it up again; the harness does the equivalent, it replaces a member whose coordinator request
 * timed out at once. Counted apart from the supervisor's replacements (groupCoordinatorReplacements),
 * which stay violations of group-steady.
 */
export const COORDINATOR_APIS: ReadonlySet<string> = new Set(["Heartbeat", "JoinGroup", "SyncGroup", "OffsetCommit", "OffsetFetch"]);

/** Acks younger than this are not held against the group yet (it may be re-joining after an outage, Q1). */
export const GROUP_GRACE_MS = 30000;

/** Entries of a time-ordered list at or after `since`, counted from the end (cheap for recent windows). */
export function countSince(entries: readonly { time: number }[], since: number): number {
  let n = 0;
  for (let i = entries.length - 1; i >= 0 && (entries[i]?.time ?? 0) >= since; i--) n++;
  return n;
}

/**
 * Whether the supervisor may judge the window starting at `since`: not while a pause is open, and
 * not while the window still reaches into a closed one (`to` undefined: still open).
 */
export function supervisionAllowed(pauses: readonly { from: number; to?: number }[], since: number): boolean {
  return pauses.every((p) => p.to !== undefined && p.to < since);
}

/** The supervisor's rule: enough acks in the window and under a tenth of them read by the group. */
export function groupStalled(acksInWindow: number, readsInWindow: number): boolean {
  return acksInWindow >= 100 && readsInWindow * 10 < acksInWindow;
}

/**
 * How long a send that passed the cutoff is still awaited (kafkajs gives up by itself well before:
 * 8 retries of at most 10 s requests plus back-off). stop() waits for these too, so a late ack is
 * in the history before the final read-back.
 */
export const LATE_ACK_WAIT_MS = 150000;

/**
 * The rest of a send that passed the client cutoff (already recorded as `failure`): an ack that
 * still comes is appended to `acks` marked late; a final error (or no outcome within `waitMs`) is
 * appended to the failure's text. `retire` (disconnecting the producer) runs only afterwards,
 * since disconnecting would abort the send. Never rejects.
 */
export async function lateOutcome<R>(
  sending: Promise<R>,
  ackOf: (result: R) => Omit<Ack, "time">,
  failure: FailedSend,
  opts: { acks: Ack[]; waitMs: number; onLateAck?: (ack: Ack) => void; retire?: () => Promise<unknown> },
): Promise<void> {
  try {
    const ack: Ack = { ...ackOf(await withTimeout(sending, opts.waitMs, `late outcome of record ${failure.id}`)), time: Date.now(), late: true };
    opts.acks.push(ack);
    opts.onLateAck?.(ack);
  } catch (err) {
    failure.error += `; then: ${errorText(err)}`;
  } finally {
    await opts.retire?.();
  }
}

/** What the final read-back saw: every record read and the end offsets it read up to. */
export interface ReadBack {
  reads: Read[];
  ends: PartitionEnd[];
}

export class Traffic {
  /** In the order they arrived (late acks included), so ack times rise. */
  readonly acks: Ack[] = [];
  readonly failures: FailedSend[] = [];
  readonly groupReads: GroupRead[] = [];
  /** Times a group member (re-)joined the group (each join starts a new member generation). */
  readonly groupJoins: number[] = [];
  /** Times the supervisor replaced a stalled group consumer (see GROUP_STALL_MS). */
  readonly groupRestarts: number[] = [];
  /** Times a member was replaced because a request to its coordinator timed out (see COORDINATOR_APIS). */
  readonly groupCoordinatorReplacements: number[] = [];
  /** Times a member was replaced because it crashed and kafkajs does not restart it (see startGroupConsumer). */
  readonly groupCrashReplacements: number[] = [];
  readonly events: { time: number; label: string }[] = [];
  readonly log = new ClientLog();
  startedAt = 0;
  stoppedAt = 0;
  private nextId = 0;
  private producersMade = 0;
  private groupMembersMade = 0;
  /** Sends past the cutoff that have not settled yet (see LATE_ACK_WAIT_MS). */
  private readonly lateSends = new Set<Promise<void>>();
  /** Sends still pending when stop() gave up waiting for them (their outcome stays unknown). */
  unresolvedSends = 0;
  /** When the send loop hit its cap (maxDurationMs): a scenario that outlives its traffic fails (Window.finish). */
  cappedAt?: number;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly kafka: Kafka;
  private group?: Consumer;
  private groupStartedAt = 0;
  private supervisor?: NodeJS.Timeout;
  private restarting = false;
  /** Periods the supervisor does not judge (see pauseGroupSupervision). */
  private readonly supervisionPauses: { from: number; to?: number; why: string }[] = [];
  private readonly opts: Required<Omit<TrafficOptions, "layout">> & Pick<TrafficOptions, "layout">;

  private constructor(opts: Required<Omit<TrafficOptions, "layout">> & Pick<TrafficOptions, "layout">) {
    this.opts = opts;
    this.kafka = kafkaClient(opts.brokers, `ha-traffic-${opts.topic}`, this.log);
  }

  static async create(options: TrafficOptions): Promise<Traffic> {
    const t = new Traffic({
      brokers: BOOTSTRAP,
      partitions: 6,
      producers: 2,
      // A send whose leader died hangs until this bound; then a new producer takes over. 15 s is
      // above the broker session timeout (9 s, after which the controller moves leadership), so the
      // measured gap reflects Kafka's failover rather than a long client-side wait. Failed sends
      // are still counted and reported.
      sendTimeoutMs: 15000,
      maxDurationMs: 20 * 60 * 1000,
      ...options,
    });
    await createTopic(new AdminProbe(t.opts.brokers), t.opts.topic, t.opts.layout?.assignment.length ?? t.opts.partitions, {
      layout: t.opts.layout,
    });
    return t;
  }

  /** The group of the supervised group consumer. */
  get groupId(): string {
    return `ha-group-${this.opts.topic}`;
  }

  get topic(): string {
    return this.opts.topic;
  }

  /** Starts the consumer group and the send loops. Returns once the first record is acknowledged. */
  async start(): Promise<void> {
    this.group = await this.startGroupConsumer();
    this.groupStartedAt = Date.now();
    this.supervisor = setInterval(() => void this.superviseGroup(), 5000);
    this.supervisor.unref();
    this.running = true;
    this.startedAt = Date.now();
    const hardStop = setTimeout(() => {
      if (this.running) {
        this.cappedAt = Date.now();
        this.mark(`send loop stopped by its ${this.opts.maxDurationMs / 1000}s cap`);
      }
      this.running = false;
    }, this.opts.maxDurationMs);
    hardStop.unref();
    for (let i = 0; i < this.opts.producers; i++) this.loops.push(this.sendLoop(i));
    await waitFor(async () => this.acks.length > 0, { what: "the first acknowledged record", timeoutMs: 60000, intervalMs: 100 });
  }

  private async startGroupConsumer(): Promise<Consumer> {
    // Each kafka.consumer() has its own broker pool, so a replacement shares no connection with the stalled one.
    // metadataMaxAge works around a kafkajs 2.2.4 defect (the S6 stall): a fetch to a leader that
    // is gone for good times out (KafkaJSRequestTimeoutError), and ConsumerGroup.recoverFromFetch
    // refreshes metadata only for NOT_LEADER-type errors and closed connections, so it rethrows;
    // the runner retries with back-off (up to 30 s) against the same stale leader until the
    // metadata expires, after metadataMaxAge (default 300 s: S6 read 62 records against 298,937
    // acks in 300 s). Each fetch refreshes expired metadata first, so 10 s bounds the stall.
    const group = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 10000,
      heartbeatInterval: 2000,
      metadataMaxAge: GROUP_METADATA_MAX_AGE_MS,
      retry: { retries: 20 },
    });
    // kafkajs restarts a crashed member only after a retriable error; after any other (Q1: "Failed
    // to find group coordinator" while the quorum is down on purpose) the member stays stopped for
    // good, and an application's crash handler has to start a new one (the Java consumer keeps
    // looking for its coordinator instead). The harness does that at once, counted apart
    // (groupCrashReplacements) from the supervisor's replacements.
    group.on(group.events.CRASH, (e) => {
      this.mark(`consumer group crashed: ${errorText(e.payload.error)}`);
      if (!e.payload.restart && this.group === group)
        void this.replaceGroupConsumer(`it crashed and kafkajs does not restart it (${errorText(e.payload.error)})`, this.groupCrashReplacements);
    });
    group.on(group.events.REQUEST_TIMEOUT, (e) => {
      if (COORDINATOR_APIS.has(e.payload.apiName) && this.group === group)
        void this.replaceGroupConsumer(`its ${e.payload.apiName} to the coordinator ${e.payload.broker} timed out`, this.groupCoordinatorReplacements);
    });
    // Reads carry the member's join count (its generation): the group-order rule allows a member
    // to jump back to the committed offset only after a re-join (see checker.ts).
    const member = `m${this.groupMembersMade++}`;
    let generation = 0;
    group.on(group.events.GROUP_JOIN, () => {
      generation++;
      this.groupJoins.push(Date.now());
    });
    try {
      await withTimeout(group.connect(), 30000, "consumer group connect");
      await withTimeout(group.subscribe({ topic: this.opts.topic, fromBeginning: true }), 30000, "consumer group subscribe");
      await withTimeout(
        group.run({
          eachMessage: async ({ partition, message }) => {
            this.groupReads.push({ time: Date.now(), partition, offset: Number(message.offset), id: parseId(message.value), member, generation });
          },
        }),
        // Joining waits for the group's other members to rejoin or time out (the rebalance timeout).
        90000,
        "consumer group run",
      );
      return group;
    } catch (err) {
      // A half-started member must not stay in the group next to its replacement.
      void withTimeout(group.disconnect(), 10000, "consumer disconnect").catch(() => undefined);
      throw err;
    }
  }

  private async superviseGroup(): Promise<void> {
    const now = Date.now();
    const since = now - GROUP_STALL_MS;
    // Acks of the window old enough that the group had GROUP_GRACE_MS to deliver them.
    const acks = countSince(this.acks, since) - countSince(this.acks, now - GROUP_GRACE_MS);
    const reads = countSince(this.groupReads, since);
    // A new member gets a whole window before it is judged.
    if (this.groupStartedAt > since || !supervisionAllowed(this.supervisionPauses, since) || !groupStalled(acks, reads)) return;
    await this.replaceGroupConsumer(
      `${reads} reads in ${GROUP_STALL_MS / 1000}s against ${acks} acks older than ${GROUP_GRACE_MS / 1000}s`,
      this.groupRestarts,
    );
  }

  /** Disconnects the group member and starts a new one; `counted` records when. */
  private async replaceGroupConsumer(why: string, counted: number[]): Promise<void> {
    if (!this.running || this.restarting) return;
    this.restarting = true;
    const old = this.group;
    counted.push(Date.now());
    const label = `group consumer replaced: ${why}`;
    this.mark(label);
    log(`${this.opts.topic}: ${label}`);
    try {
      if (old) await withTimeout(old.disconnect(), 10000, "stalled consumer disconnect").catch(() => undefined);
      // Tried every 5 s until a member runs, as an application's consumer keeps looking for its
      // coordinator: giving up would leave the group without a member, and during a pause of the
      // supervisor (Q1's quorum outage) nothing would start one until a whole window after it
      // (CI 2026-12-04: a coordinator replacement failed its three tries mid-outage, then the
      // supervisor replaced the dead member 90 s after the pause: a group-steady violation).
      for (let attempt = 1; this.running; attempt++) {
        try {
          this.group = await this.startGroupConsumer();
          this.groupStartedAt = Date.now();
          if (attempt > 1) this.mark(`group consumer started after ${attempt} tries`);
          return;
        } catch (err) {
          this.log.lines.push(`group consumer restart ${attempt} failed: ${errorText(err)}`);
          if (attempt <= 3 || attempt % 10 === 0) log(`${this.opts.topic}: group consumer restart ${attempt} failed: ${errorText(err)}`);
          await sleep(5000);
        }
      }
    } finally {
      this.restarting = false;
    }
  }

  /**
   * From now until the returned function is called, and for a whole stall window after it, the
   * supervisor replaces no group member: for a scenario that takes a partition offline on purpose
   * (S11), where a group that cannot read acknowledged records is the expected state, not a stall.
   * The rules group-steady and group-consumed stay asserted for the whole run.
   */
  pauseGroupSupervision(why: string): () => void {
    const pause: { from: number; to?: number; why: string } = { from: Date.now(), why };
    this.supervisionPauses.push(pause);
    this.mark(`group supervision paused: ${why}`);
    return () => {
      if (pause.to !== undefined) return;
      pause.to = Date.now();
      this.mark(`group supervision resumes ${GROUP_STALL_MS / 1000}s from now`);
    };
  }

  /** Marks an event on the timeline (fault injected, node back, ...). */
  mark(label: string, time = Date.now()): void {
    this.events.push({ time, label });
  }

  /** A new idempotent producer, named `p<n>` in the history; its sends are numbered from 0. */
  private async newProducer(): Promise<{ producer: Producer; name: string; sent: number }> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await withTimeout(producer.connect(), 15000, "producer connect");
    return { producer, name: `p${this.producersMade++}`, sent: 0 };
  }

  private async sendLoop(worker: number): Promise<void> {
    let current: { producer: Producer; name: string; sent: number } | undefined;
    while (this.running) {
      if (!current) {
        try {
          current = await this.newProducer();
        } catch (err) {
          this.log.lines.push(`producer of worker ${worker} connect failed: ${errorText(err)}`);
          await sleep(200);
          continue;
        }
      }
      const id = this.nextId++;
      const { producer, name } = current;
      const seq = current.sent++;
      const ackOf = (result: RecordMetadata[]): Omit<Ack, "time"> => {
        const meta = result[0];
        if (!meta || meta.baseOffset === undefined) throw new Error(`no record metadata for ${id}`);
        return { id, partition: meta.partition, offset: Number(meta.baseOffset), producer: name, seq };
      };
      const sending = producer.send({
        topic: this.opts.topic,
        acks: -1,
        timeout: 10000,
        messages: [{ key: `key-${id}`, value: `id=${id};t=${Date.now()}` }],
      });
      try {
        const ack = ackOf(await withTimeout(sending, this.opts.sendTimeoutMs, `send of record ${id}`));
        this.acks.push({ ...ack, time: Date.now() });
      } catch (err) {
        const failure: FailedSend = { id, time: Date.now(), error: errorText(err), producer: name, seq };
        this.failures.push(failure);
        // The outcome of this send is unknown. An idempotent producer that reuses its sequence number
        // for the next record could have that record "acknowledged" as a duplicate of this one, so
        // start over with a new producer id (what the Java client does by bumping the epoch).
        current = undefined;
        if (err instanceof TimeoutError) this.awaitLateAck(sending, ackOf, failure, producer);
        else void withTimeout(producer.disconnect(), 10000, "producer disconnect").catch(() => undefined);
      }
    }
    if (current) await withTimeout(current.producer.disconnect(), 10000, "producer disconnect").catch(() => undefined);
  }

  /**
   * A send past the cutoff keeps running in its (retired) producer: an ack that still comes is a
   * write the log must keep, so it is recorded as a late ack; a final error is added to the
   * failure. The producer is disconnected only then (disconnecting would abort the send).
   */
  private awaitLateAck(sending: Promise<RecordMetadata[]>, ackOf: (r: RecordMetadata[]) => Omit<Ack, "time">, failure: FailedSend, producer: Producer): void {
    const settled = lateOutcome(sending, ackOf, failure, {
      acks: this.acks,
      waitMs: LATE_ACK_WAIT_MS,
      onLateAck: (ack) => this.mark(`late ack of record ${ack.id} (${Math.round((ack.time - failure.time + this.opts.sendTimeoutMs) / 1000)}s after the send)`),
      retire: () => withTimeout(producer.disconnect(), 10000, "producer disconnect").catch(() => undefined),
    }).finally(() => this.lateSends.delete(settled));
    this.lateSends.add(settled);
  }

  /** Stops the send loops (in-flight sends finish or fail within their bound) and the consumer group. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.supervisor) clearInterval(this.supervisor);
    await withTimeout(Promise.all(this.loops), this.opts.sendTimeoutMs + 15000, "send loops to stop");
    // Late acks belong in the history before the final read-back.
    await withTimeout(Promise.all([...this.lateSends]), LATE_ACK_WAIT_MS + 15000, "sends past the cutoff to settle").catch(() => {
      this.unresolvedSends = this.lateSends.size;
    });
    this.stoppedAt = Date.now();
    if (this.group) await this.awaitGroupDelivered(this.stoppedAt);
    if (this.group) await withTimeout(this.group.disconnect(), 30000, "consumer group disconnect").catch(() => undefined);
    this.group = undefined;
  }

  /**
   * Gives the consumer group up to GROUP_CATCH_UP_MS to deliver every record acknowledged up to
   * `deadline`; what it still misses then is the checker's finding (rule group-consumed), not an error here.
   */
  async awaitGroupDelivered(deadline: number): Promise<void> {
    await waitFor(async () => groupMissed(this.acks, this.groupReads, deadline).length === 0, {
      what: "the consumer group to deliver every acknowledged record",
      timeoutMs: GROUP_CATCH_UP_MS,
      intervalMs: 1000,
    }).catch(() => this.mark(`the consumer group had not delivered every acknowledged record ${GROUP_CATCH_UP_MS / 1000}s later`));
  }

  /** The client-side cutoff of one send (a send past it counts as failed; see TrafficOptions). */
  get sendTimeoutMs(): number {
    return this.opts.sendTimeoutMs;
  }

  get attempted(): number {
    return this.nextId;
  }

  /** Group reads at or after `since` (proof that consumers kept working during a fault). */
  groupReadsSince(since: number): number {
    return this.groupReads.filter((r) => r.time >= since).length;
  }

  /** Acks at or after `since`. */
  acksSince(since: number): number {
    return this.acks.filter((a) => a.time >= since).length;
  }

  /** Reads every partition from offset 0 with a fresh consumer, until each reaches its end offset. */
  async readBack(opts: { brokers?: string[]; timeoutMs?: number } = {}): Promise<ReadBack> {
    return readAll({ brokers: opts.brokers ?? this.opts.brokers, topic: this.opts.topic, timeoutMs: opts.timeoutMs ?? 180000, log: this.log });
  }

  checkInput(back: ReadBack): CheckInput {
    return {
      acks: this.acks,
      failures: this.failures,
      reads: back.reads,
      ends: back.ends,
      groupReads: this.groupReads,
      attempted: this.attempted,
      start: this.startedAt,
      end: this.stoppedAt || Date.now(),
    };
  }

  async close(): Promise<void> {
    this.running = false;
    if (this.supervisor) clearInterval(this.supervisor);
    if (this.group) await withTimeout(this.group.disconnect(), 15000, "consumer disconnect").catch(() => undefined);
  }
}

/** End offsets (high watermarks) of every partition of a topic. */
export async function endOffsets(probe: AdminProbe, topic: string): Promise<Map<number, number>> {
  const offsets = await probe.use(`end offsets of ${topic}`, (admin) => admin.fetchTopicOffsets(topic), { timeoutMs: 20000 });
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/** Read-back options; `parseValue` turns a record value into its id (default: the harness's `id=N;...`). */
export interface ReadAllOptions {
  brokers: string[];
  topic: string;
  timeoutMs: number;
  log?: ClientLog;
  parseValue?: (value: Buffer | null) => number;
}

/**
 * A fresh consumer (new group, from the beginning) reads until every partition reached the end offset
 * it had when the read started. `brokers` is its only bootstrap.
 */
export async function readAll(opts: ReadAllOptions): Promise<ReadBack> {
  // kafkajs fails a whole read on transient metadata errors ("Broker not connected" while a bootstrap
  // broker is down, NOT_LEADER from a broker whose metadata lags a leader move): start over with a
  // new client, bounded.
  let last: unknown;
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await readAllOnce(opts);
    } catch (err) {
      last = err;
      opts.log?.lines.push(`read-back attempt ${attempt} failed: ${errorText(err)}`);
      log(`read-back of ${opts.topic}, attempt ${attempt} failed (a new client retries): ${errorText(err)}`);
      await sleep(3000);
    }
  }
  throw last;
}

async function readAllOnce(opts: ReadAllOptions): Promise<ReadBack> {
  const log = opts.log ?? new ClientLog();
  const kafka = kafkaClient(opts.brokers, `ha-readback-${randomUUID().slice(0, 8)}`, log);
  const consumer = kafka.consumer({
    groupId: `ha-readback-${randomUUID()}`,
    sessionTimeout: 15000,
    heartbeatInterval: 3000,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  const reads: Read[] = [];
  const reached = new Map<number, number>();
  try {
    const ends = await endOffsets(new AdminProbe(opts.brokers), opts.topic);
    await withTimeout(consumer.connect(), 30000, "read-back consumer connect");
    await withTimeout(consumer.subscribe({ topic: opts.topic, fromBeginning: true }), 30000, "read-back subscribe");
    await withTimeout(
      consumer.run({
        partitionsConsumedConcurrently: 6,
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            reads.push({ id: (opts.parseValue ?? parseId)(m.value), partition: batch.partition, offset });
            reached.set(batch.partition, Math.max(reached.get(batch.partition) ?? -1, offset));
          }
        },
      }),
      30000,
      "read-back run",
    );
    const done = (): boolean => [...ends].every(([p, end]) => end === 0 || (reached.get(p) ?? -1) >= end - 1);
    await waitFor(async () => done(), {
      what: `the read-back of ${opts.topic} to reach the end offsets`,
      timeoutMs: opts.timeoutMs,
      intervalMs: 250,
    }).catch((err: unknown) => {
      const progress = [...ends].map(([p, end]) => `p${p} ${(reached.get(p) ?? -1) + 1}/${end}`).join(", ");
      throw new Error(`${err instanceof Error ? err.message : String(err)} (${progress})`);
    });
    return { reads, ends: [...ends].map(([partition, end]) => ({ partition, end })) };
  } finally {
    await withTimeout(consumer.disconnect(), 15000, "read-back consumer disconnect").catch(() => undefined);
  }
}
