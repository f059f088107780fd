// One traffic session (topic, producer, consumer group, ISR sampler) that can span several
// scenarios of a chain (S3 -> S4 -> S5 share one topic: with a broker Pending no RF-3 topic could
// be created mid-chain). Each scenario is a Window over the session: it marks its fault events,
// then checks that every record acknowledged so far is read back by a fresh consumer.
import * as assert from "uvu/assert";
import {
  type CheckResult,
  type ReadyTransition,
  type ReadyVerdict,
  acksPerSecond,
  check,
  longestGap,
  readyVerdicts,
  timeToFullIsr,
  violations,
} from "../helpers/checker.js";
import { AdminProbe, DURABILITY_SETTINGS, IsrSampler, topicDurability, waitFullIsr } from "../helpers/kafka-admin.js";
import { type ScenarioRun, report, setupFailures } from "../helpers/report.js";
import { type TopicLayout, Traffic } from "../helpers/traffic.js";
import { JavaClients, type JavaResult, assertJavaClients } from "../helpers/java-clients.js";
import { KafkajsDefaults, type KafkajsResult, assertKafkajsDefaults } from "../helpers/kafkajs-defaults.js";
import { every, waitFor } from "../../scripts/lib/wait.js";
import type { CoreV1Api } from "@kubernetes/client-node";
import { BOOTSTRAP, BROKERS, brokerPods } from "../../scripts/env/release.js";
import { log } from "../helpers/log.js";
import { type Env, ensureInstalled, env, releaseServerProperties, updateRevision, waitRolled, upgradeRelease } from "./env.js";
import type { Scenario } from "./scenario.js";

export { log };

/** What a session runs beside the harness traffic (see Session.prepare). */
export interface PrepareOptions {
  layout?: TopicLayout;
  javaClients?: boolean;
  kafkajsDefaults?: boolean;
}

export class Session {
  readonly sampler: IsrSampler;
  /** Every time a broker pod became Ready while the session watched (see watchReadiness). */
  readonly readyTransitions: ReadyTransition[] = [];
  private readonly sampling: { stop: () => Promise<void>; errors: string[] };
  private readyWatch?: { stop: () => Promise<void>; errors: string[] };
  private stopped = false;
  /** Why the first traffic start failed, when prepare() needed a second one (reported by each window). */
  setupRetry?: string;
  /** Kafka's Java verifiable producer and consumer on a topic of their own, when the scenario asks for them. */
  java?: JavaClients;
  /** kafkajs with its default settings and pipelined sends, on a topic of its own, when the scenario asks for it. */
  kafkajsDefaults?: KafkajsDefaults;

  private constructor(
    readonly traffic: Traffic,
    /** Host-side admin operations, a fresh client each (see AdminProbe). */
    readonly probe: AdminProbe,
    /** Which --repeat run this session belongs to. */
    readonly run: number,
  ) {
    // Its own probe with short attempts: a sample through a dead broker's address moves on within 4 s.
    this.sampler = new IsrSampler(new AdminProbe(probe.brokers, { attemptTimeoutMs: 4000 }));
    this.sampling = every(
      1000,
      async () => {
        await this.sampler.sample();
      },
      30000,
    );
  }

