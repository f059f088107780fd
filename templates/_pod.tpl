{{/*
The pod template, written once for every StatefulSet, from small helpers below (placement,
security, the rack init container, the kafka container, volumes); the helm test pod reuses the
placement and security ones. Called with (dict "context" $ "c" <component>) where <component> is an
entry of kafka-ha.components (_topology.tpl).
*/}}
{{- define "kafka-ha.podTemplate" -}}
{{- $ := .context -}}
{{- $c := .c -}}
{{- $v := $.Values -}}
{{- $rack := and $v.rackAwareness.enabled (ne $c.role "controller") -}}
metadata:
  labels:
    {{- include "kafka-ha.componentLabels" (dict "context" $ "component" $c.component) | nindent 4 }}
    {{- with $v.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") $ | sha256sum }}
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "kafka-ha.serviceAccount" $ }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ $v.broker.terminationGracePeriodSeconds }}
  {{- with $v.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with include "kafka-ha.imagePullSecrets" $ | trim }}{{ . | nindent 2 }}{{ end }}
  securityContext:
    {{- include "kafka-ha.podSecurityContext" $ | nindent 4 }}
    {{- with include "kafka-ha.podIds" $ | fromYaml }}
    {{- if hasKey . "fsGroup" }}
    fsGroup: {{ .fsGroup }}
    {{- end }}
    {{- end }}
    fsGroupChangePolicy: OnRootMismatch
  {{- with include "kafka-ha.nodePlacement" $ | trim }}{{ . | nindent 2 }}{{ end }}
  {{- with include "kafka-ha.spread" (dict "context" $ "c" $c) | trim }}{{ . | nindent 2 }}{{ end }}
  {{- if or $rack $v.metrics.enabled }}
  initContainers:
    {{- if $rack }}
    {{- include "kafka-ha.rackInitContainer" $ | trim | nindent 4 }}
    {{- end }}
    {{- if $v.metrics.enabled }}
    {{- include "kafka-ha.metricsAgentInitContainer" $ | trim | nindent 4 }}
    {{- end }}
  {{- end }}
  containers:
    {{- include "kafka-ha.kafkaContainer" (dict "context" $ "c" $c "rack" $rack) | trim | nindent 4 }}
  volumes:
    {{- include "kafka-ha.podVolumes" (dict "context" $ "rack" $rack) | trim | nindent 4 }}
{{- end -}}

