// The compiled Java classes the chart ships (files/rack/NodeZone.class for the rack init container,
// files/quorum/BootstrapState.class for start.sh, files/tls/GeneratedCertificate.class for
// tls.source=generated, files/rebalance/Rebalance.class, files/features/FeatureLevels.class and
// files/quorum/ControllerRemoval.class for the hook Jobs, compiled against kafka-clients and
// files/jobs/JobClient.class (what they share, shipped next to each of them) by their own build
// scripts, and files/readiness/KafkaHaReadinessReporter.class for the in-JVM readiness check, compiled
// against kafka-clients) are what their sources compile to: a source edited
// without rebuilding the class fails here. Compiled exactly as scripts/lib/build-class.sh does
// (javac --release 17, no debug info), which gives the same bytes with the JDK 17 these machines have.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chartDir } from "../helpers/render.js";

const CLASSES = [
  { source: "scripts/chart/rack/NodeZone.java", shipped: "files/rack/NodeZone.class", rebuild: "scripts/chart/rack/build.sh" },
  { source: "scripts/chart/quorum/BootstrapState.java", shipped: "files/quorum/BootstrapState.class", rebuild: "scripts/chart/quorum/build.sh" },
  { source: "scripts/chart/tls/GeneratedCertificate.java", shipped: "files/tls/GeneratedCertificate.class", rebuild: "scripts/chart/tls/build.sh" },
  // What the hook Jobs' classes share; JDK only. Theirs compile against this shipped copy (files/jobs).
  { source: "scripts/chart/jobs/JobClient.java", shipped: "files/jobs/JobClient.class", rebuild: "scripts/chart/jobs/build.sh" },
  // Needs kafka-clients on the classpath: its build script fetches it (Maven) and takes the output directory.
  {
    source: "scripts/chart/rebalance/Rebalance.java",
    shipped: "files/rebalance/Rebalance.class",
    rebuild: "scripts/chart/rebalance/build.sh",
    buildsInto: true,
  },
  {
    source: "scripts/chart/features/FeatureLevels.java",
    shipped: "files/features/FeatureLevels.class",
    rebuild: "scripts/chart/features/build.sh",
    buildsInto: true,
  },
  {
    source: "scripts/chart/readiness/KafkaHaReadinessReporter.java",
    shipped: "files/readiness/KafkaHaReadinessReporter.class",
    rebuild: "scripts/chart/readiness/build.sh",
    buildsInto: true,
  },
  {
    source: "scripts/chart/quorum/ControllerRemoval.java",
    shipped: "files/quorum/ControllerRemoval.class",
    rebuild: "scripts/chart/quorum/build-removal.sh",
    buildsInto: true,
  },
];

for (const c of CLASSES) {
  test(`${c.shipped} is ${c.source} compiled`, async () => {
    const out = mkdtempSync(join(tmpdir(), "kafka-ha-class-"));
    try {
      if ("buildsInto" in c) await execa("bash", [join(chartDir, c.rebuild), out]);
      else await execa("bash", [join(chartDir, "scripts/lib/build-class.sh"), join(chartDir, c.source), out]);
      const fresh = readFileSync(join(out, c.shipped.split("/").at(-1) ?? ""));
      assert.ok(fresh.equals(readFileSync(join(chartDir, c.shipped))), `${c.shipped} differs from its source compiled now: run ${c.rebuild}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test.run();
