// What GPUs cost: node pools priced from the cloud's price list (per GPU, the node's price over
// the GPUs it offers), single instance prices, and the GPU catalogue. Where no price can be had,
// the answer says why and keeps its figures at zero with `confidence: "low"`; it never invents
// a price.
import {
  HOURS_PER_MONTH,
  type CostBreakdown,
  type CostEstimateResponse,
  type GpuModelsResponse,
  type InstancePriceQuery,
  type InstancePriceResponse,
  type NodePoolCost,
  type NodePoolCostsQuery,
  type NodePoolCostsResponse,
  type NormalizeGpuResponse,
  type CostEstimateInput,
} from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import { azureGpuSku } from '../data/azure-gpu-skus.js';
import { ApiError } from '../errors.js';
import { API_VERSION } from '../env.js';
import type { PricingSettings } from '../integrations.js';
import { AzureRetailPrices } from '../pricing/azure-retail-prices.js';
import { PriceBook } from '../pricing/price-book.js';
import { cpuCostPools, gpuCostPools, type CostPool } from './cost-pools.js';
import type { CapacityService } from './gpu-capacity.js';
import { GPU_MODELS, normalizeGpu } from './gpu-models.js';

export interface CostServiceOptions {
  readonly capacity: CapacityService;
  readonly prices: PriceBook;
  /** Region of a price asked for without one, and of pools whose nodes have no region label. */
  readonly defaultRegion: string;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const hourly = (v: number) => round(v, 4);
const monthly = (v: number) => round(v, 2);

function staticBreakdown(gpuModel: string, totalGpus: number, notes: string[]): CostBreakdown {
  return {
    totalGpus,
    gpuModel,
    normalizedGpuModel: normalizeGpu(gpuModel).model,
    perGpu: { hourly: 0, monthly: 0 },
    estimate: { hourly: 0, monthly: 0, currency: 'USD', source: 'static', confidence: 'low' },
    notes,
  };
}

export class CostService {
  constructor(private readonly options: CostServiceOptions) {}

  /** No price list is consulted: the answer only names the GPU and counts them. */
  estimate(input: CostEstimateInput): CostEstimateResponse {
    return {
      success: true,
      breakdown: staticBreakdown(input.gpuType, input.gpuCount * input.replicas, [
        'Use real-time pricing via /costs/node-pools for accurate cloud pricing',
        'No price list is kept for GPU models alone: a GPU costs what the instance type holding it costs',
      ]),
    };
  }

  /** Every GPU (or CPU) node pool with its price; node names are cluster-wide, so `list nodes`. */
  async nodePools(caller: Caller, query: NodePoolCostsQuery): Promise<NodePoolCostsResponse> {
    const { capacity } = this.options;
    const pools =
      query.computeType === 'gpu'
        ? gpuCostPools((await capacity.snapshot(caller)).pools)
        : cpuCostPools(await capacity.allocations(caller));
    const nodePoolCosts = await Promise.all(pools.map((pool) => this.poolCost(pool, query)));
    return {
      success: true,
      nodePoolCosts,
      pricingSource: query.realtime ? 'realtime-with-fallback' : 'static',
      cacheStats: this.options.prices.stats,
    };
  }

  private async poolCost(pool: CostPool, query: NodePoolCostsQuery): Promise<NodePoolCost> {
    const sku = pool.instanceType ? azureGpuSku(pool.instanceType) : undefined;
    const isGpu = query.computeType === 'gpu';
    const gpuLabel = pool.gpuProduct ?? sku?.gpuModel;
    const gpusPerNode = isGpu ? pool.gpusPerNode || (sku?.gpuCount ?? 0) : 0;
    const totalGpus = isGpu ? query.gpuCount * query.replicas : 0;
    const region = pool.region ?? this.options.defaultRegion;
    const base: Omit<NodePoolCost, 'costBreakdown'> = {
      poolName: pool.name,
      ...(isGpu && gpuLabel ? { gpuModel: normalizeGpu(gpuLabel).model } : {}),
      availableGpus: pool.availableGpus,
      nodeCount: pool.nodeCount,
      gpusPerNode,
      ...(pool.instanceType ? { instanceType: pool.instanceType } : {}),
      region,
    };
    const fallback = (why: string, pricingError?: string): NodePoolCost => ({
      ...base,
      costBreakdown: staticBreakdown(gpuLabel ?? (isGpu ? 'unknown' : 'cpu'), totalGpus, [why]),
      ...(pricingError ? { pricingError } : {}),
    });

    if (!query.realtime) return fallback('Real-time pricing was not asked for (realtime=false)');
    if (!pool.instanceType)
      return fallback('The pool has no node.kubernetes.io/instance-type label to look a price up by');
    let found;
    try {
      found = await this.options.prices.lookup(pool.instanceType, region);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'UPSTREAM_UNAVAILABLE') throw err;
      return fallback(`No real-time price: ${err.message}`, err.message);
    }
    if (found.kind === 'unknown-provider')
      return fallback(`"${pool.instanceType}" is not an instance type of a cloud AI Runway knows`);
    if (found.kind === 'unsupported-provider')
      return fallback(
        `Real-time prices come from Azure's price list only; there is none for ${found.provider.toUpperCase()} instance types`,
      );
    if (found.kind === 'not-found')
      return fallback(`Azure lists no pay-as-you-go Linux price for ${pool.instanceType} in ${region}`);

