{{/*
Checks of single values that JSON Schema cannot express, and the quantity helpers the templates
render with. A check prints zero or more problem lines, each "kafka-ha: <value path> ...; allowed:
..."; kafka-ha.validate collects them into its one `fail`. The kafka-ha.check<Area> checks take the
root context; the others are their building blocks. Keys of free-form maps are quoted in paths
(podLabels."a b") and checked here: Helm's schema validator names a wrong path for them
(santhosh-tekuri/jsonschema#258).
*/}}

{{/* A Kubernetes quantity (string or YAML number) as written: numbers in plain decimal, never 2.147483648e+09. */}}
{{- define "kafka-ha.quantity" -}}
{{- if kindIs "string" . }}{{ . }}{{ else }}{{ toJson . }}{{ end -}}
{{- end -}}

{{/*
The size of a schema-valid quantity in base units (cores, bytes) as a number string:
float64 (include "kafka-ha.quantityValue" "2Gi") is 2147483648, "500m" gives 0.5, "1e3" 1000.
*/}}
{{- define "kafka-ha.quantityValue" -}}
{{- $q := include "kafka-ha.quantity" . -}}
{{- $suffix := regexFind "(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)$" $q -}}
{{- $scale := get (dict "" 1.0 "m" 0.001 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0) $suffix -}}
{{- mulf (float64 (trimSuffix $suffix $q)) $scale | toJson -}}
{{- end -}}

{{/*
(list path value): a YAML number Helm cannot carry exactly. Helm 3 and 4 read every number of a
values file as a float64, which holds integers exactly only up to 2^53.
*/}}
{{- define "kafka-ha.checkNumber" -}}
{{- $n := index . 1 -}}
{{- if and (kindIs "float64" $n) (or (ge $n 9007199254740992.0) (le $n -9007199254740992.0)) }}
kafka-ha: {{ index . 0 }}: the number {{ $n }} cannot pass through Helm exactly (it reads YAML numbers as float64, exact only up to 2^53 = 9007199254740992); allowed: a smaller number, or quote it as a string ("...")
{{- end -}}
{{- end -}}

