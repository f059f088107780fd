// scripts/tools.sh and the runc wrapper of scripts/env/docker: behaviour that needs no cluster and no
// build (the builds themselves are exercised by `npm run tools` / `npm run docker:up`).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { mkdir, mkdtemp, readFile, writeFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pinnedVersion } from "../../scripts/lib/tools.js";
import { pinned } from "../../scripts/lib/versions.js";
import { REPO_ROOT } from "../../scripts/lib/paths.js";

const versions = { helm: pinned("helm"), helm3: pinned("helm3"), k3d: pinned("k3d"), kubernetes: pinned("kubernetes") } as Record<string, string>;

test("tools.sh version reports the pins of versions.json", async () => {
  assert.is(await pinnedVersion("helm"), versions["helm"]);
  assert.is(await pinnedVersion("helm3"), versions["helm3"]);
  assert.is(await pinnedVersion("k3d"), versions["k3d"]);
  assert.is(await pinnedVersion("kubectl"), versions["kubernetes"]);
});

test("tools.sh rejects an unknown tool with a usage message", async () => {
  const r = await execa("bash", [path.join(REPO_ROOT, "scripts/tools.sh"), "path", "minikube"], { reject: false });
  assert.is.not(r.exitCode, 0);
  assert.match(r.stderr, "usage: scripts/tools.sh <path|version> <helm|helm3|k3d|kubectl|promtool>");
});

test("tools.sh says clearly that Go is missing when it would have to build a tool", async () => {
  // A PATH with the few commands tools.sh uses, but no go, no k3d; an empty cache.
  const dir = await mkdtemp(path.join(tmpdir(), "kh-tools-"));
  try {
    await mkdir(path.join(dir, "bin"));
    for (const cmd of ["node", "dirname", "sed", "mkdir", "cat", "mktemp", "rm", "flock"]) {
      const { stdout } = await execa("sh", ["-c", `command -v ${cmd}`]);
      await symlink(stdout.trim(), path.join(dir, "bin", cmd));
    }
    const bash = (await execa("sh", ["-c", "command -v bash"])).stdout.trim();
    const r = await execa(bash, [path.join(REPO_ROOT, "scripts/tools.sh"), "path", "k3d"], {
      reject: false,
      env: { PATH: path.join(dir, "bin"), KAFKA_HA_CACHE: path.join(dir, "cache"), HOME: dir },
      extendEnv: false,
    });
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, `k3d ${versions["k3d"]} is not on PATH (found: none) and Go is not installed, so it cannot be built`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// The wrapper must remove CAP_SYS_RESOURCE wherever it sits in a capability list, leave valid
// JSON and every other capability, and pass the arguments to the real runc unchanged.
const caps = (list: string[]) => ({ process: { capabilities: { bounding: list, effective: list, permitted: list } } });
const wrapper = path.join(REPO_ROOT, "scripts/env/docker/runc-wrapper.sh");

async function runWrapper(dir: string, args: string[]): Promise<string> {
  const argsFile = path.join(dir, "args");
  // A stand-in for runc that records its arguments.
  const fake = path.join(dir, "fake-runc");
  await writeFile(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${argsFile}\n`, { mode: 0o755 });
  await execa("sh", [wrapper, ...args], { env: { KAFKA_HA_REAL_RUNC: fake } });
  return readFile(argsFile, "utf8");
}

for (const [name, list] of [
  ["first", ["CAP_SYS_RESOURCE", "CAP_CHOWN", "CAP_KILL"]],
  ["middle", ["CAP_CHOWN", "CAP_SYS_RESOURCE", "CAP_KILL"]],
  ["last", ["CAP_CHOWN", "CAP_KILL", "CAP_SYS_RESOURCE"]],
  ["only", ["CAP_SYS_RESOURCE"]],
] as const) {
  test(`runc wrapper strips CAP_SYS_RESOURCE (${name}) from config.json on create`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kh-runc-"));
    try {
      const spaced = name === "middle"; // Go writes compact JSON; also accept indented JSON
      await writeFile(path.join(dir, "config.json"), JSON.stringify(caps([...list]), null, spaced ? 2 : 0));
      const args = await runWrapper(dir, ["--root", "/run/x", "create", "--bundle", dir, "ctr1"]);
      const got = JSON.parse(await readFile(path.join(dir, "config.json"), "utf8")) as ReturnType<typeof caps>;
      const want = list.filter((c) => c !== "CAP_SYS_RESOURCE");
      assert.equal(got.process.capabilities.bounding, want);
      assert.equal(got.process.capabilities.permitted, want);
      assert.is(args, ["--root", "/run/x", "create", "--bundle", dir, "ctr1"].join("\n") + "\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test("runc wrapper clamps a negative oomScoreAdj to 0 on create and on exec, and leaves 0 or positive ones", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "kh-runc-"));
  try {
    const spec = (score: number) => ({ process: { oomScoreAdj: score, capabilities: { bounding: ["CAP_CHOWN"] } } });
    for (const [score, want] of [
      [-998, 0],
      [-997, 0],
      [0, 0],
      [500, 500],
    ] as const) {
      await writeFile(path.join(dir, "config.json"), JSON.stringify(spec(score)));
      await runWrapper(dir, ["create", "--bundle", dir, "ctr1"]);
      const created = JSON.parse(await readFile(path.join(dir, "config.json"), "utf8")) as ReturnType<typeof spec>;
      assert.is(created.process.oomScoreAdj, want, `create, oomScoreAdj ${score}`);
      const proc = path.join(dir, "process.json");
      await writeFile(proc, JSON.stringify(spec(score).process, null, 2));
      await runWrapper(dir, ["exec", "--process", proc, "ctr1"]);
      const execd = JSON.parse(await readFile(proc, "utf8")) as ReturnType<typeof spec>["process"];
      assert.is(execd.oomScoreAdj, want, `exec, oomScoreAdj ${score}`);
      assert.equal(execd.capabilities.bounding, ["CAP_CHOWN"]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("runc wrapper strips CAP_SYS_RESOURCE from the --process file on exec", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "kh-runc-"));
  try {
    const proc = path.join(dir, "process.json");
    await writeFile(proc, JSON.stringify(caps(["CAP_NET_ADMIN", "CAP_SYS_RESOURCE", "CAP_SYS_ADMIN"]).process));
    await runWrapper(dir, ["exec", "--process", proc, "--detach", "ctr1"]);
    const got = JSON.parse(await readFile(proc, "utf8")) as ReturnType<typeof caps>["process"];
    assert.equal(got.capabilities.effective, ["CAP_NET_ADMIN", "CAP_SYS_ADMIN"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("runc wrapper leaves other commands' files alone", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "kh-runc-"));
  try {
    const original = JSON.stringify(caps(["CAP_SYS_RESOURCE"]));
    await writeFile(path.join(dir, "config.json"), original);
    await runWrapper(dir, ["--bundle", dir, "state", "ctr1"]);
    assert.is(await readFile(path.join(dir, "config.json"), "utf8"), original);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
