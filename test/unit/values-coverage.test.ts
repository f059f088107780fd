// Every values key is proven (issue 8): for each key of scripts/chart/schema/values.ts, PROOFS sets it to
// a value other than its default and names what that changes in the render. The test renders the
// baseline (`base`, default: the chart's defaults) and the baseline with the key set: the proof must
// fail on the baseline and hold with the key set, so it cannot pass vacuously. A key whose effect
// only exists against a running release names the test that proves it instead (`provenBy`), and
// that test must mention the key. A key without an entry fails the first test, by name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { valueKeys } from "../../scripts/chart/schema/generate.js";
import { chartDir, type Rendered, render, renderNotes } from "../helpers/render.js";
import type { KafkaHaValues } from "../helpers/values.generated.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are read structurally */
type Obj = any;

interface Out {
  r: Rendered;
  notes: string;
}

interface Proof {
  /** Values that set the key (plus whatever it needs); layered over `base`. */
  set: KafkaHaValues;
  /** The baseline the proof must fail on (default: the chart's defaults). */
  base?: KafkaHaValues;
  /** What the key changes, as a predicate over the render (and NOTES when `notes` is set). */
  shows: (o: Out) => boolean;
  notes?: boolean;
  /** APIs both renders assume (the prometheus-operator CRDs). */
  apiVersions?: string[];
}

interface ProvenElsewhere {
  /** A test file that sets the key against a running release (lookup), which helm template has not. */
  provenBy: string;
}

// ---- reading a render -------------------------------------------------------------------------
const DEDICATED: KafkaHaValues = { controller: { dedicated: true } };
const sts = (o: Out, name = "kafka-ha"): Obj => o.r.get<Obj>("StatefulSet", name);
const podSpec = (o: Out, name = "kafka-ha"): Obj => sts(o, name).spec.template.spec;
const kafka = (o: Out, name = "kafka-ha"): Obj => podSpec(o, name).containers.find((c: Obj) => c.name === "kafka");
const env = (o: Out, variable: string, name = "kafka-ha"): string | undefined => kafka(o, name).env.find((e: Obj) => e.name === variable)?.value;
const props = (o: Out): string => o.r.get<Obj>("ConfigMap", "kafka-ha-config").data["server.properties"];
const hasProp = (o: Out, line: string): boolean => props(o).split("\n").includes(line);
const claim = (o: Out, name = "kafka-ha"): Obj => sts(o, name).spec.volumeClaimTemplates[0].spec;
const spread = (o: Out, key: string): Obj => (podSpec(o).topologySpreadConstraints ?? []).find((c: Obj) => c.topologyKey === key);
const probe = (o: Out, which: "startupProbe" | "livenessProbe" | "readinessProbe"): Obj => kafka(o)[which];
const names = (o: Out): string[] => o.r.objects.map((x) => `${x.kind}/${x.metadata.name}`);
const ONE_NODE: KafkaHaValues = {
  highAvailability: false,
  broker: { replicas: 1 },
  controller: { replicas: 1 },
  replication: { defaultReplicationFactor: 1, minInsyncReplicas: 1, internalTopics: { replicationFactor: 1, minInsyncReplicas: 1 } },
  podDisruptionBudget: { enabled: false },
};
/** Five brokers, all voters, RF 5 and min ISR 3: room for a PDB of 2. */
const FIVE_VOTERS: KafkaHaValues = { broker: { replicas: 5 }, controller: { replicas: 5 }, replication: { defaultReplicationFactor: 5, minInsyncReplicas: 3 } };
const TLS_SECRET: KafkaHaValues = { tls: { enabled: true, secret: { name: "kafka-tls" } } };
const TLS_CERT_MANAGER: KafkaHaValues = { tls: { enabled: true, source: "certManager", certManager: { issuerRef: { name: "ca" } } } };
const SASL: KafkaHaValues = { ...TLS_SECRET, sasl: { enabled: true } };
const TLS_GENERATED: KafkaHaValues = { tls: { enabled: true, source: "generated" } };
const generatorEnv = (o: Out, variable: string): string | undefined =>
  o.r.get<Obj>("Job", "kafka-ha-tls-generator").spec.template.spec.containers[0].env.find((e: Obj) => e.name === variable)?.value;
