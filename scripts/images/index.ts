// The images the cluster and the e2e suite run, for TypeScript callers, and `npm run images`.
//
// Connected machine (a registry answers, KAFKA_HA_OFFLINE unset): the pinned upstream images.
// Otherwise (no registry, or KAFKA_HA_OFFLINE=1): the images built here from package registries by
// scripts/images/<name>/build.sh (each prints its ref; each is cached by the hash of its inputs,
// so calling these functions again costs well under a second).
//
//   npm run images              build every image, print a table of refs, sizes and times
//   npm run images -- --verify  also run scripts/images/kafka/verify.sh on the Kafka image
import { dockerClient, run, say } from "../lib/run.js";
import { pinned } from "../lib/versions.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { registryReachable } from "../lib/registry.js";
import { REPO_ROOT } from "../lib/paths.js";

const imagesDir = path.dirname(fileURLToPath(import.meta.url));

/** The images built here; the node image is built by scripts/images/node (another part of issue 3). */
export const LOCAL_IMAGES = ["kafka", "pause", "coredns", "local-path-provisioner", "busybox", "k3d-tools", "jmx-exporter"] as const;
export type LocalImage = (typeof LOCAL_IMAGES)[number];
const built = new Map<LocalImage, Promise<string>>();
/** Builds (or finds current) one local image and returns its ref. */
export function buildImage(name: LocalImage): Promise<string> {
  let p = built.get(name);
  if (!p) {
    p = (async () => {
      await dockerClient();
      const out = await run("bash", [path.join(imagesDir, name, "build.sh")]);
      const ref = out.trim().split("\n").pop() ?? "";
      if (!ref.includes(":")) throw new Error(`scripts/images/${name}/build.sh printed '${ref}', not an image ref`);
      return ref;
    })();
    built.set(name, p);
    p.catch(() => built.delete(name));
  }
  return p;
}

/** Chart.yaml's appVersion: the one source of the Kafka version. */
export async function kafkaVersion(): Promise<string> {
  const chart = await readFile(path.join(REPO_ROOT, "Chart.yaml"), "utf8");
  const m = /^appVersion:\s*"?([^"\s]+)"?/m.exec(chart);
  if (!m?.[1]) throw new Error("Chart.yaml has no appVersion");
  return m[1];
}

async function imagePresent(ref: string): Promise<boolean> {
  const r = await execa(await dockerClient(), ["image", "inspect", "--format", "{{.Id}}", ref], { reject: false });
  return r.exitCode === 0;
}

/**
 * The Kafka image to install: upstream apache/kafka:<version> when a registry answers (pulled
 * here so it can be loaded into the nodes), otherwise the local build, built on demand. The version
 * is the chart's appVersion unless given (S17 installs the previous one, versions.json kafkaPrevious).
 */
export async function kafkaImage(version?: string): Promise<string> {
  const wanted = version ?? (await kafkaVersion());
  const upstream = `apache/kafka:${wanted}`;
  if (await registryReachable()) {
    if (await imagePresent(upstream)) return upstream;
    say(`pulling ${upstream}`);
    const r = await execa(await dockerClient(), ["pull", "-q", upstream], { reject: false });
    if (r.exitCode === 0) return upstream;
    say(`pulling ${upstream} failed (${r.stderr.trim().split("\n").pop() ?? ""}); using the local build instead`);
  }
  if (version === undefined) return buildImage("kafka");
  // Another Kafka release: the same build, told the version (scripts/images/lib.sh kafka_version).
  await dockerClient();
  const out = await run("bash", [path.join(imagesDir, "kafka", "build.sh")], { env: { KAFKA_HA_KAFKA_VERSION: wanted } });
  return out.trim().split("\n").pop() ?? "";
}

/** The image for k3d's K3D_IMAGE_TOOLS: upstream k3d-tools when a registry answers, else ours. */
export async function toolsImage(): Promise<string> {
  if (await registryReachable()) {
    const k3d = pinned("k3d");
    return `ghcr.io/k3d-io/k3d-tools:${k3d.replace(/^v/, "")}`;
  }
  return buildImage("k3d-tools");
}

/**
 * The init-container image of `metrics.image`, which carries the Prometheus JMX exporter agent jar:
 * always the local build (scripts/images/jmx-exporter/build.sh), registry or not. There is no
 * upstream image to prefer: prometheus/jmx_exporter publishes the jar (Maven Central) and declines
 * to ship an image (it is meant to run inside the application's JVM), and the images that bundle
 * it are third-party repackagings whose jar we could not check. Ours is the Maven Central jar,
 * verified against its published checksum, on our busybox image.
 */
export function metricsAgentImage(): Promise<string> {
  return buildImage("jmx-exporter");
}

/** Size of a local image in MB (as `docker images` counts it). */
export async function imageSizeMB(ref: string): Promise<number> {
  const out = await run(await dockerClient(), ["image", "inspect", "--format", "{{.Size}}", ref], { quiet: true });
  return Number(out.trim()) / 1e6;
}

async function main(argv: string[]): Promise<void> {
  const verify = argv.includes("--verify");
  const rows: { name: string; ref: string; sizeMB: number; seconds: number }[] = [];
  for (const name of LOCAL_IMAGES) {
    const t0 = Date.now();
    const ref = await buildImage(name);
    rows.push({ name, ref, sizeMB: await imageSizeMB(ref), seconds: (Date.now() - t0) / 1000 });
  }
  if (verify) await run("bash", [path.join(imagesDir, "kafka/verify.sh"), rows[0]?.ref ?? ""]);
  const w = Math.max(...rows.map((r) => r.ref.length));
  const lines = [
    `${"image".padEnd(24)} ${"ref".padEnd(w)} ${"size".padStart(10)} ${"time".padStart(8)}`,
    ...rows.map((r) => `${r.name.padEnd(24)} ${r.ref.padEnd(w)} ${`${r.sizeMB.toFixed(1)} MB`.padStart(10)} ${`${r.seconds.toFixed(1)}s`.padStart(8)}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    say(`ERROR: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
