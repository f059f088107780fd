// Bounded waits, the one polling loop of scripts/ and the test tiers. uvu has no per-test timeout,
// so every wait goes through these: a wait either resolves or rejects after its bound, and polling
// uses a fixed interval.
// Timers never throw: they only settle a promise.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class TimeoutError extends Error {
  constructor(what: string, ms: number, detail?: string) {
    super(`timed out after ${Math.round(ms / 1000)}s waiting for ${what}${detail ? `: ${detail}` : ""}`);
    this.name = "TimeoutError";
  }
}

/** Settles with `promise`, or rejects with a TimeoutError after `ms`. The timer is always cleared. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export interface PollOptions {
  /** What is awaited, for the error message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Bound on a single probe (defaults to the interval, at least 5 s). */
  probeTimeoutMs?: number;
}

/**
 * Polls `probe` every `intervalMs` until it returns a value that is not undefined/false, and returns
 * that value. A probe that throws counts as "not yet" (the last error is quoted on timeout).
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, opts: PollOptions): Promise<T> {
  const interval = opts.intervalMs ?? 1000;
  const probeTimeout = opts.probeTimeoutMs ?? Math.max(interval, 5000);
  const deadline = Date.now() + opts.timeoutMs;
  let last: string;
  for (;;) {
    try {
      const value = await withTimeout(probe(), probeTimeout, `${opts.what} (one probe)`);
      if (value !== undefined && value !== false) return value;
      last = "condition not met yet";
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new TimeoutError(opts.what, opts.timeoutMs, last);
    await sleep(Math.min(interval, remaining));
  }
}

/** A sampler that calls `sample` every `intervalMs` until stopped; errors are recorded, never thrown. */
export function every(
  intervalMs: number,
  sample: () => Promise<void>,
  boundMs = Math.max(intervalMs * 5, 5000),
): { stop: () => Promise<void>; errors: string[] } {
  const errors: string[] = [];
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    if (stopped) return;
    const started = Date.now();
    current = withTimeout(sample(), boundMs, "sample")
      .catch((err: unknown) => {
        errors.push(err instanceof Error ? err.message : String(err));
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, Math.max(0, intervalMs - (Date.now() - started)));
      });
  };
  tick();
  return {
    errors,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
