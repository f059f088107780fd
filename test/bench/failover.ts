// Failover windows (issue 11): how long a partition goes without an acknowledgement when its leader's
// node dies, and when its leadership moves gracefully, measured per partition by the failover probe
// (FailoverProbe.java: one producer per partition, one record per partition every 20 ms, acks=all).
// Each with the chart's defaults and the Java client's defaults, and with the fast-failover profile
// (examples/values-fast-failover.yaml) and the client settings its comments document.
//
// Per profile, one probe run on a topic of its own (6 partitions, RF 3):
// 1. Graceful leader move: the replicas of every partition led by one broker are reordered so that
//    broker comes last (kafka-reassign-partitions.sh: same replica set, so nothing is copied), then a
//    preferred-leader election (kafka-leader-election.sh) moves their leadership to the new first
//    replica. Every broker stays up: this isolates the leader change itself (new leader in the
//    metadata, the old one answering NOT_LEADER_OR_FOLLOWER, the client refreshing). A pod delete is
//    a graceful move too, but adds the broker's restart and return; the rolling-restart section
//    measures that case.
// 2. Hard kill: the k3d node (container) hosting the broker that leads the most partitions, other
//    than the KRaft quorum leader when possible (killing the active controller adds a quorum
//    election; reported when it happens), is killed with docker kill (faults.ts killNode, as S8);
//    once each of its partitions is acknowledged again, plus 10 s, the node is started and the bench
//    waits for full ISR and every broker Ready.
// The window of an event = the longest gap between consecutive acknowledgements, among the event's
// partitions (those the broker led), of the gaps that overlap [event start, event end]
// (failover-probe.ts eventWindow). Goals (the issue): hard kill <= 12 s with the defaults, <= 6 s
// with the fast profile; the graceful move has none.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP, CHART_DIR, waitBrokersReady } from "../../scripts/env/release.js";
import { TOOL_ENV, type Env, brokerById, brokerOrdinals, execInBroker, kafkaTool, podName, toolBootstrap } from "../e2e/env.js";
import { killNode } from "../helpers/faults.js";
import { AdminProbe, type PartitionState, parseQuorumStatus, partitionStates, waitFullIsr } from "../helpers/kafka-admin.js";
import { log } from "../helpers/log.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";
import { type ChartMark, gapChartSpec, renderSvg } from "./charts.js";
import { type EventWindow, ProbeRun, type ProbeOutput, clientPropertiesFromComments, eventWindow, probeClass } from "./failover-probe.js";
import { FAST_FAILOVER_VALUES, type ProfileId } from "./profiles.js";
import {
  type BenchContext,
  type BenchSection,
  type Chart,
  type Goal,
  type Step,
  atMost,
  errorText,
  failureLines,
  firstLine,
  goalCell,
  markdownTable,
  ratio,
  sectionMarkdown,
  secs,
} from "./section.js";

/** The section's settings: the probe's topic and the timing around each event. */
export const FAILOVER = {
  partitions: 6,
  /** Steady traffic before each event, and after it before the event's interval ends. */
  steadyMs: 10000,
  /** An ack this soon after the kill may still come from the dead leader (docker kill takes a moment), as in S8. */
  killSettleMs: 2000,
} as const;

export type FailoverProfile = Extract<ProfileId, "defaults" | "fast-failover">;
export type EventKind = "graceful-move" | "hard-kill";

/** The issue's bounds on the hard-kill window. */
export const HARD_KILL_GOAL_MS: Record<FailoverProfile, number> = { defaults: 12000, "fast-failover": 6000 };
export const HARD_KILL_GOALS: Record<FailoverProfile, Goal> = {
  defaults: atMost(HARD_KILL_GOAL_MS.defaults / 1000, " s", 1000),
  "fast-failover": atMost(HARD_KILL_GOAL_MS["fast-failover"] / 1000, " s", 1000),
};

/** The probe's client settings for a profile: none (the Java client's defaults), or the fast profile's documented lines. */
export function probeClientProperties(profile: FailoverProfile): string[] {
  if (profile === "defaults") return [];
  const props = clientPropertiesFromComments(readFileSync(join(CHART_DIR, FAST_FAILOVER_VALUES), "utf8"));
  if (props.length === 0) throw new Error(`${FAST_FAILOVER_VALUES} documents no client.properties block`);
  return props;
}

