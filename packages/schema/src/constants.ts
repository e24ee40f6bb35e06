// Names and enumerations of the ModelDeployment API, as plain data for the operator, the
// REST API and the dashboard.

export const API_GROUP = 'airunway.ai';
export const API_VERSION = 'v1alpha1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

export const MODEL_DEPLOYMENT_KIND = 'ModelDeployment';
export const MODEL_DEPLOYMENT_LIST_KIND = 'ModelDeploymentList';
export const MODEL_DEPLOYMENT_PLURAL = 'modeldeployments';
export const MODEL_DEPLOYMENT_SINGULAR = 'modeldeployment';
export const MODEL_DEPLOYMENT_SHORT_NAMES = ['md'] as const;
export const MODEL_DEPLOYMENT_CATEGORIES = ['airunway'] as const;
export const MODEL_DEPLOYMENT_CRD_NAME = `${MODEL_DEPLOYMENT_PLURAL}.${API_GROUP}`;

/** Inference engines, in the order auto-selection prefers them. */
export const ENGINE_TYPES = ['vllm', 'sglang', 'trtllm', 'llamacpp'] as const;
export type EngineType = (typeof ENGINE_TYPES)[number];

/** Engines that can load models whose code lives in the model repository (`trustRemoteCode`). */
export const REMOTE_CODE_ENGINES = ['vllm', 'sglang'] as const satisfies readonly EngineType[];

export const PROVIDER_NAMES = ['dynamo', 'kaito', 'kuberay', 'llmd', 'vllm'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const MODEL_SOURCES = ['huggingface', 'custom'] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];

export const SERVING_MODES = ['aggregated', 'disaggregated'] as const;
export type ServingMode = (typeof SERVING_MODES)[number];

export const DEPLOYMENT_PHASES = ['Pending', 'Deploying', 'Running', 'Failed', 'Terminating'] as const;
export type DeploymentPhase = (typeof DEPLOYMENT_PHASES)[number];

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

export const TOLERATION_OPERATORS = ['Exists', 'Equal'] as const;
export type TolerationOperator = (typeof TOLERATION_OPERATORS)[number];

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';

/** The Secret holding the token in each namespace (what `spec.secrets.huggingFaceToken` names). */
export const HF_TOKEN_SECRET_NAME = 'hf-token-secret';

/** Hours a monthly cost counts: 365 days × 24 hours / 12, as cloud price lists do. */
export const HOURS_PER_MONTH = 730;

/**
 * Longest name a ModelDeployment may have. The operator names child objects
 * `<name>-<suffix>`; the longest suffix (`-prefill-worker`, `-model-download`) has 15
 * characters, and Kubernetes names of Services and labels stop at 63.
 */
export const MAX_MODEL_DEPLOYMENT_NAME_LENGTH = 48;

/**
 * Most replicas a ModelDeployment may ask for. Here rather than beside the spec schema so that
 * a page checking a number (the Scale dialog) does not load Zod and the schemas.
 */
export const MAX_REPLICAS = 32;
