// ModelDeployment.spec: what to serve and how. Field names, defaults and enums follow the
// "ModelDeployment Spec Reference" of the API reference; every description becomes the
// `kubectl explain` text of its field.
//
// Objects whose fields have defaults are themselves defaulted to `{}` (`prefault`), so an
// omitted `engine` or `resources` gets the same defaults as an empty one — in Zod and, via
// the OpenAPI `default: {}`, in the apiserver.
import { z } from 'zod';
import {
  DEFAULT_GPU_RESOURCE,
  ENGINE_TYPES,
  MAX_REPLICAS,
  MODEL_SOURCES,
  PROVIDER_NAMES,
  REMOTE_CODE_ENGINES,
  SERVING_MODES,
} from './constants.js';
import {
  AnnotationsSchema,
  EnvVarListSchema,
  EXTENDED_RESOURCE_NAME,
  LabelsSchema,
  LabelValueSchema,
  ObjectNameSchema,
  QuantitySchema,
  TolerationSchema,
} from './kubernetes.js';
import { boundedRecord, preserveUnknownFields } from './kubernetes-extensions.js';
import { withRules } from './validation-rule.js';
import {
  argsNotRepeatedInExtraArgs,
  decodeNeedsGpu,
  disaggregatedRequiresDecode,
  disaggregatedRequiresPrefill,
  engineArgNames,
  imageMatchesEngineImage,
  modelIdRequired,
  noResourcesGpuWhenDisaggregated,
  prefillDecodeOnlyWhenDisaggregated,
  prefillNeedsGpu,
  replicasExcludesPrefillDecode,
  trustRemoteCodeNeedsCapableEngine,
} from './validation-rules.js';

export const MAX_GPUS_PER_POD = 64;

const ImageSchema = z.string().min(1).max(512);

// ── model ───────────────────────────────────────────────────────────────────────────────

export const ModelSchema = withRules(
  z.strictObject({
    id: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe(
        'Model to serve. With source huggingface (the default) this is the HuggingFace repository ID, ' +
          'e.g. "Qwen/Qwen3-0.6B" or "meta-llama/Llama-3.1-8B-Instruct", and it is required. ' +
          'With source custom it is an optional name for the model built into the image.',
      ),
    source: z
      .enum(MODEL_SOURCES)
      .default('huggingface')
      .describe(
        'Where the model comes from: huggingface (downloaded from the HuggingFace Hub by ID; the default) ' +
          'or custom (already in the container image set with engine.image).',
      ),
    servedName: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe(
        'Model name clients send in OpenAI-compatible requests ("model" field). ' +
          'Defaults to the last part of model.id, e.g. "Qwen3-0.6B" for "Qwen/Qwen3-0.6B".',
      ),
  }),
  [modelIdRequired],
);

// ── engine ──────────────────────────────────────────────────────────────────────────────

export const EngineArgsSchema = withRules(boundedRecord(z.string().max(4096), 64), [engineArgNames]);

export const EngineSchema = withRules(
  z.strictObject({
    type: z
      .enum(ENGINE_TYPES)
      .optional()
      .describe(
        'Inference engine: vllm, sglang, trtllm (TensorRT-LLM) or llamacpp. If omitted, the operator picks one ' +
          'the provider supports for this model and hardware and reports it in status.engine.type. ' +
          'Changing it once set recreates the deployment.',
      ),
    image: ImageSchema.optional().describe(
      'Container image of the engine, replacing the provider default, e.g. a pinned vllm/vllm-openai tag.',
    ),
    contextLength: z
      .int()
      .min(1)
      .max(16_777_216)
      .optional()
      .describe(
        'Maximum context length in tokens (prompt plus output). Defaults to what the model declares. ' +
          'Passed as --max-model-len (vLLM), --context-length (SGLang) or --ctx-size (llama.cpp); ' +
          'TensorRT-LLM fixes it when the engine is built.',
      ),
    trustRemoteCode: z
      .boolean()
      .default(false)
      .describe(
        'Allow the engine to run Python code shipped in the model repository, which some models need. ' +
          `Only for engine.type ${REMOTE_CODE_ENGINES.join(' or ')}, which must then be set. Default false.`,
      ),
    args: EngineArgsSchema.default({}).describe(
      'Engine flags as name → value, without the leading dashes; each becomes "--name value" ' +
        '("--name" alone when the value is empty). E.g. {quantization: awq, gpu-memory-utilization: "0.9"} ' +
        'for vLLM, or mem-fraction-static for SGLang. A flag set here must not also be in extraArgs.',
    ),
    extraArgs: z
      .array(z.string().max(4096))
      .max(64)
      .default([])
      .describe(
        'Raw command-line arguments appended to the engine command as is, e.g. ["--enable-chunked-prefill"]. ' +
          'Prefer args for flags with values.',
      ),
    enablePrefixCaching: z
      .boolean()
      .default(true)
      .describe('Reuse the KV cache of shared prompt prefixes across requests (vLLM, SGLang). Default true.'),
    enforceEager: z
      .boolean()
      .default(false)
      .describe(
        'Run vLLM in eager mode without CUDA graphs: starts faster and uses less memory, serves slower. ' +
          'Default false.',
      ),
  }),
  [trustRemoteCodeNeedsCapableEngine, argsNotRepeatedInExtraArgs],
);

