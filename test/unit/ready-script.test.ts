// files/scripts/ready.sh against a stub kafka-topics.sh and a real listener standing in for the
// client port: the ISR decision, the cache of positive results, controller-only pods.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { chartDir } from "../helpers/render.js";

const script = join(chartDir, "files/scripts/ready.sh");
const TOPICS_STUB = `#!/usr/bin/env bash
echo "kafka-topics.sh $*" >> "$FAKE/calls.log"
[ -f "$FAKE/fail" ] && { echo "Timed out waiting for a node assignment" >&2; exit 1; }
cat "$FAKE/describe"
`;
const line = (topic: string, p: number, reps: string, isr: string): string =>
  `\tTopic: ${topic}\tTopicId: abc\tPartition: ${p}\tLeader: 1\tReplicas: ${reps}\tIsr: ${isr}\tElr: \tLastKnownElr: `;

// Listens on 9092 and 9093 of a private loopback address when possible (127.0.0.0/8).
let host = "127.0.0.1";
const servers: Server[] = [];
async function listenOn(h: string, port: number): Promise<boolean> {
  const s = createServer((sock) => sock.destroy());
  const ok = await new Promise<boolean>((r) => {
    s.once("error", () => r(false));
    s.listen(port, h, () => r(true));
  });
  if (ok) servers.push(s);
  return ok;
}

function fake(over: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-ready-"));
  mkdirSync(join(dir, "bin"));
  mkdirSync(join(dir, "run"));
  writeFileSync(join(dir, "bin/kafka-topics.sh"), TOPICS_STUB);
  chmodSync(join(dir, "bin/kafka-topics.sh"), 0o755);
  writeFileSync(join(dir, "describe"), "");
  const env = {
    FAKE: dir,
    KAFKA_HOME: dir,
    POD_NAME: "kafka-ha-2",
    KAFKA_HA_ROLE: "combined",
    KAFKA_HA_RUN_DIR: join(dir, "run"),
    KAFKA_HA_READY_CACHE_SECONDS: "30",
    KAFKA_HA_READY_HOST: host,
    ...over,
  };
  return {
    dir,
    run: () => execa("bash", [script], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...env }, extendEnv: false, reject: false }),
    describe: (lines: string[]) => writeFileSync(join(dir, "describe"), `${lines.join("\n")}\n`),
    jvmRuns: () => (existsSync(join(dir, "calls.log")) ? readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n").length : 0),
  };
}

const t = suite("ready.sh");
const dirs: string[] = [];
t.before(async () => {
  // A loopback address of our own so the fixed ports 9092/9093 are free.
  for (const h of ["127.88.0.1", "127.89.0.1", "127.0.0.1"]) {
    if ((await listenOn(h, 9092)) && (await listenOn(h, 9093))) {
      host = h;
      return;
    }
    for (const s of servers.splice(0)) s.close();
  }
  throw new Error("no loopback address with free ports 9092 and 9093");
});
t.after(() => {
  for (const s of servers) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

t("ready when every partition this broker hosts has it in the ISR; another broker missing does not matter", async () => {
  const f = fake();
  dirs.push(f.dir);
  // Broker 0 is gone for good: its partitions are under-replicated, but broker 2 is in every ISR.
  f.describe([line("orders", 0, "0,1,2", "1,2"), line("orders", 1, "2,0,1", "2,1"), line("other", 0, "0,1,3", "1,3")]);
  const r = await f.run();
  assert.is(r.exitCode, 0, r.stdout + r.stderr);
  assert.is(f.jvmRuns(), 1);
});

t("not ready while this broker is missing from the ISR of a partition it hosts; names the partitions", async () => {
  const f = fake();
  dirs.push(f.dir);
  f.describe([line("orders", 0, "0,1,2", "0,1"), line("orders", 3, "2,0,1", "0,1"), line("orders", 4, "1,0,12", "1,0"), line("orders", 5, "1,2,0", "")]);
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.is(r.stdout.trim(), "not ready: broker 2 is not yet in the ISR of: orders-0 orders-3 orders-5");
});

t("a positive result is cached: one JVM per cache period; a negative one is re-checked every time", async () => {
  const f = fake();
  dirs.push(f.dir);
  f.describe([line("orders", 0, "0,1,2", "0,1")]);
  await f.run();
  await f.run();
  assert.is(f.jvmRuns(), 2, "negative results are not cached");
  f.describe([line("orders", 0, "0,1,2", "0,1,2")]);
  for (let i = 0; i < 3; i++) assert.is((await f.run()).exitCode, 0);
  assert.is(f.jvmRuns(), 3, "positive result reused");
  const g = fake({ KAFKA_HA_READY_CACHE_SECONDS: "0" });
  dirs.push(g.dir);
  await g.run();
  await g.run();
  assert.is(g.jvmRuns(), 2);
});

t("not ready when the admin call fails; the cache is dropped", async () => {
  const f = fake();
  dirs.push(f.dir);
  writeFileSync(join(f.dir, "fail"), "");
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /the admin request failed: Timed out waiting for a node assignment/);
  assert.not.ok(existsSync(join(f.dir, "run/ready.ok")));
});

t("client port closed: not ready without starting a JVM", async () => {
  const f = fake({ KAFKA_HA_READY_HOST: "127.0.0.2" === host ? "127.0.0.3" : "127.0.0.2" });
  dirs.push(f.dir);
  const r = await f.run();
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /client port 9092 does not accept connections/);
  assert.is(f.jvmRuns(), 0);
});

t("ISR check off, and controller-only pods: the port is enough", async () => {
  const f = fake({ KAFKA_HA_ISR_CHECK: "false" });
  dirs.push(f.dir);
  f.describe([line("orders", 0, "0,1,2", "0,1")]);
  assert.is((await f.run()).exitCode, 0);
  const c = fake({ KAFKA_HA_ROLE: "controller", POD_NAME: "kafka-ha-controller-0", KAFKA_HA_NODE_ID_OFFSET: "1000" });
  dirs.push(c.dir);
  assert.is((await c.run()).exitCode, 0);
  assert.is(f.jvmRuns() + c.jvmRuns(), 0);
});

t.run();