{{/* (list path key): a label or annotation key (Kubernetes qualified name). */}}
{{- define "kafka-ha.checkLabelKey" -}}
{{- $key := index . 1 -}}
{{- $parts := regexSplit "/" $key 2 -}}
{{- $name := last $parts -}}
{{- $prefixOk := or (eq (len $parts) 1) (and (le (len (first $parts)) 253) (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" (first $parts))) -}}
{{- if not (and $prefixOk (regexMatch "^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$" $name)) }}
kafka-ha: {{ index . 0 }} is not a valid key; allowed: an optional DNS-subdomain prefix and '/' (e.g. example.com/), then a name of 1-63 letters, digits, '-', '_' or '.' that starts and ends with a letter or digit
{{- end -}}
{{- end -}}

{{/* (list path value): a label value. */}}
{{- define "kafka-ha.checkLabelValue" -}}
{{- if not (regexMatch "^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$" (index . 1)) }}
kafka-ha: {{ index . 0 }}: {{ index . 1 | quote }} is not a valid label value; allowed: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, or empty
{{- end -}}
{{- end -}}

{{/* (list path map reserved): keys and values of a map of labels; reserved keys are the chart's own. */}}
{{- define "kafka-ha.checkLabels" -}}
{{- $path := index . 0 -}}
{{- $reserved := index . 2 -}}
{{- range $k, $val := index . 1 -}}
{{- $at := printf "%s.%q" $path $k -}}
{{- include "kafka-ha.checkLabelKey" (list $at $k) -}}
{{- include "kafka-ha.checkLabelValue" (list $at $val) -}}
{{- if has $k $reserved }}
kafka-ha: {{ $at }} is set by the chart (it selects the pods or is set by the StatefulSet controller); allowed: any other key
{{- end -}}
{{- end -}}
{{- end -}}

{{/* (dict "path" "broker" "values" <resources and storage of one component>): quantities Kubernetes or the JVM would refuse. */}}
{{- define "kafka-ha.checkResources" -}}
{{- $p := .path -}}
{{- $r := .values.resources -}}
{{- range $name, $val := dict "resources.requests.cpu" $r.requests.cpu "resources.requests.memory" $r.requests.memory "resources.limits.cpu" $r.limits.cpu "resources.limits.memory" $r.limits.memory "storage.size" $.values.storage.size -}}
{{- include "kafka-ha.checkNumber" (list (printf "%s.%s" $p $name) $val) -}}
{{- end -}}
{{- $reqCpu := include "kafka-ha.quantity" $r.requests.cpu -}}
{{- $limCpu := include "kafka-ha.quantity" $r.limits.cpu -}}
{{- $reqMem := include "kafka-ha.quantity" $r.requests.memory -}}
{{- $limMem := include "kafka-ha.quantity" $r.limits.memory -}}
{{- $size := include "kafka-ha.quantity" .values.storage.size -}}
{{- $value := dict -}}
{{- range $q := list $reqCpu $limCpu $reqMem $limMem $size -}}
{{- $_ := set $value $q (float64 (include "kafka-ha.quantityValue" $q)) -}}
{{- end -}}
{{- if lt (get $value $reqCpu) 0.001 }}
kafka-ha: {{ $p }}.resources.requests.cpu ({{ $reqCpu }}) is below one millicore; allowed: at least 1m (e.g. 500m, 2)
{{- end -}}
{{- if and (ne $limCpu "") (gt (get $value $reqCpu) (get $value $limCpu)) }}
kafka-ha: {{ $p }}.resources.requests.cpu ({{ $reqCpu }}) exceeds {{ $p }}.resources.limits.cpu ({{ $limCpu }}), which Kubernetes refuses; allowed: a request up to the limit, or limits.cpu "" for no limit
{{- end -}}
{{- if lt (get $value $reqMem) 67108864.0 }}
kafka-ha: {{ $p }}.resources.requests.memory ({{ $reqMem }}) is less than 64Mi, too little for a JVM (a unit mistake? 4096m is 4 bytes); allowed: at least 64Mi, e.g. 2Gi
{{- end -}}
{{- if lt (get $value $limMem) 536870912.0 }}
kafka-ha: {{ $p }}.resources.limits.memory ({{ $limMem }}) is less than 512Mi, too little for the Kafka JVM (heap = heapPercent of it) and the readiness check's admin JVM that share it; allowed: at least 512Mi, e.g. 2Gi
{{- end -}}
{{- if gt (get $value $reqMem) (get $value $limMem) }}
kafka-ha: {{ $p }}.resources.requests.memory ({{ $reqMem }}) exceeds {{ $p }}.resources.limits.memory ({{ $limMem }}), which Kubernetes refuses; allowed: a request up to the limit
{{- end -}}
{{- if lt (get $value $size) 104857600.0 }}
kafka-ha: {{ $p }}.storage.size ({{ $size }}) is less than 100Mi (a unit mistake? 10 is 10 bytes, 10G is 10e9 bytes); allowed: at least 100Mi, e.g. 10Gi
{{- end -}}
{{- end -}}

{{/*
(list path requirement): a node selector or label selector requirement of values.affinity, with the
operator/values rules of the Kubernetes API (In/NotIn need values, Exists/DoesNotExist take none,
Gt/Lt take one integer).
*/}}
{{- define "kafka-ha.checkRequirement" -}}
{{- $at := index . 0 -}}
{{- $op := (index . 1).operator -}}
{{- $values := (index . 1).values | default list -}}
{{- if and (has $op (list "In" "NotIn")) (not $values) }}
kafka-ha: {{ $at }}.values is empty, but operator {{ $op }} needs values; allowed: one or more values, or operator Exists/DoesNotExist
{{- else if and (has $op (list "Exists" "DoesNotExist")) $values }}
kafka-ha: {{ $at }}.values must be empty with operator {{ $op }}; allowed: no values, or operator In/NotIn
{{- else if and (has $op (list "Gt" "Lt")) (or (ne (len $values) 1) (not (regexMatch "^-?[0-9]+$" (toString (first $values))))) }}
kafka-ha: {{ $at }}.values must be exactly one integer with operator {{ $op }}; allowed: one value such as "4"
{{- end -}}
{{- end -}}

{{/* (list path nodeSelectorTerm) */}}
{{- define "kafka-ha.checkNodeSelectorTerm" -}}
{{- $at := index . 0 -}}
{{- range $i, $r := (index . 1).matchExpressions -}}
{{- include "kafka-ha.checkRequirement" (list (printf "%s.matchExpressions[%d]" $at $i) $r) -}}
{{- end -}}
{{- range $i, $r := (index . 1).matchFields -}}
{{- if or (ne $r.key "metadata.name") (not (has $r.operator (list "In" "NotIn"))) (ne (len ($r.values | default list)) 1) }}
kafka-ha: {{ $at }}.matchFields[{{ $i }}] is not supported by Kubernetes; allowed: key metadata.name, operator In or NotIn, exactly one value (a node name)
{{- end -}}
{{- end -}}
{{- end -}}

{{/* (list path podAffinity-or-podAntiAffinity) */}}
{{- define "kafka-ha.checkPodAffinity" -}}
{{- $at := index . 0 -}}
{{- $terms := list -}}
{{- range $i, $t := (index . 1).requiredDuringSchedulingIgnoredDuringExecution -}}
{{- $terms = append $terms (list (printf "%s.requiredDuringSchedulingIgnoredDuringExecution[%d]" $at $i) $t) -}}
{{- end -}}
{{- range $i, $w := (index . 1).preferredDuringSchedulingIgnoredDuringExecution -}}
{{- $terms = append $terms (list (printf "%s.preferredDuringSchedulingIgnoredDuringExecution[%d].podAffinityTerm" $at $i) $w.podAffinityTerm) -}}
{{- end -}}
{{- range $term := $terms -}}
{{- range $sel := list "labelSelector" "namespaceSelector" -}}
{{- $s := get (index $term 1) $sel | default dict -}}
{{- $path := printf "%s.%s" (index $term 0) $sel -}}
{{- include "kafka-ha.checkLabels" (list (printf "%s.matchLabels" $path) ($s.matchLabels | default dict) list) -}}
{{- range $i, $r := $s.matchExpressions -}}
{{- include "kafka-ha.checkRequirement" (list (printf "%s.matchExpressions[%d]" $path $i) $r) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Every requirement of values.affinity. */}}
{{- define "kafka-ha.checkAffinity" -}}
{{- $a := .Values.affinity -}}
{{- $na := $a.nodeAffinity | default dict -}}
{{- $required := $na.requiredDuringSchedulingIgnoredDuringExecution | default dict -}}
{{- range $i, $t := $required.nodeSelectorTerms -}}
{{- include "kafka-ha.checkNodeSelectorTerm" (list (printf "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[%d]" $i) $t) -}}
{{- end -}}
{{- range $i, $w := $na.preferredDuringSchedulingIgnoredDuringExecution -}}
{{- include "kafka-ha.checkNodeSelectorTerm" (list (printf "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[%d].preference" $i) $w.preference) -}}
{{- end -}}
{{- range $kind := list "podAffinity" "podAntiAffinity" -}}
{{- include "kafka-ha.checkPodAffinity" (list (printf "affinity.%s" $kind) (get $a $kind | default dict)) -}}
{{- end -}}
{{- end -}}

{{/*
values.config: keys Kafka knows the shape of and the chart does not write itself; values that fit
on one server.properties line (Kafka reads it as ISO-8859-1) and numbers Helm carries exactly.
*/}}
{{- define "kafka-ha.checkConfig" -}}
{{- $managed := include "kafka-ha.managedKeys" . | fromYaml -}}
{{- range $k, $val := .Values.config -}}
{{- $at := printf "config.%q" $k -}}
{{- /* listener.name.<listener>.<key> overrides <key> on one listener: managed keys stay managed there too. */ -}}
{{- $key := regexReplaceAll "^listener\\.name\\.[a-z0-9_-]+\\." $k "" -}}
{{- if not (regexMatch "^[a-z0-9][a-z0-9._-]*$" $k) }}
kafka-ha: {{ $at }} is not a server.properties key; allowed: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit
{{- else if get $managed $key }}
kafka-ha: {{ $at }} is managed by the chart; set {{ get $managed $key }} instead
{{- else if hasKey $managed $key }}
kafka-ha: {{ $at }} is managed by the chart (listeners, node ids, quorum and log directories are written per pod) and cannot be overridden
{{- end -}}
{{- if and (kindIs "string" $val) (regexMatch "[\r\n]" $val) }}
kafka-ha: {{ $at }} spans several lines, which server.properties cannot hold; allowed: one line (certificates and keys: the tls values)
{{- end -}}
{{- if and (kindIs "string" $val) (regexMatch "[^\x00-\x7f]" $val) }}
kafka-ha: {{ $at }} holds non-ASCII characters, which Kafka misreads (it reads server.properties as ISO-8859-1); allowed: ASCII text
{{- end -}}
{{- include "kafka-ha.checkNumber" (list $at $val) -}}
{{- end -}}
{{- end -}}

{{/* Every Service is named <fullname>[-suffix], and a Service name must be a DNS-1035 label. */}}
{{- define "kafka-ha.checkNames" -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $full) }}
kafka-ha: the resource name prefix {{ $full | quote }} (from the release name {{ .Release.Name | quote }}) is not a valid Service name; allowed: a DNS-1035 label (lower-case letters, digits and '-', starting with a letter): rename the release or set fullnameOverride, e.g. fullnameOverride=kafka-ha
{{- end -}}
{{- end -}}

{{/* Resources and pod DNS names of the StatefulSets this release renders (unused values are not checked). */}}
{{- define "kafka-ha.checkComponents" -}}
{{- $domain := include "kafka-ha.domain" . -}}
{{- $clusterDomain := .Values.clusterDomain -}}
{{- range $c := include "kafka-ha.components" . | fromYamlArray -}}
{{- include "kafka-ha.checkResources" (dict "path" (ternary "controller" "broker" (eq $c.role "controller")) "values" $c.values) -}}
{{- $pod := printf "%s-%d" $c.name (sub (int $c.replicas) 1) -}}
{{- $fqdn := printf "%s.%s" $pod $domain -}}
{{- if gt (len $fqdn) 253 }}
kafka-ha: clusterDomain ({{ len $clusterDomain }} characters) makes the advertised name of pod {{ $pod }} (<pod>.<headless service>.<namespace>.svc.<clusterDomain>) {{ len $fqdn }} characters long, more than a DNS name may have (253); allowed: a clusterDomain of at most {{ sub 253 (sub (len $fqdn) (len $clusterDomain)) }} characters in namespace {{ $.Release.Namespace }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Kubernetes refuses two spread constraints with the same topologyKey and whenUnsatisfiable. */}}
{{- define "kafka-ha.checkTopologySpread" -}}
{{- $zone := .Values.topologySpread.zone -}}
{{- $host := .Values.topologySpread.hostname -}}
{{- if and $zone.enabled $host.enabled (eq $zone.topologyKey "kubernetes.io/hostname") (eq $zone.whenUnsatisfiable $host.whenUnsatisfiable) }}
kafka-ha: topologySpread.zone.topologyKey (kubernetes.io/hostname) with whenUnsatisfiable {{ $zone.whenUnsatisfiable }} repeats the hostname constraint, which Kubernetes refuses (topologyKey and whenUnsatisfiable must be unique); allowed: a zone label, or topologySpread.hostname.enabled=false
{{- end -}}
{{- if and $zone.enabled (not (kindIs "invalid" $zone.minDomains)) (ne $zone.whenUnsatisfiable "DoNotSchedule") }}
kafka-ha: topologySpread.zone.minDomains ({{ $zone.minDomains }}) is only allowed with topologySpread.zone.whenUnsatisfiable=DoNotSchedule (Kubernetes refuses it with {{ $zone.whenUnsatisfiable }}); set topologySpread.zone.minDomains=null, or whenUnsatisfiable=DoNotSchedule
{{- end -}}
{{- end -}}

{{/* podLabels, nodeSelector, podAnnotations: keys and values Kubernetes accepts, and not the chart's own. */}}
{{- define "kafka-ha.checkPodMetadata" -}}
{{- $chartLabels := include "kafka-ha.componentLabels" (dict "context" . "component" "kafka") | fromYaml | keys -}}
{{- include "kafka-ha.checkLabels" (list "podLabels" .Values.podLabels (concat $chartLabels (list "controller-revision-hash" "statefulset.kubernetes.io/pod-name" "apps.kubernetes.io/pod-index"))) -}}
{{- include "kafka-ha.checkLabels" (list "nodeSelector" .Values.nodeSelector list) -}}
{{- $bytes := 0 -}}
{{- range $k, $val := .Values.podAnnotations -}}
{{- $at := printf "podAnnotations.%q" $k -}}
{{- include "kafka-ha.checkLabelKey" (list $at (lower $k)) -}}
{{- if eq $k "checksum/config" }}
kafka-ha: {{ $at }} is set by the chart (a configuration change rolls the pods through it); allowed: any other key
{{- end -}}
{{- $bytes = add $bytes (len $k) (len $val) -}}
{{- end -}}
{{- if gt $bytes 250000 }}
kafka-ha: podAnnotations hold {{ $bytes }} bytes; allowed: at most 250000 (Kubernetes limits all annotations of an object to 256 KiB)
{{- end -}}
{{- end -}}

{{/* The operator/value/effect combinations the Kubernetes API refuses. */}}
{{- define "kafka-ha.checkTolerations" -}}
{{- range $i, $t := .Values.tolerations -}}
{{- $op := default "Equal" $t.operator -}}
{{- $effect := default "" $t.effect -}}
{{- if and (not $t.key) (ne $op "Exists") }}
kafka-ha: tolerations[{{ $i }}] has no key, which matches every taint and needs operator Exists; allowed: a key, or operator: Exists
{{- end -}}
{{- if and (eq $op "Exists") $t.value }}
kafka-ha: tolerations[{{ $i }}].value ({{ $t.value | quote }}) must be empty with operator Exists (it matches every value); allowed: no value, or operator: Equal
{{- end -}}
{{- if and (hasKey $t "tolerationSeconds") (ne $effect "NoExecute") }}
kafka-ha: tolerations[{{ $i }}].tolerationSeconds is only allowed with effect NoExecute (effect is {{ $effect | quote }}); allowed: effect: NoExecute, or no tolerationSeconds
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Probes that can never succeed. readinessCheckSeconds is the longest files/scripts/ready.sh can take
with the ISR check: its timeouts (3 s port check + 40 s admin call) plus 2 s for bash and awk;
test/unit/values-config.test.ts reads ready.sh's timeouts and fails when they no longer fit.
*/}}
{{- define "kafka-ha.readinessCheckSeconds" -}}45{{- end -}}
{{- define "kafka-ha.checkProbes" -}}
{{- $ready := .Values.probes.readiness -}}
{{- $longest := int (include "kafka-ha.readinessCheckSeconds" .) -}}
{{- if and $ready.isrCheck (lt (int $ready.timeoutSeconds) $longest) }}
kafka-ha: probes.readiness.timeoutSeconds ({{ $ready.timeoutSeconds }}) is shorter than the readiness check may take ({{ $longest }} s: ready.sh checks the port, then starts an admin JVM bounded at 40 s), so the kubelet would cut slow checks short and mark the broker unready; allowed: {{ $longest }}..300, or probes.readiness.isrCheck=false
{{- end -}}
{{- end -}}

