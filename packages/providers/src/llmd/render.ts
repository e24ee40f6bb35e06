// llm-d: vLLM Deployments behind an InferencePool whose endpoint picker is the llm-d inference
// scheduler (prefix-cache aware; prefill/decode aware when disaggregated). Nothing but the
// Inference Extension CRDs needs to be installed: the operator applies every object.
//
// Objects, in apply order (every name derives from the ModelDeployment `<md>`):
//   ServiceAccount, Role, RoleBinding `<md>-epp`   the scheduler's identity (reads pods, pool)
//   Deployment, Service `<md>-epp`                 the scheduler (EPP), gRPC on 9002
//   InferencePool `<md>`                           all model server pods, port 8000
//   Deployment `<md>`                              aggregated: vLLM on 8000
//   Deployment `<md>-prefill`, `<md>-decode`       disaggregated: vLLM prefill workers on 8000;
//                                                  decode workers with the routing sidecar on
//                                                  8000 in front of vLLM on 8200
//   Service `<md>`                                 decode (or aggregated) pods, port 8000
//
// Disaggregated serving, as llm-d does it. Every request goes to a decode pod: the scheduler picks
// the decode pod and, when the prompt's uncached part is long enough (`nonCachedTokens`), a
// prefill pod, which it names in the x-prefiller-host-port header. The decode pod's routing
// sidecar then sends the prompt to that prefill pod (max_tokens 1), receives the KV-transfer
// parameters and has its own vLLM pull the KV cache over NIXL and decode. Without the header the
// sidecar passes the request to its vLLM, which prefills itself. Both vLLMs run the NIXL connector
// with kv_role kv_both (the role vLLM's NIXL connector documents for both sides), find each other
// through VLLM_NIXL_SIDE_CHANNEL_HOST (the pod IP) on the default side-channel port 5600, and use
// the same flags otherwise.
//
// The sidecar runs without its SSRF protection (--enable-ssrf-protection, an allowlist of the
// pool's pods): in v0.8.0 it reads the pool's selector in the v1alpha2 shape, so with a v1
// InferencePool the allowlist stays empty and every disaggregated request would be refused. Until
// that is fixed, whoever can reach a decode pod can have its sidecar send a prefill request to an
// address of their choosing (x-prefiller-host-port); the sidecar needs no Kubernetes credentials.
//
// The endpoint (status.endpoint) is the Service `<md>`:8000, which reaches the model without a
// Gateway (requests then skip the scheduler: no prefix-cache affinity, and disaggregated decode
// pods prefill locally). Through a Gateway, gatewayObjects routes to the InferencePool and the
// scheduler takes part; status.gateway reports that address.
//
// Pod, probe and rollout choices are Direct vLLM's (see ../vllm/render.ts), reusing its
// constants; the llm-d role label (llm-d.ai/role: prefill|decode) is what the scheduler's
// prefill and decode filters select on.
import type { FieldError, ModelDeployment, ModelDeploymentSpec } from '@airunway/schema';
import { checkSupport, servingRequest } from '../catalogue.js';
import { engineArgs, reservedFlagErrors, setsFlag, type ReservedFlag } from '../engine-args.js';
import { endpointPickerObjects, inferencePool } from '../gateway/epp.js';
import { fieldEnv, type ExtendedPodSpec, type SidecarCapableContainer } from '../gateway/objects.js';
import type { Deployment, EnvVar, KubernetesObject, Service, Volume, VolumeMount } from '../kubernetes.js';
import { mergePatch, readOverrides, type OverrideField } from '../overrides.js';
import {
  aggregatedResources,
  containerEnv,
  containerResources,
  defined,
  envErrors,
  nodeSelector,
  objectLabels,
  podAnnotations,
  podLabels,
  selectorLabels,
  sortedMap,
  tolerations,
  type PodResources,
} from '../pod-spec.js';
import type { RenderContext, RenderResult } from '../provider.js';
import {
  DEFAULT_VLLM_IMAGE,
  PROGRESS_DEADLINE_SECONDS,
  shmSizeLimit,
  STARTUP_FAILURE_THRESHOLD,
  STARTUP_PERIOD_SECONDS,
  TERMINATION_GRACE_PERIOD_SECONDS,
  VLLM_CONTAINER,
  VLLM_HEALTH_PATH,
  VLLM_PORT,
  vllmImage,
} from '../vllm/render.js';

