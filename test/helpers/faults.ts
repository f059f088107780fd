// Fault drivers for the HA scenarios. Kubernetes-side faults go through @kubernetes/client-node
// (the drain uses the Eviction API, so the PodDisruptionBudget is really consulted); node-level
// faults (delete, kill, add) go through the k3d cluster module; `helm upgrade` through the pinned helm.
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, PatchStrategy, type V1Pod, setHeaderOptions } from "@kubernetes/client-node";
import { helm, withValuesFile } from "../../scripts/lib/helm.js";
import { sleep, waitFor } from "../../scripts/lib/wait.js";

export interface Kube {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
}

export function kubeFrom(kubeconfig: string): Kube {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), batch: kc.makeApiClient(BatchV1Api) };
}

/** HTTP status of a client-node error (ApiException.code), or undefined. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

const messageOf = (err: unknown): string => {
  const body = (err as { body?: unknown } | null)?.body;
  if (typeof body === "string") {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body;
    }
  }
  if (body && typeof body === "object" && "message" in body) return String((body as { message: unknown }).message);
  return err instanceof Error ? err.message : String(err);
};

// ---- pods ----

export async function deletePod(k: Kube, namespace: string, name: string, gracePeriodSeconds?: number): Promise<string> {
  const pod = await k.core.readNamespacedPod({ name, namespace });
  await k.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds });
  return pod.metadata?.uid ?? "";
}

/**
 * A pod's disk lost: its claim goes (deletion waits for the pod), then the pod, so the StatefulSet
 * recreates both and the pod starts on an empty volume under the same name and node id.
 */
export async function wipeVolume(k: Kube, namespace: string, pod: string, claim: string): Promise<void> {
  await k.core.deleteNamespacedPersistentVolumeClaim({ name: claim, namespace, body: { propagationPolicy: "Background" } });
  await k.core.deleteNamespacedPod({ name: pod, namespace, gracePeriodSeconds: 0 }).catch((err: unknown) => {
    if (statusOf(err) !== 404) throw err;
  });
}

/**
 * A pod kept down: its node cordoned, the pod deleted (killed by default; `gracePeriodSeconds`
 * undefined gives it the pod's own grace period, a clean shutdown); its local volume keeps it
 * Pending until uncordon.
 */
export async function keepDown(
  k: Kube,
  namespace: string,
  pod: string,
  node: string,
  opts: { gracePeriodSeconds?: number } = { gracePeriodSeconds: 0 },
): Promise<void> {
  await cordon(k, node);
  await k.core.deleteNamespacedPod({ name: pod, namespace, gracePeriodSeconds: opts.gracePeriodSeconds });
}

// ---- cordon / drain ----

async function setUnschedulable(k: Kube, node: string, unschedulable: boolean): Promise<void> {
  await k.core.patchNode({ name: node, body: { spec: { unschedulable } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
}

export const cordon = (k: Kube, node: string): Promise<void> => setUnschedulable(k, node, true);
export const uncordon = (k: Kube, node: string): Promise<void> => setUnschedulable(k, node, false);

export interface EvictionOutcome {
  pod: string;
  namespace: string;
  /** evicted: the API accepted the eviction; refused-by-pdb: 429 from the disruption budget. */
  result: "evicted" | "refused-by-pdb" | "gone" | "error";
  message: string;
}

/** One eviction through the Eviction API (policy/v1). A 429 is the PodDisruptionBudget saying no. */
export async function evict(k: Kube, namespace: string, name: string): Promise<EvictionOutcome> {
  try {
    await k.core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } } });
    return { pod: name, namespace, result: "evicted", message: "eviction accepted" };
  } catch (err) {
    const status = statusOf(err);
    if (status === 429) return { pod: name, namespace, result: "refused-by-pdb", message: messageOf(err) };
    if (status === 404) return { pod: name, namespace, result: "gone", message: "pod already gone" };
    return { pod: name, namespace, result: "error", message: `HTTP ${status ?? "?"}: ${messageOf(err)}` };
  }
}

const isDaemonSetPod = (p: V1Pod): boolean => (p.metadata?.ownerReferences ?? []).some((o) => o.kind === "DaemonSet");
const isMirrorPod = (p: V1Pod): boolean => Boolean(p.metadata?.annotations?.["kubernetes.io/config.mirror"]);
const isFinished = (p: V1Pod): boolean => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

