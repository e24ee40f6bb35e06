// Whether a model fits on the cluster's GPU nodes, node by node, from the API's GPU capacity:
// what each node has free now (net of running and scheduled pods), not the cluster's total
// memory. A model that needs four 80 GB GPUs does not fit on four nodes with one free GPU each.
import type { NodeGpuCapacity } from '@airunway/schema';

export type FitLevel = 'fits' | 'tight' | 'no-fit' | 'unknown';

export interface NodeFit {
  readonly node: string;
  readonly pool: string;
  readonly gpuModel?: string;
  readonly gpuMemoryGb?: number;
  readonly level: FitLevel;
  /** GPUs one replica would take on this node. */
  readonly gpusNeeded?: number;
  readonly reason: string;
  /** The verdict in a few words, for a one-line headline. */
  readonly summary?: string;
}

export interface ModelFit {
  readonly level: FitLevel;
  /** One line for a badge's tooltip or a form: the verdict and why. */
  readonly headline: string;
  readonly nodes: readonly NodeFit[];
}

export interface FitRequest {
  /** Estimated serving memory of the model (weights plus overhead), in GB. */
  readonly memoryGb?: number | undefined;
  /** Fewest GPUs the model is served with (catalog); 0 means it runs on CPU. */
  readonly minGpus?: number | undefined;
  /** GPUs per replica as chosen in the deploy form; unset = the fewest that hold the model. */
  readonly gpusPerReplica?: number | undefined;
}

/** vLLM's default --gpu-memory-utilization: the share of each GPU the engine takes. */
export const USABLE_GPU_FRACTION = 0.9;
/** Above this share of the usable memory, little is left for the KV cache. */
export const TIGHT_SHARE = 0.8;

const RANK: Readonly<Record<FitLevel, number>> = { fits: 3, tight: 2, 'no-fit': 1, unknown: 0 };

function gb(value: number): string {
  return `${Math.round(value * 10) / 10} GB`;
}

function gpuLabel(node: NodeGpuCapacity): string {
  const model = node.gpuModel?.replace(/^NVIDIA-/, '').replace(/-/g, ' ');
  return model ?? `${node.gpuMemoryGb ?? '?'} GB GPU`;
}

function nodeFit(request: FitRequest, memoryGb: number, node: NodeGpuCapacity): NodeFit {
  const base = {
    node: node.nodeName,
    pool: node.pool,
    ...(node.gpuModel ? { gpuModel: node.gpuModel } : {}),
    ...(node.gpuMemoryGb !== undefined ? { gpuMemoryGb: node.gpuMemoryGb } : {}),
  };
  if (!node.gpuMemoryGb)
    return {
      ...base,
      level: 'unknown',
      reason: 'GPU memory of this node is unknown (no nvidia.com/gpu.memory label)',
    };
  const usablePerGpu = node.gpuMemoryGb * USABLE_GPU_FRACTION;
  const fewest = Math.max(request.minGpus ?? 1, 1, Math.ceil(memoryGb / usablePerGpu));
  const needed = request.gpusPerReplica ?? fewest;
  const withNeeded = { ...base, gpusNeeded: needed };
  if (needed < fewest)
    return {
      ...withNeeded,
      level: 'no-fit',
      reason: `${gb(memoryGb)} needs ${fewest} × ${gb(node.gpuMemoryGb)} GPUs; ${needed} hold ${gb(needed * usablePerGpu)}`,
    };
  if (needed > node.totalGpus)
    return {
      ...withNeeded,
      level: 'no-fit',
      reason: `needs ${needed} GPUs on one node; it has ${node.totalGpus} × ${gpuLabel(node)}`,
    };
  if (!node.ready) return { ...withNeeded, level: 'no-fit', reason: 'node is not Ready' };
  if (!node.schedulable) return { ...withNeeded, level: 'no-fit', reason: 'node is cordoned' };
  if (needed > node.availableGpus)
    return {
      ...withNeeded,
      level: 'no-fit',
      reason: `${node.availableGpus} of ${node.totalGpus} GPUs free now; needs ${needed}`,
    };
  const share = memoryGb / (needed * usablePerGpu);
  if (share > TIGHT_SHARE)
    return {
      ...withNeeded,
      level: 'tight',
      reason: `${Math.round(share * 100)}% of ${needed} × ${gpuLabel(node)} for weights: little room for the KV cache`,
    };
  const percent = Math.max(1, Math.round(share * 100));
  return {
    ...withNeeded,
    level: 'fits',
    reason: `${needed} × ${gpuLabel(node)}, ${percent}% of its memory; ${node.availableGpus} of ${node.totalGpus} GPUs free`,
    summary: `${needed} × ${gpuLabel(node)} (${percent}% of memory)`,
  };
}

