// What each provider is, what it can run, and how to tell whether it is installed: plain
// data, read by selection (which provider can serve a spec), by usability (is it installed
// and running) and by the dashboard (names, descriptions).
//
// The capability matrix is deliberately narrower than some providers advertise elsewhere:
// a combination is listed only when the provider serves it for real. KubeRay's
// "disaggregated" mode in the earlier implementation was two worker groups with no KV-cache
// transfer between them, which is not prefill/decode disaggregation, so it is not listed.
import type { EngineType, ModelDeploymentSpec, ProviderName, ServingMode } from '@airunway/schema';
import { PROVIDER_NAMES, SERVING_MODES } from '@airunway/schema';
import { orList } from './text.js';

/** What a provider can do with one engine. */
export interface EngineCapability {
  readonly engine: EngineType;
  readonly servingModes: readonly ServingMode[];
  /** Runs on GPU nodes (resources.gpu.count ≥ 1, or prefill/decode GPUs). */
  readonly gpu: boolean;
  /** Runs without GPUs (resources.gpu.count 0). */
  readonly cpu: boolean;
}

export interface ProviderCapabilities {
  /** In the provider's order of preference. */
  readonly engines: readonly EngineCapability[];
}

/**
 * How to find the operator of a provider: pods with these labels (the pod template labels
 * of its Deployment), in `namespace` or, when it is undefined, in any namespace.
 */
export interface OperatorProbe {
  readonly namespace?: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** Where this probe comes from, for people reading messages and docs. */
  readonly installedBy: string;
}

export interface ProviderDetection {
  /** CRDs that must exist and be Established; empty when the provider needs none. */
  readonly crds: readonly string[];
  /**
   * Ways to find the provider's operator; the operator is running when any one matches a
   * Ready pod. Empty when the provider has no operator of its own
   * (llm-d and Direct vLLM render plain Deployments that AI Runway's operator manages).
   */
  readonly operator: readonly OperatorProbe[];
}

/**
 * How to install a provider's operator with Helm. Pinned here, in the product, and never
 * read from the cluster: whoever can edit cluster objects must not be able to make the
 * product install a chart of their choosing.
 */
export interface ProviderInstall {
  /** Helm repository to add, when the chart comes from one. */
  readonly repository?: { readonly name: string; readonly url: string };
  /** `<repo>/<chart>`, or the URL of a chart archive. */
  readonly chart: string;
  readonly version: string;
  readonly release: string;
  readonly namespace: string;
  /** `--set-json` values, by path. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Why the values are what they are, for the install screen and the docs. */
  readonly notes: readonly string[];
}

/** One entry of the catalogue. */
export interface ProviderInfo {
  readonly id: ProviderName;
  readonly displayName: string;
  readonly description: string;
  readonly documentationUrl: string;
  /** Kind of the main object the provider creates for a ModelDeployment. */
  readonly resourceKind: string;
  readonly capabilities: ProviderCapabilities;
  readonly detection: ProviderDetection;
  /** Undefined for providers with nothing to install (llm-d, Direct vLLM). */
  readonly install?: ProviderInstall;
}

const GPU_ONLY = { gpu: true, cpu: false } as const;
const BOTH_MODES = SERVING_MODES;
const AGGREGATED = ['aggregated'] as const satisfies readonly ServingMode[];