  /**
   * A scenario file's setup (its before hook): the release installed with every broker Ready, then
   * a session. The error is printed here because uvu swallows one thrown by a before hook (the
   * suite only shows "0 / N"); run.ts fails the run for the missing results. `layout`: a traffic
   * topic with a particular layout (S11); `javaClients`: Kafka's verifiable clients beside kafkajs;
   * `kafkajsDefaults`: kafkajs configured with nothing but its brokers, sending without awaiting.
   */
  static async prepare(scenario: Scenario, run: number, opts: PrepareOptions = {}): Promise<Session> {
    const label = scenario.id.toLowerCase();
    try {
      const e = await env();
      await ensureInstalled(e);
      const s = await Session.start(scenario, run, BOOTSTRAP, opts.layout);
      s.watchReadiness(e.kube.core);
      // The ordinary clients beside the harness traffic; a failed start closes what has started.
      try {
        if (opts.javaClients) s.java = await JavaClients.start(e, `${s.traffic.topic}-java`, s.probe.brokers);
        if (opts.kafkajsDefaults) s.kafkajsDefaults = await KafkajsDefaults.start(`${s.traffic.topic}-kjs`, s.probe.brokers);
      } catch (err) {
        await s.close();
        throw err;
      }
      return s;
    } catch (err) {
      setupFailures.push({ label, run, message: err instanceof Error ? err.message : String(err) });
      log(`${scenario.id} setup (run ${run}) FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      throw err;
    }
  }

  /**
   * The traffic topic is created without settings (the release's replication defaults) unless a
   * layout is given. The traffic's own start (topic, group join, first ack) gets a second attempt on
   * a new topic: it is client setup before any fault, and its first failure stays in the report.
   */
  static async start(scenario: Scenario, run: number, brokers: string[] = BOOTSTRAP, layout?: TopicLayout): Promise<Session> {
    return Session.startOnce(scenario, run, brokers, layout).catch(async (err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      log(`${scenario.id} traffic start (run ${run}) failed, trying once more on a new topic: ${why}`);
      const again = await Session.startOnce(scenario, run, brokers, layout);
      again.setupRetry = why;
      return again;
    });
  }

  private static async startOnce(scenario: Scenario, run: number, brokers: string[], layout?: TopicLayout): Promise<Session> {
    const name = `ha-${scenario.id.toLowerCase()}-r${run}-${Date.now()}`;
    const traffic = await Traffic.create({ brokers, topic: name, layout });
    const s = new Session(traffic, new AdminProbe(brokers), run);
    try {
      await traffic.start();
    } catch (err) {
      await s.close().catch(() => undefined);
      throw err;
    }
    log(`traffic started on topic ${name}`);
    return s;
  }

  /**
   * Waits until the producer got `n` acks and the consumer group read `n` records after `since`;
   * `seconds` is how long that took (reported: a stalled and replaced group consumer shows here).
   */
  async keepsWorking(since: number, what: string, n = 200, timeoutMs = 300000): Promise<{ acks: number; reads: number; seconds: number }> {
    return waitFor(
      async () => {
        const acks = this.traffic.acksSince(since);
        const reads = this.traffic.groupReadsSince(since);
        return acks >= n && reads >= n ? { acks, reads, seconds: Math.round((Date.now() - since) / 1000) } : undefined;
      },
      { what: `producer and consumer group to keep working ${what}`, timeoutMs, intervalMs: 1000 },
    ).catch((err: unknown) => {
      const t = this.traffic;
      throw new Error(
        `${err instanceof Error ? err.message : String(err)} (acks since: ${t.acksSince(since)}, group reads since: ${t.groupReadsSince(since)}, ` +
          `group consumer replaced ${t.groupRestarts.filter((r) => r >= since).length} times; last client log lines: ${t.log.lines.slice(-4).join(" | ")})`,
      );
    });
  }

  /**
   * Records each Ready transition of a broker pod (combined mode: broker id = ordinal) from the
   * pods' Ready condition, so a scenario can check the broker was in every ISR at that moment.
   */
  watchReadiness(core: CoreV1Api): void {
    const seen = new Map<string, number | undefined>();
    let first = true;
    this.readyWatch = every(2000, async () => {
      for (const p of await brokerPods(core)) {
        const key = `${p.name}/${p.uid}`;
        if (p.readySince !== undefined && seen.get(key) !== p.readySince && !first) {
          this.readyTransitions.push({ pod: p.name, brokerId: p.ordinal, time: p.readySince });
        }
        seen.set(key, p.readySince);
      }
      first = false;
    });
  }

  window(scenario: Scenario, opts: { recoveryExpected?: boolean } = {}): Window {
    return new Window(this, scenario.id, scenario.name, opts.recoveryExpected ?? true);
  }

  /** Stops producing (idempotent); the group consumer stops too. */
  async stopTraffic(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([this.traffic.stop(), this.java?.stopProducer(), this.kafkajsDefaults?.stopProducer()]);
  }

  async close(): Promise<void> {
    await this.stopTraffic().catch(() => undefined);
    await this.java?.close();
    await this.kafkajsDefaults?.close();
    await this.sampling.stop();
    await this.readyWatch?.stop();
    // The topic has served its check; deleting it keeps later sessions' ISR samples about their own load.
    await this.probe
      .use("delete topic", (admin) => admin.deleteTopics({ topics: [this.traffic.topic], timeout: 20000 }), { timeoutMs: 30000 })
      .catch(() => undefined);
    await this.traffic.close();
  }
}

export interface WindowResult {
  check: CheckResult;
  run: ScenarioRun;
  /** The Java clients' check, at the end of a session that runs them (finish with stopTraffic). */
  java?: JavaResult;
  /** kafkajs with its defaults, checked at the end of a session that runs it. */
  kafkajsDefaults?: KafkajsResult;
}

export class Window {
  readonly startedAt = Date.now();
  readonly facts: ScenarioRun["facts"] = {};
  private readonly events: { time: number; label: string }[] = [];
  private faultAt?: number;
  private recorded?: ScenarioRun;

  constructor(
    readonly session: Session,
    readonly id: string,
    readonly name: string,
    private readonly recoveryExpected: boolean,
  ) {
    log(`${id} ${name}: start (run ${session.run})`);
    if (session.setupRetry) this.facts.trafficStartRetriedAfter = session.setupRetry;
  }

  /**
   * The window's marks and, from the same time, the traffic's own (group consumer replacements,
   * crashes, the send cap); the traffic also holds every window's marks, prefixed with the id.
   */
  private timeline(): { time: number; label: string }[] {
    const own = this.session.traffic.events.filter((e) => e.time >= this.startedAt && !/^[A-Z]\d+: /.test(e.label));
    return [...this.events, ...own].sort((a, b) => a.time - b.time);
  }

  /** Marks an event on the timeline; the first `fault` mark is where time to full ISR counts from. */
  mark(label: string, opts: { fault?: boolean } = {}): number {
    const time = Date.now();
    this.events.push({ time, label });
    this.session.traffic.mark(`${this.id}: ${label}`, time);
    if (opts.fault && this.faultAt === undefined) this.faultAt = time;
    log(`${this.id}: ${label}`);
    return time;
  }

  /** A figure of this run; one set after finish() (e.g. by assertReadyMeansInIsr) still reaches the report. */
  fact(key: string, value: string | number | boolean | null): void {
    this.facts[key] = value;
    if (this.recorded) this.recorded.facts[key] = value;
  }

  /**
   * Reads the topic back with a fresh consumer and checks every record acknowledged before the read
   * started; records the run in the report. With `stopTraffic`, producing stops first (end of a chain).
   */
  async finish(opts: { stopTraffic?: boolean; readBrokers?: string[] } = {}): Promise<WindowResult> {
    const t = this.session.traffic;
    if (opts.stopTraffic) await this.session.stopTraffic();
    // The group gets time to deliver what was acknowledged so far (rule group-consumed); stopping
    // the traffic waits for it before the group leaves.
    const groupDeadline = opts.stopTraffic ? t.stoppedAt : Date.now();
    if (!opts.stopTraffic) await t.awaitGroupDelivered(groupDeadline);
    const readStart = Date.now();
    const back = await t.readBack({ brokers: opts.readBrokers });
    const end = opts.stopTraffic ? t.stoppedAt : readStart;
    const input = t.checkInput(back);
    // Everything up to the start of the read-back (mid-chain the traffic goes on while it reads).
    const beforeRead = <T extends { time: number }>(xs: T[]): T[] => xs.filter((x) => x.time <= readStart);
    const result = check({
      ...input,
      acks: beforeRead(input.acks),
      failures: beforeRead(input.failures),
      groupReads: beforeRead(input.groupReads),
      groupDeadline,
      groupRestarts: t.groupRestarts.filter((time) => time <= readStart),
      end,
    });
    const inWindow = <T extends { time: number }>(xs: T[]): T[] => xs.filter((x) => x.time >= this.startedAt && x.time <= end);
    const windowAcks = inWindow(t.acks).map((a) => a.time);
    const since = this.faultAt ?? this.startedAt;
    const samples = this.session.sampler.samples.filter((s) => s.time <= Date.now());
    const run: ScenarioRun = {
      id: this.id,
      name: this.name,
      run: this.session.run,
      passed: false,
      acknowledged: windowAcks.length,
      lost: result.lost.length,
      duplicates: result.duplicates,
      lateAcks: inWindow(t.acks).filter((a) => a.late).length,
      orderViolations: result.ackOrder.length + result.groupOrder.length,
      failedSends: inWindow(t.failures).length,
      longestGapMs: longestGap(windowAcks, this.startedAt, end).ms,
      timeToFullIsrMs: this.recoveryExpected ? timeToFullIsr(samples, since) : null,
      recoveryExpected: this.recoveryExpected,
      wallMs: Date.now() - this.startedAt,
      startedAt: this.startedAt,
      events: this.timeline(),
      acksPerSecond: acksPerSecond(windowAcks, this.startedAt, end),
      facts: {
        ...this.facts,
        topic: t.topic,
        readBack: back.reads.length,
        readGaps: result.readGaps.length,
        inconsistentOffsets: result.inconsistentOffsets.length,
        ackOrderViolations: result.ackOrder.length,
        groupOrderViolations: result.groupOrder.length,
        unexpected: result.unexpected.length,
        unresolvedSends: t.unresolvedSends,
        recoveredFailedSends: result.recovered,
        groupReadsInWindow: inWindow(t.groupReads).length,
        groupConsumerRestarts: t.groupRestarts.filter((time) => time >= this.startedAt && time <= end).length,
        groupCoordinatorReplacements: t.groupCoordinatorReplacements.filter((time) => time >= this.startedAt && time <= end).length,
        groupCrashReplacements: t.groupCrashReplacements.filter((time) => time >= this.startedAt && time <= end).length,
        groupJoins: t.groupJoins.filter((time) => time >= this.startedAt && time <= end).length,
        groupRedeliveries: result.groupRedeliveries,
        isrProbeFailures: this.session.sampler.errors.length,
        clientLogLines: t.log.count,
      },
    };
    if (result.lost.length > 0)
      run.facts.lostSample = result.lost
        .slice(0, 20)
        .map((l) => l.id)
        .join(",");
    const failures = inWindow(t.failures);
    if (failures.length > 0) run.facts.firstFailure = failures[0]?.error ?? "";
    // When each late ack came, counted from its send (the failure was recorded at the cutoff).
    const late = inWindow(t.acks).filter((a) => a.late);
    if (late.length > 0) {
      const cutoffAt = new Map(t.failures.map((f) => [f.id, f.time]));
      run.facts.lateAcksAfter = late
        .slice(0, 10)
        .map((a) => `id ${a.id} ${Math.round((a.time - (cutoffAt.get(a.id) ?? a.time) + t.sendTimeoutMs) / 1000)}s`)
        .join(", ");
    }
    const java = opts.stopTraffic ? await this.session.java?.finish(this.startedAt) : undefined;
    if (java) Object.assign(run.facts, java.facts);
    const kafkajsDefaults = opts.stopTraffic ? await this.session.kafkajsDefaults?.finish(this.startedAt) : undefined;
    if (kafkajsDefaults) Object.assign(run.facts, kafkajsDefaults.facts);
    this.recorded = run;
    report.add(run);
    log(
      `${this.id}: acknowledged ${run.acknowledged} (late ${run.lateAcks}), lost ${run.lost}, duplicates ${run.duplicates}, order violations ${run.orderViolations}, ` +
        `failed sends ${run.failedSends}, longest gap ${(run.longestGapMs / 1000).toFixed(1)}s, read back ${back.reads.length}`,
    );
    if (java)
      log(
        `${this.id}: Java clients: ${Object.entries(java.facts)
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(", ")}`,
      );
    if (kafkajsDefaults)
      log(
        `${this.id}: kafkajs with its defaults: ${Object.entries(kafkajsDefaults.facts)
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(", ")}`,
      );
    if (t.cappedAt !== undefined) {
      throw new Error(
        `${this.id}: the traffic stopped at its cap ${((t.cappedAt - t.startedAt) / 1000).toFixed(0)}s after it started: the scenario ran without load from then on`,
      );
    }
    return { check: result, run, java, kafkajsDefaults };
  }

  /**
   * The readiness claim on the cluster: at each Ready transition in this window (at least
   * `expected` of them: the fault must have made a broker unready and back) the broker was in every
   * ISR it belongs to (readyVerdicts). A plain TCP readiness check turns Ready before that.
   */
  assertReadyMeansInIsr(expected: number): void {
    const transitions = this.session.readyTransitions.filter((t) => t.time >= this.startedAt - 1000);
    const verdicts = readyVerdicts(transitions, this.session.sampler.samples);
    const say = (v: ReadyVerdict): string =>
      `${v.pod}@+${((v.time - this.startedAt) / 1000).toFixed(0)}s:${v.inIsr === undefined ? "unsampled" : v.inIsr ? "in-isr" : `NOT-in-isr(sample +${(((v.sampleTime ?? v.time) - v.time) / 1000).toFixed(1)}s)`}`;
    this.fact("readyTransitions", verdicts.map(say).join(" ") || "none");
    assert.ok(verdicts.length >= expected, `${verdicts.length} Ready transitions seen, expected at least ${expected}`);
    const bad = verdicts.filter((v) => v.inIsr !== true);
    assert.equal(bad.map(say), [], "a broker turned Ready before it was back in every ISR it belongs to (or no ISR sample answered within 10 s of it)");
  }

  /**
   * The end of a session that runs the ordinary clients: stops the traffic, reads it back and
   * asserts the checker's strict rules, Ready = in every ISR (at least `readyTransitions` Ready
   * transitions: the fault made brokers unready and back), the Java clients' rules (with
   * `noFailedSends`, for graceful faults: the client's own retries must carry every send) and
   * kafkajs with its defaults.
   */
  async finishWithClients(opts: { readyTransitions?: number; noFailedSends: boolean }): Promise<WindowResult> {
    const result = await this.finish({ stopTraffic: true });
    assertStrict(result.check);
    if (opts.readyTransitions !== undefined) this.assertReadyMeansInIsr(opts.readyTransitions);
    assertJavaClients(result.java, { noFailedSends: opts.noFailedSends });
    assertKafkajsDefaults(result.kafkajsDefaults);
    return result;
  }

  /**
   * The chart's durability defaults reach a topic created without settings (the traffic topic):
   * its replication factor is the release's default.replication.factor, and min ISR and unclean
   * election are the release's server.properties values, set for the broker or the cluster, not the
   * topic. (Kafka 4 formats new clusters with min.insync.replicas as a cluster-wide dynamic default,
   * DYNAMIC_DEFAULT_BROKER_CONFIG, copied from server.properties for eligible leader replicas.)
   */
  async checkReleaseDurability(e: Env): Promise<void> {
    const props = await releaseServerProperties(e);
    const topic = await topicDurability(this.session.probe, this.session.traffic.topic);
    this.fact("topicReplicationFactor", topic.replicationFactors.join(","));
    for (const [name, value] of Object.entries(topic.settings)) this.fact(name, value);
    assert.equal(topic.replicationFactors, [Number(props.get("default.replication.factor"))], "replication factor of a topic created without settings");
    for (const name of DURABILITY_SETTINGS) {
      const fromRelease = ["STATIC_BROKER_CONFIG", "DYNAMIC_DEFAULT_BROKER_CONFIG"].map((source) => `${props.get(name)} (${source})`);
      assert.ok(
        fromRelease.includes(topic.settings[name] ?? ""),
        `${name} of a topic created without settings is ${topic.settings[name]}, expected one of ${fromRelease.join(", ")}`,
      );
    }
  }

  /** Runs the scenario body; the report says passed only when it returns without an assertion failing. */
  async run(body: (w: Window) => Promise<void>): Promise<void> {
    try {
      await body(this);
      if (!this.recorded) throw new Error(`${this.id}: the scenario never checked its records (finish() not called)`);
      this.recorded.passed = true;
    } catch (err) {
      if (this.recorded) this.recorded.error = err instanceof Error ? err.message : String(err);
      else {
        // Keep the figures of a failed scenario: a best-effort record without the read-back.
        report.add({
          id: this.id,
          name: this.name,
          run: this.session.run,
          passed: false,
          error: err instanceof Error ? err.message : String(err),
          acknowledged: this.session.traffic.acksSince(this.startedAt),
          lost: Number.NaN,
          duplicates: Number.NaN,
          lateAcks: Number.NaN,
          orderViolations: Number.NaN,
          failedSends: this.session.traffic.failures.filter((f) => f.time >= this.startedAt).length,
          longestGapMs: Number.NaN,
          timeToFullIsrMs: null,
          recoveryExpected: this.recoveryExpected,
          wallMs: Date.now() - this.startedAt,
          startedAt: this.startedAt,
          events: this.timeline(),
          acksPerSecond: acksPerSecond(
            this.session.traffic.acks.map((a) => a.time),
            this.startedAt,
            Date.now(),
          ),
          facts: {
            ...this.facts,
            groupConsumerRestarts: this.session.traffic.groupRestarts.filter((time) => time >= this.startedAt).length,
            groupCoordinatorReplacements: this.session.traffic.groupCoordinatorReplacements.filter((time) => time >= this.startedAt).length,
            groupCrashReplacements: this.session.traffic.groupCrashReplacements.filter((time) => time >= this.startedAt).length,
            note: "failed before the read-back: lost/duplicates unknown",
          },
        });
      }
      throw err;
    }
  }
}

/**
 * What every scenario asserts about its records: every strict rule of the checker holds (each
 * acknowledged record, late ones included, at its acknowledged offset; offsets in send order per
 * producer; one record per offset; a read-back without holes; the group never going back or
 * skipping; no duplicates; nothing foreign). The message names each violated rule with its
 * first offending records.
 */
interface RollSample {
  time: number;
  notReady: number;
  /** Broker pods that exist and are not Ready. */
  unready: string[];
  /** Pod name -> uid: a new uid is a replaced pod. */
  uids: Map<string, string>;
}

/**
 * The broker pods sampled every second through a roll (S9, S18): when each old pod went, in
 * order, and how many brokers were unready at once. Start it before the upgrade, stop it after.
 */
export class RollWatch {
  private constructor(
    readonly before: Map<string, string>,
    private readonly sampling: { stop: () => Promise<void> },
    private readonly samples: RollSample[],
  ) {}

  /** `brokers`: how many brokers there should be (a missing pod counts as unready). */
  static async start(e: Env, brokers = BROKERS): Promise<RollWatch> {
    const before = new Map((await brokerPods(e.kube.core)).map((p) => [p.name, p.uid]));
    const samples: RollSample[] = [];
    const sampling = every(1000, async () => {
      const pods = await brokerPods(e.kube.core);
      samples.push({
        time: Date.now(),
        notReady: brokers - pods.filter((p) => p.ready).length,
        unready: pods.filter((p) => !p.ready).map((p) => p.name),
        uids: new Map(pods.map((p) => [p.name, p.uid])),
      });
    });
    return new RollWatch(before, sampling, samples);
  }

  stop(): Promise<void> {
    return this.sampling.stop();
  }

  get count(): number {
    return this.samples.length;
  }

  /** The pods of `before` that were replaced, in the order they went. */
  restarts(): { pod: string; at: number }[] {
    return [...this.before]
      .map(([pod, uid]) => ({ pod, at: this.samples.find((x) => x.uids.get(pod) !== uid)?.time }))
      .filter((r): r is { pod: string; at: number } => r.at !== undefined)
      .sort((a, b) => a.at - b.at);
  }

  /** The first sample at or after `since` with every broker Ready (undefined: none). */
  allReadyAt(since: number): number | undefined {
    return this.samples.find((x) => x.time >= since && x.notReady <= 0)?.time;
  }

  maxNotReady(since: number): number {
    return Math.max(0, ...this.samples.filter((x) => x.time >= since).map((x) => x.notReady));
  }

  /** Each pod seen unready at or after `since`, with the first and last sample that saw it so. */
  unreadySpans(since: number): { pod: string; from: number; to: number }[] {
    const spans = new Map<string, { pod: string; from: number; to: number }>();
    for (const x of this.samples.filter((s) => s.time >= since))
      for (const pod of x.unready) {
        const span = spans.get(pod);
        if (span) span.to = x.time;
        else spans.set(pod, { pod, from: x.time, to: x.time });
      }
    return [...spans.values()];
  }

  /**
   * The StatefulSet's rolling update as it must be: every pod replaced once, highest ordinal first,
   * each next one only once the previous is Ready again (which assertReadyMeansInIsr proves means in
   * every ISR), never more than one broker unready.
   */
  assertOneAtATime(readyTransitions: ReadyTransition[], since: number): void {
    const restarts = this.restarts();
    assert.equal(
      restarts.map((r) => r.pod),
      [...this.before.keys()].sort().reverse(),
      "every pod replaced once, highest ordinal first",
    );
    for (const [prev, next] of restarts.slice(0, -1).map((r, i) => [r, restarts[i + 1]!] as const)) {
      const back = readyTransitions.find((t) => t.pod === prev.pod && t.time >= prev.at - 1000);
      assert.ok(
        back && back.time <= next.at,
        `${next.pod} went before ${prev.pod} was Ready again (${prev.pod} Ready at ${back ? new Date(back.time).toISOString() : "never"}, ${next.pod} gone at ${new Date(next.at).toISOString()})`,
      );
    }
    const most = this.maxNotReady(since);
    assert.ok(most <= 1, `${most} brokers were unready at the same time`);
  }
}

/**
 * The end of a scenario whose operation is a graceful rolling restart (S17, S18): records the
 * restart order and the most brokers unready at once, stops the traffic and reads it back, then
 * asserts the checker's rules, Ready = in every ISR, the roll one at a time, and that the Java
 * client's own retries carried every send through it (kafkajs with its defaults: its rules).
 */
export async function finishGracefulRoll(w: Window, s: Session, roll: RollWatch, since: number): Promise<void> {
  await roll.stop();
  const order = roll.restarts().map((r) => `${r.pod}@+${((r.at - since) / 1000).toFixed(0)}s`);
  w.fact("restartOrder", order.join(" "));
  w.fact("maxBrokersNotReady", roll.maxNotReady(since));
  await w.finishWithClients({ readyTransitions: 3, noFailedSends: true });
  roll.assertOneAtATime(s.readyTransitions, since);
}

/**
 * Restarts every pod one at a time the way a user rolls a release (`helm upgrade` with a pod
 * annotation: the values change, the StatefulSet rolls), then waits for the full ISR; marks each
 * step and records rolloutSeconds. Used where a restart is the procedure (T1, T3).
 */
export async function rollEveryPod(e: Env, w: Window, probe: AdminProbe, annotation: Record<string, string>, why: string): Promise<void> {
  const revisionBefore = await updateRevision(e);
  const rollAt = w.mark(`${why}: helm upgrade with a pod annotation rolls every pod`, { fault: true });
  // A secured release's upgrade also waits for its security Job (post-upgrade hook), run during the roll.
  await upgradeRelease(e, { podAnnotations: annotation }, { timeoutMs: 600000 });
  const rolledMs = await waitRolled(e, revisionBefore, rollAt);
  w.mark(`rollout complete (${(rolledMs / 1000).toFixed(0)}s)`);
  w.fact("rolloutSeconds", Math.round(rolledMs / 1000));
  w.mark(`full ISR (${((await waitFullIsr(probe, 300000)) / 1000).toFixed(0)}s after the rollout)`);
}

export function assertStrict(c: CheckResult): void {
  const found = violations(c);
  assert.ok(found.length === 0, `the records break ${found.length} rule(s):\n  ${found.join("\n  ")}`);
}