const networkPolicy = (o: Out): Obj => o.r.get<Obj>("NetworkPolicy", "kafka-ha").spec;
const AUTHORIZER: KafkaHaValues = { ...TLS_SECRET, authorization: { enabled: true } };
const rebalanceEnv = (o: Out, variable: string): string | undefined =>
  o.r.get<Obj>("Job", "kafka-ha-rebalance-after").spec.template.spec.containers[0].env.find((e: Obj) => e.name === variable)?.value;
const jobVolume = (o: Out, name: string): Obj => o.r.get<Obj>("Job", "kafka-ha-security").spec.template.spec.volumes.find((v: Obj) => v.name === name);
const tlsVolume = (o: Out): Obj => podSpec(o).volumes.find((v: Obj) => v.name === "tls");
const certificate = (o: Out): Obj => o.r.get<Obj>("Certificate", "kafka-ha-tls").spec;
const DIGEST = `sha256:${"ab".repeat(32)}`;
const METRICS: KafkaHaValues = { metrics: { enabled: true, image: { repository: "registry.example/jmx-exporter" } } };
const MONITORING = ["monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule"];
const metricsInit = (o: Out): Obj => (podSpec(o).initContainers ?? []).find((c: Obj) => c.name === "metrics-agent");
const serviceMonitor = (o: Out): Obj => o.r.find("ServiceMonitor", "kafka-ha");
const TERM = { matchExpressions: [{ key: "pool", operator: "In" as const, values: ["kafka"] }] };
const POD_TERM = { labelSelector: { matchLabels: { app: "x" } }, topologyKey: "kubernetes.io/hostname" };
type Resources = NonNullable<NonNullable<KafkaHaValues["broker"]>["resources"]>;
/**
 * The proofs of a pool's four resources keys (`broker`, or `controller` with dedicated controllers):
 * each key set alone to its value in `values`, read back from the pool's kafka container.
 */
function resourceProofs(pool: "broker" | "controller", values: Record<"requests" | "limits", Record<"cpu" | "memory", string>>): Record<string, Proof> {
  const proofs: Record<string, Proof> = {};
  for (const kind of ["requests", "limits"] as const)
    for (const resource of ["cpu", "memory"] as const) {
      const value = values[kind][resource];
      const resources: Resources = { [kind]: { [resource]: value } };
      proofs[`${pool}.resources.${kind}.${resource}`] =
        pool === "broker"
          ? { set: { broker: { resources } }, shows: (o) => kafka(o).resources[kind][resource] === value }
          : {
              set: { controller: { dedicated: true, resources } },
              base: DEDICATED,
              shows: (o) => kafka(o, "kafka-ha-controller").resources[kind][resource] === value,
            };
    }
  return proofs;
}

