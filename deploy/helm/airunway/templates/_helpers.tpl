{{/*
Naming and labels shared by every component. Components (operator, api, and any added later)
call these with a dict: (dict "root" $ "component" "operator"), so adding one needs no new helper.
*/}}

{{- define "airunway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name; the component suffix is added by airunway.componentName. */}}
{{- define "airunway.fullname" -}}
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

{{/* "<fullname>-<component>", within the 63 characters a label value and a DNS label allow. */}}
{{- define "airunway.componentName" -}}
{{- $base := include "airunway.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-" }}
{{- printf "%s-%s" $base .component }}
{{- end }}

{{- define "airunway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object. managed-by is Helm's: the operator treats objects labelled
app.kubernetes.io/managed-by=airunway as its own children, and none of these are.
*/}}
{{- define "airunway.labels" -}}
helm.sh/chart: {{ include "airunway.chart" . }}
app.kubernetes.io/name: {{ include "airunway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: airunway
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "airunway.componentLabels" -}}
{{ include "airunway.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Immutable once a Deployment exists: only name, instance and component. */}}
{{- define "airunway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "airunway.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The ServiceAccount of a component: its own, or the name given when the chart does not create it. */}}
{{- define "airunway.serviceAccountName" -}}
{{- $sa := (index .root.Values .component).serviceAccount }}
{{- if $sa.create }}
{{- default (include "airunway.componentName" .) $sa.name }}
{{- else }}
{{- required (printf "%s.serviceAccount.name is required when %s.serviceAccount.create is false" .component .component) $sa.name }}
{{- end }}
{{- end }}

{{/*
Image reference of a component: registry/repository, then @digest when given (immutable), else
:tag, else :appVersion. Never a moving tag by default.
*/}}
{{- define "airunway.image" -}}
{{- $image := (index .root.Values .component).image }}
{{- $registry := default .root.Values.image.registry $image.registry }}
{{- $repository := ternary $image.repository (printf "%s/%s" $registry $image.repository) (empty $registry) }}
{{- if $image.digest }}
{{- printf "%s@%s" $repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag | toString) }}
{{- end }}
{{- end }}

{{/* The version the process reports about itself: the image tag, or the chart's appVersion. */}}
{{- define "airunway.version" -}}
{{- $image := (index .root.Values .component).image }}
{{- default .root.Chart.AppVersion $image.tag | toString }}
{{- end }}

{{/* Pod-level security context shared by every component. */}}
{{- define "airunway.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{/* Container-level security context shared by every component. */}}
{{- define "airunway.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}

{{/*
Scheduling settings of a component's pods. Without explicit topologySpreadConstraints, replicas
are spread over nodes when possible (ScheduleAnyway), so one node going away never takes all.
*/}}
{{- define "airunway.scheduling" -}}
{{- $c := index .root.Values .component }}
{{- with $c.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $c.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml $c.topologySpreadConstraints | nindent 2 }}
{{- else if gt (int $c.replicas) 1 }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "airunway.selectorLabels" . | nindent 8 }}
{{- end }}
{{- end }}

{{/*
The PodDisruptionBudget of a component: maxUnavailable rather than minAvailable, so a drain
can always proceed one pod at a time whatever the replica count.
*/}}
{{- define "airunway.podDisruptionBudget" -}}
{{- $c := index .root.Values .component }}
{{- if and $c.podDisruptionBudget.enabled (gt (int $c.replicas) 1) }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "airunway.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "airunway.componentLabels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $c.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "airunway.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* The ServiceAccount of a component. Tokens are mounted by the pod spec, not by default. */}}
{{- define "airunway.serviceAccount" -}}
{{- $sa := (index .root.Values .component).serviceAccount }}
{{- if $sa.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "airunway.serviceAccountName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "airunway.componentLabels" . | nindent 4 }}
  {{- with $sa.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end }}
{{- end }}

{{/* The operator's Lease. */}}
{{- define "airunway.leaseName" -}}
{{- default (include "airunway.componentName" (dict "root" . "component" "operator")) .Values.operator.leaderElection.leaseName }}
{{- end }}