export const PROVIDER_CATALOGUE: Readonly<Record<ProviderName, ProviderInfo>> = {
  dynamo: {
    id: 'dynamo',
    displayName: 'NVIDIA Dynamo',
    description:
      'NVIDIA Dynamo: a frontend with KV-aware routing in front of vLLM, SGLang or TensorRT-LLM workers, ' +
      'aggregated or with disaggregated prefill and decode.',
    documentationUrl: 'https://docs.nvidia.com/dynamo/latest/',
    resourceKind: 'DynamoGraphDeployment',
    capabilities: {
      engines: [
        { engine: 'vllm', servingModes: BOTH_MODES, ...GPU_ONLY },
        { engine: 'sglang', servingModes: BOTH_MODES, ...GPU_ONLY },
        // Dynamo's TensorRT-LLM worker takes --disaggregation-mode prefill|decode like the others.
        { engine: 'trtllm', servingModes: BOTH_MODES, ...GPU_ONLY },
      ],
    },
    detection: {
      crds: ['dynamographdeployments.nvidia.com'],
      operator: [
        {
          namespace: 'dynamo-system',
          podLabels: { 'app.kubernetes.io/name': 'dynamo-operator', 'control-plane': 'controller-manager' },
          installedBy: 'Helm chart dynamo-platform',
        },
      ],
    },
    install: {
      repository: { name: 'nvidia-ai-dynamo', url: 'https://helm.ngc.nvidia.com/nvidia/ai-dynamo' },
      // 1.2 is the first release that serves DynamoGraphDeployment v1beta1, which we render.
      chart: 'https://helm.ngc.nvidia.com/nvidia/ai-dynamo/charts/dynamo-platform-1.4.0.tgz',
      version: '1.4.0',
      release: 'dynamo-platform',
      namespace: 'dynamo-system',
      values: { 'global.grove.install': true },
      notes: [
        'The chart installs its CRDs from the operator at start-up; it has no crds/ directory.',
        'Dynamo 1.4 runtime images are CUDA 13 builds: GPU nodes need NVIDIA driver 580 or newer.',
      ],
    },
  },
  kaito: {
    id: 'kaito',
    displayName: 'KAITO',
    description:
      'Kubernetes AI Toolchain Operator: vLLM presets on GPU nodes, and llama.cpp for GGUF models on CPU or GPU.',
    documentationUrl: 'https://kaito-project.github.io/kaito/docs/',
    resourceKind: 'Workspace',
    capabilities: {
      engines: [
        { engine: 'vllm', servingModes: AGGREGATED, ...GPU_ONLY },
        { engine: 'llamacpp', servingModes: AGGREGATED, gpu: true, cpu: true },
      ],
    },
    detection: {
      crds: ['workspaces.kaito.sh'],
      operator: [
        {
          namespace: 'kaito-workspace',
          podLabels: {
            'app.kubernetes.io/name': 'workspace',
            'app.kubernetes.io/instance': 'kaito-workspace',
          },
          installedBy: 'Helm chart kaito/workspace',
        },
        {
          // The AKS AI toolchain operator add-on.
          podLabels: { app: 'ai-toolchain-operator' },
          installedBy: 'AKS AI toolchain operator add-on',
        },
      ],
    },
    install: {
      repository: { name: 'kaito', url: 'https://kaito-project.github.io/kaito/charts/kaito' },
      chart: 'kaito/workspace',
      version: '0.12.0',
      release: 'kaito-workspace',
      namespace: 'kaito-workspace',
      values: { 'featureGates.disableNodeAutoProvisioning': true },
      notes: [
        'Node auto-provisioning is off: KAITO runs on the nodes the cluster has instead of creating Azure ' +
          'GPU nodes, and needs no instanceType.',
      ],
    },
  },
  kuberay: {
    id: 'kuberay',
    displayName: 'KubeRay',
    description: 'KubeRay: vLLM served by Ray Serve in a RayService (head and GPU worker groups).',
    documentationUrl: 'https://docs.ray.io/en/latest/cluster/kubernetes/index.html',
    resourceKind: 'RayService',
    capabilities: { engines: [{ engine: 'vllm', servingModes: AGGREGATED, ...GPU_ONLY }] },
    detection: {
      crds: ['rayservices.ray.io', 'rayclusters.ray.io'],
      operator: [
        {
          // The chart's conventional namespace is ray-system, but it is often installed elsewhere;
          // the pod label is specific enough to search every namespace.
          podLabels: { 'app.kubernetes.io/name': 'kuberay-operator' },
          installedBy: 'Helm chart kuberay/kuberay-operator',
        },
      ],
    },
    install: {
      repository: { name: 'kuberay', url: 'https://ray-project.github.io/kuberay-helm/' },
      chart: 'kuberay/kuberay-operator',
      // 1.7 is the first release whose RayService takes spec.suspend (scale to zero).
      version: '1.7.0',
      release: 'kuberay-operator',
      namespace: 'ray-system',
      values: {},
      notes: ['Helm does not upgrade CRDs: an older KubeRay needs the 1.7.0 CRDs applied first.'],
    },
  },
  llmd: {
    id: 'llmd',
    displayName: 'llm-d',
    description:
      'llm-d: vLLM Deployments behind an InferencePool with the llm-d endpoint picker (prefix-cache aware), ' +
      'aggregated or with disaggregated prefill and decode.',
    documentationUrl: 'https://llm-d.ai/docs',
    resourceKind: 'Deployment',
    capabilities: { engines: [{ engine: 'vllm', servingModes: BOTH_MODES, ...GPU_ONLY }] },
    detection: {
      // llm-d renders plain Deployments plus an InferencePool of the Gateway API Inference Extension.
      crds: ['inferencepools.inference.networking.k8s.io'],
      operator: [],
    },
  },
  vllm: {
    id: 'vllm',
    displayName: 'Direct vLLM',
    description:
      'A plain Deployment and Service running the vLLM OpenAI-compatible server; needs nothing installed.',
    documentationUrl: 'https://docs.vllm.ai/en/stable/deployment/k8s.html',
    resourceKind: 'Deployment',
    capabilities: { engines: [{ engine: 'vllm', servingModes: AGGREGATED, ...GPU_ONLY }] },
    detection: { crds: [], operator: [] },
  },
};