// ── provider ────────────────────────────────────────────────────────────────────────────

export const ProviderSchema = z.strictObject({
  name: z
    .enum(PROVIDER_NAMES)
    .optional()
    .describe(
      'Provider that runs the model: dynamo (NVIDIA Dynamo), kaito, kuberay, llmd (llm-d) or vllm (a plain ' +
        'Deployment). If omitted, the operator selects one from the installed providers and reports it, with ' +
        'the reason, in status.provider. Changing it recreates the deployment.',
    ),
  overrides: preserveUnknownFields(32)
    .default({})
    .describe(
      'Provider-specific settings merged into the objects the provider creates; an escape hatch for what ' +
        'the API does not model. E.g. for dynamo: {routerMode: kv}. Keys the provider does not know are ignored.',
    ),
});

// ── serving ─────────────────────────────────────────────────────────────────────────────

export const ServingSchema = z.strictObject({
  mode: z
    .enum(SERVING_MODES)
    .default('aggregated')
    .describe(
      'aggregated (the default): every replica runs prefill and decode. disaggregated: prefill and decode run ' +
        'in separate worker pools sized by scaling.prefill and scaling.decode. Changing it recreates the deployment.',
    ),
});

// ── resources and scaling ───────────────────────────────────────────────────────────────

export const GpuSchema = z.strictObject({
  count: z
    .int()
    .min(0)
    .max(MAX_GPUS_PER_POD)
    .default(0)
    .describe(
      `GPUs per model server pod (0 to ${MAX_GPUS_PER_POD}). Several GPUs shard the model (tensor parallelism). Default 0.`,
    ),
  type: z
    .string()
    .max(253)
    .regex(EXTENDED_RESOURCE_NAME, 'must be a resource name such as nvidia.com/gpu')
    .default(DEFAULT_GPU_RESOURCE)
    .describe(`Kubernetes resource name of the GPU, e.g. amd.com/gpu. Default ${DEFAULT_GPU_RESOURCE}.`),
});

export const ResourcesSchema = z.strictObject({
  gpu: GpuSchema.prefault({}).describe(
    'GPUs of each model server pod in aggregated mode. Must stay at 0 GPUs in disaggregated mode, where ' +
      'scaling.prefill.gpu and scaling.decode.gpu apply.',
  ),
  memory: QuantitySchema.optional().describe(
    'Memory request of each model server pod, e.g. 32Gi. In disaggregated mode scaling.prefill.memory and ' +
      'scaling.decode.memory take precedence for their workers.',
  ),
  cpu: QuantitySchema.optional().describe('CPU request of each model server pod, e.g. 8 or 500m.'),
});

function workerScaling(role: 'prefill' | 'decode') {
  return z.strictObject({
    replicas: z
      .int()
      .min(0)
      .max(MAX_REPLICAS)
      .default(1)
      .describe(`Number of ${role} workers (0 to ${MAX_REPLICAS}). Default 1.`),
    gpu: GpuSchema.optional().describe(`GPUs of each ${role} worker; gpu.count must be at least 1.`),
    memory: QuantitySchema.optional().describe(`Memory request of each ${role} worker, e.g. 64Gi.`),
  });
}

