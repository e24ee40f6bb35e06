// The one place an InferencePool and its endpoint picker (EPP) are rendered, for llm-d (which
// brings its own scheduler image and plugins) and for gateway routing of every other provider
// (the Inference Extension's reference EPP).
//
// Choices worth knowing:
// - Everything is named after the ModelDeployment: the pool `<md>`, the EPP's ServiceAccount,
//   Role, RoleBinding, Deployment and Service `<md>-epp`. HTTPRoutes find the pool by that name.
// - EPP pods carry `airunway.ai/endpoint-picker: <md>`, never `airunway.ai/model-deployment`:
//   Services, Deployments and pools select the model server pods by the latter, and an EPP pod
//   among them would receive inference traffic (and confuse rollout status).
// - The plugins configuration goes in as --config-text rather than a ConfigMap: the EPP reads it
//   only at start-up, so a change must roll the pod, which a change of the pod template does.
// - The EPP finds its pool's namespace in NAMESPACE (from the downward API), so the rendered
//   objects do not depend on where they are applied.
// - One replica with the Recreate strategy: the prefix-cache scorer keeps its index in memory,
//   and two active pickers would each see half the traffic (several replicas need leader
//   election, which the upstream chart also gates behind more RBAC).
// - The EPP serves gRPC with a self-signed certificate (its default), which Gateway
//   implementations expect; its /metrics keeps authentication on, so scraping it needs a
//   ClusterRole this package does not create.
// - failureMode FailOpen: when the EPP is down the Gateway still routes to some model server pod
//   rather than failing every request.
import { PINNED_GAIE_VERSION } from '@airunway/schema';
import type { ModelDeployment } from '@airunway/schema';
import type { Deployment, KubernetesObject, Service } from '../kubernetes.js';
import { defined, LABEL_MODEL_DEPLOYMENT, selectorLabels, sortedMap } from '../pod-spec.js';
import {
  fieldEnv,
  INFERENCE_GROUP,
  INFERENCE_X_GROUP,
  type ExtendedPodSpec,
  type InferencePool,
  type Role,
  type RoleBinding,
  type ServiceAccount,
  type SidecarCapableContainer,
} from './objects.js';

/** The Inference Extension's reference endpoint picker, at the version of the pinned CRDs. */
export const DEFAULT_EPP_IMAGE = `registry.k8s.io/gateway-api-inference-extension/epp:${PINNED_GAIE_VERSION}`;

export const EPP_GRPC_PORT = 9002;
export const EPP_HEALTH_PORT = 9003;
export const EPP_METRICS_PORT = 9090;
/** Longest grace of the model server pods it schedules for, as the upstream chart advises. */
export const EPP_TERMINATION_GRACE_SECONDS = 130;

/** On EPP pods instead of airunway.ai/model-deployment; selects them. */
export const LABEL_ENDPOINT_PICKER = 'airunway.ai/endpoint-picker';

/**
 * The Inference Extension's default scheduling (queue depth, KV-cache use, prefix-cache hits),
 * spelled out so the rendered config says what runs.
 */
export const DEFAULT_EPP_CONFIG = `apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: queue-scorer
- type: kv-cache-utilization-scorer
- type: prefix-cache-scorer
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: queue-scorer
    weight: 2
  - pluginRef: kv-cache-utilization-scorer
    weight: 2
  - pluginRef: prefix-cache-scorer
    weight: 3
`;

/** Name of the InferencePool of a ModelDeployment, whoever renders it. */
export function inferencePoolName(md: ModelDeployment): string {
  return md.metadata.name;
}

/** Name of the EPP's Deployment, Service, ServiceAccount, Role and RoleBinding. */
export function endpointPickerName(md: ModelDeployment): string {
  return `${md.metadata.name}-epp`;
}

/** Labels of EPP pods: the object labels minus airunway.ai/model-deployment, plus their own. */
export function endpointPickerPodLabels(
  md: ModelDeployment,
  objectLabels: Readonly<Record<string, string>>,
): Record<string, string> {
  return sortedMap({
    ...Object.fromEntries(Object.entries(objectLabels).filter(([key]) => key !== LABEL_MODEL_DEPLOYMENT)),
    [LABEL_ENDPOINT_PICKER]: md.metadata.name,
  });
}

export interface InferencePoolOptions {
  /** Labels of the pool object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Pod port the model server (or its routing sidecar) serves HTTP on. */
  readonly targetPort: number;
  /** Model server pods; defaults to `airunway.ai/model-deployment: <md>`. */
  readonly selector?: Readonly<Record<string, string>>;
}

