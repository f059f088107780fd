// The environment the HA scenarios share: the k3d cluster (issue 3b's scripts/env/cluster/k3d.ts), the
// Kafka image (issue 3a's scripts/images/index.ts), Kubernetes clients, and the kafka-ha release
// installed from the working tree. Memoized per process: the runner (run.ts) sets it up once and
// tears it down in `finally`; a scenario file run on its own does the same through its hooks.
import { execa } from "execa";
import { parse, stringify } from "yaml";
import * as k3d from "../../scripts/env/cluster/k3d.js";
import { toolPath } from "../../scripts/lib/tools.js";
import {
  BOOTSTRAP,
  BROKERS,
  CHART_DIR,
  EXTERNAL_BASE_PORT,
  type BrokerPod,
  type HelmTool,
  NAMESPACE,
  RELEASE,
  brokerPods,
  helmTest,
  installChart,
  kafkaImageRef,
  metricsImageRef,
  localValues,
  releaseExists,
  splitImage,
  uninstallChart,
  waitBrokersReady,
} from "../../scripts/env/release.js";
import { type ClusterNodes, type Kube, addNode, helmUpgrade, kubeFrom, statusOf, uncordon } from "../helpers/faults.js";
import { AdminProbe, type QuorumReplica, type QuorumStatus, leaderOf, parseQuorumReplication, parseQuorumStatus } from "../helpers/kafka-admin.js";
import { waitFor } from "../../scripts/lib/wait.js";
import { helmTemplate } from "../helpers/render.js";
import { log } from "../helpers/log.js";
import { clientSecurity } from "../helpers/connection.js";

/** The part of scripts/env/cluster/k3d.ts (issue 3b) the suite uses. */
export type ClusterModule = ClusterNodes & Pick<typeof k3d, "clusterUp" | "clusterDown" | "kubeconfigPath" | "importImages" | "clusterNodes" | "nodeContainer">;

export interface Env {
  cluster: ClusterModule;
  kubeconfig: string;
  kube: Kube;
  image: string;
  /** The JMX exporter agent's init image: every install of the working-tree chart has metrics on. */
  metricsImage: string;
  kubectl: string;
}

/** Node id of dedicated controller 0 (templates/_topology.tpl, kafka-ha.controllerIdBase): controller N is this + N. */
export const CONTROLLER_ID_BASE = 1000;

let envPromise: Promise<Env> | undefined;
let envReady: Env | undefined;

/** The environment if env() finished setting it up (cleanup must not bring a cluster up). */
export const currentEnv = (): Env | undefined => envReady;

/** Cluster up (idempotent), the Kafka image built and imported into it, clients ready. */
export function env(): Promise<Env> {
  envPromise ??= (async () => {
    const cluster: ClusterModule = k3d;
    log("bringing up the k3d cluster (clusterUp)");
    await cluster.clusterUp();
    const kubeconfig = await cluster.kubeconfigPath();
    const image = await kafkaImageRef();
    const metricsImage = await metricsImageRef();
    log(`importing ${image} and ${metricsImage} into the cluster`);
    await cluster.importImages([image, metricsImage]);
    envReady = { cluster, kubeconfig, kube: kubeFrom(kubeconfig), image, metricsImage, kubectl: await toolPath("kubectl") };
    return envReady;
  })();
  envPromise.catch(() => {
    envPromise = undefined;
  });
  return envPromise;
}

