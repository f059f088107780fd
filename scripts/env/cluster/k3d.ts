// The project's k3d cluster: one server and three agents labelled with a zone each, local-path
// storage, CoreDNS, host ports 127.0.0.1:31090-31099 published to the same node ports on the server.
//
// Node image: on a machine that reaches a container registry, the upstream k3s image pinned in
// scripts/versions.json (`k3sImage`). Where no registry is reachable (or KAFKA_HA_OFFLINE=1), the
// home-built kafka-ha.local/k8s-node image (scripts/images/node/build.sh): upstream Kubernetes behind a
// k3s-compatible entrypoint, because k3s itself cannot be built here (see scripts/images/node/README.md).
//
// Images reach the nodes as tarballs in one host directory mounted at k3s' air-gap image directory
// (/var/lib/rancher/k3s/agent/images) of every node: each node imports them at start, and nodes
// added later (addAgent) get the same mount because k3d copies the volumes of an existing agent.
import { dockerClient, run, say } from "../../lib/run.js";
import { pinned } from "../../lib/versions.js";
import { mkdirSync, existsSync, rmSync, writeFileSync, readFileSync, statSync, renameSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { toolPath } from "../../lib/tools.js";
import { registryReachable } from "../../lib/registry.js";
import { toolsImage } from "../../images/index.js";
import { REPO_ROOT } from "../../lib/paths.js";
import { waitFor } from "../../lib/wait.js";

export const CLUSTER_NAME = "kafka-ha";
export const ZONES = ["zone-a", "zone-b", "zone-c"] as const;
export type Zone = (typeof ZONES)[number];
export const ZONE_LABEL = "topology.kubernetes.io/zone";
/** Host ports published on 127.0.0.1 to the same NodePorts (per-broker external access). */
export const NODE_PORTS = { first: 31090, last: 31099 } as const;
export const API_PORT = 6550;
export const SERVER_NODE = `k3d-${CLUSTER_NAME}-server-0`;

/** The shape of a k3d cluster the project creates. */
export interface ClusterProfile {
  name: string;
  /** One agent per zone, labelled ZONE_LABEL=<zone>. None: the server node alone runs the pods. */
  zones: readonly string[];
  apiPort: number;
  /** Host ports published on 127.0.0.1 to the same NodePorts. */
  nodePorts: { first: number; last: number };
}
/** The HA test cluster: one server and three agents in zone-a|b|c. */
export const DEFAULT_CLUSTER: ClusterProfile = { name: CLUSTER_NAME, zones: ZONES, apiPort: API_PORT, nodePorts: NODE_PORTS };
/**
 * One node and no zone label, like a laptop or CI cluster (examples/values-dev.yaml). Its own name
 * and ports, so it can run next to the default cluster without touching it.
 */
export const SINGLE_NODE_CLUSTER: ClusterProfile = {
  name: `${CLUSTER_NAME}-single`,
  zones: [],
  apiPort: API_PORT + 1,
  nodePorts: { first: 31190, last: 31199 },
};
const IMAGES_IN_NODE = "/var/lib/rancher/k3s/agent/images";

const cacheDir = process.env.KAFKA_HA_CACHE ?? path.join(os.homedir(), ".cache", "kafka-ha");
/** Image tarballs mounted into every node of every profile (outside the repo, reused by a fresh clone). */
export const imageTarDir = path.join(cacheDir, "cluster-images", CLUSTER_NAME);

/** Project-local kubeconfig (gitignored); the user's ~/.kube/config is never touched. */
export function kubeconfigPath(profile: ClusterProfile = DEFAULT_CLUSTER): string {
  return path.join(REPO_ROOT, ".kube", `${profile.name}.yaml`);
}

/** The docker client (scripts/lib/run.ts). */
const docker = dockerClient;

/** True where the home-built images are used: no registry reachable, or KAFKA_HA_OFFLINE=1. */
export async function offline(): Promise<boolean> {
  return !(await registryReachable());
}

/** The system images (pause, CoreDNS, local-path-provisioner, its helper) a home-built node image deploys. */
export async function systemImagesOf(nodeImageRef: string): Promise<string[]> {
  const label = (
    await run(await docker(), ["image", "inspect", "--format", '{{ index .Config.Labels "kafka-ha.system-images" }}', nodeImageRef], { quiet: true })
  ).trim();
  // A missing label prints "<no value>" (an upstream k3s image carries none).
  return label.split(",").filter((s) => s.length > 0 && s !== "<no value>");
}

/** The node image for k3d: upstream k3s when a registry answers, the home-built one otherwise. */
export async function nodeImage(): Promise<string> {
  if (!(await offline())) {
    return pinned("k3sImage");
  }
  say("no container registry reachable: building the home-built node image (scripts/images/node/build.sh)", "cluster");
  const out = await run("bash", [path.join(REPO_ROOT, "scripts/images/node/build.sh")]);
  return out.trim().split("\n").pop() ?? "";
}

async function k3dEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  // An explicit K3D_IMAGE_TOOLS wins (k3d's own variable); offline, the home-built tools image.
  if (process.env.K3D_IMAGE_TOOLS) env.K3D_IMAGE_TOOLS = process.env.K3D_IMAGE_TOOLS;
  else if (await offline()) env.K3D_IMAGE_TOOLS = await toolsImage();
  return env;
}