export function modelFit(request: FitRequest, nodes: readonly NodeGpuCapacity[]): ModelFit {
  if (request.minGpus === 0 && !request.gpusPerReplica)
    return { level: 'fits', headline: 'Runs on CPU: needs no GPU', nodes: [] };
  const memoryGb = request.memoryGb;
  if (memoryGb === undefined || memoryGb <= 0)
    return { level: 'unknown', headline: 'Model size unknown: cannot estimate GPU memory', nodes: [] };
  const gpuNodes = nodes.filter((n) => n.totalGpus > 0);
  if (gpuNodes.length === 0) return { level: 'no-fit', headline: 'The cluster has no GPU nodes', nodes: [] };

  const fits = gpuNodes
    .map((node) => nodeFit(request, memoryGb, node))
    .sort((a, b) => RANK[b.level] - RANK[a.level] || a.node.localeCompare(b.node));
  const best = fits[0];
  if (!best) return { level: 'unknown', headline: 'No GPU capacity data', nodes: [] };
  const sameLevel = fits.filter((f) => f.level === best.level).length;
  const where = sameLevel > 1 ? `${sameLevel} nodes` : best.node;
  switch (best.level) {
    case 'fits':
      return { level: 'fits', headline: `Fits on ${where}: ${best.summary ?? best.reason}`, nodes: fits };
    case 'tight':
      return { level: 'tight', headline: `Tight on ${where}: ${best.reason}`, nodes: fits };
    case 'unknown':
      return { level: 'unknown', headline: best.reason, nodes: fits };
    case 'no-fit':
      return { level: 'no-fit', headline: `Won't fit: ${noFitReason(fits, gpuNodes)}`, nodes: fits };
  }
}

// Why it fits nowhere, the reason that matters most first: a node whose hardware could hold
// the model but is busy, cordoned or not Ready; else the shortfall against the largest node.
function noFitReason(fits: readonly NodeFit[], nodes: readonly NodeGpuCapacity[]): string {
  const blockedNow = fits.find(
    (f) =>
      f.gpusNeeded !== undefined &&
      f.gpusNeeded <= (nodes.find((n) => n.nodeName === f.node)?.totalGpus ?? 0) &&
      !/ needs \d+ × /.test(f.reason),
  );
  if (blockedNow) return `${blockedNow.reason} on ${blockedNow.node}`;
  const memoryShort = fits.find((f) => / needs \d+ × /.test(f.reason));
  if (memoryShort) return memoryShort.reason;
  const needed = Math.min(...fits.map((f) => f.gpusNeeded ?? Infinity));
  const largest = Math.max(...nodes.map((n) => n.totalGpus));
  if (Number.isFinite(needed)) return `needs ${needed} GPUs on one node; the largest GPU node has ${largest}`;
  return fits[0]?.reason ?? 'no node can hold it';
}

export const FIT_LABEL: Readonly<Record<FitLevel, string>> = {
  fits: 'Fits',
  tight: 'Tight',
  'no-fit': "Won't fit",
  unknown: 'Unknown fit',
};