/** Deletes the namespace (and so the PVCs) and waits until it is gone. */
export async function deleteNamespace(kube: Kube): Promise<void> {
  try {
    await kube.core.deleteNamespace({ name: NAMESPACE });
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  await waitFor(
    async () => {
      try {
        await kube.core.readNamespace({ name: NAMESPACE });
        return false;
      } catch (err) {
        return statusOf(err) === 404;
      }
    },
    { what: `namespace ${NAMESPACE} to be deleted`, timeoutMs: 300000, intervalMs: 2000 },
  );
}

/**
 * Removes the release and its namespace, data included, without waiting out the pods' graceful
 * shutdown: the data goes anyway. With every pod of a combined-mode release stopping at once the
 * quorum goes with them, and the brokers' controlled shutdown can wait out
 * terminationGracePeriodSeconds (a `helm uninstall --wait` took 2 min 45 s of its 3 min bound after
 * S7 locally; CI's O1 failed before its traffic window right after such an uninstall, 2026-12-04).
 */
export async function discardRelease(e: Env): Promise<void> {
  await uninstallChart(e.kubeconfig, { wait: false });
  const pods = (await e.kube.core.listNamespacedPod({ namespace: NAMESPACE }).catch(() => undefined))?.items ?? [];
  for (const p of pods) {
    await e.kube.core.deleteNamespacedPod({ name: p.metadata?.name ?? "", namespace: NAMESPACE, gracePeriodSeconds: 0 }).catch((err: unknown) => {
      if (statusOf(err) !== 404) throw err;
    });
  }
  await deleteNamespace(e.kube);
}

/** Every node schedulable again (a scenario that failed half-way may leave one cordoned). */
export async function restoreNodes(e: Env): Promise<void> {
  const nodes = await e.kube.core.listNode();
  for (const n of nodes.items) if (n.spec?.unschedulable) await uncordon(e.kube, n.metadata?.name ?? "");
}

/**
 * The cluster shape every scenario starts from: all k3d nodes running (clusterUp starts stopped
 * ones, e.g. after a failed S8), one Ready agent per zone (adds one where a failed S6/S7 left a zone
 * empty), nothing cordoned.
 */
export async function restoreCluster(e: Env): Promise<void> {
  if ((await e.cluster.clusterNodes()).some((n) => (n.role === "server" || n.role === "agent") && !n.State.Running)) await e.cluster.clusterUp();
  const nodes = (await e.kube.core.listNode()).items;
  const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
  for (const zone of k3d.ZONES) {
    if (!ready.some((n) => n.metadata?.labels?.[k3d.ZONE_LABEL] === zone)) {
      log(`no Ready node in ${zone}: adding an agent there`);
      await addNode(e.kube, e.cluster, zone);
    }
  }
  await restoreNodes(e);
}

/**
 * Uninstall, delete the namespace (PVCs with it), then install from scratch (over `valueFiles`, e.g.
 * an overlay; `values` over the local ones; `tool` helm3 installs with Helm 3, scenario H1) and wait
 * until `pods` pods of the release (controllers included) are Ready.
 */
export async function freshInstall(
  e: Env,
  opts: {
    valueFiles?: string[];
    pods?: number;
    values?: Record<string, unknown>;
    tool?: HelmTool;
    /** Another chart than the working tree (S18: the previous release's package). */
    chart?: string;
    beforeInstall?: () => Promise<void>;
    /** Runs once the brokers are Ready, before the suite's first client connects (T4: trust the CA the chart generated). */
    beforeClients?: () => Promise<void>;
  } = {},
): Promise<{ installMs: number; pods: BrokerPod[] }> {
  await restoreCluster(e);
  await discardRelease(e);
  // What a user creates before installing (T1: the certificate Secret), in the fresh namespace.
  if (opts.beforeInstall) {
    await e.kube.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await opts.beforeInstall();
  }
  const started = Date.now();
  // A generous bound: a secured release's install also waits for its security Job (post-install hook).
  await installChart(
    e.kubeconfig,
    { ...releaseValues(e, opts.chart), ...opts.values },
    { valueFiles: opts.valueFiles, tool: opts.tool, chart: opts.chart, timeoutMs: 420000 },
  );
  const pods = await waitBrokersReady(e.kube.core, { count: opts.pods, timeoutMs: 600000 });
  if (opts.beforeClients) await opts.beforeClients();
  await waitKafkaServing(BROKERS, 300000);
  return { installMs: Date.now() - started, pods };
}

/**
 * The values of the suite's installs: localValues with metrics on (the HA scenarios scrape them, S2
 * and S9), except for an older packaged chart (S18), whose schema has no metrics.
 */
export const releaseValues = (e: Env, chart?: string): Record<string, unknown> =>
  localValues(splitImage(e.image), undefined, chart ? undefined : splitImage(e.metricsImage));

/** Installs unless the release is there with every broker Ready (a scenario run on its own). */
export async function ensureInstalled(e: Env): Promise<void> {
  await restoreCluster(e);
  const pods = (await releaseExists(e.kubeconfig)) ? await brokerPods(e.kube.core) : [];
  if (pods.filter((p) => p.ready).length === BROKERS) {
    await waitKafkaServing(BROKERS, 120000);
    return;
  }
  if (pods.length === 0) {
    await installChart(e.kubeconfig, releaseValues(e));
  }
  await waitBrokersReady(e.kube.core, { timeoutMs: 600000 });
  await waitKafkaServing(BROKERS, 300000);
}

export async function teardown(e: Env, opts: { clusterDown: boolean }): Promise<void> {
  await restoreNodes(e).catch((err: unknown) => log(`restoring nodes failed: ${String(err)}`));
  await discardRelease(e).catch((err: unknown) => log(`removing the release and namespace ${NAMESPACE} failed: ${String(err)}`));
  if (opts.clusterDown) await e.cluster.clusterDown();
}

/** A Secret of the release's namespace, its values decoded. */
export async function secretData(e: Env, name: string): Promise<Record<string, string>> {
  const s = await e.kube.core.readNamespacedSecret({ name, namespace: NAMESPACE });
  return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
}

/** The cluster id stored in the release's Secret <release>-cluster-id. */
export async function storedClusterId(e: Env): Promise<string> {
  const secret = await e.kube.core.readNamespacedSecret({ name: `${RELEASE}-cluster-id`, namespace: NAMESPACE });
  return Buffer.from(secret.data?.["clusterId"] ?? "", "base64").toString();
}

/**
 * Waits until the StatefulSet <release> has rolled away from `revisionBefore` and every broker of the
 * new revision is Ready; resolves with the milliseconds since `since`.
 */
export async function waitRolled(e: Env, revisionBefore: string, since: number): Promise<number> {
  return waitFor(
    async () => {
      const st = (await e.kube.apps.readNamespacedStatefulSet({ name: RELEASE, namespace: NAMESPACE })).status;
      const done =
        st?.updateRevision !== revisionBefore && st?.currentRevision === st?.updateRevision && st?.updatedReplicas === BROKERS && st?.readyReplicas === BROKERS;
      return done ? Date.now() - since : undefined;
    },
    { what: "the StatefulSet to roll every broker", timeoutMs: 1200000, intervalMs: 2000 },
  );
}

/** The cluster id `helm template` renders for the release with these values: no cluster, no lookup. */
export async function renderedClusterId(values: Record<string, unknown>): Promise<string> {
  const r = await helmTemplate(stringify(values), ["--show-only", "templates/secret.yaml"]);
  if (!r.ok) throw new Error(`helm template failed: ${r.stderr}`);
  const secret = parse(r.stdout) as { data: { clusterId: string } };
  return Buffer.from(secret.data.clusterId, "base64").toString();
}

/** The release's server.properties (its ConfigMap), as key -> value. */
export async function releaseServerProperties(e: Env): Promise<Map<string, string>> {
  const cm = await e.kube.core.readNamespacedConfigMap({ name: `${RELEASE}-config`, namespace: NAMESPACE });
  const lines = (cm.data?.["server.properties"] ?? "").split("\n").filter((l) => /^[a-z][^=]*=/.test(l));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/** `helm test` with the project's helm; asserts the test pod's verdict line and returns how long it took. */
export async function passesHelmTest(e: Env): Promise<number> {
  const started = Date.now();
  const out = await helmTest(e.kubeconfig);
  if (!/OK: every partition has \d+ in-sync replicas/.test(out)) throw new Error(`helm test printed no verdict:\n${out}`);
  return Date.now() - started;
}

/** The StatefulSet's update revision now. */
export async function updateRevision(e: Env): Promise<string> {
  const sts = await e.kube.apps.readNamespacedStatefulSet({ name: RELEASE, namespace: NAMESPACE });
  return sts.status?.updateRevision ?? "";
}

// ---- Kafka-side views ----

/** Waits until the brokers answer through the external access and `count` of them are registered. */
export async function waitKafkaServing(count: number, timeoutMs: number, brokers: string[] = BOOTSTRAP): Promise<void> {
  const probe = new AdminProbe(brokers);
  await waitFor(async () => (await probe.use("describe cluster", (a) => a.describeCluster())).brokers.length >= count, {
    what: `${count} brokers serving on ${brokers.join(",")}`,
    timeoutMs,
    intervalMs: 3000,
    probeTimeoutMs: 30000,
  });
}

/**
 * Broker node id -> StatefulSet ordinal, read from the advertised external addresses
 * (broker with ordinal N advertises 127.0.0.1:31090+N), so no id scheme is assumed.
 */
export async function brokerOrdinals(probe: AdminProbe): Promise<Map<number, number>> {
  const { brokers } = await probe.use("describe cluster", (admin) => admin.describeCluster());
  return new Map(brokers.map((b) => [b.nodeId, b.port - EXTERNAL_BASE_PORT]));
}

export const podName = (ordinal: number): string => `${RELEASE}-${ordinal}`;

/** The zone label of a node. */
export async function nodeZone(e: Env, node: string): Promise<string> {
  const n = await e.kube.core.readNode({ name: node });
  return n.metadata?.labels?.["topology.kubernetes.io/zone"] ?? "";
}

/** `kubectl exec` into a broker pod's kafka container. */
export async function execInBroker(e: Env, pod: string, command: string, timeoutMs = 90000): Promise<string> {
  const r = await execa(e.kubectl, ["--kubeconfig", e.kubeconfig, "-n", NAMESPACE, "exec", pod, "-c", "kafka", "--", "bash", "-c", command], {
    timeout: timeoutMs,
    reject: false,
    all: true,
  });
  if (r.exitCode !== 0) throw new Error(`kubectl exec ${pod} -- ${command}: exit ${r.exitCode}${r.timedOut ? " (timed out)" : ""}\n${r.all ?? ""}`);
  return r.stdout;
}

// The client Service with the client settings start.sh writes in every pod (TLS or not: README
// "Security"); with SASL, which wants a user, the pod's internal listener as the release itself.
export const toolBootstrap = (): string =>
  clientSecurity()?.sasl
    ? "localhost:9094 --command-config /opt/kafka-ha/run/internal-client.properties"
    : `${RELEASE}:9092 --command-config /opt/kafka-ha/run/client.properties`;
// The pod's KAFKA_HEAP_OPTS sizes the broker; an admin tool started next to it needs far less.
export const TOOL_ENV = 'KAFKA_HEAP_OPTS="-Xms32m -Xmx192m" KAFKA_JVM_PERFORMANCE_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"';

/** A Kafka admin tool (`kafka-topics.sh`, ...) in a broker pod, with a small JVM, against the client Service. */
export async function kafkaTool(e: Env, pod: string, tool: string, args: string, timeoutMs = 90000): Promise<string> {
  return execInBroker(e, pod, `${TOOL_ENV} /opt/kafka/bin/${tool} --bootstrap-server ${toolBootstrap()} ${args}`, timeoutMs);
}

/** The broker id coordinating a consumer group (`kafka-consumer-groups.sh --describe --state`), -1 if none is named. */
export async function groupCoordinator(e: Env, pod: string, groupId: string): Promise<number> {
  const out = await kafkaTool(e, pod, "kafka-consumer-groups.sh", `--describe --state --group ${groupId}`);
  const row = out.split("\n").find((l) => l.startsWith(`${groupId} `));
  return Number(/\((\d+)\)/.exec(row ?? "")?.[1] ?? -1);
}

export async function quorum(e: Env, pod: string): Promise<{ status: QuorumStatus; replication: QuorumReplica[] }> {
  const tool = `${TOOL_ENV} /opt/kafka/bin/kafka-metadata-quorum.sh --bootstrap-server ${toolBootstrap()} describe`;
  const status = parseQuorumStatus(await execInBroker(e, pod, `${tool} --status`));
  const replication = parseQuorumReplication(await execInBroker(e, pod, `${tool} --replication`));
  return { status, replication };
}

/** `describe --status` asked of the controller inside `pod` (no broker needed); throws when no leader answers in time. */
export async function controllerQuorumStatus(e: Env, pod: string, timeoutSeconds = 40): Promise<QuorumStatus> {
  return parseQuorumStatus(
    await execInBroker(
      e,
      pod,
      `timeout ${timeoutSeconds} env ${TOOL_ENV} /opt/kafka/bin/kafka-metadata-quorum.sh --bootstrap-controller localhost:9093 describe --status`,
      (timeoutSeconds + 30) * 1000,
    ),
  );
}

/** Waits until the StatefulSet has recreated `pod` and it is Pending, unscheduled (its node is away). */
export async function waitPending(e: Env, pod: string, timeoutMs = 300000): Promise<void> {
  await waitFor(
    async () => {
      const p = await e.kube.core.readNamespacedPod({ name: pod, namespace: NAMESPACE }).catch(() => undefined);
      return p?.status?.phase === "Pending" && !p.spec?.nodeName && !p.metadata?.deletionTimestamp;
    },
    { what: `${pod} to be recreated and Pending`, timeoutMs, intervalMs: 2000 },
  );
}

/** The kubelet's readiness probe failures of a pod, as Events report them (the probe's own words, latest last). */
export async function readinessFailures(e: Env, pod: string): Promise<string[]> {
  const list = await e.kube.core.listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: `involvedObject.name=${pod},reason=Unhealthy` });
  return list.items
    .filter((ev) => ev.message?.startsWith("Readiness probe failed"))
    .map((ev) => `${ev.lastTimestamp ? new Date(ev.lastTimestamp).toISOString() : "?"} x${ev.count ?? 1} ${ev.message?.trim() ?? ""}`);
}