async function k3d(args: string[], quiet = false): Promise<string> {
  return run(await toolPath("k3d"), args, { env: await k3dEnv(), quiet });
}

export async function kubectl(args: string[], opts: { input?: string; quiet?: boolean; profile?: ClusterProfile } = {}): Promise<string> {
  return run(await toolPath("kubectl"), ["--kubeconfig", kubeconfigPath(opts.profile), ...args], { input: opts.input, quiet: opts.quiet ?? true });
}

interface K3dNode {
  name: string;
  role: string;
  State: { Running: boolean; Status: string };
}
interface K3dCluster {
  name: string;
  nodes: K3dNode[];
}

export async function clusterNodes(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<K3dNode[]> {
  const out = await k3d(["cluster", "list", "-o", "json"], true);
  const clusters = JSON.parse(out) as K3dCluster[];
  return clusters.find((c) => c.name === profile.name)?.nodes ?? [];
}

/** Writes `ref` as a docker-save tarball into the directory mounted in every node; returns its file name. */
async function saveImageTar(ref: string): Promise<string> {
  const d = await docker();
  const id = (await run(d, ["image", "inspect", "--format", "{{.Id}}", ref], { quiet: true })).trim();
  const file = `${ref.replace(/[^A-Za-z0-9_.-]+/g, "_")}.tar`;
  const target = path.join(imageTarDir, file);
  const stamp = `${target}.id`;
  if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, "utf8") === id) return file;
  mkdirSync(imageTarDir, { recursive: true });
  const tmp = path.join(imageTarDir, `.${file}.tmp`);
  say(`saving ${ref} for the nodes...`, "cluster");
  await run(d, ["save", "-o", tmp, ref]);
  renameSync(tmp, target);
  writeFileSync(stamp, id);
  say(`  ${file}: ${(statSync(target).size / 1e6).toFixed(1)} MB`, "cluster");
  return file;
}

/**
 * Makes images available in every node: saved into the shared tarball directory (so nodes started
 * or added later import them at start) and imported into every running node now.
 */
