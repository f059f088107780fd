{{/*
TLS on the listeners (values tls.*, README "Security"). Kafka reads PEM directly: the CA file is the
truststore (ssl.truststore.location), and start.sh copies the certificate chain and key into this
pod's server.properties (ssl.keystore.certificate.chain / ssl.keystore.key, which Kafka logs as
[hidden]); a PEM key file would need an encrypted key and its password in a file.
*/}}

{{/* The listeners (CLIENT INTERNAL CONTROLLER EXTERNAL) that serve TLS, space separated; empty when TLS is off. */}}
{{- define "kafka-ha.tlsListeners" -}}
{{- $on := list -}}
{{- if .Values.tls.enabled -}}
{{- range $name := list "client" "internal" "controller" "external" -}}
{{- if get $.Values.tls.listeners $name }}{{ $on = append $on (upper $name) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- join " " $on -}}
{{- end -}}

{{/* The listeners (CLIENT EXTERNAL) that require SASL, space separated; empty when SASL is off. */}}
{{- define "kafka-ha.saslListeners" -}}
{{- if .Values.sasl.enabled }}CLIENT EXTERNAL{{ end -}}
{{- end -}}

{{/* PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL for (dict "context" $ "listener" "client"). */}}
{{- define "kafka-ha.listenerProtocol" -}}
{{- $l := upper .listener -}}
{{- $tls := has $l (splitList " " (include "kafka-ha.tlsListeners" .context)) -}}
{{- $sasl := has $l (splitList " " (include "kafka-ha.saslListeners" .context)) -}}
{{- if $sasl }}SASL_{{ end }}{{ if $tls }}SSL{{ else }}PLAINTEXT{{ end -}}
{{- end -}}

{{/* The Secret holding tls.crt, tls.key and ca.crt: the user's, the one cert-manager writes, or the generated one. */}}
{{- define "kafka-ha.tlsSecret" -}}
{{- if eq .Values.tls.source "secret" }}{{ .Values.tls.secret.name }}{{ else }}{{ include "kafka-ha.certificate" . }}{{ end -}}
{{- end -}}

{{/* Where the pods mount that Secret. */}}
{{- define "kafka-ha.tlsDir" -}}/opt/kafka-ha/tls{{- end -}}

{{/*
The names a server certificate must carry (README "Security"): every pod of the release on the
headless Service (one wildcard), the client Service in its short and qualified forms, and the
external host, plus tls.certManager.extraDnsNames (cert-manager) or tls.generated.extraDnsNames.
As YAML: {dnsNames: [...], ipAddresses: [...]}.
*/}}
{{- define "kafka-ha.tlsNames" -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- $ns := .Release.Namespace -}}
{{- $dns := list (printf "*.%s" (include "kafka-ha.domain" .)) $full (printf "%s.%s" $full $ns) (printf "%s.%s.svc" $full $ns) (printf "%s.%s.svc.%s" $full $ns .Values.clusterDomain) -}}
{{- $ips := list -}}
{{- if and .Values.externalAccess.enabled (has "EXTERNAL" (splitList " " (include "kafka-ha.tlsListeners" .))) -}}
{{- $host := .Values.externalAccess.advertisedHost -}}
{{- if regexMatch "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$" $host }}{{ $ips = append $ips $host }}{{ else }}{{ $dns = append $dns $host }}{{ end -}}
{{- end -}}
{{- $extra := ternary .Values.tls.generated.extraDnsNames .Values.tls.certManager.extraDnsNames (eq .Values.tls.source "generated") -}}
{{- $dns = concat $dns $extra | uniq -}}
{{- toYaml (dict "dnsNames" $dns "ipAddresses" $ips) -}}
{{- end -}}

{{/* server.properties lines for TLS (empty when TLS is off). */}}
{{- define "kafka-ha.tlsProperties" -}}
{{- $on := include "kafka-ha.tlsListeners" . -}}
{{- if $on }}
# TLS ({{ $on }}): the CA file is the truststore; start.sh adds this pod's certificate and key.
ssl.keystore.type=PEM
ssl.truststore.type=PEM
ssl.truststore.location={{ include "kafka-ha.tlsDir" . }}/ca.crt
{{- range $name := splitList " " $on }}
{{- if has $name (list "INTERNAL" "CONTROLLER") }}
listener.name.{{ lower $name }}.ssl.client.auth=required
{{- else }}
listener.name.{{ lower $name }}.ssl.client.auth={{ $.Values.tls.clientAuth }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The volume "tls": the certificate Secret, read-only (0444, Kubernetes' own default is 0644: with
podSecurityContext.fsGroup null a group-only mode would hide the key from the Kafka user). */}}
{{- define "kafka-ha.tlsVolume" -}}
- name: tls
  secret:
    secretName: {{ include "kafka-ha.tlsSecret" . }}
    defaultMode: 0444
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
      - key: ca.crt
        path: ca.crt
{{- end -}}

{{/* The hook annotations of tls.source=generated's resources, given their weight: its account, role
and class (-10) exist before its Job (0) runs. */}}
{{- define "kafka-ha.tlsGeneratorHook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}
