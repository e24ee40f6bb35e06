// KubeRay: one RayService named after the ModelDeployment. KubeRay makes it a RayCluster — a
// CPU-only head pod and a group of GPU worker pods — and deploys on that cluster a Ray Serve
// application running Ray Serve LLM's OpenAI-compatible server with vLLM (./serve-config.ts).
//
// Choices worth knowing:
// - One model replica per GPU worker pod. The worker group has scaling.replicas pods with
//   resources.gpu.count GPUs each, and Ray Serve runs as many replicas with that tensor-parallel
//   degree, so a replica never spans pods (no tensor parallelism over the network).
// - The head runs Ray's control plane (GCS, dashboard, Serve controller, an HTTP proxy) and no
//   model: num-cpus 0 and num-gpus 0 keep replicas and the ingress off it. It gets no GPU and no
//   node selector — a selector naming a GPU product would pin a CPU-only pod onto scarce GPU
//   nodes — but it does get the tolerations (a cluster of only tainted GPU nodes must still be
//   able to run it), the environment (Ray and Serve settings such as RAY_SERVE_* must be the
//   same on every node, and the Serve application is built wherever Ray schedules it, possibly
//   on the head, which then needs the HuggingFace token), and the pod labels and annotations.
// - The endpoint is the Service KubeRay creates for Ray Serve, `<name>-serve-svc`, port 8000
//   (named `serve`), selecting the pods of the serving RayCluster whose Serve proxy is healthy.
//   KubeRay creates it only when the head container declares a port named `serve`; declaring
//   ports replaces KubeRay's defaults, so the head declares all four it needs.
// - Updates: scaling.replicas and everything in the Serve config (engine settings, served name)
//   are applied in place. Any other change to the pods (image, env, resources, scheduling) makes
//   KubeRay start a second RayCluster and switch traffic once its application runs (upgrade
//   strategy NewCluster): no downtime, but the GPUs for a second set of workers are needed
//   meanwhile, and the status says so while they are missing. The only alternative KubeRay
//   offers for a RayService, None, never applies such changes at all.
// - scaling.replicas 0 suspends the RayService: KubeRay deletes the RayCluster, head included,
//   and recreates it when replicas go up again.
// - Pods: no ServiceAccount token (the model never calls the Kubernetes API, and runs code from
//   the model repository with trustRemoteCode) except on the head with autoscaling, whose
//   autoscaler needs it; Service links off (a Service named "vllm" would inject VLLM_PORT,
//   which vLLM misreads); the HuggingFace cache on an emptyDir so a restarted container does not
//   download again. KubeRay adds the probes and a memory-backed /dev/shm itself.
import {
  MAX_REPLICAS,
  type FieldError,
  type ModelDeployment,
  type ModelDeploymentSpec,
} from '@airunway/schema';
import { checkSupport, servingRequest } from '../catalogue.js';
import {
  defaultServedName,
  engineArgs,
  servedModelName,
  setsFlag,
  type ReservedFlag,
} from '../engine-args.js';
import type { Container, ContainerPort, EnvVar, PodTemplateSpec, SecurityContext } from '../kubernetes.js';
import { mergePatch, readOverrides, type OverrideField, type OverrideValue } from '../overrides.js';
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
  tolerations,
} from '../pod-spec.js';
import type { RenderContext, RenderResult } from '../provider.js';
import { parseQuantity, quantityString } from '../quantity.js';
import { RAY_API_VERSION, RAY_SERVICE_KIND, type RayService, type WorkerGroupSpec } from './ray-service.js';
import {
  flagsToKwargs,
  serveConfig,
  serveConfigYaml,
  type JsonObject,
  type ServeReplicas,
} from './serve-config.js';

/**
 * Ray release of the default image. 2.58.0 is the newest Ray release, the line KubeRay 1.7.0's
 * LLM samples use (py312/cu130 images); it bundles vLLM 0.26. Ray has stopped building the
 * py311/cu128 ray-llm images, so a CUDA 13 image is the only maintained one: it needs NVIDIA
 * driver ≥ 580. On older drivers set engine.image to an earlier CUDA 12 build
 * (e.g. rayproject/ray-llm:2.55.0-py311-cu128) and overrides.rayVersion to its Ray version.
 */
export const DEFAULT_RAY_VERSION = '2.58.0';
/** The default image of head and workers: Ray with Ray Serve LLM and vLLM, pinned. */
export const DEFAULT_KUBERAY_IMAGE = `rayproject/ray-llm:${DEFAULT_RAY_VERSION}-py312-cu130`;

