// kafkajs the way its README configures it (issue 13: "a kafkajs profile with its default retry
// settings and pipelined batches"): `new Kafka({ clientId, brokers })`, `kafka.producer()` and
// `kafka.consumer({ groupId })` with every other setting left at its default. So: no idempotence,
// no limit on in-flight requests, 5 retries with back-off up to 30 s, 30 s request timeout,
// acks=all, and the consumer's 300 s metadata lifetime. The harness traffic (traffic.ts) is tuned
// instead: one awaited send at a time, idempotent, a 15 s cutoff.
//
// The producer does not await one send before the next (KAFKAJS_PIPELINE): it starts sendsPerSecond
// sends a second, each a batch of recordsPerSend records with one key (one partition, consecutive
// offsets), with at most maxPending sends unanswered (an application's request handlers do the same;
// a full pipeline waits, as the Java client blocks on a full buffer). Nothing replaces the producer
// after a failure and there is no client-side cutoff: each send ends with kafkajs' own verdict.
//
// What kafkajs' defaults promise is at-least-once: an acknowledged record is never lost, but a
// retry of a request whose response was lost writes its records again, and with several requests
// in flight a retried one lands behind later ones. So the checker's rules split (KAFKAJS_ASSERTED):
// the rules about what the log keeps are asserted; duplicates and ack order are reported, never
// asserted. The only deviation from the defaults is the `brokers` function (liveSeed): k3d's
// docker-proxy accepts connections for a broker that is gone, which kafkajs would wait on forever
// (see liveSeed); the Java client skips such an address by itself.
import { Kafka, type Consumer, type Producer, logLevel } from "kafkajs";
import * as assert from "uvu/assert";
import {
  type Ack,
  type CheckResult,
  type FailedSend,
  type GroupRead,
  type PartitionEnd,
  type Read,
  violations,
  check,
  longestGap,
  unconsumedAcks,
} from "./checker.js";
import { AdminProbe, liveSeed } from "./kafka-admin.js";
import { log } from "./log.js";
import { ClientLog, createTopic, errorText, parseId, readAll } from "./traffic.js";
import { sleep, waitFor, withTimeout } from "../../scripts/lib/wait.js";
import { kafkajsSecurity } from "./connection.js";

/** The profile's pipeline (see the header) and how long its end waits for the clients. */
export const KAFKAJS_PIPELINE = {
  sendsPerSecond: 50,
  recordsPerSend: 4,
  /** Unanswered sends at most; the loop waits while the pipeline is full. */
  maxPending: 500,
  /**
   * How long stop() waits for the pending sends' verdicts: kafkajs' defaults give one send up to
   * 6 attempts of 30 s plus back-off (at most 30 s each), about 5 minutes in the worst case.
   */
  settleWaitMs: 330000,
  /** How long the end of a check waits for the default consumer group to deliver every acknowledged record. */
  groupCatchUpMs: 120000,
} as const;
/** The producer's name in the checker's history: one producer instance for the whole run. */
export const KAFKAJS_PRODUCER = "kafkajs-defaults";

/**
 * The checker's rules that kafkajs' defaults must keep (asserted); the others hold only with
 * idempotence or one request in flight, so they are reported (see the header).
 */
export const KAFKAJS_ASSERTED = ["acked-at-offset", "one-record-per-offset", "contiguous-read-back", "nothing-unexpected"];

/** The acks of one send: its records took consecutive offsets from `baseOffset` of one partition. */
export function acksOfSend(firstId: number, count: number, partition: number, baseOffset: number, time: number): Ack[] {
  return Array.from({ length: count }, (_, i) => ({ id: firstId + i, partition, offset: baseOffset + i, time, producer: KAFKAJS_PRODUCER, seq: firstId + i }));
}

export interface KafkajsHistory {
  acks: Ack[];
  failures: FailedSend[];
  groupReads: GroupRead[];
  /** Ids 0..attempted-1 were handed to send(). */
  attempted: number;
  /** Sends with no verdict when stop() stopped waiting. */
  unresolved: number;
  /** Most sends unanswered at once. */
  maxPending: number;
  startedAt: number;
  stopAt: number;
}

export interface KafkajsResult {
  check: CheckResult;
  /** Acknowledged records the default consumer group never delivered at their offset. */
  unconsumed: Ack[];
  /** One line per broken asserted rule (empty: the history passes). */
  violations: string[];
  acknowledged: number;
  failedSends: number;
  facts: Record<string, string | number | boolean | null>;
}

