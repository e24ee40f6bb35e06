// Direct vLLM: a Deployment and a ClusterIP Service, both named after the ModelDeployment,
// running the vLLM OpenAI-compatible server. Needs nothing installed in the cluster.
//
// Choices worth knowing (see the package README):
// - Rollout: RollingUpdate with maxSurge 0 / maxUnavailable 1. A new pod only starts after an
//   old one has released its GPUs, so an update never needs spare GPUs (maxSurge 1 would stall
//   on a full cluster), and with several replicas all but one keep serving (Recreate would
//   take every replica down at once). One replica means a short outage, as with Recreate.
// - progressDeadlineSeconds is longer than the startup budget: downloading and loading a model
//   legitimately takes many minutes, and the default 600 s would report ProgressDeadlineExceeded
//   for a healthy first start.
// - The startup probe allows STARTUP_TIMEOUT_SECONDS for download + load; liveness and readiness
//   only begin afterwards, with timeouts a busy server can meet.
// - The HuggingFace cache is an emptyDir, so a restarted container does not download again.
// - Service links are off: a Service named "vllm" would otherwise inject VLLM_PORT=tcp://…,
//   which vLLM reads as its own setting and fails on.
// - No ServiceAccount token is mounted: the server never calls the Kubernetes API, and with
//   trustRemoteCode it runs code from the model repository.
import type { FieldError, ModelDeployment, ModelDeploymentSpec } from '@airunway/schema';
import { checkSupport, servingRequest } from '../catalogue.js';
import { engineArgs, setsFlag, type ReservedFlag } from '../engine-args.js';
import type { Container, Deployment, EnvVar, Service, Volume, VolumeMount } from '../kubernetes.js';
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
  tolerations,
} from '../pod-spec.js';
import type { RenderContext, RenderResult } from '../provider.js';
import { formatBytes, parseQuantity } from '../quantity.js';

/**
 * The default image: a pinned vLLM release (never `latest` or a nightly), built against CUDA
 * 12.9 — since v0.20 the unsuffixed tags are CUDA 13 builds, which need NVIDIA driver ≥ 580;
 * the cu129 build runs on the drivers most clusters have. Override with engine.image.
 */
export const DEFAULT_VLLM_IMAGE = 'vllm/vllm-openai:v0.28.0-cu129';

export const VLLM_CONTAINER = 'vllm';
export const VLLM_PORT = 8000;
export const VLLM_PORT_NAME = 'http';
export const VLLM_HEALTH_PATH = '/health';

/** Download + load budget of the startup probe: 180 × 10 s = 30 min. */
export const STARTUP_PERIOD_SECONDS = 10;
export const STARTUP_FAILURE_THRESHOLD = 180;
export const STARTUP_TIMEOUT_SECONDS = STARTUP_PERIOD_SECONDS * STARTUP_FAILURE_THRESHOLD;
/** Longer than the startup budget plus an image pull. */
export const PROGRESS_DEADLINE_SECONDS = 3600;
export const TERMINATION_GRACE_PERIOD_SECONDS = 60;

/** Upper bound of /dev/shm for tensor-parallel pods (NCCL and vLLM's worker messaging). */
export const MAX_SHM_BYTES = 16 * 2 ** 30;
const CACHE_PATH = '/model-cache';

/** Flags Direct vLLM sets itself: the Service, the probes and the Gateway depend on them. */
export const VLLM_RESERVED_FLAGS: readonly ReservedFlag[] = [
  { name: 'host', why: 'provider vllm listens on 0.0.0.0 so the Service can reach the server' },
  { name: 'port', why: `provider vllm serves on port ${VLLM_PORT}, which its Service and probes use` },
];

/** The image the model server runs: engine.image, else the legacy image, else the default. */
export function vllmImage(spec: ModelDeploymentSpec, context?: Pick<RenderContext, 'defaultImage'>): string {
  return spec.engine.image ?? spec.image ?? context?.defaultImage ?? DEFAULT_VLLM_IMAGE;
}

/** Size of the memory-backed /dev/shm: half of resources.memory, at most 16Gi. */
export function shmSizeLimit(spec: ModelDeploymentSpec): string {
  const memory = spec.resources.memory === undefined ? undefined : parseQuantity(spec.resources.memory);
  if (memory === undefined) return formatBytes(MAX_SHM_BYTES);
  return formatBytes(Math.min(MAX_SHM_BYTES, Math.floor(memory / 2 / 2 ** 20) * 2 ** 20));
}

