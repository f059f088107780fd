{{/* Labels. Selector labels never contain the chart version. */}}

{{- define "kafka-ha.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kafka-ha.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kafka-ha.labels" -}}
{{ include "kafka-ha.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kafka-ha
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* (dict "context" $ "component" "broker") */}}
{{- define "kafka-ha.componentSelectorLabels" -}}
{{ include "kafka-ha.selectorLabels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kafka-ha.componentLabels" -}}
{{ include "kafka-ha.labels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
Every pod that runs a Kafka node (broker, controller or both) carries this label, other pods of the
release (the helm test pod) do not: the headless Service selects on it. Not part of any StatefulSet
selector (those are immutable), so adding it only rolls the pods once.
*/}}
{{- define "kafka-ha.kafkaNodeLabel" -}}
kafka-ha/kafka-node: "true"
{{- end -}}
{{- define "kafka-ha.kafkaNodeSelectorLabels" -}}
{{ include "kafka-ha.selectorLabels" . }}
{{ include "kafka-ha.kafkaNodeLabel" . }}
{{- end -}}
