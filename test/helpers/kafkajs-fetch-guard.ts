// A guard against a kafkajs 2.2.4 defect (the last release; the project is unmaintained) that froze
// S10 in the fresh-clone run of 2026-12-04: a consumer stopped while its fetch manager rebuilds its
// fetchers (the broker set changed: a partition healed) keeps the new fetchers looping, and each
// loop calls Runner.fetch, which returns [] at once when the runner no longer runs
// (node_modules/kafkajs/src/consumer/runner.js `fetch`, fetchManager.js `start` continuing after
// KafkaJSFetcherRebalanceError). That loop never leaves the microtask queue: timers, sockets and
// the rest of the test starve, at 100 % CPU. The guard makes a stopped runner's fetch wait
// before answering [], so such a leftover loop idles instead of starving the process. Consumers
// that run are not touched. Imported for its effect by traffic.ts, which every kafkajs consumer
// of the suite goes through.
import { createRequire } from "node:module";

/** How long a stopped consumer's leftover fetch loop waits per turn. */
export const STOPPED_FETCH_WAIT_MS = 200;

interface Runner {
  running: boolean;
  fetch(nodeId: number): Promise<unknown[]>;
}

const require = createRequire(import.meta.url);
const RunnerClass = require("kafkajs/src/consumer/runner") as { prototype: Runner & { kafkaHaGuarded?: boolean } };
const proto = RunnerClass.prototype;

if (!proto.kafkaHaGuarded) {
  const fetch = proto.fetch;
  proto.fetch = async function guardedFetch(this: Runner, nodeId: number): Promise<unknown[]> {
    if (!this.running) await new Promise((resolve) => setTimeout(resolve, STOPPED_FETCH_WAIT_MS));
    return fetch.call(this, nodeId);
  };
  proto.kafkaHaGuarded = true;
}

/** kafkajs' Runner class as patched here (for the unit test). */
export const kafkajsRunner = RunnerClass;
