// What node labels say about a node's GPUs and its pool. GPU feature discovery labels GPU
// nodes with nvidia.com/gpu.product and nvidia.com/gpu.memory (MiB); clouds label node pools
// each in their own way.
import { memoryOfGpu } from './gpu-models.js';

export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
export const GPU_MEMORY_LABEL = 'nvidia.com/gpu.memory';
export const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';
export const REGION_LABEL = 'topology.kubernetes.io/region';

/** Node-pool labels, most specific first: AKS, GKE, EKS, eksctl, Karpenter. */
export const NODE_POOL_LABELS = [
  'agentpool',
  'kubernetes.azure.com/agentpool',
  'cloud.google.com/gke-nodepool',
  'eks.amazonaws.com/nodegroup',
  'alpha.eksctl.io/nodegroup-name',
  'karpenter.sh/nodepool',
] as const;

export const DEFAULT_POOL = 'default';

export function nodePoolOf(labels: Readonly<Record<string, string>> | undefined): string {
  for (const key of NODE_POOL_LABELS) {
    const value = labels?.[key];
    if (value) return value;
  }
  return DEFAULT_POOL;
}

/**
 * Memory of one GPU from its product name, in GB, for nodes without the memory label: the GB
 * written in the name (NVIDIA-A100-SXM4-80GB), else the model's (gpu-models.ts).
 */
export function gpuMemoryFromProduct(product: string): number | undefined {
  return memoryOfGpu(product);
}

/** GB with one decimal, from MiB as GPU feature discovery reports it. */
export function mibToGb(mib: number): number {
  return Math.round((mib / 1024) * 10) / 10;
}

/** Memory of one GPU of a node, in GB: the memory label, else the product name; undefined if neither says. */
export function gpuMemoryGb(labels: Readonly<Record<string, string>> | undefined): number | undefined {
  const mib = Number(labels?.[GPU_MEMORY_LABEL]);
  if (labels?.[GPU_MEMORY_LABEL] && Number.isFinite(mib) && mib > 0) return mibToGb(mib);
  const product = labels?.[GPU_PRODUCT_LABEL];
  return product ? gpuMemoryFromProduct(product) : undefined;
}
