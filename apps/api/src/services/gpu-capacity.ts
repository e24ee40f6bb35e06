// GPU capacity per node and per node pool, net of what pods hold: the scheduler's own
// arithmetic (allocatable minus the requests of every unfinished pod bound to the node), read
// from the watch cache. The result is recomputed only when nodes or pods changed.
import {
  DEFAULT_GPU_RESOURCE,
  type DetailedGpuCapacityResponse,
  type GpuCapacityResponse,
  type NodeGpuCapacity,
  type NodePoolCapacity,
} from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import type { ClusterCache } from '../cache/cluster-cache.js';
import { nodeReady, type CachedNode, type CapacityPod } from '../cache/objects.js';
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

function wholeNumber(quantity: string | undefined): number {
  const n = Number.parseInt(quantity ?? '0', 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
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
  node: CachedNode,
  pods: readonly CapacityPod[],
  gpuResource: string = DEFAULT_GPU_RESOURCE,
): NodeGpuCapacity {
  const total = wholeNumber(node.status.allocatable[gpuResource]);
  const requested = pods.reduce((sum, pod) => sum + (pod.requests[gpuResource] ?? 0), 0);
  const allocated = Math.min(total, requested);
  const ready = nodeReady(node);
  const schedulable = node.spec.unschedulable !== true;
  const labels = node.metadata.labels;
  const memory = gpuMemoryGb(labels);
  const model = labels?.[GPU_PRODUCT_LABEL];
  return {
    nodeName: node.metadata.name ?? '',
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
  nodes: readonly CachedNode[],
  podsOn: (nodeName: string) => readonly CapacityPod[],
  gpuResource: string = DEFAULT_GPU_RESOURCE,
): CapacitySnapshot {
  const gpuNodes = nodes
    .filter((n) => wholeNumber(n.status.allocatable[gpuResource]) > 0)
    .map((n) => ({ node: n, capacity: nodeGpuCapacity(n, podsOn(n.metadata.name ?? ''), gpuResource) }))
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
  private memo: { key: string; snapshot: CapacitySnapshot } | undefined;

  constructor(private readonly cache: ClusterCache) {}

  /** The capacity now; node names are cluster-wide information, so it takes `list nodes`. */
  async snapshot(caller: Caller): Promise<CapacitySnapshot> {
    await caller.authorize({ verb: 'list', resource: 'nodes' });
    const { nodes, pods } = this.cache;
    await this.cache.whenSynced(nodes, pods);
    // Every event moves an informer's resourceVersion, so equal versions mean equal inputs.
    const key = `${nodes.resourceVersion}/${pods.resourceVersion}`;
    if (this.memo?.key !== key)
      this.memo = { key, snapshot: computeCapacity(nodes.list(), (name) => this.cache.podsOnNode(name)) };
    return this.memo.snapshot;
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