export interface DrainResult {
  node: string;
  /** Every evictable pod left the node within the bound. */
  completed: boolean;
  evicted: string[];
  /** Pods whose eviction the PodDisruptionBudget refused (HTTP 429) and that are still on the node. */
  refusedByPdb: EvictionOutcome[];
  errors: EvictionOutcome[];
  ms: number;
}

/**
 * `kubectl drain` done by hand: cordon, then evict every pod on the node (DaemonSet and mirror pods
 * excepted) through the Eviction API, retrying refused evictions every `retryMs` like kubectl does,
 * until all are gone or `timeoutMs` passes. The node stays cordoned either way.
 */
export async function drain(k: Kube, node: string, opts: { timeoutMs: number; retryMs?: number }): Promise<DrainResult> {
  const started = Date.now();
  await cordon(k, node);
  const evictedUids = new Set<string>();
  const evicted: string[] = [];
  const lastRefusal = new Map<string, EvictionOutcome>();
  const errors: EvictionOutcome[] = [];
  for (;;) {
    const list = await k.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
    const remaining = list.items.filter((p) => !isDaemonSetPod(p) && !isMirrorPod(p) && !isFinished(p));
    if (remaining.length === 0) return { node, completed: true, evicted, refusedByPdb: [], errors, ms: Date.now() - started };
    for (const p of remaining) {
      const uid = p.metadata?.uid ?? "";
      if (evictedUids.has(uid)) continue; // accepted already: waiting for it to terminate
      const ns = p.metadata?.namespace ?? "default";
      const name = p.metadata?.name ?? "";
      const out = await evict(k, ns, name);
      const key = `${ns}/${name}`;
      if (out.result === "evicted" || out.result === "gone") {
        evictedUids.add(uid);
        evicted.push(key);
        lastRefusal.delete(key);
      } else if (out.result === "refused-by-pdb") {
        lastRefusal.set(key, out);
      } else {
        errors.push(out);
      }
    }
    if (Date.now() - started >= opts.timeoutMs) {
      const still = new Set(remaining.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      const refusedByPdb = [...lastRefusal.entries()].filter(([key]) => still.has(key)).map(([, o]) => o);
      return { node, completed: false, evicted, refusedByPdb, errors, ms: Date.now() - started };
    }
    await sleep(opts.retryMs ?? 5000);
  }
}

// ---- nodes (through the k3d cluster module) ----

/** The part of scripts/env/cluster/k3d.ts (issue 3b) the faults need. Node names are k3d container names. */
export interface ClusterNodes {
  addAgent(zone: string): Promise<string>;
  deleteNode(name: string): Promise<void>;
  killNode(name: string): Promise<void>;
  startNode(name: string): Promise<void>;
  /** A bash script inside the node's container (its network namespace); returns stdout. */
  nodeExec(name: string, script: string): Promise<string>;
}

/** Deletes a node for good: its container (and so its local volumes) and its Node object. */
export async function deleteNode(k: Kube, cluster: ClusterNodes, name: string): Promise<void> {
  await cluster.deleteNode(name);
  try {
    await k.core.deleteNode({ name });
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  await waitFor(
    async () => {
      try {
        await k.core.readNode({ name });
        return false;
      } catch (err) {
        return statusOf(err) === 404;
      }
    },
    { what: `Node ${name} to be gone`, timeoutMs: 120000, intervalMs: 2000 },
  );
}

/** Adds an agent in `zone` and waits until Kubernetes reports it Ready. Returns its name. */
export async function addNode(k: Kube, cluster: ClusterNodes, zone: string): Promise<string> {
  const name = await cluster.addAgent(zone);
  await waitFor(
    async () => {
      const node = await k.core.readNode({ name });
      return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
    },
    { what: `new node ${name} in ${zone} to be Ready`, timeoutMs: 300000, intervalMs: 2000 },
  );
  return name;
}

/** Kills a node's container without warning (SIGKILL: no graceful shutdown of anything on it). */
export const killNode = (cluster: ClusterNodes, name: string): Promise<void> => cluster.killNode(name);

// ---- network partition ----

/** The chain that holds a partition's rules inside the node's network namespace. */
const PARTITION_CHAIN = "KAFKA-HA-PARTITION";
const MANGLE = "iptables -t mangle";
/** Every packet a node receives passes PREROUTING, every packet it sends or forwards POSTROUTING. */
const PARTITION_HOOKS = ["PREROUTING", "POSTROUTING"];

/** The addresses a node is reached by: its InternalIP and its podCIDR (pods' traffic is routed, not masqueraded). */
export async function nodeAddresses(k: Kube, name: string): Promise<string[]> {
  const n = await k.core.readNode({ name });
  const ip = n.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
  return [ip, n.spec?.podCIDR].filter((a): a is string => Boolean(a));
}

/**
 * Cuts `node` from `peers` (addresses or CIDRs of the other nodes and their pods) with packet filters
 * inside the node's own network namespace: every packet from a peer is dropped in PREROUTING and
 * every packet to one in POSTROUTING (after Service DNAT, so Service traffic to a peer's pods is cut
 * too), for the node's processes and its pods alike, established connections included; routes,
 * addresses, loopback and traffic among the node's own pods stay.
 * The rules live in the mangle table: the NetworkPolicy controller (kube-router) rewrites the whole
 * filter table on each sync from a copy it saved moments before (iptables-save, then
 * iptables-restore), which drops a rule added in between. kube-router, kube-proxy and the pod
 * network leave mangle alone.
 * `healPartition` removes it; a partition left behind by a failed run is replaced, not doubled.
 */
export async function partitionNode(cluster: ClusterNodes, node: string, peers: string[]): Promise<void> {
  if (peers.length === 0) throw new Error(`partition of ${node}: no peers to cut it from`);
  const rules = peers.flatMap((p) => [`${MANGLE} -A ${PARTITION_CHAIN} -s ${p} -j DROP`, `${MANGLE} -A ${PARTITION_CHAIN} -d ${p} -j DROP`]);
  await cluster.nodeExec(
    node,
    [
      "set -e",
      `${MANGLE} -N ${PARTITION_CHAIN} 2>/dev/null || ${MANGLE} -F ${PARTITION_CHAIN}`,
      ...rules,
      ...PARTITION_HOOKS.map((c) => `${MANGLE} -C ${c} -j ${PARTITION_CHAIN} 2>/dev/null || ${MANGLE} -I ${c} 1 -j ${PARTITION_CHAIN}`),
    ].join("\n"),
  );
}

/** Removes the partition of `node` (idempotent). */
export async function healPartition(cluster: ClusterNodes, node: string): Promise<void> {
  await cluster.nodeExec(
    node,
    [
      ...PARTITION_HOOKS.map((c) => `while ${MANGLE} -D ${c} -j ${PARTITION_CHAIN} 2>/dev/null; do :; done`),
      `${MANGLE} -F ${PARTITION_CHAIN} 2>/dev/null || true`,
      `${MANGLE} -X ${PARTITION_CHAIN} 2>/dev/null || true`,
    ].join("\n"),
  );
}

// ---- helm ----

export interface HelmUpgrade {
  release: string;
  namespace: string;
  chartDir: string;
  /** Values merged over the release's current values, passed through a file. */
  values: Record<string, unknown>;
  kubeconfig: string;
  timeoutMs?: number;
  /**
   * reuse (default): --reuse-values, for a values change on the same chart. reset-then-reuse: the
   * new chart's defaults under the release's values, what README "Upgrade" asks for a new chart
   * version (--reuse-values would keep the old chart's defaults, without the new sections).
   */
  reuse?: "reuse" | "reset-then-reuse";
}

/** `helm upgrade --reuse-values -f <file>`, without --wait: the scenario watches the rollout itself. */
export async function helmUpgrade(u: HelmUpgrade): Promise<string> {
  const reuse = u.reuse === "reset-then-reuse" ? "--reset-then-reuse-values" : "--reuse-values";
  return withValuesFile(u.values, (file) =>
    helm(["upgrade", u.release, u.chartDir, "--namespace", u.namespace, reuse, "-f", file], {
      kubeconfig: u.kubeconfig,
      timeoutMs: u.timeoutMs ?? 120000,
    }),
  );
}
