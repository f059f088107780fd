{{/*
Static part of server.properties, shared by every pod. start.sh appends what differs per pod
(node.id, process.roles, listeners, advertised.listeners, quorum, broker.rack). Hashed into checksum/config.
*/}}
{{- define "kafka-ha.serverProperties" -}}
# kafka-ha {{ .Chart.Version }}: static server.properties (start.sh appends the per-pod part)
controller.listener.names=CONTROLLER
listener.security.protocol.map=
{{- range $i, $name := list "client" "internal" "controller" "external" -}}
{{ if $i }},{{ end }}{{ upper $name }}:{{ include "kafka-ha.listenerProtocol" (dict "context" $ "listener" $name) }}
{{- end }}
default.replication.factor={{ .Values.replication.defaultReplicationFactor }}
min.insync.replicas={{ .Values.replication.minInsyncReplicas }}
offsets.topic.replication.factor={{ .Values.replication.internalTopics.replicationFactor }}
transaction.state.log.replication.factor={{ .Values.replication.internalTopics.replicationFactor }}
transaction.state.log.min.isr={{ .Values.replication.internalTopics.minInsyncReplicas }}
unclean.leader.election.enable={{ .Values.replication.uncleanLeaderElection }}
{{- include "kafka-ha.tlsProperties" . }}
{{- include "kafka-ha.authProperties" . }}
{{- if .Values.config }}
# from values.config
{{- range $k, $v := .Values.config }}
{{- if ne $k "metric.reporters" }}
{{ $k }}={{ include "kafka-ha.propertyValue" $v }}
{{- end }}
{{- end }}
{{- end }}
{{- with include "kafka-ha.metricReporters" . }}
metric.reporters={{ . }}
{{- end }}
{{- end -}}

{{/*
metric.reporters: values.config's (else Kafka's default, JmxReporter: since Kafka 4.0 it is only
there when listed, and the KafkaMetrics MBeans such as raft-metrics need it), then the in-JVM
readiness check (files/readiness, README "What you get") when probes.readiness.isrCheck is on;
Kafka loads it from the CLASSPATH the pod sets.
*/}}
{{- define "kafka-ha.metricReporters" -}}
{{- $reporters := list -}}
{{- if hasKey .Values.config "metric.reporters" }}{{ with include "kafka-ha.propertyValue" (get .Values.config "metric.reporters") }}{{ $reporters = append $reporters . }}{{ end }}
{{- else }}{{ $reporters = append $reporters "org.apache.kafka.common.metrics.JmxReporter" }}{{ end -}}
{{- if .Values.probes.readiness.isrCheck }}{{ $reporters = append $reporters "KafkaHaReadinessReporter" }}{{ end -}}
{{- join "," $reporters -}}
{{- end -}}

{{/*
One value of values.config as server.properties text, exactly as the user wrote it. Helm reads every
YAML number as a float64, whose default text turns 10485760 into 1.048576e+07 (Kafka refuses that
for an int or long); toJson writes plain decimals (exact for integers below 2^53; checkConfig
refuses larger ones). Java's Properties.load reads a backslash as an escape, so it is doubled.
Multi-line and non-ASCII strings are refused there too (_checks.tpl).
*/}}
{{- define "kafka-ha.propertyValue" -}}
{{- if kindIs "string" . -}}
{{- replace "\\" "\\\\" . -}}
{{- else -}}
{{- toJson . -}}
{{- end -}}
{{- end -}}

{{/*
Keys of server.properties the chart writes itself (here and in files/scripts/start.sh) or that would
contradict what it writes; values.config may not set them. A key maps to the value to use instead,
or to "" when it is written per pod. test/unit/values-config.test.ts checks that every key written
by _config.tpl and start.sh is listed.
*/}}
{{- define "kafka-ha.managedKeys" -}}
node.id: ""
broker.id: ""
security.inter.broker.protocol: ""
process.roles: ""
listeners: ""
advertised.listeners: ""
listener.security.protocol.map: ""
inter.broker.listener.name: ""
controller.listener.names: ""
controller.quorum.voters: ""
controller.quorum.bootstrap.servers: ""
controller.quorum.auto.join.enable: ""
log.dirs: ""
log.dir: ""
metadata.log.dir: ""
broker.rack: rackAwareness
default.replication.factor: replication.defaultReplicationFactor
min.insync.replicas: replication.minInsyncReplicas
offsets.topic.replication.factor: replication.internalTopics.replicationFactor
transaction.state.log.replication.factor: replication.internalTopics.replicationFactor
transaction.state.log.min.isr: replication.internalTopics.minInsyncReplicas
unclean.leader.election.enable: replication.uncleanLeaderElection
ssl.keystore.type: tls.source
ssl.keystore.location: tls.source
ssl.keystore.key: tls.source
ssl.keystore.certificate.chain: tls.source
ssl.keystore.password: tls.source
ssl.key.password: tls.source
ssl.truststore.type: tls.source
ssl.truststore.location: tls.source
ssl.truststore.certificates: tls.source
ssl.truststore.password: tls.source
ssl.client.auth: tls.clientAuth
sasl.enabled.mechanisms: sasl.mechanism
authorizer.class.name: authorization.enabled
allow.everyone.if.no.acl.found: authorization.acls
super.users: authorization.superUsers
{{- end -}}
