// KAITO: one `kaito.sh` Workspace named after the ModelDeployment, which KAITO's workspace
// controller turns into a StatefulSet, a Service `<name>` (port 80 → 5000 on the pod with
// ordinal 0) and a headless Service `<name>-headless`. Two ways to fill the Workspace:
//
// - vLLM on GPUs: a KAITO preset (`inference.preset.name` = model.id; KAITO generates presets
//   for HuggingFace model IDs). KAITO builds the pod itself — its image, GPUs, probes and
//   tolerations — so the engine settings travel the one way KAITO offers: a ConfigMap whose
//   `inference_config.yaml` lists vLLM flags, named by `inference.config`.
// - llama.cpp on CPUs or GPUs (GGUF models): a custom pod template (`inference.template`)
//   running a llama.cpp runner image that serves on port 5000, where KAITO's Service sends
//   traffic.
//
// Version: kaito.sh/v1beta1. The CRD serves v1alpha1 and v1beta1 and stores v1beta1, which is
// what KAITO's controllers read and its documentation uses. v1alpha1 has no
// `presetOptions.modelAccessSecret` (the HuggingFace token of a preset) and defaults
// `instanceType` to an Azure GPU SKU, which KAITO refuses when node auto-provisioning is off.
// The API reference names no version.
//
// What KAITO does with `resource` (the reason for several choices below):
// - `labelSelector` picks the nodes. With existing nodes (node auto-provisioning off, the usual
//   install) KAITO waits until as many Ready nodes match it as it wants to use (`count` for a
//   pod template, its own estimate for a preset), then pins the pods to matching nodes with a
//   required node affinity (a template's own affinity is replaced). For a vLLM preset KAITO's
//   admission webhook also reads the GPU model, count and memory from the NVIDIA labels of
//   every matching node, which must all be alike. Keys under kaito.sh are KAITO's own and are
//   ignored in the selector. KAITO's webhook refuses changes to labelSelector, count,
//   instanceType and the preset once the Workspace exists, and KAITO creates a template's
//   StatefulSet once and ignores later template edits: workspaceRecreateKey tells the
//   operator when a Workspace has to be recreated instead.
// - `count` is how many nodes (and, for a pod template, how many pods) a Workspace gets; it is
//   deprecated in v1beta1 but is still the only replica setting of a template Workspace.
// - `instanceType` is the node SKU KAITO provisions with node auto-provisioning on, and must be
//   empty with it off: an installation setting, so it is the `instanceType` override.
// - Tolerations: KAITO adds its own to every inference pod (nvidia.com/gpu and sku=gpu
//   NoSchedule taints, and Azure spot nodes on Azure). A pod template keeps its tolerations
//   and gets KAITO's appended; a preset pod has KAITO's only.
import type { FieldError, ModelDeployment, ModelDeploymentSpec } from '@airunway/schema';
import { checkSupport, servingRequest } from '../catalogue.js';
import { byCodePoint, engineArgs, servedModelName, type ReservedFlag } from '../engine-args.js';
import type {
  Container,
  ContainerPort,
  KubernetesObject,
  ObjectCondition,
  ResourceRequirements,
  SecurityContext,
  Toleration,
} from '../kubernetes.js';
import { mergePatch, readOverrides, type OverrideField } from '../overrides.js';
import {
  aggregatedResources,
  containerEnv,
  containerResources,
  defined,
  envErrors,
  HF_TOKEN_ENV,
  objectLabels,
  podAnnotations,
  podLabels,
  sortedMap,
  tolerations,
} from '../pod-spec.js';
import type { RenderContext, RenderResult } from '../provider.js';
import { orList } from '../text.js';

export const KAITO_API_VERSION = 'kaito.sh/v1beta1';
export const WORKSPACE_KIND = 'Workspace';

