// Node pools as pricing sees them: what a node is (instance type, region, GPUs per node) and
// how many there are. GPU pools come from the capacity snapshot; CPU pools are the nodes
// without GPUs, grouped the same way.
import { DEFAULT_GPU_RESOURCE, type NodePoolCapacity } from '@airunway/schema';
import type { NodeAllocation } from './allocation.js';
import { INSTANCE_TYPE_LABEL, REGION_LABEL, nodePoolOf } from './gpu-hardware.js';

export interface CostPool {
  readonly name: string;
  readonly nodeCount: number;
  readonly gpusPerNode: number;
  readonly availableGpus: number;
  /** nvidia.com/gpu.product of the pool's nodes. */
  readonly gpuProduct?: string;
  readonly instanceType?: string;
  readonly region?: string;
}

export function gpuCostPools(pools: readonly NodePoolCapacity[]): CostPool[] {
  return pools.map((p) => ({
    name: p.name,
    nodeCount: p.nodeCount,
    // Pools are usually uniform; in a mixed one this is the mean, which prices its GPUs evenly.
    gpusPerNode: p.nodeCount > 0 ? Math.round(p.gpuCount / p.nodeCount) : 0,
    availableGpus: p.availableGpus,
    ...(p.gpuModel ? { gpuProduct: p.gpuModel } : {}),
    ...(p.instanceType ? { instanceType: p.instanceType } : {}),
    ...(p.region ? { region: p.region } : {}),
  }));
}

export function cpuCostPools(allocations: readonly NodeAllocation[]): CostPool[] {
  const byPool = new Map<string, NodeAllocation[]>();
  for (const a of allocations) {
    if ((a.allocatable[DEFAULT_GPU_RESOURCE] ?? 0) > 0) continue;
    const pool = nodePoolOf(a.node.metadata.labels);
    byPool.set(pool, [...(byPool.get(pool) ?? []), a]);
  }
  return [...byPool.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => {
      // The first node that says: a pool is one instance type in one region.
      const label = (key: string) => members.map((m) => m.node.metadata.labels?.[key]).find(Boolean);
      const instanceType = label(INSTANCE_TYPE_LABEL);
      const region = label(REGION_LABEL);
      return {
        name,
        nodeCount: members.length,
        gpusPerNode: 0,
        availableGpus: 0,
        ...(instanceType ? { instanceType } : {}),
        ...(region ? { region } : {}),
      };
    });
}
