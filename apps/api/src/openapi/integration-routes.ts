// The cost, AI Configurator and AIKit routes in the OpenAPI table (routes.ts spreads these in).
import * as S from '@airunway/schema';
import type { z } from 'zod';
import type { RouteDoc } from './routes.js';

export const INTEGRATION_SCHEMAS = {
  CostEstimateRequest: S.CostEstimateRequestSchema,
  CostEstimateResponse: S.CostEstimateResponseSchema,
  NodePoolCostsResponse: S.NodePoolCostsResponseSchema,
  InstancePriceResponse: S.InstancePriceResponseSchema,
  GpuModelsResponse: S.GpuModelsResponseSchema,
  NormalizeGpuResponse: S.NormalizeGpuResponseSchema,
  AiConfiguratorStatus: S.AiConfiguratorStatusSchema,
  AnalyzeRequest: S.AnalyzeRequestSchema,
  AnalyzeResponse: S.AnalyzeResponseSchema,
  NormalizeGpuProductRequest: S.NormalizeGpuProductRequestSchema,
  NormalizeGpuProductResponse: S.NormalizeGpuProductResponseSchema,
  AikitModelsResponse: S.AikitModelsResponseSchema,
  AikitModel: S.AikitModelSchema,
  AikitBuildRequest: S.AikitBuildRequestSchema,
  AikitBuildResponse: S.AikitBuildResponseSchema,
  AikitBuildPreviewResponse: S.AikitBuildPreviewResponseSchema,
  BuildInfrastructureStatus: S.BuildInfrastructureStatusSchema,
  BuildInfrastructureSetupResponse: S.BuildInfrastructureSetupResponseSchema,
} as const satisfies Record<string, z.ZodType>;

const prices: S.ApiErrorCode[] = ['VALIDATION_ERROR', 'UNAUTHORIZED', 'UPSTREAM_UNAVAILABLE'];
const cluster: S.ApiErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN', 'CLUSTER_UNAVAILABLE'];

export const INTEGRATION_ROUTES: readonly RouteDoc[] = [
  // ── costs ──
  {
    method: 'post',
    path: '/api/costs/estimate',
    tag: 'Costs',
    summary: 'Count and name the GPUs of a deployment; no price (static, confidence low)',
    body: 'CostEstimateRequest',
    response: { json: 'CostEstimateResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/costs/node-pools',
    tag: 'Costs',
    summary: 'Price of each node pool from the cloud price list (Azure), per node and per GPU',
    description:
      'Prices are kept an hour. A pool without a price keeps zeros with confidence "low", a note saying ' +
      'why and, when the price list failed, `pricingError`. Takes `list nodes`.',
    query: S.NodePoolCostsQuerySchema,
    response: { json: 'NodePoolCostsResponse' },
    errors: ['VALIDATION_ERROR', ...cluster],
  },
  {
    method: 'get',
    path: '/api/costs/instance-price',
    tag: 'Costs',
    summary: 'Pay-as-you-go Linux price of one instance type (Azure; AWS and GCP not yet)',
    query: S.InstancePriceQuerySchema,
    response: { json: 'InstancePriceResponse' },
    errors: prices,
  },
  {
    method: 'get',
    path: '/api/costs/gpu-models',
    tag: 'Costs',
    summary: 'The GPU models AI Runway knows, with memory and generation',
    response: { json: 'GpuModelsResponse' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/costs/normalize-gpu',
    tag: 'Costs',
    summary: 'The standard name of a GPU label (NVIDIA-A100-SXM4-80GB → A100-80GB)',
    query: S.NormalizeGpuQuerySchema,
    response: { json: 'NormalizeGpuResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'],
  },
  // ── AI Configurator ──
  {
    method: 'get',
    path: '/api/aiconfigurator/status',
    tag: 'AI Configurator',
    summary: 'Whether the aiconfigurator CLI is available where the API runs (kept 5 minutes)',
    response: { json: 'AiConfiguratorStatus' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/api/aiconfigurator/analyze',
    tag: 'AI Configurator',
    summary: 'Parallelism and batch sizes for a model on a GPU type, aggregated or disaggregated',
    description:
      'Runs the aiconfigurator CLI. When it cannot answer (absent, in a pod, no data for the GPU, failed), ' +
      'the answer is a default configuration with `success: false` and `error`.',
    body: 'AnalyzeRequest',
    response: { json: 'AnalyzeResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/api/aiconfigurator/normalize-gpu',
    tag: 'AI Configurator',
    summary: 'The standard name of a GPU product label',
    body: 'NormalizeGpuProductRequest',
    response: { json: 'NormalizeGpuProductResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'],
  },
  // ── AIKit ──
  {
    method: 'get',
    path: '/api/aikit/models',
    tag: 'AIKit',
    summary: 'Pre-made AIKit images',
    response: { json: 'AikitModelsResponse' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/aikit/models/:id',
    tag: 'AIKit',
    summary: 'One pre-made AIKit image',
    params: S.AikitModelParamsSchema,
    response: { json: 'AikitModel' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/aikit/build/preview',
    tag: 'AIKit',
    summary: 'The image a build would produce, without building',
    body: 'AikitBuildRequest',
    response: { json: 'AikitBuildPreviewResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/aikit/build',
    tag: 'AIKit',
    summary: 'A pre-made image reference, or an image built in the cluster from a GGUF file',
    description:
      'A build is a Job in the product namespace, created with the caller’s token, running buildctl ' +
      'against the in-cluster BuildKit. 412 BUILDER_UNAVAILABLE until POST /api/aikit/infrastructure/setup.',
    body: 'AikitBuildRequest',
    response: { json: 'AikitBuildResponse' },
    also: [
      {
        status: 202,
        json: 'AikitBuildResponse',
        when: 'The build Job is still running: the same request again waits for it.',
      },
    ],
    errors: ['VALIDATION_ERROR', ...cluster, 'NOT_FOUND', 'BUILDER_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/api/aikit/infrastructure/status',
    tag: 'AIKit',
    summary: 'Whether the in-cluster registry and BuildKit builder are ready (read as the caller)',
    response: { json: 'BuildInfrastructureStatus' },
    errors: cluster,
  },
  {
    method: 'post',
    path: '/api/aikit/infrastructure/setup',
    tag: 'AIKit',
    summary: 'Apply the registry and the BuildKit builder in the product namespace (as the caller)',
    response: { json: 'BuildInfrastructureSetupResponse' },
    errors: [...cluster, 'VALIDATION_ERROR'],
  },
];