export const PROOFS: Record<string, Proof | ProvenElsewhere> = {
  nameOverride: { set: { nameOverride: "events" }, shows: (o) => o.r.ofKind("StatefulSet")[0]?.metadata.labels?.["app.kubernetes.io/name"] === "events" },
  fullnameOverride: { set: { fullnameOverride: "events" }, shows: (o) => names(o).includes("StatefulSet/events") },
  clusterDomain: { set: { clusterDomain: "corp.example" }, shows: (o) => env(o, "KAFKA_HA_DOMAIN") === "kafka-ha-headless.kafka.svc.corp.example" },
  highAvailability: { set: ONE_NODE, shows: (o) => /NOT HIGHLY AVAILABLE/.test(o.notes), notes: true },
  "image.repository": { set: { image: { repository: "mirror.example/kafka" } }, shows: (o) => kafka(o).image.startsWith("mirror.example/kafka:") },
  "image.tag": { set: { image: { tag: "4.3.1" } }, shows: (o) => kafka(o).image.endsWith(":4.3.1") },
  "image.digest": { set: { image: { digest: DIGEST } }, shows: (o) => kafka(o).image === `apache/kafka@${DIGEST}` },
  "image.pullPolicy": { set: { image: { pullPolicy: "Always" } }, shows: (o) => kafka(o).imagePullPolicy === "Always" },
  imagePullSecrets: { set: { imagePullSecrets: [{ name: "regcred" }] }, shows: (o) => podSpec(o).imagePullSecrets?.[0]?.name === "regcred" },
  clusterId: {
    set: { clusterId: "MkU3OEVBNTcwNTJENDM2Qg" },
    shows: (o) => Buffer.from(o.r.get<Obj>("Secret", "kafka-ha-cluster-id").data.clusterId, "base64").toString() === "MkU3OEVBNTcwNTJENDM2Qg",
  },
  "broker.replicas": { set: { broker: { replicas: 5 } }, shows: (o) => sts(o).spec.replicas === 5 },
  ...resourceProofs("broker", { requests: { cpu: "750m", memory: "1Gi" }, limits: { cpu: "2", memory: "3Gi" } }),
  "broker.heapPercent": {
    set: { broker: { heapPercent: 60 } },
    shows: (o) => env(o, "KAFKA_HEAP_OPTS") === "-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=60",
  },
  "broker.storage.size": { set: { broker: { storage: { size: "20Gi" } } }, shows: (o) => claim(o).resources.requests.storage === "20Gi" },
  "broker.storage.storageClass": { set: { broker: { storage: { storageClass: "fast-ssd" } } }, shows: (o) => claim(o).storageClassName === "fast-ssd" },
  "broker.storage.accessModes": {
    set: { broker: { storage: { accessModes: ["ReadWriteOncePod"] } } },
    shows: (o) => claim(o).accessModes.join() === "ReadWriteOncePod",
  },
  "broker.confirmScaleDownTo": { provenBy: "test/unit/upgrade-checks.test.ts" },
  "broker.terminationGracePeriodSeconds": {
    set: { broker: { terminationGracePeriodSeconds: 300 } },
    shows: (o) => podSpec(o).terminationGracePeriodSeconds === 300,
  },
  "featureUpgrade.enabled": { set: { featureUpgrade: { enabled: false } }, shows: (o) => !names(o).includes("Job/kafka-ha-features") },
  "featureUpgrade.timeoutSeconds": {
    set: { featureUpgrade: { timeoutSeconds: 600 } },
    shows: (o) =>
      o.r.get<Obj>("Job", "kafka-ha-features").spec.template.spec.containers[0].env.find((e: Obj) => e.name === "KAFKA_HA_WAIT_SECONDS")?.value === "600",
  },
  "rebalance.enabled": {
    set: { rebalance: { enabled: false } },
    shows: (o) => !names(o).includes("Job/kafka-ha-rebalance-before") && !names(o).includes("Job/kafka-ha-rebalance-after"),
  },
  "rebalance.throttleBytesPerSecond": { set: { rebalance: { throttleBytesPerSecond: 0 } }, shows: (o) => rebalanceEnv(o, "KAFKA_HA_THROTTLE") === "0" },
  "rebalance.timeoutSeconds": { set: { rebalance: { timeoutSeconds: 600 } }, shows: (o) => rebalanceEnv(o, "KAFKA_HA_WAIT_SECONDS") === "600" },
  "controller.dedicated": { set: DEDICATED, shows: (o) => names(o).includes("StatefulSet/kafka-ha-controller") },
  "controller.replicas": {
    set: { controller: { dedicated: true, replicas: 5 } },
    base: DEDICATED,
    shows: (o) => sts(o, "kafka-ha-controller").spec.replicas === 5,
  },
  ...resourceProofs("controller", { requests: { cpu: "400m", memory: "768Mi" }, limits: { cpu: "1", memory: "2Gi" } }),
  "controller.heapPercent": {
    set: { controller: { dedicated: true, heapPercent: 40 } },
    base: DEDICATED,
    shows: (o) => env(o, "KAFKA_HEAP_OPTS", "kafka-ha-controller") === "-XX:MaxRAMPercentage=40 -XX:InitialRAMPercentage=40",
  },
  "controller.storage.size": {
    set: { controller: { dedicated: true, storage: { size: "8Gi" } } },
    base: DEDICATED,
    shows: (o) => claim(o, "kafka-ha-controller").resources.requests.storage === "8Gi",
  },
  "controller.storage.storageClass": {
    set: { controller: { dedicated: true, storage: { storageClass: "fast-ssd" } } },
    base: DEDICATED,
    shows: (o) => claim(o, "kafka-ha-controller").storageClassName === "fast-ssd",
  },
  "controller.storage.accessModes": {
    set: { controller: { dedicated: true, storage: { accessModes: ["ReadWriteOncePod"] } } },
    base: DEDICATED,
    shows: (o) => claim(o, "kafka-ha-controller").accessModes.join() === "ReadWriteOncePod",
  },
  "replication.defaultReplicationFactor": {
    set: { broker: { replicas: 5 }, replication: { defaultReplicationFactor: 4 } },
    base: { broker: { replicas: 5 } },
    shows: (o) => hasProp(o, "default.replication.factor=4"),
  },
  "replication.minInsyncReplicas": {
    set: { broker: { replicas: 5 }, replication: { defaultReplicationFactor: 5, minInsyncReplicas: 3 } },
    base: { broker: { replicas: 5 }, replication: { defaultReplicationFactor: 5 } },
    shows: (o) => hasProp(o, "min.insync.replicas=3"),
  },
  "replication.internalTopics.replicationFactor": {
    set: { broker: { replicas: 5 }, replication: { internalTopics: { replicationFactor: 5 } } },
    base: { broker: { replicas: 5 } },
    shows: (o) => hasProp(o, "offsets.topic.replication.factor=5"),
  },
  "replication.internalTopics.minInsyncReplicas": {
    set: { broker: { replicas: 5 }, replication: { internalTopics: { replicationFactor: 5, minInsyncReplicas: 3 } } },
    base: { broker: { replicas: 5 }, replication: { internalTopics: { replicationFactor: 5 } } },
    shows: (o) => hasProp(o, "transaction.state.log.min.isr=3"),
  },
  "replication.uncleanLeaderElection": {
    set: { replication: { uncleanLeaderElection: true } },
    shows: (o) => hasProp(o, "unclean.leader.election.enable=true"),
  },
  config: { set: { config: { "message.max.bytes": 10485760 } }, shows: (o) => hasProp(o, "message.max.bytes=10485760") },
  "rackAwareness.enabled": {
    set: { rackAwareness: { enabled: false } },
    base: { rackAwareness: { enabled: true } },
    shows: (o) => env(o, "KAFKA_HA_RACK_FILE") === undefined && !(podSpec(o).initContainers ?? []).length,
  },
  "rackAwareness.nodeLabel": {
    set: { rackAwareness: { nodeLabel: "example.com/rack" } },
    shows: (o) => JSON.stringify(podSpec(o).initContainers).includes("example.com/rack"),
  },
  "externalAccess.enabled": { set: { externalAccess: { enabled: true } }, shows: (o) => names(o).includes("Service/kafka-ha-0-external") },
  "externalAccess.advertisedHost": {
    set: { externalAccess: { enabled: true, advertisedHost: "kafka.example.com" } },
    base: { externalAccess: { enabled: true } },
    shows: (o) => env(o, "KAFKA_HA_EXTERNAL_HOST") === "kafka.example.com",
  },
  "externalAccess.nodePortBase": {
    set: { externalAccess: { enabled: true, nodePortBase: 32000 } },
    base: { externalAccess: { enabled: true } },
    shows: (o) => o.r.get<Obj>("Service", "kafka-ha-1-external").spec.ports[0].nodePort === 32001,
  },
  "tls.enabled": { set: TLS_SECRET, shows: (o) => hasProp(o, "listener.security.protocol.map=CLIENT:SSL,INTERNAL:SSL,CONTROLLER:SSL,EXTERNAL:SSL") },
  "tls.listeners.client": { set: { tls: { listeners: { client: false } } }, base: TLS_SECRET, shows: (o) => props(o).includes("CLIENT:PLAINTEXT,") },
  "tls.listeners.internal": { set: { tls: { listeners: { internal: false } } }, base: TLS_SECRET, shows: (o) => props(o).includes(",INTERNAL:PLAINTEXT,") },
  "tls.listeners.controller": {
    set: { tls: { listeners: { controller: false } } },
    base: TLS_SECRET,
    shows: (o) => props(o).includes(",CONTROLLER:PLAINTEXT,"),
  },
  "tls.listeners.external": { set: { tls: { listeners: { external: false } } }, base: TLS_SECRET, shows: (o) => props(o).includes(",EXTERNAL:PLAINTEXT") },
  "tls.source": { set: TLS_CERT_MANAGER, base: TLS_SECRET, shows: (o) => names(o).includes("Certificate/kafka-ha-tls") },
  "tls.secret.name": { set: { tls: { secret: { name: "other-tls" } } }, base: TLS_SECRET, shows: (o) => tlsVolume(o)?.secret.secretName === "other-tls" },
  "tls.certManager.issuerRef.name": {
    set: { tls: { certManager: { issuerRef: { name: "corp-ca" } } } },
    base: TLS_CERT_MANAGER,
    shows: (o) => certificate(o).issuerRef.name === "corp-ca",
  },
  "tls.certManager.issuerRef.kind": {
    set: { tls: { certManager: { issuerRef: { kind: "ClusterIssuer" } } } },
    base: TLS_CERT_MANAGER,
    shows: (o) => certificate(o).issuerRef.kind === "ClusterIssuer",
  },
  "tls.certManager.issuerRef.group": {
    set: { tls: { certManager: { issuerRef: { group: "awspca.cert-manager.io" } } } },
    base: TLS_CERT_MANAGER,
    shows: (o) => certificate(o).issuerRef.group === "awspca.cert-manager.io",
  },
  "tls.certManager.duration": { set: { tls: { certManager: { duration: "720h" } } }, base: TLS_CERT_MANAGER, shows: (o) => certificate(o).duration === "720h" },
  "tls.certManager.renewBefore": {
    set: { tls: { certManager: { renewBefore: "240h" } } },
    base: TLS_CERT_MANAGER,
    shows: (o) => certificate(o).renewBefore === "240h",
  },
  "tls.certManager.privateKeyAlgorithm": {
    set: { tls: { certManager: { privateKeyAlgorithm: "ECDSA" } } },
    base: TLS_CERT_MANAGER,
    shows: (o) => certificate(o).privateKey.algorithm === "ECDSA",
  },
  "tls.certManager.extraDnsNames": {
    set: { tls: { certManager: { extraDnsNames: ["kafka.example.com"] } } },
    base: TLS_CERT_MANAGER,
    shows: (o) => certificate(o).dnsNames.includes("kafka.example.com"),
  },
  "tls.generated.validityDays": {
    set: { tls: { generated: { validityDays: 90 } } },
    base: TLS_GENERATED,
    shows: (o) => generatorEnv(o, "KAFKA_HA_VALIDITY_DAYS") === "90",
  },
  "tls.generated.extraDnsNames": {
    set: { tls: { generated: { extraDnsNames: ["kafka.example.com"] } } },
    base: TLS_GENERATED,
    shows: (o) => (generatorEnv(o, "KAFKA_HA_DNS_NAMES") ?? "").split(",").includes("kafka.example.com"),
  },
  "networkPolicy.enabled": { set: { networkPolicy: { enabled: true } }, shows: (o) => names(o).includes("NetworkPolicy/kafka-ha") },
  "networkPolicy.clientPeers": {
    set: { networkPolicy: { clientPeers: [{ namespaceSelector: { matchLabels: { team: "orders" } } }] } },
    base: { networkPolicy: { enabled: true } },
    shows: (o) => JSON.stringify(networkPolicy(o).ingress).includes('"team":"orders"'),
  },
  "networkPolicy.externalPeers": {
    set: { networkPolicy: { externalPeers: [{ ipBlock: { cidr: "192.0.2.0/24" } }] } },
    base: { networkPolicy: { enabled: true }, externalAccess: { enabled: true } },
    shows: (o) => JSON.stringify(networkPolicy(o).ingress).includes("192.0.2.0/24"),
  },
  "networkPolicy.restrictEgress": {
    set: { networkPolicy: { restrictEgress: false } },
    base: { networkPolicy: { enabled: true } },
    shows: (o) => networkPolicy(o).egress === undefined && !networkPolicy(o).policyTypes.includes("Egress"),
  },
  "networkPolicy.apiServerPorts": {
    set: { networkPolicy: { apiServerPorts: [8443] } },
    base: { networkPolicy: { enabled: true } },
    shows: (o) => JSON.stringify(networkPolicy(o).egress).includes('"port":8443'),
  },
  "networkPolicy.extraEgress": {
    set: { networkPolicy: { extraEgress: [{ to: [{ ipBlock: { cidr: "10.9.0.0/16" } }], ports: [{ port: 443 }] }] } },
    base: { networkPolicy: { enabled: true } },
    shows: (o) => JSON.stringify(networkPolicy(o).egress).includes("10.9.0.0/16"),
  },
  "tls.clientAuth": { set: { tls: { clientAuth: "required" } }, base: TLS_SECRET, shows: (o) => hasProp(o, "listener.name.client.ssl.client.auth=required") },
  "sasl.enabled": {
    set: { sasl: { enabled: true } },
    base: TLS_SECRET,
    shows: (o) => props(o).includes("CLIENT:SASL_SSL,") && names(o).includes("Job/kafka-ha-security"),
  },
  "sasl.mechanism": { set: { sasl: { mechanism: "SCRAM-SHA-256" } }, base: SASL, shows: (o) => hasProp(o, "sasl.enabled.mechanisms=SCRAM-SHA-256") },
  "sasl.users": {
    set: { sasl: { users: [{ name: "alice", passwordSecret: { name: "kafka-users", key: "alice" } }] } },
    base: SASL,
    shows: (o) => JSON.stringify(jobVolume(o, "users")).includes('"path":"alice"'),
  },
  "authorization.enabled": {
    set: { authorization: { enabled: true } },
    base: TLS_SECRET,
    shows: (o) => hasProp(o, "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
  },
  "authorization.superUsers": {
    set: { authorization: { superUsers: ["User:admin"] } },
    base: AUTHORIZER,
    shows: (o) => env(o, "KAFKA_HA_SUPER_USERS") === "User:admin",
  },
  "authorization.acls": {
    set: { authorization: { acls: [{ principal: "User:alice", resourceType: "topic", name: "orders", operations: ["Read"] }] } },
    base: AUTHORIZER,
    shows: (o) => o.r.get<Obj>("ConfigMap", "kafka-ha-security").data.acls.includes("TOPIC|orders|LITERAL|User:alice|*|READ|ALLOW"),
  },
  "podDisruptionBudget.enabled": { set: { podDisruptionBudget: { enabled: false } }, shows: (o) => !names(o).includes("PodDisruptionBudget/kafka-ha") },
  "podDisruptionBudget.maxUnavailable": {
    set: { podDisruptionBudget: { maxUnavailable: 2 } },
    base: FIVE_VOTERS,
    shows: (o) => o.r.get<Obj>("PodDisruptionBudget", "kafka-ha").spec.maxUnavailable === 2,
  },
  "topologySpread.zone.enabled": {
    set: { topologySpread: { zone: { enabled: false } } },
    shows: (o) => spread(o, "topology.kubernetes.io/zone") === undefined,
  },
  "topologySpread.zone.topologyKey": {
    set: { topologySpread: { zone: { topologyKey: "example.com/zone" } } },
    shows: (o) => spread(o, "example.com/zone") !== undefined,
  },
  "topologySpread.zone.maxSkew": { set: { topologySpread: { zone: { maxSkew: 2 } } }, shows: (o) => spread(o, "topology.kubernetes.io/zone").maxSkew === 2 },
  "topologySpread.zone.whenUnsatisfiable": {
    set: { topologySpread: { zone: { whenUnsatisfiable: "ScheduleAnyway", minDomains: null } } },
    shows: (o) => spread(o, "topology.kubernetes.io/zone").whenUnsatisfiable === "ScheduleAnyway",
  },
  "topologySpread.zone.minDomains": {
    set: { topologySpread: { zone: { minDomains: 2 } } },
    shows: (o) => spread(o, "topology.kubernetes.io/zone").minDomains === 2,
  },
  "topologySpread.hostname.enabled": {
    set: { topologySpread: { hostname: { enabled: false } } },
    shows: (o) => spread(o, "kubernetes.io/hostname") === undefined,
  },
  "topologySpread.hostname.maxSkew": { set: { topologySpread: { hostname: { maxSkew: 2 } } }, shows: (o) => spread(o, "kubernetes.io/hostname").maxSkew === 2 },
  "topologySpread.hostname.whenUnsatisfiable": {
    set: { topologySpread: { hostname: { whenUnsatisfiable: "DoNotSchedule" } } },
    shows: (o) => spread(o, "kubernetes.io/hostname").whenUnsatisfiable === "DoNotSchedule",
  },
  "podSecurityContext.runAsUser": { set: { podSecurityContext: { runAsUser: 1000680000 } }, shows: (o) => podSpec(o).securityContext.runAsUser === 1000680000 },
  "podSecurityContext.runAsGroup": { set: { podSecurityContext: { runAsGroup: 0 } }, shows: (o) => podSpec(o).securityContext.runAsGroup === 0 },
  "podSecurityContext.fsGroup": { set: { podSecurityContext: { fsGroup: null } }, shows: (o) => !("fsGroup" in podSpec(o).securityContext) },
  podAntiAffinity: {
    set: { podAntiAffinity: "hard" },
    shows: (o) => podSpec(o).affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length === 1,
  },
  nodeSelector: { set: { nodeSelector: { pool: "kafka" } }, shows: (o) => podSpec(o).nodeSelector?.pool === "kafka" },
  tolerations: {
    set: { tolerations: [{ key: "dedicated", operator: "Equal", value: "kafka", effect: "NoSchedule" }] },
    shows: (o) => podSpec(o).tolerations?.[0]?.key === "dedicated",
  },
  affinity: {
    set: {
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [TERM] } },
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: POD_TERM }] },
      },
    },
    shows: (o) =>
      podSpec(o).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.key === "pool" &&
      podSpec(o).affinity?.podAffinity !== undefined,
  },
  priorityClassName: { set: { priorityClassName: "kafka-critical" }, shows: (o) => podSpec(o).priorityClassName === "kafka-critical" },
  podAnnotations: {
    set: { podAnnotations: { "example.com/team": "data" } },
    shows: (o) => sts(o).spec.template.metadata.annotations?.["example.com/team"] === "data",
  },
  podLabels: { set: { podLabels: { team: "data" } }, shows: (o) => sts(o).spec.template.metadata.labels?.team === "data" },
  "probes.startup.periodSeconds": { set: { probes: { startup: { periodSeconds: 7 } } }, shows: (o) => probe(o, "startupProbe").periodSeconds === 7 },
  "probes.startup.failureThreshold": {
    set: { probes: { startup: { failureThreshold: 200 } } },
    shows: (o) => probe(o, "startupProbe").failureThreshold === 200,
  },
  "probes.liveness.periodSeconds": { set: { probes: { liveness: { periodSeconds: 20 } } }, shows: (o) => probe(o, "livenessProbe").periodSeconds === 20 },
  "probes.liveness.timeoutSeconds": { set: { probes: { liveness: { timeoutSeconds: 8 } } }, shows: (o) => probe(o, "livenessProbe").timeoutSeconds === 8 },
  "probes.liveness.failureThreshold": {
    set: { probes: { liveness: { failureThreshold: 9 } } },
    shows: (o) => probe(o, "livenessProbe").failureThreshold === 9,
  },
  "probes.readiness.isrCheck": { set: { probes: { readiness: { isrCheck: false } } }, shows: (o) => env(o, "KAFKA_HA_ISR_CHECK") === "false" },
  "probes.readiness.cacheSeconds": { set: { probes: { readiness: { cacheSeconds: 60 } } }, shows: (o) => env(o, "KAFKA_HA_READY_CACHE_SECONDS") === "60" },
  "probes.readiness.periodSeconds": { set: { probes: { readiness: { periodSeconds: 15 } } }, shows: (o) => probe(o, "readinessProbe").periodSeconds === 15 },
  "probes.readiness.timeoutSeconds": { set: { probes: { readiness: { timeoutSeconds: 60 } } }, shows: (o) => probe(o, "readinessProbe").timeoutSeconds === 60 },
  "probes.readiness.failureThreshold": {
    set: { probes: { readiness: { failureThreshold: 5 } } },
    shows: (o) => probe(o, "readinessProbe").failureThreshold === 5,
  },
  "metrics.enabled": {
    set: METRICS,
    shows: (o) => names(o).includes("Service/kafka-ha-metrics") && /^-javaagent:.*=9404:/.test(env(o, "KAFKA_HA_METRICS_AGENT") ?? ""),
  },
  "metrics.image.repository": { set: METRICS, shows: (o) => metricsInit(o)?.image === "registry.example/jmx-exporter:1.0.1" },
  "metrics.image.tag": { base: METRICS, set: { metrics: { image: { tag: "1.0.1-r2" } } }, shows: (o) => metricsInit(o).image.endsWith(":1.0.1-r2") },
  "metrics.image.digest": { base: METRICS, set: { metrics: { image: { digest: DIGEST } } }, shows: (o) => metricsInit(o).image.endsWith(`@${DIGEST}`) },
  "metrics.image.pullPolicy": {
    base: METRICS,
    set: { metrics: { image: { pullPolicy: "Always" } } },
    shows: (o) => metricsInit(o).imagePullPolicy === "Always",
  },
  "metrics.image.jarPath": {
    base: METRICS,
    set: { metrics: { image: { jarPath: "/agent/jmx.jar" } } },
    shows: (o) => metricsInit(o).command.includes("/agent/jmx.jar"),
  },
  "metrics.serviceMonitor.enabled": {
    base: METRICS,
    set: { metrics: { serviceMonitor: { enabled: true } } },
    apiVersions: MONITORING,
    shows: (o) => serviceMonitor(o) !== undefined,
  },
  "metrics.serviceMonitor.interval": {
    base: { metrics: { ...METRICS.metrics, serviceMonitor: { enabled: true } } },
    set: { metrics: { serviceMonitor: { interval: "15s" } } },
    apiVersions: MONITORING,
    shows: (o) => serviceMonitor(o).spec.endpoints[0].interval === "15s",
  },
  "metrics.serviceMonitor.scrapeTimeout": {
    base: { metrics: { ...METRICS.metrics, serviceMonitor: { enabled: true } } },
    set: { metrics: { serviceMonitor: { scrapeTimeout: "5s" } } },
    apiVersions: MONITORING,
    shows: (o) => serviceMonitor(o).spec.endpoints[0].scrapeTimeout === "5s",
  },
  "metrics.serviceMonitor.labels": {
    base: { metrics: { ...METRICS.metrics, serviceMonitor: { enabled: true } } },
    set: { metrics: { serviceMonitor: { labels: { release: "kube-prometheus-stack" } } } },
    apiVersions: MONITORING,
    shows: (o) => serviceMonitor(o).metadata.labels.release === "kube-prometheus-stack",
  },
  "metrics.prometheusRule.enabled": {
    base: METRICS,
    set: { metrics: { prometheusRule: { enabled: true } } },
    apiVersions: MONITORING,
    shows: (o) => o.r.find("PrometheusRule", "kafka-ha") !== undefined,
  },
  "metrics.prometheusRule.labels": {
    base: { metrics: { ...METRICS.metrics, prometheusRule: { enabled: true } } },
    set: { metrics: { prometheusRule: { labels: { release: "kube-prometheus-stack" } } } },
    apiVersions: MONITORING,
    shows: (o) => o.r.get<Obj>("PrometheusRule", "kafka-ha").metadata.labels.release === "kube-prometheus-stack",
  },
  "metrics.dashboard.enabled": {
    base: METRICS,
    set: { metrics: { dashboard: { enabled: true } } },
    shows: (o) => names(o).includes("ConfigMap/kafka-ha-dashboard"),
  },
  "metrics.dashboard.labels": {
    base: { metrics: { ...METRICS.metrics, dashboard: { enabled: true } } },
    set: { metrics: { dashboard: { labels: { grafana_dashboard: "kafka" } } } },
    shows: (o) => o.r.get<Obj>("ConfigMap", "kafka-ha-dashboard").metadata.labels.grafana_dashboard === "kafka",
  },
  "networkPolicy.metricsPeers": {
    set: { networkPolicy: { metricsPeers: [{ namespaceSelector: { matchLabels: { team: "monitoring" } } }] } },
    base: { ...METRICS, networkPolicy: { enabled: true } },
    shows: (o) => JSON.stringify(networkPolicy(o).ingress).includes('"team":"monitoring"'),
  },
  "tests.enabled": { set: { tests: { enabled: false } }, shows: (o) => !names(o).includes("Pod/kafka-ha-test") },
};

