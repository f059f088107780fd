// NetworkPolicy enforcement for the local cluster. Its nodes run upstream Kubernetes behind k3d
// (scripts/images/node/README.md), not k3s, so there is no embedded policy controller: without one,
// the chart's NetworkPolicy would be an object nobody acts on, and T2 could not prove it. This runs
// what k3s embeds, kube-router's NetworkPolicy controller (image: scripts/images/kube-router/
// build.sh), as a DaemonSet on every node: firewall only, no routing and no service proxy (the
// nodes' pod routes and kube-proxy stay as they are). It shares the nodes' iptables lock.
import path from "node:path";
import { run, say } from "../../lib/run.js";
import { pinned } from "../../lib/versions.js";
import { DEFAULT_CLUSTER, type ClusterProfile, importImages, kubectl, offline } from "./k3d.js";
import { REPO_ROOT } from "../../lib/paths.js";

const NAME = "kube-router";
const scope = "network-policies";

async function image(): Promise<string> {
  const ver = pinned("kubeRouter");
  if (!(await offline())) return `docker.io/cloudnativelabs/kube-router:${ver}`;
  const out = await run("bash", [path.join(REPO_ROOT, "scripts/images/kube-router/build.sh")]);
  const ref = out.trim().split("\n").pop() ?? "";
  if (!ref.includes(":")) throw new Error(`scripts/images/kube-router/build.sh printed '${ref}', not an image ref`);
  return ref;
}

function manifest(ref: string): string {
  const objects = [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: NAME },
      rules: [
        { apiGroups: [""], resources: ["namespaces", "pods", "services", "nodes", "endpoints"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: NAME },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NAME },
      subjects: [{ kind: "ServiceAccount", name: NAME, namespace: "kube-system" }],
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: NAME, namespace: "kube-system" } },
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: NAME, namespace: "kube-system", labels: { app: NAME } },
      spec: {
        selector: { matchLabels: { app: NAME } },
        template: {
          metadata: { labels: { app: NAME } },
          spec: {
            hostNetwork: true,
            dnsPolicy: "ClusterFirst",
            tolerations: [{ operator: "Exists" }],
            serviceAccountName: NAME,
            containers: [
              {
                name: NAME,
                image: ref,
                imagePullPolicy: "IfNotPresent",
                args: ["--run-firewall=true", "--run-router=false", "--run-service-proxy=false", "--hostname-override=$(NODE_NAME)", "--health-port=0"],
                env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
                resources: { requests: { cpu: "20m", memory: "60Mi" } },
                securityContext: { privileged: true },
                volumeMounts: [
                  { name: "lib-modules", mountPath: "/lib/modules", readOnly: true },
                  { name: "xtables-lock", mountPath: "/run/xtables.lock" },
                ],
              },
            ],
            volumes: [
              { name: "lib-modules", hostPath: { path: "/lib/modules" } },
              { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
            ],
          },
        },
      },
    },
  ];
  return objects.map((o) => JSON.stringify(o)).join("\n---\n");
}

/** Builds and imports the image (offline), applies the DaemonSet and waits until it runs on every node. Idempotent. */
export async function installNetworkPolicies(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<void> {
  const started = Date.now();
  const ref = await image();
  if (await offline()) await importImages([ref], profile);
  await kubectl(["apply", "-f", "-"], { input: manifest(ref), profile });
  await kubectl(["-n", "kube-system", "rollout", "status", `daemonset/${NAME}`, "--timeout=180s"], { profile });
  say(`NetworkPolicy enforcement (${NAME} ${pinned("kubeRouter")}, firewall only) runs on every node (${((Date.now() - started) / 1000).toFixed(0)}s)`, scope);
}
