{{/*
SASL/SCRAM users and the authorizer (values sasl.*, authorization.*; README "Security"). SCRAM users
and ACLs live in the cluster's metadata; the security Job (security-job.yaml, files/scripts/
security-sync.sh) makes them match the values after every install and upgrade. The release's own
principal is its certificate on the internal and controller listeners, mapped to its CN: start.sh
reads the CN from tls.crt and adds User:<CN> to super.users.
*/}}

{{/* server.properties lines for SASL and the authorizer (empty when both are off). */}}
{{- define "kafka-ha.authProperties" -}}
{{- $mech := .Values.sasl.mechanism -}}
{{- with include "kafka-ha.saslListeners" . }}
# SASL/{{ $mech }} on {{ . }}: credentials are SCRAM users in the cluster's metadata (security Job).
sasl.enabled.mechanisms={{ $mech }}
{{- range $l := splitList " " . }}
listener.name.{{ lower $l }}.{{ lower $mech }}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
{{- end }}
{{- end }}
{{- if .Values.authorization.enabled }}
# Authorizer: nothing without an ACL; the release's certificate (its CN) and authorization.superUsers
# may do everything (start.sh writes super.users).
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
{{- range $l := list "internal" "controller" }}
listener.name.{{ $l }}.ssl.principal.mapping.rules=RULE:^(.*,)?CN=([^,]+)(,.*)?$/$2/,DEFAULT
{{- end }}
{{- end }}
{{- end -}}

{{/* One line per ACL operation, as the security Job compares them with Kafka's own listing: TYPE|NAME|PATTERN|PRINCIPAL|HOST|OPERATION|PERMISSION. */}}
{{- define "kafka-ha.aclLines" -}}
{{- $types := dict "topic" "TOPIC" "group" "GROUP" "cluster" "CLUSTER" "transactionalId" "TRANSACTIONAL_ID" -}}
{{- $lines := list -}}
{{- range $a := .Values.authorization.acls -}}
{{- $name := ternary "kafka-cluster" ($a.name | default "") (eq $a.resourceType "cluster") -}}
{{- range $op := $a.operations -}}
{{- $lines = append $lines (join "|" (list (get $types $a.resourceType) $name (upper ($a.patternType | default "literal")) $a.principal ($a.host | default "*") (regexReplaceAll "([a-z])([A-Z])" $op "${1}_${2}" | upper) (upper ($a.permission | default "Allow")))) -}}
{{- end -}}
{{- end -}}
{{- join "\n" ($lines | uniq) -}}
{{- end -}}

{{/* Whether the security Job runs: SASL or the authorizer is on (it also removes what left the values). */}}
{{- define "kafka-ha.securityJob" -}}
{{- if or .Values.sasl.enabled .Values.authorization.enabled }}true{{ end -}}
{{- end -}}
