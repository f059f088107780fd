{{/*
Static part of server.properties, shared by every pod. start.sh appends what differs per pod
(node.id, process.roles, listeners, advertised.listeners, quorum, broker.rack). Hashed into checksum/config.
*/}}
{{- define "kafka-ha.serverProperties" -}}
# kafka-ha {{ .Chart.Version }}: static server.properties (start.sh appends the per-pod part)
controller.listener.names=CONTROLLER
listener.security.protocol.map=CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT
default.replication.factor={{ .Values.replication.defaultReplicationFactor }}
min.insync.replicas={{ .Values.replication.minInsyncReplicas }}
offsets.topic.replication.factor={{ .Values.replication.internalTopics.replicationFactor }}
transaction.state.log.replication.factor={{ .Values.replication.internalTopics.replicationFactor }}
transaction.state.log.min.isr={{ .Values.replication.internalTopics.minInsyncReplicas }}
unclean.leader.election.enable={{ .Values.replication.uncleanLeaderElection }}
{{- if .Values.config }}
# from values.config
{{- range $k, $v := .Values.config }}
{{ $k }}={{ $v }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Keys of server.properties the chart writes itself; values.config may not set them. */}}
{{- define "kafka-ha.managedKeys" -}}
node.id: ""
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
{{- end -}}
