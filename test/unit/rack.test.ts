// files/rack/NodeZone.class (the rack init container) run with `java` against a fake Kubernetes API:
// a local HTTPS server on 127.0.0.1 with a self-signed certificate, checking the bearer token.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execa } from "execa";
import { selfSigned } from "../helpers/certificates.js";
import { chartDir } from "../helpers/render.js";

const t = suite("rack NodeZone");
let dir = "";
let server: Server | undefined;
let port = 0;
const seen: { url: string; auth: string }[] = [];

const nodes: Record<string, unknown> = {
  "agent-1": {
    kind: "Node",
    metadata: { name: "agent-1", labels: { "kubernetes.io/hostname": "agent-1", "topology.kubernetes.io/zone": "zone-b" }, annotations: { note: "{x}" } },
  },
  "agent-2": { kind: "Node", metadata: { name: "agent-2", labels: { "kubernetes.io/hostname": "agent-2" } } },
};

t.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kafka-ha-rack-"));
  await selfSigned(dir, "127.0.0.1", ["-addext", "subjectAltName=IP:127.0.0.1"], "key.pem");
  writeFileSync(join(dir, "token"), "test-token\n");
  server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "ca.crt")) }, (req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization ?? "" });
    const name = /^\/api\/v1\/nodes\/([^/?]+)$/.exec(req.url ?? "")?.[1];
    if (req.headers.authorization !== "Bearer test-token") {
      res.writeHead(401).end('{"kind":"Status","code":401}');
      return;
    }
    const node = name ? nodes[decodeURIComponent(name)] : undefined;
    if (!node) {
      res.writeHead(404).end('{"kind":"Status","code":404}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(node));
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});
t.after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (node: string, saDir = dir) =>
  execa("java", ["-cp", join(chartDir, "files/rack"), "NodeZone", node, "topology.kubernetes.io/zone"], {
    env: { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(port), KAFKA_HA_SA_DIR: saDir },
    reject: false,
  });

t("prints the zone label of the node, authenticated with the token, trusting only the given CA", async () => {
  const r = await run("agent-1");
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(r.stdout, "zone-b");
  assert.equal(seen.at(-1), { url: "/api/v1/nodes/agent-1", auth: "Bearer test-token" });
});

t("a node without the label: exit 2 with one line naming the node, the label and the values that fix it", async () => {
  const r = await run("agent-2");
  assert.is(r.exitCode, 2);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^rack: node agent-2 has no label topology\.kubernetes\.io\/zone, /);
  assert.match(r.stderr, /kubectl label node agent-2 topology\.kubernetes\.io\/zone=<zone>/);
  for (const value of ["rackAwareness.nodeLabel", "topologySpread.zone.topologyKey", "rackAwareness.enabled=false", "topologySpread.zone.enabled=false"])
    assert.ok(r.stderr.includes(value), `the message does not name ${value}: ${r.stderr}`);
});

t("API errors are reported with the HTTP status", async () => {
  const r = await run("missing-node");
  assert.is(r.exitCode, 1);
  assert.match(r.stderr, /answered HTTP 404/);
  const bad = mkdtempSync(join(tmpdir(), "kafka-ha-rack-bad-"));
  writeFileSync(join(bad, "token"), "wrong");
  writeFileSync(join(bad, "ca.crt"), readFileSync(join(dir, "ca.crt")));
  const r2 = await run("agent-1", bad);
  rmSync(bad, { recursive: true, force: true });
  assert.is(r2.exitCode, 1);
  assert.match(r2.stderr, /HTTP 401/);
});

t("a server certificate the CA does not sign is refused", async () => {
  const other = mkdtempSync(join(tmpdir(), "kafka-ha-rack-ca-"));
  await selfSigned(other, "other", [], "k.pem");
  writeFileSync(join(other, "token"), "test-token");
  const r = await run("agent-1", other);
  rmSync(other, { recursive: true, force: true });
  assert.is(r.exitCode, 1);
  assert.match(r.stderr, /SSLHandshakeException|PKIX/);
});

t.run();