/** The asserted rules over the history and the read-back; figures inside [windowStart, stopAt]. */
export function checkKafkajs(h: KafkajsHistory, back: { reads: Read[]; ends: PartitionEnd[] }, windowStart: number): KafkajsResult {
  const result = check({
    acks: h.acks,
    failures: h.failures,
    reads: back.reads,
    ends: back.ends,
    groupReads: h.groupReads,
    attempted: h.attempted,
    start: h.startedAt,
    end: h.stopAt,
  });
  const unconsumed = unconsumedAcks(h.acks, h.groupReads);
  const found = violations(result, KAFKAJS_ASSERTED);
  if (unconsumed.length > 0) {
    found.push(
      `group-consumed (the default consumer group delivers every acknowledged offset): ${unconsumed.length} missing; first: ${unconsumed
        .slice(0, 5)
        .map((a) => `id ${a.id} at p${a.partition}:${a.offset}`)
        .join("; ")}`,
    );
  }
  const inWindow = <T extends { time: number }>(xs: T[]): T[] => xs.filter((x) => x.time >= windowStart && x.time <= h.stopAt);
  const windowAcks = inWindow(h.acks).map((a) => a.time);
  const failures = inWindow(h.failures);
  const facts: KafkajsResult["facts"] = {
    kjsAcknowledged: windowAcks.length,
    kjsLost: result.lost.length,
    kjsDuplicates: result.duplicates,
    kjsAckOrderViolations: result.ackOrder.length,
    kjsFailedSends: failures.length,
    kjsFailedSendsTotal: h.failures.length,
    kjsRecoveredFailedSends: result.recovered,
    kjsLongestGapSeconds: Number((longestGap(windowAcks, windowStart, h.stopAt).ms / 1000).toFixed(1)),
    kjsUnconsumed: unconsumed.length,
    kjsUnresolvedSends: h.unresolved,
    kjsMaxPendingSends: h.maxPending,
  };
  if (failures.length > 0) facts.kjsFirstFailure = failures[0]?.error ?? "";
  return { check: result, unconsumed, violations: found, acknowledged: windowAcks.length, failedSends: failures.length, facts };
}

/** What a scenario asserts about kafkajs with its defaults: nothing acknowledged lost, all of it consumed. */
export function assertKafkajsDefaults(r: KafkajsResult | undefined): void {
  assert.ok(r, "kafkajs with its defaults was not checked (the session runs it only with kafkajsDefaults and finish({ stopTraffic }))");
  assert.ok(r.violations.length === 0, `kafkajs with its defaults: the records break ${r.violations.length} rule(s):\n  ${r.violations.join("\n  ")}`);
}

/** The producer and consumer group of the profile, on a topic of their own. */
export class KafkajsDefaults {
  readonly acks: Ack[] = [];
  readonly failures: FailedSend[] = [];
  readonly groupReads: GroupRead[] = [];
  readonly log = new ClientLog();
  private readonly pending = new Set<Promise<void>>();
  private maxPending = 0;
  private nextId = 0;
  private running = true;
  private loop?: Promise<void>;
  private startedAt = 0;
  private stopAt = 0;
  private unresolved = 0;

  private readonly producer: Producer;
  private readonly consumer: Consumer;

  private constructor(
    readonly topic: string,
    private readonly brokers: string[],
  ) {
    const kafka = new Kafka({
      clientId: `kafkajs-defaults-${topic}`,
      brokers: liveSeed(brokers),
      ...kafkajsSecurity(),
      logLevel: logLevel.WARN,
      logCreator: this.log.creator,
    });
    this.producer = kafka.producer();
    this.consumer = kafka.consumer({ groupId: `${topic}-group` });
  }

  /** Creates the topic (6 partitions, the release's defaults), joins the group, and returns at the first acknowledgement. */
  static async start(topic: string, brokers: string[]): Promise<KafkajsDefaults> {
    await createTopic(new AdminProbe(brokers), topic, 6);
    const c = new KafkajsDefaults(topic, brokers);
    try {
      await withTimeout(c.consumer.connect(), 30000, "kafkajs-defaults consumer connect");
      // createTopic saw the topic through one broker; kafkajs' subscribe fails instead of retrying
      // (UNKNOWN_TOPIC_OR_PARTITION) when it asks another that does not know it yet. Retried, as a user would.
      await waitFor(
        async () => {
          await c.consumer.subscribe({ topic, fromBeginning: true });
          return true;
        },
        { what: "kafkajs-defaults subscribe", timeoutMs: 30000, intervalMs: 1000, probeTimeoutMs: 30000 },
      );
      await withTimeout(
        c.consumer.run({
          eachMessage: async ({ partition, message }) => {
            c.groupReads.push({
              time: Date.now(),
              partition,
              offset: Number(message.offset),
              id: parseId(message.value),
              member: "kafkajs-defaults",
              generation: 0,
            });
          },
        }),
        90000,
        "kafkajs-defaults consumer run",
      );
      await withTimeout(c.producer.connect(), 30000, "kafkajs-defaults producer connect");
      c.startedAt = Date.now();
      c.loop = c.sendLoop();
      await waitFor(async () => c.acks.length > 0, { what: "the first acknowledgement of kafkajs with its defaults", timeoutMs: 60000, intervalMs: 200 });
    } catch (err) {
      await c.close();
      throw err;
    }
    log(
      `kafkajs with its defaults producing to ${topic} (${KAFKAJS_PIPELINE.sendsPerSecond} sends/s of ${KAFKAJS_PIPELINE.recordsPerSend} records, up to ${KAFKAJS_PIPELINE.maxPending} unanswered)`,
    );
    return c;
  }

