// The pinned command-line tools (helm, helm3, k3d, kubectl, promtool) for TypeScript code.
// scripts/tools.sh does the work (PATH check, build into the cache on a miss); this module calls it
// once per tool per process and remembers the answer.
import { fileURLToPath } from "node:url";
import path from "node:path";
import { execa, ExecaError } from "execa";

export type ToolName = "helm" | "helm3" | "k3d" | "kubectl" | "promtool";

const toolsScript = fileURLToPath(new URL("../tools.sh", import.meta.url));
const known = new Map<ToolName, Promise<string>>();

async function resolveTool(name: ToolName): Promise<string> {
  try {
    // stderr is inherited so a first-time build shows its progress lines.
    const { stdout } = await execa("bash", [toolsScript, "path", name], { stderr: "inherit" });
    const p = stdout.trim().split("\n").pop() ?? "";
    if (!path.isAbsolute(p)) throw new Error(`scripts/tools.sh path ${name} printed '${p}', not an absolute path`);
    return p;
  } catch (err) {
    if (err instanceof ExecaError) {
      if (err.code === "ENOENT") throw new Error("bash is not installed: scripts/tools.sh needs it", { cause: err });
      throw new Error(`could not provide the pinned ${name} (scripts/tools.sh path ${name} exited ${err.exitCode}); see the messages above`, { cause: err });
    }
    throw err;
  }
}

/** Absolute path of the pinned tool, building it into the cache on first use. */
export function toolPath(name: ToolName): Promise<string> {
  let p = known.get(name);
  if (!p) {
    p = resolveTool(name);
    known.set(name, p);
    // A failure is not cached: the next call tries again.
    p.catch(() => known.delete(name));
  }
  return p;
}

/** The pinned version of a tool, as scripts/versions.json states it. */
export async function pinnedVersion(name: ToolName): Promise<string> {
  const { stdout } = await execa("bash", [toolsScript, "version", name]);
  return stdout.trim();
}
