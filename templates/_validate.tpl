{{/*
Cross-field rules JSON Schema cannot express. Every broken rule adds one line naming the value and
what is allowed; all lines are raised together in one `fail`, so a user fixes everything in one go.
*/}}
{{- define "kafka-ha.validate" -}}
{{- $v := .Values -}}
{{- $m := list -}}
{{- $brokers := int $v.broker.replicas -}}
{{- $rf := int $v.replication.defaultReplicationFactor -}}
{{- $isr := int $v.replication.minInsyncReplicas -}}
{{- $irf := int $v.replication.internalTopics.replicationFactor -}}
{{- $iisr := int $v.replication.internalTopics.minInsyncReplicas -}}
{{- $voters := int $v.controller.replicas -}}
{{- $pdb := int $v.podDisruptionBudget.maxUnavailable -}}

{{- if ge $isr $brokers -}}
{{- $m = append $m (printf "kafka-ha: replication.minInsyncReplicas (%d) must be lower than broker.replicas (%d), or acks=all writes stop as soon as one broker is down; allowed: 1..%d" $isr $brokers (sub $brokers 1)) -}}
{{- end -}}
{{- if gt $rf $brokers -}}
{{- $m = append $m (printf "kafka-ha: replication.defaultReplicationFactor (%d) must not exceed broker.replicas (%d); allowed: 1..%d" $rf $brokers $brokers) -}}
{{- end -}}
{{- if ge $isr $rf -}}
{{- $m = append $m (printf "kafka-ha: replication.minInsyncReplicas (%d) must be lower than replication.defaultReplicationFactor (%d), or one replica down blocks acks=all writes; allowed: 1..%d" $isr $rf (sub $rf 1)) -}}
{{- else if and $v.podDisruptionBudget.enabled (gt $pdb (sub $rf $isr)) -}}
{{- $m = append $m (printf "kafka-ha: podDisruptionBudget.maxUnavailable (%d) must not exceed replication.defaultReplicationFactor - replication.minInsyncReplicas (%d - %d = %d), or a drain can push partitions under min ISR; allowed: 1..%d" $pdb $rf $isr (sub $rf $isr) (sub $rf $isr)) -}}
{{- end -}}
{{- if gt $irf $brokers -}}
{{- $m = append $m (printf "kafka-ha: replication.internalTopics.replicationFactor (%d) must not exceed broker.replicas (%d); allowed: 1..%d" $irf $brokers $brokers) -}}
{{- end -}}
{{- if ge $iisr $irf -}}
{{- $m = append $m (printf "kafka-ha: replication.internalTopics.minInsyncReplicas (%d) must be lower than replication.internalTopics.replicationFactor (%d); allowed: 1..%d" $iisr $irf (sub $irf 1)) -}}
{{- end -}}
{{- if and (not $v.controller.dedicated) (gt $voters $brokers) -}}
{{- $m = append $m (printf "kafka-ha: controller.replicas (%d) must not exceed broker.replicas (%d) in combined mode (the controllers are the first broker pods); set broker.replicas to at least %d or controller.dedicated=true" $voters $brokers $voters) -}}
{{- end -}}
{{- if and $v.podDisruptionBudget.enabled (gt $pdb (div (sub $voters 1) 2)) -}}
{{- $m = append $m (printf "kafka-ha: podDisruptionBudget.maxUnavailable (%d) must not exceed (controller.replicas - 1) / 2 = %d, or a drain can take the KRaft quorum's majority; allowed: 1..%d" $pdb (div (sub $voters 1) 2) (div (sub $voters 1) 2)) -}}
{{- end -}}
{{- if $v.externalAccess.enabled -}}
{{- $last := add (int $v.externalAccess.nodePortBase) (sub $brokers 1) -}}
{{- if gt $last 32767 -}}
{{- $m = append $m (printf "kafka-ha: externalAccess.nodePortBase (%d) + broker.replicas (%d) - 1 = %d is beyond the node port range 30000-32767; allowed: 30000..%d" (int $v.externalAccess.nodePortBase) $brokers $last (sub 32768 $brokers)) -}}
{{- end -}}
{{- end -}}
{{- $managed := include "kafka-ha.managedKeys" . | fromYaml -}}
{{- range $k, $val := $v.config -}}
{{- $at := printf "config.%q" $k -}}
{{- if not (regexMatch "^[a-z0-9][a-z0-9._-]*$" $k) -}}
{{- $m = append $m (printf "kafka-ha: %s is not a server.properties key; allowed: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit" $at) -}}
{{- else if hasKey $managed $k -}}
{{- $use := get $managed $k -}}
{{- if $use -}}
{{- $m = append $m (printf "kafka-ha: %s is managed by the chart; set %s instead" $at $use) -}}
{{- else -}}
{{- $m = append $m (printf "kafka-ha: %s is managed by the chart (listeners, node ids, quorum and log directories are written per pod) and cannot be overridden" $at) -}}
{{- end -}}
{{- end -}}
{{- if kindIs "string" $val -}}
{{- if regexMatch "[\r\n]" $val -}}
{{- $m = append $m (printf "kafka-ha: %s spans several lines, which server.properties cannot hold; allowed: one line (for certificates and keys use the *.location file settings)" $at) -}}
{{- end -}}
{{- if regexMatch "[^\x00-\x7f]" $val -}}
{{- $m = append $m (printf "kafka-ha: %s holds non-ASCII characters, which Kafka misreads (it reads server.properties as ISO-8859-1); allowed: ASCII text" $at) -}}
{{- end -}}
{{- end -}}
{{- $m = concat $m (include "kafka-ha.checkNumber" (list $at $val) | splitList "\n" | compact) -}}
{{- end -}}