/** The port of the Service KAITO creates for a Workspace (named after it). */
export const KAITO_SERVICE_PORT = 80;
/** Where KAITO's Service sends traffic: the inference server must listen here. */
export const KAITO_INFERENCE_PORT = 5000;

/**
 * The llama.cpp runner of the API reference's gemma-cpu example; engine.image, the legacy
 * image and RenderContext.defaultImage replace it. Only a `latest` tag is published for it.
 */
export const DEFAULT_LLAMACPP_IMAGE = 'ghcr.io/sozercan/llama-cpp-runner:latest';
export const LLAMACPP_CONTAINER = 'llamacpp';
export const LLAMACPP_PORT_NAME = 'http';

/** The label KAITO puts on every pod of a Workspace (preset pods carry no other of ours). */
export const KAITO_WORKSPACE_LABEL = 'kaito.sh/workspace';
/** The key of the inference ConfigMap that KAITO mounts into a preset's pods. */
export const KAITO_INFERENCE_CONFIG_KEY = 'inference_config.yaml';

const OS_LABEL = 'kubernetes.io/os';
/** Set by NVIDIA GPU feature discovery on nodes with NVIDIA GPUs. */
const GPU_PRESENT_LABEL = 'nvidia.com/gpu.present';
const NVIDIA_GPU = 'nvidia.com/gpu';

export const KAITO_PERFORMANCE_MODE_ANNOTATION = 'kaito.sh/performance-mode';
export const KAITO_DISABLE_BENCHMARK_ANNOTATION = 'kaito.sh/disable-benchmark';

/**
 * The tolerations KAITO gives every inference pod (the last one on Azure only, which is the
 * only cloud with that taint).
 */