/** The llm-d inference scheduler (endpoint picker), built on Inference Extension v1.5.0. */
export const LLMD_SCHEDULER_IMAGE = 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.8.0';
/** The routing sidecar of decode pods, released with the scheduler. */
export const LLMD_ROUTING_SIDECAR_IMAGE = 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.8.0';

/** The label the scheduler's prefill and decode filters select on. */
export const LLMD_ROLE_LABEL = 'llm-d.ai/role';
/** Tells the endpoint picker which engine's metrics a pod exposes. */
export const ENGINE_TYPE_LABEL = 'inference.networking.k8s.io/engine-type';

/** Port of every pod in the pool: vLLM, or on decode pods the routing sidecar. */
export const LLMD_PORT = VLLM_PORT;
/** vLLM's port on decode pods, behind the routing sidecar. */
export const DECODE_VLLM_PORT = 8200;
/** vLLM's default NIXL side-channel port, declared on the pods for visibility. */
export const NIXL_SIDE_CHANNEL_PORT = 5600;
export const KV_TRANSFER_CONFIG = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';
/** Uncached prompt tokens from which prefill moves to a prefill worker (llm-d's sample value). */
export const DEFAULT_NON_CACHED_TOKENS = 16;

const ROUTING_SIDECAR = 'routing-sidecar';
const CACHE_PATH = '/model-cache';

/** provider.overrides keys llm-d knows, besides `patch` (merged into the decode Deployment). */
export const LLMD_OVERRIDE_FIELDS: readonly OverrideField[] = [
  {
    path: 'endpointPicker.image',
    type: 'string',
    description: `Image of the llm-d scheduler (endpoint picker), e.g. a mirror of ${LLMD_SCHEDULER_IMAGE}.`,
  },
  {
    path: 'routingSidecar.image',
    type: 'string',
    description: `Image of the routing sidecar of decode pods (disaggregated), e.g. a mirror of ${LLMD_ROUTING_SIDECAR_IMAGE}.`,
  },
  {
    path: 'disaggregation.nonCachedTokens',
    type: 'integer',
    minimum: 1,
    description:
      'Disaggregated: a request is prefilled on a prefill worker when at least this many of its prompt tokens ' +
      `are not in the chosen decode pod's prefix cache; shorter ones prefill on the decode pod. Default ${DEFAULT_NON_CACHED_TOKENS}.`,
  },
];

/** Flags llm-d sets itself: the Service, the pool, the sidecar and the probes depend on them. */
export function llmdReservedFlags(spec: ModelDeploymentSpec): ReservedFlag[] {
  const flags: ReservedFlag[] = [
    {
      name: 'host',
      why: 'provider llmd listens on 0.0.0.0 so the pool and the Service can reach the server',
    },
    {
      name: 'port',
      why: `provider llmd serves on port ${LLMD_PORT}, which its pool, Service and probes use`,
    },
  ];
  if (spec.serving.mode === 'disaggregated') {
    flags.push({
      name: 'kv-transfer-config',
      why: 'provider llmd connects prefill and decode workers with the NIXL connector itself',
    });
  }
  return flags;
}

/** The scheduler configuration: prefix-cache affinity balanced against load. */
export const LLMD_AGGREGATED_EPP_CONFIG = `apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: decode-filter
- type: prefix-cache-scorer
- type: queue-scorer
- type: kv-cache-utilization-scorer
- type: max-score-picker
- type: single-profile-handler
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: decode-filter
  - pluginRef: prefix-cache-scorer
    weight: 3
  - pluginRef: queue-scorer
    weight: 2
  - pluginRef: kv-cache-utilization-scorer
    weight: 2
  - pluginRef: max-score-picker
`;

/**
 * The disaggregated scheduler configuration: the disagg profile handler always runs the decode
 * profile and, when the prefix-based decider says the uncached prompt is long enough, the
 * prefill profile; the headers handler passes the chosen prefill pod to the routing sidecar.
 * The decider reads prefix-cache data prepared per request, hence the prepareDataPlugins gate.
 */