export const KUBERAY_SERVE_PORT = 8000;
export const KUBERAY_SERVE_PORT_NAME = 'serve';
export const KUBERAY_HEAD_CONTAINER = 'ray-head';
export const KUBERAY_WORKER_CONTAINER = 'ray-worker';
export const KUBERAY_WORKER_GROUP = 'gpu-workers';
export const KUBERAY_HEAD_CPU = '2';
export const KUBERAY_HEAD_MEMORY = '8Gi';

/**
 * Longest RayService name KubeRay accepts: it names the RayCluster `<name>-<5 characters>`
 * and keeps RayCluster names within 53 characters.
 */
export const MAX_RAY_SERVICE_NAME_LENGTH = 47;

/** The Service KubeRay creates for Ray Serve's HTTP proxies: the model's endpoint. */
export function serveServiceName(name: string): string {
  return `${name}-serve-svc`;
}

/**
 * The ports of the Ray head: GCS (workers join through it), dashboard (KubeRay deploys the
 * Serve config through it), Ray client and Ray Serve.
 */
const HEAD_PORTS: readonly ContainerPort[] = [
  { name: 'gcs-server', containerPort: 6379, protocol: 'TCP' },
  { name: 'dashboard', containerPort: 8265, protocol: 'TCP' },
  { name: 'client', containerPort: 10001, protocol: 'TCP' },
  { name: KUBERAY_SERVE_PORT_NAME, containerPort: KUBERAY_SERVE_PORT, protocol: 'TCP' },
];

const CACHE_PATH = '/model-cache';

/** vLLM flags that have no meaning, or a fixed one, under Ray Serve LLM. */
export const KUBERAY_RESERVED_FLAGS: readonly ReservedFlag[] = [
  { name: 'host', why: 'provider kuberay serves through Ray Serve, whose proxies listen on every pod' },
  { name: 'port', why: `provider kuberay serves on Ray Serve's port ${KUBERAY_SERVE_PORT}` },
  {
    name: 'distributed-executor-backend',
    why: "Ray Serve LLM always runs vLLM's GPU workers as Ray actors",
  },
];

export const KUBERAY_OVERRIDE_FIELDS: readonly OverrideField[] = [
  {
    path: 'rayVersion',
    type: 'string',
    description:
      `Ray version of engine.image, e.g. 2.55.0; KubeRay picks its health checks by it. ${DEFAULT_RAY_VERSION} ` +
      'with the default image; unset with another image, which makes KubeRay use checks every version supports.',
  },
  {
    path: 'head.cpu',
    type: 'string',
    description: `CPU request of the Ray head pod (default ${KUBERAY_HEAD_CPU}).`,
  },
  {
    path: 'head.memory',
    type: 'string',
    description: `Memory request and limit of the Ray head pod (default ${KUBERAY_HEAD_MEMORY}).`,
  },
  {
    path: 'autoscaling.minReplicas',
    type: 'integer',
    minimum: 0,
    description:
      'With autoscaling.maxReplicas: Ray Serve scales the model between these bounds on load, and the Ray ' +
      'autoscaler adds and removes GPU worker pods to match; scaling.replicas is the starting point.',
  },
  {
    path: 'autoscaling.maxReplicas',
    type: 'integer',
    minimum: 1,
    description: `Upper bound of autoscaling (at most ${MAX_REPLICAS}).`,
  },
  {
    path: 'autoscaling.targetOngoingRequests',
    type: 'integer',
    minimum: 1,
    description: "Requests per replica Ray Serve's autoscaler aims for (Ray Serve LLM's default when unset).",
  },
];

/** The image of head and workers: engine.image, else the legacy image, else the default. */
export function kuberayImage(
  spec: ModelDeploymentSpec,
  context?: Pick<RenderContext, 'defaultImage'>,
): string {
  return spec.engine.image ?? spec.image ?? context?.defaultImage ?? DEFAULT_KUBERAY_IMAGE;
}

/** Why KubeRay cannot run `md` with `context.engine`; empty when it can. */
export function validateKuberay(md: ModelDeployment, context: RenderContext): FieldError[] {
  const planned = plan(md, context);
  return planned.ok ? [] : planned.errors;
}

