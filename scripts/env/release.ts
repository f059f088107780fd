// The kafka-ha release as `npm run up` and the e2e suite install it: the chart from the working tree,
// the Kafka image the project provides, per-broker external access on 127.0.0.1 (k3d publishes
// 127.0.0.1:31090-31099 to the same node ports). Also the bounded waits on it.
import { say } from "../lib/run.js";
import { type HelmTool, helm, withValuesFile } from "../lib/helm.js";
import { join } from "node:path";
import type { CoreV1Api, V1Pod } from "@kubernetes/client-node";
import { NODE_PORTS } from "./cluster/k3d.js";
import { kafkaImage, metricsAgentImage } from "../images/index.js";
import { REPO_ROOT } from "../lib/paths.js";
import { waitFor } from "../lib/wait.js";

export const RELEASE = "kafka-ha";
export const NAMESPACE = "kafka";
export const CHART_DIR = REPO_ROOT;
export const BROKERS = 3;
export const EXTERNAL_HOST = "127.0.0.1";
/** Broker N's external port: the first of the node ports the k3d cluster publishes, plus N. */
export const EXTERNAL_BASE_PORT: number = NODE_PORTS.first;
export const brokerAddress = (ordinal: number): string => `${EXTERNAL_HOST}:${EXTERNAL_BASE_PORT + ordinal}`;
/**
 * Every broker's external address: each NodePort reaches one broker only, so a client that listed
 * 127.0.0.1:31090 alone could not even bootstrap while broker 0 is down (S3, S6, S8).
 */
export const BOOTSTRAP = Array.from({ length: BROKERS }, (_, i) => brokerAddress(i));
export const BROKER_SELECTOR = `app.kubernetes.io/name=kafka-ha,app.kubernetes.io/instance=${RELEASE}`;

export interface ImageRef {
  repository: string;
  tag: string;
}

/** Splits `repo[:port]/name:tag`. */
export function splitImage(ref: string): ImageRef {
  const at = ref.lastIndexOf(":");
  if (at <= ref.lastIndexOf("/")) return { repository: ref, tag: "latest" };
  return { repository: ref.slice(0, at), tag: ref.slice(at + 1) };
}

/** The Kafka image reference to install: kafkaImage() of scripts/images (upstream, or built locally). */
export const kafkaImageRef = (): Promise<string> => kafkaImage();
/** The JMX exporter agent's init image (always built here: no public image carries the jar). */
export const metricsImageRef = (): Promise<string> => metricsAgentImage();

/**
 * Values layered over the chart defaults (or an overlay) for a local k3d install; with `metricsImage`
 * (the JMX exporter agent's init image, scripts/images/jmx-exporter) the metrics are on too.
 */
export function localValues(image: ImageRef, nodePortBase = EXTERNAL_BASE_PORT, metricsImage?: ImageRef): Record<string, unknown> {
  return {
    image: { repository: image.repository, tag: image.tag, pullPolicy: "IfNotPresent" },
    externalAccess: { enabled: true, advertisedHost: EXTERNAL_HOST, nodePortBase },
    ...(metricsImage ? { metrics: { enabled: true, image: { repository: metricsImage.repository, tag: metricsImage.tag, pullPolicy: "IfNotPresent" } } } : {}),
  };
}

export type { HelmTool };

/** helm against the cluster of `kubeconfig`. */
const helmOn = (kubeconfig: string, args: string[], timeoutMs: number, tool: HelmTool = "helm"): Promise<string> => helm(args, { kubeconfig, timeoutMs, tool });

/**
 * `helm upgrade --install` of the working-tree chart (or `chart`, e.g. a packaged older version); values go through a file, layered over
 * `valueFiles` (relative to the chart, e.g. examples/values-production.yaml) as a user's
 * `-f overlay -f my.yaml` would, and replace the release's previous values (no --reuse-values).
 * Does not wait.
 */