{{- /* Names: every Service is named <fullname>[-suffix], and a Service name is a DNS-1035 label. */ -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $full) -}}
{{- $m = append $m (printf "kafka-ha: the resource name prefix %q (from the release name %q) is not a valid Service name; allowed: a DNS-1035 label (lower-case letters, digits and '-', starting with a letter): rename the release or set fullnameOverride, e.g. fullnameOverride=kafka-ha" $full .Release.Name) -}}
{{- end -}}

{{- /* Resources and pod DNS names of the StatefulSets this release renders. */ -}}
{{- $domain := include "kafka-ha.domain" . -}}
{{- range $c := include "kafka-ha.components" . | fromYamlArray -}}
{{- $path := ternary "controller" "broker" (eq $c.role "controller") -}}
{{- $m = concat $m (include "kafka-ha.checkResources" (dict "path" $path "values" $c.values) | splitList "\n" | compact) -}}
{{- $fqdn := printf "%s-%d.%s" $c.name (sub (int $c.replicas) 1) $domain -}}
{{- if gt (len $fqdn) 253 -}}
{{- $m = append $m (printf "kafka-ha: clusterDomain (%d characters) makes the advertised name of pod %s-%d (<pod>.<headless service>.<namespace>.svc.<clusterDomain>) %d characters long, more than a DNS name may have (253); allowed: a clusterDomain of at most %d characters in namespace %s" (len $.Values.clusterDomain) $c.name (sub (int $c.replicas) 1) (len $fqdn) (sub 253 (sub (len $fqdn) (len $.Values.clusterDomain))) $.Release.Namespace) -}}
{{- end -}}
{{- end -}}
{{- $zone := $v.topologySpread.zone -}}
{{- $host := $v.topologySpread.hostname -}}
{{- if and $zone.enabled $host.enabled (eq $zone.topologyKey "kubernetes.io/hostname") (eq $zone.whenUnsatisfiable $host.whenUnsatisfiable) -}}
{{- $m = append $m (printf "kafka-ha: topologySpread.zone.topologyKey (kubernetes.io/hostname) with whenUnsatisfiable %s repeats the hostname constraint, which Kubernetes refuses (topologyKey and whenUnsatisfiable must be unique); allowed: a zone label, or topologySpread.hostname.enabled=false" $zone.whenUnsatisfiable) -}}
{{- end -}}