/** The RayService of a ModelDeployment on KubeRay. */
export function renderKuberay(md: ModelDeployment, context: RenderContext): RenderResult {
  const planned = plan(md, context);
  if (!planned.ok) return { ok: false, errors: planned.errors };
  const p = planned.plan;
  const { spec } = md;
  const name = md.metadata.name;
  const labelsOf = (component: string) =>
    objectLabels(md, { provider: 'kuberay', engine: 'vllm', component });
  const autoscaling = p.replicas.autoscaling;

  const head: Container = defined({
    name: KUBERAY_HEAD_CONTAINER,
    image: p.image,
    env: nonEmpty(containerEnv(spec)),
    ports: HEAD_PORTS.map((port) => ({ ...port })),
    resources: {
      limits: { memory: p.head.memory },
      requests: { cpu: p.head.cpu, memory: p.head.memory },
    },
    securityContext: containerSecurity(),
    terminationMessagePolicy: 'FallbackToLogsOnError' as const,
  });
  const worker: Container = {
    name: KUBERAY_WORKER_CONTAINER,
    image: p.image,
    env: containerEnv(spec, [{ name: 'HF_HOME', value: `${CACHE_PATH}/huggingface` }]),
    resources: containerResources(aggregatedResources(spec)),
    volumeMounts: [{ name: 'model-cache', mountPath: CACHE_PATH }],
    securityContext: containerSecurity(),
    // The tail of the log becomes the termination message, which status() quotes on a crash.
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };

  const headTemplate: PodTemplateSpec = {
    metadata: defined({ labels: podLabels(spec, labelsOf('ray-head')), annotations: podAnnotations(spec) }),
    spec: defined({
      containers: [head],
      tolerations: tolerations(spec),
      enableServiceLinks: false,
      automountServiceAccountToken: autoscaling === undefined ? false : undefined,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' as const } },
    }),
  };
  const workerTemplate: PodTemplateSpec = {
    metadata: defined({
      labels: podLabels(spec, labelsOf('model-server')),
      annotations: podAnnotations(spec),
    }),
    spec: defined({
      containers: [worker],
      volumes: [{ name: 'model-cache', emptyDir: {} }],
      nodeSelector: nodeSelector(spec),
      tolerations: tolerations(spec),
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' as const } },
    }),
  };

  const workers: WorkerGroupSpec = {
    groupName: KUBERAY_WORKER_GROUP,
    replicas: p.replicas.initial,
    minReplicas: autoscaling?.min ?? p.replicas.initial,
    maxReplicas: autoscaling?.max ?? p.replicas.initial,
    // Explicit, so GPU resources whose name KubeRay does not recognise still count as Ray GPUs.
    rayStartParams: { 'num-gpus': String(spec.resources.gpu.count) },
    template: workerTemplate,
  };

  const rayService: RayService = {
    apiVersion: RAY_API_VERSION,
    kind: RAY_SERVICE_KIND,
    metadata: defined({ name, namespace: md.metadata.namespace, labels: labelsOf('model-server') }),
    spec: defined({
      serveConfigV2: serveConfigYaml(p.serveConfig),
      // Only when true: KubeRay before 1.7.0 has no such field, and a scaled-up deployment
      // then still applies there.
      suspend: p.suspend ? true : undefined,
      upgradeStrategy: { type: 'NewCluster' as const },
      rayClusterConfig: defined({
        rayVersion: p.rayVersion,
        enableInTreeAutoscaling: autoscaling === undefined ? undefined : true,
        headGroupSpec: { rayStartParams: { 'num-cpus': '0', 'num-gpus': '0' }, template: headTemplate },
        workerGroupSpecs: [workers],
      }),
    }),
  };

  return { ok: true, objects: [mergePatch(rayService, p.patch)], notes: p.notes };
}

// ── planning ────────────────────────────────────────────────────────────────────────────

interface Plan {
  readonly image: string;
  readonly rayVersion: string | undefined;
  readonly serveConfig: JsonObject;
  readonly replicas: ServeReplicas;
  readonly suspend: boolean;
  readonly head: { readonly cpu: string; readonly memory: string };
  readonly patch: Readonly<Record<string, unknown>> | undefined;
  readonly notes: string[];
}

type Planned =
  { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly errors: FieldError[] };

const OVERRIDES = 'spec.provider.overrides';
const RAY_VERSION = /^\d+\.\d+\.\d+$/;

