// npm run cluster:<command> entry point: thin wrapper over scripts/cluster/k3d.ts.
//   up | down | add-agent <zone> | delete-node <name> | stop-node <name> | kill-node <name>
//   | start-node <name> | import-images <ref>... | kubeconfig
import { addAgent, clusterDown, clusterUp, deleteNode, importImages, killNode, kubeconfigPath, startNode, stopNode } from "./k3d.js";

const usage = "usage: cluster <up|down|add-agent ZONE|delete-node NAME|stop-node NAME|kill-node NAME|start-node NAME|import-images REF...|kubeconfig>";

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  const one = (): string => {
    const [arg] = rest;
    if (rest.length !== 1 || arg === undefined) throw new Error(`${cmd} takes exactly one argument\n${usage}`);
    return arg;
  };
  switch (cmd) {
    case "up": return clusterUp();
    case "down": return clusterDown();
    case "add-agent": console.log(await addAgent(one())); return;
    case "delete-node": return deleteNode(one());
    case "stop-node": return stopNode(one());
    case "kill-node": return killNode(one());
    case "start-node": return startNode(one());
    case "import-images":
      if (rest.length === 0) throw new Error(`import-images needs at least one image ref\n${usage}`);
      return importImages(rest);
    case "kubeconfig": console.log(kubeconfigPath()); return;
    default: throw new Error(usage);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`[kafka-ha] cluster: ERROR: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