export const KAITO_TOLERATIONS: readonly Toleration[] = [
  { key: NVIDIA_GPU, operator: 'Exists', effect: 'NoSchedule' },
  { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
  { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
];

/** The typed keys of provider.overrides for KAITO; `patch` is merged into the Workspace. */
export const KAITO_OVERRIDE_FIELDS: readonly OverrideField[] = [
  {
    path: 'instanceType',
    type: 'string',
    description:
      'Node SKU KAITO provisions for the Workspace when node auto-provisioning is on, e.g. ' +
      'Standard_NC24ads_A100_v4. Leave unset when KAITO runs on existing nodes (the default install).',
  },
  {
    path: 'performanceMode',
    type: 'string',
    values: ['balanced', 'interactivity', 'throughput'],
    description:
      "vLLM presets only: KAITO's performance preset (latency-oriented interactivity, throughput, or " +
      'the default balanced).',
  },
  {
    path: 'disableBenchmark',
    type: 'boolean',
    description:
      'vLLM presets only: skip the throughput benchmark KAITO runs after the model loads, which delays ' +
      'readiness by a few minutes.',
  },
];

/** Flags KAITO's preset sets itself: the Service, the probes and the preset depend on them. */
export const KAITO_VLLM_RESERVED_FLAGS: readonly ReservedFlag[] = [
  { name: 'model', why: 'provider kaito serves the preset named by model.id' },
  { name: 'host', why: "provider kaito's Service must reach the server on every address of the pod" },
  {
    name: 'port',
    why: `KAITO's Service and probes expect the server on port ${KAITO_INFERENCE_PORT}`,
  },
];

export const KAITO_LLAMACPP_RESERVED_FLAGS: readonly ReservedFlag[] = [
  {
    name: 'address',
    why: `provider kaito sets --address=:${KAITO_INFERENCE_PORT}, where KAITO's Service sends traffic`,
  },
  { name: 'host', why: "provider kaito's Service must reach the server on every address of the pod" },
  {
    name: 'port',
    why: `KAITO's Service sends traffic to port ${KAITO_INFERENCE_PORT}`,
  },
];

// ── object shapes ────────────────────────────────────────────────────────────────────────

/** A condition as KAITO reports it (metav1.Condition). */
export interface WorkspaceCondition extends ObjectCondition {
  observedGeneration?: number;
}

export interface WorkspaceStatus {
  conditions?: WorkspaceCondition[];
  /** Pending, Ready, NotReady (inference); Running, Succeeded, Failed (tuning). */
  state?: string;
  /** Nodes KAITO wants for the Workspace, fixed on its first reconcile. */
  targetNodeCount?: number;
  workerNodes?: string[];
}

export interface TcpSocketProbe {
  tcpSocket: { port: number | string };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export type LlamaCppContainer = Omit<Container, 'readinessProbe' | 'ports' | 'resources'> & {
  ports: ContainerPort[];
  resources?: ResourceRequirements;
  readinessProbe?: TcpSocketProbe;
};

export interface WorkspaceTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: LlamaCppContainer[];
    tolerations?: Toleration[];
    enableServiceLinks?: boolean;
    automountServiceAccountToken?: boolean;
    securityContext?: { seccompProfile?: SecurityContext['seccompProfile'] };
    terminationGracePeriodSeconds?: number;
  };
}

export interface Workspace extends KubernetesObject {
  apiVersion: typeof KAITO_API_VERSION;
  kind: typeof WORKSPACE_KIND;
  resource: {
    count?: number;
    instanceType?: string;
    labelSelector: { matchLabels: Record<string, string> };
  };
  inference: {
    preset?: { name: string; presetOptions?: { modelAccessSecret?: string } };
    config?: string;
    template?: WorkspaceTemplate;
  };
  status?: WorkspaceStatus;
}

export interface InferenceConfigMap extends KubernetesObject {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  data: Record<string, string>;
}

// ── validate and render ──────────────────────────────────────────────────────────────────

type Plan =
  | { ok: true; workspace: Workspace; configMap?: InferenceConfigMap; notes: string[] }
  | { ok: false; errors: FieldError[] };

/** Why KAITO cannot run `md` with `context.engine`; empty when it can. */
export function validateKaito(md: ModelDeployment, context: RenderContext): FieldError[] {
  const plan = planKaito(md, context);
  return plan.ok ? [] : plan.errors;
}

/**
 * The objects of a ModelDeployment on KAITO, in apply order: for vLLM the inference ConfigMap
 * first (KAITO's webhook refuses a Workspace whose ConfigMap does not exist yet), then the
 * Workspace.
 */
export function renderKaito(md: ModelDeployment, context: RenderContext): RenderResult {
  const plan = planKaito(md, context);
  if (!plan.ok) return plan;
  const objects: KubernetesObject[] = plan.configMap ? [plan.configMap, plan.workspace] : [plan.workspace];
  return { ok: true, objects, notes: plan.notes };
}

/** The selector of a Workspace's pods: KAITO labels them all, preset pods with nothing of ours. */
export function kaitoPodSelector(md: ModelDeployment): Record<string, string> {
  return { [KAITO_WORKSPACE_LABEL]: md.metadata.name };
}

/**
 * The parts of a rendered Workspace that KAITO never changes on a live one, as a stable string:
 * when it differs from the live Workspace's, the Workspace must be recreated, not updated.
 * KAITO's webhook refuses changes to `resource` and `inference.preset`; KAITO creates the
 * StatefulSet of a pod template once and ignores later template edits; and it reads its
 * kaito.sh annotations only when it creates the StatefulSet. A new inference ConfigMap name
 * is the one change KAITO rolls out by itself.
 */
export function workspaceRecreateKey(workspace: Workspace): string {
  const annotations = Object.entries(workspace.metadata.annotations ?? {}).filter(([key]) =>
    key.startsWith('kaito.sh/'),
  );
  return JSON.stringify(
    sortedDeep({
      annotations: Object.fromEntries(annotations),
      preset: workspace.inference.preset ?? null,
      resource: workspace.resource,
      template: workspace.inference.template ?? null,
    }),
  );
}

/** The image of the llama.cpp server: engine.image, else the legacy image, else the default. */
export function llamaCppImage(
  spec: ModelDeploymentSpec,
  context?: Pick<RenderContext, 'defaultImage'>,
): string {
  return spec.engine.image ?? spec.image ?? context?.defaultImage ?? DEFAULT_LLAMACPP_IMAGE;
}

/**
 * Node labels the Workspace selects: Linux nodes (the selector is required, and an empty
 * one would also count Windows nodes), NVIDIA GPU nodes when NVIDIA GPUs are requested, and
 * spec.nodeSelector, which wins over both.
 */
export function workspaceNodeLabels(spec: ModelDeploymentSpec): Record<string, string> {
  const labels: Record<string, string> = { [OS_LABEL]: 'linux' };
  if (spec.resources.gpu.count > 0 && spec.resources.gpu.type === NVIDIA_GPU) {
    labels[GPU_PRESENT_LABEL] = 'true';
  }
  return sortedMap({ ...labels, ...spec.nodeSelector });
}

function planKaito(md: ModelDeployment, context: RenderContext): Plan {
  const { spec } = md;
  const unsupported = checkSupport('kaito', servingRequest(spec, context.engine));
  if (unsupported) {
    const path = {
      EngineNotSupported: 'spec.engine.type',
      ModeNotSupported: 'spec.serving.mode',
      GpuRequired: 'spec.resources.gpu.count',
    }[unsupported.reason];
    return { ok: false, errors: [{ path, message: unsupported.message }] };
  }

  const errors: FieldError[] = [];
  const notes: string[] = [];
  const overrides = readOverrides(spec, 'kaito', KAITO_OVERRIDE_FIELDS);
  if (!overrides.ok) errors.push(...overrides.errors);
  errors.push(...nodeSelectorErrors(spec));

  const engine = context.engine;
  const inference =
    engine === 'vllm' ? presetInference(md, errors, notes) : templateInference(md, context, errors, notes);
  if (errors.length > 0 || !overrides.ok || inference === undefined) return { ok: false, errors };

  const instanceType = overrides.values.get('instanceType') as string | undefined;
  const performanceMode = overrides.values.get('performanceMode') as string | undefined;
  const disableBenchmark = overrides.values.get('disableBenchmark') as boolean | undefined;
  const annotations: Record<string, string> = {};
  if (engine === 'vllm') {
    if (performanceMode !== undefined) annotations[KAITO_PERFORMANCE_MODE_ANNOTATION] = performanceMode;
    if (disableBenchmark === true) annotations[KAITO_DISABLE_BENCHMARK_ANNOTATION] = 'true';
  } else {
    if (performanceMode !== undefined) {
      notes.push(
        "provider.overrides.performanceMode has no effect with llama.cpp: it tunes KAITO's vLLM presets",
      );
    }
    if (disableBenchmark !== undefined) {
      notes.push(
        'provider.overrides.disableBenchmark has no effect with llama.cpp: KAITO benchmarks vLLM presets only',
      );
    }
  }

  const workspace: Workspace = {
    apiVersion: KAITO_API_VERSION,
    kind: WORKSPACE_KIND,
    metadata: defined({
      name: md.metadata.name,
      namespace: md.metadata.namespace,
      labels: objectLabels(md, { provider: 'kaito', engine, component: 'model-server' }),
      annotations: Object.keys(annotations).length > 0 ? sortedMap(annotations) : undefined,
    }),
    resource: defined({
      // A preset Workspace is one model server whatever its node count, which KAITO estimates.
      count: inference.workspace.template ? (spec.scaling.replicas ?? 1) : undefined,
      instanceType,
      labelSelector: { matchLabels: workspaceNodeLabels(spec) },
    }),
    inference: inference.workspace,
  };
  return {
    ok: true,
    workspace: mergePatch(workspace, overrides.patch && sortedDeep(overrides.patch)),
    ...(inference.configMap ? { configMap: inference.configMap } : {}),
    notes,
  };
}

interface InferencePart {
  workspace: Workspace['inference'];
  configMap?: InferenceConfigMap;
}

// ── the vLLM preset ──────────────────────────────────────────────────────────────────────

/**
 * `inference` of a vLLM preset plus its ConfigMap. Settings that change what the server does
 * or where it may run, but that a preset cannot take (env, an image, tolerations KAITO does
 * not add), are errors; metadata and sizing it ignores are notes.
 */
function presetInference(
  md: ModelDeployment,
  errors: FieldError[],
  notes: string[],
): InferencePart | undefined {
  const { spec } = md;
  const replicas = spec.scaling.replicas ?? 1;
  if (replicas === 0) {
    errors.push(SCALED_TO_ZERO);
  } else if (replicas !== 1) {
    errors.push({
      path: 'spec.scaling.replicas',
      message:
        `provider kaito serves a vLLM preset as one model server per Workspace (spread over as many nodes as ` +
        `the model needs), so it cannot run ${replicas} replicas: set scaling.replicas to 1, or use provider ` +
        'vllm or dynamo for several replicas',
    });
  }
  if (spec.model.source === 'custom') {
    errors.push({
      path: 'spec.model.source',
      message:
        'KAITO vLLM presets download the model from HuggingFace: set model.source to huggingface, or serve a ' +
        'model built into an image with engine.type llamacpp or provider vllm',
    });
  }
  for (const [field, path] of [
    [spec.engine.image, 'spec.engine.image'],
    [spec.image, 'spec.image'],
  ] as const) {
    if (field !== undefined) {
      errors.push({
        path,
        message:
          `provider kaito runs vLLM presets in KAITO's own image: remove ${path.slice('spec.'.length)}, or use ` +
          'provider vllm for a custom vLLM image',
      });
    }
  }
  if (spec.resources.gpu.type !== NVIDIA_GPU) {
    errors.push({
      path: 'spec.resources.gpu.type',
      message:
        `KAITO vLLM presets run on NVIDIA GPUs only: set resources.gpu.type to ${NVIDIA_GPU}, or use provider ` +
        `vllm for ${spec.resources.gpu.type}`,
    });
  }
  (spec.env ?? []).forEach((env, index) => {
    errors.push({
      path: `spec.env[${index}]`,
      message:
        env.name === HF_TOKEN_ENV
          ? `KAITO vLLM presets read the HuggingFace token from a Secret only: set secrets.huggingFaceToken ` +
            `and remove env[${index}]`
          : `KAITO builds the pods of vLLM presets itself and passes them no environment variables: remove ` +
            `env[${index}] (${env.name}), or use provider vllm`,
    });
  });
  presetTolerations(spec, errors, notes);

  if (spec.resources.memory !== undefined || spec.resources.cpu !== undefined) {
    notes.push(
      'resources.memory and resources.cpu have no effect with KAITO vLLM presets: KAITO requests only GPUs ' +
        'for the model server',
    );
  }
  if (spec.resources.gpu.count > 1) {
    notes.push(
      `KAITO gives a vLLM preset pod every GPU of its node and picks tensor parallelism itself, so ` +
        `resources.gpu.count ${spec.resources.gpu.count} only asks for GPU nodes; to get nodes with that many ` +
        `GPUs, set nodeSelector nvidia.com/gpu.count: "${spec.resources.gpu.count}"`,
    );
  }
  if (
    spec.podTemplate?.metadata?.labels !== undefined ||
    spec.podTemplate?.metadata?.annotations !== undefined
  ) {
    notes.push(
      `podTemplate.metadata has no effect with KAITO vLLM presets: KAITO builds their pods and labels them ` +
        `${KAITO_WORKSPACE_LABEL}: ${md.metadata.name} only`,
    );
  }

  const config = presetConfig(md, errors, notes);
  if (errors.length > 0 || config === undefined || spec.model.id === undefined) return undefined;
  const secret = spec.secrets?.huggingFaceToken;
  return {
    workspace: {
      preset: defined({
        name: spec.model.id,
        presetOptions: secret === undefined ? undefined : { modelAccessSecret: secret },
      }),
      config: config.metadata.name,
    },
    configMap: config,
  };
}

/** A preset pod has KAITO's tolerations only; anything they do not cover cannot apply. */
function presetTolerations(spec: ModelDeploymentSpec, errors: FieldError[], notes: string[]): void {
  (spec.tolerations ?? []).forEach((toleration, index) => {
    if (KAITO_TOLERATIONS.some((kaito) => covers(kaito, toleration))) return;
    const described = describeToleration(toleration);
    if (toleration.effect === 'PreferNoSchedule') {
      notes.push(
        `tolerations[${index}] (${described}) has no effect with KAITO vLLM presets; a PreferNoSchedule taint ` +
          'only makes the scheduler avoid the node',
      );
      return;
    }
    errors.push({
      path: `spec.tolerations[${index}]`,
      message:
        `KAITO vLLM preset pods tolerate only ${orList(KAITO_TOLERATIONS.map(describeToleration))} (the last on ` +
        `Azure), not ${described}: remove tolerations[${index}] and the taint from the GPU nodes, or use ` +
        'provider vllm, which applies tolerations',
    });
  });
}

/** Whether `kaito` tolerates every taint `toleration` tolerates. */
function covers(kaito: Toleration, toleration: Toleration): boolean {
  if (toleration.key !== kaito.key || toleration.effect !== kaito.effect) return false;
  if (kaito.operator === 'Exists') return true;
  return (toleration.operator ?? 'Equal') === 'Equal' && (toleration.value ?? '') === kaito.value;
}

function describeToleration(t: Toleration): string {
  const key = t.key ?? '*';
  const taint = t.operator === 'Exists' || t.value === undefined ? key : `${key}=${t.value}`;
  return `${taint}:${t.effect ?? '*'}`;
}

/**
 * The ConfigMap of vLLM flags. KAITO's server reads `inference_config.yaml` and appends each
 * `vllm` entry to its command line as "--name value", after its own flags, so these win.
 *
 * The flags come from engineArgs, with two things left to KAITO: the model (KAITO downloads
 * the preset and passes it, or a local path, as --model) and GPU sizing (KAITO gives the pod
 * every GPU of its node, picks tensor parallelism, and sizes nodes assuming its own GPU memory
 * fraction) — hence no model.id and a GPU count of 0. The served name is AI Runway's default
 * (the basename of model.id) instead of KAITO's (the whole ID in lower case).
 *
 * The name carries a hash of the content: KAITO restarts the model server when the Workspace
 * changes, not when a ConfigMap it mounts does, so new flags need a new name to take effect.
 */
function presetConfig(
  md: ModelDeployment,
  errors: FieldError[],
  notes: string[],
): InferenceConfigMap | undefined {
  const { spec } = md;
  const flagSpec: ModelDeploymentSpec = {
    ...spec,
    model: { ...spec.model, id: undefined, servedName: servedModelName(spec) },
  };
  const args = engineArgs(flagSpec, 'vllm', { gpuCount: 0, reservedFlags: KAITO_VLLM_RESERVED_FLAGS });
  if (!args.ok) {
    errors.push(...args.errors);
    return undefined;
  }
  notes.push(...args.notes);

  const extraArgs = spec.engine.extraArgs;
  const fromFields = configEntries(args.args.slice(0, args.args.length - extraArgs.length));
  const fromExtra = configEntries(extraArgs);
  for (const problem of fromExtra.problems) {
    errors.push({ path: `spec.engine.extraArgs[${problem.index}]`, message: problem.message });
  }
  // Only an engine.args value that is itself "--" or a repeated flag gets here.
  for (const problem of fromFields.problems) {
    errors.push({ path: 'spec.engine.args', message: problem.message });
  }
  if (fromFields.problems.length > 0 || fromExtra.problems.length > 0) return undefined;

  const data = inferenceConfigYaml([...fromFields.entries, ...fromExtra.entries]);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: defined({
      name: `${md.metadata.name}-vllm-${fnv1a(data)}`,
      namespace: md.metadata.namespace,
      labels: objectLabels(md, { provider: 'kaito', engine: 'vllm', component: 'model-server' }),
    }),
    data: { [KAITO_INFERENCE_CONFIG_KEY]: data },
  };
}