export interface FailoverEvent {
  kind: EventKind;
  broker: number;
  pod: string;
  node: string;
  /** The partitions the broker led when the event began. */
  partitions: number[];
  startedAt: number;
  endedAt: number;
  /** Until the host saw a new leader on each of them: from the kill, or from the start of the election tool (a JVM start included). */
  newLeadersMs?: number;
  /** The broker was the KRaft quorum leader (hard kill only). */
  quorumLeader?: boolean;
  window: EventWindow;
}

export interface FailoverRun {
  profile: FailoverProfile;
  clientProperties: string[];
  events: FailoverEvent[];
  marks: ChartMark[];
  /** The node and broker after the kill: time from the node's start to full ISR, then to every broker Ready. */
  restore?: { fullIsrMs: number; readyMs: number };
  probe: { sent: number; acked: number; failed: number; otherLines: number };
  /** Events that could not be measured (the run went on with the next one). */
  errors: { kind: EventKind; error: string }[];
}

type Event = Omit<FailoverEvent, "window">;

/** The broker leading the most of `states` (lowest id on a tie), among `allowed` when any of them leads. */
export function mostLeading(states: PartitionState[], allowed: (broker: number) => boolean = () => true): number | undefined {
  const counts = new Map<number, number>();
  for (const s of states) if (s.leader >= 0) counts.set(s.leader, (counts.get(s.leader) ?? 0) + 1);
  const ranked = [...counts.entries()].sort(([a, x], [b, y]) => y - x || a - b).map(([b]) => b);
  return ranked.find(allowed) ?? ranked[0];
}

/** The reassignment that makes `broker` the last replica of each partition it leads (same replica sets: nothing is copied). */
export function reorderPlan(
  topic: string,
  states: PartitionState[],
  broker: number,
): { version: 1; partitions: { topic: string; partition: number; replicas: number[] }[] } {
  return {
    version: 1,
    partitions: states
      .filter((s) => s.leader === broker)
      .map((s) => ({ topic, partition: s.partition, replicas: [...s.replicas.filter((r) => r !== broker), broker] })),
  };
}

class FailoverMeasurement {
  readonly marks: ChartMark[] = [];
  readonly events: Event[] = [];
  readonly errors: { kind: EventKind; error: string }[] = [];
  killedNode: string | undefined;
  restore: FailoverRun["restore"];

  constructor(
    private readonly e: Env,
    private readonly admin: AdminProbe,
    private readonly probe: ProbeRun,
    private readonly topic: string,
  ) {}

  mark(label: string): number {
    const time = Date.now();
    this.marks.push({ time, label });
    log(`bench failover: ${label}`);
    return time;
  }

  private states(): Promise<PartitionState[]> {
    return partitionStates(this.admin, [this.topic]);
  }

  /** A broker pod that is not `broker`'s, to run the tools in. */
  private async toolPod(broker: number): Promise<string> {
    const ordinals = await brokerOrdinals(this.admin);
    const other = [...ordinals.entries()].find(([id]) => id !== broker)?.[1];
    if (other === undefined) throw new Error(`no broker besides ${broker}`);
    return podName(other);
  }

