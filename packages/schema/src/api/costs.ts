// /costs/*: GPU cost estimates. Real-time prices come from the cloud's public price list (Azure
// Retail Prices today); without one, an estimate says so (`source: "static"`, `confidence:
// "low"`, zeros) instead of guessing.
import { z } from 'zod';
import { HOURS_PER_MONTH } from '../constants.js';

const money = z.number().nonnegative();
const count = z.int().nonnegative();

/** A GPU model name or node label as clients send it: "A100-80GB", "NVIDIA-H100-80GB-HBM3", "T4". */
export const GpuLabelSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'must be a GPU name such as A100-80GB or NVIDIA-H100-80GB-HBM3');

export const COST_SOURCES = ['static', 'cloud-api'] as const;
export const COST_CONFIDENCE = ['low', 'high'] as const;
export const COMPUTE_TYPES = ['gpu', 'cpu'] as const;
export const CLOUD_PROVIDERS = ['azure', 'aws', 'gcp'] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

export const CostBreakdownSchema = z.object({
  totalGpus: count.describe('GPUs per replica × replicas.'),
  gpuModel: z.string().describe('The GPU as given (request) or as the node label says (node pools).'),
  normalizedGpuModel: z.string().describe('The standard name, e.g. A100-80GB (GET /costs/normalize-gpu).'),
  perGpu: z.object({ hourly: money, monthly: money }),
  estimate: z.object({
    hourly: money,
    monthly: money,
    currency: z.string(),
    source: z.enum(COST_SOURCES).describe('"cloud-api": a live cloud price; "static": no price known.'),
    confidence: z.enum(COST_CONFIDENCE),
  }),
  notes: z.array(z.string()).describe('How the figures were made, and why a price is missing.'),
});
export type CostBreakdown = z.output<typeof CostBreakdownSchema>;

// ---------------------------------------------------------------------------------------------
// POST /costs/estimate

export const CostEstimateRequestSchema = z.strictObject({
  gpuType: GpuLabelSchema,
  gpuCount: z.int().min(1).max(1024).describe('GPUs per replica.'),
  replicas: z.int().min(1).max(1024),
  hoursPerMonth: z.int().min(1).max(744).default(HOURS_PER_MONTH),
});
export type CostEstimateRequest = z.input<typeof CostEstimateRequestSchema>;
export type CostEstimateInput = z.output<typeof CostEstimateRequestSchema>;

export const CostEstimateResponseSchema = z.object({
  success: z.literal(true),
  breakdown: CostBreakdownSchema,
});
export type CostEstimateResponse = z.output<typeof CostEstimateResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /costs/node-pools

const queryCount = (fallback: number) => z.coerce.number().int().min(1).max(1024).default(fallback);

export const NodePoolCostsQuerySchema = z.object({
  gpuCount: queryCount(1).describe('GPUs per replica (default 1).'),
  replicas: queryCount(1).describe('Replicas (default 1).'),
  realtime: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('"false": no cloud price lookups (default "true").'),
  computeType: z.enum(COMPUTE_TYPES).default('gpu').describe('Which pools: "gpu" (default) or "cpu".'),
});
export type NodePoolCostsQuery = z.output<typeof NodePoolCostsQuerySchema>;

export const RealtimePricingSchema = z.object({
  instanceType: z.string(),
  provider: z.enum(CLOUD_PROVIDERS).describe('Whose price list the price is from.'),
  priceType: z.literal('ondemand').describe('Pay-as-you-go: no reservation, savings plan or Spot.'),
  hourlyPrice: money.describe('Pay-as-you-go Linux price of one node.'),
  monthlyPrice: money.describe('hourlyPrice × 730.'),
  currency: z.string(),
  region: z.string(),
  source: z.literal('realtime'),
});
export type RealtimePricing = z.output<typeof RealtimePricingSchema>;

export const NodePoolCostSchema = z.object({
  poolName: z.string(),
  gpuModel: z.string().optional().describe('Normalized GPU model of the pool; absent for CPU pools.'),
  availableGpus: count,
  nodeCount: count,
  gpusPerNode: count,
  instanceType: z.string().optional(),
  region: z.string().optional(),
  costBreakdown: CostBreakdownSchema,
  realtimePricing: RealtimePricingSchema.optional().describe('Absent when no cloud price was found.'),
  pricingError: z
    .string()
    .optional()
    .describe('Why the cloud price lookup failed (timeout, HTTP status, unreadable answer).'),
});
export type NodePoolCost = z.output<typeof NodePoolCostSchema>;

export const PriceCacheStatsSchema = z.object({
  size: count,
  ttlMs: count,
  maxEntries: count,
});

export const NodePoolCostsResponseSchema = z.object({
  success: z.literal(true),
  nodePoolCosts: z.array(NodePoolCostSchema),
  pricingSource: z
    .enum(['realtime-with-fallback', 'static'])
    .describe('"realtime-with-fallback": cloud prices, static per pool where none was found.'),
  cacheStats: PriceCacheStatsSchema,
});
export type NodePoolCostsResponse = z.output<typeof NodePoolCostsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /costs/instance-price

export const InstancePriceQuerySchema = z.object({
  instanceType: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an instance type such as Standard_NC24ads_A100_v4'),
  region: z
    .string()
    .trim()
    .max(40)
    .regex(/^[a-z0-9-]+$/, 'must be a cloud region such as eastus')
    .optional()
    .describe('Default: eastus.'),
});
export type InstancePriceQuery = z.output<typeof InstancePriceQuerySchema>;

export const InstancePriceSchema = z.object({
  instanceType: z.string(),
  provider: z.enum(CLOUD_PROVIDERS),
  region: z.string(),
  hourlyPrice: money,
  currency: z.string(),
  priceType: z.literal('ondemand'),
  gpuCount: count.optional().describe('GPUs of the instance type, when known (fractional GPU sizes: 0).'),
  gpuModel: z.string().optional(),
  lastUpdated: z.string().describe('When the price was read from the cloud (RFC 3339).'),
});
export type InstancePrice = z.output<typeof InstancePriceSchema>;

export const InstancePriceResponseSchema = z.union([
  z.object({ success: z.literal(true), price: InstancePriceSchema, cached: z.boolean() }),
  z.object({
    success: z.literal(false),
    error: z.string(),
    provider: z.enum(CLOUD_PROVIDERS).optional(),
  }),
]);
export type InstancePriceResponse = z.output<typeof InstancePriceResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /costs/gpu-models and GET /costs/normalize-gpu

export const GpuInfoSchema = z.object({
  memoryGb: z.number().positive(),
  generation: z.string().describe('Architecture: Turing, Ampere, Ada Lovelace, Hopper, Blackwell, …'),
});

export const GpuModelInfoSchema = GpuInfoSchema.extend({ model: z.string() });
export type GpuModelInfo = z.output<typeof GpuModelInfoSchema>;

export const GpuModelsResponseSchema = z.object({
  success: z.literal(true),
  models: z.array(GpuModelInfoSchema),
  note: z.string(),
});
export type GpuModelsResponse = z.output<typeof GpuModelsResponseSchema>;

export const NormalizeGpuQuerySchema = z.object({ label: GpuLabelSchema });

export const NormalizeGpuResponseSchema = z.object({
  success: z.literal(true),
  originalLabel: z.string(),
  normalizedModel: z.string(),
  gpuInfo: GpuInfoSchema.optional().describe('Absent when the GPU is not one AI Runway knows.'),
  migProfile: z.string().optional().describe('The MIG slice a MIG label names, e.g. 1g.10gb.'),
});
export type NormalizeGpuResponse = z.output<typeof NormalizeGpuResponseSchema>;
