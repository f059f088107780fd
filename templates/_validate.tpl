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
{{- /* highAvailability=false (a development cluster) allows exactly what one KRaft node needs: min ISR 1
whatever the brokers and replication factor, and a single controller. Every other rule stays. */ -}}
{{- $noHa := and (kindIs "bool" $v.highAvailability) (not $v.highAvailability) -}}
{{- $devIsr := and $noHa (eq $isr 1) -}}
{{- $devIisr := and $noHa (eq $iisr 1) -}}
{{- $devHint := "; for a single-node development cluster that is not highly available set highAvailability=false (see examples/values-dev.yaml)" -}}

{{- if and (ge $isr $brokers) (not $devIsr) -}}
{{- $m = append $m (printf "kafka-ha: replication.minInsyncReplicas (%d) must be lower than broker.replicas (%d), or acks=all writes stop as soon as one broker is down; allowed: 1..%d%s" $isr $brokers (sub $brokers 1) (ternary $devHint "" (eq $isr 1))) -}}
{{- end -}}
{{- if gt $rf $brokers -}}
{{- $m = append $m (printf "kafka-ha: replication.defaultReplicationFactor (%d) must not exceed broker.replicas (%d); allowed: 1..%d" $rf $brokers $brokers) -}}
{{- end -}}
{{- if and (ge $isr $rf) (not $devIsr) -}}
{{- $m = append $m (printf "kafka-ha: replication.minInsyncReplicas (%d) must be lower than replication.defaultReplicationFactor (%d), or one replica down blocks acks=all writes; allowed: 1..%d%s" $isr $rf (sub $rf 1) (ternary $devHint "" (eq $isr 1))) -}}
{{- else if and $v.podDisruptionBudget.enabled (gt $pdb (sub $rf $isr)) (lt (sub $rf $isr) 1) -}}
{{- $m = append $m (printf "kafka-ha: podDisruptionBudget.enabled must be false when replication.minInsyncReplicas (%d) is not lower than replication.defaultReplicationFactor (%d): every eviction would push partitions under min ISR" $isr $rf) -}}
{{- else if and $v.podDisruptionBudget.enabled (gt $pdb (sub $rf $isr)) -}}
{{- $m = append $m (printf "kafka-ha: podDisruptionBudget.maxUnavailable (%d) must not exceed replication.defaultReplicationFactor - replication.minInsyncReplicas (%d - %d = %d), or a drain can push partitions under min ISR; allowed: 1..%d" $pdb $rf $isr (sub $rf $isr) (sub $rf $isr)) -}}
{{- end -}}
{{- if gt $irf $brokers -}}
{{- $m = append $m (printf "kafka-ha: replication.internalTopics.replicationFactor (%d) must not exceed broker.replicas (%d); allowed: 1..%d" $irf $brokers $brokers) -}}
{{- end -}}
{{- if and (ge $iisr $irf) (not $devIisr) -}}
{{- $m = append $m (printf "kafka-ha: replication.internalTopics.minInsyncReplicas (%d) must be lower than replication.internalTopics.replicationFactor (%d); allowed: 1..%d%s" $iisr $irf (sub $irf 1) (ternary $devHint "" (eq $iisr 1))) -}}
{{- end -}}
{{- if and (not $v.controller.dedicated) (gt $voters $brokers) -}}
{{- $m = append $m (printf "kafka-ha: controller.replicas (%d) must not exceed broker.replicas (%d) in combined mode (the controllers are the first broker pods); set broker.replicas to at least %d or controller.dedicated=true%s" $voters $brokers $voters (ternary "; a single-node development cluster that is not highly available needs controller.replicas=1 and highAvailability=false (see examples/values-dev.yaml)" "" (eq $brokers 1))) -}}
{{- end -}}
{{- if and (eq $voters 1) (not $noHa) -}}
{{- $m = append $m (printf "kafka-ha: controller.replicas (1) is a single KRaft controller, whose loss stops the cluster; allowed: 3, 5, 7, 9%s" $devHint) -}}
{{- end -}}
{{- if and $v.podDisruptionBudget.enabled (eq $voters 1) -}}
{{- $m = append $m "kafka-ha: podDisruptionBudget.enabled must be false with a single controller (controller.replicas 1): evicting it stops the KRaft quorum" -}}
{{- else if and $v.podDisruptionBudget.enabled (gt $pdb (div (sub $voters 1) 2)) -}}
{{- $m = append $m (printf "kafka-ha: podDisruptionBudget.maxUnavailable (%d) must not exceed (controller.replicas - 1) / 2 = %d, or a drain can take the KRaft quorum's majority; allowed: 1..%d" $pdb (div (sub $voters 1) 2) (div (sub $voters 1) 2)) -}}
{{- end -}}
{{- if $v.externalAccess.enabled -}}
{{- $last := add (int $v.externalAccess.nodePortBase) (sub $brokers 1) -}}
{{- if gt $last 32767 -}}
{{- $m = append $m (printf "kafka-ha: externalAccess.nodePortBase (%d) + broker.replicas (%d) - 1 = %d is beyond the node port range 30000-32767; allowed: 30000..%d" (int $v.externalAccess.nodePortBase) $brokers $last (sub 32768 $brokers)) -}}
{{- end -}}
{{- end -}}
{{- /* Single values and what the API server, Kafka or the pods would reject later (_checks.tpl). */ -}}
{{- range $check := list "kafka-ha.checkConfig" "kafka-ha.checkNames" "kafka-ha.checkComponents" "kafka-ha.checkTopologySpread" "kafka-ha.checkPodMetadata" "kafka-ha.checkTolerations" "kafka-ha.checkAffinity" "kafka-ha.checkProbes" "kafka-ha.checkTls" "kafka-ha.checkAuth" "kafka-ha.checkMetrics" -}}
{{- $m = concat $m (include $check $ | splitList "\n" | compact) -}}
{{- end -}}

{{- if $m -}}
{{- fail (printf "invalid values:\n%s" (join "\n" $m)) -}}
{{- end -}}
{{- end -}}