interface ConfigEntries {
  entries: [string, string][];
  problems: { index: number; message: string }[];
}

/**
 * Command-line arguments as KAITO config entries. "--name=value" and "--name value" are
 * pairs; a flag without a value is written with itself as value, so KAITO passes
 * "--flag --flag", which sets it (KAITO would pass any other value as a stray positional
 * argument, which vLLM takes for the model). Short flags and bare values cannot be expressed.
 */
function configEntries(args: readonly string[]): ConfigEntries {
  const entries: [string, string][] = [];
  const problems: ConfigEntries['problems'] = [];
  const seen = new Set<string>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (!arg.startsWith('--') || arg === '--') {
      problems.push({
        index,
        message:
          `${JSON.stringify(arg)} cannot be passed to a KAITO vLLM preset, which takes flags as name/value ` +
          'pairs: write it as a long flag ("--name value" or "--name=value"), or move it to engine.args',
      });
      continue;
    }
    const at = index;
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    let value: string;
    if (equals !== -1) {
      value = arg.slice(equals + 1);
    } else {
      const next = args[index + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        index++;
      } else {
        value = arg;
      }
    }
    if (seen.has(name)) {
      problems.push({
        index: at,
        message:
          `--${name} appears twice; a KAITO vLLM preset takes each flag once: keep one (for a list, ` +
          'give it a JSON value if vLLM accepts one)',
      });
      continue;
    }
    seen.add(name);
    entries.push([name, value]);
  }
  return { entries, problems };
}

