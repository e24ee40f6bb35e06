// NVIDIA Dynamo: one DynamoGraphDeployment named after the ModelDeployment, with a Frontend
// (the OpenAI-compatible HTTP server and router, reached through the Service
// `<name>-frontend:8000` that the Dynamo operator creates) and the engine's workers: one
// worker pool in aggregated mode, prefill and decode pools in disaggregated mode.
//
// API version: nvidia.com/v1beta1. The CRD serves v1alpha1, deprecated, and v1beta1, served
// since Dynamo 1.2 and stored since 1.4; the apiserver converts between them through a webhook
// of the Dynamo operator, so a v1alpha1 object cannot even be stored while that webhook is
// down. The examples of the API reference need nothing v1alpha1 alone has: component names
// (Frontend, VllmWorker, VllmPrefillWorker, VllmDecodeWorker) are `spec.components[].name`,
// roles are `type`, and the pod of each component is a native PodTemplateSpec, whose
// metadata carries our pod labels.
//
// Choices worth knowing:
// - Images are the Dynamo release DYNAMO_VERSION of the engine's runtime image. Since Dynamo
//   1.3 they are CUDA 13 builds (NVIDIA driver ≥ 580). The Frontend runs the same image as
//   the workers, as Dynamo's own examples do: no version skew between router and workers, and
//   one image to mirror.
// - The Dynamo operator requires the runtime version of every image: it reads it from a
//   semantic-version tag; other images need provider.overrides.runtimeVersion.
// - Pod security settings are left to the Dynamo operator: any pod securityContext in the
//   template replaces its defaults (fsGroup for volume permissions) entirely.
// - Service links are off: a Service named `vllm` in the namespace (a Direct vLLM deployment)
//   would inject VLLM_PORT=tcp://…, which vLLM reads as its own setting and fails on.
// - provider.overrides.patch is merged into the DynamoGraphDeployment; because components are
//   a list, `patch.spec.components` may also be an object keyed by component name, merged
//   into that component (a list replaces them all, as in any JSON merge patch).
import type { EngineType, FieldError, ModelDeployment, ModelDeploymentSpec } from '@airunway/schema';
import { checkSupport, servingRequest } from '../catalogue.js';
import { byCodePoint, engineArgs, reservedFlagErrors, setsFlag, type ReservedFlag } from '../engine-args.js';
import type {
  Container,
  EnvVar,
  KubernetesObject,
  PodTemplateSpec,
  ResourceRequirements,
} from '../kubernetes.js';
import {
  OVERRIDE_PATCH_KEY,
  mergePatch,
  readOverrides,
  type OverrideField,
  type OverrideValue,
} from '../overrides.js';
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
  type PodResources,
} from '../pod-spec.js';
import type { RenderContext, RenderResult } from '../provider.js';
import { parseQuantity } from '../quantity.js';
import { orList } from '../text.js';
import { shmSizeLimit } from '../vllm/render.js';

export const DYNAMO_API_VERSION = 'nvidia.com/v1beta1';
export const DYNAMO_KIND = 'DynamoGraphDeployment';

/** The Dynamo release whose runtime images AI Runway runs (and whose platform chart it installs). */
export const DYNAMO_VERSION = '1.4.0';

export type DynamoEngine = Extract<EngineType, 'vllm' | 'sglang' | 'trtllm'>;
export const DYNAMO_ENGINES: readonly DynamoEngine[] = ['vllm', 'sglang', 'trtllm'];

export const DEFAULT_DYNAMO_IMAGES: Readonly<Record<DynamoEngine, string>> = {
  vllm: `nvcr.io/nvidia/ai-dynamo/vllm-runtime:${DYNAMO_VERSION}`,
  sglang: `nvcr.io/nvidia/ai-dynamo/sglang-runtime:${DYNAMO_VERSION}`,
  trtllm: `nvcr.io/nvidia/ai-dynamo/tensorrtllm-runtime:${DYNAMO_VERSION}`,
};

