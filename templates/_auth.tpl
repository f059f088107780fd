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
{{- if eq $mech "PLAIN" }}
# SASL/PLAIN on {{ . }}: start.sh writes each listener's user list from the users' Secrets.
sasl.enabled.mechanisms=PLAIN
{{- else }}
# SASL/{{ $mech }} on {{ . }}: credentials are SCRAM users in the cluster's metadata (security Job).
sasl.enabled.mechanisms={{ $mech }}
{{- range $l := splitList " " . }}
listener.name.{{ lower $l }}.{{ lower $mech }}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
{{- end }}
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

{{/* The volume "users": each user's password as the file <name>, from the users' own Secrets. */}}
{{- define "kafka-ha.usersVolume" -}}
- name: users
  {{- with .Values.sasl.users }}
  projected:
    defaultMode: 0444
    sources:
      {{- range $u := . }}
      - secret:
          name: {{ $u.passwordSecret.name }}
          items:
            - key: {{ $u.passwordSecret.key }}
              path: {{ $u.name }}
      {{- end }}
  {{- else }}
  emptyDir:
    sizeLimit: 1Mi
  {{- end }}
{{- end -}}

{{/* Where the users' passwords are mounted (the security Job; Kafka pods with PLAIN). */}}
{{- define "kafka-ha.usersDir" -}}/opt/kafka-ha/users{{- end -}}

{{/* "true" when the Kafka pods read the users' passwords themselves (SASL/PLAIN). */}}
{{- define "kafka-ha.plainUsers" -}}
{{- if and .Values.sasl.enabled (eq .Values.sasl.mechanism "PLAIN") }}true{{ end -}}
{{- end -}}
