// Running commands and saying what happens, for every script under scripts/: one progress logger,
// one execa wrapper whose errors name the command and its exit, one memoised Docker client.
import path from "node:path";
import { execa, ExecaError } from "execa";
import { REPO_ROOT } from "./paths.js";

/** A progress line on stderr: `[kafka-ha] <scope>: <line>` (stdout stays for results). */
export function say(line: string, scope?: string): void {
  process.stderr.write(`[kafka-ha] ${scope ? `${scope}: ` : ""}${line}\n`);
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  /** Keep the command's stderr (its last lines go into the error) instead of passing it through. */
  quiet?: boolean;
}

/** Runs a command and returns its stdout; a failure throws naming the command, its exit and (quiet) its last stderr lines. */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  try {
    const r = await execa(cmd, args, { env: opts.env, input: opts.input, stderr: opts.quiet ? "pipe" : "inherit" });
    return r.stdout;
  } catch (err) {
    if (!(err instanceof ExecaError)) throw err;
    if (err.code === "ENOENT") throw new Error(`${cmd} is not installed (needed for: ${path.basename(cmd)} ${args.slice(0, 2).join(" ")})`, { cause: err });
    const tail = String(err.stderr ?? "")
      .trim()
      .split("\n")
      .slice(-5)
      .join(" | ");
    const detail = opts.quiet ? `: ${tail}` : " (see the messages above)";
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} exited ${err.exitCode ?? err.signal}${detail}`, { cause: err });
  }
}

let dockerCli: Promise<string> | undefined;
/** The docker client to use; brings an engine up where none runs and the machine allows it (scripts/env/docker/ensure-docker.sh). */
export function dockerClient(): Promise<string> {
  dockerCli ??= run("bash", [path.join(REPO_ROOT, "scripts/env/docker/ensure-docker.sh"), "--print-client"]).then(
    (o) => o.trim().split("\n").pop() ?? "docker",
  );
  return dockerCli;
}
