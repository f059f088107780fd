// `npm run down`: undoes `npm run up`: uninstalls the release, deletes its namespace (and so the
// brokers' volumes) and deletes the k3d cluster.
import { say } from "../lib/run.js";
import { existsSync } from "node:fs";
import { clusterDown, clusterNodes, kubeconfigPath } from "./cluster/k3d.js";
import { uninstallChart } from "./release.js";

async function main(): Promise<void> {
  if ((await clusterNodes()).length > 0 && existsSync(kubeconfigPath())) {
    await uninstallChart(kubeconfigPath()).catch((err: unknown) => say(`helm uninstall failed (the cluster goes anyway): ${String(err)}`));
  }
  await clusterDown();
  say("down: release and cluster removed");
}

main().catch((err: unknown) => {
  say(`down failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
