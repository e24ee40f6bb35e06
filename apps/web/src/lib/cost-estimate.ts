// What a deployment would cost, from where the dry run places its pods: the GPUs it takes on
// each node pool, each priced at its pool's instance price over the GPUs one node has (a GPU
// costs its share of the node it is on). Pools without a cloud price are listed apart, never
// priced at zero.
import {
  DEFAULT_GPU_RESOURCE,
  HOURS_PER_MONTH,
  type CloudProvider,
  type FitVerdict,
  type NodeGpuCapacity,
  type NodePoolCost,
} from '@airunway/schema';

export interface PoolGpus {
  readonly pool: string;
  readonly gpus: number;
  /** nvidia.com/gpu.product of the pool's nodes, as the capacity summary reports it. */
  readonly gpuModel?: string;
}

export interface GpuUse {
  /** GPUs the dry run places on each node pool, in the order first placed. */
  readonly pools: readonly PoolGpus[];
  /** GPUs of pods that fit on no node now: they have no pool to be priced by. */
  readonly unplacedGpus: number;
}

/** Pods × GPUs per pod, per node pool of the nodes the dry run chose. */
export function gpuUse(fit: FitVerdict, nodes: readonly NodeGpuCapacity[]): GpuUse {
  const byNode = new Map(nodes.map((n) => [n.nodeName, n]));
  const pools = new Map<string, PoolGpus>();
  let unplacedGpus = 0;
  for (const pod of fit.pods) {
    const perPod = Number(pod.requests[DEFAULT_GPU_RESOURCE] ?? 0);
    if (!(perPod > 0)) continue;
    unplacedGpus += pod.unplaced * perPod;
    for (const placement of pod.placements) {
      const node = byNode.get(placement.node);
      // A node the summary does not list yet (just added) is its own pool until it does.
      const pool = node?.pool ?? placement.node;
      const seen = pools.get(pool);
      pools.set(pool, {
        pool,
        gpus: (seen?.gpus ?? 0) + placement.pods * perPod,
        ...(node?.gpuModel ? { gpuModel: node.gpuModel } : {}),
      });
    }
  }
  return { pools: [...pools.values()], unplacedGpus };
}

export interface PricedPool {
  readonly pool: string;
  readonly gpus: number;
  readonly perGpuHourly: number;
  readonly hourly: number;
  readonly currency: string;
  readonly provider: CloudProvider;
  readonly instanceType: string;
  readonly region: string;
  readonly nodeHourly: number;
  readonly gpusPerNode: number;
}

export interface UnpricedPool extends PoolGpus {
  /** Why the pool has no price: the API's note or the lookup's error. */
  readonly reason: string;
}

export interface CostEstimate {
  readonly priced: readonly PricedPool[];
  readonly unpriced: readonly UnpricedPool[];
  /** Of the priced pools only. */
  readonly hourly: number;
  readonly monthly: number;
  readonly currency: string;
}

/**
 * Prices each pool's GPUs with the pool's real-time instance price, prorated per GPU.
 * `unlisted` says why a pool missing from `poolCosts` has no price (the list could not be read).
 */
export function estimateCost(
  use: GpuUse,
  poolCosts: readonly NodePoolCost[],
  unlisted = 'the price list of node pools does not include it',
): CostEstimate {
  const priced: PricedPool[] = [];
  const unpriced: UnpricedPool[] = [];
  for (const entry of use.pools) {
    const cost = poolCosts.find((p) => p.poolName === entry.pool);
    const realtime = cost?.realtimePricing;
    if (!cost || !realtime || cost.gpusPerNode <= 0) {
      unpriced.push({
        ...entry,
        reason: !cost
          ? unlisted
          : (cost.pricingError ?? cost.costBreakdown.notes[0] ?? 'no cloud price was found'),
      });
      continue;
    }
    const perGpuHourly = realtime.hourlyPrice / cost.gpusPerNode;
    priced.push({
      pool: entry.pool,
      gpus: entry.gpus,
      perGpuHourly,
      hourly: perGpuHourly * entry.gpus,
      currency: realtime.currency,
      provider: realtime.provider,
      instanceType: realtime.instanceType,
      region: realtime.region,
      nodeHourly: realtime.hourlyPrice,
      gpusPerNode: cost.gpusPerNode,
    });
  }
  const hourly = priced.reduce((sum, p) => sum + p.hourly, 0);
  return {
    priced,
    unpriced,
    hourly,
    monthly: hourly * HOURS_PER_MONTH,
    currency: priced[0]?.currency ?? 'USD',
  };
}

const PROVIDER_NAMES: Readonly<Record<CloudProvider, string>> = {
  azure: 'Azure',
  aws: 'AWS',
  gcp: 'Google Cloud',
};

/** "Azure retail price for Standard_ND96isr_H100_v5 in eastus2, pay-as-you-go". */
export function priceSource(pool: PricedPool): string {
  return `${PROVIDER_NAMES[pool.provider]} retail price for ${pool.instanceType} in ${pool.region}, pay-as-you-go`;
}

/** 8971.7 → "$8,971.70". */
export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
}