/** The Python module each engine's worker runs (`python3 -m dynamo.<engine>`). */
export const DYNAMO_WORKER_MODULES: Readonly<Record<DynamoEngine, string>> = {
  vllm: 'dynamo.vllm',
  sglang: 'dynamo.sglang',
  trtllm: 'dynamo.trtllm',
};

export type DynamoWorkerRole = 'worker' | 'prefill' | 'decode';
export type DynamoComponentType = 'frontend' | DynamoWorkerRole;

export const DYNAMO_FRONTEND_COMPONENT = 'Frontend';

/** Component names per engine and role, as Dynamo's documentation and tooling name them. */
export const DYNAMO_WORKER_NAMES: Readonly<Record<DynamoEngine, Readonly<Record<DynamoWorkerRole, string>>>> =
  {
    vllm: { worker: 'VllmWorker', prefill: 'VllmPrefillWorker', decode: 'VllmDecodeWorker' },
    sglang: { worker: 'SGLangWorker', prefill: 'SGLangPrefillWorker', decode: 'SGLangDecodeWorker' },
    trtllm: { worker: 'TRTLLMWorker', prefill: 'TRTLLMPrefillWorker', decode: 'TRTLLMDecodeWorker' },
  };

/** The container the Dynamo operator merges its defaults (ports, probes, runtime env) into. */
export const DYNAMO_MAIN_CONTAINER = 'main';
/** Port of the Service `<name>-frontend` the Dynamo operator creates for the Frontend. */
export const DYNAMO_FRONTEND_PORT = 8000;

/** Routing policies of the Frontend (its --router-mode, set through DYN_ROUTER_MODE). */
export const DYNAMO_ROUTER_MODES = ['round-robin', 'random', 'power-of-two', 'least-loaded', 'kv'] as const;
export type DynamoRouterMode = (typeof DYNAMO_ROUTER_MODES)[number];
/** Dynamo's own default, written out so the object says how it routes. */
export const DYNAMO_DEFAULT_ROUTER_MODE: DynamoRouterMode = 'round-robin';

/** Requests of each Frontend pod: it tokenizes and routes, and needs no GPU. */
export const DYNAMO_FRONTEND_CPU = '1';
export const DYNAMO_FRONTEND_MEMORY = '2Gi';

/**
 * The Dynamo operator names the Service of a worker `<name>-<component>-<8-character worker
 * hash>` when it runs components as Deployments (without Grove; with Grove the hash is left
 * out), and a Service name is at most 63 characters.
 */
const MAX_SERVICE_NAME = 63;
const WORKER_HASH_SUFFIX = 9;

const CACHE_PATH = '/model-cache';

export const DYNAMO_OVERRIDE_FIELDS: readonly OverrideField[] = [
  {
    path: 'routerMode',
    type: 'string',
    values: DYNAMO_ROUTER_MODES,
    description:
      'How the Frontend picks a worker: kv routes by KV-cache overlap (workers publish KV events), ' +
      `the others by load or in turn. Default ${DYNAMO_DEFAULT_ROUTER_MODE}.`,
  },
  {
    path: 'frontend.replicas',
    type: 'integer',
    minimum: 1,
    description: 'Number of Frontend pods. Default 1.',
  },
  {
    path: 'frontend.cpu',
    type: 'string',
    description: `CPU request of each Frontend pod as a string, e.g. "2". Default ${DYNAMO_FRONTEND_CPU}.`,
  },
  {
    path: 'frontend.memory',
    type: 'string',
    description: `Memory request of each Frontend pod, e.g. "4Gi". Default ${DYNAMO_FRONTEND_MEMORY}.`,
  },
  {
    path: 'runtimeVersion',
    type: 'string',
    description:
      'The Dynamo release an engine image without a version tag is built from, e.g. "1.4.0"; ' +
      'the Dynamo operator requires it for such images.',
  },
];

/** Flags Dynamo's workers get from the provider: their role follows serving.mode. */
export const DYNAMO_RESERVED_FLAGS: readonly ReservedFlag[] = [
  {
    name: 'disaggregation-mode',
    why: 'provider dynamo sets each worker role (aggregated, prefill or decode) from serving.mode and scaling',
  },
];