  async gracefulMove(): Promise<void> {
    const states = await this.states();
    const broker = mostLeading(states);
    if (broker === undefined) throw new Error(`no partition of ${this.topic} has a leader`);
    const plan = reorderPlan(this.topic, states, broker);
    const moved = plan.partitions.map((p) => p.partition);
    const { pod } = await brokerById(this.e, this.admin, broker);
    const tools = await this.toolPod(broker);
    const elect = { partitions: moved.map((partition) => ({ topic: this.topic, partition })) };
    await execInBroker(this.e, tools, `echo '${JSON.stringify(plan)}' > /tmp/bench-reorder.json && echo '${JSON.stringify(elect)}' > /tmp/bench-elect.json`);
    const startedAt = this.mark(`reorder: broker ${broker} last in partitions ${moved.join(",")}`);
    await kafkaTool(this.e, tools, "kafka-reassign-partitions.sh", "--reassignment-json-file /tmp/bench-reorder.json --execute");
    await waitFor(async () => (await this.states()).filter((s) => moved.includes(s.partition)).every((s) => s.replicas[0] !== broker), {
      what: `the new replica order of partitions ${moved.join(",")}`,
      timeoutMs: 60000,
      intervalMs: 500,
      probeTimeoutMs: 30000,
    });
    const electionAt = this.mark("preferred leader election");
    await kafkaTool(this.e, tools, "kafka-leader-election.sh", "--election-type PREFERRED --path-to-json-file /tmp/bench-elect.json");
    const newLeadersMs = await waitFor(
      async () =>
        (await this.states()).filter((s) => moved.includes(s.partition)).every((s) => s.leader >= 0 && s.leader !== broker) && Date.now() - electionAt,
      { what: `leadership of partitions ${moved.join(",")} to leave broker ${broker}`, timeoutMs: 60000, intervalMs: 250, probeTimeoutMs: 30000 },
    );
    this.mark(`leaders moved (${secs(newLeadersMs)})`);
    await sleep(FAILOVER.steadyMs);
    this.events.push({ kind: "graceful-move", broker, pod: pod.name, node: pod.node, partitions: moved, startedAt, endedAt: Date.now(), newLeadersMs });
  }

  async hardKill(): Promise<void> {
    const tools = await this.toolPod(-1); // any broker's pod
    const quorumLeader = parseQuorumStatus(
      await execInBroker(this.e, tools, `${TOOL_ENV} /opt/kafka/bin/kafka-metadata-quorum.sh --bootstrap-server ${toolBootstrap()} describe --status`),
    ).leaderId;
    const states = await this.states();
    const broker = mostLeading(states, (b) => b !== quorumLeader);
    if (broker === undefined) throw new Error(`no partition of ${this.topic} has a leader`);
    const led = states.filter((s) => s.leader === broker).map((s) => s.partition);
    const { pod } = await brokerById(this.e, this.admin, broker);
    const startedAt = this.mark(`docker kill ${pod.node} (${pod.name}, broker ${broker}, leader of partitions ${led.join(",")})`);
    this.killedNode = pod.node;
    await killNode(this.e.cluster, pod.node);
    const newLeadersMs = await waitFor(
      async () => (await this.states()).filter((s) => led.includes(s.partition)).every((s) => s.leader >= 0 && s.leader !== broker) && Date.now() - startedAt,
      { what: `leadership of partitions ${led.join(",")} to leave broker ${broker}`, timeoutMs: 180000, intervalMs: 250, probeTimeoutMs: 60000 },
    );
    this.mark(`new leaders seen (${secs(newLeadersMs)})`);
    await this.probe.waitAckedAfter(startedAt + FAILOVER.killSettleMs, led, 180000);
    this.mark("acknowledged again on each of them");
    await sleep(FAILOVER.steadyMs);
    this.events.push({
      kind: "hard-kill",
      broker,
      pod: pod.name,
      node: pod.node,
      partitions: led,
      startedAt,
      endedAt: Date.now(),
      newLeadersMs,
      quorumLeader: broker === quorumLeader,
    });
    const startAt = this.mark(`start ${pod.node} again`);
    await this.e.cluster.startNode(pod.node);
    this.killedNode = undefined;
    // The API may still show the pod Ready (the node was not yet marked NotReady): Kafka's view first, as S8.
    await waitFullIsr(this.admin, 600000);
    const fullIsrMs = Date.now() - startAt;
    this.mark(`full ISR (${secs(fullIsrMs)})`);
    await waitBrokersReady(this.e.kube.core, { timeoutMs: 300000 });
    this.restore = { fullIsrMs, readyMs: Date.now() - startAt };
  }
}

