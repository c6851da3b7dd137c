{{/* Names. The engine StatefulSet name ends up in every pod's controller-revision-hash label (at most 63
characters with a 10-character hash), hence the shorter prefix. */}}
{{- define "bourse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bourse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bourse.prefix" -}}
{{- include "bourse.fullname" . | trunc 40 | trimSuffix "-" }}
{{- end }}

{{- define "bourse.engine.name" -}}{{ include "bourse.prefix" . }}-engine{{- end }}
{{- define "bourse.engine.headless" -}}{{ include "bourse.prefix" . }}-engine{{- end }}
{{- define "bourse.engine.service" -}}{{ include "bourse.prefix" . }}-api{{- end }}
{{- define "bourse.operator.name" -}}{{ include "bourse.prefix" . }}-operator{{- end }}
{{- define "bourse.tradingOps.name" -}}{{ include "bourse.prefix" . }}-trading-ops{{- end }}

{{- define "bourse.secretName" -}}
{{- default (printf "%s-secrets" (include "bourse.prefix" .)) .Values.secrets.existingSecret }}
{{- end }}

{{- define "bourse.database.secretName" -}}
{{- default (printf "%s-database" (include "bourse.prefix" .)) .Values.database.existingSecret }}
{{- end }}

{{- define "bourse.leaseName" -}}
{{- default (include "bourse.operator.name" .) .Values.operator.leaseName }}
{{- end }}

{{- define "bourse.watchNamespace" -}}
{{- if .Values.operator.watchAllNamespaces }}{{- else }}{{ default .Release.Namespace .Values.operator.watchNamespace }}{{- end }}
{{- end }}

{{/* Labels */}}
{{- define "bourse.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "bourse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bourse
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "bourse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bourse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "bourse.engine.selectorLabels" -}}
{{ include "bourse.selectorLabels" . }}
app.kubernetes.io/component: engine
{{- end }}

{{- define "bourse.operator.selectorLabels" -}}
{{ include "bourse.selectorLabels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "bourse.engine.labels" -}}
{{ include "bourse.labels" . }}
app.kubernetes.io/component: engine
{{- end }}

{{- define "bourse.operator.labels" -}}
{{ include "bourse.labels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "bourse.engine.image" -}}
{{- printf "%s:%s" .Values.engine.image.repository (default .Chart.AppVersion .Values.engine.image.tag) }}
{{- end }}

{{- define "bourse.operator.image" -}}
{{- printf "%s:%s" .Values.operator.image.repository (default .Chart.AppVersion .Values.operator.image.tag) }}
{{- end }}

{{/* Where each engine pod reaches another shard's pod: its stable DNS name under the headless Service. */}}
{{- define "bourse.engine.shardUrlTemplate" -}}
{{- printf "http://%s-{shard}.%s.%s.svc.%s:%d" (include "bourse.engine.name" .) (include "bourse.engine.headless" .) .Release.Namespace .Values.clusterDomain (int .Values.engine.port) }}
{{- end }}

{{/* Values that would start an engine the chart cannot run correctly are refused here, with the fix. */}}
{{- define "bourse.validate" -}}
{{- if lt (int .Values.engine.shards) 1 }}
{{- fail "engine.shards must be at least 1" }}
{{- end }}
{{- if not (has .Values.engine.shardIdFrom (list "podIndexLabel" "hostname")) }}
{{- fail (printf "engine.shardIdFrom must be podIndexLabel or hostname, not %q" .Values.engine.shardIdFrom) }}
{{- end }}
{{- if and (eq .Values.engine.shardIdFrom "podIndexLabel") (semverCompare "<1.28.0-0" .Capabilities.KubeVersion.Version) }}
{{- fail (printf "Kubernetes %s has no apps.kubernetes.io/pod-index pod label (1.28+): set engine.shardIdFrom=hostname" .Capabilities.KubeVersion.Version) }}
{{- end }}
{{- if not (has .Values.database.sslMode (list "require" "verify-ca" "verify-full")) }}
{{- fail (printf "database.sslMode must be require, verify-ca or verify-full (the engine's prod profile refuses %q)" .Values.database.sslMode) }}
{{- end }}
{{- if and .Values.database.url (not (hasPrefix "jdbc:postgresql:" .Values.database.url)) }}
{{- fail (printf "database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), not %q" .Values.database.url) }}
{{- end }}
{{- if and .Values.database.password .Values.database.existingSecret }}
{{- fail "set database.password or database.existingSecret, not both" }}
{{- end }}
{{- if and .Values.database.secretKeys.url (not .Values.database.existingSecret) }}
{{- fail "database.secretKeys.url needs database.existingSecret" }}
{{- end }}
{{- if and .Values.redis.existingSecret .Values.redis.addr }}
{{- fail "set redis.addr or redis.existingSecret, not both" }}
{{- end }}
{{- if not (regexMatch "-Xmx[0-9]+[kKmMgG]?( |$)" .Values.engine.javaOpts) }}
{{- fail "engine.javaOpts must set the heap size (-Xmx...): the JVM's default would size itself from the memory limit and leave no room for direct buffers" }}
{{- end }}
{{- $managed := dict "BOURSE_PROFILE" "the chart runs the prod profile" "HOST" "the chart listens on 0.0.0.0" "PORT" "engine.port" "SHARD_ID" "engine.shardIdFrom" "SHARD_URL_TEMPLATE" "the chart derives it from the headless Service" "SHARD_PEERS" "the chart derives SHARD_URL_TEMPLATE from the headless Service" "DB_URL" "database.url" "DB_USER" "database.user" "DB_SSL_MODE" "database.sslMode" "DB_MAX_OPEN_CONNS" "database.pool.maxOpenConns" "DB_MIN_IDLE_CONNS" "database.pool.minIdleConns" "DB_CONN_MAX_LIFETIME" "database.pool.connMaxLifetime" "DB_CONN_TIMEOUT" "database.pool.connTimeout" "REDIS_ADDR" "redis.addr" "REDIS_KEY_PREFIX" "redis.keyPrefix" "DEMO_DATA" "demo data is off in production" "JAVA_OPTS" "engine.javaOpts" "JDK_JAVA_OPTIONS" "engine.javaOpts" }}
{{- $secret := list "INTERNAL_TOKEN" "ADMIN_TOKEN" "AUTH_TOKEN_SECRET" "DB_PASSWORD" }}
{{- range $k, $v := .Values.engine.settings }}
{{- if has $k $secret }}
{{- fail (printf "engine.settings.%s: secrets do not belong in a ConfigMap; use secrets.existingSecret or database.existingSecret" $k) }}
{{- end }}
{{- if hasKey $managed $k }}
{{- fail (printf "engine.settings.%s is set by the chart: use %s" $k (get $managed $k)) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The engine container's environment: everything secret comes from Secrets, the rest from the ConfigMap. */}}
{{- define "bourse.engine.env" -}}
{{- if eq .Values.engine.shardIdFrom "podIndexLabel" }}
- name: SHARD_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
{{- end }}
- name: INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "bourse.secretName" . }}
      key: {{ .Values.secrets.keys.internalToken }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "bourse.secretName" . }}
      key: {{ .Values.secrets.keys.adminToken }}
- name: AUTH_TOKEN_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "bourse.secretName" . }}
      key: {{ .Values.secrets.keys.authTokenSecret }}
{{- if and .Values.database.existingSecret .Values.database.secretKeys.url }}
- name: DB_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "bourse.database.secretName" . }}
      key: {{ .Values.database.secretKeys.url }}
{{- end }}
{{- if and .Values.database.existingSecret .Values.database.secretKeys.user }}
- name: DB_USER
  valueFrom:
    secretKeyRef:
      name: {{ include "bourse.database.secretName" . }}
      key: {{ .Values.database.secretKeys.user }}
{{- end }}
{{- if or .Values.database.password (and .Values.database.existingSecret .Values.database.secretKeys.password) }}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bourse.database.secretName" . }}
      key: {{ ternary .Values.database.secretKeys.password "password" (not (empty .Values.database.existingSecret)) }}
{{- end }}
{{- if .Values.redis.existingSecret }}
- name: REDIS_ADDR
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.secretKey }}
{{- end }}
- name: JAVA_OPTS
  value: {{ .Values.engine.javaOpts | quote }}
