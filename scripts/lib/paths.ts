// The repository's root, computed in this one place; the chart lives there (`helm install kafka-ha ./`).
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
