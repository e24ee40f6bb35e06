// Simulated nodes. kwok keeps a node's own status.capacity/allocatable, so the real
// scheduler sees `nvidia.com/gpu` exactly as on a cluster with the NVIDIA device plugin,
// and the labels match what GPU feature discovery (nvidia.com/gpu.*) and the clouds set.

/** GPU models with the memory (MiB) that GPU feature discovery reports for them. */
export const GPU_MODELS = {
  'H100-80GB': { product: 'NVIDIA-H100-80GB-HBM3', memoryMiB: 81559, family: 'hopper' },
  'H200-141GB': { product: 'NVIDIA-H200', memoryMiB: 143771, family: 'hopper' },
  'A100-80GB': { product: 'NVIDIA-A100-SXM4-80GB', memoryMiB: 81920, family: 'ampere' },
  'A100-40GB': { product: 'NVIDIA-A100-SXM4-40GB', memoryMiB: 40960, family: 'ampere' },
  'L4-24GB': { product: 'NVIDIA-L4', memoryMiB: 23034, family: 'ada-lovelace' },
  'T4-16GB': { product: 'Tesla-T4', memoryMiB: 15360, family: 'turing' },
} as const;
export type GpuModel = keyof typeof GPU_MODELS;

export interface GpuNodeSpec {
  readonly kind: 'gpu';
  readonly name: string;
  readonly gpu: GpuModel;
  readonly gpuCount: number;
  readonly pool: string;
  readonly instanceType?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly region?: string;
  readonly zone?: string;
  /** Extra labels, merged last. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Add the `nvidia.com/gpu=present:NoSchedule` taint that many managed GPU pools carry. */
  readonly taintGpu?: boolean;
}

export interface CpuNodeSpec {
  readonly kind: 'cpu';
  readonly name: string;
  readonly pool: string;
  readonly instanceType?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly region?: string;
  readonly zone?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export type NodeSpec = GpuNodeSpec | CpuNodeSpec;

/** The node-pool label; the same key AKS uses, one of the keys the product groups pools by. */
export const NODE_POOL_LABEL = 'agentpool';
/** Annotation that tells kwok to manage the node. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** Two 8×H100 nodes, one 8×A100 node and one CPU node: the topology of `npm run cluster`. */
export const DEFAULT_TOPOLOGY: readonly NodeSpec[] = [
  {
    kind: 'gpu',
    name: 'gpu-h100-0',
    gpu: 'H100-80GB',
    gpuCount: 8,
    pool: 'h100',
    instanceType: 'Standard_ND96isr_H100_v5',
  },
  {
    kind: 'gpu',
    name: 'gpu-h100-1',
    gpu: 'H100-80GB',
    gpuCount: 8,
    pool: 'h100',
    instanceType: 'Standard_ND96isr_H100_v5',
  },
  {
    kind: 'gpu',
    name: 'gpu-a100-0',
    gpu: 'A100-80GB',
    gpuCount: 8,
    pool: 'a100',
    instanceType: 'Standard_ND96amsr_A100_v4',
  },
  { kind: 'cpu', name: 'cpu-0', pool: 'system', instanceType: 'Standard_D16s_v5', cpu: '16', memory: '64Gi' },
];

export function nodeManifest(spec: NodeSpec): Record<string, unknown> {
  const region = spec.region ?? 'eastus';
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': spec.instanceType ?? (spec.kind === 'gpu' ? 'gpu-node' : 'cpu-node'),
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': spec.zone ?? `${region}-1`,
    [NODE_POOL_LABEL]: spec.pool,
    type: 'kwok',
  };
  const cpu = spec.cpu ?? (spec.kind === 'gpu' ? '96' : '16');
  const memory = spec.memory ?? (spec.kind === 'gpu' ? '1800Gi' : '64Gi');
  const capacity: Record<string, string> = { cpu, memory, pods: '110', 'ephemeral-storage': '1Ti' };
  const taints: Record<string, string>[] = [];

  if (spec.kind === 'gpu') {
    const model = GPU_MODELS[spec.gpu];
    Object.assign(labels, {
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.product': model.product,
      'nvidia.com/gpu.memory': String(model.memoryMiB),
      'nvidia.com/gpu.count': String(spec.gpuCount),
      'nvidia.com/gpu.family': model.family,
      'nvidia.com/gpu.machine': spec.instanceType ?? 'gpu-node',
    });
    capacity['nvidia.com/gpu'] = String(spec.gpuCount);
    if (spec.taintGpu) taints.push({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
  }
  Object.assign(labels, spec.labels);

  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: taints.length > 0 ? { taints } : {},
    // Status may be set on create; later changes would need the /status subresource.
    status: { capacity, allocatable: capacity },
  };
}
