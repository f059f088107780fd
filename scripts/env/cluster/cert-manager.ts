// cert-manager in the project's k3d cluster (issue 9: the chart's TLS support issues its
// certificates with it). Namespace `cert-manager`, Helm release `cert-manager`.
//
// Chart: upstream's own (deploy/charts/cert-manager of the Go module
// github.com/cert-manager/cert-manager at versions.json `certManager`, fetched with `go mod
// download`), packaged once into the cache with that version, CRDs installed and removed with the
// release (crds.enabled, crds.keep=false), leader election in the release namespace (so nothing
// lands in kube-system), no startupapicheck job (the readiness check below does its work).
// Images: where no container registry answers (or KAFKA_HA_OFFLINE=1), the ones
// scripts/images/cert-manager/build.sh builds, imported into every node like k3d.ts imports
// images; otherwise the chart's upstream images (quay.io/jetstack).
//
//   npm run cluster -- cert-manager install     [--single-node]
//   npm run cluster -- cert-manager uninstall   [--single-node]
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { helm, withValuesFile } from "../../lib/helm.js";
import { run, say } from "../../lib/run.js";
import { pinned } from "../../lib/versions.js";
import { DEFAULT_CLUSTER, type ClusterProfile, clusterNodes, importImages, kubeconfigPath, kubectl, offline } from "./k3d.js";
import { REPO_ROOT } from "../../lib/paths.js";
import { waitFor } from "../../lib/wait.js";

export const CERT_MANAGER_NAMESPACE = "cert-manager";
const RELEASE = "cert-manager";
const MODULE = "github.com/cert-manager/cert-manager";
export const CERT_MANAGER_COMPONENTS = ["controller", "webhook", "cainjector"] as const;
export type CertManagerComponent = (typeof CERT_MANAGER_COMPONENTS)[number];

const cacheDir = process.env.KAFKA_HA_CACHE ?? path.join(os.homedir(), ".cache", "kafka-ha");
const scope = "cert-manager";

/** The pinned cert-manager version (scripts/versions.json `certManager`). */
export function certManagerVersion(): string {
  return pinned("certManager");
}

/** Builds (or finds current) the local images; returns their refs by component. */
export async function buildCertManagerImages(): Promise<Record<CertManagerComponent, string>> {
  const refs = {} as Record<CertManagerComponent, string>;
  for (const c of CERT_MANAGER_COMPONENTS) {
    const out = await run("bash", [path.join(REPO_ROOT, "scripts/images/cert-manager/build.sh"), c]);
    const ref = out.trim().split("\n").pop() ?? "";
    if (!ref.includes(":")) throw new Error(`scripts/images/cert-manager/build.sh ${c} printed '${ref}', not an image ref`);
    refs[c] = ref;
  }
  return refs;
}

/**
 * Upstream's Helm chart of the pinned version as a packaged .tgz in the cache: taken from the Go
 * module (checksum-verified by the go command) and given its Chart.yaml as upstream's release
 * tooling does (the module has Chart.template.yaml, version v0.0.0: version and appVersion are
 * the release, not a pre-release).
 */
export async function certManagerChart(): Promise<string> {
  const ver = certManagerVersion();
  const dir = path.join(cacheDir, "charts");
  const target = path.join(dir, `cert-manager-${ver}.tgz`);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  say(`fetching the chart of ${MODULE}@${ver} (go mod download)...`, scope);
  const info = JSON.parse(await run("go", ["mod", "download", "-json", `${MODULE}@${ver}`], { quiet: true })) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${MODULE}@${ver}: ${info.Error ?? "no module directory"}`);
  const tmp = mkdtempSync(path.join(dir, ".cert-manager-"));
  try {
    // A writable copy (the module cache is read-only).
    const src = path.join(tmp, "cert-manager");
    cpSync(path.join(info.Dir, "deploy/charts/cert-manager"), src, { recursive: true });
    for (const d of [
      src,
      ...readdirSync(src, { recursive: true, withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(e.parentPath, e.name)),
    ])
      chmodSync(d, 0o755);
    const template = path.join(src, "Chart.template.yaml");
    if (existsSync(template)) {
      const prerelease = ver.includes("-") ? "true" : "false";
      writeFileSync(path.join(src, "Chart.yaml"), readFileSync(template, "utf8").replaceAll("{{IS_PRERELEASE}}", prerelease));
      rmSync(template);
    }
    await helm(["package", src, "--version", ver, "--app-version", ver, "--destination", tmp]);
    const [tgz] = readdirSync(tmp).filter((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`helm package wrote no chart into ${tmp}`);
    renameSync(path.join(tmp, tgz), target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

/** Chart values: local images where offline, CRDs with the release, everything in one namespace. */
async function chartValues(): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {
    crds: { enabled: true, keep: false },
    global: { leaderElection: { namespace: CERT_MANAGER_NAMESPACE } },
    startupapicheck: { enabled: false },
  };
  if (await offline()) {
    const ver = certManagerVersion();
    const image = (name: string) => ({ repository: `kafka-ha.local/cert-manager-${name}`, tag: ver, pullPolicy: "IfNotPresent" });
    values.image = image("controller");
    values.webhook = { image: image("webhook") };
    values.cainjector = { image: image("cainjector") };
    // Not built: ACME HTTP-01 needs the ACME server on the internet, which these machines lack.
    values.acmesolver = { image: { repository: "kafka-ha.local/cert-manager-acmesolver", tag: ver } };
  }
  return values;
}

/** Retries `fn` every 2 s until it succeeds or `timeoutMs` passes; the last error is in the message. */
const retry = async <T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> =>
  (await waitFor(async () => ({ value: await fn() }), { what, timeoutMs, intervalMs: 2000, probeTimeoutMs: timeoutMs })).value;

/**
 * The whole path once, in a scratch namespace deleted afterwards: the webhook admits an Issuer
 * (so the API server reaches it with the CA bundle cainjector injected), the controller issues a
 * self-signed Certificate (PKCS#8 RSA key) and its Secret holds tls.crt, tls.key and ca.crt.
 */
export async function checkCertManager(profile: ClusterProfile = DEFAULT_CLUSTER, timeoutMs = 180_000): Promise<void> {
  const ns = `cert-manager-check-${Date.now().toString(36)}`;
  const manifest = `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned, namespace: ${ns}}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: check, namespace: ${ns}}