async function measure(ctx: BenchContext, profile: FailoverProfile): Promise<{ run: FailoverRun; output: ProbeOutput }> {
  const e = ctx.e;
  const topic = `failover-${profile}`;
  const clientProperties = probeClientProperties(profile);
  await kafkaTool(e, podName(0), "kafka-topics.sh", `--create --topic ${topic} --partitions ${FAILOVER.partitions} --replication-factor 3`);
  const admin = new AdminProbe(BOOTSTRAP);
  let probe: ProbeRun | undefined;
  let m: FailoverMeasurement | undefined;
  try {
    probe = await ProbeRun.start(e, { name: `failover-probe-${profile}`, topic, partitions: FAILOVER.partitions, clientProperties });
    m = new FailoverMeasurement(e, admin, probe, topic);
    await sleep(FAILOVER.steadyMs);
    // A graceful move that fails (a tool, a timeout) must not cost the hard kill's figure: it is
    // reported as not measured and the run goes on.
    try {
      await m.gracefulMove();
    } catch (err) {
      m.errors.push({ kind: "graceful-move", error: errorText(err) });
      log(`bench failover ${profile}: graceful move not measured: ${firstLine(errorText(err))}`);
      await sleep(FAILOVER.steadyMs);
    }
    await m.hardKill();
    await sleep(5000);
    const { output, raw } = await probe.stop();
    writeFileSync(join(ctx.dir, `failover-${profile}.probe.jsonl`), raw);
    const events = m.events.map((ev) => ({ ...ev, window: eventWindow(output, ev.partitions, ev.startedAt, ev.endedAt) }));
    for (const ev of events) log(`bench failover ${profile}: ${ev.kind} window ${secs(ev.window.windowMs)} (partitions ${ev.partitions.join(",")})`);
    const totals = (key: "sent" | "acked" | "failed"): number => (output.summary?.partitions ?? []).reduce((a, p) => a + p[key], 0);
    return {
      run: {
        profile,
        clientProperties,
        events,
        marks: m.marks,
        restore: m.restore,
        probe: { sent: totals("sent"), acked: totals("acked"), failed: totals("failed"), otherLines: output.otherLines },
        errors: m.errors,
      },
      output,
    };
  } finally {
    if (m?.killedNode) await e.cluster.startNode(m.killedNode).catch((err: unknown) => log(`starting ${m?.killedNode}: ${String(err)}`));
    await probe?.close();
    await kafkaTool(e, podName(0), "kafka-topics.sh", `--delete --topic ${topic}`).catch((err: unknown) => log(`deleting ${topic}: ${String(err)}`));
  }
}

const PROFILE_TEXT: Record<FailoverProfile, string> = { defaults: "defaults", "fast-failover": "fast profile" };
const EVENT_TEXT: Record<EventKind, string> = { "graceful-move": "graceful leader move", "hard-kill": "hard node kill" };

const windowText = (w: EventWindow): string =>
  w.windowMs === 0
    ? `< ${secs(w.resolutionMs)}`
    : `${secs(w.windowMs)}${w.worst ? ` (p${w.worst.partition}${w.worst.open ? ", never acknowledged again" : ""})` : ""}`;

/** One row per event and profile, then the fast/defaults ratio per event kind; goals next to the hard-kill windows. */
export function failoverTable(runs: FailoverRun[]): string {
  const rows: string[][] = [];
  for (const kind of ["hard-kill", "graceful-move"] as const) {
    for (const run of runs) {
      const ev = run.events.find((x) => x.kind === kind);
      const error = run.errors.find((x) => x.kind === kind);
      if (!ev && error) rows.push([EVENT_TEXT[kind], PROFILE_TEXT[run.profile], "", "", `not measured: ${firstLine(error.error)}`, "", "", "", ""]);
      if (!ev) continue;
      rows.push([
        EVENT_TEXT[kind],
        PROFILE_TEXT[run.profile],
        `${ev.broker} (${ev.pod} on ${ev.node}${ev.quorumLeader ? ", quorum leader" : ""})`,
        ev.partitions.join(","),
        windowText(ev.window),
        kind === "hard-kill" ? goalCell(HARD_KILL_GOALS[run.profile], ev.window.windowMs) : "",
        ev.window.othersMs === 0 ? `< ${secs(ev.window.resolutionMs)}` : secs(ev.window.othersMs),
        String(ev.window.failedSends),
        secs(ev.newLeadersMs),
      ]);
    }
    const d = runs.find((r) => r.profile === "defaults")?.events.find((x) => x.kind === kind);
    const f = runs.find((r) => r.profile === "fast-failover")?.events.find((x) => x.kind === kind);
    if (d && f)
      rows.push([EVENT_TEXT[kind], "fast / defaults", "", "", ratio(f.window.windowMs, d.window.windowMs), "", "", "", ratio(f.newLeadersMs, d.newLeadersMs)]);
  }
  return markdownTable(
    [
      "event",
      "profile",
      "broker",
      "partitions it led",
      "window (longest ack gap on them)",
      "goal",
      "longest gap, other partitions",
      "failed sends",
      "new leaders seen after (kill / election tool start)",
    ],
    rows,
  );
}