export function llmdDisaggregatedEppConfig(nonCachedTokens: number): string {
  return `apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
featureGates:
- prepareDataPlugins
plugins:
- type: disagg-headers-handler
- type: prefill-filter
- type: decode-filter
- type: prefix-cache-scorer
- type: queue-scorer
- type: max-score-picker
- type: prefix-based-pd-decider
  parameters:
    nonCachedTokens: ${nonCachedTokens}
- type: disagg-profile-handler
  parameters:
    deciders:
      prefill: prefix-based-pd-decider
schedulingProfiles:
- name: prefill
  plugins:
  - pluginRef: prefill-filter
  - pluginRef: prefix-cache-scorer
    weight: 2
  - pluginRef: queue-scorer
    weight: 1
  - pluginRef: max-score-picker
- name: decode
  plugins:
  - pluginRef: decode-filter
  - pluginRef: prefix-cache-scorer
    weight: 2
  - pluginRef: queue-scorer
    weight: 1
  - pluginRef: max-score-picker
`;
}

// ── naming ──────────────────────────────────────────────────────────────────────────────

export type LlmdRole = 'prefill' | 'decode';

/** The Deployment of each role: `<md>` aggregated; `<md>-prefill` and `<md>-decode` disaggregated. */
export function llmdDeploymentName(md: ModelDeployment, role: LlmdRole): string {
  return md.spec.serving.mode === 'disaggregated' ? `${md.metadata.name}-${role}` : md.metadata.name;
}

/** The selector of one role's pods. Aggregated pods are decode pods to the scheduler. */
export function llmdSelector(md: ModelDeployment, role: LlmdRole): Record<string, string> {
  return sortedMap({ ...selectorLabels(md), [LLMD_ROLE_LABEL]: role });
}

// ── validation ──────────────────────────────────────────────────────────────────────────

/** Why llm-d cannot run `md` with `context.engine`; empty when it can. */
export function validateLlmd(md: ModelDeployment, context: RenderContext): FieldError[] {
  const { spec } = md;
  const unsupported = checkSupport('llmd', servingRequest(spec, context.engine));
  if (unsupported) {
    const path = {
      EngineNotSupported: 'spec.engine.type',
      ModeNotSupported: 'spec.serving.mode',
      GpuRequired: 'spec.resources.gpu.count',
    }[unsupported.reason];
    return [{ path, message: unsupported.message }];
  }
  const errors: FieldError[] = [...envErrors(spec), ...reservedFlagErrors(spec, llmdReservedFlags(spec))];
  const { args, extraArgs } = spec.engine;
  if (spec.model.id === undefined && !setsFlag(args, extraArgs, '--model')) {
    errors.push({
      path: 'spec.model.id',
      message:
        'provider llmd needs the model to serve: set model.id (with source custom, the path of the model in ' +
        'the image) or engine.args.model',
    });
  }
  if (spec.model.source === 'custom' && spec.engine.image === undefined && spec.image === undefined) {
    errors.push({
      path: 'spec.engine.image',
      message:
        `model.source custom serves a model built into the image, but no image is set and ${DEFAULT_VLLM_IMAGE} ` +
        'contains none: set engine.image',
    });
  }
  if (spec.serving.mode === 'disaggregated') {
    for (const role of ['prefill', 'decode'] as const) {
      if ((spec.scaling[role]?.gpu?.count ?? 0) < 1) {
        errors.push({
          path: `spec.scaling.${role}.gpu.count`,
          message: `provider llmd runs ${role} workers on GPUs: set scaling.${role}.gpu.count to 1 or more`,
        });
      }
    }
  }
  const overrides = readOverrides(spec, 'llmd', LLMD_OVERRIDE_FIELDS);
  if (!overrides.ok) errors.push(...overrides.errors);
  return errors;
}

// ── render ──────────────────────────────────────────────────────────────────────────────

interface Worker {
  readonly role: LlmdRole;
  readonly name: string;
  readonly component: string;
  readonly replicas: number;
  readonly resources: PodResources;
}

