// The hooks every scenario file needs around its traffic session, in one place: the file's
// scenarios run in order over one session (a chain such as S3 -> S4 -> S5 shares its topic), each
// scenario a test whose body runs in a Window; the session closes in the after hook between the
// file's own clean-up steps. A scenario file then holds only its declarations, set-up and checks.
import type { Test } from "uvu";
import { log } from "../helpers/log.js";
import { BOOTSTRAP } from "../../scripts/env/release.js";
import { type Env, env, teardown } from "./env.js";
import { type PrepareOptions, Session, type Window } from "./session.js";
import { type Scenario, title } from "./scenario.js";

export interface SessionHooks extends PrepareOptions {
  /**
   * Where the session starts. "before" (the default): in the file's before hook, after `setUp`,
   * with the release installed and Ready (Session.prepare). "in-test": in the first scenario's test,
   * after `setUp`, for files whose install is what they prove (S1, H1, O1, O2); a failed install is
   * then that scenario's failure, and the session has no Java or kafkajs-defaults clients.
   */
  open?: "before" | "in-test";
  /** "in-test" only: the brokers the session's clients bootstrap from (O2's one-node cluster). */
  brokers?: string[];
  /**
   * Before the session starts: a fresh install of the values the file proves, a ballast topic. What
   * it returns joins the session's options (S11's topic layout depends on the active controller).
   */
  setUp?: (e: Env) => Promise<PrepareOptions | void>;
  /** In the after hook, before the session closes: undo the file's faults (a healed partition). */
  restore?: (e: Env) => Promise<void>;
  /** In the after hook, once the session has closed: remove what later files must not inherit. */
  tearDown?: (e: Env) => Promise<void>;
}

/** A scenario's checks: `w` is its window over the file's session `s`. */
export type ScenarioBody = (w: Window, s: Session, e: Env) => Promise<void>;

/** Declares one scenario of the file as a test; `recoveryExpected: false` where the fault stays (S3, S4, S6). */
export type DeclareScenario = (scenario: Scenario, body: ScenarioBody, opts?: { recoveryExpected?: boolean }) => void;

/**
 * Registers the file's session hooks on `test` and returns the function that declares its
 * scenarios. `first` names the session's topic (`ha-<id>-r<run>-<time>`).
 */
export function sharedSession(test: Test, run: number, first: Scenario, hooks: SessionHooks = {}): DeclareScenario {
  let session: Session | undefined;

  if (hooks.open !== "in-test") {
    test.before(async () => {
      const decided = await hooks.setUp?.(await env());
      session = await Session.prepare(first, run, { ...hooks, ...decided });
    });
  }

  test.after(async () => {
    const e = await env();
    try {
      await hooks.restore?.(e);
    } finally {
      await session?.close();
    }
    await hooks.tearDown?.(e);
  });

  return (scenario, body, opts) => {
    test(title(scenario), async () => {
      const e = await env();
      if (hooks.open === "in-test" && !session) {
        await hooks.setUp?.(e);
        session = await Session.start(first, run, hooks.brokers ?? BOOTSTRAP);
      }
      const s = session;
      if (!s) throw new Error(`${scenario.id}: no traffic session (the file's set-up failed)`);
      const w = s.window(scenario, opts);
      await w.run(() => body(w, s, e));
    });
  };
}

/**
 * A tearDown that removes the release and its namespace (nodes uncordoned first), for files that
 * installed values later files must not inherit; `why` is logged.
 */
export function removeRelease(id: string, why: string): (e: Env) => Promise<void> {
  return async (e) => {
    log(`${id}: removing the release: ${why}`);
    await teardown(e, { clusterDown: false });
  };
}
