// What node labels say about a node's GPUs and its pool. GPU feature discovery labels GPU
// nodes with nvidia.com/gpu.product and nvidia.com/gpu.memory (MiB); clouds label node pools
// each in their own way.

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
 * Memory of one GPU by model, in GB, for nodes without the memory label. Tokens are matched
 * whole (`L4` is not `L40S`); the first matching row wins, so variants come before the family.
 */
const MEMORY_BY_MODEL: readonly (readonly [tokens: readonly string[], gb: number])[] = [
  [['GH200'], 96],
  [['H200'], 141],
  [['H100', 'NVL'], 94],
  [['H100'], 80],
  [['B200'], 180],
  [['A100'], 40],
  [['A800'], 80],
  [['L40S'], 48],
  [['L40'], 48],
  [['L4'], 24],
  [['A40'], 48],
  [['A30'], 24],
  [['A10G'], 24],
  [['A10'], 24],
  [['A6000'], 48],
  [['6000', 'ADA'], 48],
  [['A5000'], 24],
  [['A4000'], 16],
  [['4090'], 24],
  [['3090'], 24],
  [['4080'], 16],
  [['V100'], 16],
  [['T4'], 16],
  [['P100'], 16],
  [['P40'], 24],
  [['K80'], 12],
];

/** GB written in the product name wins: NVIDIA-A100-SXM4-80GB, Tesla-V100-SXM2-32GB. */
const EXPLICIT_GB = /(?:^|[-_ ])(\d{1,3})GB(?:$|[-_ ])/i;

export function gpuMemoryFromProduct(product: string): number | undefined {
  const explicit = EXPLICIT_GB.exec(product);
  if (explicit?.[1]) return Number(explicit[1]);
  const tokens = new Set(product.toUpperCase().split(/[-_ ]+/));
  for (const [wanted, gb] of MEMORY_BY_MODEL) if (wanted.every((t) => tokens.has(t))) return gb;
  return undefined;
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