    const { hourlyPrice, currency } = found.price;
    const notes = [
      'Real-time pricing from AZURE',
      `${pool.instanceType} in ${region}: ${hourlyPrice} ${currency}/hour per node (pay-as-you-go, Linux)`,
    ];
    let perGpuHourly = 0;
    let estimateHourly: number;
    if (isGpu && gpusPerNode > 0) {
      perGpuHourly = hourlyPrice / gpusPerNode;
      estimateHourly = perGpuHourly * totalGpus;
      notes.push(
        `Per GPU: the node price over its ${gpusPerNode} GPU(s); GPUs a deployment leaves idle on its nodes are billed too`,
      );
    } else {
      estimateHourly = hourlyPrice * query.replicas;
      notes.push(isGpu ? 'GPUs per node unknown: one node per replica' : 'One node per replica');
    }
    return {
      ...base,
      costBreakdown: {
        totalGpus,
        gpuModel: gpuLabel ?? (isGpu ? 'unknown' : 'cpu'),
        normalizedGpuModel: gpuLabel ? normalizeGpu(gpuLabel).model : isGpu ? 'unknown' : 'cpu',
        perGpu: { hourly: hourly(perGpuHourly), monthly: monthly(perGpuHourly * HOURS_PER_MONTH) },
        estimate: {
          hourly: hourly(estimateHourly),
          monthly: monthly(estimateHourly * HOURS_PER_MONTH),
          currency,
          source: 'cloud-api',
          confidence: 'high',
        },
        notes,
      },
      realtimePricing: {
        instanceType: pool.instanceType,
        // Found prices are Azure's: the only price list that needs no account.
        provider: 'azure',
        priceType: 'ondemand',
        hourlyPrice: hourly(hourlyPrice),
        monthlyPrice: monthly(hourlyPrice * HOURS_PER_MONTH),
        currency,
        region,
        source: 'realtime',
      },
    };
  }

  /** Upstream failures are errors (UPSTREAM_UNAVAILABLE), not a missing price. */
  async instancePrice(query: InstancePriceQuery): Promise<InstancePriceResponse> {
    const region = query.region ?? this.options.defaultRegion;
    const found = await this.options.prices.lookup(query.instanceType, region);
    switch (found.kind) {
      case 'unknown-provider':
        return {
          success: false,
          error: `Could not detect cloud provider for instance type: ${query.instanceType}`,
        };
      case 'unsupported-provider':
        return {
          success: false,
          error: `Real-time prices come from Azure's price list only; there is none for ${found.provider.toUpperCase()} instance types`,
          provider: found.provider,
        };
      case 'not-found':
        return { success: false, error: 'Price not found', provider: found.provider };
      case 'found': {
        const sku = azureGpuSku(query.instanceType);
        return {
          success: true,
          price: {
            instanceType: found.price.armSkuName,
            provider: 'azure',
            region: found.price.armRegionName,
            hourlyPrice: found.price.hourlyPrice,
            currency: found.price.currency,
            priceType: 'ondemand',
            ...(sku ? { gpuCount: sku.gpuCount, gpuModel: sku.gpuModel } : {}),
            lastUpdated: found.fetchedAt.toISOString(),
          },
          cached: found.cached,
        };
      }
    }
  }

  gpuModels(): GpuModelsResponse {
    return {
      success: true,
      models: GPU_MODELS.map((m) => ({ model: m.model, memoryGb: m.memoryGb, generation: m.generation })),
      note: 'For actual pricing, use /costs/node-pools or /costs/instance-price for real-time cloud provider pricing',
    };
  }

  normalizeGpu(label: string): NormalizeGpuResponse {
    const gpu = normalizeGpu(label);
    return {
      success: true,
      originalLabel: label,
      normalizedModel: gpu.model,
      ...(gpu.known ? { gpuInfo: { memoryGb: gpu.known.memoryGb, generation: gpu.known.generation } } : {}),
      ...(gpu.migProfile ? { migProfile: gpu.migProfile } : {}),
    };
  }
}

export function createCostService(
  capacity: CapacityService,
  pricing: PricingSettings,
  now?: () => Date,
): CostService {
  const azure = new AzureRetailPrices({ ...pricing, userAgent: `airunway-api/${API_VERSION}` });
  return new CostService({
    capacity,
    prices: new PriceBook({
      azure,
      ttlMs: pricing.ttlMs,
      maxEntries: pricing.maxEntries,
      ...(now ? { now } : {}),
    }),
    defaultRegion: pricing.defaultRegion,
  });
}
