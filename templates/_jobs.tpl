{{/*
Hook Jobs that run one compiled class of the chart (rebalance-job.yaml, features-job.yaml,
controller-removal-job.yaml) with the Kafka image's own libraries (/opt/kafka/libs), connecting to
the brokers' internal listener as the release (its certificate when that listener speaks TLS).
Called with (dict "context" $ "name" <Job name> "component" <label> "hook" <hook list> "configMap"
<name of the ConfigMap holding the class> "class" <class name> "args" <list> "env" <list of
name/value dicts>), and optionally "serviceAccount" <name>: the Job then runs as that account with
its token mounted (it calls the Kubernetes API); without it no token is mounted.
Each Job stays a day after it ends (ttlSecondsAfterFinished), so `kubectl logs job/<name>` shows
what it did or why it failed, and is replaced by the next run; exit code 2 means refused: no retry.
*/}}
{{- define "kafka-ha.classJob" -}}
{{- $ := .context -}}
{{- $v := $.Values -}}
{{- $tls := has "INTERNAL" (include "kafka-ha.tlsListeners" $ | splitList " ") -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .name }}
  labels:
    {{- include "kafka-ha.auxiliaryLabels" (dict "context" $ "component" .component) | nindent 4 }}
  annotations:
    helm.sh/hook: {{ .hook }}
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  ttlSecondsAfterFinished: 86400
  # Every step of these classes is idempotent, so errors are retried; a refusal (exit 2) is final.
  backoffLimit: 2
  podFailurePolicy:
    rules:
      - action: FailJob
        onExitCodes:
          containerName: {{ .component }}
          operator: In
          values: [2]
  template:
    metadata:
      labels:
        {{- include "kafka-ha.auxiliaryLabels" (dict "context" $ "component" .component) | nindent 8 }}
    spec:
      restartPolicy: Never
      {{- with .serviceAccount }}
      serviceAccountName: {{ . }}
      automountServiceAccountToken: true
      {{- else }}
      automountServiceAccountToken: false
      {{- end }}
      enableServiceLinks: false
      securityContext:
        {{- include "kafka-ha.podSecurityContext" $ | nindent 8 }}
      {{- with include "kafka-ha.nodePlacement" $ | trim }}{{ . | nindent 6 }}{{ end }}
      {{- with include "kafka-ha.imagePullSecrets" $ | trim }}{{ . | nindent 6 }}{{ end }}
      containers:
        - name: {{ .component }}
          image: {{ include "kafka-ha.image" $ }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          command: {{ concat (list "java" "-Xmx192m" "-XX:+UseSerialGC" "-XX:TieredStopAtLevel=1" "-Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.yaml" "-cp" "/opt/kafka/libs/*:/opt/kafka-ha/class" .class) .args | toJson }}
          env:
            - name: KAFKA_HA_BOOTSTRAP
              value: {{ include "kafka-ha.internalBootstrap" $ | quote }}
            {{- if $tls }}
            - name: KAFKA_HA_TLS_DIR
              value: {{ include "kafka-ha.tlsDir" $ }}
            {{- end }}
            {{- range .env }}
            - name: {{ .name }}
              value: {{ .value | quote }}
            {{- end }}
          resources:
            requests:
              cpu: 100m
              memory: 256Mi
            limits:
              memory: 384Mi
          securityContext:
            {{- include "kafka-ha.containerSecurityContext" $ | nindent 12 }}
          volumeMounts:
            - name: class
              mountPath: /opt/kafka-ha/class
              readOnly: true
            {{- if $tls }}
            - name: tls
              mountPath: {{ include "kafka-ha.tlsDir" $ }}
              readOnly: true
            {{- end }}
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: class
          configMap:
            name: {{ .configMap }}
        {{- if $tls }}
        {{- include "kafka-ha.tlsVolume" $ | nindent 8 }}
        {{- end }}
        - name: tmp
          emptyDir:
            medium: Memory
            sizeLimit: 16Mi
{{- end -}}

{{/*
The hook ConfigMap holding a class of the chart: (dict "context" $ "name" <name> "hook" <hook list>
"file" <path under files/>). It holds JobClient.class too (files/jobs, from scripts/chart/jobs/JobClient.java:
the environment, log lines and Admin client settings every Job class uses), so both land in
/opt/kafka-ha/class, kafka-ha.classJob's classpath.
*/}}
{{- define "kafka-ha.classConfigMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .name }}
  labels:
    {{- include "kafka-ha.labels" .context | nindent 4 }}
  annotations:
    # Created before the Jobs that mount it (weight -10).
    helm.sh/hook: {{ .hook }}
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
binaryData:
  {{ base .file }}: {{ .context.Files.Get .file | b64enc }}
  JobClient.class: {{ .context.Files.Get "files/jobs/JobClient.class" | b64enc }}
{{- end -}}
