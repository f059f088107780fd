{{/*
Upgrade checks against the running release, read with `lookup` (helm install/upgrade and
--dry-run=server only: `helm template`, client-side dry runs and GitOps renderers have no cluster
access, lookup returns nothing and these checks cannot run). Refuses what the chart cannot yet do
safely (until day-2 operations are automated):
- lowering broker.replicas with rebalance.enabled=false: podManagementPolicy Parallel removes every
  dropped broker at once, with whatever replicas they hold; allowed once broker.confirmScaleDownTo
  equals the new count (with rebalance on, the pre-upgrade rebalance Job moves them first);
- any change of controller.replicas in combined mode: the voters are the first controller.replicas
  broker pods, so a new count would change process.roles of formatted nodes that hold data (README
  "Resize the controller quorum"). With dedicated controllers both ways are allowed: a new controller
  joins as an observer and auto-join adds it as a voter; a lower count is carried out before the
  StatefulSet changes by the pre-upgrade controller-removal Job (controller-removal-job.yaml, gated
  by kafka-ha.controllerCountMayShrink below), one voter at a time;
- switching controller.dedicated: the other layout is a second, empty quorum with other node ids;
- turning TLS on or off on the internal or controller listener: mid-roll, the pods speaking TLS and
  those speaking plaintext cannot reach each other there, and the roll stops at its first pod;
- a new volume size, StorageClass or access mode (kafka-ha.volumeChecks): Kubernetes refuses any
  change of a StatefulSet's volume template; growth is refused with the procedure that applies it;
- an older Kafka minor version than the running one (kafka-ha.downgradeCheck), with featureUpgrade
  on: the features Job finalized the running version's metadata.version.
*/}}
{{- define "kafka-ha.upgradeChecks" -}}
{{- $v := .Values -}}
{{- $full := include "kafka-ha.fullname" . -}}
{{- $combined := include "kafka-ha.runningStatefulSet" (dict "context" . "name" $full) | fromJson -}}
{{- $ctl := include "kafka-ha.runningStatefulSet" (dict "context" . "name" (include "kafka-ha.controllerStatefulSet" .)) | fromJson -}}
{{- $brk := include "kafka-ha.runningStatefulSet" (dict "context" . "name" (include "kafka-ha.dedicatedBrokerStatefulSet" .)) | fromJson -}}
{{- $m := list -}}
{{- if and $v.controller.dedicated $combined -}}
{{- $m = append $m (printf "kafka-ha: controller.dedicated=true on a release that runs in combined mode (StatefulSet %s) is not supported: the dedicated layout is a new, empty KRaft quorum (node ids %s+) that does not have this cluster's metadata. Keep controller.dedicated=false, or install a new release with controller.dedicated=true and move the data to it (e.g. MirrorMaker 2)." $full (include "kafka-ha.controllerIdBase" .)) -}}
{{- else if and (not $v.controller.dedicated) (or $ctl $brk) -}}
{{- $m = append $m (printf "kafka-ha: controller.dedicated=false on a release that runs dedicated controllers (StatefulSet %s-controller) is not supported: combined mode is a new, empty KRaft quorum (node ids 0..) that does not have this cluster's metadata. Keep controller.dedicated=true, or install a new release and move the data to it (e.g. MirrorMaker 2)." $full) -}}
{{- end -}}
{{- $running := ternary $brk $combined $v.controller.dedicated -}}
{{- if $running -}}
{{- $now := int $running.spec.replicas -}}
{{- $want := int $v.broker.replicas -}}
{{- if and (lt $want $now) (not $v.rebalance.enabled) (ne (int $v.broker.confirmScaleDownTo) $want) -}}
{{- $m = append $m (printf "kafka-ha: broker.replicas %d -> %d would remove brokers %s at once (podManagementPolicy Parallel) with every partition replica they hold. Safe procedure: move every replica off them first (kafka-reassign-partitions.sh --generate with --broker-list of the brokers that stay, then --execute and --verify until done; see README \"Scale\"), then upgrade with broker.replicas=%d and broker.confirmScaleDownTo=%d. Or turn rebalance.enabled on: the chart then moves them itself." $now $want (include "kafka-ha.idRange" (list $want $now)) $want $want) -}}
{{- end -}}
{{- end -}}
{{- if and (not $v.controller.dedicated) $combined -}}
{{- $voters := include "kafka-ha.runningEnv" (dict "sts" $combined "name" "KAFKA_HA_CONTROLLERS") | int -}}
{{- $want := int $v.controller.replicas -}}
{{- if and $voters (ne $want $voters) -}}
{{- $m = append $m (printf "kafka-ha: controller.replicas %d -> %d is refused in combined mode (controller.dedicated=false): there the KRaft voters are the first controller.replicas broker pods (ordinals %s), so a new count would change process.roles of pods that are formatted and hold data (%s), which Kafka does not support on a formatted node. The quorum stays as it is; what combined mode can change safely is broker.replicas (the voters stay). Keep controller.replicas=%d. To resize the quorum, run dedicated controllers: a new release with controller.dedicated=true, where controller.replicas can go up and down (README \"Resize the controller quorum\")." $voters $want (include "kafka-ha.idRange" (list 0 $voters)) (ternary (printf "brokers %s would become controllers" (include "kafka-ha.idRange" (list $voters $want))) (printf "voters %s would become plain brokers" (include "kafka-ha.idRange" (list $want $voters))) (gt $want $voters)) $voters) -}}
{{- end -}}
{{- end -}}
{{- with $running -}}
{{- $wasOn := include "kafka-ha.runningEnv" (dict "sts" . "name" "KAFKA_HA_TLS_LISTENERS") | splitList " " -}}
{{- $nowOn := include "kafka-ha.tlsListeners" $ | splitList " " -}}
{{- range $l := list "INTERNAL" "CONTROLLER" -}}
{{- if ne (has $l $wasOn) (has $l $nowOn) -}}
{{- $m = append $m (printf "kafka-ha: tls: the %s listener would switch from %s to %s on a running release. A rolling restart cannot do that: pods speaking TLS and pods speaking plaintext cannot reach each other there, so the roll stops at its first pod. Either keep tls.listeners.%s as it is, or stop and start the release: helm uninstall (the volumes and the cluster id Secret stay), then helm install with the new values (README \"Security\")." $l (ternary "TLS" "plaintext" (has $l $wasOn)) (ternary "TLS" "plaintext" (has $l $nowOn)) (lower $l)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- with include "kafka-ha.downgradeCheck" . | trim }}{{ $m = append $m . }}{{ end -}}
{{- range $line := include "kafka-ha.volumeChecks" . | trim | splitList "\n" | compact -}}
{{- $m = append $m $line -}}
{{- end -}}
{{- if $m -}}
{{- fail (printf "upgrade refused (checked against the running release):\n%s" (join "\n" $m)) -}}
{{- end -}}
{{- end -}}

{{/* The value of environment variable .name in the containers of a running StatefulSet .sts (empty when unset). */}}
{{- define "kafka-ha.runningEnv" -}}
{{- $found := "" -}}
{{- range $c := .sts.spec.template.spec.containers -}}
{{- range $e := $c.env | default list -}}
{{- if eq $e.name $.name }}{{ $found = $e.value }}{{ end -}}
{{- end -}}
{{- end -}}
{{- $found -}}
{{- end -}}

{{/* (list from to): "from, from+1, ..., to-1" (the ordinals, and node ids, a scale-down removes). */}}
{{- define "kafka-ha.idRange" -}}
{{- $ids := list -}}
{{- range $i := untilStep (int (index . 0)) (int (index . 1)) 1 -}}
{{- $ids = append $ids (toString $i) -}}
{{- end -}}
{{- join ", " $ids -}}
{{- end -}}

{{/*
Volumes: Kubernetes never changes a running StatefulSet's volumeClaimTemplates, so a new size,
StorageClass or access mode would fail helm upgrade with its immutable-field error. Refused here
instead, growth with the procedure that applies it (README "Grow the volumes"). Returns messages,
one per line.
*/}}
{{- define "kafka-ha.volumeChecks" -}}
{{- $ns := .Release.Namespace -}}
{{- range $c := include "kafka-ha.components" . | fromYamlArray -}}
{{- $running := include "kafka-ha.runningStatefulSet" (dict "context" $ "name" $c.name) | fromJson -}}
{{- $path := ternary "controller.storage" "broker.storage" (eq $c.role "controller") -}}
{{- range $t := (($running.spec | default dict).volumeClaimTemplates | default list) -}}
{{- if eq $t.metadata.name "data" -}}
{{- $was := $t.spec.resources.requests.storage | toString -}}
{{- $want := include "kafka-ha.quantity" $c.values.storage.size -}}
{{- $wasBytes := include "kafka-ha.quantityValue" $was | float64 -}}
{{- $wantBytes := include "kafka-ha.quantityValue" $want | float64 -}}
{{- if gt $wantBytes $wasBytes }}
kafka-ha: {{ $path }}.size {{ $was }} -> {{ $want }} on the running StatefulSet {{ $c.name }}: Kubernetes cannot change a StatefulSet's volume template, so the upgrade would fail. Grow the volumes in place, then let the upgrade recreate the StatefulSet: (1) the StorageClass must allow it: kubectl get storageclass <class> -o jsonpath='{.allowVolumeExpansion}' prints true (else the data has to move to a new release); (2) kubectl -n {{ $ns }} patch pvc data-{{ $c.name }}-<ordinal> -p '{"spec":{"resources":{"requests":{"storage":"{{ $want }}"}}}}' for every pod of {{ $c.name }}; (3) kubectl -n {{ $ns }} delete statefulset {{ $c.name }} --cascade=orphan (the pods keep running); (4) run this helm upgrade again: the new StatefulSet adopts the running pods without restarting them (README "Grow the volumes").
{{- else if lt $wantBytes $wasBytes }}
kafka-ha: {{ $path }}.size {{ $was }} -> {{ $want }} on the running StatefulSet {{ $c.name }}: volumes never shrink; allowed: {{ $was }} or more
{{- end -}}
{{- $wasClass := $t.spec.storageClassName | default "" -}}
{{- if ne $wasClass ($c.values.storage.storageClass | default "") }}
kafka-ha: {{ $path }}.storageClass {{ $wasClass | default "(the default class)" | quote }} -> {{ $c.values.storage.storageClass | default "(the default class)" | quote }} on the running StatefulSet {{ $c.name }}: a volume cannot change its StorageClass; keep {{ $wasClass | default "it unset" }}, or move the data to a new release
{{- end -}}
{{- if ne (toJson $t.spec.accessModes) (toJson $c.values.storage.accessModes) }}
kafka-ha: {{ $path }}.accessModes {{ toJson $t.spec.accessModes }} -> {{ toJson $c.values.storage.accessModes }} on the running StatefulSet {{ $c.name }}: the volumes keep the access modes they were created with; keep {{ toJson $t.spec.accessModes }}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
"true" when a helm upgrade may change the number of brokers: the running broker StatefulSet has
another replica count, or it cannot be read (helm template and GitOps renderers have no cluster
access; a first install has none yet). Gates the rebalance Jobs, so an upgrade that keeps the count
starts no extra pods.
*/}}
{{- define "kafka-ha.brokerCountMayChange" -}}
{{- $running := include "kafka-ha.runningStatefulSet" (dict "context" . "name" (include "kafka-ha.brokerStatefulSet" .)) | fromJson -}}
{{- if or (not $running) (ne (int $running.spec.replicas) (int .Values.broker.replicas)) }}true{{ end -}}
{{- end -}}

