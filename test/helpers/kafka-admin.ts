// Partition and quorum health: ISR / under-min-ISR through kafkajs admin clients (host side,
// through the external listeners, see AdminProbe), KRaft quorum through `kafka-metadata-quorum.sh`
// run inside a broker pod with kubectl exec.
import { type Admin, Kafka, logLevel } from "kafkajs";
import type { IsrSample } from "./checker.js";
import { waitFor, withTimeout } from "../../scripts/lib/wait.js";
import { kafkajsSecurity } from "./connection.js";

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/**
 * Admin operations from the host, each on a fresh kafkajs admin client bootstrapped through ONE
 * broker address; on failure the next address is tried, and the last address that answered is
 * tried first next time.
 *
 * Why not one long-lived client: a kafkajs Broker whose socket connected but whose handshake failed
 * answers "Broker not connected" to every later request (its request lookup is never set), and on
 * k3d every host port accepts through docker-proxy even when the broker behind it is gone, so a
 * drained or killed broker looks connectable. A long-lived client poisoned that way failed S3/S4,
 * and one stuck on a dead broker's hanging connection saw S8's failover a minute late. A fresh
 * client per operation through one address at a time depends on neither.
 */
export class AdminProbe {
  private preferred = 0;
  private readonly attemptTimeoutMs: number;
  private readonly newAdmin: (address: string, requestTimeoutMs: number) => Admin;

  constructor(
    readonly brokers: string[],
    opts: { attemptTimeoutMs?: number; newAdmin?: (address: string, requestTimeoutMs: number) => Admin } = {},
  ) {
    if (brokers.length === 0) throw new Error("AdminProbe needs at least one broker address");
    this.attemptTimeoutMs = opts.attemptTimeoutMs ?? 8000;
    this.newAdmin = opts.newAdmin ?? probeAdmin;
  }

