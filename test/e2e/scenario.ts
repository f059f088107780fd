// A scenario file declares its scenarios once (id, name, what it does, what must hold, the README
// procedure it proves) and its uvu suite. The runner (run.ts) imports the files for their
// declarations only and runs each file in a process of its own through uvu's CLI; the catalogue
// (docs/scenarios.md, test/e2e/catalogue.ts) is generated from the same declarations.
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { type Test, suite } from "uvu";
import { log } from "../helpers/log.js";
import { report, setupFailures } from "../helpers/report.js";

export interface Scenario {
  /** H1, S1..S11, Q1, O1, O2: the report's and the README's name for it. */
  id: string;
  name: string;
  /** One line: what the scenario does to the cluster. */
  does: string;
  /** What must hold: its assertions besides the checker's rules (each one fails the scenario). */
  holds: string;
  /** The README procedure it proves, as a section title, when it runs one. */
  procedure?: string;
}

/** Declares the tests of one repetition into `test`; `run` counts repetitions from 1. */
export type DeclareSuite = (test: Test, run: number) => void;

/** Set by run.ts in its own process: import scenario files for their declarations, declare no suite. */
export const LISTING = process.env.KAFKA_HA_E2E_LISTING === "1";
/** The repetition a child process of run.ts runs (1 when a file runs on its own). */
export const RUN = Number(process.env.KAFKA_HA_E2E_RUN ?? "1");

/** What a scenario file exports: its file name and its scenarios. */
export interface ScenarioFile {
  file: string;
  scenarios: Scenario[];
}

/**
 * A scenario file's one declaration: returns what it runs, and (unless the runner is only listing)
 * declares and runs its uvu suite for repetition RUN. Run on its own (`npx tsx
 * test/e2e/s2-pod-delete.test.ts`) the file runs repetition 1; run.ts runs it through uvu's CLI.
 */
export function scenarioFile(url: string, scenarios: Scenario[], declare: DeclareSuite): ScenarioFile {
  if (!LISTING) {
    const test = suite(suiteTitle(scenarios, RUN));
    const label = basename(fileURLToPath(url)).split("-")[0] ?? "";
    reportSetupFailures(test, label, RUN);
    declare(reportTestFailures(test, label, RUN), RUN);
    // Registered last, so it runs after the file's own cleanup. A client or timer a scenario left
    // open would keep the process (and the runner waiting for it) alive: once uvu has printed its
    // summary and set the exit code, the process ends anyway (S11 kept one open, 2026-12-03).
    test.after(() => {
      setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
    });
    test.run();
  }
  return { file: basename(fileURLToPath(url)), scenarios };
}

/**
 * uvu swallows an error thrown by a before hook: the suite only shows "0 / N". Every before hook
 * of a scenario file (a fresh install, a session) therefore prints its error and records it as the
 * file's setup failure, which the report shows instead of "no result" (S18 failed that way once,
 * 2026-12-03, and said nothing).
 */
function reportSetupFailures(test: Test, label: string, run: number): void {
  const register = test.before.bind(test) as (fn: () => Promise<void> | void) => void;
  const wrapped = (fn: () => Promise<void> | void): void =>
    register(async () => {
      try {
        await fn();
      } catch (err) {
        recordFailure(label, run, "setup", err);
        throw err;
      }
    });
  test.before = Object.assign(wrapped, { each: test.before.each }) as typeof test.before;
}

/**
 * The same for the tests themselves: a test that fails before its traffic window reports a result
 * (O1's fresh install, CI 2026-12-04) would otherwise show only "no result" in the summary, its
 * error far up in the output. A failure after the window reported is in its result already.
 */
function reportTestFailures(test: Test, label: string, run: number): Test {
  return new Proxy(test, {
    apply(target, thisArg, [name, fn]: [string, (ctx: unknown) => unknown]) {
      return Reflect.apply(target, thisArg, [
        name,
        async (ctx: unknown) => {
          const reported = report.runs.length;
          try {
            await fn(ctx);
          } catch (err) {
            if (report.runs.length === reported) recordFailure(label, run, "test", err);
            throw err;
          }
        },
      ]);
    },
  });
}

function recordFailure(label: string, run: number, stage: "setup" | "test", err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (setupFailures.some((f) => f.run === run && f.message === message)) return;
  setupFailures.push({ label, run, message, stage });
  log(`${label} ${stage} (run ${run}) FAILED: ${err instanceof Error ? (err.stack ?? message) : message}`);
}

/** How long a scenario file's process may outlive its suite (uvu's summary) before it is ended. */
export const EXIT_GRACE_MS = 15000;

/** A test's title: `S2 pod deleted: <what it does>`. */
export const title = (s: Scenario): string => `${s.id} ${s.name}: ${s.does}`;

/** A suite's title for one repetition. */
export const suiteTitle = (scenarios: Scenario[], run: number): string =>
  `${scenarios.map((s) => s.id).join("-")} ${scenarios.length === 1 ? scenarios[0]?.name : scenarios.map((s) => s.name).join(", ")} (run ${run})`;
