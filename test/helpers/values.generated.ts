/* Generated from scripts/chart/schema/values.ts by `npm run schema`: do not edit. */

/**
 * Values of the kafka-ha chart.
 */
export interface KafkaHaValues {
  /**
   * Replaces the chart name in resource names.
   */
  nameOverride?: string;
  /**
   * Replaces the full resource name prefix (default: the release name, or <release>-<chart> when the release name does not contain the chart name). It names Services, so it must start with a letter.
   */
  fullnameOverride?: string;
  /**
   * DNS domain of the Kubernetes cluster (used in the brokers' advertised names).
   */
  clusterDomain?: string;
  /**
   * true (default): values that cannot survive the loss of one broker or one controller are refused. false: a development cluster that is NOT highly available (examples/values-dev.yaml); it allows exactly what a single KRaft node needs: controller.replicas 1, and min ISR 1 (replication.minInsyncReplicas, replication.internalTopics.minInsyncReplicas) even when that is not lower than the brokers or the replication factor. Any restart then stops Kafka, and a lost disk loses its data. NOTES say so.
   */
  highAvailability?: boolean;
  /**
   * The Kafka container image (official layout: /opt/kafka/bin, user uid 1000, bash).
   */
  image?: {
    /**
     * Image repository.
     */
    repository?: string;
    /**
     * Image tag; empty uses the chart's appVersion (the Kafka version). Ignored when `digest` is set.
     */
    tag?: string;
    /**
     * Image digest (sha256:<64 hex>): every container (brokers, controllers, rack init, helm test) then runs repository@digest, the tag is not used. Empty: repository:tag.
     */
    digest?: string;
    /**
     * Image pull policy.
     */
    pullPolicy?: "IfNotPresent" | "Always" | "Never";
  };
  /**
   * Secrets for pulling the image from a private registry.
   */
  imagePullSecrets?: {
    /**
     * Secret name.
     */
    name: string;
  }[];
  /**
   * Kafka cluster id (22-character base64url UUID, e.g. from `kafka-storage.sh random-uuid`). Empty: the id already in the Secret <fullname>-cluster-id, else one derived from the namespace and fullname (the same on every render, see "Cluster id" below). Set it to give same-named releases in different clusters distinct ids.
   */
  clusterId?: string;
  /**
   * The broker pods.
   */
  broker?: {
    /**
     * Number of brokers. In combined mode (the default) the first controller.replicas of them are also KRaft controllers.
     */
    replicas?: number;
    /**
     * CPU and memory of each broker container.
     */
    resources?: {
      /**
       * Resources the scheduler reserves for each broker.
       */
      requests?: {
        /**
         * CPU request (Kubernetes quantity, e.g. 500m; at least 1m).
         */
        cpu?: string | number;
        /**
         * Memory request (Kubernetes quantity, e.g. 2Gi; at least 64Mi, at most limits.memory).
         */
        memory?: string | number;
      };
      /**
       * Hard limits of each broker. The JVM heap is sized from limits.memory.
       */
      limits?: {
        /**
         * CPU limit, at least requests.cpu; empty means none (recommended: throttling a broker stalls replication).
         */
        cpu?: string | number;
        /**
         * Memory limit, at least 512Mi; the heap is `heapPercent` of it, the rest is left to the page cache, off-heap buffers and the readiness check's admin JVM.
         */
        memory?: string | number;
      };
    };
    /**
     * JVM heap of each broker as a percentage of limits.memory (-XX:MaxRAMPercentage).
     */
    heapPercent?: number;
    /**
     * The persistent volume of each broker (one PVC per pod from volumeClaimTemplates).
     */
    storage?: {
      /**
       * Requested volume size (Kubernetes quantity, at least 100Mi).
       */
      size?: string | number;
      /**
       * StorageClass of the PVCs; empty uses the cluster's default class.
       */
      storageClass?: string;
      /**
       * Access modes of the PVCs.
       *
       * @minItems 1
       */
      accessModes?: ["ReadWriteOnce" | "ReadWriteOncePod", ...("ReadWriteOnce" | "ReadWriteOncePod")[]];
    };
    /**
     * Only with rebalance.enabled=false (moving replicas is yours): lowering broker.replicas on an existing release is refused (helm upgrade looks up the running StatefulSet) unless this equals the new broker.replicas. Set it only after every partition replica was moved off the brokers being removed (the highest ordinals) with kafka-reassign-partitions.sh. 0: no scale-down confirmed.
     */
    confirmScaleDownTo?: number;
    /**
     * Time a broker gets for a controlled shutdown (leadership moved away, logs flushed) before it is killed.
     */
    terminationGracePeriodSeconds?: number;
  };
  /**
   * The KRaft controller quorum.
   */
  controller?: {
    /**
     * false: combined mode, broker pods 0..replicas-1 are also controllers (one StatefulSet). true: a separate controller-only StatefulSet <fullname>-controller and broker-only pods <fullname>-broker (production layout).
     */
    dedicated?: boolean;
    /**
     * Number of voters in the KRaft quorum: odd, at least 3 (3 tolerates one lost voter, 5 tolerates two). 1 only with highAvailability=false (a single controller: no fault tolerance). With dedicated controllers it can be raised or lowered on a running release (README: Resize the controller quorum); in combined mode it stays as installed.
     */
    replicas?: 1 | 3 | 5 | 7 | 9;
    /**
     * CPU and memory of each dedicated controller container.
     */
    resources?: {
      /**
       * Resources the scheduler reserves for each dedicated controller.
       */
      requests?: {
        /**
         * CPU request (Kubernetes quantity, e.g. 500m; at least 1m).
         */
        cpu?: string | number;
        /**
         * Memory request (Kubernetes quantity, e.g. 2Gi; at least 64Mi, at most limits.memory).
         */
        memory?: string | number;
      };
      /**
       * Hard limits of each dedicated controller. The JVM heap is sized from limits.memory.
       */
      limits?: {
        /**
         * CPU limit, at least requests.cpu; empty means none (recommended: throttling a broker stalls replication).
         */
        cpu?: string | number;
        /**
         * Memory limit, at least 512Mi; the heap is `heapPercent` of it, the rest is left to the page cache, off-heap buffers and the readiness check's admin JVM.
         */
        memory?: string | number;
      };
    };
    /**
     * JVM heap of each dedicated controller as a percentage of limits.memory (-XX:MaxRAMPercentage).
     */
    heapPercent?: number;
    /**
     * The persistent volume of each dedicated controller (one PVC per pod from volumeClaimTemplates).
     */
    storage?: {
      /**
       * Requested volume size (Kubernetes quantity, at least 100Mi).
       */
      size?: string | number;
      /**
       * StorageClass of the PVCs; empty uses the cluster's default class.
       */
      storageClass?: string;
      /**
       * Access modes of the PVCs.
       *
       * @minItems 1
       */
      accessModes?: ["ReadWriteOnce" | "ReadWriteOncePod", ...("ReadWriteOnce" | "ReadWriteOncePod")[]];
    };
  };
  /**
   * Durability defaults written to server.properties.
   */
  replication?: {
    /**
     * default.replication.factor: replicas of auto-created topics and of topics created without one.
     */
    defaultReplicationFactor?: number;
    /**
     * min.insync.replicas: an acks=all write succeeds only when this many replicas have it. Must be lower than the number of brokers so one broker can be down.
     */
    minInsyncReplicas?: number;
    /**
     * Replication of __consumer_offsets and __transaction_state.
     */
    internalTopics?: {
      /**
       * offsets.topic.replication.factor and transaction.state.log.replication.factor.
       */
      replicationFactor?: number;
      /**
       * transaction.state.log.min.isr.
       */
      minInsyncReplicas?: number;
    };
    /**
     * unclean.leader.election.enable. false (default) keeps consistency: a partition whose in-sync replicas are all gone stays offline instead of electing a stale replica and losing acknowledged records. true prefers availability and accepts that loss.
     */
    uncleanLeaderElection?: boolean;
  };
  /**
   * Extra server.properties entries (key: value), written exactly as given: numbers in plain decimal (integers up to 2^53; quote larger ones), one line each. Keys the chart manages (listeners, node.id, quorum, replication defaults, ...) are refused; use the typed values for them.
   */
  config?: {
    [k: string]: string | number | boolean;
  };
  /**
   * Moving partition replicas when broker.replicas changes (README: Scale): hook Jobs of helm upgrade move every replica off the brokers a scale-in removes before their pods go, and spread the partitions onto the brokers a scale-out adds, throttled, then elect the preferred leaders.
   */
  rebalance?: {
    /**
     * Run the rebalance Jobs on every helm upgrade (they end at once when the broker count did not change). false: partitions stay where they are; a scale-in then needs broker.confirmScaleDownTo.
     */
    enabled?: boolean;
    /**
     * Replication quota per broker while replicas are copied (leader.replication.throttled.rate and follower.replication.throttled.rate, on the moving replicas only; removed when done), so the copy leaves bandwidth to producers. 0: no throttle.
     */
    throttleBytesPerSecond?: number;
    /**
     * How long a rebalance Job waits for brokers and for the copy before it fails (the copy goes on in Kafka; the next upgrade waits for it). Give helm upgrade a --timeout at least this long when you change the broker count.
     */
    timeoutSeconds?: number;
  };
  /**
   * Kafka version upgrades (README: Upgrade Kafka): after a helm upgrade that changes the image, a hook Job raises the cluster's finalized feature levels (metadata.version, kraft.version, group.version, ...) to those of the new Kafka, once every broker and controller runs it.
   */
  featureUpgrade?: {
    /**
     * Run the features Job after an upgrade that changes the image; an image with an older Kafka minor version than the running one is then refused (Kafka does not go back below a finalized metadata.version). false: the levels stay until you raise them (kafka-features.sh upgrade), and a downgrade to the previous minor stays possible.
     */
    enabled?: boolean;
    /**
     * How long the features Job waits for every broker and controller to run the new Kafka (the rolling restart) before it fails. Give helm upgrade a --timeout at least this long when you change the Kafka version.
     */
    timeoutSeconds?: number;
  };
  /**
   * broker.rack from the zone of the node each broker runs on, so replicas of a partition go to different zones.
   */
  rackAwareness?: {
    /**
     * Read the node's zone label in an init container (Kubernetes API, get on nodes only) and set broker.rack. The only place a service-account token is mounted.
     */
    enabled?: boolean;
    /**
     * Node label whose value becomes broker.rack.
     */
    nodeLabel?: string;
  };
  /**
   * Per-broker access from outside the cluster: one NodePort Service per broker and an EXTERNAL listener advertised at advertisedHost:<node port>.
   */
  externalAccess?: {
    /**
     * Create the per-broker Services and the EXTERNAL listener.
     */
    enabled?: boolean;
    /**
     * Host clients outside the cluster use for every broker (k3d with published ports: 127.0.0.1).
     */
    advertisedHost?: string;
    /**
     * Node port of broker 0; broker N gets nodePortBase + N.
     */
    nodePortBase?: number;
  };
  /**
   * TLS on Kafka's listeners (README: Security). Kafka reads the certificate as PEM; the internal and controller listeners always require the release's own certificate from their peers (mutual TLS).
   */
  tls?: {
    /**
     * Serve TLS on the listeners chosen in tls.listeners (all four by default).
     */
    enabled?: boolean;
    /**
     * Which listeners serve TLS when tls.enabled is true.
     */
    listeners?: {
      /**
       * The client listener (the client Service and the pods' client port).
       */
      client?: boolean;
      /**
       * Broker-to-broker replication.
       */
      internal?: boolean;
      /**
       * The KRaft controller listener (the quorum and brokers' calls to it).
       */
      controller?: boolean;
      /**
       * The per-broker external listener (externalAccess).
       */
      external?: boolean;
    };
    /**
     * Where the certificate comes from: secret (a Secret you create and renew), certManager (a Certificate the chart renders for cert-manager, which issues and renews it) or generated (a CA and certificate a hook Job creates once, for a quick start: README "Security").
     */
    source?: "secret" | "certManager" | "generated";
    /**
     * source=secret: your Secret.
     */
    secret?: {
      /**
       * Secret with tls.crt (the certificate, then its chain), tls.key (PKCS#8 PEM, unencrypted) and ca.crt (the CA that signed it). Its names must cover the pods, the client Service and the external host (README: Security).
       */
      name?: string;
    };
    /**
     * source=certManager: the Certificate the chart renders (Secret <fullname>-tls).
     */
    certManager?: {
      /**
       * The cert-manager issuer that signs it.
       */
      issuerRef?: {
        /**
         * Name of the Issuer or ClusterIssuer.
         */
        name?: string;
        /**
         * Issuer (in the release's namespace) or ClusterIssuer.
         */
        kind?: "Issuer" | "ClusterIssuer";
        /**
         * API group of the issuer (cert-manager.io, or an external issuer's).
         */
        group?: string;
      };
      /**
       * Lifetime of the certificate (Go duration).
       */
      duration?: string;
      /**
       * cert-manager renews the certificate this long before it expires (Go duration).
       */
      renewBefore?: string;
      /**
       * Key algorithm (written as PKCS#8, which Kafka needs).
       */
      privateKeyAlgorithm?: "RSA" | "ECDSA";
      /**
       * DNS names added to the certificate besides the pods', the client Service's and the external host (e.g. a load balancer's name).
       */
      extraDnsNames?: string[];
    };
    /**
     * source=generated: a hook Job creates the Secret <fullname>-tls once (a new CA, its key discarded, and a server certificate), keeps it across upgrades and leaves it after uninstall. For a quick start: its CA signs nothing else, and replacing it is the new-CA procedure (README: Security).
     */
    generated?: {
      /**
       * Lifetime of the CA and the certificate, in days.
       */
      validityDays?: number;
      /**
       * DNS names added to the certificate besides the pods', the client Service's and the external host.
       */
      extraDnsNames?: string[];
    };
    /**
     * Client certificates on the client and external listeners: none, requested (checked when a client presents one) or required (mutual TLS: clients need a certificate signed by the CA of ca.crt).
     */
    clientAuth?: "none" | "requested" | "required";
  };
  /**
   * SASL authentication on the client and external listeners (README: Security): users whose passwords live in Secrets you create. The chart owns the cluster's SCRAM users: a Job after every install and upgrade creates and updates those listed here and deletes the others (all of them with PLAIN).
   */
  sasl?: {
    /**
     * Require SASL on the client listener and on the external listener.
     */
    enabled?: boolean;
    /**
     * SCRAM-SHA-512 or SCRAM-SHA-256 (credentials in the cluster's metadata, written by the security Job), or PLAIN (the password itself goes over the wire, so only with TLS on the client and external listeners; the brokers read the passwords when they start, so a changed password needs a rolling restart).
     */
    mechanism?: "SCRAM-SHA-512" | "SCRAM-SHA-256" | "PLAIN";
    /**
     * Users: name and the Secret key holding the password.
     */
    users?: {
      /**
       * User name (letters, digits, '.', '_', '@', '-').
       */
      name: string;
      passwordSecret: {
        /**
         * Secret in the release's namespace.
         */
        name: string;
        /**
         * Key of the password in it.
         */
        key: string;
      };
    }[];
  };
  /**
   * Kafka's StandardAuthorizer (README: Security): nothing is allowed without an ACL, except to the release's own principal (the certificate's CN, on the internal and controller listeners) and superUsers. The chart owns the cluster's ACLs: the Job that manages SCRAM users adds those listed here and removes the others.
   */
  authorization?: {
    /**
     * Turn the authorizer on (needs TLS on the internal and controller listeners: the release's principal is its certificate).
     */
    enabled?: boolean;
    /**
     * Principals allowed everything besides the release's own (e.g. User:admin).
     */
    superUsers?: string[];
    /**
     * ACLs: who may do what on which resource.
     */
    acls?: {
      /**
       * Who: User:<name> (a SCRAM user, or a client certificate's principal).
       */
      principal: string;
      /**
       * What kind of resource.
       */
      resourceType: "topic" | "group" | "cluster" | "transactionalId";
      /**
       * The resource's name, or name prefix (patternType prefixed); * for all. Not used for cluster.
       */
      name?: string;
      /**
       * literal (default): the name exactly; prefixed: every name that starts with it.
       */
      patternType?: "literal" | "prefixed";
      /**
       * Operations allowed (or denied).
       *
       * @minItems 1
       */
      operations: [
        (
          | "All"
          | "Read"
          | "Write"
          | "Create"
          | "Delete"
          | "Alter"
          | "Describe"
          | "ClusterAction"
          | "DescribeConfigs"
          | "AlterConfigs"
          | "IdempotentWrite"
        ),
        ...(
          | "All"
          | "Read"
          | "Write"
          | "Create"
          | "Delete"
          | "Alter"
          | "Describe"
          | "ClusterAction"
          | "DescribeConfigs"
          | "AlterConfigs"
          | "IdempotentWrite"
        )[]
      ];
      /**
       * Allow (default) or Deny.
       */
      permission?: "Allow" | "Deny";
      /**
       * Client address the ACL applies to; * (default) for any.
       */
      host?: string;
    }[];
  };
  /**
   * A NetworkPolicy on the Kafka pods (README: Security): the controller port only from Kafka pods, the internal port only from the release's pods, the client and external ports from the peers listed (anywhere when none), and egress only to DNS, the release's pods and, for the rack init container, the API server.
   */
  networkPolicy?: {
    /**
     * Render the NetworkPolicy. null: on exactly when tls.enabled (security on), off otherwise.
     */
    enabled?: boolean | null;
    /**
     * Who may connect to the client port (the client Service), besides the release's own pods. Empty: any pod or address (TLS and SASL still apply).
     */
    clientPeers?: NetworkPolicyPeer[];
    /**
     * Who may connect to the external port (externalAccess). Empty: any address. Through a NodePort the source is often a node's address, not the client's.
     */
    externalPeers?: NetworkPolicyPeer[];
    /**
     * Who may scrape the metrics port (metrics.enabled), e.g. the namespace of your Prometheus. Empty: any pod or address.
     */
    metricsPeers?: NetworkPolicyPeer[];
    /**
     * Limit the Kafka pods' egress to DNS, the release's pods, the API server (rack awareness) and extraEgress.
     */
    restrictEgress?: boolean;
    /**
     * Ports of the Kubernetes API the rack init container may reach with restrictEgress (policies see the API server's own port, not the kubernetes Service's).
     */
    apiServerPorts?: number[];
    /**
     * More egress rules for the Kafka pods with restrictEgress (e.g. tiered storage's object store).
     */
    extraEgress?: {
      /**
       * Destinations (none: anywhere).
       */
      to?: NetworkPolicyPeer[];
      /**
       * Ports (none: every port).
       */
      ports?: {
        /**
         * Port number or name.
         */
        port?: number | string;
        /**
         * Last port of a range.
         */
        endPort?: number;
        /**
         * Protocol.
         */
        protocol?: "TCP" | "UDP" | "SCTP";
      }[];
    }[];
  };
  /**
   * PodDisruptionBudget of each StatefulSet, so a drain never takes two brokers or two voters at once.
   */
  podDisruptionBudget?: {
    /**
     * Create the PodDisruptionBudget(s).
     */
    enabled?: boolean;
    /**
     * Pods of one StatefulSet that voluntary disruptions may take down at once.
     */
    maxUnavailable?: number;
  };
  /**
   * topologySpreadConstraints of the pods.
   */
  topologySpread?: {
    /**
     * Spread over zones.
     */
    zone?: {
      /**
       * Add the zone constraint.
       */
      enabled?: boolean;
      /**
       * Node label that names the zone.
       */
      topologyKey?: string;
      /**
       * Largest allowed difference of pod counts between two zones.
       */
      maxSkew?: number;
      /**
       * DoNotSchedule keeps a broker Pending rather than doubling up in a zone (a zone outage then costs one replica only).
       */
      whenUnsatisfiable?: "DoNotSchedule" | "ScheduleAnyway";
      /**
       * Zones the scheduler must count even when fewer are schedulable: with 3, a moment with only two zones schedulable (one cordoned, tainted or full) cannot place two pods in one zone. Set it to the number of zones of the cluster (2 on a two-zone cluster, or the third broker stays Pending). Only with whenUnsatisfiable=DoNotSchedule (Kubernetes refuses it otherwise): null omits it.
       */
      minDomains?: number | null;
    };
    /**
     * Spread over nodes.
     */
    hostname?: {
      /**
       * Add the hostname constraint.
       */
      enabled?: boolean;
      /**
       * Largest allowed difference of pod counts between two nodes.
       */
      maxSkew?: number;
      /**
       * What the scheduler does when the node spread cannot be kept.
       */
      whenUnsatisfiable?: "DoNotSchedule" | "ScheduleAnyway";
    };
  };
  /**
   * User and groups of every pod (brokers, controllers, helm test). The images run with any uid: everything they write is on emptyDirs or the data volume.
   */
  podSecurityContext?: {
    /**
     * uid of the containers (the image's user appuser is 1000). null: omitted, for platforms that assign one (OpenShift restricted SCC); elsewhere the pods then fail to start, because Kubernetes cannot check runAsNonRoot against the image's non-numeric USER.
     */
    runAsUser?: number | null;
    /**
     * Primary gid of the containers. null: omitted (the image's or the platform's; OpenShift uses 0).
     */
    runAsGroup?: number | null;
    /**
     * Group that owns the data volume (and may write it). null: omitted, the platform assigns it (OpenShift restricted SCC).
     */
    fsGroup?: number | null;
  };
  /**
   * Anti-affinity between pods of the same StatefulSet on kubernetes.io/hostname: none, soft (preferred) or hard (required).
   */
  podAntiAffinity?: "none" | "soft" | "hard";
  /**
   * Node labels the pods require (dedicated node pool).
   */
  nodeSelector?: {
    [k: string]: string;
  };
  /**
   * Tolerations of the pods (e.g. for a tainted, dedicated node pool).
   */
  tolerations?: {
    /**
     * Taint key, a label key (empty with operator Exists matches every taint).
     */
    key?: string;
    /**
     * Equal (default) or Exists.
     */
    operator?: "Equal" | "Exists";
    /**
     * Taint value for operator Equal (a label value); empty for Exists.
     */
    value?: string;
    /**
     * Taint effect; empty matches all.
     */
    effect?: "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute";
    /**
     * For NoExecute: how long the pod stays bound after the taint appears.
     */
    tolerationSeconds?: number;
  }[];
  /**
   * Extra affinity of the pods (Kubernetes Affinity shape; closed).
   */
  affinity?: {
    /**
     * Node affinity.
     */
    nodeAffinity?: {
      /**
       * Hard node rules.
       */
      requiredDuringSchedulingIgnoredDuringExecution?: {
        /**
         * ORed terms.
         *
         * @minItems 1
         */
        nodeSelectorTerms: [
          {
            /**
             * Node label requirements.
             */
            matchExpressions?: {
              /**
               * Node label key (or field name for matchFields).
               */
              key: string;
              /**
               * Operator.
               */
              operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
              /**
               * Values.
               */
              values?: string[];
            }[];
            /**
             * Node field requirements.
             */
            matchFields?: {
              /**
               * Node label key (or field name for matchFields).
               */
              key: string;
              /**
               * Operator.
               */
              operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
              /**
               * Values.
               */
              values?: string[];
            }[];
          },
          ...{
            /**
             * Node label requirements.
             */
            matchExpressions?: {
              /**
               * Node label key (or field name for matchFields).
               */
              key: string;
              /**
               * Operator.
               */
              operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
              /**
               * Values.
               */
              values?: string[];
            }[];
            /**
             * Node field requirements.
             */
            matchFields?: {
              /**
               * Node label key (or field name for matchFields).
               */
              key: string;
              /**
               * Operator.
               */
              operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
              /**
               * Values.
               */
              values?: string[];
            }[];
          }[]
        ];
      };
      /**
       * Soft node rules.
       */
      preferredDuringSchedulingIgnoredDuringExecution?: {
        /**
         * Preference weight, 1-100.
         */
        weight: number;
        preference: {
          /**
           * Node label requirements.
           */
          matchExpressions?: {
            /**
             * Node label key (or field name for matchFields).
             */
            key: string;
            /**
             * Operator.
             */
            operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
            /**
             * Values.
             */
            values?: string[];
          }[];
          /**
           * Node field requirements.
           */
          matchFields?: {
            /**
             * Node label key (or field name for matchFields).
             */
            key: string;
            /**
             * Operator.
             */
            operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
            /**
             * Values.
             */
            values?: string[];
          }[];
        };
      }[];
    };
    /**
     * Pod affinity.
     */
    podAffinity?: {
      /**
       * Hard rules.
       */
      requiredDuringSchedulingIgnoredDuringExecution?: {
        labelSelector?: LabelSelector2;
        namespaceSelector?: LabelSelector3;
        /**
         * Namespace names the selector applies to.
         */
        namespaces?: string[];
        /**
         * Node label that defines the co-location domain.
         */
        topologyKey: string;
        /**
         * Pod label keys merged into the selector.
         */
        matchLabelKeys?: string[];
        /**
         * Pod label keys merged as NotIn into the selector.
         */
        mismatchLabelKeys?: string[];
      }[];
      /**
       * Soft rules.
       */
      preferredDuringSchedulingIgnoredDuringExecution?: {
        /**
         * Preference weight, 1-100.
         */
        weight: number;
        podAffinityTerm: {
          labelSelector?: LabelSelector2;
          namespaceSelector?: LabelSelector3;
          /**
           * Namespace names the selector applies to.
           */
          namespaces?: string[];
          /**
           * Node label that defines the co-location domain.
           */
          topologyKey: string;
          /**
           * Pod label keys merged into the selector.
           */
          matchLabelKeys?: string[];
          /**
           * Pod label keys merged as NotIn into the selector.
           */
          mismatchLabelKeys?: string[];
        };
      }[];
    };
    /**
     * Pod anti-affinity (added to the one `podAntiAffinity` generates).
     */
    podAntiAffinity?: {
      /**
       * Hard rules.
       */
      requiredDuringSchedulingIgnoredDuringExecution?: {
        labelSelector?: LabelSelector2;
        namespaceSelector?: LabelSelector3;
        /**
         * Namespace names the selector applies to.
         */
        namespaces?: string[];
        /**
         * Node label that defines the co-location domain.
         */
        topologyKey: string;
        /**
         * Pod label keys merged into the selector.
         */
        matchLabelKeys?: string[];
        /**
         * Pod label keys merged as NotIn into the selector.
         */
        mismatchLabelKeys?: string[];
      }[];
      /**
       * Soft rules.
       */
      preferredDuringSchedulingIgnoredDuringExecution?: {
        /**
         * Preference weight, 1-100.
         */
        weight: number;
        podAffinityTerm: {
          labelSelector?: LabelSelector2;
          namespaceSelector?: LabelSelector3;
          /**
           * Namespace names the selector applies to.
           */
          namespaces?: string[];
          /**
           * Node label that defines the co-location domain.
           */
          topologyKey: string;
          /**
           * Pod label keys merged into the selector.
           */
          matchLabelKeys?: string[];
          /**
           * Pod label keys merged as NotIn into the selector.
           */
          mismatchLabelKeys?: string[];
        };
      }[];
    };
  };
  /**
   * PriorityClass of the pods.
   */
  priorityClassName?: string;
  /**
   * Extra annotations on the pods (the chart's own checksum/config cannot be set).
   */
  podAnnotations?: {
    [k: string]: string;
  };
  /**
   * Extra labels on the pods (never used in selectors; the chart's own labels cannot be set).
   */
  podLabels?: {
    [k: string]: string;
  };
  /**
   * Container probes.
   */
  probes?: {
    /**
     * Startup probe (TCP on the client or controller port): covers log recovery after an unclean stop.
     */
    startup?: {
      /**
       * Seconds between attempts.
       */
      periodSeconds?: number;
      /**
       * Attempts before the container is restarted (periodSeconds x failureThreshold = time allowed to start).
       */
      failureThreshold?: number;
    };
    /**
     * Liveness probe (TCP): restarts a process that no longer accepts connections.
     */
    liveness?: {
      /**
       * Seconds between attempts.
       */
      periodSeconds?: number;
      /**
       * Seconds before an attempt fails.
       */
      timeoutSeconds?: number;
      /**
       * Failed attempts before a restart.
       */
      failureThreshold?: number;
    };
    /**
     * Readiness probe (scripts/ready.sh): a broker is Ready when it serves and is back in the ISR of every partition it hosts, which paces rolling restarts.
     */
    readiness?: {
      /**
       * Brokers: check that this broker is in the ISR of every partition it hosts, except partitions it is only receiving in a reassignment. Dedicated controllers: check that the quorum leader lists this node as a caught-up voter. The check runs inside the Kafka JVM (metric.reporters: KafkaHaReadinessReporter, every 5 s); ready.sh reads its verdict. false: only that the client (controller) port accepts connections.
       */
      isrCheck?: boolean;
      /**
       * Only when the in-JVM verdict is missing or stale (a pod started by an older chart version during an upgrade): ready.sh then checks with an admin JVM and reuses a positive answer for this long; a negative one is re-checked on every probe.
       */
      cacheSeconds?: number;
      /**
       * Seconds between probes.
       */
      periodSeconds?: number;
      /**
       * Seconds before a probe fails; with isrCheck at least 45, the longest ready.sh can take (port check + one admin JVM).
       */
      timeoutSeconds?: number;
      /**
       * Failed probes in a row before a Ready pod is marked unready: 3 x periodSeconds, so one slow or failed admin call does not flip a Ready broker (and use up the PodDisruptionBudget). It only delays Ready -> unready: a restarted pod starts unready and turns Ready at its first passing check, so it does not slow a rolling restart.
       */
      failureThreshold?: number;
    };
  };
  /**
   * Prometheus metrics (README "Metrics and alerts"): the Prometheus JMX exporter Java agent in every broker and controller, serving /metrics on port 9404 (the container port `metrics`).
   */
  metrics?: {
    /**
     * Attach the JMX exporter agent (curated rules: files/metrics/jmx-exporter.yaml) and publish the metrics port through the Service <fullname>-metrics. Needs `metrics.image`.
     */
    enabled?: boolean;
    /**
     * The init-container image that carries the agent jar (the official Kafka image has none). Build it with scripts/images/jmx-exporter/build.sh and push it to your registry, or mirror any image that has the jar at `jarPath` and a `cp`.
     */
    image?: {
      /**
       * Image repository; required with metrics.enabled.
       */
      repository?: string;
      /**
       * Image tag (the agent's version). Ignored when `digest` is set.
       */
      tag?: string;
      /**
       * Image digest (sha256:<64 hex>); empty: repository:tag.
       */
      digest?: string;
      /**
       * Image pull policy.
       */
      pullPolicy?: "IfNotPresent" | "Always" | "Never";
      /**
       * Path of the agent jar inside the image.
       */
      jarPath?: string;
    };
    /**
     * A prometheus-operator ServiceMonitor for <fullname>-metrics, rendered only when the monitoring.coreos.com/v1 API exists.
     */
    serviceMonitor?: {
      /**
       * Render the ServiceMonitor.
       */
      enabled?: boolean;
      /**
       * Scrape interval.
       */
      interval?: string;
      /**
       * Scrape timeout (at most the interval).
       */
      scrapeTimeout?: string;
      /**
       * Extra labels, e.g. the `release` label your Prometheus selects ServiceMonitors by.
       */
      labels?: {
        [k: string]: string;
      };
    };
    /**
     * A prometheus-operator PrometheusRule with the chart's alerts (README "Alerts"), rendered only when the monitoring.coreos.com/v1 API exists.
     */
    prometheusRule?: {
      /**
       * Render the PrometheusRule.
       */
      enabled?: boolean;
      /**
       * Extra labels, e.g. the `release` label your Prometheus selects rules by.
       */
      labels?: {
        [k: string]: string;
      };
    };
    /**
     * A Grafana dashboard as JSON in a ConfigMap, labelled for the Grafana sidecar.
     */
    dashboard?: {
      /**
       * Render the dashboard ConfigMap.
       */
      enabled?: boolean;
      /**
       * Labels of the ConfigMap: the Grafana sidecar picks up ConfigMaps that carry its label (grafana_dashboard by default).
       */
      labels?: {
        [k: string]: string;
      };
    };
  };
  /**
   * The `helm test` pod.
   */
  tests?: {
    /**
     * Render the test pod that produces and consumes with acks=all and checks the topic's ISR.
     */
    enabled?: boolean;
  };
}
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector1;
  ipBlock?: {
    /**
     * Addresses, e.g. 10.0.0.0/8.
     */
    cidr: string;
    /**
     * Addresses inside cidr that are left out.
     */
    except?: string[];
  };
}
/**
 * Pods (in the release's namespace, or in the namespaces namespaceSelector picks).
 */
