// Is a container registry reachable from this machine? Decides between upstream images
// (apache/kafka, rancher/k3s, ...) and the ones scripts/images builds from package registries.
//   KAFKA_HA_OFFLINE=1  never reachable (also on a connected machine: forces the local builds)
//   KAFKA_HA_OFFLINE=0  always reachable (skip the probe)
//   otherwise           one HTTPS request to Docker Hub's registry API, answered within a few
//                       seconds (any HTTP status, typically 401, means reachable); cached per process.
import https from "node:https";

export const DEFAULT_REGISTRY_PROBE = "https://registry-1.docker.io/v2/";

let cached: Promise<boolean> | undefined;

export function offlineForced(): boolean {
  return process.env["KAFKA_HA_OFFLINE"] === "1";
}

/** Resolves true when `url` answers over HTTPS within `timeoutMs` (any status code). */
export function probe(url: string, timeoutMs = 4000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.request(url, { method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

export function registryReachable(): Promise<boolean> {
  if (offlineForced()) return Promise.resolve(false);
  if (process.env["KAFKA_HA_OFFLINE"] === "0") return Promise.resolve(true);
  cached ??= probe(process.env["KAFKA_HA_REGISTRY_PROBE"] ?? DEFAULT_REGISTRY_PROBE);
  return cached;
}
