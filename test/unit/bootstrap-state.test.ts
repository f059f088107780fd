// files/quorum/BootstrapState.class (served by start.sh on an empty controller) run with `java`: it
// answers the state file's first line to every connection, follows changes of the file, stops once
// the file is gone, and fails clearly when its port is taken.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { chartDir } from "../helpers/render.js";
import { waitFor } from "../../scripts/lib/wait.js";

const t = suite("quorum BootstrapState");
let dir = "";
t.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), "kafka-ha-bootstrap-"));
});
t.after.each(() => rmSync(dir, { recursive: true, force: true }));

const freePort = async (): Promise<number> => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
};
const serve = (port: number, file: string) =>
  execa("java", ["-Xmx16m", "-cp", join(chartDir, "files/quorum"), "BootstrapState", String(port), file], { reject: false });
/** What a peer reads: everything the server sends before it closes the connection. */
const ask = (port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let got = "";
    const sock = connect(port, "127.0.0.1");
    sock.on("data", (d) => (got += d.toString()));
    sock.on("end", () => resolve(got));
    sock.on("error", reject);
  });

t("answers the first line of the state file, follows its changes, stops when it is deleted", async () => {
  const file = join(dir, "state");
  writeFileSync(file, "EMPTY MkU3OEVBNTcwNTJENDM2Qg\nignored\n");
  const port = await freePort();
  const server = serve(port, file);
  try {
    assert.is(await waitFor(() => ask(port), { what: "BootstrapState to answer", timeoutMs: 20000, intervalMs: 200 }), "EMPTY MkU3OEVBNTcwNTJENDM2Qg\n");
    assert.is(await ask(port), "EMPTY MkU3OEVBNTcwNTJENDM2Qg\n", "every connection gets the answer");
    writeFileSync(file, "FIRST-START MkU3OEVBNTcwNTJENDM2Qg\n");
    assert.is(await ask(port), "FIRST-START MkU3OEVBNTcwNTJENDM2Qg\n");
    rmSync(file);
    const r = await server;
    assert.is(r.exitCode, 0, r.stderr);
    await ask(port).then(
      (got) => assert.unreachable(`still answering: ${got}`),
      () => undefined,
    );
  } finally {
    server.kill("SIGKILL");
  }
});

t("port taken: exits 1 naming the port", async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, r));
  const port = (busy.address() as { port: number }).port;
  writeFileSync(join(dir, "state"), "EMPTY x\n");
  try {
    const r = await serve(port, join(dir, "state"));
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, `bootstrap-state: cannot serve on port ${port}`);
  } finally {
    busy.close();
  }
});

t.run();