/**
 * The kafka container's log, the previous container's first when it restarted (start.sh exits on
 * a step it retries at the next start, so one decision can span two containers).
 */
export async function kafkaLog(e: Env, pod: string): Promise<string> {
  const read = (previous: boolean) => e.kube.core.readNamespacedPodLog({ name: pod, namespace: NAMESPACE, container: "kafka", previous });
  const current = await read(false);
  const status = (await e.kube.core.readNamespacedPodStatus({ name: pod, namespace: NAMESPACE })).status;
  const restarts = status?.containerStatuses?.find((c) => c.name === "kafka")?.restartCount ?? 0;
  if (restarts === 0) return current;
  const previous = await read(true).catch((err: unknown) => `(previous container's log unreadable: ${String(err)})\n`);
  return `${previous}--- container restarted (${restarts} restart(s) in all; only the last two containers' logs are kept) ---\n${current}`;
}

/** Preferred-replica election for every partition (kafka-leader-election.sh inside a broker pod). */
export async function preferredLeaderElection(e: Env, pod: string): Promise<string> {
  return execInBroker(
    e,
    pod,
    `${TOOL_ENV} /opt/kafka/bin/kafka-leader-election.sh --bootstrap-server ${toolBootstrap()} --election-type PREFERRED --all-topic-partitions`,
  );
}

