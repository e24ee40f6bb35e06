// The JSON shapes of the Kubernetes objects providers emit (Deployment, Service) and read
// back (Deployment, ReplicaSet, Pod, Event) — only the fields this package uses. They are
// local on purpose: this package does no I/O and depends on @airunway/schema alone, and a
// wire-shaped type (timestamps are RFC 3339 strings) is what the operator's caches hold.
//
// Every field name and enum value here is the apps/v1 or core/v1 one, so a rendered object
// can be sent to the apiserver as is.
import type { ModelDeploymentSpec } from '@airunway/schema';

/** core/v1 EnvVar, as the ModelDeployment API accepts it (value or valueFrom). */
export type EnvVar = NonNullable<ModelDeploymentSpec['env']>[number];
/** core/v1 Toleration, as the ModelDeployment API accepts it. */
export type Toleration = NonNullable<ModelDeploymentSpec['tolerations']>[number];

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any Kubernetes object: what `render` returns and the operator applies. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

/** A condition as the built-in kinds report it (Deployment, Pod, ReplicaSet). */
export interface ObjectCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | (string & {});
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

// ── pod template ────────────────────────────────────────────────────────────────────────

export type ResourceList = Record<string, string>;

export interface ResourceRequirements {
  limits?: ResourceList;
  requests?: ResourceList;
}

export interface HTTPGetAction {
  path: string;
  port: number | string;
  scheme?: 'HTTP' | 'HTTPS';
}

export interface Probe {
  httpGet?: HTTPGetAction;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export interface SecurityContext {
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  seccompProfile?: { type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; localhostProfile?: string };
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: SecurityContext;
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: '' | 'Memory'; sizeLimit?: string };
}

export interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { seccompProfile?: SecurityContext['seccompProfile']; runAsNonRoot?: boolean };
  enableServiceLinks?: boolean;
  automountServiceAccountToken?: boolean;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
}

export interface PodTemplateSpec {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

// ── apps/v1 Deployment and ReplicaSet ───────────────────────────────────────────────────

export interface DeploymentStrategy {
  type: 'RollingUpdate' | 'Recreate';
  rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}

export interface Deployment extends KubernetesObject {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    strategy?: DeploymentStrategy;
    progressDeadlineSeconds?: number;
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: ObjectCondition[];
  };
}

export interface ReplicaSet {
  metadata: ObjectMeta & { ownerReferences?: { kind: string; name: string; uid?: string }[] };
  spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> } } };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

// ── core/v1 Service, Pod, Event ─────────────────────────────────────────────────────────

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface Service extends KubernetesObject {
  apiVersion: 'v1';
  kind: 'Service';
  spec: {
    type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    selector: Record<string, string>;
    ports: ServicePort[];
  };
}

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}

export interface ContainerStateTerminated {
  reason?: string;
  message?: string;
  exitCode?: number;
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: { waiting?: ContainerStateWaiting; running?: object; terminated?: ContainerStateTerminated };
  lastState?: { terminated?: ContainerStateTerminated };
}

export interface Pod {
  metadata: ObjectMeta;
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    reason?: string;
    message?: string;
    conditions?: ObjectCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/**
 * An Event in either API: core/v1 (`involvedObject`, `message`, `lastTimestamp`) or
 * events.k8s.io/v1 (`regarding`, `note`, `eventTime`/`series.lastObservedTime`).
 */
export interface ObservedEvent {
  type?: 'Normal' | 'Warning' | (string & {});
  reason?: string;
  message?: string;
  note?: string;
  involvedObject?: { kind?: string; name?: string };
  regarding?: { kind?: string; name?: string };
  lastTimestamp?: string;
  eventTime?: string;
  series?: { lastObservedTime?: string };
}