function workers(md: ModelDeployment): Worker[] {
  const { spec } = md;
  if (spec.serving.mode !== 'disaggregated') {
    return [
      {
        role: 'decode',
        name: llmdDeploymentName(md, 'decode'),
        component: 'model-server',
        replicas: spec.scaling.replicas ?? 1,
        resources: aggregatedResources(spec),
      },
    ];
  }
  return (['prefill', 'decode'] as const).map((role) => {
    const scaling = spec.scaling[role];
    return {
      role,
      name: llmdDeploymentName(md, role),
      component: `${role}-worker`,
      replicas: scaling?.replicas ?? 1,
      resources: {
        gpuCount: scaling?.gpu?.count ?? 0,
        gpuType: scaling?.gpu?.type ?? spec.resources.gpu.type,
        memory: scaling?.memory ?? spec.resources.memory,
        cpu: spec.resources.cpu,
      },
    };
  });
}

/** The objects of a ModelDeployment on llm-d, or validation errors. */
export function renderLlmd(md: ModelDeployment, context: RenderContext): RenderResult {
  const errors = validateLlmd(md, context);
  const overrides = readOverrides(md.spec, 'llmd', LLMD_OVERRIDE_FIELDS);
  if (errors.length > 0 || !overrides.ok) return { ok: false, errors };

  const { spec } = md;
  const disaggregated = spec.serving.mode === 'disaggregated';
  const stringOverride = (path: string) => {
    const value = overrides.values.get(path);
    return typeof value === 'string' ? value : undefined;
  };
  const nonCachedTokens = overrides.values.get('disaggregation.nonCachedTokens');
  const notes: string[] = [];
  if (!disaggregated) {
    for (const path of ['routingSidecar.image', 'disaggregation.nonCachedTokens']) {
      if (overrides.values.has(path)) {
        notes.push(`provider.overrides.${path} has no effect in aggregated mode`);
      }
    }
  }

  const objects: KubernetesObject[] = [
    ...endpointPickerObjects(md, {
      labels: objectLabels(md, { provider: 'llmd', engine: 'vllm', component: 'endpoint-picker' }),
      image: stringOverride('endpointPicker.image') ?? LLMD_SCHEDULER_IMAGE,
      config: disaggregated
        ? llmdDisaggregatedEppConfig(
            typeof nonCachedTokens === 'number' ? nonCachedTokens : DEFAULT_NON_CACHED_TOKENS,
          )
        : LLMD_AGGREGATED_EPP_CONFIG,
    }),
    inferencePool(md, {
      labels: objectLabels(md, { provider: 'llmd', engine: 'vllm', component: 'inference-pool' }),
      targetPort: LLMD_PORT,
    }),
  ];

  for (const worker of workers(md)) {
    const args = engineArgs(spec, 'vllm', {
      gpuCount: worker.resources.gpuCount,
      reservedFlags: llmdReservedFlags(spec),
    });
    if (!args.ok) return { ok: false, errors: args.errors };
    for (const note of args.notes) if (!notes.includes(note)) notes.push(note);
    const deployment = workerDeployment(
      md,
      context,
      worker,
      args.args,
      stringOverride('routingSidecar.image'),
    );
    objects.push(worker.role === 'decode' ? mergePatch(deployment, overrides.patch) : deployment);
  }
  objects.push(modelService(md));
  return { ok: true, objects, notes };
}