export interface LeaderBroker {
  brokerId: number;
  ordinal: number;
  pod: BrokerPod;
}

/** The broker leading `topic`-`partition`, with its pod (scheduled: it has a node). */
export async function leaderBroker(e: Env, probe: AdminProbe, topic: string, partition = 0): Promise<LeaderBroker> {
  return brokerById(e, probe, await leaderOf(probe, topic, partition));
}

/** A broker's ordinal and pod by its broker id. */
export async function brokerById(e: Env, probe: AdminProbe, brokerId: number): Promise<LeaderBroker> {
  const ordinal = (await brokerOrdinals(probe)).get(brokerId);
  if (ordinal === undefined) throw new Error(`broker ${brokerId} is not a known broker`);
  const pod = (await brokerPods(e.kube.core)).find((p) => p.name === podName(ordinal));
  if (!pod?.node) throw new Error(`${podName(ordinal)} (broker ${brokerId}) is not scheduled`);
  return { brokerId, ordinal, pod };
}

export interface ProbeCost {
  /** CPU seconds (user + sys) of one ready.sh run, which reads the in-JVM check's verdict. */
  scriptCpuSeconds: number;
  /** How often the kubelet runs it (the pod's readinessProbe.periodSeconds). */
  periodSeconds: number;
  /** CPU of the in-JVM check (its thread and its admin client's network thread) per second of wall time, in millicores. */
  inJvmMillicores: number;
  /** In-JVM checks made over the measuring window, and its length in seconds. */
  inJvmChecks: number;
  windowSeconds: number;
  /** What readiness costs one broker on average: ready.sh per period plus the in-JVM check, in millicores. */
  millicores: number;
}

