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
The helm test pod: the release's labels, but its own app.kubernetes.io/name (<name>-test), so that
no selector of the release (the headless Service selects every Kafka pod by name + instance)
matches it. The selectors stay as they were: changing the headless one would drop the running pods'
DNS names during the upgrade that rolls them.
*/}}
{{- define "kafka-ha.testLabels" -}}
{{- $labels := include "kafka-ha.labels" . | fromYaml -}}
{{- $_ := set $labels "app.kubernetes.io/name" (printf "%s-test" (include "kafka-ha.name" .)) -}}
{{- $_ := set $labels "app.kubernetes.io/component" "test" -}}
{{- toYaml $labels -}}
{{- end -}}
