// npm run cluster:<command> entry point: thin wrapper over scripts/env/cluster/k3d.ts.
//   up | down | add-agent <zone> | delete-node <name> | stop-node <name> | kill-node <name>
//   | start-node <name> | import-images <ref>... | kubeconfig | cert-manager <install|uninstall|check>
// --single-node (with up, down, import-images, kubeconfig, cert-manager): the one-node cluster kafka-ha-single
// with no zone label (examples/values-dev.yaml), next to the default 3-zone cluster.
import {
  DEFAULT_CLUSTER,
  SINGLE_NODE_CLUSTER,
  addAgent,
  clusterDown,
  clusterUp,
  deleteNode,
  importImages,
  killNode,
  kubeconfigPath,
  startNode,
  stopNode,
} from "./k3d.js";
import { checkCertManager, installCertManager, uninstallCertManager } from "./cert-manager.js";

const usage =
  "usage: cluster <up|down|add-agent ZONE|delete-node NAME|stop-node NAME|kill-node NAME|start-node NAME|import-images REF...|kubeconfig|cert-manager install|uninstall|check> [--single-node]";
const PROFILE_COMMANDS = ["up", "down", "import-images", "kubeconfig", "cert-manager"];

async function main(argv: string[]): Promise<void> {
  const single = argv.includes("--single-node");
  const [cmd, ...rest] = argv.filter((a) => a !== "--single-node");
  if (single && !PROFILE_COMMANDS.includes(cmd ?? "")) throw new Error(`--single-node goes with ${PROFILE_COMMANDS.join(", ")} only\n${usage}`);
  const profile = single ? SINGLE_NODE_CLUSTER : DEFAULT_CLUSTER;
  const one = (): string => {
    const [arg] = rest;
    if (rest.length !== 1 || arg === undefined) throw new Error(`${cmd} takes exactly one argument\n${usage}`);
    return arg;
  };
  switch (cmd) {
    case "up":
      return clusterUp(profile);
    case "down":
      return clusterDown(profile);
    case "add-agent":
      console.log(await addAgent(one()));
      return;
    case "delete-node":
      return deleteNode(one());
    case "stop-node":
      return stopNode(one());
    case "kill-node":
      return killNode(one());
    case "start-node":
      return startNode(one());
    case "import-images":
      if (rest.length === 0) throw new Error(`import-images needs at least one image ref\n${usage}`);
      return importImages(rest, profile);
    case "kubeconfig":
      console.log(kubeconfigPath(profile));
      return;
    case "cert-manager": {
      const action = one();
      if (action === "install") return installCertManager(profile);
      if (action === "uninstall") return uninstallCertManager(profile);
      if (action === "check") return checkCertManager(profile);
      throw new Error(`cert-manager takes install, uninstall or check, not '${action}'\n${usage}`);
    }
    default:
      throw new Error(usage);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`[kafka-ha] cluster: ERROR: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