export async function importImages(refs: string[], profile: ClusterProfile = DEFAULT_CLUSTER): Promise<void> {
  const d = await docker();
  const files: string[] = [];
  for (const ref of refs) files.push(await saveImageTar(ref));
  const running = (await clusterNodes(profile)).filter((n) => (n.role === "server" || n.role === "agent") && n.State.Running);
  await Promise.all(
    running.map(async (n) => {
      const image = (await run(d, ["inspect", "--format", "{{.Config.Image}}", n.name], { quiet: true })).trim();
      if ((await systemImagesOf(image)).length > 0) {
        // The home-built node imports each tarball once (a stamp per file in containerd's volume).
        await run(d, ["exec", n.name, "k3s", "import-images"], { quiet: true });
        return;
      }
      for (const f of files) {
        await run(d, ["exec", n.name, "ctr", "-n", "k8s.io", "images", "import", `${IMAGES_IN_NODE}/${f}`], { quiet: true });
      }
    }),
  );
  say(`imported ${refs.join(", ")} into ${running.length} node(s)`, "cluster");
}

interface NodeList {
  items: {
    metadata: { name: string; labels?: Record<string, string> };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

export async function readyNodes(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<{ name: string; zone: string | undefined }[]> {
  const list = JSON.parse(await kubectl(["get", "nodes", "-o", "json"], { profile })) as NodeList;
  return list.items
    .filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
    .map((n) => ({ name: n.metadata.name, zone: n.metadata.labels?.[ZONE_LABEL] }));
}

/** Polls every 2 s (a single probe may take up to the whole bound: some run their own waits). */
const poll = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> =>
  waitFor(probe, { what, timeoutMs, intervalMs: 2000, probeTimeoutMs: timeoutMs });

async function writeKubeconfig(profile: ClusterProfile): Promise<void> {
  const cfg = await k3d(["kubeconfig", "get", profile.name], true);
  mkdirSync(path.dirname(kubeconfigPath(profile)), { recursive: true });
  writeFileSync(kubeconfigPath(profile), cfg, { mode: 0o600 });
}

/** A pod resolves the API server's Service name through the cluster DNS. */
async function dnsAnswers(image: string, profile: ClusterProfile): Promise<boolean> {
  const name = `kafka-ha-dns-check-${Date.now().toString(36)}`;
  try {
    await kubectl(
      [
        "-n",
        "kube-system",
        "run",
        name,
        "--image",
        image,
        "--image-pull-policy",
        "IfNotPresent",
        "--restart",
        "Never",
        "--command",
        "--",
        "nslookup",
        "kubernetes.default.svc.cluster.local",
      ],
      { profile },
    );
    const phase = await poll("the DNS check pod", 60_000, async () => {
      const p = (await kubectl(["-n", "kube-system", "get", "pod", name, "-o", "jsonpath={.status.phase}"], { profile })).trim();
      return p === "Succeeded" || p === "Failed" ? p : undefined;
    });
    return phase === "Succeeded";
  } finally {
    await kubectl(["-n", "kube-system", "delete", "pod", name, "--wait=false", "--ignore-not-found"], { profile }).catch(() => undefined);
  }
}

export async function waitClusterReady(expectedNodes: number, timeoutMs = 300_000, profile: ClusterProfile = DEFAULT_CLUSTER): Promise<void> {
  await poll(`${expectedNodes} Ready nodes`, timeoutMs, async () => {
    const n = await readyNodes(profile);
    return n.length >= expectedNodes ? n : undefined;
  });
  say(`${expectedNodes} nodes Ready`, "cluster");
  await poll("CoreDNS and local-path-provisioner to be available", timeoutMs, async () => {
    for (const dep of ["coredns", "local-path-provisioner"]) {
      const a = (await kubectl(["-n", "kube-system", "get", "deployment", dep, "-o", "jsonpath={.status.availableReplicas}"], { profile })).trim();
      if (a === "" || a === "0") return undefined;
    }
    return true;
  });
  const dnsImage = await checkImage(profile);
  await poll("cluster DNS to answer", timeoutMs, async () => ((await dnsAnswers(dnsImage, profile)) ? true : undefined));
  say("cluster DNS answers", "cluster");
}

/** A busybox image for checks (shell, nslookup, wget, httpd): upstream busybox when a registry
 * answers, else local-path-provisioner's helper image that the home-built node image carries. */
export async function checkImage(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<string> {
  return (await offline()) ? helperImage(profile) : "busybox:1.36";
}

async function helperImage(profile: ClusterProfile): Promise<string> {
  const server = (await clusterNodes(profile)).find((n) => n.role === "server");
  if (!server) throw new Error(`cluster ${profile.name} has no server node`);
  const img = (await run(await docker(), ["inspect", "--format", "{{.Config.Image}}", server.name], { quiet: true })).trim();
  const helper = (await systemImagesOf(img)).find((r) => r.includes("busybox"));
  if (!helper) throw new Error(`node image ${img} names no busybox helper image in its kafka-ha.system-images label`);
  return helper;
}

/** Creates the cluster, or starts it / returns at once when it already exists. Idempotent. */
export async function clusterUp(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<void> {
  const started = Date.now();
  const { name } = profile;
  await docker();
  const existing = await clusterNodes(profile);
  const expected = 1 + profile.zones.length;
  if (existing.length > 0) {
    const stopped = existing.filter((n) => !n.State.Running);
    if (stopped.length > 0) {
      say(`cluster ${name} exists; starting ${stopped.length} stopped node(s)...`, "cluster");
      await k3d(["cluster", "start", name, "--wait", "--timeout", "300s"]);
    } else {
      say(`cluster ${name} exists and runs`, "cluster");
    }
    await writeKubeconfig(profile);
    await waitClusterReady(existing.filter((n) => n.role === "server" || n.role === "agent").length, undefined, profile);
    await enforceNetworkPolicies(profile);
    say(`cluster ready in ${((Date.now() - started) / 1000).toFixed(0)}s; kubeconfig: ${kubeconfigPath(profile)}`, "cluster");
    return;
  }
  // No nodes, but an interrupted create (Ctrl-C, a killed CI run) can leave the cluster's tools
  // container behind, and k3d then refuses to create "a cluster with that name" that it does not
  // list. Deleting a cluster that does not exist is a no-op.
  await k3d(["cluster", "delete", name], true);
  say("step 1/4: images", "cluster");
  const image = await nodeImage();
  mkdirSync(imageTarDir, { recursive: true });
  if (await offline()) for (const ref of await systemImagesOf(image)) await saveImageTar(ref);
  say(
    `step 2/4: k3d cluster create ${name} (image ${image}, ${profile.zones.length ? `agents in ${profile.zones.join(", ")}` : "one node, no zone label"})`,
    "cluster",
  );
  const { first, last } = profile.nodePorts;
  const args = [
    "cluster",
    "create",
    name,
    "--image",
    image,
    "--servers",
    "1",
    "--agents",
    String(profile.zones.length),
    "--no-lb",
    "--api-port",
    `127.0.0.1:${profile.apiPort}`,
    "--port",
    `127.0.0.1:${first}-${last}:${first}-${last}@server:0:direct`,
    "--volume",
    `${imageTarDir}:${IMAGES_IN_NODE}@all`,
    "--k3s-arg",
    "--disable=traefik@server:0",
    "--k3s-arg",
    "--disable=metrics-server@server:0",
    "--k3s-arg",
    "--disable=servicelb@server:0",
    "--kubeconfig-update-default=false",
    "--kubeconfig-switch-context=false",
    "--wait",
    "--timeout",
    "300s",
  ];
  profile.zones.forEach((z, i) => args.push("--k3s-node-label", `${ZONE_LABEL}=${z}@agent:${i}`));
  await k3d(args);
  say("step 3/4: kubeconfig", "cluster");
  await writeKubeconfig(profile);
  say("step 4/4: waiting for nodes and DNS; NetworkPolicy enforcement", "cluster");
  await waitClusterReady(expected, undefined, profile);
  await enforceNetworkPolicies(profile);
  say(`cluster ${name} up in ${((Date.now() - started) / 1000).toFixed(0)}s; kubeconfig: ${kubeconfigPath(profile)}`, "cluster");
}

/** The nodes are not k3s and have no NetworkPolicy controller of their own: scripts/env/cluster/network-policies.ts. */
async function enforceNetworkPolicies(profile: ClusterProfile): Promise<void> {
  const { installNetworkPolicies } = await import("./network-policies.js");
  await installNetworkPolicies(profile);
}

/** Removes the cluster with its containers, volumes and network, and the project kubeconfig. */
export async function clusterDown(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<void> {
  const nodes = await clusterNodes(profile);
  if (nodes.length === 0) say(`no cluster ${profile.name}`, "cluster");
  // Also when k3d lists no nodes: it removes what an interrupted create left (see clusterUp).
  await k3d(["cluster", "delete", profile.name], nodes.length === 0);
  rmSync(kubeconfigPath(profile), { force: true });
  say(`cluster ${profile.name} removed`, "cluster");
}

/** Adds an agent labelled with `zone`; returns its node name once it is Ready. */
export async function addAgent(zone: Zone | string, timeoutMs = 240_000): Promise<string> {
  const nodes = await clusterNodes();
  if (nodes.length === 0) throw new Error(`cluster ${CLUSTER_NAME} does not exist: run npm run cluster:up`);
  const server = nodes.find((n) => n.role === "server");
  const image = server ? (await run(await docker(), ["inspect", "--format", "{{.Config.Image}}", server.name], { quiet: true })).trim() : await nodeImage();
  let i = 0;
  while (nodes.some((n) => n.name === `k3d-${CLUSTER_NAME}-agent-${zone}-${i}-0`)) i++;
  const short = `${CLUSTER_NAME}-agent-${zone}-${i}`;
  await k3d([
    "node",
    "create",
    short,
    "--cluster",
    CLUSTER_NAME,
    "--role",
    "agent",
    "--image",
    image,
    "--k3s-node-label",
    `${ZONE_LABEL}=${zone}`,
    "--wait",
    "--timeout",
    `${Math.round(timeoutMs / 1000)}s`,
  ]);
  const name = `k3d-${short}-0`;
  await poll(`node ${name} Ready`, timeoutMs, async () => ((await readyNodes()).some((n) => n.name === name) ? true : undefined));
  say(`agent ${name} (${zone}) Ready`, "cluster");
  return name;
}

/** Deletes a node's container (and its volumes) and its Kubernetes Node object. */
export async function deleteNode(name: string): Promise<void> {
  await k3d(["node", "delete", name]);
  await kubectl(["delete", "node", name, "--ignore-not-found", "--wait=false"]);
}

/** Graceful stop (SIGTERM, then SIGKILL after Docker's timeout). */
export async function stopNode(name: string): Promise<void> {
  await run(await docker(), ["stop", name], { quiet: true });
}

/** Hard kill: no graceful shutdown, like a machine losing power. */
export async function killNode(name: string): Promise<void> {
  await run(await docker(), ["kill", name], { quiet: true });
}

export async function startNode(name: string): Promise<void> {
  await k3d(["node", "start", name]);
}

/** Runs a bash script inside a node container (its network namespace: iptables, ip, ss); returns stdout. */
export async function nodeExec(name: string, script: string): Promise<string> {
  return run(await docker(), ["exec", name, "bash", "-c", script], { quiet: true });
}

/** How often Docker restarted a node's container and when it last started (a node crash shows here). */
export async function nodeContainer(name: string): Promise<{ restartCount: number; startedAt: string }> {
  const [count, startedAt] = (await run(await docker(), ["inspect", "-f", "{{.RestartCount}} {{.State.StartedAt}}", name], { quiet: true })).trim().split(" ");
  return { restartCount: Number(count), startedAt: startedAt ?? "" };
}
