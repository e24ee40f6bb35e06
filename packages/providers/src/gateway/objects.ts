// JSON shapes of the objects gateway routing and llm-d emit or read beyond those in
// ../kubernetes.ts: RBAC, the Gateway API Inference Extension kinds (InferencePool v1,
// InferenceModelRewrite v1alpha2), Gateway API HTTPRoute and Gateway v1, and the pod spec
// fields an endpoint picker and a routing sidecar need (gRPC probes, a service account, native
// sidecars). Only the fields this package uses; names and enum values are the upstream ones, so
// an object can be sent to the apiserver as is.
import type { Container, EnvVar, KubernetesObject, ObjectCondition, PodSpec, Probe } from '../kubernetes.js';

export const INFERENCE_GROUP = 'inference.networking.k8s.io';
export const INFERENCE_X_GROUP = 'inference.networking.x-k8s.io';
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

// ── pod spec additions ──────────────────────────────────────────────────────────────────

export interface ProbeWithGrpc extends Probe {
  grpc?: { port: number; service?: string };
}

export interface SidecarCapableContainer extends Container {
  startupProbe?: ProbeWithGrpc;
  readinessProbe?: ProbeWithGrpc;
  livenessProbe?: ProbeWithGrpc;
  /** `Always` on an init container makes it a native sidecar (runs beside the main containers). */
  restartPolicy?: 'Always';
}

export interface ExtendedPodSpec extends PodSpec {
  containers: SidecarCapableContainer[];
  initContainers?: SidecarCapableContainer[];
  serviceAccountName?: string;
}

// ── RBAC and ServiceAccount ─────────────────────────────────────────────────────────────

export interface ServiceAccount extends KubernetesObject {
  apiVersion: 'v1';
  kind: 'ServiceAccount';
  automountServiceAccountToken?: boolean;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface Role extends KubernetesObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'Role';
  rules: PolicyRule[];
}

export interface RoleBinding extends KubernetesObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'RoleBinding';
  subjects: { kind: 'ServiceAccount'; name: string; namespace?: string }[];
  roleRef: { apiGroup: 'rbac.authorization.k8s.io'; kind: 'Role'; name: string };
}

// ── Gateway API Inference Extension ─────────────────────────────────────────────────────

/** A condition as Gateway API and the Inference Extension report it. */
export interface RouteCondition extends ObjectCondition {
  observedGeneration?: number;
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
}

export interface ParentStatus {
  parentRef: ParentReference;
  controllerName?: string;
  conditions?: RouteCondition[];
}

export interface InferencePool extends KubernetesObject {
  apiVersion: 'inference.networking.k8s.io/v1';
  kind: 'InferencePool';
  spec: {
    selector: { matchLabels: Record<string, string> };
    targetPorts: { number: number }[];
    appProtocol?: 'http' | 'kubernetes.io/h2c';
    endpointPickerRef: {
      group?: string;
      kind?: string;
      name: string;
      port?: { number: number };
      failureMode?: 'FailOpen' | 'FailClose';
    };
  };
  status?: { parents?: ParentStatus[] };
}

export interface InferenceModelRewrite extends KubernetesObject {
  apiVersion: 'inference.networking.x-k8s.io/v1alpha2';
  kind: 'InferenceModelRewrite';
  spec: {
    poolRef: { group?: string; kind?: string; name: string };
    rules: {
      matches: { model: { type?: 'Exact'; value: string } }[];
      targets: { modelRewrite: string; weight?: number }[];
    }[];
  };
}

// ── Gateway API ─────────────────────────────────────────────────────────────────────────

export interface HTTPRouteMatch {
  path?: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  headers?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
}

export interface HTTPRoute extends KubernetesObject {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'HTTPRoute';
  spec: {
    parentRefs: ParentReference[];
    rules: {
      matches?: HTTPRouteMatch[];
      backendRefs?: { group?: string; kind?: string; name: string; namespace?: string; port?: number }[];
      timeouts?: { request?: string; backendRequest?: string };
    }[];
  };
  status?: { parents?: ParentStatus[] };
}

export interface GatewayListener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
}

export interface Gateway extends KubernetesObject {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'Gateway';
  spec?: { gatewayClassName?: string; listeners?: GatewayListener[] };
  status?: {
    addresses?: { type?: string; value: string }[];
    conditions?: RouteCondition[];
    listeners?: { name: string; conditions?: RouteCondition[] }[];
  };
}

/**
 * What choosing and addressing a Gateway needs — name, labels, listeners, status — and nothing
 * else: the copy watch caches keep (the operator's and the API's). Readers of the copy use only
 * these fields, hence the cast.
 */
export function slimGateway<T extends { apiVersion?: string; kind?: string; metadata: object }>(obj: T): T {
  const { metadata, spec, status } = obj as T & {
    metadata: Gateway['metadata'] & { resourceVersion?: string };
    spec?: { listeners?: unknown };
    status?: unknown;
  };
  const { name, namespace, uid, resourceVersion, labels } = metadata;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name, namespace, uid, resourceVersion, labels },
    spec: { listeners: spec?.listeners },
    status,
  } as unknown as T;
}

/** core/v1 EnvVar reading a field of the pod. */
export function fieldEnv(name: string, fieldPath: string): EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}