/** Per event: every partition's window, for the detail lines under the table. */
export function perPartitionLines(runs: FailoverRun[]): string {
  return runs
    .flatMap((run) =>
      run.events.map(
        (ev) =>
          `- ${EVENT_TEXT[ev.kind]}, ${PROFILE_TEXT[run.profile]}: ${ev.window.perPartition
            .map((w) => `p${w.partition}${ev.partitions.includes(w.partition) ? "*" : ""} ${w.ms === 0 ? `< ${secs(ev.window.resolutionMs)}` : secs(w.ms)}`)
            .join(", ")}`,
      ),
    )
    .join("\n");
}

export class FailoverSection implements BenchSection {
  readonly id = "failover" as const;
  private readonly runs = new Map<FailoverProfile, { run: FailoverRun; output: ProbeOutput }>();
  private readonly failures: { what: string; error: string }[] = [];
  readonly steps: Step[] = (["defaults", "fast-failover"] as const).map((profile) => ({
    profile,
    what: `failover windows, ${PROFILE_TEXT[profile]}`,
    run: async (ctx: BenchContext) => {
      this.runs.set(profile, await measure(ctx, profile));
    },
  }));

  /** Before any install: the probe compiles and the fast profile documents its client settings. */
  async prepare(): Promise<void> {
    probeClientProperties("fast-failover");
    await probeClass();
  }

  failed(step: Step, error: string): void {
    this.failures.push({ what: step.what, error });
  }

  async report(): Promise<{ markdown: string; json: unknown; charts: Chart[] }> {
    const runs = (["defaults", "fast-failover"] as const).map((p) => this.runs.get(p)).filter((r) => r !== undefined);
    const charts: Chart[] = [];
    for (const { run, output } of runs) {
      const spec = gapChartSpec({
        title: `failover, ${PROFILE_TEXT[run.profile]}: gaps between acknowledgements per partition`,
        output,
        marks: run.marks,
        affected: run.events.map((ev) => ({ partitions: ev.partitions, from: ev.startedAt, to: ev.endedAt })),
        goalMs: HARD_KILL_GOAL_MS[run.profile],
      });
      charts.push({ file: `failover-${run.profile}.svg`, svg: await renderSvg(spec) });
    }
    const fast = probeClientProperties("fast-failover");
    const markdown = sectionMarkdown([
      "## Failover windows",
      "",
      `The failover probe (test/bench/FailoverProbe.java) in a pod on the k3d server node: one producer per partition, one record per partition every 20 ms, acks=all; topic of ${FAILOVER.partitions} partitions, RF 3. Window = the longest gap between consecutive acknowledgements among the partitions the broker led, over the event (from its start until every such partition was acknowledged again, plus ${FAILOVER.steadyMs / 1000} s). Graceful leader move (first): the partitions of the broker leading the most are reordered so it comes last (same replicas), then a preferred-leader election moves their leadership; every broker stays up. Hard kill (then): docker kill of the node hosting the broker that leads the most partitions, not the KRaft quorum leader unless noted; the node is started again afterwards. defaults: the chart's and the Java client's defaults (request.timeout.ms 30 s, delivery.timeout.ms 120 s). fast profile: ${FAST_FAILOVER_VALUES} (broker.session.timeout.ms, broker.heartbeat.interval.ms) and its documented client settings: ${fast.join(", ")}.`,
      "",
      runs.length > 0 ? failoverTable(runs.map((r) => r.run)) : "(not measured)",
      "",
      runs.length > 0 ? `Per partition (* = led by the broker):\n${perPartitionLines(runs.map((r) => r.run))}` : "",
      "",
      charts.map((c) => `![${c.file}](${c.file})`).join("\n"),
      failureLines(this.failures),
    ]);
    return { markdown, json: { runs: runs.map((r) => r.run), failures: this.failures }, charts };
  }
}
