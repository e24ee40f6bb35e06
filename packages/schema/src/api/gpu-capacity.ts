// GET /installation/gpu-capacity and /installation/gpu-capacity/detailed: GPUs per node and
// per node pool, net of what running and scheduled pods request.
import { z } from 'zod';

const count = z.int().nonnegative();

const CapacitySummaryShape = {
  totalGpus: count.describe('Allocatable GPUs of every GPU node.'),
  allocatedGpus: count.describe('GPUs requested by running and scheduled pending pods.'),
  availableGpus: count.describe('GPUs free on nodes that are Ready and not cordoned.'),
  maxContiguousAvailable: count.describe('The most GPUs free on one node: the largest pod that fits now.'),
  maxNodeGpuCapacity: count.describe('The most GPUs one node has.'),
  gpuNodeCount: count,
  totalMemoryGb: z
    .number()
    .nonnegative()
    .describe(
      'Memory of one GPU, in GB, of the largest GPU model in the cluster: from the nvidia.com/gpu.memory ' +
        'label (MiB), else from the nvidia.com/gpu.product name; 0 without GPUs.',
    ),
};

export const NodeGpuCapacitySchema = z.object({
  nodeName: z.string(),
  totalGpus: count,
  allocatedGpus: count,
  availableGpus: count.describe('0 when the node is not Ready or cordoned.'),
  pool: z.string(),
  ready: z.boolean(),
  schedulable: z.boolean(),
  gpuModel: z.string().optional().describe('The nvidia.com/gpu.product label.'),
  gpuMemoryGb: z.number().nonnegative().optional().describe('Memory of one GPU of this node, in GB.'),
});
export type NodeGpuCapacity = z.output<typeof NodeGpuCapacitySchema>;

export const GpuCapacityResponseSchema = z.object({
  ...CapacitySummaryShape,
  nodes: z.array(NodeGpuCapacitySchema),
});
export type GpuCapacityResponse = z.output<typeof GpuCapacityResponseSchema>;

export const NodePoolCapacitySchema = z.object({
  name: z
    .string()
    .describe(
      'From agentpool, kubernetes.azure.com/agentpool, cloud.google.com/gke-nodepool, … or "default".',
    ),
  gpuCount: count,
  nodeCount: count,
  availableGpus: count,
  allocatedGpus: count,
  maxContiguousAvailable: count,
  gpuModel: z.string().optional().describe('The nvidia.com/gpu.product label most nodes of the pool carry.'),
  gpuMemoryGb: z.number().nonnegative().optional(),
  instanceType: z.string().optional().describe('node.kubernetes.io/instance-type of the pool.'),
  region: z.string().optional().describe('topology.kubernetes.io/region of the pool.'),
});
export type NodePoolCapacity = z.output<typeof NodePoolCapacitySchema>;

export const DetailedGpuCapacityResponseSchema = z.object({
  ...CapacitySummaryShape,
  nodePools: z.array(NodePoolCapacitySchema),
});
export type DetailedGpuCapacityResponse = z.output<typeof DetailedGpuCapacityResponseSchema>;
