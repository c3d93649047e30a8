{{/*
Names, labels and the table of components. Every per-component object is named
"<fullname>-<component>"; the components are the gateway and the five services.
*/}}

{{- define "streamspace.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release name, prefixed with the chart name unless it already holds it. */}}
{{- define "streamspace.fullname" -}}
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

{{/* "<fullname>-<component>"; call with (dict "root" $ "name" "session"). */}}
{{- define "streamspace.componentName" -}}
{{- printf "%s-%s" (include "streamspace.fullname" .root | trunc 40 | trimSuffix "-") .name }}
{{- end }}

{{- define "streamspace.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object; call with (dict "root" $ "name" <component or "">). */}}
{{- define "streamspace.labels" -}}
helm.sh/chart: {{ include "streamspace.chart" .root }}
{{ include "streamspace.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: streamspace
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "streamspace.selectorLabels" -}}
app.kubernetes.io/name: {{ include "streamspace.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}
{{- end }}

{{/*
The components: ports, whether they use Kubernetes and PostgreSQL, whom they call (each service's main.cc:
each <PEER>_ADDR a process reads), the keys of their Secret (what images/compose/make-secrets.sh
gives each container, less what the code never reads) and the secret variables read from them.
*/}}
{{- define "streamspace.componentTable" -}}
gateway:
  binary: gateway
  port: 8000
  portName: http
  metricsPort: 9100
  kube: false
  database: false
  calls: [auth, session, tracker, catalog, nodes]
  secrets: {service-secret: SERVICE_SECRET}
auth:
  binary: auth-service
  port: 9001
  portName: grpc
  metricsPort: 9101
  kube: false
  database: true
  calls: [session]
  secrets: {db-password: DB_PASSWORD, service-clients: SERVICE_CLIENTS, admin-password: ADMIN_PASSWORD}
session:
  binary: session-service
  port: 9002
  portName: grpc
  metricsPort: 9102
  kube: true
  database: true
  calls: [auth, tracker]
  secrets: {db-password: DB_PASSWORD, service-secret: SERVICE_SECRET}
tracker:
  binary: tracker-service
  port: 9003
  portName: grpc
  metricsPort: 9103
  kube: false
  database: true
  calls: [auth, session]
  secrets: {db-password: DB_PASSWORD, service-secret: SERVICE_SECRET}
catalog:
  binary: catalog-service
  port: 9004
  portName: grpc
  metricsPort: 9104
  kube: true
  database: true
  calls: [auth]
  secrets: {db-password: DB_PASSWORD, service-secret: SERVICE_SECRET, secret-key: CATALOG_SECRET_KEY}
nodes:
  binary: nodes-service
  port: 9005
  portName: grpc
  metricsPort: 9105
  kube: true
  database: false
  calls: [auth, session]
  secrets: {service-secret: SERVICE_SECRET}
{{- end }}

{{/* The components in a fixed order (maps range sorted; this keeps the gateway first). */}}
{{- define "streamspace.componentNames" -}}
[gateway, auth, session, tracker, catalog, nodes]
{{- end }}

{{/* The components that call `.name` (whom its NetworkPolicy admits), as a YAML list. */}}
{{- define "streamspace.callersOf" -}}
{{- $table := include "streamspace.componentTable" .root | fromYaml }}
{{- $callers := list }}
{{- range $caller := include "streamspace.componentNames" .root | fromYamlArray }}
{{- if has $.name (get $table $caller).calls }}
{{- $callers = append $callers $caller }}
{{- end }}
{{- end }}
{{- toYaml $callers }}
{{- end }}

{{/* The namespace the sessions, Sessions and Templates live in. */}}
{{- define "streamspace.sessionsNamespace" -}}
{{- default .Release.Namespace .Values.sessions.namespace }}
{{- end }}

{{/* An image reference; call with (dict "root" $ "image" <repository, tag>). */}}
{{- define "streamspace.image" -}}
{{- $registry := .root.Values.image.registry }}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- if $registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository (toString $tag) }}
{{- else }}
{{- printf "%s:%s" .image.repository (toString $tag) }}
{{- end }}
{{- end }}

{{/* The Secret a component reads: its existingSecret, or the one the chart makes. */}}
{{- define "streamspace.secretName" -}}
{{- $values := get .root.Values .name }}
{{- $values.existingSecret | default (include "streamspace.componentName" .) }}
{{- end }}

{{- define "streamspace.postgresql.secretName" -}}
{{- .Values.postgresql.existingSecret | default (include "streamspace.componentName" (dict "root" . "name" "postgresql")) }}
{{- end }}

{{/* The database host the services use: the trial PostgreSQL's Service, or database.host. */}}
{{- define "streamspace.databaseHost" -}}
{{- if .Values.postgresql.enabled }}
{{- include "streamspace.componentName" (dict "root" . "name" "postgresql") }}
{{- else }}
{{- .Values.database.host }}
{{- end }}
{{- end }}

{{/*
What the chart writes into a component's Secret, for the checksum annotation: the values that feed
it. Generated secrets are kept across upgrades, so they never change it.
*/}}
{{- define "streamspace.secretInputs" -}}
{{- $values := get .root.Values .name }}
{{- $inputs := dict "existingSecret" $values.existingSecret }}
{{- if hasKey .root.Values.database.passwords .name }}
{{- $_ := set $inputs "dbPassword" (get .root.Values.database.passwords .name | sha256sum) }}
{{- $_ := set $inputs "postgresql" .root.Values.postgresql.enabled }}
{{- end }}
{{- if eq .name "auth" }}
{{- $_ := set $inputs "adminPassword" (.root.Values.auth.adminPassword | sha256sum) }}
{{- $_ := set $inputs "clients" (include "streamspace.serviceClientSources" .root) }}
{{- end }}
{{- toJson $inputs | sha256sum }}
{{- end }}

{{/* Which Secret each service-token client's secret comes from (auth's checksum follows it). */}}
{{- define "streamspace.serviceClientSources" -}}
{{- range $name := list "gateway" "session" "tracker" "catalog" "nodes" }}
{{- $name }}={{ (get $.Values $name).existingSecret }};
{{- end }}
{{- end }}

{{/* The hardened pod and container security contexts of every pod. */}}
{{- define "streamspace.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "streamspace.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}