/**
 * Measures readiness' cost in a broker pod at steady state: times `runs` runs of ready.sh with bash's
 * `time` (children's CPU included), and reads the in-JVM check's own CPU counter (run/ready.state:
 * "<verdict> <epoch> <cpu ms> <checks>") at both ends of a `windowSeconds` window.
 */
export async function readinessProbeCost(e: Env, pod: string, runs = 20, windowSeconds = 30): Promise<ProbeCost> {
  const state = '"$KAFKA_HA_RUN_DIR/ready.state"';
  const script = [
    `read -r v0 _ cpu0 n0 _ < ${state}; t0=$(date +%s%N)`,
    "TIMEFORMAT='%U %S'",
    `{ time (for i in $(seq ${runs}); do bash /opt/kafka-ha/scripts/ready.sh >/dev/null 2>&1 || echo "ready.sh failed"; done); } 2>&1`,
    `sleep ${windowSeconds}`,
    `read -r v1 _ cpu1 n1 _ < ${state}; t1=$(date +%s%N)`,
    'echo "state $v0 $v1 $cpu0 $cpu1 $n0 $n1 $(( (t1 - t0) / 1000000 ))"',
  ].join("; ");
  const out = await execInBroker(e, pod, script, (windowSeconds + 120) * 1000);
  const times = /^([\d.]+) ([\d.]+)$/m.exec(out);
  const st = /^state (\w+) (\w+) (\d+) (\d+) (\d+) (\d+) (\d+)$/m.exec(out);
  if (!times || !st || /ready.sh failed/.test(out)) throw new Error(`could not measure readiness in ${pod}:\n${out}`);
  if (st[1] !== "ok" || st[2] !== "ok") throw new Error(`${pod} was not ready by its in-JVM check while measuring:\n${out}`);
  const pods = await e.kube.core.readNamespacedPod({ name: pod, namespace: NAMESPACE });
  const periodSeconds = pods.spec?.containers.find((c) => c.name === "kafka")?.readinessProbe?.periodSeconds ?? 10;
  const scriptCpuSeconds = (Number(times[1]) + Number(times[2])) / runs;
  const elapsedMs = Number(st[7]);
  const inJvmMillicores = ((Number(st[4]) - Number(st[3])) / elapsedMs) * 1000;
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    scriptCpuSeconds: round(scriptCpuSeconds),
    periodSeconds,
    inJvmMillicores: round(inJvmMillicores),
    inJvmChecks: Number(st[6]) - Number(st[5]),
    windowSeconds: Math.round(elapsedMs / 1000),
    millicores: round((scriptCpuSeconds / periodSeconds) * 1000 + inJvmMillicores),
  };
}

/**
 * A `helm upgrade` of the release that rolls every Kafka pod and changes nothing a client sees:
 * config.log.retention.check.interval.ms set to `value` (pass one that differs on every run). S9 and
 * the bench's rolling restart.
 */
export async function rollWithConfigChange(e: Env, value: string): Promise<void> {
  await upgradeRelease(e, { config: { "log.retention.check.interval.ms": value } });
}

/**
 * `helm upgrade` of the suite's release to this working tree's chart, `values` over the stored ones
 * (`--reuse-values`, or `--reset-then-reuse-values` with `reuse`); the default bound is 2 minutes.
 */
export function upgradeRelease(e: Env, values: Record<string, unknown>, opts: { timeoutMs?: number; reuse?: "reset-then-reuse" } = {}): Promise<string> {
  return helmUpgrade({ release: RELEASE, namespace: NAMESPACE, chartDir: CHART_DIR, kubeconfig: e.kubeconfig, values, ...opts });
}