export async function installChart(
  kubeconfig: string,
  values: Record<string, unknown>,
  opts: { timeoutMs?: number; valueFiles?: string[]; tool?: HelmTool; chart?: string } = {},
): Promise<void> {
  const layers = (opts.valueFiles ?? []).flatMap((f) => ["-f", join(CHART_DIR, f)]);
  const chart = opts.chart ?? CHART_DIR;
  say(
    `${opts.tool ?? "helm"} upgrade --install ${RELEASE} (chart ${chart}${opts.valueFiles?.length ? `, -f ${opts.valueFiles.join(" -f ")}` : ""}) into namespace ${NAMESPACE}`,
  );
  await withValuesFile(values, (file) =>
    helmOn(
      kubeconfig,
      ["upgrade", "--install", RELEASE, chart, "--namespace", NAMESPACE, "--create-namespace", ...layers, "-f", file],
      opts.timeoutMs ?? 120000,
      opts.tool,
    ),
  );
}

/** The installed release's NOTES.txt, as `helm install` printed it. */
export async function releaseNotes(kubeconfig: string): Promise<string> {
  return helmOn(kubeconfig, ["get", "notes", RELEASE, "--namespace", NAMESPACE], 60000);
}

/** `helm test` of the release (the chart's produce/consume pod): its output, logs included. Throws when it fails. */
export async function helmTest(kubeconfig: string): Promise<string> {
  return helmOn(kubeconfig, ["test", RELEASE, "--namespace", NAMESPACE, "--logs", "--timeout", "5m"], 360000);
}

export async function releaseExists(kubeconfig: string): Promise<boolean> {
  const out = await helmOn(kubeconfig, ["list", "--namespace", NAMESPACE, "--filter", `^${RELEASE}$`, "--short"], 60000);
  return out.split("\n").some((l) => l.trim() === RELEASE);
}

/** `wait`: until every resource is gone (the default; a caller that deletes the pods itself passes false). */
export async function uninstallChart(kubeconfig: string, opts: { wait?: boolean } = {}): Promise<void> {
  if (await releaseExists(kubeconfig)) {
    say(`helm uninstall ${RELEASE}`);
    const wait = opts.wait === false ? [] : ["--wait", "--timeout", "3m"];
    await helmOn(kubeconfig, ["uninstall", RELEASE, "--namespace", NAMESPACE, ...wait], 240000);
  }
}

export interface BrokerPod {
  name: string;
  ordinal: number;
  uid: string;
  node: string;
  phase: string;
  ready: boolean;
  /** When the pod last became Ready (Kubernetes keeps it to the second); undefined when not Ready. */
  readySince?: number;
  pvc: string;
}

const readyCondition = (p: V1Pod) => (p.status?.conditions ?? []).find((c) => c.type === "Ready" && c.status === "True");
const podReady = (p: V1Pod): boolean => readyCondition(p) !== undefined;

export async function brokerPods(core: CoreV1Api): Promise<BrokerPod[]> {
  const list = await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: BROKER_SELECTOR });
  return list.items
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => {
      const name = p.metadata?.name ?? "";
      const claim = (p.spec?.volumes ?? []).find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName ?? "";
      const readyAt = readyCondition(p)?.lastTransitionTime;
      return {
        name,
        ordinal: Number(/-(\d+)$/.exec(name)?.[1] ?? -1),
        uid: p.metadata?.uid ?? "",
        node: p.spec?.nodeName ?? "",
        phase: p.status?.phase ?? "",
        ready: podReady(p),
        readySince: readyAt ? new Date(readyAt).getTime() : undefined,
        pvc: claim,
      };
    })
    .sort((a, b) => a.ordinal - b.ordinal);
}

/** Polls until `count` broker pods are Ready; prints who is still waiting. */
export async function waitBrokersReady(core: CoreV1Api, opts: { count?: number; timeoutMs: number; intervalMs?: number }): Promise<BrokerPod[]> {
  const count = opts.count ?? BROKERS;
  let said = "";
  return waitFor(
    async () => {
      const pods = await brokerPods(core);
      if (pods.filter((p) => p.ready).length >= count) return pods;
      const state = pods.map((p) => `${p.name}:${p.ready ? "Ready" : p.phase || "Unknown"}`).join(" ") || "no broker pods yet";
      if (state !== said) say(`waiting for ${count} Ready brokers: ${state}`);
      said = state;
      throw new Error(state);
    },
    { what: `${count} Ready brokers`, timeoutMs: opts.timeoutMs, intervalMs: opts.intervalMs ?? 2000, probeTimeoutMs: 60000 },
  );
}