/** `over` layered onto `base` (objects merged key by key, as Helm merges values files). */
function layer(base: Obj, over: Obj): Obj {
  if (typeof base !== "object" || base === null || Array.isArray(base) || typeof over !== "object" || over === null || Array.isArray(over))
    return over === undefined ? base : over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = layer(base[k], v);
  return out;
}

async function output(values: KafkaHaValues, notes: boolean, apiVersions?: string[]): Promise<Out> {
  return { r: await render(values, { apiVersions }), notes: notes ? await renderNotes(values) : "" };
}

test("every values key has a proof (a render that changes with it, or the test that sets it against a running release)", () => {
  const missing = valueKeys()
    .map((k) => k.path)
    .filter((p) => !(p in PROOFS));
  assert.equal(missing, [], "values keys without a proof in test/unit/values-coverage.test.ts");
  const stale = Object.keys(PROOFS).filter((p) => !valueKeys().some((k) => k.path === p));
  assert.equal(stale, [], "proofs of keys the schema no longer has");
});

for (const [key, proof] of Object.entries(PROOFS)) {
  test(`values key ${key}`, async () => {
    if ("provenBy" in proof) {
      assert.ok(readFileSync(join(chartDir, proof.provenBy), "utf8").includes(key.split(".").at(-1) ?? key), `${proof.provenBy} does not set ${key}`);
      return;
    }
    const base = proof.base ?? {};
    const before = await output(base, proof.notes ?? false, proof.apiVersions);
    assert.not.ok(proof.shows(before), `the proof of ${key} already holds without setting it: it proves nothing`);
    const after = await output(layer(base, proof.set), proof.notes ?? false, proof.apiVersions);
    assert.ok(proof.shows(after), `setting ${key} (${JSON.stringify(proof.set)}) does not show in the render`);
  });
}

test.run();
