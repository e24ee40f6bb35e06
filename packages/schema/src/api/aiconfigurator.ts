// /aiconfigurator/*: NVIDIA AI Configurator (the `aiconfigurator` CLI, run where the API runs)
// recommends parallelism and batch sizes for a model on a GPU type, aggregated or with prefill
// and decode disaggregated. Without the CLI, analyze answers a default configuration and says
// so (`success: false`, `error`).
import { z } from 'zod';
import { GpuLabelSchema } from './costs.js';
import { ModelIdSchema } from './models.js';

export const AiConfiguratorStatusSchema = z.object({
  available: z.boolean(),
  version: z.string().optional().describe('What `aiconfigurator version` reports.'),
  runningInCluster: z.literal(true).optional().describe('The API runs in a pod, where the CLI is not used.'),
  error: z.string().optional(),
});
export type AiConfiguratorStatus = z.output<typeof AiConfiguratorStatusSchema>;

export const OPTIMIZE_TARGETS = ['throughput', 'latency'] as const;
export const SERVING_MODES = ['aggregated', 'disaggregated'] as const;
export const AICONFIGURATOR_BACKENDS = ['vllm', 'sglang', 'trtllm'] as const;
export type AiConfiguratorBackend = (typeof AICONFIGURATOR_BACKENDS)[number];

export const AnalyzeRequestSchema = z.strictObject({
  modelId: ModelIdSchema.describe('HuggingFace model id: org/model-name or model-name.'),
  gpuType: GpuLabelSchema.describe(
    'e.g. H100-80GB, A100, L40S, or a node label such as NVIDIA-A100-SXM4-80GB.',
  ),
  gpuCount: z.int().min(1).max(512).describe('GPUs available.'),
  optimizeFor: z.enum(OPTIMIZE_TARGETS).default('throughput'),
  maxLatencyMs: z
    .number()
    .positive()
    .max(600_000)
    .optional()
    .describe('Time-to-first-token target, in ms: slower configurations are left out.'),
});
export type AnalyzeRequest = z.input<typeof AnalyzeRequestSchema>;
export type AnalyzeInput = z.output<typeof AnalyzeRequestSchema>;

const positiveInt = z.int().positive();

export const InferenceConfigSchema = z.object({
  tensorParallelDegree: positiveInt.describe(
    'GPUs one worker splits the model over (decode workers when disaggregated).',
  ),
  pipelineParallelDegree: positiveInt.optional(),
  maxBatchSize: positiveInt,
  maxNumSeqs: positiveInt.optional().describe('Concurrent sequences per replica.'),
  gpuMemoryUtilization: z.number().positive().max(1),
  maxModelLen: positiveInt.describe('Input plus output tokens the analysis assumed.'),
  prefillTensorParallel: positiveInt.optional(),
  decodeTensorParallel: positiveInt.optional(),
  prefillReplicas: positiveInt.optional().describe('Prefill workers per replica.'),
  decodeReplicas: positiveInt.optional().describe('Decode workers per replica.'),
});
export type InferenceConfig = z.output<typeof InferenceConfigSchema>;

export const EstimatedPerformanceSchema = z.object({
  throughputTokensPerSec: z.number().nonnegative().describe('Output tokens per second of all replicas.'),
  latencyP50Ms: z
    .number()
    .nonnegative()
    .describe('Time to first token as the CLI models it (a typical value).'),
  tokensPerSecPerUser: z.number().nonnegative().optional(),
  timePerOutputTokenMs: z.number().nonnegative().optional(),
  requestLatencyMs: z.number().nonnegative().optional().describe('End to end, input and all output tokens.'),
});
export type EstimatedPerformance = z.output<typeof EstimatedPerformanceSchema>;

export const AnalyzeResponseSchema = z.object({
  success: z.boolean().describe('False: the CLI did not answer and `config` is a default.'),
  config: InferenceConfigSchema,
  mode: z.enum(SERVING_MODES),
  replicas: positiveInt,
  warnings: z.array(z.string()),
  error: z.string().optional(),
  estimatedPerformance: EstimatedPerformanceSchema.optional(),
  backend: z.enum(AICONFIGURATOR_BACKENDS).optional().describe('The engine the numbers are for.'),
  supportedBackends: z
    .array(z.enum(AICONFIGURATOR_BACKENDS))
    .optional()
    .describe('Engines AI Configurator has performance data for, for this model and GPU.'),
  system: z.string().optional().describe('The AI Configurator system the GPU type maps to, e.g. h100_sxm.'),
});
export type AnalyzeResponse = z.output<typeof AnalyzeResponseSchema>;

export const NormalizeGpuProductRequestSchema = z.strictObject({ gpuProduct: GpuLabelSchema });

export const NormalizeGpuProductResponseSchema = z.object({
  gpuProduct: z.string(),
  normalized: z.string(),
});
export type NormalizeGpuProductResponse = z.output<typeof NormalizeGpuProductResponseSchema>;