// ── wire types ──────────────────────────────────────────────────────────────────────────

export interface DynamoComponent {
  name: string;
  type: DynamoComponentType;
  replicas: number;
  runtimeVersionOverride?: string;
  sharedMemorySize?: string;
  podTemplate: PodTemplateSpec;
}

export interface DynamoComponentStatus {
  componentKind?: string;
  componentNames?: string[];
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  scheduledReplicas?: number;
}

export interface DynamoCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface DynamoGraphDeploymentStatus {
  state?: 'initializing' | 'pending' | 'successful' | 'failed' | (string & {});
  observedGeneration?: number;
  conditions?: DynamoCondition[];
  components?: Record<string, DynamoComponentStatus>;
  rollingUpdate?: { phase?: string };
}

export interface DynamoGraphDeployment extends KubernetesObject {
  spec: { backendFramework: DynamoEngine; components: DynamoComponent[] };
  status?: DynamoGraphDeploymentStatus;
}

/** The object as the operator reads it back: its cache may hold it without spec. */
export type ObservedDynamoGraphDeployment = KubernetesObject & {
  spec?: unknown;
  status?: DynamoGraphDeploymentStatus;
};

// ── the plan: components, replicas and resources from the spec ──────────────────────────

export interface DynamoWorkerPlan {
  readonly role: DynamoWorkerRole;
  readonly name: string;
  readonly replicas: number;
  readonly resources: PodResources;
  /** Where the GPUs of this worker are set, for messages. */
  readonly gpuPath: string;
}

export function isDynamoEngine(engine: EngineType): engine is DynamoEngine {
  return (DYNAMO_ENGINES as readonly EngineType[]).includes(engine);
}

/** The worker pools of `spec`: one in aggregated mode, prefill and decode in disaggregated mode. */
export function dynamoWorkers(spec: ModelDeploymentSpec, engine: DynamoEngine): DynamoWorkerPlan[] {
  const names = DYNAMO_WORKER_NAMES[engine];
  if (spec.serving.mode === 'aggregated') {
    return [
      {
        role: 'worker',
        name: names.worker,
        replicas: spec.scaling.replicas ?? 1,
        resources: aggregatedResources(spec),
        gpuPath: 'spec.resources.gpu.count',
      },
    ];
  }
  return (['prefill', 'decode'] as const).map((role) => {
    const scaling = spec.scaling[role];
    return {
      role,
      name: names[role],
      replicas: scaling?.replicas ?? 1,
      resources: {
        gpuCount: scaling?.gpu?.count ?? 0,
        gpuType: scaling?.gpu?.type ?? spec.resources.gpu.type,
        memory: scaling?.memory ?? spec.resources.memory,
        cpu: spec.resources.cpu,
      },
      gpuPath: `spec.scaling.${role}.gpu.count`,
    };
  });
}

/** The Service clients reach the model through: `<name>-frontend`, port 8000. */
export function dynamoEndpoint(md: ModelDeployment): { service: string; port: number } {
  return {
    service: `${md.metadata.name}-${DYNAMO_FRONTEND_COMPONENT.toLowerCase()}`,
    port: DYNAMO_FRONTEND_PORT,
  };
}

/** The image of every component: engine.image, else the legacy image, else the default. */
export function dynamoImage(
  spec: ModelDeploymentSpec,
  engine: DynamoEngine,
  context?: Pick<RenderContext, 'defaultImage'>,
): string {
  return spec.engine.image ?? spec.image ?? context?.defaultImage ?? DEFAULT_DYNAMO_IMAGES[engine];
}

/** Where the image comes from, for messages about it. */
function imagePath(spec: ModelDeploymentSpec): string {
  if (spec.engine.image !== undefined) return 'spec.engine.image';
  if (spec.image !== undefined) return 'spec.image';
  return 'spec.provider.overrides.runtimeVersion';
}

/** The settings of provider.overrides, with their defaults. */
export interface DynamoSettings {
  readonly routerMode: DynamoRouterMode;
  readonly frontendReplicas: number;
  readonly frontendCpu: string;
  readonly frontendMemory: string;
  readonly runtimeVersion: string | undefined;
  readonly patch: Readonly<Record<string, unknown>> | undefined;
}

