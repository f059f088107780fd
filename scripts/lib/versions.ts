// scripts/versions.json, the project's pinned versions (Kafka's is Chart.yaml's appVersion), read by
// the TypeScript here only. Shell scripts ask `scripts/tools.sh version <tool>`; the image and node
// builds read it in scripts/images/lib.sh and scripts/images/node/, whose content keys their caches.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const VERSIONS_FILE = fileURLToPath(new URL("../versions.json", import.meta.url));

/** A pinned version by its key in scripts/versions.json; throws naming the key when there is none. */
export function pinned(key: string): string {
  const value = (JSON.parse(readFileSync(VERSIONS_FILE, "utf8")) as Record<string, unknown>)[key];
  if (typeof value !== "string") throw new Error(`scripts/versions.json has no ${key}`);
  return value;
}
