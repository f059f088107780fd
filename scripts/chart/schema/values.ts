// The one source of the chart's values: descriptions, defaults, types, ranges and patterns.
// `npm run schema` turns it into values.schema.json, values.yaml, test/helpers/values.generated.ts
// and the README values table; `npm run schema:check` fails when any of them drifts.
import { bool, closed, int, list, map, obj, oneOf, raw, str, type JsonSchema, type Node } from "./dsl.js";

// --- patterns -------------------------------------------------------------------------------
/** Kubernetes resource quantity (e.g. 500m, 2, 1.5, 2Gi, 512Mi, 1e3). */
export const QUANTITY = "^([+]?[0-9]+(\\.[0-9]+)?|[+]?\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$";
const QUANTITY_OR_EMPTY = `^$|${QUANTITY}`;
/** RFC 1123 DNS label. */
const DNS_LABEL_OR_EMPTY = "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/** RFC 1035 DNS label (what a Service name must be: starts with a letter). */
const DNS_1035_OR_EMPTY = "^$|^[a-z]([-a-z0-9]*[a-z0-9])?$";
/** RFC 1123 DNS subdomain (names of Secrets, StorageClasses, PriorityClasses); max 253 characters. */
const DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const DNS_SUBDOMAIN_OR_EMPTY = `^$|${DNS_SUBDOMAIN}`;
// A certificate's DNS name: a subdomain, or a wildcard over one.
const CERTIFICATE_DNS_NAME = `^(\\*\\.)?${DNS_SUBDOMAIN.slice(1)}`;
/** A DNS name (RFC 1123 subdomain) or an IPv4 address. */
const HOST = "^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$";
/** A qualified Kubernetes label key, optionally prefixed (e.g. topology.kubernetes.io/zone); the name part at most 63 characters. */
const LABEL_KEY = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
/** A Kubernetes label value: at most 63 characters, alphanumeric at both ends, or empty. */
const LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$";
/** Kafka cluster id: a base64url-encoded UUID, 22 characters. */
const CLUSTER_ID = "^$|^[A-Za-z0-9_-]{21}[AQgw]$";
/** Image repository (registry/host:port/path), lower case. */
const IMAGE_REPO = "^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$";
const IMAGE_TAG = "^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";
const IMAGE_DIGEST = "^$|^sha256:[a-f0-9]{64}$";
/** A Go duration as cert-manager reads it (e.g. 2160h, 90m, 1h30m). */
const GO_DURATION = "^([0-9]+(\\.[0-9]+)?(h|m|s|ms))+$";

// --- security sub-schemas (sasl.users, authorization.acls) ---------------------------------
/** A Kafka principal as ACLs and super.users name it. */
const PRINCIPAL = "^User:[^\\s;,]+$";
const scramUser = closed(
  {
    name: { type: "string", pattern: "^[A-Za-z0-9._@-]{1,64}$", description: "User name (letters, digits, '.', '_', '@', '-')." },
    passwordSecret: closed(
      {
        name: { type: "string", pattern: DNS_SUBDOMAIN, maxLength: 253, description: "Secret in the release's namespace." },
        key: { type: "string", pattern: "^[-._a-zA-Z0-9]+$", maxLength: 253, description: "Key of the password in it." },
      },
      ["name", "key"],
    ),
  },
  ["name", "passwordSecret"],
);
export const ACL_OPERATIONS = [
  "All",
  "Read",
  "Write",
  "Create",
  "Delete",
  "Alter",
  "Describe",
  "ClusterAction",
  "DescribeConfigs",
  "AlterConfigs",
  "IdempotentWrite",
];
const acl = closed(
  {
    principal: { type: "string", pattern: PRINCIPAL, description: "Who: User:<name> (a SCRAM user, or a client certificate's principal)." },
    resourceType: { type: "string", enum: ["topic", "group", "cluster", "transactionalId"], description: "What kind of resource." },
    name: {
      type: "string",
      pattern: "^[^\\s|]+$",
      maxLength: 249,
      description: "The resource's name, or name prefix (patternType prefixed); * for all. Not used for cluster.",
    },
    patternType: {
      type: "string",
      enum: ["literal", "prefixed"],
      description: "literal (default): the name exactly; prefixed: every name that starts with it.",
    },
    operations: { type: "array", minItems: 1, items: { type: "string", enum: ACL_OPERATIONS }, description: "Operations allowed (or denied)." },
    permission: { type: "string", enum: ["Allow", "Deny"], description: "Allow (default) or Deny." },
    host: { type: "string", pattern: "^[^\\s|]+$", description: "Client address the ACL applies to; * (default) for any." },
  },
  ["principal", "resourceType", "operations"],
);