{{/*
The number of dedicated controllers of the running release: the larger of its controller StatefulSet's
replicas and the count its pod template was rendered for (KAFKA_HA_CONTROLLERS), so a removal that
scaled the StatefulSet down but stopped before the upgrade applied the new template still counts the
old number. "" when it cannot be read (no such StatefulSet, no cluster access).
*/}}
{{- define "kafka-ha.runningControllers" -}}
{{- $running := include "kafka-ha.runningStatefulSet" (dict "context" . "name" (include "kafka-ha.controllerStatefulSet" .)) | fromJson -}}
{{- if $running -}}
{{- max (int $running.spec.replicas) (include "kafka-ha.runningEnv" (dict "sts" $running "name" "KAFKA_HA_CONTROLLERS") | int) -}}
{{- end -}}
{{- end -}}

{{/*
"true" when a helm upgrade may lower the number of dedicated controllers: the running release has more
than controller.replicas (kafka-ha.runningControllers), or it cannot be read (helm template and GitOps
renderers; there the Job finds nothing to remove and ends). Gates the controller-removal Job, so an
upgrade that keeps or raises the count starts no extra pod. Combined mode: never (refused above).
*/}}
{{- define "kafka-ha.controllerCountMayShrink" -}}
{{- if .Values.controller.dedicated -}}
{{- $was := include "kafka-ha.runningControllers" . -}}
{{- if or (eq $was "") (gt (int $was) (int .Values.controller.replicas)) }}true{{ end -}}
{{- end -}}
{{- end -}}

