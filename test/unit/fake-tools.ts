// The fake environments of the unit tests that run the chart's shell scripts with bash (start.sh,
// ready.sh, security-sync.sh, pod-routes.sh): the tools a script calls are stub scripts, executables
// in a directory of their own, and the fake's directory stands in for KAFKA_HOME (and for FAKE, where
// the stubs record their calls and read their answers).
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { chartDir } from "../helpers/render.js";

/** Writes each stub (file name -> script) as an executable in `bin`, which is made if missing. */
export function writeStubs(bin: string, stubs: Record<string, string>): void {
  mkdirSync(bin, { recursive: true });
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
}

/** PATH with the stubs in `bin` first, so they stand in for the real tools. */
export const stubPath = (bin: string): string => `${bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`;

/**
 * Runs the chart's files/scripts/<script> with bash against the fake in `dir`: the stubs in dir/bin
 * first on PATH, KAFKA_HOME and FAKE set to `dir`, then `env`. Never rejects: the result carries the
 * exit code.
 */
export const runChartScript = (script: string, dir: string, env: Record<string, string>) =>
  execa("bash", [join(chartDir, "files/scripts", script)], {
    reject: false,
    env: { PATH: stubPath(join(dir, "bin")), KAFKA_HOME: dir, FAKE: dir, ...env },
  });
