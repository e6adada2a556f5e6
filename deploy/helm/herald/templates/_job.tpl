{{/*
A hook Job running one `herald <command>`: dict "ctx" $ "command" "migrate" "job" <values>
"weight" "-10" "env" <extra env YAML>. Hooks run before the release's ConfigMap, Secret and
ServiceAccount exist, so configuration is inlined and secrets come from the hook Secret.
*/}}
{{- define "herald.hookJob" -}}
{{- $ctx := .ctx -}}
{{- $v := $ctx.Values -}}
{{- $job := .job -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "herald.componentName" (dict "ctx" $ctx "component" .command) }}
  labels:
    {{- include "herald.labels" (dict "ctx" $ctx "component" .command) | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: {{ .weight | quote }}
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ $job.backoffLimit }}
  activeDeadlineSeconds: {{ $job.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "herald.labels" (dict "ctx" $ctx "component" .command) | nindent 8 }}
      {{- with $job.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "herald.hookServiceAccountName" $ctx }}
      automountServiceAccountToken: false
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $v.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .command }}
          image: {{ include "herald.image" $ctx | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          args: [{{ .command | quote }}]
          env:
            {{- range $name, $value := include "herald.commonConfig" $ctx | fromJson }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
            - name: OTEL_SERVICE_NAME
              value: {{ printf "%s-%s" $v.otel.serviceNamePrefix .command | quote }}
            {{- if $v.kafka.sasl.mechanism }}
            {{- include "herald.secretEnv" (dict "ctx" $ctx "name" "KAFKA_SASL_PASSWORD" "optional" true "hook" true) | nindent 12 }}
            {{- end }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          resources:
            {{- toYaml $job.resources | nindent 12 }}
          securityContext:
            {{- toYaml $v.securityContext | nindent 12 }}
          volumeMounts:
            {{- include "herald.volumeMounts" $ctx | nindent 12 }}
      volumes:
        {{- include "herald.volumes" $ctx | nindent 8 }}
      {{- with $job.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $job.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $job.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