{{/* Metrics: the agent's image must be named (no public image carries the jar), and the rest needs the agent. */}}
{{- define "kafka-ha.checkMetrics" -}}
{{- $m := .Values.metrics -}}
{{- if and $m.enabled (not $m.image.repository) }}
kafka-ha: metrics.image.repository is empty, but metrics.enabled needs the init-container image that carries the JMX exporter agent jar (the official Kafka image has none); build it with scripts/images/jmx-exporter/build.sh and push it to your registry, or mirror any image with the jar at metrics.image.jarPath ({{ $m.image.jarPath }}) and a `cp` (README "Metrics and alerts"); allowed: an image repository
{{- end -}}
{{- range $part := list "serviceMonitor" "prometheusRule" "dashboard" }}
{{- if and (get $m $part).enabled (not $m.enabled) }}
kafka-ha: metrics.{{ $part }}.enabled needs metrics.enabled=true (without the agent there is nothing to scrape); allowed: metrics.enabled=true, or metrics.{{ $part }}.enabled=false
{{- end -}}
{{- end -}}
{{- end -}}

{{/* TLS: a certificate source that is complete, and settings that have a TLS listener to act on. */}}
{{- define "kafka-ha.checkTls" -}}
{{- $t := .Values.tls -}}
{{- $on := include "kafka-ha.tlsListeners" . | splitList " " | compact -}}
{{- if $t.enabled -}}
{{- if not $on }}
kafka-ha: tls.listeners: every listener is false, so tls.enabled=true would encrypt nothing; allowed: true for at least one of client, internal, controller, external
{{- end -}}
{{- if and (eq $t.source "secret") (not $t.secret.name) }}
kafka-ha: tls.secret.name is empty, but tls.enabled=true with tls.source=secret needs the name of a Secret holding tls.crt, tls.key (PKCS#8) and ca.crt; allowed: a Secret name, or tls.source=certManager with tls.certManager.issuerRef.name (README "Security")
{{- end -}}
{{- if and (eq $t.source "certManager") (not $t.certManager.issuerRef.name) }}
kafka-ha: tls.certManager.issuerRef.name is empty, but tls.source=certManager needs the cert-manager Issuer or ClusterIssuer that signs the certificate; allowed: an issuer name (kind in tls.certManager.issuerRef.kind)
{{- end -}}
{{- end -}}
{{- if and $t.enabled (eq $t.source "generated") (ne $t.clientAuth "none") }}
kafka-ha: tls.clientAuth={{ $t.clientAuth }} asks clients for certificates signed by the release's CA, but tls.source=generated discards the CA's key, so no client certificate can ever be signed; allowed: tls.clientAuth=none, or tls.source=secret or certManager with a CA you control
{{- end -}}
{{- if and (ne $t.clientAuth "none") (not (or (has "CLIENT" $on) (has "EXTERNAL" $on))) }}
kafka-ha: tls.clientAuth={{ $t.clientAuth }} asks for client certificates, but neither the client nor the external listener serves TLS (tls.enabled={{ $t.enabled }}); allowed: none, or tls.enabled=true with tls.listeners.client or tls.listeners.external true
{{- end -}}
{{- end -}}

{{/* SASL and the authorizer: what they stand on (the release's certificate) and what they need. */}}
{{- define "kafka-ha.checkAuth" -}}
{{- $v := .Values -}}
{{- $tls := include "kafka-ha.tlsListeners" . | splitList " " -}}
{{- range $what := list "sasl" "authorization" -}}
{{- if and (get (get $v $what) "enabled") (not (and (has "INTERNAL" $tls) (has "CONTROLLER" $tls))) }}
kafka-ha: {{ $what }}.enabled=true needs TLS on the internal and controller listeners (tls.enabled=true with tls.listeners.internal and tls.listeners.controller true): the release's own principal, which the readiness check and the security Job use, is its certificate there
{{- end -}}
{{- end -}}
{{- if and $v.sasl.enabled (eq $v.sasl.mechanism "PLAIN") -}}
{{- range $l := list "client" "external" -}}
{{- if and (or (eq $l "client") $v.externalAccess.enabled) (not (has (upper $l) $tls)) }}
kafka-ha: sasl.mechanism=PLAIN sends each password as it is, but the {{ $l }} listener does not serve TLS; allowed: tls.enabled=true with tls.listeners.{{ $l }}=true, or sasl.mechanism SCRAM-SHA-512 / SCRAM-SHA-256
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and $v.sasl.users (not $v.sasl.enabled) }}
kafka-ha: sasl.users lists {{ len $v.sasl.users }} user(s) but sasl.enabled=false, so nothing would use them; allowed: sasl.enabled=true, or no users
{{- end -}}
{{- $names := list -}}
{{- range $i, $u := $v.sasl.users -}}
{{- if has $u.name $names }}
kafka-ha: sasl.users[{{ $i }}].name {{ $u.name | quote }} is listed twice; allowed: each user once
{{- end -}}
{{- $names = append $names $u.name -}}
{{- end -}}
{{- if and (or $v.authorization.acls $v.authorization.superUsers) (not $v.authorization.enabled) }}
kafka-ha: authorization.acls and authorization.superUsers need authorization.enabled=true (without the authorizer Kafka checks no ACL); allowed: authorization.enabled=true, or neither
{{- end -}}
{{- /* The operations Kafka accepts per resource type (AclCommand refuses the others). */ -}}
{{- $ops := dict "topic" (list "All" "Read" "Write" "Create" "Delete" "Alter" "Describe" "DescribeConfigs" "AlterConfigs") "group" (list "All" "Read" "Describe" "Delete") "cluster" (list "All" "Create" "ClusterAction" "DescribeConfigs" "AlterConfigs" "IdempotentWrite" "Alter" "Describe") "transactionalId" (list "All" "Describe" "Write") -}}
{{- range $i, $a := $v.authorization.acls -}}
{{- range $op := $a.operations -}}
{{- if not (has $op (get $ops $a.resourceType)) }}
kafka-ha: authorization.acls[{{ $i }}].operations: {{ $op }} does not apply to a {{ $a.resourceType }}; allowed: {{ join ", " (get $ops $a.resourceType) }}
{{- end -}}
{{- end -}}
{{- if and (ne $a.resourceType "cluster") (not $a.name) }}
kafka-ha: authorization.acls[{{ $i }}].name is missing; allowed: the {{ $a.resourceType }}'s name, a prefix with patternType prefixed, or * for all
{{- end -}}
{{- end -}}
{{- end -}}