// --- Kubernetes-shaped sub-schemas (closed, for the affinity and tolerations values) ---------
const stringList: JsonSchema = { type: "array", items: { type: "string" } };
const stringMap: JsonSchema = { type: "object", additionalProperties: { type: "string" } };
const labelSelectorRequirement = closed(
  {
    key: { type: "string", pattern: LABEL_KEY, maxLength: 316, description: "Label key." },
    operator: { type: "string", enum: ["In", "NotIn", "Exists", "DoesNotExist"], description: "Set operator." },
    values: { ...stringList, description: "Label values." },
  },
  ["key", "operator"],
);
// Titled: the generated types name it once (LabelSelector) for affinity and the NetworkPolicy peers.
const labelSelector: JsonSchema = {
  title: "LabelSelector",
  ...closed({
    matchLabels: { ...stringMap, description: "Labels that must all match." },
    matchExpressions: { type: "array", items: labelSelectorRequirement, description: "Set-based requirements." },
  }),
};
const nodeSelectorRequirement = closed(
  {
    key: { type: "string", pattern: LABEL_KEY, maxLength: 316, description: "Node label key (or field name for matchFields)." },
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
    topologyKey: { type: "string", pattern: LABEL_KEY, maxLength: 316, description: "Node label that defines the co-location domain." },
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
// Titled: the generated types name it once (NetworkPolicyPeer) for both peer lists.
const networkPolicyPeer: JsonSchema = {
  title: "NetworkPolicyPeer",
  ...closed({
    podSelector: { ...labelSelector, description: "Pods (in the release's namespace, or in the namespaces namespaceSelector picks)." },
    namespaceSelector: { ...labelSelector, description: "Namespaces ({} is every namespace)." },
    ipBlock: closed(
      {
        cidr: { type: "string", description: "Addresses, e.g. 10.0.0.0/8." },
        except: { ...stringList, description: "Addresses inside cidr that are left out." },
      },
      ["cidr"],
    ),
  }),
};
const networkPolicyPort = closed({
  port: { type: ["integer", "string"], description: "Port number or name." },
  endPort: { type: "integer", description: "Last port of a range." },
  protocol: { type: "string", enum: ["TCP", "UDP", "SCTP"], description: "Protocol." },
});
const networkPolicyEgressRule = closed({
  to: { type: "array", items: networkPolicyPeer, description: "Destinations (none: anywhere)." },
  ports: { type: "array", items: networkPolicyPort, description: "Ports (none: every port)." },
});
const affinitySchema: JsonSchema = closed({
  nodeAffinity: {
    ...closed({
      requiredDuringSchedulingIgnoredDuringExecution: {
        ...closed({ nodeSelectorTerms: { type: "array", items: nodeSelectorTerm, minItems: 1, description: "ORed terms." } }, ["nodeSelectorTerms"]),
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
  key: { type: "string", pattern: `^$|${LABEL_KEY}`, maxLength: 316, description: "Taint key, a label key (empty with operator Exists matches every taint)." },
  operator: { type: "string", enum: ["Equal", "Exists"], description: "Equal (default) or Exists." },
  value: { type: "string", pattern: LABEL_VALUE, maxLength: 63, description: "Taint value for operator Equal (a label value); empty for Exists." },
  effect: { type: "string", enum: ["", "NoSchedule", "PreferNoSchedule", "NoExecute"], description: "Taint effect; empty matches all." },
  tolerationSeconds: { type: "integer", minimum: 0, description: "For NoExecute: how long the pod stays bound after the taint appears." },
});

// --- reusable value groups --------------------------------------------------------------------
/**
 * A Kubernetes quantity, as a string (2Gi, 500m) or a YAML number (2, 0.5, 2147483648), both valid
 * Kubernetes. Minimums and requests <= limits are checked in templates/_validate.tpl.
 */
function quantity(description: string, def: string, emptyAllowed = false): Node {
  const schema: JsonSchema = { type: ["string", "number"], pattern: emptyAllowed ? QUANTITY_OR_EMPTY : QUANTITY, minimum: 0 };
  return raw(description, schema, def, emptyAllowed ? "quantity (string or number) or empty" : "quantity (string or number)");
}

function resources(role: string, cpu: string, memory: string): Node {
  const q = (d: string, def: string): Node => quantity(d, def, true);
  const qReq = (d: string, def: string): Node => quantity(d, def);
  return obj(`CPU and memory of each ${role} container.`, {
    requests: obj(`Resources the scheduler reserves for each ${role}.`, {
      cpu: qReq("CPU request (Kubernetes quantity, e.g. 500m; at least 1m).", cpu),
      memory: qReq("Memory request (Kubernetes quantity, e.g. 2Gi; at least 64Mi, at most limits.memory).", memory),
    }),
    limits: obj(`Hard limits of each ${role}. The JVM heap is sized from limits.memory.`, {
      cpu: q("CPU limit, at least requests.cpu; empty means none (recommended: throttling a broker stalls replication).", ""),
      memory: qReq(
        "Memory limit, at least 512Mi; the heap is `heapPercent` of it, the rest is left to the page cache, off-heap buffers and the readiness check's admin JVM.",
        memory,
      ),
    }),
  });
}

function storage(role: string, size: string): Node {
  return obj(`The persistent volume of each ${role} (one PVC per pod from volumeClaimTemplates).`, {
    size: quantity("Requested volume size (Kubernetes quantity, at least 100Mi).", size),
    storageClass: str(
      "StorageClass of the PVCs; empty uses the cluster's default class.",
      "",
      { pattern: DNS_SUBDOMAIN_OR_EMPTY, maxLength: 253 },
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
    "Replaces the full resource name prefix (default: the release name, or <release>-<chart> when the release name does not contain the chart name). It names Services, so it must start with a letter.",
    "",
    { pattern: DNS_1035_OR_EMPTY, maxLength: 40 },
    "DNS-1035 label (max 40) or empty",
  ),
  clusterDomain: str(
    "DNS domain of the Kubernetes cluster (used in the brokers' advertised names).",
    "cluster.local",
    { pattern: HOST, maxLength: 253 },
    "DNS name",
  ),
  highAvailability: bool(
    "true (default): values that cannot survive the loss of one broker or one controller are refused. false: a development cluster that is NOT highly available (examples/values-dev.yaml); it allows exactly what a single KRaft node needs: controller.replicas 1, and min ISR 1 (replication.minInsyncReplicas, replication.internalTopics.minInsyncReplicas) even when that is not lower than the brokers or the replication factor. Any restart then stops Kafka, and a lost disk loses its data. NOTES say so.",
    true,
  ),
  image: obj("The Kafka container image (official layout: /opt/kafka/bin, user uid 1000, bash).", {
    repository: str("Image repository.", "apache/kafka", { pattern: IMAGE_REPO }, "image repository"),
    tag: str("Image tag; empty uses the chart's appVersion (the Kafka version). Ignored when `digest` is set.", "", { pattern: IMAGE_TAG }, "tag or empty"),
    digest: str(
      "Image digest (sha256:<64 hex>): every container (brokers, controllers, rack init, helm test) then runs repository@digest, the tag is not used. Empty: repository:tag.",
      "",
      { pattern: IMAGE_DIGEST },
      "sha256:<64 hex> or empty",
    ),
    pullPolicy: oneOf("Image pull policy.", ["IfNotPresent", "Always", "Never"], "IfNotPresent"),
  }),
  imagePullSecrets: list(
    "Secrets for pulling the image from a private registry.",
    closed({ name: { type: "string", pattern: DNS_SUBDOMAIN, maxLength: 253, description: "Secret name." } }, ["name"]),
    [],
    {},
    "list of {name}",
  ),
  clusterId: str(
    'Kafka cluster id (22-character base64url UUID, e.g. from `kafka-storage.sh random-uuid`). Empty: the id already in the Secret <fullname>-cluster-id, else one derived from the namespace and fullname (the same on every render, see "Cluster id" below). Set it to give same-named releases in different clusters distinct ids.',
    "",
    { pattern: CLUSTER_ID },
    "22 chars base64url (last one A/Q/g/w) or empty",
  ),
  broker: obj("The broker pods.", {
    replicas: int("Number of brokers. In combined mode (the default) the first controller.replicas of them are also KRaft controllers.", 3, 1, 100),
    resources: resources("broker", "500m", "2Gi"),
    heapPercent: heapPercent("broker"),
    storage: storage("broker", "10Gi"),
    confirmScaleDownTo: int(
      "Only with rebalance.enabled=false (moving replicas is yours): lowering broker.replicas on an existing release is refused (helm upgrade looks up the running StatefulSet) unless this equals the new broker.replicas. Set it only after every partition replica was moved off the brokers being removed (the highest ordinals) with kafka-reassign-partitions.sh. 0: no scale-down confirmed.",
      0,
      0,
      100,
    ),
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
      "Number of voters in the KRaft quorum: odd, at least 3 (3 tolerates one lost voter, 5 tolerates two). 1 only with highAvailability=false (a single controller: no fault tolerance). With dedicated controllers it can be raised or lowered on a running release (README: Resize the controller quorum); in combined mode it stays as installed.",
      { type: "integer", enum: [1, 3, 5, 7, 9] },
      3,
      "3 / 5 / 7 / 9 (1 with highAvailability=false)",
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
  // Keys and values of the free-form maps (config, nodeSelector, podAnnotations, podLabels) are
  // checked in templates/_validate.tpl, not with propertyNames/patterns here: Helm's schema
  // validator names a wrong value path for a bad map key (santhosh-tekuri/jsonschema#258).
  config: map(
    "Extra server.properties entries (key: value), written exactly as given: numbers in plain decimal (integers up to 2^53; quote larger ones), one line each. Keys the chart manages (listeners, node.id, quorum, replication defaults, ...) are refused; use the typed values for them.",
    { type: ["string", "number", "boolean"] },
    {},
    undefined,
    "map of property: string/number/boolean",
  ),
  rebalance: obj(
    "Moving partition replicas when broker.replicas changes (README: Scale): hook Jobs of helm upgrade move every replica off the brokers a scale-in removes before their pods go, and spread the partitions onto the brokers a scale-out adds, throttled, then elect the preferred leaders.",
    {
      enabled: bool(
        "Run the rebalance Jobs on every helm upgrade (they end at once when the broker count did not change). false: partitions stay where they are; a scale-in then needs broker.confirmScaleDownTo.",
        true,
      ),
      throttleBytesPerSecond: int(
        "Replication quota per broker while replicas are copied (leader.replication.throttled.rate and follower.replication.throttled.rate, on the moving replicas only; removed when done), so the copy leaves bandwidth to producers. 0: no throttle.",
        20971520,
        0,
        Number.MAX_SAFE_INTEGER,
      ),
      timeoutSeconds: int(
        "How long a rebalance Job waits for brokers and for the copy before it fails (the copy goes on in Kafka; the next upgrade waits for it). Give helm upgrade a --timeout at least this long when you change the broker count.",
        3600,
        60,
        86400,
      ),
    },
  ),
  featureUpgrade: obj(
    "Kafka version upgrades (README: Upgrade Kafka): after a helm upgrade that changes the image, a hook Job raises the cluster's finalized feature levels (metadata.version, kraft.version, group.version, ...) to those of the new Kafka, once every broker and controller runs it.",
    {
      enabled: bool(
        "Run the features Job after an upgrade that changes the image; an image with an older Kafka minor version than the running one is then refused (Kafka does not go back below a finalized metadata.version). false: the levels stay until you raise them (kafka-features.sh upgrade), and a downgrade to the previous minor stays possible.",
        true,
      ),
      timeoutSeconds: int(
        "How long the features Job waits for every broker and controller to run the new Kafka (the rolling restart) before it fails. Give helm upgrade a --timeout at least this long when you change the Kafka version.",
        1800,
        60,
        86400,
      ),
    },
  ),
  rackAwareness: obj("broker.rack from the zone of the node each broker runs on, so replicas of a partition go to different zones.", {
    enabled: bool(
      "Read the node's zone label in an init container (Kubernetes API, get on nodes only) and set broker.rack. The only place a service-account token is mounted.",
      true,
    ),
    nodeLabel: str("Node label whose value becomes broker.rack.", "topology.kubernetes.io/zone", { pattern: LABEL_KEY, maxLength: 316 }, "label key"),
  }),
  externalAccess: obj(
    "Per-broker access from outside the cluster: one NodePort Service per broker and an EXTERNAL listener advertised at advertisedHost:<node port>.",
    {
      enabled: bool("Create the per-broker Services and the EXTERNAL listener.", false),
      advertisedHost: str(
        "Host clients outside the cluster use for every broker (k3d with published ports: 127.0.0.1).",
        "127.0.0.1",
        { pattern: HOST, maxLength: 253 },
        "DNS name or IPv4",
      ),
      nodePortBase: int("Node port of broker 0; broker N gets nodePortBase + N.", 31090, 30000, 32767),
    },
  ),
  tls: obj(
    "TLS on Kafka's listeners (README: Security). Kafka reads the certificate as PEM; the internal and controller listeners always require the release's own certificate from their peers (mutual TLS).",
    {
      enabled: bool("Serve TLS on the listeners chosen in tls.listeners (all four by default).", false),
      listeners: obj("Which listeners serve TLS when tls.enabled is true.", {
        client: bool("The client listener (the client Service and the pods' client port).", true),
        internal: bool("Broker-to-broker replication.", true),
        controller: bool("The KRaft controller listener (the quorum and brokers' calls to it).", true),
        external: bool("The per-broker external listener (externalAccess).", true),
      }),
      source: oneOf(
        'Where the certificate comes from: secret (a Secret you create and renew), certManager (a Certificate the chart renders for cert-manager, which issues and renews it) or generated (a CA and certificate a hook Job creates once, for a quick start: README "Security").',
        ["secret", "certManager", "generated"],
        "secret",
      ),
      secret: obj("source=secret: your Secret.", {
        name: str(
          "Secret with tls.crt (the certificate, then its chain), tls.key (PKCS#8 PEM, unencrypted) and ca.crt (the CA that signed it). Its names must cover the pods, the client Service and the external host (README: Security).",
          "",
          { pattern: DNS_SUBDOMAIN_OR_EMPTY, maxLength: 253 },
          "Secret name",
        ),
      }),
      certManager: obj("source=certManager: the Certificate the chart renders (Secret <fullname>-tls).", {
        issuerRef: obj("The cert-manager issuer that signs it.", {
          name: str("Name of the Issuer or ClusterIssuer.", "", { pattern: DNS_SUBDOMAIN_OR_EMPTY, maxLength: 253 }, "issuer name"),
          kind: oneOf("Issuer (in the release's namespace) or ClusterIssuer.", ["Issuer", "ClusterIssuer"], "Issuer"),
          group: str(
            "API group of the issuer (cert-manager.io, or an external issuer's).",
            "cert-manager.io",
            { pattern: DNS_SUBDOMAIN, maxLength: 253 },
            "API group",
          ),
        }),
        duration: str("Lifetime of the certificate (Go duration).", "2160h", { pattern: GO_DURATION }, "Go duration, e.g. 2160h"),
        renewBefore: str(
          "cert-manager renews the certificate this long before it expires (Go duration).",
          "720h",
          { pattern: GO_DURATION },
          "Go duration, e.g. 720h",
        ),
        privateKeyAlgorithm: oneOf("Key algorithm (written as PKCS#8, which Kafka needs).", ["RSA", "ECDSA"], "RSA"),
        extraDnsNames: list(
          "DNS names added to the certificate besides the pods', the client Service's and the external host (e.g. a load balancer's name).",
          { type: "string", pattern: CERTIFICATE_DNS_NAME, maxLength: 253 },
          [],
          {},
          "list of DNS names",
        ),
      }),
      generated: obj(
        "source=generated: a hook Job creates the Secret <fullname>-tls once (a new CA, its key discarded, and a server certificate), keeps it across upgrades and leaves it after uninstall. For a quick start: its CA signs nothing else, and replacing it is the new-CA procedure (README: Security).",
        {
          validityDays: int("Lifetime of the CA and the certificate, in days.", 3650, 1, 36500),
          extraDnsNames: list(
            "DNS names added to the certificate besides the pods', the client Service's and the external host.",
            { type: "string", pattern: CERTIFICATE_DNS_NAME, maxLength: 253 },
            [],
            {},
            "list of DNS names",
          ),
        },
      ),
      clientAuth: oneOf(
        "Client certificates on the client and external listeners: none, requested (checked when a client presents one) or required (mutual TLS: clients need a certificate signed by the CA of ca.crt).",
        ["none", "requested", "required"],
        "none",
      ),
    },
  ),
  sasl: obj(
    "SASL authentication on the client and external listeners (README: Security): users whose passwords live in Secrets you create. The chart owns the cluster's SCRAM users: a Job after every install and upgrade creates and updates those listed here and deletes the others (all of them with PLAIN).",
    {
      enabled: bool("Require SASL on the client listener and on the external listener.", false),
      mechanism: oneOf(
        "SCRAM-SHA-512 or SCRAM-SHA-256 (credentials in the cluster's metadata, written by the security Job), or PLAIN (the password itself goes over the wire, so only with TLS on the client and external listeners; the brokers read the passwords when they start, so a changed password needs a rolling restart).",
        ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"],
        "SCRAM-SHA-512",
      ),
      users: list("Users: name and the Secret key holding the password.", scramUser, [], {}, "list of {name, passwordSecret: {name, key}}"),
    },
  ),
  authorization: obj(
    "Kafka's StandardAuthorizer (README: Security): nothing is allowed without an ACL, except to the release's own principal (the certificate's CN, on the internal and controller listeners) and superUsers. The chart owns the cluster's ACLs: the Job that manages SCRAM users adds those listed here and removes the others.",
    {
      enabled: bool("Turn the authorizer on (needs TLS on the internal and controller listeners: the release's principal is its certificate).", false),
      superUsers: list(
        "Principals allowed everything besides the release's own (e.g. User:admin).",
        { type: "string", pattern: PRINCIPAL },
        [],
        {},
        "list of User:<name>",
      ),
      acls: list("ACLs: who may do what on which resource.", acl, [], {}, "list of ACLs"),
    },
  ),
  networkPolicy: obj(
    "A NetworkPolicy on the Kafka pods (README: Security): the controller port only from Kafka pods, the internal port only from the release's pods, the client and external ports from the peers listed (anywhere when none), and egress only to DNS, the release's pods and, for the rack init container, the API server.",
    {
      enabled: raw(
        "Render the NetworkPolicy. null: on exactly when tls.enabled (security on), off otherwise.",
        { type: ["boolean", "null"] },
        null,
        "true / false / null",
      ),
      clientPeers: list(
        "Who may connect to the client port (the client Service), besides the release's own pods. Empty: any pod or address (TLS and SASL still apply).",
        networkPolicyPeer,
        [],
        {},
        "list of NetworkPolicyPeer",
      ),
      externalPeers: list(
        "Who may connect to the external port (externalAccess). Empty: any address. Through a NodePort the source is often a node's address, not the client's.",
        networkPolicyPeer,
        [],
        {},
        "list of NetworkPolicyPeer",
      ),
      metricsPeers: list(
        "Who may scrape the metrics port (metrics.enabled), e.g. the namespace of your Prometheus. Empty: any pod or address.",
        networkPolicyPeer,
        [],
        {},
        "list of NetworkPolicyPeer",
      ),
      restrictEgress: bool("Limit the Kafka pods' egress to DNS, the release's pods, the API server (rack awareness) and extraEgress.", true),
      apiServerPorts: list(
        "Ports of the Kubernetes API the rack init container may reach with restrictEgress (policies see the API server's own port, not the kubernetes Service's).",
        { type: "integer", minimum: 1, maximum: 65535 },
        [443, 6443],
        {},
        "list of ports",
      ),
      extraEgress: list(
        "More egress rules for the Kafka pods with restrictEgress (e.g. tiered storage's object store).",
        networkPolicyEgressRule,
        [],
        {},
        "list of NetworkPolicyEgressRule",
      ),
    },
  ),
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
      minDomains: raw(
        "Zones the scheduler must count even when fewer are schedulable: with 3, a moment with only two zones schedulable (one cordoned, tainted or full) cannot place two pods in one zone. Set it to the number of zones of the cluster (2 on a two-zone cluster, or the third broker stays Pending). Only with whenUnsatisfiable=DoNotSchedule (Kubernetes refuses it otherwise): null omits it.",
        { type: ["integer", "null"], minimum: 1, maximum: 10 },
        3,
        "integer 1..10 or null",
      ),
    }),
    hostname: obj("Spread over nodes.", {
      enabled: bool("Add the hostname constraint.", true),
      maxSkew: int("Largest allowed difference of pod counts between two nodes.", 1, 1, 10),
      whenUnsatisfiable: oneOf("What the scheduler does when the node spread cannot be kept.", ["DoNotSchedule", "ScheduleAnyway"], "ScheduleAnyway"),
    }),
  }),
  podSecurityContext: obj(
    "User and groups of every pod (brokers, controllers, helm test). The images run with any uid: everything they write is on emptyDirs or the data volume.",
    {
      runAsUser: raw(
        "uid of the containers (the image's user appuser is 1000). null: omitted, for platforms that assign one (OpenShift restricted SCC); elsewhere the pods then fail to start, because Kubernetes cannot check runAsNonRoot against the image's non-numeric USER.",
        { type: ["integer", "null"], minimum: 1, maximum: 2147483647 },
        1000,
        "integer >= 1 or null",
      ),
      runAsGroup: raw(
        "Primary gid of the containers. null: omitted (the image's or the platform's; OpenShift uses 0).",
        { type: ["integer", "null"], minimum: 0, maximum: 2147483647 },
        1000,
        "integer >= 0 or null",
      ),
      fsGroup: raw(
        "Group that owns the data volume (and may write it). null: omitted, the platform assigns it (OpenShift restricted SCC).",
        { type: ["integer", "null"], minimum: 0, maximum: 2147483647 },
        1000,
        "integer >= 0 or null",
      ),
    },
  ),
  podAntiAffinity: oneOf(
    "Anti-affinity between pods of the same StatefulSet on kubernetes.io/hostname: none, soft (preferred) or hard (required).",
    ["none", "soft", "hard"],
    "none",
  ),
  nodeSelector: map("Node labels the pods require (dedicated node pool).", { type: "string" }, {}, undefined, "map of label: value"),
  tolerations: list("Tolerations of the pods (e.g. for a tainted, dedicated node pool).", toleration, [], {}, "list of tolerations"),
  affinity: raw(
    "Extra affinity of the pods (Kubernetes Affinity shape; closed).",
    { $comment: "Kubernetes shape: inner keys are documented, defaults do not apply", ...affinitySchema },
    {},
    "Kubernetes affinity",
  ),
  priorityClassName: str("PriorityClass of the pods.", "", { pattern: DNS_SUBDOMAIN_OR_EMPTY, maxLength: 253 }, "DNS name or empty"),
  podAnnotations: map(
    "Extra annotations on the pods (the chart's own checksum/config cannot be set).",
    { type: "string" },
    {},
    undefined,
    "map of annotation: string",
  ),
  podLabels: map(
    "Extra labels on the pods (never used in selectors; the chart's own labels cannot be set).",
    { type: "string" },
    {},
    undefined,
    "map of label: value",
  ),
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
    readiness: obj(
      "Readiness probe (scripts/ready.sh): a broker is Ready when it serves and is back in the ISR of every partition it hosts, which paces rolling restarts.",
      {
        isrCheck: bool(
          "Brokers: check that this broker is in the ISR of every partition it hosts, except partitions it is only receiving in a reassignment. Dedicated controllers: check that the quorum leader lists this node as a caught-up voter. The check runs inside the Kafka JVM (metric.reporters: KafkaHaReadinessReporter, every 5 s); ready.sh reads its verdict. false: only that the client (controller) port accepts connections.",
          true,
        ),
        cacheSeconds: int(
          "Only when the in-JVM verdict is missing or stale (a pod started by an older chart version during an upgrade): ready.sh then checks with an admin JVM and reuses a positive answer for this long; a negative one is re-checked on every probe.",
          30,
          0,
          600,
        ),
        periodSeconds: int("Seconds between probes.", 10, 1, 300),
        timeoutSeconds: int("Seconds before a probe fails; with isrCheck at least 45, the longest ready.sh can take (port check + one admin JVM).", 45, 1, 300),
        failureThreshold: int(
          "Failed probes in a row before a Ready pod is marked unready: 3 x periodSeconds, so one slow or failed admin call does not flip a Ready broker (and use up the PodDisruptionBudget). It only delays Ready -> unready: a restarted pod starts unready and turns Ready at its first passing check, so it does not slow a rolling restart.",
          3,
          1,
          100,
        ),
      },
    ),
  }),
  metrics: obj(
    'Prometheus metrics (README "Metrics and alerts"): the Prometheus JMX exporter Java agent in every broker and controller, serving /metrics on port 9404 (the container port `metrics`).',
    {
      enabled: bool(
        "Attach the JMX exporter agent (curated rules: files/metrics/jmx-exporter.yaml) and publish the metrics port through the Service <fullname>-metrics. Needs `metrics.image`.",
        false,
      ),
      image: obj(
        "The init-container image that carries the agent jar (the official Kafka image has none). Build it with scripts/images/jmx-exporter/build.sh and push it to your registry, or mirror any image that has the jar at `jarPath` and a `cp`.",
        {
          repository: str("Image repository; required with metrics.enabled.", "", { pattern: `^$|${IMAGE_REPO.slice(1)}` }, "image repository or empty"),
          tag: str("Image tag (the agent's version). Ignored when `digest` is set.", "1.0.1", { pattern: IMAGE_TAG }, "tag or empty"),
          digest: str("Image digest (sha256:<64 hex>); empty: repository:tag.", "", { pattern: IMAGE_DIGEST }, "sha256:<64 hex> or empty"),
          pullPolicy: oneOf("Image pull policy.", ["IfNotPresent", "Always", "Never"], "IfNotPresent"),
          jarPath: str("Path of the agent jar inside the image.", "/jmx_prometheus_javaagent.jar", { pattern: "^/[^\\s]*\\.jar$" }, "absolute path of a .jar"),
        },
      ),
      serviceMonitor: obj("A prometheus-operator ServiceMonitor for <fullname>-metrics, rendered only when the monitoring.coreos.com/v1 API exists.", {
        enabled: bool("Render the ServiceMonitor.", false),
        interval: str("Scrape interval.", "30s", { pattern: GO_DURATION }, "duration, e.g. 30s"),
        scrapeTimeout: str("Scrape timeout (at most the interval).", "10s", { pattern: GO_DURATION }, "duration, e.g. 10s"),
        labels: map(
          "Extra labels, e.g. the `release` label your Prometheus selects ServiceMonitors by.",
          { type: "string" },
          {},
          undefined,
          "map of label: value",
        ),
      }),
      prometheusRule: obj(
        'A prometheus-operator PrometheusRule with the chart\'s alerts (README "Alerts"), rendered only when the monitoring.coreos.com/v1 API exists.',
        {
          enabled: bool("Render the PrometheusRule.", false),
          labels: map("Extra labels, e.g. the `release` label your Prometheus selects rules by.", { type: "string" }, {}, undefined, "map of label: value"),
        },
      ),
      dashboard: obj("A Grafana dashboard as JSON in a ConfigMap, labelled for the Grafana sidecar.", {
        enabled: bool("Render the dashboard ConfigMap.", false),
        labels: map(
          "Labels of the ConfigMap: the Grafana sidecar picks up ConfigMaps that carry its label (grafana_dashboard by default).",
          { type: "string" },
          { grafana_dashboard: "1" },
          undefined,
          "map of label: value",
        ),
      }),
    },
  ),
  tests: obj("The `helm test` pod.", {
    enabled: bool("Render the test pod that produces and consumes with acks=all and checks the topic's ISR.", true),
  }),
});
