// The one source of the chart's values: descriptions, defaults, types, ranges and patterns.
// `npm run schema` turns it into values.schema.json, values.yaml, test/helpers/values.generated.ts
// and the README values table; `npm run schema:check` fails when any of them drifts.
import { bool, closed, int, list, map, obj, oneOf, raw, str, type JsonSchema, type Node } from "./dsl.js";

// --- patterns -------------------------------------------------------------------------------
/** Kubernetes resource quantity (e.g. 500m, 2, 1.5, 2Gi, 512Mi, 1e3). */
export const QUANTITY = "^([+]?[0-9]+(\\.[0-9]+)?|[+]?\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$";
const QUANTITY_OR_EMPTY = `^$|${QUANTITY}`;
/** RFC 1123 DNS label. */
const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const DNS_LABEL_OR_EMPTY = "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/** A DNS name (RFC 1123 subdomain) or an IPv4 address. */
const HOST = "^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$";
/** A qualified Kubernetes label key, optionally prefixed (e.g. topology.kubernetes.io/zone). */
const LABEL_KEY = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
/** Kafka cluster id: a base64url-encoded UUID, 22 characters. */
const CLUSTER_ID = "^$|^[A-Za-z0-9_-]{21}[AQgw]$";
/** A server.properties key. */
const PROPERTY_KEY = "^[a-z0-9][a-z0-9._-]*$";
/** Image repository (registry/host:port/path), lower case. */
const IMAGE_REPO = "^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$";
const IMAGE_TAG = "^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