{{/* imagePullSecrets of every pod of the release (empty when none). Called with $. */}}
{{- define "kafka-ha.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets -}}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{/* nodeSelector and tolerations of every pod of the release (a dedicated pool). Called with $. */}}
{{- define "kafka-ha.nodePlacement" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
affinity (the user's, plus pod anti-affinity between the component's pods when podAntiAffinity is
soft or hard) and the zone and hostname spread constraints. Called with (dict "context" $ "c" <component>).
*/}}
{{- define "kafka-ha.spread" -}}
{{- $ := .context -}}
{{- $v := $.Values -}}
{{- $sel := include "kafka-ha.componentSelectorLabels" (dict "context" $ "component" .c.component) | fromYaml -}}
{{- $affinity := deepCopy $v.affinity -}}
{{- if ne $v.podAntiAffinity "none" -}}
{{- $term := dict "labelSelector" (dict "matchLabels" $sel) "topologyKey" "kubernetes.io/hostname" -}}
{{- $paa := get $affinity "podAntiAffinity" | default dict -}}
{{- if eq $v.podAntiAffinity "hard" -}}
{{- $_ := set $paa "requiredDuringSchedulingIgnoredDuringExecution" (append (get $paa "requiredDuringSchedulingIgnoredDuringExecution" | default list) $term) -}}
{{- else -}}
{{- $_ := set $paa "preferredDuringSchedulingIgnoredDuringExecution" (append (get $paa "preferredDuringSchedulingIgnoredDuringExecution" | default list) (dict "weight" 100 "podAffinityTerm" $term)) -}}
{{- end -}}
{{- $_ := set $affinity "podAntiAffinity" $paa -}}
{{- end }}
{{- with $affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if or $v.topologySpread.zone.enabled $v.topologySpread.hostname.enabled }}
topologySpreadConstraints:
  {{- if $v.topologySpread.zone.enabled }}
  - topologyKey: {{ $v.topologySpread.zone.topologyKey }}
    maxSkew: {{ $v.topologySpread.zone.maxSkew }}
    whenUnsatisfiable: {{ $v.topologySpread.zone.whenUnsatisfiable }}
    {{- with $v.topologySpread.zone.minDomains }}
    minDomains: {{ . }}
    {{- end }}
    # Nodes whose taints the pods do not tolerate are no domain: they cannot take a pod anyway.
    nodeTaintsPolicy: Honor
    labelSelector:
      matchLabels:
        {{- toYaml $sel | nindent 8 }}
  {{- end }}
  {{- if $v.topologySpread.hostname.enabled }}
  - topologyKey: kubernetes.io/hostname
    maxSkew: {{ $v.topologySpread.hostname.maxSkew }}
    whenUnsatisfiable: {{ $v.topologySpread.hostname.whenUnsatisfiable }}
    nodeTaintsPolicy: Honor
    labelSelector:
      matchLabels:
        {{- toYaml $sel | nindent 8 }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* Reads the zone label of this pod's node (Kubernetes API, RBAC: get nodes) into run/rack. Called with $. */}}
{{- define "kafka-ha.rackInitContainer" -}}
{{- $ := . -}}
{{- $v := .Values -}}
- name: rack
  image: {{ include "kafka-ha.image" $ }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  command:
    - /bin/bash
    - -c
    - exec java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp /opt/kafka-ha/rack NodeZone "$NODE_NAME" "$RACK_LABEL" > /opt/kafka-ha/run/rack
  env:
    - name: NODE_NAME
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
    - name: RACK_LABEL
      value: {{ $v.rackAwareness.nodeLabel | quote }}
  resources:
    requests:
      cpu: 50m
      memory: 64Mi
    limits:
      memory: 192Mi
  securityContext:
    {{- include "kafka-ha.containerSecurityContext" $ | nindent 4 }}
  volumeMounts:
    - name: scripts
      mountPath: /opt/kafka-ha/rack
      subPath: rack
      readOnly: true
    - name: run
      mountPath: /opt/kafka-ha/run
    - name: tmp
      mountPath: /tmp
    - name: kube-api-access
      mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      readOnly: true
{{- end -}}

{{/* The kafka container: start.sh, then the broker and/or controller. Called with (dict "context" $ "c" <component> "rack" <bool>). */}}
{{- define "kafka-ha.kafkaContainer" -}}
{{- $ := .context -}}
{{- $c := .c -}}
{{- $v := $.Values -}}
- name: kafka
  image: {{ include "kafka-ha.image" $ }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  command: ["/bin/bash", "/opt/kafka-ha/scripts/start.sh"]
  env:
    {{- include "kafka-ha.kafkaEnv" . | trim | nindent 4 }}
  ports:
    {{- include "kafka-ha.kafkaPorts" . | trim | nindent 4 }}
  resources:
    requests:
      cpu: {{ include "kafka-ha.quantity" $c.values.resources.requests.cpu | quote }}
      memory: {{ include "kafka-ha.quantity" $c.values.resources.requests.memory | quote }}
    limits:
      {{- with include "kafka-ha.quantity" $c.values.resources.limits.cpu }}
      cpu: {{ . | quote }}
      {{- end }}
      memory: {{ include "kafka-ha.quantity" $c.values.resources.limits.memory | quote }}
  securityContext:
    {{- include "kafka-ha.containerSecurityContext" $ | nindent 4 }}
  {{- include "kafka-ha.kafkaProbes" . | trim | nindent 2 }}
  volumeMounts:
    - name: data
      mountPath: /var/lib/kafka/data
    - name: scripts
      mountPath: /opt/kafka-ha/scripts
      readOnly: true
    - name: config
      mountPath: /opt/kafka-ha/config
      readOnly: true
    - name: run
      mountPath: /opt/kafka-ha/run
    - name: tmp
      mountPath: /tmp
    - name: logs
      mountPath: /opt/kafka/logs
    {{- if include "kafka-ha.tlsListeners" $ }}
    - name: tls
      mountPath: {{ include "kafka-ha.tlsDir" $ }}
      readOnly: true
    {{- end }}
    {{- if include "kafka-ha.plainUsers" $ }}
    - name: users
      mountPath: {{ include "kafka-ha.usersDir" $ }}
      readOnly: true
    {{- end }}
    {{- if $v.metrics.enabled }}
    - name: metrics-agent
      mountPath: {{ include "kafka-ha.metricsAgentDir" $ }}
      readOnly: true
    {{- end }}
{{- end -}}

{{/* The kafka container's environment: what start.sh and ready.sh read (test/unit/env-contract.test.ts). */}}
{{- define "kafka-ha.kafkaEnv" -}}
{{- $ := .context -}}
{{- $c := .c -}}
{{- $v := $.Values -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: CLUSTER_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "kafka-ha.clusterIdSecret" $ }}
      key: clusterId
- name: KAFKA_HA_ROLE
  value: {{ $c.role }}
- name: KAFKA_HA_CONTROLLERS
  value: {{ $v.controller.replicas | quote }}
- name: KAFKA_HA_NODE_ID_OFFSET
  value: {{ $c.nodeIdOffset | quote }}
- name: KAFKA_HA_DOMAIN
  value: {{ include "kafka-ha.domain" $ }}
- name: KAFKA_HA_VOTERS
  value: {{ include "kafka-ha.voters" $ | quote }}
- name: KAFKA_HA_CONFIG_TEMPLATE
  value: /opt/kafka-ha/config/server.properties
- name: KAFKA_HA_RUN_DIR
  value: /opt/kafka-ha/run
- name: KAFKA_HA_DATA_DIR
  value: /var/lib/kafka/data/logs
{{- range $port := list "client" "controller" "internal" "external" "bootstrap" }}
- name: KAFKA_HA_{{ upper $port }}_PORT
  value: {{ include "kafka-ha.port" $port | quote }}
{{- end }}
{{- with include "kafka-ha.tlsListeners" $ }}
- name: KAFKA_HA_TLS_LISTENERS
  value: {{ . | quote }}
- name: KAFKA_HA_TLS_DIR
  value: {{ include "kafka-ha.tlsDir" $ }}
{{- end }}
{{- if include "kafka-ha.plainUsers" $ }}
# SASL/PLAIN: start.sh writes the client and external listeners' users from these files.
- name: KAFKA_HA_PLAIN_USERS_DIR
  value: {{ include "kafka-ha.usersDir" $ }}
{{- end }}
{{- if $v.authorization.enabled }}
# The authorizer is on: start.sh writes super.users (the certificate's CN and these).
- name: KAFKA_HA_AUTHORIZER
  value: "true"
- name: KAFKA_HA_SUPER_USERS
  value: {{ join ";" $v.authorization.superUsers | quote }}
{{- end }}
{{- if .rack }}
- name: KAFKA_HA_RACK_FILE
  value: /opt/kafka-ha/run/rack
{{- end }}
{{- if and $v.externalAccess.enabled (ne $c.role "controller") }}
- name: KAFKA_HA_EXTERNAL_HOST
  value: {{ $v.externalAccess.advertisedHost | quote }}
- name: KAFKA_HA_EXTERNAL_PORT_BASE
  value: {{ $v.externalAccess.nodePortBase | quote }}
{{- end }}
- name: KAFKA_HA_ISR_CHECK
  value: {{ $v.probes.readiness.isrCheck | quote }}
- name: KAFKA_HA_READY_CACHE_SECONDS
  value: {{ $v.probes.readiness.cacheSeconds | quote }}
{{- if $v.probes.readiness.isrCheck }}
# The in-JVM readiness check (metric.reporters in server.properties) is loaded from here.
- name: CLASSPATH
  value: /opt/kafka-ha/scripts/readiness
{{- end }}
{{- if $v.metrics.enabled }}
# start.sh adds it to the Kafka JVM only (not to the tools it runs, which would take the port).
- name: KAFKA_HA_METRICS_AGENT
  value: "-javaagent:{{ include "kafka-ha.metricsAgentDir" $ }}/jmx_prometheus_javaagent.jar={{ include "kafka-ha.port" "metrics" }}:/opt/kafka-ha/config/jmx-exporter.yaml"
{{- end }}
# Heap from the memory limit (the JVM reads the cgroup limit).
- name: KAFKA_HEAP_OPTS
  value: "-XX:MaxRAMPercentage={{ $c.values.heapPercent }} -XX:InitialRAMPercentage={{ $c.values.heapPercent }}"
- name: LOG_DIR
  value: /opt/kafka/logs
# Server logging: console only (start.sh sets KAFKA_LOG4J_OPTS just before exec, so the tools
# it runs keep their quiet tools-log4j2.yaml); no GC log file (official kafka-server-start.sh).
- name: KAFKA_HA_LOG4J_CONFIG
  value: /opt/kafka-ha/config/log4j2.yaml
- name: EXTRA_ARGS
  value: "-name kafkaServer"
{{- end -}}

{{- define "kafka-ha.kafkaPorts" -}}
{{- $ := .context -}}
{{- $c := .c -}}
{{- $v := $.Values -}}
{{- $names := list -}}
{{- if ne $c.role "controller" }}{{ $names = concat $names (list "client" "internal") }}{{ end -}}
{{- if ne $c.role "broker" }}{{ $names = concat $names (list "controller" "bootstrap") }}{{ end -}}
{{- if and $v.externalAccess.enabled (ne $c.role "controller") }}{{ $names = append $names "external" }}{{ end -}}
{{- if $v.metrics.enabled }}{{ $names = append $names "metrics" }}{{ end -}}
{{- range $names }}
- name: {{ . }}
  containerPort: {{ include "kafka-ha.port" . }}
{{- end }}
{{- end -}}

{{- define "kafka-ha.kafkaProbes" -}}
{{- $ := .context -}}
{{- $c := .c -}}
{{- $v := $.Values -}}
{{- $clientPort := ternary "controller" "client" (eq $c.role "controller") -}}
{{- $alivePort := include "kafka-ha.port" $clientPort -}}
# Alive: the {{ $clientPort }} port answers, or start.sh is still preparing an empty disk (it may wait
# for its quorum peers as long as needed; it touches run/preparing at every poll, so a stuck one
# is restarted after 5 minutes). No JVM; a restart of a waiting start.sh resumes harmlessly.
startupProbe:
  exec:
    command: {{ include "kafka-ha.aliveCommand" $alivePort }}
  periodSeconds: {{ $v.probes.startup.periodSeconds }}
  failureThreshold: {{ $v.probes.startup.failureThreshold }}
livenessProbe:
  exec:
    command: {{ include "kafka-ha.aliveCommand" $alivePort }}
  periodSeconds: {{ $v.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ $v.probes.liveness.failureThreshold }}
readinessProbe:
  exec:
    command: ["/bin/bash", "/opt/kafka-ha/scripts/ready.sh"]
  periodSeconds: {{ $v.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ $v.probes.readiness.failureThreshold }}
{{- end -}}

{{/* Called with (dict "context" $ "rack" <bool>). */}}
{{- define "kafka-ha.podVolumes" -}}
{{- $ := .context -}}
{{- $rack := .rack -}}
- name: scripts
  configMap:
    name: {{ include "kafka-ha.scriptsConfigMap" $ }}
    defaultMode: 0555
    items:
      - key: start.sh
        path: start.sh
      - key: ready.sh
        path: ready.sh
      - key: NodeZone.class
        path: rack/NodeZone.class
      - key: BootstrapState.class
        path: quorum/BootstrapState.class
      - key: KafkaHaReadinessReporter.class
        path: readiness/KafkaHaReadinessReporter.class
- name: config
  configMap:
    name: {{ include "kafka-ha.configMap" $ }}
- name: run
  emptyDir:
    medium: Memory
    sizeLimit: 16Mi
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
- name: logs
  emptyDir:
    sizeLimit: 256Mi
{{- if include "kafka-ha.tlsListeners" $ }}
{{ include "kafka-ha.tlsVolume" $ }}
{{- end }}
{{- if include "kafka-ha.plainUsers" $ }}
{{ include "kafka-ha.usersVolume" $ }}
{{- end }}
{{- if $.Values.metrics.enabled }}
- name: metrics-agent
  emptyDir:
    sizeLimit: 16Mi
{{- end }}
{{- if $rack }}
- name: kube-api-access
  projected:
    defaultMode: 0444
    sources:
      - serviceAccountToken:
          path: token
          expirationSeconds: 3600
      - configMap:
          name: kube-root-ca.crt
          items:
            - key: ca.crt
              path: ca.crt
{{- end }}
{{- end -}}

{{/* Copies the JMX exporter agent jar out of metrics.image for the kafka container. Called with $. */}}
{{- define "kafka-ha.metricsAgentInitContainer" -}}
{{- $m := .Values.metrics -}}
- name: metrics-agent
  image: {{ include "kafka-ha.metricsImage" . }}
  imagePullPolicy: {{ $m.image.pullPolicy }}
  # -f: the emptyDir outlives a restart of the pod's sandbox (a node reboot), and the read-only copy
  # of the previous run is still there.
  command: ["cp", "-f", {{ $m.image.jarPath | quote }}, "{{ include "kafka-ha.metricsAgentDir" . }}/jmx_prometheus_javaagent.jar"]
  resources:
    requests:
      cpu: 10m
      memory: 16Mi
    limits:
      memory: 32Mi
  securityContext:
    {{- include "kafka-ha.containerSecurityContext" . | nindent 4 }}
  volumeMounts:
    - name: metrics-agent
      mountPath: {{ include "kafka-ha.metricsAgentDir" . }}
{{- end -}}

{{- define "kafka-ha.aliveCommand" -}}
["/bin/bash", "-c", "f=/opt/kafka-ha/run/preparing; if [ -e $f ]; then [ $(( $(date +%s) - $(stat -c %Y $f) )) -lt 300 ]; else exec 3<>/dev/tcp/127.0.0.1/{{ . }}; fi"]
{{- end -}}

{{/*
runAsNonRoot, the uid/gid of podSecurityContext (each omitted when null, so a platform such as
OpenShift's restricted SCC assigns it) and seccomp; shared by pods and containers. Called with $.
*/}}
{{- define "kafka-ha.podSecurityContext" -}}
{{- $ids := include "kafka-ha.podIds" . | fromYaml -}}
runAsNonRoot: true
{{- if hasKey $ids "runAsUser" }}
runAsUser: {{ $ids.runAsUser }}
{{- end }}
{{- if hasKey $ids "runAsGroup" }}
runAsGroup: {{ $ids.runAsGroup }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
podSecurityContext without its null entries (Helm drops a key set to null). A release upgraded with
--reuse-values from a chart version before podSecurityContext existed has no such map at all (Helm
then ignores the new chart's defaults): it keeps the ids those versions fixed, 1000, instead of
losing them (the image's non-numeric USER would then fail runAsNonRoot).
*/}}
{{- define "kafka-ha.podIds" -}}
{{- if hasKey .Values "podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- else -}}
{{- toYaml (dict "runAsUser" 1000 "runAsGroup" 1000 "fsGroup" 1000) -}}
{{- end -}}
{{- end -}}

{{/* Called with $. */}}
{{- define "kafka-ha.containerSecurityContext" -}}
{{ include "kafka-ha.podSecurityContext" . }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end -}}
