{{/* The release's topology: its StatefulSets, their roles, the KRaft voters and Kafka's ports. */}}

{{/*
Kafka's ports, defined here only; start.sh and ready.sh get them from the pod's environment
(KAFKA_HA_*_PORT). bootstrap: where an empty controller tells its peers its state while the
cluster's first start is decided (start.sh). Called with the port's name.
*/}}
{{- define "kafka-ha.port" -}}
{{- get (dict "client" "9092" "controller" "9093" "internal" "9094" "external" "9095" "bootstrap" "9096" "metrics" "9404") . -}}
{{- end -}}

{{/*
The node id of dedicated controller 0: controller N is kafka-ha.controllerIdBase + N, so the ids never
meet the brokers' (0, 1, ...). Written here only (start.sh gets it as KAFKA_HA_NODE_ID_OFFSET, the
controller-removal Job as KAFKA_HA_CONTROLLER_ID_BASE).
*/}}
{{- define "kafka-ha.controllerIdBase" -}}1000{{- end -}}

{{/*
The StatefulSets of the release, as a YAML list. Combined mode: one StatefulSet <fullname> whose first
controller.replicas pods are also controllers. Dedicated mode: <fullname>-controller (node ids from
kafka-ha.controllerIdBase) and <fullname>-broker.
*/}}
{{- define "kafka-ha.components" -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- if .Values.controller.dedicated }}
- name: {{ include "kafka-ha.controllerStatefulSet" . }}
  component: controller
  role: controller
  replicas: {{ .Values.controller.replicas }}
  nodeIdOffset: {{ include "kafka-ha.controllerIdBase" . }}
  values: {{ toJson (pick .Values.controller "resources" "heapPercent" "storage") }}
- name: {{ include "kafka-ha.dedicatedBrokerStatefulSet" . }}
  component: broker
  role: broker
  replicas: {{ .Values.broker.replicas }}
  nodeIdOffset: 0
  values: {{ toJson (pick .Values.broker "resources" "heapPercent" "storage") }}
{{- else }}
- name: {{ $full }}
  component: kafka
  role: combined
  replicas: {{ .Values.broker.replicas }}
  nodeIdOffset: 0
  values: {{ toJson (pick .Values.broker "resources" "heapPercent" "storage") }}
{{- end }}
{{- end -}}

{{/* The component whose pods serve clients: kafka (combined) or broker (dedicated). */}}
{{- define "kafka-ha.brokerComponent" -}}
{{- if .Values.controller.dedicated }}broker{{ else }}kafka{{ end -}}
{{- end -}}
{{- define "kafka-ha.brokerStatefulSet" -}}
{{- if .Values.controller.dedicated }}{{ include "kafka-ha.dedicatedBrokerStatefulSet" . }}{{ else }}{{ include "kafka-ha.fullname" . }}{{ end -}}
{{- end -}}

{{/* Initial voters: "<id>@<pod>.<domain>:<controller port>" separated by spaces. */}}
{{- define "kafka-ha.voters" -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- $domain := include "kafka-ha.domain" . -}}
{{- $port := include "kafka-ha.port" "controller" -}}
{{- $voters := list -}}
{{- range $i := until (int .Values.controller.replicas) -}}
{{- if $.Values.controller.dedicated -}}
{{- $voters = append $voters (printf "%d@%s-%d.%s:%s" (add (include "kafka-ha.controllerIdBase" $ | int) $i) (include "kafka-ha.controllerStatefulSet" $) $i $domain $port) -}}
{{- else -}}
{{- $voters = append $voters (printf "%d@%s-%d.%s:%s" $i $full $i $domain $port) -}}
{{- end -}}
{{- end -}}
{{- join " " $voters -}}
{{- end -}}

{{/* Every broker's internal listener, comma separated: how the chart's own clients reach the brokers as the release. */}}
{{- define "kafka-ha.internalBootstrap" -}}
{{- $brokers := include "kafka-ha.brokerStatefulSet" . -}}
{{- $domain := include "kafka-ha.domain" . -}}
{{- $out := list -}}
{{- range $i := until (int .Values.broker.replicas) -}}
{{- $out = append $out (printf "%s-%d.%s:%s" $brokers $i $domain (include "kafka-ha.port" "internal")) -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}

{{/* Bootstrap address for clients inside the cluster. */}}
{{- define "kafka-ha.bootstrap" -}}
{{ include "kafka-ha.fullname" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}:{{ include "kafka-ha.port" "client" }}
{{- end -}}

{{/* The NetworkPolicy's port list for (list "client" "internal" ...): TCP, by number. */}}
{{- define "kafka-ha.networkPolicyPorts" -}}
{{- range $name := . }}
- port: {{ include "kafka-ha.port" $name }}
  protocol: TCP
{{- end }}
{{- end -}}

{{/* "true" when the NetworkPolicy is rendered: networkPolicy.enabled, or null and TLS on. */}}
{{- define "kafka-ha.networkPolicyEnabled" -}}
{{- $on := .Values.networkPolicy.enabled -}}
{{- if kindIs "invalid" $on }}{{ $on = .Values.tls.enabled }}{{ end -}}
{{- if $on }}true{{ end -}}
{{- end -}}
