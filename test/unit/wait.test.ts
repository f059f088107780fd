// scripts/lib/wait.ts: the one polling loop of scripts/ and the test tiers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TimeoutError, waitFor, withTimeout } from "../../scripts/lib/wait.js";

test("waitFor returns the first value that is not undefined or false, retrying probes that throw", async () => {
  let calls = 0;
  const value = await waitFor(
    async () => {
      calls += 1;
      if (calls === 1) throw new Error("not yet");
      return calls === 2 ? false : "done";
    },
    { what: "a value", timeoutMs: 5000, intervalMs: 10 },
  );
  assert.is(value, "done");
  assert.is(calls, 3);
});

test("waitFor rejects after its bound, naming what it waited for and quoting the last error", async () => {
  const started = Date.now();
  const err = await waitFor(
    async () => {
      throw new Error("2 brokers registered");
    },
    { what: "3 brokers", timeoutMs: 200, intervalMs: 20 },
  ).catch((e: unknown) => e);
  assert.instance(err, TimeoutError);
  assert.match((err as Error).message, "waiting for 3 brokers: 2 brokers registered");
  assert.ok(Date.now() - started < 2000, "the bound ends the wait");
});

test("a probe that hangs counts as not yet: its own bound ends it", async () => {
  const err = await waitFor(() => new Promise<string>(() => undefined), { what: "a hung probe", timeoutMs: 100, intervalMs: 10, probeTimeoutMs: 30 }).catch(
    (e: unknown) => e,
  );
  assert.instance(err, TimeoutError);
  assert.match((err as Error).message, "a hung probe (one probe)");
});

test("withTimeout settles with the promise when it is in time", async () => {
  assert.is(await withTimeout(Promise.resolve(7), 1000, "seven"), 7);
});

test.run();
