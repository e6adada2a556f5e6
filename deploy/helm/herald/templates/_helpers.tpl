{{/* ---- names and labels ---------------------------------------------------------------- */}}

{{- define "herald.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "herald.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a per-component object; the component suffix is kept whole. */}}
{{- define "herald.componentName" -}}
{{- printf "%s-%s" (include "herald.fullname" .ctx | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "herald.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Call with (dict "ctx" $ "component" "api"); component may be empty. */}}
{{- define "herald.selectorLabels" -}}
app.kubernetes.io/name: {{ include "herald.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{- define "herald.labels" -}}
helm.sh/chart: {{ include "herald.chart" .ctx }}
{{ include "herald.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: herald
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The long-running services, in a fixed order. */}}
{{- define "herald.serviceNames" -}}
{{- toJson (list "api" "router" "dispatcher" "scheduler" "projector") -}}
{{- end -}}

{{- define "herald.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "herald.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "herald.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Hook jobs run before the release's own objects exist, so they cannot use a ServiceAccount the
chart is about to create: they use an existing one when serviceAccount.create is false, and the
namespace's default otherwise. They need no Kubernetes API access either way.
*/}}
{{- define "herald.hookServiceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
default
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "herald.configMapName" -}}
{{- include "herald.componentName" (dict "ctx" . "component" "config") -}}
{{- end -}}

{{/* The Secret the services read: the user's existingSecret, or the one this chart renders. */}}
{{- define "herald.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "herald.fullname" . -}}
{{- end -}}
{{- end -}}

{{/* The Secret hook jobs read: the chart's own Secret does not exist yet at pre-install. */}}
{{- define "herald.hookSecretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "herald.componentName" (dict "ctx" . "component" "hooks") -}}
{{- end -}}
{{- end -}}

{{/* ---- durations ---------------------------------------------------------------------- */}}

{{/* "5m" -> 300000. Plain digits are milliseconds, as in the application. */}}
{{- define "herald.durationMs" -}}
{{- $text := include "herald.str" . | trim -}}
{{- if regexMatch "^[0-9]+$" $text -}}
{{- $text -}}
{{- else if regexMatch "^[0-9]+(ms|s|m|h|d)$" $text -}}
{{- $digits := regexFind "^[0-9]+" $text -}}
{{- $unit := trimPrefix $digits $text -}}
{{- $factor := get (dict "ms" 1 "s" 1000 "m" 60000 "h" 3600000 "d" 86400000) $unit -}}
{{- mul (int64 $digits) $factor -}}
{{- else -}}
{{- fail (printf "%q is not a duration (use e.g. 500ms, 5s, 5m, 2h, 7d)" $text) -}}
{{- end -}}
{{- end -}}

{{/* The shortest exact label, as the application names tier topics: "60s" -> "1m". */}}
{{- define "herald.durationLabel" -}}
{{- $ms := include "herald.durationMs" . | int64 -}}
{{- $label := printf "%dms" $ms -}}
{{- range $unit := list (list "s" 1000) (list "m" 60000) (list "h" 3600000) (list "d" 86400000) -}}
{{- $size := index $unit 1 | int64 -}}
{{- if and (ge $ms $size) (eq (mod $ms $size) 0) -}}
{{- $label = printf "%d%s" (div $ms $size) (index $unit 0) -}}
{{- end -}}
{{- end -}}
{{- $label -}}
{{- end -}}

{{/* ---- topics ------------------------------------------------------------------------- */}}

{{/* Values key -> topic name, for Herald's own topics (their names are fixed in the code). */}}
{{- define "herald.topicNames" -}}
{{- toJson (dict "subscriptions" "herald.subscriptions" "dedupe" "herald.dedupe" "deliveries" "herald.deliveries" "deliveriesDead" "herald.deliveries.dead" "attempts" "herald.attempts" "operational" "herald.operational" "eventsInvalid" "herald.events.invalid" "fifo" "herald.fifo" "endpointCommands" "herald.endpoint-commands" "endpointHealth" "herald.endpoint-health") -}}
{{- end -}}

{{/* Kafka config entries for one topic: dict "ctx" $ "spec" <values> "policy" <cleanup.policy>. */}}
{{- define "herald.topicConfig" -}}
{{- $entries := dict -}}
{{- range $k, $v := .ctx.Values.topics.config }}{{ $_ := set $entries $k (include "herald.str" $v) }}{{ end -}}
{{- range $k, $v := (.spec.config | default dict) }}{{ $_ := set $entries $k (include "herald.str" $v) }}{{ end -}}
{{- if .policy }}{{ $_ := set $entries "cleanup.policy" .policy }}{{ end -}}
{{- if .spec.retention }}{{ $_ := set $entries "retention.ms" (include "herald.durationMs" .spec.retention) }}{{ end -}}
{{- toJson $entries -}}
{{- end -}}

{{/*
Least retention.ms of the topics a rebuild or backfill reads: as long as any workspace may keep its
delivery log, max(retention.recordsDays, retention.maxDays) days (replayTopicRetentionDays in libs/retention).
*/}}
{{- define "herald.replayRetentionMs" -}}
{{- $r := .Values.retention -}}
{{- mul (max (int64 $r.recordsDays) (int64 $r.maxDays)) 86400000 -}}
{{- end -}}

{{/* Config entries raised to that floor: dict "ctx" $ "config" <entries>. -1 (keep forever) stays. */}}
{{- define "herald.replayFloor" -}}
{{- $floor := include "herald.replayRetentionMs" .ctx | int64 -}}
{{- $c := .config -}}
{{- $have := get $c "retention.ms" | default "0" | int64 -}}
{{- if and (ge $have 0) (lt $have $floor) }}{{ $_ := set $c "retention.ms" (printf "%d" $floor) }}{{ end -}}
{{- toJson $c -}}
{{- end -}}

{{/* A tier's override, keyed by its canonical label ("1d") or as written in retry.tiers ("24h"). */}}
{{- define "herald.tierOverride" -}}
{{- $o := .overrides | default dict -}}
{{- toJson (get $o .label | default (get $o (include "herald.str" .tier)) | default dict) -}}
{{- end -}}

{{/*
Every topic the create-topics job should make, as a JSON array of
{topic, partitions, replicationFactor, configEntries}.
*/}}
{{- define "herald.topicSpecs" -}}
{{- $t := .Values.topics -}}
{{- $specs := list -}}
{{- range $key, $topic := include "herald.topicNames" . | fromJson -}}
{{- $spec := index $t $key -}}
{{- $config := include "herald.topicConfig" (dict "ctx" $ "spec" $spec "policy" $spec.cleanupPolicy) | fromJson -}}
{{- if has $key (list "deliveries" "attempts" "operational") -}}
{{- $config = include "herald.replayFloor" (dict "ctx" $ "config" $config) | fromJson -}}
{{- end -}}
{{- $specs = append $specs (dict "topic" $topic "partitions" (int $spec.partitions) "replicationFactor" (int $t.replicationFactor) "configEntries" $config) -}}
{{- end -}}
{{- range $tier := .Values.retry.tiers -}}
{{- $label := include "herald.durationLabel" $tier -}}
{{- $spec := mergeOverwrite (omit (deepCopy $t.retryTiers) "overrides") (include "herald.tierOverride" (dict "overrides" $t.retryTiers.overrides "tier" $tier "label" $label) | fromJson) -}}
{{- $config := include "herald.topicConfig" (dict "ctx" $ "spec" $spec "policy" "delete") | fromJson -}}
{{- $specs = append $specs (dict "topic" (printf "herald.retry.%s" $label) "partitions" (int $spec.partitions) "replicationFactor" (int $t.replicationFactor) "configEntries" $config) -}}
{{- end -}}
{{- if $t.domain.create -}}
{{- range $topic := .Values.domainTopics -}}
{{- $config := include "herald.topicConfig" (dict "ctx" $ "spec" $t.domain "policy" "delete") | fromJson -}}
{{- $config = include "herald.replayFloor" (dict "ctx" $ "config" $config) | fromJson -}}
{{- $specs = append $specs (dict "topic" $topic "partitions" (int $t.domain.partitions) "replicationFactor" (int $t.replicationFactor) "configEntries" $config) -}}
{{- end -}}
{{- end -}}
{{- toJson $specs -}}
{{- end -}}

{{/* ---- configuration ------------------------------------------------------------------ */}}

{{/* Variables every service reads (NAME: value). The ConfigMap holds them; hook jobs inline them. */}}
{{- define "herald.commonConfig" -}}
{{- $c := dict -}}
{{- $_ := set $c "KAFKA_BROKERS" (join "," .Values.kafka.brokers) -}}
{{- $_ := set $c "KAFKA_CLIENT_ID" .Values.kafka.clientId -}}
{{- $_ := set $c "KAFKA_SSL" (ternary "true" "false" .Values.kafka.tls.enabled) -}}
{{- if .Values.kafka.tls.caSecret.name -}}
{{- $_ := set $c "KAFKA_SSL_CA_PATH" (printf "/etc/herald/kafka-ca/%s" .Values.kafka.tls.caSecret.key) -}}
{{- end -}}
{{- if .Values.kafka.sasl.mechanism -}}
{{- $_ := set $c "KAFKA_SASL_MECHANISM" .Values.kafka.sasl.mechanism -}}
{{- $_ := set $c "KAFKA_SASL_USERNAME" .Values.kafka.sasl.username -}}
{{- end -}}
{{- if include "herald.isSet" .Values.kafka.stallTimeoutMs -}}
{{- $_ := set $c "KAFKA_STALL_TIMEOUT_MS" (include "herald.str" .Values.kafka.stallTimeoutMs) -}}
{{- end -}}
{{- if include "herald.isSet" .Values.kafka.sessionTimeout -}}
{{- $_ := set $c "KAFKA_SESSION_TIMEOUT" (include "herald.str" .Values.kafka.sessionTimeout) -}}
{{- end -}}
{{- if include "herald.isSet" .Values.kafka.commitInterval -}}
{{- $_ := set $c "KAFKA_COMMIT_INTERVAL" (include "herald.str" .Values.kafka.commitInterval) -}}
{{- end -}}
{{- if include "herald.isSet" .Values.kafka.produceTimeout -}}
{{- $_ := set $c "KAFKA_PRODUCE_TIMEOUT" (include "herald.str" .Values.kafka.produceTimeout) -}}
{{- end -}}
{{- if include "herald.isSet" .Values.kafka.stallCheckIntervalMs -}}
{{- $_ := set $c "KAFKA_STALL_CHECK_INTERVAL_MS" (include "herald.str" .Values.kafka.stallCheckIntervalMs) -}}
{{- end -}}
{{- $_ := set $c "LOG_LEVEL" .Values.logLevel -}}
{{- $_ := set $c "HERALD_MODE" .Values.mode -}}
{{- $_ := set $c "HERALD_HTTP_PORT" (include "herald.str" .Values.httpPort) -}}
{{- if include "herald.isSet" .Values.internalPort -}}
{{- if eq (int .Values.internalPort) (int .Values.httpPort) }}{{ fail "internalPort must differ from httpPort" }}{{ end -}}
{{- $_ := set $c "HERALD_INTERNAL_PORT" (include "herald.str" .Values.internalPort) -}}
{{- end -}}
{{- if .Values.internalAccess -}}
{{- $_ := set $c "HERALD_INTERNAL_ACCESS" .Values.internalAccess -}}
{{- end -}}
{{- if .Values.otel.endpoint -}}
{{- $_ := set $c "OTEL_EXPORTER_OTLP_ENDPOINT" .Values.otel.endpoint -}}
{{- end -}}
{{- $_ := set $c "OTEL_TRACES_SAMPLER_ARG" (include "herald.str" .Values.otel.samplerArg) -}}
{{- if .Values.otel.resourceAttributes -}}
{{- $attrs := list -}}
{{- range $k, $v := .Values.otel.resourceAttributes }}{{ $attrs = append $attrs (printf "%s=%s" $k (include "herald.str" $v)) }}{{ end -}}
{{- $_ := set $c "OTEL_RESOURCE_ATTRIBUTES" (join "," $attrs) -}}
{{- end -}}
{{- $_ := set $c "HERALD_RETRY_SCHEDULE" (join "," .Values.retry.schedule) -}}
{{- $_ := set $c "HERALD_RETRY_TIERS" (join "," .Values.retry.tiers) -}}
{{- $_ := set $c "HERALD_DOMAIN_TOPICS" (join "," .Values.domainTopics) -}}
{{- if .Values.egressAllowCidrs -}}
{{- $_ := set $c "HERALD_EGRESS_ALLOW_CIDRS" (join "," .Values.egressAllowCidrs) -}}
{{- end -}}
{{- if .Values.workspaceEgressCidrs -}}
{{- $_ := set $c "HERALD_EGRESS_WORKSPACE_CIDRS" (join "," .Values.workspaceEgressCidrs) -}}
{{- end -}}
{{- range $k, $v := .Values.config }}{{ $_ := set $c $k (include "herald.str" $v) }}{{ end -}}
{{- toJson $c -}}
{{- end -}}

{{/* One env entry read from the services' Secret: dict "ctx" $ "name" NAME "optional" bool "hook" bool. */}}
{{- define "herald.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ ternary (include "herald.hookSecretName" .ctx) (include "herald.secretName" .ctx) (default false .hook) }}
      key: {{ .name }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* A value as an env string; whole numbers print without an exponent (YAML numbers are floats). */}}
{{- define "herald.str" -}}
{{- if and (kindIs "float64" .) (eq (float64 (int64 .)) .) -}}
{{- printf "%d" (int64 .) -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}

{{/* Whether a value was given: null and "" are "keep the application default". */}}
{{- define "herald.isSet" -}}
{{- if not (or (kindIs "invalid" .) (and (kindIs "string" .) (eq . ""))) }}true{{ end -}}
{{- end -}}

{{/* The env list of one service container: dict "ctx" $ "service" "api". */}}
{{- define "herald.serviceEnv" -}}
{{- $ctx := .ctx -}}
{{- $v := $ctx.Values -}}
{{- $cfg := index $v .service -}}
- name: OTEL_SERVICE_NAME
  value: {{ printf "%s-%s" $v.otel.serviceNamePrefix .service | quote }}
{{- if has .service (list "api" "projector") }}
{{ include "herald.secretEnv" (dict "ctx" $ctx "name" "DATABASE_URL") }}
- name: DATABASE_SSL
  value: {{ ternary "true" "false" $v.database.ssl | quote }}
{{- end }}
{{- if has .service (list "api" "dispatcher") }}
{{ include "herald.secretEnv" (dict "ctx" $ctx "name" "HERALD_MASTER_KEY") }}
{{ include "herald.secretEnv" (dict "ctx" $ctx "name" "HERALD_PREVIOUS_MASTER_KEYS" "optional" true) }}
{{- end }}
{{- /* Workers need the admin token only to guard /metrics when it stays on the HTTP port. */ -}}
{{- if or (eq .service "api") (not (include "herald.isSet" $v.internalPort)) }}
{{ include "herald.secretEnv" (dict "ctx" $ctx "name" "HERALD_ADMIN_TOKEN") }}
{{- end }}
{{- if $v.kafka.sasl.mechanism }}
{{ include "herald.secretEnv" (dict "ctx" $ctx "name" "KAFKA_SASL_PASSWORD" "optional" true) }}
{{- end }}
{{- if has .service (list "api" "projector") }}
{{- $r := $v.retention }}
- name: HERALD_RETENTION_DAYS
  value: {{ include "herald.str" $r.recordsDays | quote }}
- name: HERALD_BODY_RETENTION_DAYS
  value: {{ include "herald.str" $r.bodiesDays | quote }}
- name: HERALD_RETENTION_MIN_DAYS
  value: {{ include "herald.str" $r.minDays | quote }}
- name: HERALD_RETENTION_MAX_DAYS
  value: {{ include "herald.str" $r.maxDays | quote }}
- name: HERALD_PARTITIONS_AHEAD_DAYS
  value: {{ include "herald.str" $r.partitionsAheadDays | quote }}
- name: HERALD_RETENTION_INTERVAL
  value: {{ $r.interval | quote }}
{{- end }}
{{- /* What the domain topics keep bounds a backfill's since; known here only when the chart creates them. */ -}}
{{- if and (eq .service "api") $v.topics.create $v.topics.domain.create }}
{{- $floor := include "herald.replayRetentionMs" $ctx | int64 }}
{{- $domainMs := $floor }}
{{- if $v.topics.domain.retention }}{{ $domainMs = include "herald.durationMs" $v.topics.domain.retention | int64 }}{{ end }}
- name: HERALD_DOMAIN_TOPICS_RETENTION_DAYS
  value: {{ div (max $floor $domainMs) 86400000 | toString | quote }}
{{- end }}
{{- if eq .service "router" }}
{{- if include "herald.isSet" $cfg.maxEventBytes }}
- name: HERALD_MAX_EVENT_BYTES
  value: {{ include "herald.str" $cfg.maxEventBytes | quote }}
{{- end }}
{{- if include "herald.isSet" $cfg.dedupeWindow }}
- name: HERALD_DEDUPE_WINDOW
  value: {{ $cfg.dedupeWindow | quote }}
{{- end }}
{{- if include "herald.isSet" $cfg.catchUpTimeout }}
- name: HERALD_ROUTER_CATCH_UP_TIMEOUT
  value: {{ $cfg.catchUpTimeout | quote }}
{{- end }}
{{- end }}
{{- if eq .service "api" }}
{{- $limits := list
  (list "HERALD_WORKSPACE_MAX_ENDPOINTS" $cfg.maxEndpointsPerWorkspace)
  (list "HERALD_WORKSPACE_MAX_ACTIVE_JOBS" $cfg.maxActiveJobsPerWorkspace)
  (list "HERALD_PURGE_BATCH_SIZE" $cfg.purgeBatchSize)
  (list "HERALD_API_KEY_RATE_LIMIT" $cfg.keyRateLimit)
  (list "HERALD_API_KEY_RATE_BURST" $cfg.keyRateBurst)
  (list "HERALD_ENDPOINT_MAX_IN_FLIGHT" $cfg.maxInFlightPerEndpoint)
  (list "HERALD_FILTER_MAX_REGEX_LENGTH" $cfg.maxFilterRegexLength)
  (list "HERALD_FILTER_MAX_REGEX_COST" $cfg.maxFilterRegexCost)
  (list "HERALD_PUBLIC_URL" $cfg.publicUrl)
  (list "HERALD_TRACE_URL_TEMPLATE" $cfg.traceUrlTemplate)
  (list "HERALD_PORTAL_MAX_TTL_SECONDS" $cfg.portalMaxTtlSeconds)
}}
{{- range $setting := $limits }}
{{- if include "herald.isSet" (index $setting 1) }}
- name: {{ index $setting 0 }}
  value: {{ include "herald.str" (index $setting 1) | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq .service "dispatcher" }}
{{- $breaker := $cfg.breaker | default dict }}
{{- $settings := list
  (list "HERALD_GLOBAL_CONCURRENCY" $cfg.globalConcurrency)
  (list "HERALD_ENDPOINT_CONCURRENCY" $cfg.endpointConcurrency)
  (list "HERALD_WORKSPACE_CONCURRENCY" $cfg.workspaceConcurrency)
  (list "HERALD_DEFAULT_TIMEOUT" $cfg.defaultTimeout)
  (list "HERALD_AUTO_DISABLE_AFTER" $cfg.autoDisableAfter)
  (list "HERALD_DISPATCHER_PARTITIONS_CONCURRENTLY" $cfg.partitionsConcurrently)
  (list "HERALD_CONNECTIONS_PER_ORIGIN" $cfg.connectionsPerOrigin)
  (list "HERALD_DISPATCH_SLOT_WAIT" $cfg.slotWait)
  (list "HERALD_DISPATCH_MAX_WAITING_PER_ENDPOINT" $cfg.maxWaitingPerEndpoint)
  (list "HERALD_DISPATCH_MAX_WAITING" $cfg.maxWaiting)
  (list "HERALD_DISPATCH_CATCH_UP_TIMEOUT" $cfg.catchUpTimeout)
  (list "HERALD_DISPATCH_BATCH_HOLD" $cfg.batchHold)
  (list "HERALD_DISPATCH_OUTPUT_LINGER" $cfg.outputLinger)
  (list "HERALD_FIFO_WAIT" $cfg.fifoWait)
  (list "HERALD_FIFO_LOST_AFTER" $cfg.fifoLostAfter)
  (list "HERALD_BREAKER_FAILURE_RATE" $breaker.failureRate)
  (list "HERALD_BREAKER_MIN_ATTEMPTS" $breaker.minAttempts)
  (list "HERALD_BREAKER_WINDOW" $breaker.window)
  (list "HERALD_BREAKER_OPEN_FOR" $breaker.openFor)
}}
{{- range $setting := $settings }}
{{- if include "herald.isSet" (index $setting 1) }}
- name: {{ index $setting 0 }}
  value: {{ include "herald.str" (index $setting 1) | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name, $value := $cfg.env }}
- name: {{ $name }}
  value: {{ include "herald.str" $value | quote }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with $cfg.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Volumes shared by every Herald pod: the /tmp emptyDir, the Kafka CA, the user's extras. */}}
{{- define "herald.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: {{ .Values.kafka.tls.caSecret.key }}
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "herald.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/herald/kafka-ca
  readOnly: true
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* ---- checks the schema cannot express ------------------------------------------------ */}}

{{- define "herald.validate" -}}
{{- $v := .Values -}}
{{- $enabled := list -}}
{{- range $s := include "herald.serviceNames" . | fromJsonArray }}{{ if (index $v $s).enabled }}{{ $enabled = append $enabled $s }}{{ end }}{{ end -}}
{{- if not $v.secrets.existingSecret -}}
{{- if or (has "api" $enabled) (has "dispatcher" $enabled) -}}
{{- $_ := required "secrets.masterKey is required (base64 of 32 random bytes: openssl rand -base64 32), or set secrets.existingSecret" $v.secrets.masterKey -}}
{{- end -}}
{{- if has "api" $enabled -}}
{{- $_ := required "secrets.adminToken is required, or set secrets.existingSecret" $v.secrets.adminToken -}}
{{- end -}}
{{- if or (has "api" $enabled) (has "projector" $enabled) $v.migrations.enabled -}}
{{- $_ := required "secrets.databaseUrl is required (postgres://user:password@host:5432/db), or set secrets.existingSecret" $v.secrets.databaseUrl -}}
{{- end -}}
{{- if $v.kafka.sasl.mechanism -}}
{{- $_ := required "secrets.kafkaSaslPassword is required when kafka.sasl.mechanism is set, or set secrets.existingSecret" $v.secrets.kafkaSaslPassword -}}
{{- end -}}
{{- end -}}
{{- if and $v.kafka.sasl.mechanism (not $v.kafka.sasl.username) -}}
{{- fail "kafka.sasl.username is required when kafka.sasl.mechanism is set" -}}
{{- end -}}
{{- if and $v.kafka.tls.caSecret.name (not $v.kafka.tls.enabled) -}}
{{- fail "kafka.tls.caSecret is set but kafka.tls.enabled is false" -}}
{{- end -}}
{{- $r := $v.retention -}}
{{- if gt (int $r.bodiesDays) (int $r.recordsDays) -}}
{{- fail (printf "retention.bodiesDays (%v) must be at most retention.recordsDays (%v)" $r.bodiesDays $r.recordsDays) -}}
{{- end -}}
{{- if or (lt (int $r.recordsDays) (int $r.minDays)) (gt (int $r.recordsDays) (int $r.maxDays)) -}}
{{- fail (printf "retention.recordsDays (%v) must lie within retention.minDays..maxDays (%v..%v)" $r.recordsDays $r.minDays $r.maxDays) -}}
{{- end -}}
{{- if not (has "compact" (splitList "," $v.topics.subscriptions.cleanupPolicy)) -}}
{{- fail "topics.subscriptions.cleanupPolicy must include compact: it is the changelog of every endpoint" -}}
{{- end -}}
{{- if has "delete" (splitList "," $v.topics.subscriptions.cleanupPolicy) -}}
{{- fail "topics.subscriptions.cleanupPolicy must not include delete: endpoints would vanish when their record ages out" -}}
{{- end -}}
{{- $window := $v.router.dedupeWindow | default "24h" -}}
{{- if and $v.topics.dedupe.retention (has "delete" (splitList "," $v.topics.dedupe.cleanupPolicy)) -}}
{{- if lt (include "herald.durationMs" $v.topics.dedupe.retention | int64) (include "herald.durationMs" $window | int64) -}}
{{- fail (printf "topics.dedupe.retention (%s) must be at least the dedupe window (%s, router.dedupeWindow)" $v.topics.dedupe.retention $window) -}}
{{- end -}}
{{- end -}}
{{- $tierMs := list -}}
{{- range $tier := $v.retry.tiers }}{{ $tierMs = append $tierMs (include "herald.durationMs" $tier) }}{{ end -}}
{{- range $delay := $v.retry.schedule -}}
{{- if not (has (include "herald.durationMs" $delay) $tierMs) -}}
{{- fail (printf "retry.schedule has %s but retry.tiers has no such tier: every retry delay needs its herald.retry.<delay> topic" $delay) -}}
{{- end -}}
{{- if eq (include "herald.durationMs" $delay) "0" -}}
{{- fail "retry.schedule lists the delays of retries after the immediate first attempt; remove the 0s entry" -}}
{{- end -}}
{{- end -}}
{{- range $tier := $v.retry.tiers -}}
{{- $label := include "herald.durationLabel" $tier -}}
{{- $delay := include "herald.durationMs" $tier | int64 -}}
{{- $spec := mergeOverwrite (omit (deepCopy $v.topics.retryTiers) "overrides") (include "herald.tierOverride" (dict "overrides" $v.topics.retryTiers.overrides "tier" $tier "label" $label) | fromJson) -}}
{{- if not $spec.retention -}}
{{- fail (printf "retry tier %s needs an explicit retention (topics.retryTiers.retention or its override)" $label) -}}
{{- end -}}
{{- $retention := include "herald.durationMs" $spec.retention | int64 -}}
{{- if lt $retention (mul 2 $delay) -}}
{{- fail (printf "topic herald.retry.%s: retention %s is shorter than twice its delay; records would expire before or soon after they are due" $label $spec.retention) -}}
{{- end -}}
{{- end -}}
{{- range $s := $enabled -}}
{{- $a := (index $v $s).autoscaling -}}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- fail (printf "%s.autoscaling.minReplicas is greater than maxReplicas" $s) -}}
{{- end -}}
{{- end -}}
{{- if not $enabled -}}
{{- fail "no service is enabled" -}}
{{- end -}}
{{- end -}}