  private async sendLoop(): Promise<void> {
    const interval = 1000 / KAFKAJS_PIPELINE.sendsPerSecond;
    let next = Date.now();
    while (this.running) {
      if (this.pending.size >= KAFKAJS_PIPELINE.maxPending) {
        await Promise.race(this.pending);
        continue;
      }
      this.startSend();
      next += interval;
      // A pipeline that was full does not send a burst afterwards: the schedule restarts from now.
      next = Math.max(next, Date.now() - interval);
      await sleep(Math.max(0, next - Date.now()));
    }
  }

  private startSend(): void {
    const first = this.nextId;
    this.nextId += KAFKAJS_PIPELINE.recordsPerSend;
    const key = `key-${first}`;
    const messages = Array.from({ length: KAFKAJS_PIPELINE.recordsPerSend }, (_, i) => ({ key, value: `id=${first + i};t=${Date.now()}` }));
    const sent = this.producer
      .send({ topic: this.topic, messages })
      .then((meta) => {
        const m = meta[0];
        if (!m || m.baseOffset === undefined) throw new Error(`no record metadata for the send of ids ${first}..`);
        this.acks.push(...acksOfSend(first, KAFKAJS_PIPELINE.recordsPerSend, m.partition, Number(m.baseOffset), Date.now()));
      })
      .catch((err: unknown) => {
        const time = Date.now();
        for (let i = 0; i < KAFKAJS_PIPELINE.recordsPerSend; i++)
          this.failures.push({ id: first + i, time, error: errorText(err), producer: KAFKAJS_PRODUCER, seq: first + i });
      });
    const settled = sent.finally(() => this.pending.delete(settled));
    this.pending.add(settled);
    this.maxPending = Math.max(this.maxPending, this.pending.size);
  }

  /** Stops sending and waits (bounded) for every pending send's verdict. Idempotent. */
  async stopProducer(): Promise<void> {
    if (this.stopAt) return;
    this.running = false;
    this.stopAt = Date.now();
    await this.loop;
    await withTimeout(Promise.all([...this.pending]), KAFKAJS_PIPELINE.settleWaitMs, "kafkajs-defaults pending sends").catch(() => {
      this.unresolved = this.pending.size;
    });
  }

  /** After stopProducer: waits (bounded) for the group to deliver every ack, reads the topic back, checks. */
  async finish(windowStart: number): Promise<KafkajsResult> {
    await this.stopProducer();
    await waitFor(async () => unconsumedAcks(this.acks, this.groupReads).length === 0, {
      what: "the kafkajs-defaults consumer group to deliver every acknowledged record",
      timeoutMs: KAFKAJS_PIPELINE.groupCatchUpMs,
      intervalMs: 1000,
    }).catch(() => undefined);
    const back = await readAll({ brokers: this.brokers, topic: this.topic, timeoutMs: 180000, log: this.log });
    const history: KafkajsHistory = {
      acks: this.acks,
      failures: this.failures,
      groupReads: this.groupReads,
      attempted: this.nextId,
      unresolved: this.unresolved,
      maxPending: this.maxPending,
      startedAt: this.startedAt,
      stopAt: this.stopAt,
    };
    const result = checkKafkajs(history, back, windowStart);
    result.facts.kjsTopic = this.topic;
    result.facts.kjsClientLogLines = this.log.count;
    if (this.log.lines.length > 0) log(`kafkajs with its defaults, last client log lines:\n  ${this.log.lines.slice(-3).join("\n  ")}`);
    return result;
  }

  /** Disconnects both clients and deletes the topic; safe to call twice and after a failed start. */
  async close(): Promise<void> {
    this.running = false;
    await withTimeout(this.producer.disconnect(), 15000, "kafkajs-defaults producer disconnect").catch(() => undefined);
    await withTimeout(this.consumer.disconnect(), 15000, "kafkajs-defaults consumer disconnect").catch(() => undefined);
    await new AdminProbe(this.brokers)
      .use("delete topic", (admin) => admin.deleteTopics({ topics: [this.topic], timeout: 20000 }), { timeoutMs: 30000 })
      .catch(() => undefined);
  }
}