spec:
  secretName: check-tls
  commonName: check.${ns}.svc
  dnsNames: [check.${ns}.svc]
  privateKey: {algorithm: RSA, encoding: PKCS8, size: 2048}
  issuerRef: {name: selfsigned, kind: Issuer}
`;
  try {
    // Refused (webhook not serving yet, or no CA bundle injected yet) until cert-manager is up.
    await retry("the cert-manager webhook to admit an Issuer", timeoutMs, () => kubectl(["apply", "-f", "-"], { input: manifest, profile }));
    await kubectl(["-n", ns, "wait", "--for=condition=Ready", "certificate/check", `--timeout=${Math.round(timeoutMs / 1000)}s`], { profile });
    const data = JSON.parse(await kubectl(["-n", ns, "get", "secret", "check-tls", "-o", "jsonpath={.data}"], { profile })) as Record<string, string>;
    const pem = (k: string) => Buffer.from(data[k] ?? "", "base64").toString("utf8");
    const problems = [
      pem("tls.crt").includes("-----BEGIN CERTIFICATE-----") ? "" : "tls.crt holds no certificate",
      pem("tls.key").includes("-----BEGIN PRIVATE KEY-----") ? "" : "tls.key is not a PKCS#8 key",
      pem("ca.crt").includes("-----BEGIN CERTIFICATE-----") ? "" : "ca.crt holds no certificate",
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`the check certificate's Secret: ${problems.join("; ")}`);
  } finally {
    await kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"], { profile }).catch(() => undefined);
  }
}

/**
 * Installs (or upgrades to the pinned state) cert-manager and returns once it issues a
 * certificate. Idempotent: images are rebuilt only when their inputs changed, the chart is
 * packaged once, `helm upgrade --install` converges.
 */
export async function installCertManager(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<void> {
  const started = Date.now();
  if ((await clusterNodes(profile)).length === 0) throw new Error(`cluster ${profile.name} does not exist: run npm run cluster:up first`);
  if (!existsSync(kubeconfigPath(profile)))
    throw new Error(`no kubeconfig at ${kubeconfigPath(profile)}: npm run cluster:up writes it (and returns at once when the cluster runs)`);
  const ver = certManagerVersion();
  say(`step 1/4: images (cert-manager ${ver})`, scope);
  if (await offline()) await importImages(Object.values(await buildCertManagerImages()), profile);
  else say("a container registry answers: the chart's upstream images are pulled by the nodes", scope);
  say("step 2/4: chart", scope);
  const chart = await certManagerChart();
  say(`step 3/4: helm upgrade --install ${RELEASE} (namespace ${CERT_MANAGER_NAMESPACE})`, scope);
  await withValuesFile(await chartValues(), (file) =>
    helm(["upgrade", "--install", RELEASE, chart, "--namespace", CERT_MANAGER_NAMESPACE, "--create-namespace", "-f", file, "--wait", "--timeout", "5m"], {
      kubeconfig: kubeconfigPath(profile),
      timeoutMs: 330_000,
    }),
  );
  say("step 4/4: waiting until a certificate is issued (self-signed Issuer in a scratch namespace)", scope);
  await checkCertManager(profile);
  say(`cert-manager ${ver} installed and issuing in ${((Date.now() - started) / 1000).toFixed(0)}s`, scope);
}

/** Removes the release, its CRDs (and so every cert-manager resource) and the namespace. */
export async function uninstallCertManager(profile: ClusterProfile = DEFAULT_CLUSTER): Promise<void> {
  const started = Date.now();
  const kubeconfig = kubeconfigPath(profile);
  const status = await helm(["list", "--namespace", CERT_MANAGER_NAMESPACE, "--filter", `^${RELEASE}$`, "-q"], { kubeconfig });
  if (status.trim() === RELEASE) {
    say(`helm uninstall ${RELEASE}`, scope);
    await helm(["uninstall", RELEASE, "--namespace", CERT_MANAGER_NAMESPACE, "--wait", "--timeout", "3m"], { kubeconfig, timeoutMs: 200_000 });
  } else {
    say(`no release ${RELEASE} in namespace ${CERT_MANAGER_NAMESPACE}`, scope);
  }
  // CRDs kept by an install with other values (crds.keep) and what the release never owned
  // (the webhook's CA Secret, leader election Leases) go with them and the namespace.
  const crds = (await kubectl(["get", "crd", "-o", "name"], { profile })).split("\n").filter((n) => /\.(acme\.)?cert-manager\.io$/.test(n));
  if (crds.length > 0) await kubectl(["delete", "--wait=true", ...crds], { profile });
  await kubectl(["delete", "namespace", CERT_MANAGER_NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=120s"], { profile });
  say(`cert-manager removed in ${((Date.now() - started) / 1000).toFixed(0)}s`, scope);
}