/** Everything render needs from the spec, or every reason it cannot be rendered. */
function plan(md: ModelDeployment, context: RenderContext): Planned {
  const { spec } = md;
  const unsupported = checkSupport('kuberay', servingRequest(spec, context.engine));
  if (unsupported) {
    const path = {
      EngineNotSupported: 'spec.engine.type',
      ModeNotSupported: 'spec.serving.mode',
      GpuRequired: 'spec.resources.gpu.count',
    }[unsupported.reason];
    return { ok: false, errors: [{ path, message: unsupported.message }] };
  }

  const errors: FieldError[] = envErrors(spec);
  const notes: string[] = [];
  if (md.metadata.name.length > MAX_RAY_SERVICE_NAME_LENGTH) {
    errors.push({
      path: 'metadata.name',
      message:
        `provider kuberay needs a name of at most ${MAX_RAY_SERVICE_NAME_LENGTH} characters (KubeRay names the ` +
        `Ray cluster after it); recreate the ModelDeployment with a shorter name or use another provider`,
    });
  }
  if (spec.model.id === undefined && !setsFlag(spec.engine.args, spec.engine.extraArgs, '--model')) {
    errors.push({
      path: 'spec.model.id',
      message:
        'provider kuberay needs the model to serve: set model.id (with source custom, the path of the model in ' +
        'the image) or engine.args.model',
    });
  }
  const userImage = spec.engine.image ?? spec.image;
  if (spec.model.source === 'custom' && userImage === undefined) {
    errors.push({
      path: 'spec.engine.image',
      message:
        `model.source custom serves a model built into the image, but no image is set and ${DEFAULT_KUBERAY_IMAGE} ` +
        'contains none: set engine.image',
    });
  }

  const overrides = readOverrides(spec, 'kuberay', KUBERAY_OVERRIDE_FIELDS);
  const values: ReadonlyMap<string, OverrideValue> = overrides.ok ? overrides.values : new Map();
  if (!overrides.ok) errors.push(...overrides.errors);
  const text = (key: string) => {
    const value = values.get(key);
    return typeof value === 'string' ? value : undefined;
  };
  const integer = (key: string) => {
    const value = values.get(key);
    return typeof value === 'number' ? value : undefined;
  };

  const rayVersion = text('rayVersion');
  if (rayVersion !== undefined && !RAY_VERSION.test(rayVersion)) {
    errors.push({
      path: `${OVERRIDES}.rayVersion`,
      message: `overrides.rayVersion must be a Ray release such as ${DEFAULT_RAY_VERSION}, not "${rayVersion}"`,
    });
  }
  const head = {
    cpu: text('head.cpu') ?? KUBERAY_HEAD_CPU,
    memory: text('head.memory') ?? KUBERAY_HEAD_MEMORY,
  };
  for (const [key, value] of [
    ['cpu', head.cpu],
    ['memory', head.memory],
  ] as const) {
    if (parseQuantity(value) === undefined) {
      errors.push({
        path: `${OVERRIDES}.head.${key}`,
        message: `overrides.head.${key} must be a Kubernetes quantity such as ${key === 'cpu' ? '2 or 500m' : '8Gi'}, not "${value}"`,
      });
    }
  }

  const replicas = spec.scaling.replicas ?? 1;
  const serveReplicas = planReplicas(replicas, {
    min: integer('autoscaling.minReplicas'),
    max: integer('autoscaling.maxReplicas'),
    target: integer('autoscaling.targetOngoingRequests'),
  });
  if (!serveReplicas.ok) errors.push(...serveReplicas.errors);
  else notes.push(...serveReplicas.notes);

  const engine = planEngine(spec);
  if (!engine.ok) errors.push(...engine.errors);
  else notes.push(...engine.notes);

  if (errors.length > 0 || !engine.ok || !serveReplicas.ok) return { ok: false, errors };
  return {
    ok: true,
    plan: {
      image: kuberayImage(spec, context),
      rayVersion: rayVersion ?? (userImage === undefined ? DEFAULT_RAY_VERSION : undefined),
      serveConfig: serveConfig({
        servedName: engine.servedName,
        modelSource: engine.modelSource,
        engineKwargs: engine.kwargs,
        replicas: serveReplicas.replicas,
      }),
      replicas: serveReplicas.replicas,
      suspend: replicas === 0,
      head: { cpu: quantityString(head.cpu), memory: quantityString(head.memory) },
      patch: overrides.ok ? overrides.patch : undefined,
      notes,
    },
  };
}

type EnginePlan =
  | {
      readonly ok: true;
      readonly servedName: string;
      readonly modelSource: string;
      readonly kwargs: JsonObject;
      readonly notes: string[];
    }
  | { readonly ok: false; readonly errors: FieldError[] };