- name: JDK_JAVA_OPTIONS
  value: "$(JAVA_OPTS)"
{{- with .Values.engine.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The engine's non-secret settings (the ConfigMap's data). Their checksum is part of the pod template: a settings
change, and only that (not a new chart version), makes the operator roll the engine pods. */}}
{{- define "bourse.engine.settings" -}}
BOURSE_PROFILE: prod
HOST: 0.0.0.0
PORT: {{ .Values.engine.port | quote }}
DEMO_DATA: "false"
SHARD_URL_TEMPLATE: {{ include "bourse.engine.shardUrlTemplate" . | quote }}
{{- if not (and .Values.database.existingSecret .Values.database.secretKeys.url) }}
{{- with .Values.database.url }}
DB_URL: {{ . | quote }}
{{- end }}
{{- end }}
{{- if not (and .Values.database.existingSecret .Values.database.secretKeys.user) }}
{{- with .Values.database.user }}
DB_USER: {{ . | quote }}
{{- end }}
{{- end }}
DB_SSL_MODE: {{ .Values.database.sslMode | quote }}
DB_MAX_OPEN_CONNS: {{ .Values.database.pool.maxOpenConns | quote }}
DB_MIN_IDLE_CONNS: {{ .Values.database.pool.minIdleConns | quote }}
DB_CONN_MAX_LIFETIME: {{ .Values.database.pool.connMaxLifetime | quote }}
DB_CONN_TIMEOUT: {{ .Values.database.pool.connTimeout | quote }}
{{- with .Values.redis.addr }}
REDIS_ADDR: {{ . | quote }}
{{- end }}
REDIS_KEY_PREFIX: {{ .Values.redis.keyPrefix | quote }}
{{- range $k, $v := .Values.engine.settings }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end }}