// --- Kubernetes-shaped sub-schemas (closed, for the affinity and tolerations values) ---------
const stringList: JsonSchema = { type: "array", items: { type: "string" } };
const stringMap: JsonSchema = { type: "object", additionalProperties: { type: "string" } };
const labelSelectorRequirement = closed(
  {
    key: { type: "string", description: "Label key." },
    operator: { type: "string", enum: ["In", "NotIn", "Exists", "DoesNotExist"], description: "Set operator." },
    values: { ...stringList, description: "Label values." },
  },
  ["key", "operator"],
);
const labelSelector = closed({
  matchLabels: { ...stringMap, description: "Labels that must all match." },
  matchExpressions: { type: "array", items: labelSelectorRequirement, description: "Set-based requirements." },
});
const nodeSelectorRequirement = closed(
  {
    key: { type: "string", description: "Node label key (or field name for matchFields)." },
    operator: { type: "string", enum: ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"], description: "Operator." },
    values: { ...stringList, description: "Values." },
  },
  ["key", "operator"],
);
const nodeSelectorTerm = closed({
  matchExpressions: { type: "array", items: nodeSelectorRequirement, description: "Node label requirements." },
  matchFields: { type: "array", items: nodeSelectorRequirement, description: "Node field requirements." },
});
const podAffinityTerm = closed(
  {
    labelSelector: { ...labelSelector, description: "Pods to (anti-)co-locate with." },
    namespaceSelector: { ...labelSelector, description: "Namespaces the selector applies to." },
    namespaces: { ...stringList, description: "Namespace names the selector applies to." },
    topologyKey: { type: "string", description: "Node label that defines the co-location domain." },
    matchLabelKeys: { ...stringList, description: "Pod label keys merged into the selector." },
    mismatchLabelKeys: { ...stringList, description: "Pod label keys merged as NotIn into the selector." },
  },
  ["topologyKey"],
);
const weighted = (key: string, term: JsonSchema): JsonSchema =>
  closed(
    {
      weight: { type: "integer", minimum: 1, maximum: 100, description: "Preference weight, 1-100." },
      [key]: term,
    },
    ["weight", key],
  );
const podAffinity = closed({
  requiredDuringSchedulingIgnoredDuringExecution: { type: "array", items: podAffinityTerm, description: "Hard rules." },
  preferredDuringSchedulingIgnoredDuringExecution: {
    type: "array",
    items: weighted("podAffinityTerm", podAffinityTerm),
    description: "Soft rules.",
  },
});
const affinitySchema: JsonSchema = closed({
  nodeAffinity: {
    ...closed({
      requiredDuringSchedulingIgnoredDuringExecution: {
        ...closed({ nodeSelectorTerms: { type: "array", items: nodeSelectorTerm, description: "ORed terms." } }, ["nodeSelectorTerms"]),
        description: "Hard node rules.",
      },
      preferredDuringSchedulingIgnoredDuringExecution: {
        type: "array",
        items: weighted("preference", nodeSelectorTerm),
        description: "Soft node rules.",
      },
    }),
    description: "Node affinity.",
  },
  podAffinity: { ...podAffinity, description: "Pod affinity." },
  podAntiAffinity: { ...podAffinity, description: "Pod anti-affinity (added to the one `podAntiAffinity` generates)." },
});
const toleration = closed({
  key: { type: "string", description: "Taint key (empty with operator Exists matches every taint)." },
  operator: { type: "string", enum: ["Equal", "Exists"], description: "Equal (default) or Exists." },
  value: { type: "string", description: "Taint value for operator Equal." },
  effect: { type: "string", enum: ["", "NoSchedule", "PreferNoSchedule", "NoExecute"], description: "Taint effect; empty matches all." },
  tolerationSeconds: { type: "integer", minimum: 0, description: "For NoExecute: how long the pod stays bound after the taint appears." },
});

// --- reusable value groups --------------------------------------------------------------------
function resources(role: string, cpu: string, memory: string): Node {
  const q = (d: string, def: string): Node => str(d, def, { pattern: QUANTITY_OR_EMPTY }, "quantity or empty");
  const qReq = (d: string, def: string): Node => str(d, def, { pattern: QUANTITY }, "quantity");
  return obj(`CPU and memory of each ${role} container.`, {
    requests: obj(`Resources the scheduler reserves for each ${role}.`, {
      cpu: qReq("CPU request (Kubernetes quantity, e.g. 500m).", cpu),
      memory: qReq("Memory request (Kubernetes quantity, e.g. 2Gi).", memory),
    }),
    limits: obj(`Hard limits of each ${role}. The JVM heap is sized from limits.memory.`, {
      cpu: q("CPU limit; empty means none (recommended: throttling a broker stalls replication).", ""),
      memory: qReq("Memory limit; the heap is `heapPercent` of it, the rest is left to the page cache and off-heap buffers.", memory),
    }),
  });
}

function storage(role: string, size: string): Node {
  return obj(`The persistent volume of each ${role} (one PVC per pod from volumeClaimTemplates).`, {
    size: str("Requested volume size (Kubernetes quantity).", size, { pattern: QUANTITY }, "quantity"),
    storageClass: str(
      "StorageClass of the PVCs; empty uses the cluster's default class.",
      "",
      { pattern: DNS_LABEL_OR_EMPTY.replace("[-a-z0-9]", "[-a-z0-9.]"), maxLength: 253 },
      "DNS name or empty",
    ),
    accessModes: list(
      "Access modes of the PVCs.",
      { type: "string", enum: ["ReadWriteOnce", "ReadWriteOncePod"] },
      ["ReadWriteOnce"],
      { minItems: 1, uniqueItems: true },
      "ReadWriteOnce / ReadWriteOncePod",
    ),
  });
}

function heapPercent(role: string): Node {
  return int(`JVM heap of each ${role} as a percentage of limits.memory (-XX:MaxRAMPercentage).`, 50, 10, 80);
}

// --- the values -------------------------------------------------------------------------------
export const values: Node = obj("Values of the kafka-ha chart.", {
  nameOverride: str("Replaces the chart name in resource names.", "", { pattern: DNS_LABEL_OR_EMPTY, maxLength: 40 }, "DNS label or empty"),
  fullnameOverride: str(
    "Replaces the full resource name prefix (default: the release name, or <release>-<chart> when the release name does not contain the chart name).",
    "",
    { pattern: DNS_LABEL_OR_EMPTY, maxLength: 40 },
    "DNS label (max 40) or empty",
  ),
  clusterDomain: str("DNS domain of the Kubernetes cluster (used in the brokers' advertised names).", "cluster.local", { pattern: HOST, maxLength: 253 }, "DNS name"),
  image: obj("The Kafka container image (official layout: /opt/kafka/bin, user uid 1000, bash).", {
    repository: str("Image repository.", "apache/kafka", { pattern: IMAGE_REPO }, "image repository"),
    tag: str("Image tag; empty uses the chart's appVersion (the Kafka version).", "", { pattern: IMAGE_TAG }, "tag or empty"),
    pullPolicy: oneOf("Image pull policy.", ["IfNotPresent", "Always", "Never"], "IfNotPresent"),
  }),
  imagePullSecrets: list(
    "Secrets for pulling the image from a private registry.",
    closed({ name: { type: "string", pattern: DNS_LABEL, description: "Secret name." } }, ["name"]),
    [],
    {},
    "list of {name}",
  ),
  clusterId: str(
    "Kafka cluster id (22-character base64url UUID, e.g. from `kafka-storage.sh random-uuid`). Empty: generated once at install and kept in the Secret <fullname>-cluster-id, which upgrades never regenerate.",
    "",
    { pattern: CLUSTER_ID },
    "22 chars base64url (last one A/Q/g/w) or empty",
  ),
  broker: obj("The broker pods.", {
    replicas: int(
      "Number of brokers. In combined mode (the default) the first controller.replicas of them are also KRaft controllers.",
      3,
      1,
      100,
    ),
    resources: resources("broker", "500m", "2Gi"),
    heapPercent: heapPercent("broker"),
    storage: storage("broker", "10Gi"),
    terminationGracePeriodSeconds: int(
      "Time a broker gets for a controlled shutdown (leadership moved away, logs flushed) before it is killed.",
      120,
      30,
      3600,
    ),
  }),
  controller: obj("The KRaft controller quorum.", {
    dedicated: bool(
      "false: combined mode, broker pods 0..replicas-1 are also controllers (one StatefulSet). true: a separate controller-only StatefulSet <fullname>-controller and broker-only pods <fullname>-broker (production layout).",
      false,
    ),
    replicas: raw(
      "Number of voters in the KRaft quorum: odd, at least 3 (3 tolerates one lost voter, 5 tolerates two).",
      { type: "integer", enum: [3, 5, 7, 9] },
      3,
      "3 / 5 / 7 / 9",
    ),
    resources: resources("dedicated controller", "250m", "1Gi"),
    heapPercent: heapPercent("dedicated controller"),
    storage: storage("dedicated controller", "5Gi"),
  }),
  replication: obj("Durability defaults written to server.properties.", {
    defaultReplicationFactor: int("default.replication.factor: replicas of auto-created topics and of topics created without one.", 3, 1, 100),
    minInsyncReplicas: int(
      "min.insync.replicas: an acks=all write succeeds only when this many replicas have it. Must be lower than the number of brokers so one broker can be down.",
      2,
      1,
      100,
    ),
    internalTopics: obj("Replication of __consumer_offsets and __transaction_state.", {
      replicationFactor: int("offsets.topic.replication.factor and transaction.state.log.replication.factor.", 3, 1, 100),
      minInsyncReplicas: int("transaction.state.log.min.isr.", 2, 1, 100),
    }),
    uncleanLeaderElection: bool(
      "unclean.leader.election.enable. false (default) keeps consistency: a partition whose in-sync replicas are all gone stays offline instead of electing a stale replica and losing acknowledged records. true prefers availability and accepts that loss.",
      false,
    ),
  }),
  config: map(
    "Extra server.properties entries (key: value). Keys the chart manages (listeners, node.id, quorum, replication defaults, ...) are refused; use the typed values for them.",
    { type: ["string", "number", "boolean"] },
    {},
    PROPERTY_KEY,
    "map of property: string/number/boolean",
  ),
  rackAwareness: obj("broker.rack from the zone of the node each broker runs on, so replicas of a partition go to different zones.", {
    enabled: bool(
      "Read the node's zone label in an init container (Kubernetes API, get on nodes only) and set broker.rack. The only place a service-account token is mounted.",
      true,
    ),
    nodeLabel: str("Node label whose value becomes broker.rack.", "topology.kubernetes.io/zone", { pattern: LABEL_KEY, maxLength: 316 }, "label key"),
  }),
  externalAccess: obj("Per-broker access from outside the cluster: one NodePort Service per broker and an EXTERNAL listener advertised at advertisedHost:<node port>.", {
    enabled: bool("Create the per-broker Services and the EXTERNAL listener.", false),
    advertisedHost: str(
      "Host clients outside the cluster use for every broker (k3d with published ports: 127.0.0.1).",
      "127.0.0.1",
      { pattern: HOST, maxLength: 253 },
      "DNS name or IPv4",
    ),
    nodePortBase: int("Node port of broker 0; broker N gets nodePortBase + N.", 31090, 30000, 32767),
  }),
  podDisruptionBudget: obj("PodDisruptionBudget of each StatefulSet, so a drain never takes two brokers or two voters at once.", {
    enabled: bool("Create the PodDisruptionBudget(s).", true),
    maxUnavailable: int("Pods of one StatefulSet that voluntary disruptions may take down at once.", 1, 1, 100),
  }),
  topologySpread: obj("topologySpreadConstraints of the pods.", {
    zone: obj("Spread over zones.", {
      enabled: bool("Add the zone constraint.", true),
      topologyKey: str("Node label that names the zone.", "topology.kubernetes.io/zone", { pattern: LABEL_KEY, maxLength: 316 }, "label key"),
      maxSkew: int("Largest allowed difference of pod counts between two zones.", 1, 1, 10),
      whenUnsatisfiable: oneOf(
        "DoNotSchedule keeps a broker Pending rather than doubling up in a zone (a zone outage then costs one replica only).",
        ["DoNotSchedule", "ScheduleAnyway"],
        "DoNotSchedule",
      ),
    }),
    hostname: obj("Spread over nodes.", {
      enabled: bool("Add the hostname constraint.", true),
      maxSkew: int("Largest allowed difference of pod counts between two nodes.", 1, 1, 10),
      whenUnsatisfiable: oneOf("What the scheduler does when the node spread cannot be kept.", ["DoNotSchedule", "ScheduleAnyway"], "ScheduleAnyway"),
    }),
  }),
  podAntiAffinity: oneOf(
    "Anti-affinity between pods of the same StatefulSet on kubernetes.io/hostname: none, soft (preferred) or hard (required).",
    ["none", "soft", "hard"],
    "none",
  ),
  nodeSelector: map("Node labels the pods require (dedicated node pool).", { type: "string" }, {}, LABEL_KEY, "map of label: value"),
  tolerations: list("Tolerations of the pods (e.g. for a tainted, dedicated node pool).", toleration, [], {}, "list of tolerations"),
  affinity: raw(
    "Extra affinity of the pods (Kubernetes Affinity shape; closed).",
    { $comment: "Kubernetes shape: inner keys are documented, defaults do not apply", ...affinitySchema },
    {},
    "Kubernetes affinity",
  ),
  priorityClassName: str("PriorityClass of the pods.", "", { pattern: DNS_LABEL_OR_EMPTY.replace("[-a-z0-9]", "[-a-z0-9.]"), maxLength: 253 }, "name or empty"),
  podAnnotations: map("Extra annotations on the pods.", { type: "string" }, {}, undefined, "map of string"),
  podLabels: map("Extra labels on the pods (never used in selectors).", { type: "string", maxLength: 63 }, {}, LABEL_KEY, "map of label: value"),
  probes: obj("Container probes.", {
    startup: obj("Startup probe (TCP on the client or controller port): covers log recovery after an unclean stop.", {
      periodSeconds: int("Seconds between attempts.", 5, 1, 60),
      failureThreshold: int("Attempts before the container is restarted (periodSeconds x failureThreshold = time allowed to start).", 120, 1, 10000),
    }),
    liveness: obj("Liveness probe (TCP): restarts a process that no longer accepts connections.", {
      periodSeconds: int("Seconds between attempts.", 10, 1, 300),
      timeoutSeconds: int("Seconds before an attempt fails.", 5, 1, 60),
      failureThreshold: int("Failed attempts before a restart.", 6, 1, 100),
    }),
    readiness: obj("Readiness probe (scripts/ready.sh): a broker is Ready when it serves and is back in the ISR of every partition it hosts, which paces rolling restarts.", {
      isrCheck: bool("Check that this broker is in the ISR of every partition it hosts (false: only that the client port accepts connections).", true),
      cacheSeconds: int(
        "A positive ISR check is reused for this long, so a Ready broker starts the admin JVM at most once per cacheSeconds; a negative one is re-checked on every probe.",
        30,
        0,
        600,
      ),
      periodSeconds: int("Seconds between probes.", 10, 1, 300),
      timeoutSeconds: int("Seconds before a probe fails (must cover one admin JVM start).", 45, 1, 300),
      failureThreshold: int("Failed probes before the pod is marked unready.", 1, 1, 100),
    }),
  }),
  tests: obj("The `helm test` pod.", {
    enabled: bool("Render the test pod that produces and consumes with acks=all and checks the topic's ISR.", true),
  }),
});