/** The model and vLLM's engine arguments, through engineArgs (see ./serve-config.ts). */
function planEngine(spec: ModelDeploymentSpec): EnginePlan {
  const rendered = engineArgs(spec, 'vllm', { reservedFlags: KUBERAY_RESERVED_FLAGS });
  if (!rendered.ok) return rendered;
  const { kwargs, unconvertible } = flagsToKwargs(rendered.args);
  const errors: FieldError[] = unconvertible.map((token) => {
    const index = spec.engine.extraArgs.indexOf(token);
    return {
      path: index === -1 ? 'spec.engine.extraArgs' : `spec.engine.extraArgs[${index}]`,
      message:
        `${JSON.stringify(token)} has no keyword-argument form: Ray Serve LLM passes vLLM settings as arguments ` +
        'named after the long flags; use the long flag (e.g. --tensor-parallel-size, not -tp)',
    };
  });

  // Ray Serve LLM takes the model and its served name from model_loading_config only.
  const { model, served_model_name: served, ...engineKwargs } = kwargs;
  if (model !== undefined && typeof model !== 'string') {
    errors.push({
      path: 'spec.engine.args.model',
      message: 'engine.args.model must be a single model name or path',
    });
  }
  const servedName = Array.isArray(served) && served.length === 1 ? served[0] : served;
  if (servedName !== undefined && typeof servedName !== 'string') {
    errors.push({
      path: 'spec.model.servedName',
      message:
        'Ray Serve LLM serves a model under one name: set model.servedName and no served-model-name flag',
    });
  }

  const gpus = spec.resources.gpu.count;
  const tensor = engineKwargs.tensor_parallel_size ?? 1;
  const pipeline = engineKwargs.pipeline_parallel_size ?? 1;
  if (typeof tensor !== 'number' || typeof pipeline !== 'number') {
    errors.push({
      path: 'spec.engine.args',
      message: 'tensor-parallel-size and pipeline-parallel-size must be whole numbers',
    });
  } else if (tensor * pipeline !== gpus) {
    errors.push({
      path: 'spec.resources.gpu.count',
      message:
        `each Ray worker pod runs one model replica on its ${gpus} GPU${gpus === 1 ? '' : 's'}, so ` +
        `tensor-parallel-size × pipeline-parallel-size must equal resources.gpu.count, but it is ${tensor * pipeline}: ` +
        `set resources.gpu.count to ${tensor * pipeline} or change the parallel sizes in engine.args`,
    });
  }

  if (errors.length > 0 || typeof model !== 'string') return { ok: false, errors };
  return {
    ok: true,
    servedName:
      typeof servedName === 'string' ? servedName : (servedModelName(spec) ?? defaultServedName(model)),
    modelSource: model,
    kwargs: engineKwargs,
    notes: rendered.notes,
  };
}

type ReplicasPlan =
  | { readonly ok: true; readonly replicas: ServeReplicas; readonly notes: string[] }
  | { readonly ok: false; readonly errors: FieldError[] };

/** Fixed replicas, or autoscaling bounds from the overrides with scaling.replicas as the start. */
function planReplicas(
  replicas: number,
  bounds: { min: number | undefined; max: number | undefined; target: number | undefined },
): ReplicasPlan {
  const { min, max, target } = bounds;
  if (min === undefined && max === undefined) {
    if (target === undefined) return { ok: true, replicas: { initial: replicas }, notes: [] };
    return {
      ok: false,
      errors: [
        {
          path: `${OVERRIDES}.autoscaling`,
          message:
            'overrides.autoscaling.targetOngoingRequests needs autoscaling.minReplicas and autoscaling.maxReplicas',
        },
      ],
    };
  }
  if (min === undefined || max === undefined) {
    return {
      ok: false,
      errors: [
        {
          path: `${OVERRIDES}.autoscaling`,
          message:
            'set both overrides.autoscaling.minReplicas and overrides.autoscaling.maxReplicas, or neither',
        },
      ],
    };
  }
  const errors: FieldError[] = [];
  if (max > MAX_REPLICAS) {
    errors.push({
      path: `${OVERRIDES}.autoscaling.maxReplicas`,
      message: `overrides.autoscaling.maxReplicas must be at most ${MAX_REPLICAS}`,
    });
  }
  if (min > max) {
    errors.push({
      path: `${OVERRIDES}.autoscaling.minReplicas`,
      message: `overrides.autoscaling.minReplicas (${min}) must not exceed autoscaling.maxReplicas (${max})`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const notes: string[] = [];
  // Zero suspends the deployment outright; any other count is where autoscaling starts.
  const initial = replicas === 0 ? min : Math.min(max, Math.max(min, replicas));
  if (replicas !== 0 && initial !== replicas) {
    notes.push(
      `scaling.replicas ${replicas} is outside overrides.autoscaling [${min}, ${max}]; autoscaling starts at ${initial}`,
    );
  }
  return {
    ok: true,
    replicas: { initial, autoscaling: { min, max, targetOngoingRequests: target } },
    notes,
  };
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────

function containerSecurity(): SecurityContext {
  return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
}

function nonEmpty(env: EnvVar[]): EnvVar[] | undefined {
  return env.length === 0 ? undefined : env;
}
