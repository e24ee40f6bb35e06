// GPU capacity per node and per node pool, net of what pods hold, from the node allocations
// (allocation.ts) of the watch cache.
import {
  DEFAULT_GPU_RESOURCE,
  type DetailedGpuCapacityResponse,
  type GpuCapacityResponse,
  type NodeGpuCapacity,
  type NodePoolCapacity,
} from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import type { ClusterCache } from '../cache/cluster-cache.js';
import { nodeAllocation, type NodeAllocation } from './allocation.js';
import {
  GPU_PRODUCT_LABEL,
  INSTANCE_TYPE_LABEL,
  REGION_LABEL,
  gpuMemoryGb,
  nodePoolOf,
} from './gpu-hardware.js';

export type CapacitySummary = Omit<GpuCapacityResponse, 'nodes'>;

export interface CapacitySnapshot {
  readonly summary: CapacitySummary;
  /** GPU nodes only, by name. */
  readonly nodes: readonly NodeGpuCapacity[];
  /** Pools with GPU nodes, by name. */
  readonly pools: readonly NodePoolCapacity[];
}

/** The value most items have (ties: the first seen); undefined when none has one. */
function mostCommon(values: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [v, n] of counts)
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  return best;
}

export function nodeGpuCapacity(
  allocation: NodeAllocation,
  gpuResource: string = DEFAULT_GPU_RESOURCE,
): NodeGpuCapacity {
  const { ready, schedulable } = allocation;
  const total = allocation.allocatable[gpuResource] ?? 0;
  const allocated = Math.min(total, allocation.requested[gpuResource] ?? 0);
  const labels = allocation.node.metadata.labels;
  const memory = gpuMemoryGb(labels);
  const model = labels?.[GPU_PRODUCT_LABEL];
  return {
    nodeName: allocation.name,
    totalGpus: total,
    allocatedGpus: allocated,
    // A node that is not Ready or is cordoned takes no new pod, whatever it has free.
    availableGpus: ready && schedulable ? total - allocated : 0,
    pool: nodePoolOf(labels),
    ready,
    schedulable,
    ...(model ? { gpuModel: model } : {}),
    ...(memory !== undefined ? { gpuMemoryGb: memory } : {}),
  };
}

export function computeCapacity(
  allocations: readonly NodeAllocation[],
  gpuResource: string = DEFAULT_GPU_RESOURCE,
): CapacitySnapshot {
  const gpuNodes = allocations
    .filter((a) => (a.allocatable[gpuResource] ?? 0) > 0)
    .map((a) => ({ node: a.node, capacity: nodeGpuCapacity(a, gpuResource) }))
    .sort((a, b) => a.capacity.nodeName.localeCompare(b.capacity.nodeName));
  const caps = gpuNodes.map((g) => g.capacity);
  const sum = (f: (c: NodeGpuCapacity) => number, of = caps) => of.reduce((s, c) => s + f(c), 0);
  const max = (f: (c: NodeGpuCapacity) => number, of = caps) => of.reduce((m, c) => Math.max(m, f(c)), 0);

  const summary: CapacitySummary = {
    totalGpus: sum((c) => c.totalGpus),
    allocatedGpus: sum((c) => c.allocatedGpus),
    availableGpus: sum((c) => c.availableGpus),
    maxContiguousAvailable: max((c) => c.availableGpus),
    maxNodeGpuCapacity: max((c) => c.totalGpus),
    gpuNodeCount: caps.length,
    totalMemoryGb: max((c) => c.gpuMemoryGb ?? 0),
  };

  const byPool = new Map<string, typeof gpuNodes>();
  for (const g of gpuNodes) {
    const members = byPool.get(g.capacity.pool) ?? [];
    members.push(g);
    byPool.set(g.capacity.pool, members);
  }
  const pools = [...byPool.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]): NodePoolCapacity => {
      const of = members.map((m) => m.capacity);
      const labels = members.map((m) => m.node.metadata.labels);
      const gpuModel = mostCommon(of.map((c) => c.gpuModel));
      const instanceType = mostCommon(labels.map((l) => l?.[INSTANCE_TYPE_LABEL]));
      const region = mostCommon(labels.map((l) => l?.[REGION_LABEL]));
      const memory = max((c) => c.gpuMemoryGb ?? 0, of);
      return {
        name,
        gpuCount: sum((c) => c.totalGpus, of),
        nodeCount: of.length,
        availableGpus: sum((c) => c.availableGpus, of),
        allocatedGpus: sum((c) => c.allocatedGpus, of),
        maxContiguousAvailable: max((c) => c.availableGpus, of),
        ...(gpuModel ? { gpuModel } : {}),
        ...(memory > 0 ? { gpuMemoryGb: memory } : {}),
        ...(instanceType ? { instanceType } : {}),
        ...(region ? { region } : {}),
      };
    });
  return { summary, nodes: caps, pools };
}

export class CapacityService {
  private allocationMemo: { key: string; allocations: readonly NodeAllocation[] } | undefined;
  private capacityMemo: { allocations: readonly NodeAllocation[]; snapshot: CapacitySnapshot } | undefined;

  constructor(private readonly cache: ClusterCache) {}

  /**
   * Every node with what it has left. Node names are cluster-wide information, so this takes
   * `list nodes`. Recomputed only when nodes or pods changed (every event moves an informer's
   * resourceVersion, so equal versions mean equal inputs).
   */
  async allocations(caller: Caller): Promise<readonly NodeAllocation[]> {
    await caller.authorize({ verb: 'list', resource: 'nodes' });
    const { nodes, pods } = this.cache;
    await this.cache.whenSynced(nodes, pods);
    const key = `${nodes.resourceVersion}/${pods.resourceVersion}`;
    if (this.allocationMemo?.key !== key)
      this.allocationMemo = {
        key,
        allocations: nodes
          .list()
          .map((node) => nodeAllocation(node, this.cache.podsOnNode(node.metadata.name ?? ''))),
      };
    return this.allocationMemo.allocations;
  }

  async snapshot(caller: Caller): Promise<CapacitySnapshot> {
    const allocations = await this.allocations(caller);
    if (this.capacityMemo?.allocations !== allocations)
      this.capacityMemo = { allocations, snapshot: computeCapacity(allocations) };
    return this.capacityMemo.snapshot;
  }

  async summary(caller: Caller): Promise<GpuCapacityResponse> {
    const { summary, nodes } = await this.snapshot(caller);
    return { ...summary, nodes: [...nodes] };
  }

  async detailed(caller: Caller): Promise<DetailedGpuCapacityResponse> {
    const { summary, pools } = await this.snapshot(caller);
    return { ...summary, nodePools: [...pools] };
  }
}