export function inferencePool(md: ModelDeployment, options: InferencePoolOptions): InferencePool {
  return {
    apiVersion: 'inference.networking.k8s.io/v1',
    kind: 'InferencePool',
    metadata: defined({
      name: inferencePoolName(md),
      namespace: md.metadata.namespace,
      labels: { ...options.labels },
    }),
    spec: {
      selector: { matchLabels: sortedMap(options.selector ?? selectorLabels(md)) },
      targetPorts: [{ number: options.targetPort }],
      appProtocol: 'http',
      endpointPickerRef: {
        kind: 'Service',
        name: endpointPickerName(md),
        port: { number: EPP_GRPC_PORT },
        failureMode: 'FailOpen',
      },
    },
  };
}

export interface EndpointPickerOptions {
  /** Labels of the EPP objects (pods get endpointPickerPodLabels of them). */
  readonly labels: Readonly<Record<string, string>>;
  readonly image: string;
  /** EndpointPickerConfig YAML. */
  readonly config: string;
}

/**
 * The EPP in apply order: ServiceAccount, Role, RoleBinding, Deployment, Service. The Role lets
 * it read the pods and the InferencePool it schedules for, and the objectives and model
 * rewrites that refer to that pool.
 */
export function endpointPickerObjects(
  md: ModelDeployment,
  options: EndpointPickerOptions,
): KubernetesObject[] {
  const name = endpointPickerName(md);
  const metadata = () => defined({ name, namespace: md.metadata.namespace, labels: { ...options.labels } });
  const podLabels = endpointPickerPodLabels(md, options.labels);
  const selector = { [LABEL_ENDPOINT_PICKER]: md.metadata.name };
  const read = ['get', 'list', 'watch'];

  const serviceAccount: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata() };
  const role: Role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: metadata(),
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: read },
      { apiGroups: [INFERENCE_GROUP], resources: ['inferencepools'], verbs: read },
      {
        apiGroups: [INFERENCE_X_GROUP],
        resources: ['inferencemodelrewrites', 'inferenceobjectives'],
        verbs: read,
      },
    ],
  };
  const roleBinding: RoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: metadata(),
    subjects: [defined({ kind: 'ServiceAccount' as const, name, namespace: md.metadata.namespace })],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  };

  const container: SidecarCapableContainer = {
    name: 'epp',
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    args: [
      '--pool-name',
      inferencePoolName(md),
      '--pool-group',
      INFERENCE_GROUP,
      '--grpc-port',
      String(EPP_GRPC_PORT),
      '--grpc-health-port',
      String(EPP_HEALTH_PORT),
      '--metrics-port',
      String(EPP_METRICS_PORT),
      '--zap-encoder',
      'json',
      '--tracing=false',
      '--config-text',
      options.config,
    ],
    env: [fieldEnv('NAMESPACE', 'metadata.namespace'), fieldEnv('POD_NAME', 'metadata.name')],
    ports: [
      { name: 'grpc', containerPort: EPP_GRPC_PORT, protocol: 'TCP' },
      { name: 'grpc-health', containerPort: EPP_HEALTH_PORT, protocol: 'TCP' },
      { name: 'metrics', containerPort: EPP_METRICS_PORT, protocol: 'TCP' },
    ],
    // Scoring runs per request on the hot path; no CPU limit, so bursts are not throttled.
    resources: { limits: { memory: '4Gi' }, requests: { cpu: '500m', memory: '512Mi' } },
    // Readiness means the picker has synced its pool; liveness only that it answers.
    readinessProbe: { grpc: { port: EPP_HEALTH_PORT, service: 'readiness' }, periodSeconds: 2 },
    livenessProbe: {
      grpc: { port: EPP_HEALTH_PORT, service: 'liveness' },
      initialDelaySeconds: 5,
      periodSeconds: 10,
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
    },
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  const podSpec: ExtendedPodSpec = {
    serviceAccountName: name,
    automountServiceAccountToken: true,
    containers: [container],
    terminationGracePeriodSeconds: EPP_TERMINATION_GRACE_SECONDS,
    enableServiceLinks: false,
    securityContext: { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true },
  };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(),
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      strategy: { type: 'Recreate' },
      revisionHistoryLimit: 3,
      template: { metadata: { labels: podLabels }, spec: podSpec },
    },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'grpc-ext-proc', port: EPP_GRPC_PORT, targetPort: 'grpc', protocol: 'TCP' }],
    },
  };
  return [serviceAccount, role, roleBinding, deployment, service];
}