/** `inference_config.yaml`: double-quoted keys and values (JSON strings, ASCII only). */
function inferenceConfigYaml(entries: readonly [string, string][]): string {
  const lines = [
    '# vLLM flags of the ModelDeployment. KAITO passes each entry to the server as "--name value";',
    '# a flag without a value has itself as value ("--flag --flag" sets it).',
    'vllm:',
    ...entries.map(([name, value]) => `  ${yamlString(name)}: ${yamlString(value)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * A YAML double-quoted scalar. Non-ASCII characters are escaped: YAML 1.1 readers (PyYAML in
 * KAITO's server) take U+2028 and U+0085 for line breaks.
 */
function yamlString(text: string): string {
  return JSON.stringify(text).replace(/[\u{7f}-\u{10ffff}]/gu, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff
      ? `\\U${code.toString(16).padStart(8, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits: a stable name suffix. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

// ── the llama.cpp pod template ───────────────────────────────────────────────────────────

/**
 * `inference.template`: one llama.cpp container serving on port 5000. KAITO copies the template
 * into a StatefulSet of `count` pods, adds its label and tolerations and replaces the affinity.
 */
function templateInference(
  md: ModelDeployment,
  context: RenderContext,
  errors: FieldError[],
  notes: string[],
): InferencePart | undefined {
  const { spec } = md;
  const replicas = spec.scaling.replicas ?? 1;
  if (replicas === 0) errors.push(SCALED_TO_ZERO);
  if (spec.model.source === 'custom' && spec.engine.image === undefined && spec.image === undefined) {
    errors.push({
      path: 'spec.engine.image',
      message:
        'model.source custom serves a model built into the image, but no image is set: set engine.image to an ' +
        'image with the model and a llama.cpp server',
    });
  }
  errors.push(...envErrors(spec));
  const args = engineArgs(spec, 'llamacpp', { reservedFlags: KAITO_LLAMACPP_RESERVED_FLAGS });
  if (!args.ok) errors.push(...args.errors);
  if (errors.length > 0 || !args.ok) return undefined;
  notes.push(...args.notes);
  if (spec.model.servedName !== undefined) {
    notes.push(
      'model.servedName has no effect with llama.cpp on KAITO: the runner names the model itself ' +
        '(GET /v1/models lists it); set the name with engine.args if the image supports it',
    );
  }

  if (replicas > 1) {
    notes.push(
      `KAITO's Service ${md.metadata.name} sends traffic to pod ${md.metadata.name}-0 only; all ${replicas} ` +
        'replicas serve through the inference Gateway, and KAITO waits for as many Ready nodes as replicas',
    );
  }

  const labels = objectLabels(md, { provider: 'kaito', engine: 'llamacpp', component: 'model-server' });
  const modelArg =
    spec.model.source === 'huggingface' && spec.model.id !== undefined
      ? [`huggingface://${spec.model.id}`]
      : [];
  const container: LlamaCppContainer = defined({
    name: LLAMACPP_CONTAINER,
    image: llamaCppImage(spec, context),
    args: [...modelArg, `--address=:${KAITO_INFERENCE_PORT}`, ...args.args],
    env: optionalList(containerEnv(spec)),
    ports: [{ name: LLAMACPP_PORT_NAME, containerPort: KAITO_INFERENCE_PORT, protocol: 'TCP' as const }],
    resources: optionalResources(containerResources(aggregatedResources(spec))),
    // KAITO reports the Workspace ready when every pod is Ready. The runner's HTTP health path
    // is not documented, so readiness is "the server accepts connections".
    readinessProbe: {
      tcpSocket: { port: LLAMACPP_PORT_NAME },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    securityContext: { allowPrivilegeEscalation: false },
    // The tail of the log becomes the termination message, which status() reports on a crash.
    terminationMessagePolicy: 'FallbackToLogsOnError' as const,
  });
  const template: WorkspaceTemplate = {
    metadata: defined({ labels: podLabels(spec, labels), annotations: podAnnotations(spec) }),
    spec: defined({
      containers: [container],
      tolerations: tolerations(spec),
      // Service links would put variables of every Service in the namespace into the
      // environment, and the server never calls the Kubernetes API.
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' as const } },
    }),
  };
  return { workspace: { template } };
}

// ── checks shared by both paths ──────────────────────────────────────────────────────────

/** A Workspace always runs its pods: KAITO has no replica count of zero. */
const SCALED_TO_ZERO: FieldError = {
  path: 'spec.scaling.replicas',
  message:
    'KAITO cannot scale a Workspace to zero pods: set scaling.replicas to 1 or more, or delete the ' +
    'ModelDeployment to stop serving',
};

/** KAITO ignores its own node labels (kaito.sh and its subdomains) in a Workspace selector. */
function nodeSelectorErrors(spec: ModelDeploymentSpec): FieldError[] {
  return Object.keys(spec.nodeSelector ?? {})
    .sort(byCodePoint)
    .filter((key) => {
      const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
      return prefix === 'kaito.sh' || prefix.endsWith('.kaito.sh');
    })
    .map((key) => ({
      path: `spec.nodeSelector.${key}`,
      message: `KAITO reserves node labels under kaito.sh for its own nodes and ignores them in a selector: remove nodeSelector.${key}`,
    }));
}

/**
 * `value` with the keys of every object in code-point order, so fields a patch adds come out in
 * the same order however the user wrote them.
 */
function sortedDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedDeep) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => byCodePoint(a, b))
      .map(([key, item]) => [key, sortedDeep(item)]),
  ) as T;
}

function optionalList<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

function optionalResources(resources: ResourceRequirements): ResourceRequirements | undefined {
  return resources.limits === undefined && resources.requests === undefined ? undefined : resources;
}