export interface LabelSelector {
  /**
   * Labels that must all match.
   */
  matchLabels?: {
    [k: string]: string;
  };
  /**
   * Set-based requirements.
   */
  matchExpressions?: {
    /**
     * Label key.
     */
    key: string;
    /**
     * Set operator.
     */
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    /**
     * Label values.
     */
    values?: string[];
  }[];
}
/**
 * Namespaces ({} is every namespace).
 */
export interface LabelSelector1 {
  /**
   * Labels that must all match.
   */
  matchLabels?: {
    [k: string]: string;
  };
  /**
   * Set-based requirements.
   */
  matchExpressions?: {
    /**
     * Label key.
     */
    key: string;
    /**
     * Set operator.
     */
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    /**
     * Label values.
     */
    values?: string[];
  }[];
}
/**
 * Pods to (anti-)co-locate with.
 */
export interface LabelSelector2 {
  /**
   * Labels that must all match.
   */
  matchLabels?: {
    [k: string]: string;
  };
  /**
   * Set-based requirements.
   */
  matchExpressions?: {
    /**
     * Label key.
     */
    key: string;
    /**
     * Set operator.
     */
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    /**
     * Label values.
     */
    values?: string[];
  }[];
}
/**
 * Namespaces the selector applies to.
 */
export interface LabelSelector3 {
  /**
   * Labels that must all match.
   */
  matchLabels?: {
    [k: string]: string;
  };
  /**
   * Set-based requirements.
   */
  matchExpressions?: {
    /**
     * Label key.
     */
    key: string;
    /**
     * Set operator.
     */
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    /**
     * Label values.
     */
    values?: string[];
  }[];
}