/** Why Direct vLLM cannot run `md` with `context.engine`; empty when it can. */
export function validateVllm(md: ModelDeployment, context: RenderContext): FieldError[] {
  const { spec } = md;
  const unsupported = checkSupport('vllm', servingRequest(spec, context.engine));
  if (unsupported) {
    const path = {
      EngineNotSupported: 'spec.engine.type',
      ModeNotSupported: 'spec.serving.mode',
      GpuRequired: 'spec.resources.gpu.count',
    }[unsupported.reason];
    return [{ path, message: unsupported.message }];
  }
  const errors: FieldError[] = envErrors(spec);
  const { args, extraArgs } = spec.engine;
  if (spec.model.id === undefined && !setsFlag(args, extraArgs, '--model')) {
    errors.push({
      path: 'spec.model.id',
      message:
        'provider vllm needs the model to serve: set model.id (with source custom, the path of the model in ' +
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
  return errors;
}

/** The Deployment and the Service of a ModelDeployment on Direct vLLM. */
export function renderVllm(md: ModelDeployment, context: RenderContext): RenderResult {
  const errors = validateVllm(md, context);
  const args = engineArgs(md.spec, 'vllm', { reservedFlags: VLLM_RESERVED_FLAGS });
  if (!args.ok) errors.push(...args.errors);
  if (errors.length > 0 || !args.ok) return { ok: false, errors };

  const { spec } = md;
  const name = md.metadata.name;
  const labels = objectLabels(md, { provider: 'vllm', engine: 'vllm', component: 'model-server' });
  // A fresh object per resource: the operator adds ownerReferences to each.
  const metadata = () => defined({ name, namespace: md.metadata.namespace, labels: { ...labels } });
  const resources = aggregatedResources(spec);
  const tensorParallel = resources.gpuCount > 1;

  const volumes: Volume[] = [{ name: 'model-cache', emptyDir: {} }];
  const volumeMounts: VolumeMount[] = [{ name: 'model-cache', mountPath: CACHE_PATH }];
  if (tensorParallel) {
    volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: shmSizeLimit(spec) } });
    volumeMounts.push({ name: 'dshm', mountPath: '/dev/shm' });
  }
  const defaults: EnvVar[] = [{ name: 'HF_HOME', value: `${CACHE_PATH}/huggingface` }];

  const container: Container = {
    name: VLLM_CONTAINER,
    image: vllmImage(spec, context),
    args: ['--host', '0.0.0.0', '--port', String(VLLM_PORT), ...args.args],
    env: containerEnv(spec, defaults),
    ports: [{ name: VLLM_PORT_NAME, containerPort: VLLM_PORT, protocol: 'TCP' }],
    resources: containerResources(resources),
    volumeMounts,
    startupProbe: {
      httpGet: { path: VLLM_HEALTH_PATH, port: VLLM_PORT_NAME },
      periodSeconds: STARTUP_PERIOD_SECONDS,
      timeoutSeconds: 5,
      failureThreshold: STARTUP_FAILURE_THRESHOLD,
    },
    readinessProbe: {
      httpGet: { path: VLLM_HEALTH_PATH, port: VLLM_PORT_NAME },
      periodSeconds: 5,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: VLLM_HEALTH_PATH, port: VLLM_PORT_NAME },
      periodSeconds: 10,
      timeoutSeconds: 10,
      failureThreshold: 6,
    },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    // The tail of the log becomes the termination message, which status() reports on a crash.
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };

  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(),
    spec: {
      replicas: spec.scaling.replicas ?? 1,
      selector: { matchLabels: selectorLabels(md) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
      revisionHistoryLimit: 3,
      template: {
        metadata: defined({ labels: podLabels(spec, labels), annotations: podAnnotations(spec) }),
        spec: defined({
          containers: [container],
          volumes,
          nodeSelector: nodeSelector(spec),
          tolerations: tolerations(spec),
          terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          securityContext: { seccompProfile: { type: 'RuntimeDefault' as const } },
        }),
      },
    },
  };

  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(md),
      ports: [
        {
          name: VLLM_PORT_NAME,
          port: VLLM_PORT,
          targetPort: VLLM_PORT_NAME,
          protocol: 'TCP',
          appProtocol: 'http',
        },
      ],
    },
  };

  return { ok: true, objects: [deployment, service], notes: args.notes };
}