export type DynamoSettingsResult =
  | { readonly ok: true; readonly settings: DynamoSettings }
  | { readonly ok: false; readonly errors: FieldError[] };

/** provider.overrides read against DYNAMO_OVERRIDE_FIELDS, quantities and versions checked. */
export function dynamoSettings(spec: ModelDeploymentSpec): DynamoSettingsResult {
  const read = readOverrides(spec, 'dynamo', DYNAMO_OVERRIDE_FIELDS);
  if (!read.ok) return read;
  const value = (path: string): OverrideValue | undefined => read.values.get(path);
  const errors: FieldError[] = [];
  const quantity = (path: string, fallback: string): string => {
    const set = value(path);
    if (set === undefined) return fallback;
    const text = String(set);
    if (parseQuantity(text) === undefined) {
      errors.push({
        path: `spec.provider.overrides.${path}`,
        message: `overrides.${path} must be a Kubernetes quantity such as ${fallback}, not "${text}"`,
      });
    }
    return text;
  };
  const frontendCpu = quantity('frontend.cpu', DYNAMO_FRONTEND_CPU);
  const frontendMemory = quantity('frontend.memory', DYNAMO_FRONTEND_MEMORY);
  const runtimeVersion = value('runtimeVersion') as string | undefined;
  if (runtimeVersion !== undefined && !RUNTIME_VERSION.test(runtimeVersion)) {
    errors.push({
      path: 'spec.provider.overrides.runtimeVersion',
      message: `overrides.runtimeVersion must be a Dynamo release such as "${DYNAMO_VERSION}", not "${runtimeVersion}"`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      routerMode: (value('routerMode') as DynamoRouterMode | undefined) ?? DYNAMO_DEFAULT_ROUTER_MODE,
      frontendReplicas: (value('frontend.replicas') as number | undefined) ?? 1,
      frontendCpu,
      frontendMemory,
      runtimeVersion,
      patch: read.patch,
    },
  };
}

// The Dynamo operator's rule for image tags and runtime versions: a semantic version, with an
// optional leading v on tags.
const SEMVER =
  '(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?';
const RUNTIME_VERSION = new RegExp(`^${SEMVER}$`);
const VERSION_TAG = new RegExp(`^[vV]?${SEMVER}$`);

/** The tag of an image reference, without a digest; undefined when it has none. */
export function dynamoImageTag(image: string): string | undefined {
  const reference = image.split('@', 1)[0] ?? '';
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/') ? reference.slice(colon + 1) : undefined;
}

/** Whether the Dynamo operator can read the runtime version from the image's tag. */
export function hasDynamoVersionTag(image: string): boolean {
  const tag = dynamoImageTag(image);
  return tag !== undefined && VERSION_TAG.test(tag);
}

// ── validation ──────────────────────────────────────────────────────────────────────────

const SUPPORT_PATHS = {
  EngineNotSupported: 'spec.engine.type',
  ModeNotSupported: 'spec.serving.mode',
  GpuRequired: 'spec.resources.gpu.count',
} as const;

/** Why Dynamo cannot run `md` with `context.engine`; empty when it can. */
export function validateDynamo(md: ModelDeployment, context: RenderContext): FieldError[] {
  const { spec } = md;
  const engine = context.engine;
  const unsupported = checkSupport('dynamo', servingRequest(spec, engine));
  if (unsupported) return [{ path: SUPPORT_PATHS[unsupported.reason], message: unsupported.message }];
  if (!isDynamoEngine(engine)) {
    return [{ path: 'spec.engine.type', message: `provider dynamo does not support engine ${engine}` }];
  }

  const errors: FieldError[] = [...envErrors(spec), ...reservedFlagErrors(spec, DYNAMO_RESERVED_FLAGS)];
  const settings = dynamoSettings(spec);
  if (!settings.ok) errors.push(...settings.errors);

  const workers = dynamoWorkers(spec, engine);
  for (const worker of workers) {
    if (worker.resources.gpuCount < 1) {
      errors.push({
        path: worker.gpuPath,
        message: `provider dynamo runs ${engine} workers on GPUs only: set ${worker.gpuPath.slice('spec.'.length)} to 1 or more`,
      });
    }
  }

  const { args, extraArgs } = spec.engine;
  const modelFlags = ['--model', '--model-path'];
  if (spec.model.id === undefined && !modelFlags.some((flag) => setsFlag(args, extraArgs, flag))) {
    errors.push({
      path: 'spec.model.id',
      message:
        'provider dynamo needs the model to serve: set model.id (with source custom, the path of the model in ' +
        `the image) or engine.args.${engine === 'vllm' ? 'model' : 'model-path'}`,
    });
  }
  if (spec.model.source === 'custom' && spec.engine.image === undefined && spec.image === undefined) {
    errors.push({
      path: 'spec.engine.image',
      message:
        `model.source custom serves a model built into the image, but no image is set and ` +
        `${DEFAULT_DYNAMO_IMAGES[engine]} contains none: set engine.image`,
    });
  }

  const image = dynamoImage(spec, engine, context);
  if (!hasDynamoVersionTag(image) && !(settings.ok && settings.settings.runtimeVersion !== undefined)) {
    errors.push({
      path: imagePath(spec),
      message:
        `image "${image}" has no version tag, and the Dynamo operator needs the Dynamo release it is built from: ` +
        `tag it with that release (e.g. :${DYNAMO_VERSION}) or set provider.overrides.runtimeVersion`,
    });
  }

  // The longest worker name decides how long the ModelDeployment's name may be.
  const longest = workers.reduce((a, b) => (b.name.length > a.name.length ? b : a));
  const maxName = MAX_SERVICE_NAME - 1 - longest.name.length - WORKER_HASH_SUFFIX;
  if (md.metadata.name.length > maxName) {
    errors.push({
      path: 'metadata.name',
      message:
        `the Dynamo operator names the Service of worker ${longest.name} ` +
        `"${md.metadata.name}-${longest.name.toLowerCase()}-<hash>", which must fit in ${MAX_SERVICE_NAME} characters: ` +
        `use a name of at most ${maxName} characters`,
    });
  }
  return errors;
}

// ── rendering ───────────────────────────────────────────────────────────────────────────

/** The DynamoGraphDeployment of a ModelDeployment. */
export function renderDynamo(md: ModelDeployment, context: RenderContext): RenderResult {
  const errors = validateDynamo(md, context);
  const engine = context.engine;
  const settings = dynamoSettings(md.spec);
  if (errors.length > 0 || !settings.ok || !isDynamoEngine(engine)) return { ok: false, errors };

  const { spec } = md;
  const { routerMode, runtimeVersion } = settings.settings;
  const image = dynamoImage(spec, engine, context);
  const notes: string[] = [];
  const kvRouting = routerMode === 'kv';
  if (kvRouting && !spec.engine.enablePrefixCaching) {
    notes.push(
      'provider.overrides.routerMode kv routes requests by KV-cache overlap, which engine.enablePrefixCaching: ' +
        'false turns off: the Frontend routes without cache hits',
    );
  }

  const components: DynamoComponent[] = [frontend(md, engine, image, settings.settings)];
  for (const worker of dynamoWorkers(spec, engine)) {
    const args = engineArgs(spec, engine, {
      gpuCount: worker.resources.gpuCount,
      reservedFlags: DYNAMO_RESERVED_FLAGS,
    });
    if (!args.ok) return { ok: false, errors: args.errors };
    for (const note of args.notes) if (!notes.includes(note)) notes.push(note);
    const publishesKvEvents = kvRouting && spec.engine.enablePrefixCaching && worker.role !== 'decode';
    components.push(
      workerComponent(md, engine, image, worker, [
        ...roleFlags(spec, engine, worker.role, publishesKvEvents),
        ...args.args,
      ]),
    );
  }
  if (runtimeVersion !== undefined) {
    for (const component of components) component.runtimeVersionOverride = runtimeVersion;
  }

  const dgd: DynamoGraphDeployment = {
    apiVersion: DYNAMO_API_VERSION,
    kind: DYNAMO_KIND,
    metadata: defined({
      name: md.metadata.name,
      namespace: md.metadata.namespace,
      labels: objectLabels(md, { provider: 'dynamo', engine, component: 'inference-graph' }),
    }),
    spec: { backendFramework: engine, components },
  };
  const patched = applyPatch(dgd, settings.settings.patch);
  if (!patched.ok) return { ok: false, errors: patched.errors };
  return { ok: true, objects: [patched.dgd], notes };
}

function frontend(
  md: ModelDeployment,
  engine: DynamoEngine,
  image: string,
  settings: DynamoSettings,
): DynamoComponent {
  const { spec } = md;
  const labels = objectLabels(md, { provider: 'dynamo', engine, component: 'frontend' });
  const resources: ResourceRequirements = {
    requests: { cpu: settings.frontendCpu, memory: settings.frontendMemory },
  };
  // The Dynamo operator supplies the command (python3 -m dynamo.frontend), port and probes.
  // Environment as on the workers: the Frontend downloads the tokenizer (the HuggingFace
  // token) and reads DYN_* settings the user may set.
  const container: Container = {
    name: DYNAMO_MAIN_CONTAINER,
    image,
    env: containerEnv(spec, [{ name: 'DYN_ROUTER_MODE', value: settings.routerMode }]),
    resources,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  return {
    name: DYNAMO_FRONTEND_COMPONENT,
    type: 'frontend',
    replicas: settings.frontendReplicas,
    podTemplate: {
      metadata: defined({ labels: podLabels(spec, labels), annotations: podAnnotations(spec) }),
      // No nodeSelector: it chooses the nodes of the model server (typically a GPU pool), and
      // the Frontend needs no GPU. Tolerations only widen where it may run.
      spec: defined({
        containers: [container],
        tolerations: tolerations(spec),
        enableServiceLinks: false,
      }),
    },
  };
}

function workerComponent(
  md: ModelDeployment,
  engine: DynamoEngine,
  image: string,
  worker: DynamoWorkerPlan,
  args: string[],
): DynamoComponent {
  const { spec } = md;
  const component = worker.role === 'worker' ? 'worker' : `${worker.role}-worker`;
  const labels = objectLabels(md, { provider: 'dynamo', engine, component });
  const defaults: EnvVar[] = [{ name: 'HF_HOME', value: `${CACHE_PATH}/huggingface` }];
  const container: Container = {
    name: DYNAMO_MAIN_CONTAINER,
    image,
    command: ['python3', '-m', DYNAMO_WORKER_MODULES[engine]],
    args,
    env: containerEnv(spec, defaults),
    resources: containerResources(worker.resources),
    // A restarted container finds the model it downloaded.
    volumeMounts: [{ name: 'model-cache', mountPath: CACHE_PATH }],
    // The tail of the log becomes the termination message, which status reports on a crash.
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  const tensorParallel = worker.resources.gpuCount > 1;
  return defined({
    name: worker.name,
    type: worker.role,
    replicas: worker.replicas,
    // NCCL between the GPUs of a pod needs more /dev/shm than the operator's default 8Gi may
    // allow for; it counts against the pod's memory, hence half of it, at most 16Gi.
    sharedMemorySize: tensorParallel
      ? shmSizeLimit({ ...spec, resources: { ...spec.resources, memory: worker.resources.memory } })
      : undefined,
    podTemplate: {
      metadata: defined({ labels: podLabels(spec, labels), annotations: podAnnotations(spec) }),
      spec: defined({
        containers: [container],
        volumes: [{ name: 'model-cache', emptyDir: {} }],
        nodeSelector: nodeSelector(spec),
        tolerations: tolerations(spec),
        enableServiceLinks: false,
      }),
    },
  });
}

// KV events go where the router places requests by cache overlap: the aggregated workers, or
// the prefill workers (decode workers receive the KV cache from them).
const VLLM_KV_EVENTS =
  '{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:20080","enable_kv_cache_events":true}';
const SGLANG_KV_EVENTS = '{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:5557"}';
// NIXL moves the KV cache from prefill to decode workers; kv_both lets either side pull.
const VLLM_KV_TRANSFER = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';
// TensorRT-LLM moves the KV cache only with a cache transceiver, and its context (prefill)
// servers run without the overlap scheduler.
const TRTLLM_PREFILL_ENGINE_ARGS =
  '{"cache_transceiver_config":{"backend":"DEFAULT"},"disable_overlap_scheduler":true}';
const TRTLLM_DECODE_ENGINE_ARGS = '{"cache_transceiver_config":{"backend":"DEFAULT"}}';

/**
 * The provider's flags of a worker: its role in disaggregated serving and KV-event publishing.
 * Each is left out when engine.args or engine.extraArgs set the same flag, so a user can pick
 * another KV connector or event endpoint.
 */
function roleFlags(
  spec: ModelDeploymentSpec,
  engine: DynamoEngine,
  role: DynamoWorkerRole,
  publishesKvEvents: boolean,
): string[] {
  const out: string[] = [];
  const add = (flag: string, ...values: string[]) => {
    if (!setsFlag(spec.engine.args, spec.engine.extraArgs, flag)) out.push(flag, ...values);
  };
  if (role !== 'worker') out.push('--disaggregation-mode', role);
  switch (engine) {
    case 'vllm':
      if (role !== 'worker') add('--kv-transfer-config', VLLM_KV_TRANSFER);
      if (publishesKvEvents) add('--kv-events-config', VLLM_KV_EVENTS);
      break;
    case 'sglang':
      // The Dynamo frontend tokenizes; the worker receives token IDs.
      add('--skip-tokenizer-init');
      if (role !== 'worker') {
        add('--disaggregation-transfer-backend', 'nixl');
        // The prefill worker's bootstrap server must be reachable from decode pods.
        add('--host', '0.0.0.0');
      }
      if (publishesKvEvents) add('--kv-events-config', SGLANG_KV_EVENTS);
      break;
    case 'trtllm':
      if (role !== 'worker') {
        add(
          '--override-engine-args',
          role === 'prefill' ? TRTLLM_PREFILL_ENGINE_ARGS : TRTLLM_DECODE_ENGINE_ARGS,
        );
      }
      if (publishesKvEvents) add('--publish-kv-events');
      break;
  }
  return out;
}

// ── provider.overrides.patch ────────────────────────────────────────────────────────────

type PatchResult =
  | { readonly ok: true; readonly dgd: DynamoGraphDeployment }
  | { readonly ok: false; readonly errors: FieldError[] };

function applyPatch(
  dgd: DynamoGraphDeployment,
  patch: Readonly<Record<string, unknown>> | undefined,
): PatchResult {
  if (patch === undefined) return { ok: true, dgd };
  const patchSpec = patch.spec;
  if (!isPlainObject(patchSpec) || !isPlainObject(patchSpec.components)) {
    return { ok: true, dgd: mergePatch(dgd, patch) };
  }
  const byName = patchSpec.components;
  const names = dgd.spec.components.map((c) => c.name);
  const errors: FieldError[] = [];
  for (const name of Object.keys(byName).sort(byCodePoint)) {
    const path = `spec.provider.overrides.${OVERRIDE_PATCH_KEY}.spec.components.${name}`;
    if (!names.includes(name)) {
      errors.push({
        path,
        message: `this deployment has no component "${name}"; its components are ${orList(names.map((n) => `"${n}"`))}`,
      });
    } else if (!isPlainObject(byName[name])) {
      errors.push({
        path,
        message: `overrides.patch.spec.components.${name} must be an object merged into the component`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const components = dgd.spec.components.map((component) => {
    const componentPatch = byName[component.name];
    return isPlainObject(componentPatch) ? mergePatch(component, componentPatch) : component;
  });
  const { components: _byName, ...restOfSpec } = patchSpec;
  const rest = { ...patch, spec: restOfSpec };
  return { ok: true, dgd: mergePatch({ ...dgd, spec: { ...dgd.spec, components } }, rest) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