// The default replicas: 1 sits on `scaling`, not on `scaling.replicas`: an apiserver default
// on the field would be set in every object, and disaggregated specs (which must not set
// replicas) could never be valid. Defaulting the parent only fills it when `scaling` is
// omitted; with `scaling` given but `replicas` absent, aggregated mode runs 1 replica.
export const ScalingSchema = withRules(
  z.strictObject({
    replicas: z
      .int()
      .min(0)
      .max(MAX_REPLICAS)
      .optional()
      .describe(
        `Number of model server replicas in aggregated mode (0 to ${MAX_REPLICAS}; 0 scales the model down). ` +
          'Default 1. Not used in disaggregated mode.',
      ),
    prefill: workerScaling('prefill')
      .optional()
      .describe(
        'Prefill workers in disaggregated mode: they process prompts and hand the KV cache to decode workers.',
      ),
    decode: workerScaling('decode')
      .optional()
      .describe('Decode workers in disaggregated mode: they generate the output tokens.'),
  }),
  [replicasExcludesPrefillDecode, prefillNeedsGpu, decodeNeedsGpu],
);

// ── pods, secrets, gateway ──────────────────────────────────────────────────────────────

export const PodTemplateSchema = z.strictObject({
  metadata: z
    .strictObject({
      labels: LabelsSchema.optional().describe('Labels added to every model server pod.'),
      annotations: AnnotationsSchema.optional().describe('Annotations added to every model server pod.'),
    })
    .optional()
    .describe('Labels and annotations for the model server pods.'),
});

export const SecretsSchema = z.strictObject({
  huggingFaceToken: ObjectNameSchema.optional().describe(
    'Name of a Secret in the same namespace whose HF_TOKEN key holds a HuggingFace access token, ' +
      'needed for gated models such as Llama.',
  ),
});

export const GatewaySchema = z.strictObject({
  enabled: z
    .boolean()
    .optional()
    .describe(
      'Route the model through the cluster inference Gateway (Gateway API Inference Extension). ' +
        'If unset, routing is enabled when a Gateway is detected; false turns it off.',
    ),
  modelName: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe(
      'Model name the Gateway routes to this deployment. Defaults to model.servedName, else model.id.',
    ),
});

// ── spec ────────────────────────────────────────────────────────────────────────────────

export const ModelDeploymentSpecSchema = withRules(
  z.strictObject({
    model: ModelSchema.describe('The model to serve.'),
    engine: EngineSchema.prefault({}).describe('The inference engine and its settings.'),
    provider: ProviderSchema.optional().describe(
      'The provider that runs the model. Omit to let the operator choose.',
    ),
    serving: ServingSchema.prefault({}).describe('How prefill and decode are laid out.'),
    scaling: ScalingSchema.default({ replicas: 1 }).describe(
      'How many replicas (aggregated) or prefill and decode workers (disaggregated) to run. ' +
        'Default {replicas: 1}.',
    ),
    resources: ResourcesSchema.prefault({}).describe('GPU, memory and CPU of each model server pod.'),
    image: ImageSchema.optional().describe(
      'Legacy container image override of the provider. Prefer engine.image; if both are set they must be equal.',
    ),
    env: EnvVarListSchema.optional().describe('Environment variables of the model server containers.'),
    podTemplate: PodTemplateSchema.optional().describe('Metadata added to the model server pods.'),
    secrets: SecretsSchema.optional().describe('Secrets the model server needs.'),
    nodeSelector: boundedRecord(LabelValueSchema, 32)
      .optional()
      .describe(
        'Node labels the model server pods must run on, e.g. {nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3}.',
      ),
    tolerations: z
      .array(TolerationSchema)
      .max(32)
      .optional()
      .describe('Tolerations of the model server pods, e.g. for tainted GPU nodes.'),
    gateway: GatewaySchema.optional().describe('Routing through the cluster inference Gateway.'),
  }),
  [
    disaggregatedRequiresPrefill,
    disaggregatedRequiresDecode,
    prefillDecodeOnlyWhenDisaggregated,
    noResourcesGpuWhenDisaggregated,
    imageMatchesEngineImage,
  ],
);

export type ModelDeploymentSpec = z.output<typeof ModelDeploymentSpecSchema>;
/** A spec as a user writes it: every defaulted field optional. */
export type ModelDeploymentSpecInput = z.input<typeof ModelDeploymentSpecSchema>;
export type Model = z.output<typeof ModelSchema>;
export type Engine = z.output<typeof EngineSchema>;
export type Provider = z.output<typeof ProviderSchema>;
export type Serving = z.output<typeof ServingSchema>;
export type Gpu = z.output<typeof GpuSchema>;
export type Resources = z.output<typeof ResourcesSchema>;
export type Scaling = z.output<typeof ScalingSchema>;
export type WorkerScaling = NonNullable<Scaling['prefill']>;
export type PodTemplate = z.output<typeof PodTemplateSchema>;
export type Secrets = z.output<typeof SecretsSchema>;
export type Gateway = z.output<typeof GatewaySchema>;
