{{/* Names. Helpers are prefixed with the chart name so they never collide inside an umbrella chart. */}}

{{- define "kafka-ha.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's resource prefix: the release name when it already contains the chart name. */}}
{{- define "kafka-ha.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "kafka-ha.headless" -}}{{ include "kafka-ha.fullname" . }}-headless{{- end -}}
{{- define "kafka-ha.clusterIdSecret" -}}{{ include "kafka-ha.fullname" . }}-cluster-id{{- end -}}
{{- define "kafka-ha.serviceAccount" -}}{{ include "kafka-ha.fullname" . }}{{- end -}}

{{/* DNS suffix of every pod: <headless>.<namespace>.svc.<cluster domain> */}}
{{- define "kafka-ha.domain" -}}
{{ include "kafka-ha.headless" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}
{{- end -}}

{{/* repository@digest when a digest is set (the tag is then not used), else repository:tag. */}}
{{- define "kafka-ha.image" -}}
{{- with .Values.image.digest -}}
{{ $.Values.image.repository }}@{{ . }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/*
The StatefulSets of the release, as a YAML list. Combined mode: one StatefulSet <fullname> whose first
controller.replicas pods are also controllers. Dedicated mode: <fullname>-controller (node ids from
1000) and <fullname>-broker.
*/}}
{{- define "kafka-ha.components" -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- if .Values.controller.dedicated }}
- name: {{ $full }}-controller
  component: controller
  role: controller
  replicas: {{ .Values.controller.replicas }}
  nodeIdOffset: 1000
  values: {{ toJson (pick .Values.controller "resources" "heapPercent" "storage") }}
- name: {{ $full }}-broker
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
{{- include "kafka-ha.fullname" . }}{{ if .Values.controller.dedicated }}-broker{{ end -}}
{{- end -}}

{{/* Initial voters: "<id>@<pod>.<domain>:9093" separated by spaces. */}}
{{- define "kafka-ha.voters" -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- $domain := include "kafka-ha.domain" . -}}
{{- $voters := list -}}
{{- range $i := until (int .Values.controller.replicas) -}}
{{- if $.Values.controller.dedicated -}}
{{- $voters = append $voters (printf "%d@%s-controller-%d.%s:9093" (add 1000 $i) $full $i $domain) -}}
{{- else -}}
{{- $voters = append $voters (printf "%d@%s-%d.%s:9093" $i $full $i $domain) -}}
{{- end -}}
{{- end -}}
{{- join " " $voters -}}
{{- end -}}

{{/* Bootstrap address for clients inside the cluster. */}}
{{- define "kafka-ha.bootstrap" -}}
{{ include "kafka-ha.fullname" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}:9092
{{- end -}}