{{/* The image of the running brokers' kafka container ("" when it cannot be read). */}}
{{- define "kafka-ha.runningImage" -}}
{{- $running := include "kafka-ha.runningStatefulSet" (dict "context" . "name" (include "kafka-ha.brokerStatefulSet" .)) | fromJson -}}
{{- if $running -}}
{{- range $c := $running.spec.template.spec.containers }}{{ if eq $c.name "kafka" }}{{ $c.image }}{{ end }}{{ end -}}
{{- end -}}
{{- end -}}

{{/* "true" when a helm upgrade may change the Kafka image (or the running one cannot be read). Gates the features Job. */}}
{{- define "kafka-ha.imageMayChange" -}}
{{- if ne (include "kafka-ha.runningImage" .) (include "kafka-ha.image" .) }}true{{ end -}}
{{- end -}}

{{/* The Kafka version in an image reference's tag (x.y.z), "" when the tag is not one (or a digest). */}}
{{- define "kafka-ha.imageVersion" -}}
{{- $tag := regexFind ":[^:/@]+$" . | trimPrefix ":" -}}
{{- if regexMatch "^[0-9]+\\.[0-9]+\\.[0-9]+$" $tag }}{{ $tag }}{{ end -}}
{{- end -}}

{{/*
The refusal of an older Kafka minor version (featureUpgrade on): once the features Job raised
metadata.version to the running version's, an older Kafka cannot read the metadata log.
*/}}
{{- define "kafka-ha.downgradeCheck" -}}
{{- $was := include "kafka-ha.imageVersion" (include "kafka-ha.runningImage" .) -}}
{{- $now := include "kafka-ha.imageVersion" (include "kafka-ha.image" .) -}}
{{- if and .Values.featureUpgrade.enabled $was $now -}}
{{- $wasMinor := regexFind "^[0-9]+\\.[0-9]+" $was -}}
{{- if semverCompare (printf "<%s" $wasMinor) $now -}}
kafka-ha: image {{ include "kafka-ha.image" . }} runs Kafka {{ $now }}, older than the Kafka {{ $was }} this release runs. After that upgrade the features Job (featureUpgrade.enabled) raised metadata.version to {{ $wasMinor }}'s, and Kafka {{ $now }} cannot read the cluster's metadata at that level: Kafka does not go back below a finalized metadata.version. Keep Kafka {{ $wasMinor }}.x or newer; to go back, restore the old version's data into a new release.
{{- end -}}
{{- end -}}
{{- end -}}
