// test/helpers/kafkajs-fetch-guard.ts: a stopped kafkajs consumer's leftover fetch loop must yield to
// timers (kafkajs 2.2.4 spins on it and starves the process); a running one is not slowed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { STOPPED_FETCH_WAIT_MS, kafkajsRunner } from "../helpers/kafkajs-fetch-guard.js";

const quietLogger = { debug: () => undefined, info: () => undefined };

test("a stopped runner's fetch answers [] only after a wait, so a loop over it lets timers run", async () => {
  const runner = Object.assign(Object.create(kafkajsRunner.prototype) as object, { running: false, logger: quietLogger, consumerGroup: {} });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  const started = Date.now();
  try {
    for (let i = 0; i < 3; i++) assert.equal(await kafkajsRunner.prototype.fetch.call(runner, 0), []);
  } finally {
    clearInterval(timer);
  }
  assert.ok(Date.now() - started >= 3 * STOPPED_FETCH_WAIT_MS - 10, `three turns took ${Date.now() - started} ms`);
  assert.ok(ticks > 0, "a timer ran while the loop turned");
});

test("a running runner's fetch goes straight to the consumer group", async () => {
  let asked = -1;
  const runner = Object.assign(Object.create(kafkajsRunner.prototype) as object, {
    running: true,
    logger: quietLogger,
    instrumentationEmitter: { emit: () => undefined },
    consumerGroup: {
      fetch: async (nodeId: number) => {
        asked = nodeId;
        return [];
      },
    },
  });
  const started = Date.now();
  await kafkajsRunner.prototype.fetch.call(runner, 7).catch(() => undefined);
  assert.is(asked, 7, "the consumer group was asked for node 7");
  assert.ok(Date.now() - started < STOPPED_FETCH_WAIT_MS, "no wait for a running consumer");
});

test.run();
