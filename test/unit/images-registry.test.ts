// scripts/lib/registry.ts: the switch between upstream and locally built images. Only loopback
// addresses are probed here (network rule); the real probe target is never contacted by tests.
import { test } from "uvu";
import * as assert from "uvu/assert";
import net from "node:net";
import { probe, registryReachable, offlineForced } from "../../scripts/lib/registry.js";

test("KAFKA_HA_OFFLINE=1 forces the local images without probing", async () => {
  const before = process.env["KAFKA_HA_OFFLINE"];
  process.env["KAFKA_HA_OFFLINE"] = "1";
  try {
    assert.ok(offlineForced());
    assert.is(await registryReachable(), false);
  } finally {
    if (before === undefined) delete process.env["KAFKA_HA_OFFLINE"];
    else process.env["KAFKA_HA_OFFLINE"] = before;
  }
});

test("a probe of a closed loopback port answers false quickly", async () => {
  // Take a free port, then close it so nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
  const t0 = Date.now();
  assert.is(await probe(`https://127.0.0.1:${port}/v2/`, 2000), false);
  assert.ok(Date.now() - t0 < 2500, "the probe must give up within its timeout");
});

test("a probe of a loopback server that never answers times out as unreachable", async () => {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s)); // accepts, never speaks TLS
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const a = server.address();
  const port = typeof a === "object" && a ? a.port : 0;
  try {
    const t0 = Date.now();
    assert.is(await probe(`https://127.0.0.1:${port}/v2/`, 500), false);
    assert.ok(Date.now() - t0 >= 450, "it waited for the timeout");
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
});

test.run();
