{{/*
The objects of one component (the gateway or a service): ServiceAccount, Deployment, Service(s),
HorizontalPodAutoscaler and PodDisruptionBudget. Call with (dict "root" $ "name" <component>);
templates/components.yaml loops over the components.
*/}}
{{- define "streamspace.component" -}}
{{- $root := .root }}
{{- $name := .name }}
{{- $values := get $root.Values $name }}
{{- $component := get (include "streamspace.componentTable" $root | fromYaml) $name }}
{{- $fullName := include "streamspace.componentName" . }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $fullName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "streamspace.labels" . | nindent 4 }}
  {{- with $values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ $component.kube }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $fullName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "streamspace.labels" . | nindent 4 }}
spec:
  {{- if not $values.autoscaling.enabled }}
  replicas: {{ $values.replicas }}
  {{- end }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "streamspace.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "streamspace.labels" . | nindent 8 }}
        {{- with $values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/secret: {{ include "streamspace.secretInputs" . }}
        {{- if $root.Values.metrics.podAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $component.metricsPort | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- with $values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $fullName }}
      automountServiceAccountToken: {{ $component.kube }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "streamspace.podSecurityContext" $root | nindent 8 }}
      {{- with $values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
      containers:
        - name: {{ $name }}
          image: {{ include "streamspace.image" (dict "root" $root "image" $values.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- include "streamspace.containerSecurityContext" $root | nindent 12 }}
          ports:
            - name: {{ $component.portName }}
              containerPort: {{ $component.port }}
              protocol: TCP
            - name: metrics
              containerPort: {{ $component.metricsPort }}
              protocol: TCP
          env:
            {{- include "streamspace.env" . | nindent 12 }}
            {{- with $values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- if eq $name "gateway" }}
          startupProbe:
            httpGet: {path: /livez, port: http}
            {{- toYaml $values.startupProbe | nindent 12 }}
          livenessProbe:
            httpGet: {path: /livez, port: http}
            {{- toYaml $values.livenessProbe | nindent 12 }}
          readinessProbe:
            httpGet: {path: /readyz, port: http}
            {{- toYaml $values.readinessProbe | nindent 12 }}
          {{- else }}
          startupProbe:
            grpc: {port: {{ $component.port }}}
            {{- toYaml $values.startupProbe | nindent 12 }}
          livenessProbe:
            grpc: {port: {{ $component.port }}}
            {{- toYaml $values.livenessProbe | nindent 12 }}
          readinessProbe:
            grpc: {port: {{ $component.port }}}
            {{- toYaml $values.readinessProbe | nindent 12 }}
          {{- end }}
          {{- with $values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: secrets
              mountPath: /run/secrets/streamspace
              readOnly: true
            {{- if eq $name "catalog" }}
            - name: cache
              mountPath: /var/cache/streamspace/catalog
            {{- end }}
            {{- with $values.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        - name: secrets
          secret:
            secretName: {{ include "streamspace.secretName" . }}
            defaultMode: 0440
        {{- if eq $name "catalog" }}
        - name: cache
          emptyDir:
            {{- with $values.cache.sizeLimit }}
            sizeLimit: {{ . }}
            {{- end }}
        {{- end }}
        {{- with $values.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- if eq $name "gateway" }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "streamspace.labels" . | nindent 4 }}
  {{- with $values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $values.service.type }}
  selector:
    {{- include "streamspace.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $values.service.port }}
      targetPort: http
      protocol: TCP
      {{- if and (has $values.service.type (list "NodePort" "LoadBalancer")) $values.service.nodePort }}
      nodePort: {{ $values.service.nodePort }}
      {{- end }}
---
{{- /* Metrics only, apart from the API's Service, so that a LoadBalancer never exposes them. */}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullName }}-metrics
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "streamspace.labels" . | nindent 4 }}
    streamspace.io/metrics: "true"
spec:
  clusterIP: None
  selector:
    {{- include "streamspace.selectorLabels" . | nindent 4 }}
  ports:
    - name: metrics
      port: {{ $component.metricsPort }}
      targetPort: metrics
      protocol: TCP
{{- else }}
---
{{- /*
Headless: the name resolves to every ready replica, and callers balance over them (the gateway
round-robin; GRPC_MAX_CONNECTION_AGE makes callers resolve again, so new replicas get their share).
*/}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "streamspace.labels" . | nindent 4 }}
    streamspace.io/metrics: "true"
spec:
  clusterIP: None
  selector:
    {{- include "streamspace.selectorLabels" . | nindent 4 }}
  ports:
    - name: grpc
      port: {{ $component.port }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
    - name: metrics
      port: {{ $component.metricsPort }}
      targetPort: metrics
      protocol: TCP
{{- end }}
{{- if $values.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $fullName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "streamspace.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $fullName }}
  minReplicas: {{ $values.autoscaling.minReplicas }}
  maxReplicas: {{ $values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $values.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- if $values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $fullName }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "streamspace.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "streamspace.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/*
A component's environment: what docker-compose.yml gives the same container, with the cluster's
names. Secrets come as <VARIABLE>_FILE (README.md, "Configuration").
*/}}
{{- define "streamspace.env" -}}
{{- $root := .root }}
{{- $name := .name }}
{{- $values := get $root.Values $name }}
{{- $table := include "streamspace.componentTable" $root | fromYaml }}
{{- $component := get $table $name -}}
- name: LOG_LEVEL
  value: {{ $root.Values.logLevel | quote }}
- name: LOG_FORMAT
  value: {{ $root.Values.logFormat | quote }}
- name: METRICS_PORT
  value: {{ $component.metricsPort | quote }}
{{- if eq $name "gateway" }}
- name: API_ADDRESS
  value: "0.0.0.0"
- name: API_PORT
  value: {{ $component.port | quote }}
- name: CORS_ALLOWED_ORIGINS
  value: {{ $values.corsAllowedOrigins | quote }}
- name: SESSION_COOKIE_SECURE
  value: {{ $values.sessionCookieSecure | quote }}
- name: GATEWAY_SHUTDOWN_DELAY
  value: {{ $values.shutdownDelay | quote }}
{{- else }}
- name: GRPC_ADDR
  value: {{ printf "0.0.0.0:%v" $component.port | quote }}
{{- end }}
- name: AUTH_ISSUER
  value: {{ $root.Values.tokens.issuer | quote }}
- name: AUTH_AUDIENCE
  value: {{ $root.Values.tokens.audience | quote }}
{{- range $peer := $component.calls }}
- name: {{ upper $peer }}_ADDR
  value: {{ printf "%s:%v" (include "streamspace.componentName" (dict "root" $root "name" $peer)) (get $table $peer).port | quote }}
{{- end }}
{{- range $key, $variable := $component.secrets }}
- name: {{ $variable }}_FILE
  value: /run/secrets/streamspace/{{ $key }}
{{- end }}
{{- if $component.database }}
- name: DB_HOST
  value: {{ include "streamspace.databaseHost" $root | quote }}
- name: DB_PORT
  value: {{ $root.Values.database.port | quote }}
- name: DB_NAME
  value: {{ $root.Values.database.name | quote }}
- name: DB_USER
  value: {{ ternary $name (get $root.Values.database.users $name) $root.Values.postgresql.enabled | quote }}
- name: DB_START_TIMEOUT
  value: {{ $root.Values.database.startTimeout | quote }}
{{- with $root.Values.database.sslMode }}
- name: PGSSLMODE
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if $component.kube }}
- name: NAMESPACE
  value: {{ include "streamspace.sessionsNamespace" $root | quote }}
{{- end }}
{{- if eq $name "session" }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: INGRESS_DOMAIN
  value: {{ $values.ingressDomain | quote }}
- name: INGRESS_CLASS
  value: {{ $values.ingressClass | quote }}
- name: STORAGE_CLASS
  value: {{ $values.storageClass | quote }}
- name: HOME_SIZE
  value: {{ $values.homeSize | quote }}
{{- end }}
{{- if eq $name "catalog" }}
- name: CATALOG_REPLICA_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: CATALOG_CACHE_DIR
  value: /var/cache/streamspace/catalog
- name: SYNC_INTERVAL
  value: {{ $values.syncInterval | quote }}
{{- end }}
{{- end }}
