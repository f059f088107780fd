{{/*
The running StatefulSet (dict "context" $ "name" <name>) as JSON, "{}" when absent or without
cluster access. The only lookup of the upgrade checks, alone in this file so that the unit tier
(test/unit/upgrade-checks.test.ts) can replace it with running StatefulSets given as values.
*/}}
{{- define "kafka-ha.runningStatefulSet" -}}
{{- toJson (lookup "apps/v1" "StatefulSet" .context.Release.Namespace .name) -}}
{{- end -}}
