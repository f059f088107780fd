// scripts/images/node/pod-routes.sh (the node image's pod-route controller) run with bash against a
// fake node: `kubectl` and `ip` are stubs on PATH. kubectl answers from files (or fails like an
// unreachable API server while $FAKE/down exists); ip keeps a route table in a file. Short re-list
// and back-off periods keep the run to a few seconds.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { chartDir } from "../helpers/render.js";
import { waitFor } from "../../scripts/lib/wait.js";
import { stubPath, writeStubs } from "./fake-tools.js";

const script = join(chartDir, "scripts/images/node/pod-routes.sh");

const KUBECTL_STUB = `#!/usr/bin/env bash
echo "kubectl $*" >> "$FAKE/calls.log"
if [ -e "$FAKE/down" ]; then
  echo "E1124 09:00:00.000000 1 memcache.go:265] couldn't get current server API group list: dial tcp 172.18.0.2:6443: connect: connection refused" >&2
  exit 1
fi
case "$*" in
  *--watch-only*)
    # A watch that sends what $FAKE/watch holds once (then deletes it), then stays open.
    if [ -e "$FAKE/watch" ]; then cat "$FAKE/watch"; rm -f "$FAKE/watch"; fi
    exec sleep 3600 ;;
  *) cat "$FAKE/nodes" ;;
esac
`;
// The kernel picks the device; the stub calls it uplink0 (no eth0 anywhere).
const IP_STUB = `#!/usr/bin/env bash
echo "ip $*" >> "$FAKE/calls.log"
t="$FAKE/routes"; touch "$t"
case "$*" in
  "-4 route show exact "*) grep "^\${5} " "$t" || true ;;
  "-4 route show root "*) cat "$t" ;;
  "route replace "*" via "*) grep -v "^$3 " "$t" > "$t.new"; echo "$3 via $5 dev uplink0 " >> "$t.new"; mv "$t.new" "$t" ;;
  "route del "*" via "*) grep -v "^$3 via $5 " "$t" > "$t.new"; mv "$t.new" "$t" ;;
  *) echo "ip stub: unexpected $*" >&2; exit 2 ;;
esac
`;

const NODES = [
  "node-a   10.42.0.0/24   172.18.0.2", // this node: no route to itself
  "node-b   10.42.1.0/24   172.18.0.3",
  "node-c   <none>         <none>", // not allocated yet
].join("\n");

const t = suite("pod-routes.sh");

t("survives an unreachable API server and a broken watch, re-lists with back-off, keeps routes in sync", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-pod-routes-"));
  writeStubs(dir, { kubectl: KUBECTL_STUB, ip: IP_STUB });
  writeFileSync(join(dir, "nodes"), `${NODES}\n`);
  // A route of a node that no longer exists, and this node's own bridge route (never touched).
  writeFileSync(join(dir, "routes"), "10.42.0.0/24 dev cni0 proto kernel scope link src 10.42.0.1 \n10.42.9.0/24 via 172.18.0.9 dev uplink0 \n");
  writeFileSync(join(dir, "down"), "");
  const routes = (): string => readFileSync(join(dir, "routes"), "utf8");
  const controller = execa("bash", [script, "node-a", "10.42.0.0/16"], {
    env: { PATH: stubPath(dir), FAKE: dir, POD_ROUTES_RESYNC_SECONDS: "2", POD_ROUTES_BACKOFF_MAX_SECONDS: "2" },
    extendEnv: false,
    reject: false,
    all: true,
    detached: true, // its own process group: the stubs' sleeping watches go with it
  });
  let out = "";
  controller.all?.on("data", (d: Buffer) => (out += d.toString()));
  const alive = (): void => assert.is(controller.exitCode, null, `the controller exited:\n${out}`);
  try {
    // 1. The API server is unreachable at start: the controller retries, backing off 1 s, then 2 s.
    await waitFor(async () => /retrying in 2s/.test(out), { what: "a second failed list", timeoutMs: 15000, intervalMs: 200 });
    alive();
    assert.match(out, /listing nodes failed: .*connection refused; retrying in 1s/);
    assert.is(routes().includes("10.42.1.0/24"), false);

    // 2. It answers: node-b's route appears, the gone node's route goes, own and <none> lines are left alone.
    rmSync(join(dir, "down"));
    await waitFor(async () => routes().includes("10.42.1.0/24 via 172.18.0.3 ") && !routes().includes("10.42.9.0/24"), {
      what: "routes synced after the outage",
      timeoutMs: 15000,
      intervalMs: 200,
    });
    assert.match(routes(), /^10\.42\.0\.0\/24 dev cni0/m);
    assert.match(out, /nodes listed again after \d+ failed attempt\(s\): routes re-synced/);

    // 3. Through the watch: a new node gets its route at once; an error line in the stream changes nothing.
    writeFileSync(
      join(dir, "watch"),
      "E1124 09:00:05.1 reflector.go:561] watch of *v1.Node ended with: an error on the server\nnode-d   10.42.3.0/24   172.18.0.5\n",
    );
    await waitFor(async () => routes().includes("10.42.3.0/24 via 172.18.0.5 "), { what: "the watched node's route", timeoutMs: 15000, intervalMs: 200 });

    // 4. A route the kernel dropped (uplink down and up) is back after the next re-list.
    writeFileSync(join(dir, "routes"), routes().replace(/^10\.42\.1\.0\/24 .*\n/m, ""));
    await waitFor(async () => routes().includes("10.42.1.0/24 via 172.18.0.3 "), { what: "the dropped route re-added", timeoutMs: 15000, intervalMs: 200 });

    // 5. A second outage mid-watch: still running, and in sync again once the API server is back.
    const before = (out.match(/listing nodes failed/g) ?? []).length;
    writeFileSync(join(dir, "down"), "");
    await waitFor(async () => (out.match(/listing nodes failed/g) ?? []).length > before, {
      what: "the second outage seen",
      timeoutMs: 15000,
      intervalMs: 200,
    });
    writeFileSync(join(dir, "nodes"), `${NODES}\nnode-e   10.42.4.0/24   172.18.0.6\n`);
    rmSync(join(dir, "down"));
    await waitFor(async () => routes().includes("10.42.4.0/24 via 172.18.0.6 "), {
      what: "routes synced after the second outage",
      timeoutMs: 15000,
      intervalMs: 200,
    });
    alive();

    const calls = readFileSync(join(dir, "calls.log"), "utf8");
    assert.not.match(calls, /eth0|\bdev\b/, "routes name no device (the uplink is whatever reaches the peer)");
    assert.not.match(calls, /route replace \S+ via 172\.18\.0\.2/, "no route to this node's own podCIDR");
  } finally {
    if (controller.pid) process.kill(-controller.pid, "SIGKILL");
    await controller;
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
});

t.run();