{{- /* Pod metadata and scheduling. */ -}}
{{- $chartLabels := include "kafka-ha.componentLabels" (dict "context" . "component" "kafka") | fromYaml | keys -}}
{{- $reservedLabels := concat $chartLabels (list "controller-revision-hash" "statefulset.kubernetes.io/pod-name" "apps.kubernetes.io/pod-index") -}}
{{- $m = concat $m (include "kafka-ha.checkLabels" (list "podLabels" $v.podLabels $reservedLabels) | splitList "\n" | compact) -}}
{{- $m = concat $m (include "kafka-ha.checkLabels" (list "nodeSelector" $v.nodeSelector list) | splitList "\n" | compact) -}}
{{- $annotationBytes := 0 -}}
{{- range $k, $val := $v.podAnnotations -}}
{{- $at := printf "podAnnotations.%q" $k -}}
{{- $m = concat $m (include "kafka-ha.checkLabelKey" (list $at (lower $k)) | splitList "\n" | compact) -}}
{{- if eq $k "checksum/config" -}}
{{- $m = append $m (printf "kafka-ha: %s is set by the chart (a configuration change rolls the pods through it); allowed: any other key" $at) -}}
{{- end -}}
{{- $annotationBytes = add $annotationBytes (len $k) (len $val) -}}
{{- end -}}
{{- if gt $annotationBytes 250000 -}}
{{- $m = append $m (printf "kafka-ha: podAnnotations hold %d bytes; allowed: at most 250000 (Kubernetes limits all annotations of an object to 256 KiB)" $annotationBytes) -}}
{{- end -}}
{{- $m = concat $m (include "kafka-ha.checkAffinity" (dict "affinity" $v.affinity) | splitList "\n" | compact) -}}
{{- range $i, $t := $v.tolerations -}}
{{- $op := default "Equal" $t.operator -}}
{{- if and (not $t.key) (ne $op "Exists") -}}
{{- $m = append $m (printf "kafka-ha: tolerations[%d] has no key, which matches every taint and needs operator Exists; allowed: a key, or operator: Exists" $i) -}}
{{- end -}}
{{- if and (eq $op "Exists") $t.value -}}
{{- $m = append $m (printf "kafka-ha: tolerations[%d].value (%q) must be empty with operator Exists (it matches every value); allowed: no value, or operator: Equal" $i $t.value) -}}
{{- end -}}
{{- if and (hasKey $t "tolerationSeconds") (ne (default "" $t.effect) "NoExecute") -}}
{{- $m = append $m (printf "kafka-ha: tolerations[%d].tolerationSeconds is only allowed with effect NoExecute (effect is %q); allowed: effect: NoExecute, or no tolerationSeconds" $i (default "" $t.effect)) -}}
{{- end -}}
{{- end -}}

{{- /* Probes that can never succeed. */ -}}
{{- $readyCheck := int (include "kafka-ha.readinessCheckSeconds" .) -}}
{{- if and $v.probes.readiness.isrCheck (lt (int $v.probes.readiness.timeoutSeconds) $readyCheck) -}}
{{- $m = append $m (printf "kafka-ha: probes.readiness.timeoutSeconds (%d) is shorter than the readiness check may take (%d s: ready.sh checks the port, then starts an admin JVM bounded at 40 s), so the kubelet would cut slow checks short and mark the broker unready; allowed: %d..300, or probes.readiness.isrCheck=false" (int $v.probes.readiness.timeoutSeconds) $readyCheck $readyCheck) -}}
{{- end -}}

{{- if $m -}}
{{- fail (printf "invalid values:\n%s" (join "\n" $m)) -}}
{{- end -}}
{{- end -}}

{{/*
The longest files/scripts/ready.sh can take with the ISR check: its timeouts (3 s port check + 40 s
admin call) plus 2 s for bash and awk. test/unit/values-config.test.ts reads ready.sh's timeouts and
fails when they no longer fit.
*/}}
{{- define "kafka-ha.readinessCheckSeconds" -}}45{{- end -}}