function workerDeployment(
  md: ModelDeployment,
  context: RenderContext,
  worker: Worker,
  engineFlags: readonly string[],
  sidecarImage: string | undefined,
): Deployment {
  const { spec } = md;
  const disaggregated = spec.serving.mode === 'disaggregated';
  const behindSidecar = disaggregated && worker.role === 'decode';
  const vllmPort = behindSidecar ? DECODE_VLLM_PORT : LLMD_PORT;
  const portName = behindSidecar ? 'vllm' : 'http';
  const labels = objectLabels(md, { provider: 'llmd', engine: 'vllm', component: worker.component });

  const volumes: Volume[] = [{ name: 'model-cache', emptyDir: {} }];
  const volumeMounts: VolumeMount[] = [{ name: 'model-cache', mountPath: CACHE_PATH }];
  if (worker.resources.gpuCount > 1) {
    const memory = worker.resources.memory;
    const shmSpec = { ...spec, resources: { ...spec.resources, memory } };
    volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: shmSizeLimit(shmSpec) } });
    volumeMounts.push({ name: 'dshm', mountPath: '/dev/shm' });
  }
  const defaults: EnvVar[] = [{ name: 'HF_HOME', value: `${CACHE_PATH}/huggingface` }];
  if (disaggregated) defaults.push(fieldEnv('VLLM_NIXL_SIDE_CHANNEL_HOST', 'status.podIP'));
  const health = { httpGet: { path: VLLM_HEALTH_PATH, port: portName } };

  const vllm: SidecarCapableContainer = {
    name: VLLM_CONTAINER,
    image: vllmImage(spec, context),
    args: [
      '--host',
      '0.0.0.0',
      '--port',
      String(vllmPort),
      ...(disaggregated ? ['--kv-transfer-config', KV_TRANSFER_CONFIG] : []),
      ...engineFlags,
    ],
    env: containerEnv(spec, defaults),
    ports: [
      { name: portName, containerPort: vllmPort, protocol: 'TCP' },
      ...(disaggregated
        ? [{ name: 'nixl', containerPort: NIXL_SIDE_CHANNEL_PORT, protocol: 'TCP' as const }]
        : []),
    ],
    resources: containerResources(worker.resources),
    volumeMounts,
    startupProbe: {
      ...health,
      periodSeconds: STARTUP_PERIOD_SECONDS,
      timeoutSeconds: 5,
      failureThreshold: STARTUP_FAILURE_THRESHOLD,
    },
    readinessProbe: { ...health, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { ...health, periodSeconds: 10, timeoutSeconds: 10, failureThreshold: 6 },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };

  const podSpec: ExtendedPodSpec = defined({
    initContainers: behindSidecar ? [routingSidecar(sidecarImage ?? LLMD_ROUTING_SIDECAR_IMAGE)] : undefined,
    containers: [vllm],
    volumes,
    nodeSelector: nodeSelector(spec),
    tolerations: tolerations(spec),
    terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
    enableServiceLinks: false,
    automountServiceAccountToken: false,
    securityContext: { seccompProfile: { type: 'RuntimeDefault' as const } },
  });

  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: defined({ name: worker.name, namespace: md.metadata.namespace, labels }),
    spec: {
      replicas: worker.replicas,
      selector: { matchLabels: llmdSelector(md, worker.role) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
      revisionHistoryLimit: 3,
      template: {
        metadata: defined({
          labels: podLabels(spec, { ...labels, [LLMD_ROLE_LABEL]: worker.role, [ENGINE_TYPE_LABEL]: 'vllm' }),
          annotations: podAnnotations(spec),
        }),
        spec: podSpec,
      },
    },
  };
}

/**
 * The routing sidecar, as a native sidecar: it starts before vLLM and stops after it, so
 * requests in flight through it are not cut when the pod terminates.
 */
function routingSidecar(image: string): SidecarCapableContainer {
  return {
    name: ROUTING_SIDECAR,
    image,
    imagePullPolicy: 'IfNotPresent',
    args: [
      `--port=${LLMD_PORT}`,
      `--vllm-port=${DECODE_VLLM_PORT}`,
      '--kv-connector=nixlv2',
      // Plain HTTP like vLLM itself: the Gateway and the Service reach the pod the same way.
      '--secure-proxy=false',
    ],
    ports: [{ name: 'http', containerPort: LLMD_PORT, protocol: 'TCP' }],
    resources: { limits: { memory: '1Gi' }, requests: { cpu: '250m', memory: '128Mi' } },
    readinessProbe: {
      httpGet: { path: VLLM_HEALTH_PATH, port: 'http' },
      periodSeconds: 5,
      failureThreshold: 3,
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
    },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    restartPolicy: 'Always',
  };
}

/** The in-cluster endpoint: the decode (or aggregated) pods, without the scheduler. */
function modelService(md: ModelDeployment): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: defined({
      name: md.metadata.name,
      namespace: md.metadata.namespace,
      labels: objectLabels(md, {
        provider: 'llmd',
        engine: 'vllm',
        component: md.spec.serving.mode === 'disaggregated' ? 'decode-worker' : 'model-server',
      }),
    }),
    spec: {
      type: 'ClusterIP',
      selector: llmdSelector(md, 'decode'),
      // A numeric target: on decode pods the port belongs to a native sidecar.
      ports: [{ name: 'http', port: LLMD_PORT, targetPort: LLMD_PORT, protocol: 'TCP', appProtocol: 'http' }],
    },
  };
}