  /** Runs `fn` on a connected admin client; `timeoutMs` bounds one attempt through one address. */
  async use<T>(what: string, fn: (admin: Admin) => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.attemptTimeoutMs;
    const errors: string[] = [];
    // Two rounds: a broker that was between leader moves on the first try usually answers on the second.
    for (let i = 0; i < this.brokers.length * 2; i++) {
      const index = (this.preferred + i) % this.brokers.length;
      const address = this.brokers[index] ?? "";
      const admin = this.newAdmin(address, Math.max(5000, timeoutMs - 1000));
      try {
        const result = await withTimeout(
          (async () => {
            await admin.connect();
            return fn(admin);
          })(),
          timeoutMs,
          `${what} via ${address}`,
        );
        this.preferred = index;
        return result;
      } catch (err) {
        errors.push(`${address}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        void withTimeout(admin.disconnect(), 5000, "probe disconnect").catch(() => undefined);
      }
    }
    throw new Error(`${what} failed through every broker address (${errors.join("; ")})`);
  }
}

/** A kafkajs admin client that knows one broker address and gives up fast (the probe moves on). */
function probeAdmin(address: string, requestTimeoutMs: number): Admin {
  return new Kafka({
    clientId: "ha-probe",
    brokers: [address],
    ...kafkajsSecurity(),
    connectionTimeout: 3000,
    requestTimeout: requestTimeoutMs,
    // No retry inside the client: the probe's next attempt goes through another address.
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
}

/**
 * A kafkajs `brokers` function that returns one bootstrap address which just answered.
 * kafkajs starts every client at the first bootstrap address and moves to the next only when a
 * connection is refused; an address that accepts but never answers (docker-proxy in front of a
 * drained or lost broker) leaves the client half-connected, failing every request with "Broker not
 * connected" (seen in S3/S4 read-backs, reproduced 12 of 12 times right after a drain). The Java
 * client tries the next address instead; this gives kafkajs the same behaviour. All addresses are
 * tried at once; a function (not a list) is re-evaluated whenever kafkajs needs a new seed.
 */
export function liveSeed(addresses: string[], timeoutMs = 5000): () => Promise<string[]> {
  return async () => {
    const attempts = addresses.map(async (address) => {
      const admin = probeAdmin(address, timeoutMs);
      try {
        await withTimeout(admin.connect(), timeoutMs, `bootstrap through ${address}`);
        return address;
      } finally {
        void withTimeout(admin.disconnect(), 5000, "seed probe disconnect").catch(() => undefined);
      }
    });
    try {
      return [await Promise.any(attempts)];
    } catch {
      throw new Error(`no bootstrap address answered within ${timeoutMs / 1000}s: ${addresses.join(", ")}`);
    }
  };
}

/** The partitions (of `topics`, or every topic) led by no live broker: no leader, or the `lost` one. */
export async function partitionsWithoutLiveLeader(probe: AdminProbe, lost: number, topics?: string[]): Promise<string[]> {
  return (await partitionStates(probe, topics)).filter((p) => p.leader < 0 || p.leader === lost).map((p) => `${p.topic}-${p.partition}:${p.leader}`);
}

export async function partitionStates(probe: AdminProbe, topics?: string[]): Promise<PartitionState[]> {
  return probe.use("partition states", async (admin) => {
    const names = topics ?? (await admin.listTopics());
    if (names.length === 0) return [];
    const meta = await admin.fetchTopicMetadata({ topics: names });
    return meta.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr })),
    );
  });
}

/** A partition Kafka is moving, and the replicas the move is adding. */
export interface Reassignment {
  topic: string;
  partition: number;
  adding: number[];
}

/**
 * Kafka's ongoing partition reassignments. kafkajs 2.2.4 returns the wire names (`name`,
 * `partition`) where its typings promise `topic` and `partitionIndex`, so they are read here once.
 */
export async function reassignments(probe: AdminProbe): Promise<Reassignment[]> {
  type Wire = { name: string; partitions: { partition: number; addingReplicas?: number[] }[] };
  const topics = await probe.use("reassignments", async (admin) => (await admin.listPartitionReassignments({})).topics as unknown as Wire[], {
    timeoutMs: 5000,
  });
  return topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition, adding: p.addingReplicas ?? [] })));
}

/** The durability settings a topic ended up with, and where each came from (Kafka's config source). */
export interface TopicDurability {
  replicationFactors: number[];
  /** Setting name -> `value (source)`, e.g. `2 (STATIC_BROKER_CONFIG)`. */
  settings: Record<string, string>;
}

// kafkajs' ConfigSource enum values (the enum object is not an ESM export of the CommonJS module).
const CONFIG_SOURCES = [
  "UNKNOWN",
  "TOPIC_CONFIG",
  "DYNAMIC_BROKER_CONFIG",
  "DYNAMIC_DEFAULT_BROKER_CONFIG",
  "STATIC_BROKER_CONFIG",
  "DEFAULT_CONFIG",
  "DYNAMIC_BROKER_LOGGER_CONFIG",
];
export const DURABILITY_SETTINGS = ["min.insync.replicas", "unclean.leader.election.enable"];

export async function topicDurability(probe: AdminProbe, topic: string): Promise<TopicDurability> {
  return probe.use(`durability settings of ${topic}`, async (admin) => {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: DURABILITY_SETTINGS }] });
    const entries = res.resources[0]?.configEntries ?? [];
    return {
      replicationFactors: [...new Set((meta.topics[0]?.partitions ?? []).map((p) => p.replicas.length))],
      settings: Object.fromEntries(entries.map((e) => [e.configName, `${e.configValue} (${CONFIG_SOURCES[e.configSource] ?? e.configSource})`])),
    };
  });
}

/** min.insync.replicas of each topic (falls back to `fallback` when the broker does not say). */
export async function minIsrOf(probe: AdminProbe, topics: string[], fallback = 2): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (topics.length === 0) return out;
  const res = await probe.use("describe min.insync.replicas", (admin) =>
    // kafkajs' ResourceTypes.TOPIC is 2; written out to avoid importing the enum object under ESM interop.
    admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: 2, name, configNames: ["min.insync.replicas"] })) }),
  );
  for (const r of res.resources) {
    const v = r.configEntries.find((e) => e.configName === "min.insync.replicas")?.configValue;
    out.set(r.resourceName, v ? Number(v) : fallback);
  }
  return out;
}

export function summarize(states: PartitionState[], minIsr: Map<string, number>, time = Date.now(), fallbackMinIsr = 2): IsrSample {
  let underReplicated = 0;
  let underMinIsr = 0;
  let offline = 0;
  const outOfIsr = new Set<number>();
  for (const s of states) {
    if (s.isr.length < s.replicas.length) underReplicated++;
    for (const r of s.replicas) if (!s.isr.includes(r)) outOfIsr.add(r);
    // A topic whose RF is below min ISR could never take acks=all writes; compare against what it can reach.
    const min = Math.min(minIsr.get(s.topic) ?? fallbackMinIsr, s.replicas.length);
    if (s.isr.length < min) underMinIsr++;
    if (s.leader < 0) offline++;
  }
  return { time, partitions: states.length, underReplicated, underMinIsr, offline, outOfIsr: [...outOfIsr].sort((a, b) => a - b) };
}

/** One ISR sample over every topic (including __consumer_offsets). A failed probe is a degraded sample. */
export class IsrSampler {
  readonly samples: IsrSample[] = [];
  readonly errors: string[] = [];
  private minIsr = new Map<string, number>();
  constructor(private readonly probe: AdminProbe) {}

  async sample(): Promise<IsrSample> {
    const time = Date.now();
    try {
      const states = await partitionStates(this.probe);
      const topics = [...new Set(states.map((s) => s.topic))];
      const missing = topics.filter((t) => !this.minIsr.has(t));
      if (missing.length > 0) for (const [k, v] of await minIsrOf(this.probe, missing)) this.minIsr.set(k, v);
      const s = summarize(states, this.minIsr, time);
      this.samples.push(s);
      return s;
    } catch (err) {
      this.errors.push(`${new Date(time).toISOString()} ${err instanceof Error ? err.message : String(err)}`);
      const s: IsrSample = { time, partitions: 0, underReplicated: 0, underMinIsr: 0, offline: 0 };
      this.samples.push(s);
      return s;
    }
  }
}

// ---- KRaft quorum (kafka-metadata-quorum.sh) ----

export interface QuorumStatus {
  leaderId: number;
  highWatermark: number;
  maxFollowerLag: number;
  voters: number[];
  observers: number[];
}

export interface QuorumReplica {
  nodeId: number;
  directoryId: string;
  logEndOffset: number;
  lag: number;
  status: string;
}

/** Ids in a CurrentVoters/CurrentObservers value: `[1,2,3]` (old) or `[{"id": 1, ...}, ...]` (KIP-853). */
export function parseNodeList(value: string): number[] {
  const trimmed = value.trim();
  if (/"id"\s*:/.test(trimmed)) return [...trimmed.matchAll(/"id"\s*:\s*(\d+)/g)].map((m) => Number(m[1]));
  return [...trimmed.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** The node ids `kafka-cluster.sh list-endpoints` prints (a line per node, the id first), sorted. */
export function parseEndpointIds(text: string): number[] {
  const ids = text
    .split("\n")
    .map((l) => /^(\d+)\s/.exec(l.trim())?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number);
  return ids.sort((a, b) => a - b);
}

export function parseQuorumStatus(text: string): QuorumStatus {
  const field = (name: string): string => {
    const m = new RegExp(`^${name}:\\s*(.*)$`, "m").exec(text);
    if (!m || m[1] === undefined) throw new Error(`kafka-metadata-quorum --status: no ${name} in:\n${text}`);
    return m[1];
  };
  const observers = /^CurrentObservers:\s*(.*)$/m.exec(text)?.[1] ?? "[]";
  return {
    leaderId: Number(field("LeaderId")),
    highWatermark: Number(field("HighWatermark")),
    maxFollowerLag: Number(field("MaxFollowerLag")),
    voters: parseNodeList(field("CurrentVoters")),
    observers: parseNodeList(observers),
  };
}

/** Rows of `describe --replication`: NodeId DirectoryId LogEndOffset Lag LastFetchTimestamp LastCaughtUpTimestamp Status. */
export function parseQuorumReplication(text: string): QuorumReplica[] {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const headerIndex = lines.findIndex((l) => /^NodeId\s/.test(l));
  if (headerIndex < 0) throw new Error(`kafka-metadata-quorum --replication: no header in:\n${text}`);
  const header = (lines[headerIndex] ?? "").split(/\s+/);
  const col = (name: string): number => header.indexOf(name);
  return lines.slice(headerIndex + 1).map((line) => {
    const cells = line.split(/\s+/);
    const get = (name: string): string => (col(name) >= 0 ? (cells[col(name)] ?? "") : "");
    return {
      nodeId: Number(get("NodeId")),
      directoryId: get("DirectoryId"),
      logEndOffset: Number(get("LogEndOffset")),
      lag: Number(get("Lag")),
      status: cells[cells.length - 1] ?? "",
    };
  });
}

/** A healthy quorum: a leader, the expected voters, every voter within `maxLag` records of the leader. */
export function quorumProblems(status: QuorumStatus, replication: QuorumReplica[], expectedVoters: number[], maxLag = 1000): string[] {
  const problems: string[] = [];
  if (!(status.leaderId >= 0)) problems.push(`no quorum leader (LeaderId ${status.leaderId})`);
  const voters = [...status.voters].sort((a, b) => a - b);
  const expected = [...expectedVoters].sort((a, b) => a - b);
  if (voters.join(",") !== expected.join(",")) problems.push(`voters are [${voters}], expected [${expected}]`);
  for (const v of expected) {
    const row = replication.find((r) => r.nodeId === v && /Leader|Follower/.test(r.status));
    if (!row) problems.push(`voter ${v} missing from --replication`);
    else if (!(row.lag <= maxLag)) problems.push(`voter ${v} lags by ${row.lag}`);
  }
  return problems;
}

/** Leader broker id of one partition. */
export async function leaderOf(probe: AdminProbe, topic: string, partition = 0): Promise<number> {
  const p = (await partitionStates(probe, [topic])).find((s) => s.partition === partition);
  if (!p) throw new Error(`partition ${topic}-${partition} not found`);
  return p.leader;
}

/**
 * Polls until every partition of every topic has all its replicas in the ISR and a leader; returns
 * how long that took. On timeout the error names a few partitions still short.
 */
export async function waitFullIsr(probe: AdminProbe, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(
    async () => {
      const states = await partitionStates(probe);
      const bad = states.filter((s) => s.isr.length < s.replicas.length || s.leader < 0);
      if (states.length === 0) throw new Error("no partitions in the metadata yet");
      if (bad.length === 0) return true;
      const examples = bad.slice(0, 3).map((s) => `${s.topic}-${s.partition} replicas [${s.replicas}] isr [${s.isr}]`);
      throw new Error(`${bad.length}/${states.length} partitions not fully in ISR, e.g. ${examples.join("; ")}`);
    },
    // One probe may try every broker address (AdminProbe.use): bounded by the whole wait, at most 2 min.
    { what: "full ISR", timeoutMs, intervalMs: 1000, probeTimeoutMs: Math.min(timeoutMs, 120000) },
  );
  return Date.now() - started;
}
