{{/* Labels. Selector labels never contain the chart version. */}}

{{- define "kafka-ha.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kafka-ha.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Every pod of the release, Kafka's and the others (kafka-ha.auxiliaryLabels keep these two). */}}
{{- define "kafka-ha.releasePodLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: kafka-ha
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
Pods that are not Kafka (the helm test pod, the hook Jobs), as (dict "context" $ "component" "test"):
the release's labels, but their own app.kubernetes.io/name (<name>-<component>), so that no selector
of the release (the headless Service selects every Kafka pod by name + instance) matches them. The
selectors stay as they were: changing the headless one would drop the running pods' DNS names during
the upgrade that rolls them.
*/}}
{{- define "kafka-ha.auxiliaryLabels" -}}
{{- $labels := include "kafka-ha.labels" .context | fromYaml -}}
{{- $_ := set $labels "app.kubernetes.io/name" (printf "%s-%s" (include "kafka-ha.name" .context) .component) -}}
{{- $_ := set $labels "app.kubernetes.io/component" .component -}}
{{- toYaml $labels -}}
{{- end -}}
