// A CA and a server certificate for a secured release, made with openssl as a user following the
// README's "Security" section makes them: PKCS#8 key, server and client auth, and the names every
// broker is reached by (README lists them): the pods on the headless Service (one wildcard), the
// client Service and the external host.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PeerCertificate, connect } from "node:tls";
import { execa } from "execa";

export interface ServerCertificate {
  ca: string;
  cert: string;
  key: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await execa("openssl", args, { cwd: dir });
  } catch (err) {
    throw new Error(`openssl ${args[0] ?? ""} failed (openssl makes the test certificates; install it with the OS package manager)`, { cause: err });
  }
}

export async function serverCertificate(opts: { release: string; namespace: string; clusterDomain?: string; externalIp: string }): Promise<ServerCertificate> {
  const { release, namespace, clusterDomain = "cluster.local", externalIp } = opts;
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-certs-"));
  try {
    const names = [
      `*.${release}-headless.${namespace}.svc.${clusterDomain}`,
      release,
      `${release}.${namespace}`,
      `${release}.${namespace}.svc`,
      `${release}.${namespace}.svc.${clusterDomain}`,
    ];
    writeFileSync(
      join(dir, "ext"),
      `subjectAltName=${[...names.map((n) => `DNS:${n}`), `IP:${externalIp}`].join(",")}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n`,
    );
    await openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "7", "-subj", "/CN=kafka-ha test CA"]);
    await openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tls.key", "-out", "tls.csr", "-subj", `/CN=${release}.${namespace}.svc`]);
    await openssl(dir, [
      "x509",
      "-req",
      "-in",
      "tls.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "tls.crt",
      "-days",
      "7",
      "-extfile",
      "ext",
    ]);
    const read = (f: string): string => readFileSync(join(dir, f), "utf8");
    return { ca: read("ca.crt"), cert: read("tls.crt"), key: read("tls.key") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed certificate for CN `cn` as `<dir>/ca.crt`, its key as `<dir>/<key>` (a fake API server's, in the unit tier). */
export async function selfSigned(dir: string, cn: string, extra: string[], key: string): Promise<void> {
  await openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    `/CN=${cn}`,
    ...extra,
    "-keyout",
    join(dir, key),
    "-out",
    join(dir, "ca.crt"),
  ]);
}

/** The certificate a broker serves at host:port, read by a TLS handshake that checks it against `ca` (and the name). */
export function servedCertificate(address: string, ca: string): Promise<PeerCertificate> {
  const [host, port] = address.split(":");
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port), ca: [ca], timeout: 10000 }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on("error", reject);
    socket.on("timeout", () => socket.destroy(new Error(`TLS handshake with ${address} timed out`)));
  });
}
