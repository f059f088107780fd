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

{{/* Every resource name derived from fullname, each in one place. */}}
{{- define "kafka-ha.headless" -}}{{ include "kafka-ha.fullname" . }}-headless{{- end -}}
{{- define "kafka-ha.clusterIdSecret" -}}{{ include "kafka-ha.fullname" . }}-cluster-id{{- end -}}
{{- define "kafka-ha.serviceAccount" -}}{{ include "kafka-ha.fullname" . }}{{- end -}}
{{- define "kafka-ha.configMap" -}}{{ include "kafka-ha.fullname" . }}-config{{- end -}}
{{- define "kafka-ha.scriptsConfigMap" -}}{{ include "kafka-ha.fullname" . }}-scripts{{- end -}}
{{- define "kafka-ha.certificate" -}}{{ include "kafka-ha.fullname" . }}-tls{{- end -}}
{{- define "kafka-ha.tlsGenerator" -}}{{ include "kafka-ha.fullname" . }}-tls-generator{{- end -}}
{{- define "kafka-ha.securityJobName" -}}{{ include "kafka-ha.fullname" . }}-security{{- end -}}
{{- define "kafka-ha.rebalanceJob" -}}{{ include "kafka-ha.fullname" . }}-rebalance{{- end -}}
{{- define "kafka-ha.featuresJob" -}}{{ include "kafka-ha.fullname" . }}-features{{- end -}}
{{/* The controller-removal Job and its ServiceAccount, Role, RoleBinding and class ConfigMap (one name). */}}
{{- define "kafka-ha.controllerRemovalJob" -}}{{ include "kafka-ha.fullname" . }}-controller-removal{{- end -}}
{{- define "kafka-ha.testPod" -}}{{ include "kafka-ha.fullname" . }}-test{{- end -}}
{{/* Cluster-scoped, so the namespace is part of the name. */}}
{{- define "kafka-ha.nodeReader" -}}{{ .Release.Namespace }}-{{ include "kafka-ha.fullname" . }}-node-reader{{- end -}}
{{- define "kafka-ha.controllerStatefulSet" -}}{{ include "kafka-ha.fullname" . }}-controller{{- end -}}
{{- define "kafka-ha.dedicatedBrokerStatefulSet" -}}{{ include "kafka-ha.fullname" . }}-broker{{- end -}}
{{/* The per-broker external Service of ordinal .ordinal: (dict "context" $ "ordinal" <n>). */}}
{{- define "kafka-ha.externalService" -}}{{ include "kafka-ha.brokerStatefulSet" .context }}-{{ .ordinal }}-external{{- end -}}

{{/* DNS suffix of every pod: <headless>.<namespace>.svc.<cluster domain> */}}
{{- define "kafka-ha.domain" -}}
{{ include "kafka-ha.headless" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}
{{- end -}}

{{/* repository@digest when a digest is set (the tag is then not used), else repository:tag. */}}
{{- define "kafka-ha.metricsService" -}}{{ include "kafka-ha.fullname" . }}-metrics{{- end -}}
{{- define "kafka-ha.dashboardConfigMap" -}}{{ include "kafka-ha.fullname" . }}-dashboard{{- end -}}
{{/* Where the kafka container finds the JMX exporter agent jar (an emptyDir the init container fills). */}}
{{- define "kafka-ha.metricsAgentDir" -}}/opt/kafka-ha/metrics{{- end -}}

{{/* The init-container image carrying the JMX exporter agent (metrics.image). */}}
{{- define "kafka-ha.metricsImage" -}}
{{- with .Values.metrics.image -}}
{{- if .digest }}{{ .repository }}@{{ .digest }}{{ else }}{{ .repository }}:{{ .tag }}{{ end -}}
{{- end -}}
{{- end -}}

{{- define "kafka-ha.image" -}}
{{- with .Values.image.digest -}}
{{ $.Values.image.repository }}@{{ . }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}