/** Every provider, in PROVIDER_NAMES order. */
export const PROVIDERS: readonly ProviderInfo[] = PROVIDER_NAMES.map((name) => PROVIDER_CATALOGUE[name]);

// ── requests and support checks ─────────────────────────────────────────────────────────

/** The three things that decide whether a provider can serve a spec. */
export interface ServingRequest {
  readonly engine: EngineType;
  readonly mode: ServingMode;
  /** Whether the model server pods get GPUs. */
  readonly gpu: boolean;
}

/**
 * Whether the spec asks for GPUs: resources.gpu.count ≥ 1 in aggregated mode; always in
 * disaggregated mode, whose prefill and decode workers must have GPUs (a schema rule).
 */
export function requestsGpu(spec: ModelDeploymentSpec): boolean {
  return spec.serving.mode === 'disaggregated' || spec.resources.gpu.count > 0;
}

export function servingRequest(spec: ModelDeploymentSpec, engine: EngineType): ServingRequest {
  return { engine, mode: spec.serving.mode, gpu: requestsGpu(spec) };
}

export type SupportFailureReason = 'EngineNotSupported' | 'ModeNotSupported' | 'GpuRequired';

export interface SupportFailure {
  readonly reason: SupportFailureReason;
  readonly message: string;
}

export function engineCapability(provider: ProviderName, engine: EngineType): EngineCapability | undefined {
  return PROVIDER_CATALOGUE[provider].capabilities.engines.find((c) => c.engine === engine);
}

/** Whether `provider` can serve `request`, judged on capabilities alone (not installation). */
export function supports(provider: ProviderName, request: ServingRequest): boolean {
  return checkSupport(provider, request) === undefined;
}

/** Providers whose capabilities cover `request`, in PROVIDER_NAMES order. */
export function providersSupporting(request: ServingRequest): ProviderName[] {
  return PROVIDER_NAMES.filter((provider) => supports(provider, request));
}

/**
 * Why `provider` cannot serve `request`, with what to change; undefined when it can. Checked
 * in the order engine → serving mode → GPU/CPU, so the message names the first obstacle.
 */
export function checkSupport(provider: ProviderName, request: ServingRequest): SupportFailure | undefined {
  const { engine, mode, gpu } = request;
  const capability = engineCapability(provider, engine);
  if (capability === undefined) {
    const engines = PROVIDER_CATALOGUE[provider].capabilities.engines.map((c) => c.engine);
    const others = providersFor((p) => engineCapability(p, engine) !== undefined);
    return {
      reason: 'EngineNotSupported',
      message:
        `provider ${provider} does not support engine ${engine}; ` +
        (others.length > 0 ? `use ${orList(others)} for ${engine}, or ` : '') +
        `set engine.type to ${orList(engines)}`,
    };
  }
  if (!capability.servingModes.includes(mode)) {
    const others = providersFor((p) => engineCapability(p, engine)?.servingModes.includes(mode) === true);
    const otherModes = capability.servingModes.filter((m) => m !== mode);
    return {
      reason: 'ModeNotSupported',
      message:
        `provider ${provider} does not support ${mode} mode` +
        (PROVIDER_CATALOGUE[provider].capabilities.engines.length > 1 ? ` for engine ${engine}` : '') +
        '; ' +
        (others.length > 0 ? `use ${orList(others)}, or ` : '') +
        `set serving.mode: ${orList(otherModes)}`,
    };
  }
  if (gpu && !capability.gpu) {
    return {
      reason: 'GpuRequired',
      message: `provider ${provider} runs ${engine} only without GPUs; set resources.gpu.count to 0`,
    };
  }
  if (!gpu && !capability.cpu) {
    const cpuProviders = providersFor((p) =>
      PROVIDER_CATALOGUE[p].capabilities.engines.some((c) => c.cpu && c.servingModes.includes(mode)),
    );
    const cpuEngines = [
      ...new Set(
        cpuProviders.flatMap((p) =>
          PROVIDER_CATALOGUE[p].capabilities.engines.filter((c) => c.cpu).map((c) => c.engine),
        ),
      ),
    ];
    return {
      reason: 'GpuRequired',
      message:
        `provider ${provider} runs ${engine} only on GPUs; set resources.gpu.count to 1 or more` +
        (cpuProviders.length > 0
          ? `, or for CPU inference use engine ${orList(cpuEngines)} on provider ${orList(cpuProviders)}`
          : ''),
    };
  }
  return undefined;
}

function providersFor(predicate: (provider: ProviderName) => boolean): ProviderName[] {
  return PROVIDER_NAMES.filter(predicate);
}
