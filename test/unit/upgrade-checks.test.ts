// templates/_upgrade.tpl: the upgrade checks against the running release. `helm template` has no
// cluster, so `lookup` finds nothing; here a copy of the chart gets a templates/_lookup.tpl that
// returns StatefulSets rendered by the real chart from the *previous* values, as helm upgrade would
// find them. The same refusals against a real cluster: test/e2e/s9-rolling-upgrade.test.ts.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { chartDir, helmTemplate, parseManifests, render } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

const FAKE_LOOKUP = `{{- define "kafka-ha.runningStatefulSet" -}}
{{- get (.context.Files.Get "files/running.json" | fromJson) .name | default dict | toJson -}}
{{- end -}}
`;

/**
 * helm template of `next` with the StatefulSets rendered from `previous` as the running release;
 * `tweak` changes them first, as the cluster may have (a Job scaled one).
 */
async function upgrade(
  previous: KafkaHaValues | undefined,
  next: KafkaHaValues,
  tweak?: (running: Record<string, { spec: { replicas: number } }>) => void,
): Promise<{ ok: boolean; stderr: string; stdout: string }> {
  const running: Record<string, { spec: { replicas: number } }> = {};
  if (previous) for (const s of (await render(previous)).ofKind("StatefulSet")) running[s.metadata.name] = s as unknown as { spec: { replicas: number } };
  tweak?.(running);
  const dir = mkdtempSync(join(tmpdir(), "kafka-ha-upgrade-"));
  try {
    for (const f of ["Chart.yaml", "values.yaml", "values.schema.json", "templates", "files"]) cpSync(join(chartDir, f), join(dir, f), { recursive: true });
    writeFileSync(join(dir, "templates/_lookup.tpl"), FAKE_LOOKUP);
    writeFileSync(join(dir, "files/running.json"), JSON.stringify(running));
    return await helmTemplate(next, [], { chart: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const five: KafkaHaValues = { broker: { replicas: 5 } };
const t = suite("upgrade checks");

t("no running release (install, helm template, GitOps), the same values, more brokers: no refusal", async () => {
  for (const [prev, next] of [
    [undefined, five],
    [five, five],
    [{}, five],
    [{ controller: { dedicated: true } }, { controller: { dedicated: true }, broker: { replicas: 4 } }],
  ] as const) {
    const r = await upgrade(prev, next);
    assert.ok(r.ok, r.stderr);
  }
});

t("fewer brokers with rebalance off: refused with the brokers that would go and the safe procedure; allowed once confirmed for that count", async () => {
  const off = { rebalance: { enabled: false } };
  const r = await upgrade(five, { ...off, broker: { replicas: 3 } });
  assert.not.ok(r.ok);
  assert.match(r.stderr, /upgrade refused \(checked against the running release\):/);
  assert.match(r.stderr, /kafka-ha: broker\.replicas 5 -> 3 would remove brokers 3, 4 at once \(podManagementPolicy Parallel\)/);
  assert.match(
    r.stderr,
    /kafka-reassign-partitions\.sh --generate .* then upgrade with broker\.replicas=3 and broker\.confirmScaleDownTo=3\. Or turn rebalance\.enabled on/,
  );
  // A confirmation for another count does not carry over.
  assert.not.ok((await upgrade(five, { ...off, broker: { replicas: 3, confirmScaleDownTo: 4 } })).ok);
  const ok = await upgrade(five, { ...off, broker: { replicas: 3, confirmScaleDownTo: 3 } });
  assert.ok(ok.ok, ok.stderr);
  const dedicated = await upgrade(
    { controller: { dedicated: true }, broker: { replicas: 4 } },
    { ...off, controller: { dedicated: true }, broker: { replicas: 3 } },
  );
  assert.match(dedicated.stderr, /broker\.replicas 4 -> 3 would remove brokers 3 at once/);
});

t("fewer brokers with rebalance on (the default): allowed, the pre-upgrade rebalance Job moves the replicas first", async () => {
  const r = await upgrade(five, { broker: { replicas: 3 } });
  assert.ok(r.ok, r.stderr);
});

t("controller.replicas in combined mode: any change refused, saying why and where the quorum can be resized", async () => {
  const fewer = await upgrade({ broker: { replicas: 5 }, controller: { replicas: 5 } }, { broker: { replicas: 5 }, controller: { replicas: 3 } });
  assert.not.ok(fewer.ok);
  assert.match(
    fewer.stderr,
    /kafka-ha: controller\.replicas 5 -> 3 is refused in combined mode \(controller\.dedicated=false\): there the KRaft voters are the first controller\.replicas broker pods \(ordinals 0, 1, 2, 3, 4\), so a new count would change process\.roles of pods that are formatted and hold data \(voters 3, 4 would become plain brokers\), which Kafka does not support on a formatted node/,
  );
  assert.match(fewer.stderr, /what combined mode can change safely is broker\.replicas \(the voters stay\)\. Keep controller\.replicas=5\./);
  assert.match(fewer.stderr, /run dedicated controllers: a new release with controller\.dedicated=true.*README "Resize the controller quorum"/);
  const more = await upgrade({ broker: { replicas: 5 } }, { broker: { replicas: 5 }, controller: { replicas: 5 } });
  assert.not.ok(more.ok);
  assert.match(more.stderr, /controller\.replicas 3 -> 5 is refused in combined mode .*\(brokers 3, 4 would become controllers\)/);
  assert.match(more.stderr, /Keep controller\.replicas=3\./);
  // Brokers beyond the voters still scale in combined mode.
  const brokers = await upgrade({ broker: { replicas: 5 } }, { broker: { replicas: 3 } });
  assert.ok(brokers.ok, brokers.stderr);
});

t("controller.replicas with dedicated controllers: both ways allowed (the controller-removal Job carries out a lower count)", async () => {
  const ded = (replicas: 3 | 5 | 7): KafkaHaValues => ({ controller: { dedicated: true, replicas } });
  for (const [from, to] of [
    [3, 5],
    [5, 3],
    [7, 3],
  ] as const) {
    const r = await upgrade(ded(from), ded(to));
    assert.ok(r.ok, `${from} -> ${to}: ${r.stderr}`);
  }
});

t("TLS on the internal or controller listener of a running release: refused either way; the client listener alone rolls", async () => {
  const TLS: KafkaHaValues = { tls: { enabled: true, secret: { name: "kafka-tls" } } };
  const on = await upgrade({}, TLS);
  assert.not.ok(on.ok);
  assert.match(on.stderr, /kafka-ha: tls: the INTERNAL listener would switch from plaintext to TLS on a running release\. A rolling restart cannot do that/);
  assert.match(on.stderr, /kafka-ha: tls: the CONTROLLER listener would switch from plaintext to TLS/);
  const off = await upgrade({ controller: { dedicated: true }, ...TLS }, { controller: { dedicated: true } });
  assert.match(off.stderr, /the INTERNAL listener would switch from TLS to plaintext/);
  const clientOnly: KafkaHaValues = { tls: { enabled: true, secret: { name: "kafka-tls" }, listeners: { internal: false, controller: false } } };
  const r = await upgrade({}, clientOnly);
  assert.ok(r.ok, r.stderr);
  assert.ok((await upgrade(TLS, TLS)).ok, "an unchanged TLS release upgrades");
});

t("switching controller.dedicated either way on a running release: refused", async () => {
  const on = await upgrade({}, { controller: { dedicated: true } });
  assert.not.ok(on.ok);
  assert.match(on.stderr, /kafka-ha: controller\.dedicated=true on a release that runs in combined mode \(StatefulSet kafka-ha\) is not supported/);
  const off = await upgrade({ controller: { dedicated: true } }, {});
  assert.match(
    off.stderr,
    /kafka-ha: controller\.dedicated=false on a release that runs dedicated controllers \(StatefulSet kafka-ha-controller\) is not supported/,
  );
});

t(
  "a larger volume: refused with the procedure that grows it; smaller, another class or access mode: refused; the same size written otherwise: allowed",
  async () => {
    const grow = await upgrade({}, { broker: { storage: { size: "20Gi" } } });
    assert.not.ok(grow.ok);
    assert.match(
      grow.stderr,
      /kafka-ha: broker\.storage\.size 10Gi -> 20Gi on the running StatefulSet kafka-ha: Kubernetes cannot change a StatefulSet's volume template/,
    );
    assert.match(
      grow.stderr,
      /allowVolumeExpansion.*patch pvc data-kafka-ha-<ordinal> -p '\{"spec":\{"resources":\{"requests":\{"storage":"20Gi"\}\}\}\}'.*delete statefulset kafka-ha --cascade=orphan.*run this helm upgrade again/,
    );
    const dedicated = await upgrade({ controller: { dedicated: true } }, { controller: { dedicated: true, storage: { size: "4Gi" } } });
    assert.match(dedicated.stderr, /controller\.storage\.size \S+ -> 4Gi on the running StatefulSet kafka-ha-controller/);
    assert.match((await upgrade({}, { broker: { storage: { size: "5Gi" } } })).stderr, /broker\.storage\.size 10Gi -> 5Gi .*volumes never shrink/);
    assert.match(
      (await upgrade({}, { broker: { storage: { storageClass: "fast" } } })).stderr,
      /broker\.storage\.storageClass "\(the default class\)" -> "fast".*cannot change its StorageClass/,
    );
    assert.match(
      (await upgrade({}, { broker: { storage: { accessModes: ["ReadWriteOncePod"] } } })).stderr,
      /broker\.storage\.accessModes \["ReadWriteOnce"\] -> \["ReadWriteOncePod"\]/,
    );
    const same = await upgrade({}, { broker: { storage: { size: "10240Mi" } } });
    assert.ok(same.ok, same.stderr);
    // After step 3 of the procedure the StatefulSet is gone: the upgrade that recreates it is not refused.
    const recreated = await upgrade(undefined, { broker: { storage: { size: "20Gi" } } });
    assert.ok(recreated.ok, recreated.stderr);
  },
);

t("the rebalance Jobs are rendered only when the broker count may change (or nothing can be looked up)", async () => {
  const jobs = (stdout: string): string[] => [...stdout.matchAll(/name: (kafka-ha-rebalance-(?:before|after))\n/g)].map((m) => m[1]!);
  const both = ["kafka-ha-rebalance-before", "kafka-ha-rebalance-after"];
  assert.equal(jobs((await upgrade({}, {})).stdout), [], "same count: no Job");
  assert.equal(jobs((await upgrade({}, five)).stdout), both, "3 -> 5");
  assert.equal(jobs((await upgrade(five, {})).stdout), both, "5 -> 3");
  assert.equal(jobs((await upgrade(undefined, {})).stdout), both, "no running release to look at (helm template, GitOps)");
  assert.equal(jobs((await upgrade({}, { rebalance: { enabled: false }, broker: { replicas: 5 } })).stdout), [], "rebalance off");
});

t("the controller-removal Job is rendered only with dedicated controllers when their count may go down (or nothing can be looked up)", async () => {
  const ded = (replicas: 3 | 5 | 7): KafkaHaValues => ({ controller: { dedicated: true, replicas } });
  const NAME = "kafka-ha-controller-removal";
  const removal = (stdout: string): string[] =>
    [...stdout.matchAll(/^kind: (\w+)\nmetadata:\n {2}name: kafka-ha-controller-removal\n/gm)].map((m) => m[1]!).sort();
  const env = (stdout: string): Record<string, string> => {
    const job = parseManifests(stdout).find((o) => o.kind === "Job" && o.metadata.name === NAME) as unknown as {
      spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } };
    };
    return Object.fromEntries(job.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
  };
  const all = ["ConfigMap", "Job", "Role", "RoleBinding", "ServiceAccount"];
  const shrink = await upgrade(ded(5), ded(3));
  assert.equal(removal(shrink.stdout), all, "5 -> 3");
  assert.equal(
    [env(shrink.stdout)["KAFKA_HA_CONTROLLERS"], env(shrink.stdout)["KAFKA_HA_CONTROLLERS_BEFORE"], env(shrink.stdout)["KAFKA_HA_CONTROLLER_ID_BASE"]],
    ["3", "5", "1000"],
  );
  // Its account may scale the controller StatefulSet and look at the pods that go, nothing else;
  // account, rights and class exist before the Job (hook weight -10) and go once it succeeded.
  const objects = parseManifests(shrink.stdout).filter((o) => o.metadata.name === NAME);
  const role = objects.find((o) => o.kind === "Role") as unknown as { rules: unknown[] };
  assert.equal(role.rules, [
    { apiGroups: ["apps"], resources: ["statefulsets/scale"], resourceNames: ["kafka-ha-controller"], verbs: ["get", "patch"] },
    { apiGroups: [""], resources: ["pods"], resourceNames: [3, 4, 5, 6, 7, 8].map((i) => `kafka-ha-controller-${i}`), verbs: ["get"] },
  ]);
  for (const o of objects) {
    assert.is(o.metadata.annotations?.["helm.sh/hook"], "pre-upgrade", o.kind);
    if (o.kind !== "Job") {
      assert.is(o.metadata.annotations?.["helm.sh/hook-weight"], "-10", o.kind);
      assert.is(o.metadata.annotations?.["helm.sh/hook-delete-policy"], "before-hook-creation,hook-succeeded", o.kind);
    }
  }
  const pod = (objects.find((o) => o.kind === "Job") as unknown as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
  assert.is(pod["serviceAccountName"], NAME);
  assert.is(pod["automountServiceAccountToken"], true, "it calls the Kubernetes API");
  const containers = pod["containers"] as { command: string[] }[];
  assert.is(containers.length, 1);
  assert.match(containers[0]!.command.join(" "), /-cp \/opt\/kafka\/libs\/\*:\/opt\/kafka-ha\/class ControllerRemoval$/);
  assert.equal(removal((await upgrade(ded(3), ded(3))).stdout), [], "same count: nothing rendered");
  assert.equal(removal((await upgrade(ded(3), ded(5))).stdout), [], "3 -> 5: new controllers join by themselves");
  // A removal that scaled the StatefulSet down but did not finish (the upgrade failed afterwards):
  // its pod template still says 5, so the next upgrade runs the Job again and it continues.
  const halfway = await upgrade(ded(5), ded(3), (running) => {
    running["kafka-ha-controller"]!.spec.replicas = 3;
  });
  assert.equal(removal(halfway.stdout), all, "scaled to 3 by a Job that stopped half-way");
  assert.is(env(halfway.stdout)["KAFKA_HA_CONTROLLERS_BEFORE"], "5");
  const unknown = await upgrade(undefined, ded(3));
  assert.equal(removal(unknown.stdout), all, "no running release to look at (helm template, GitOps)");
  assert.is(env(unknown.stdout)["KAFKA_HA_CONTROLLERS_BEFORE"], "");
  assert.equal(removal((await upgrade(undefined, {})).stdout), [], "combined mode: never");
});

t("an older Kafka minor version is refused once the features Job finalizes the running one's; patch versions and featureUpgrade off are not", async () => {
  const image = (tag: string): KafkaHaValues => ({ image: { repository: "apache/kafka", tag } });
  const older = await upgrade(image("4.4.0"), image("4.3.1"));
  assert.not.ok(older.ok);
  assert.match(
    older.stderr,
    /kafka-ha: image apache\/kafka:4\.3\.1 runs Kafka 4\.3\.1, older than the Kafka 4\.4\.0 this release runs\..*Keep Kafka 4\.4\.x or newer/,
  );
  for (const [prev, next] of [
    [image("4.4.1"), image("4.4.0")],
    [image("4.3.1"), image("4.4.0")],
    [image("4.4.0"), { ...image("4.3.1"), featureUpgrade: { enabled: false } }],
    [image("custom-build"), image("4.3.1")],
  ] as const) {
    const r = await upgrade(prev, next);
    assert.ok(r.ok, r.stderr);
  }
});

t("the features Job is rendered only when the image may change (or nothing can be looked up)", async () => {
  const job = (stdout: string): boolean => /name: kafka-ha-features\n/.test(stdout);
  assert.not.ok(job((await upgrade({}, {})).stdout), "same image: no Job");
  assert.ok(job((await upgrade({ image: { tag: "4.3.1" } }, {})).stdout), "4.3.1 -> the chart's");
  assert.ok(job((await upgrade(undefined, {})).stdout), "no running release to look at");
});

t("every refusal in one message", async () => {
  const r = await upgrade(
    { broker: { replicas: 5 }, controller: { replicas: 5 } },
    { rebalance: { enabled: false }, broker: { replicas: 4 }, controller: { replicas: 3 } },
  );
  assert.is(r.stderr.split("\n").filter((l) => l.includes("kafka-ha: ")).length, 2, r.stderr);
});

t.run();
