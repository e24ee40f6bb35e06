// GET /cluster/status and GET /cluster/nodes.
import { z } from 'zod';
import { PROVIDER_NAMES } from '../constants.js';

export const ClusterStatusResponseSchema = z.object({
  connected: z.boolean().describe('Whether the Kubernetes API server answers now.'),
  namespace: z.string().describe('The default namespace for new deployments (see settings).'),
  providerId: z
    .enum(PROVIDER_NAMES)
    .describe(
      'The provider a GPU ModelDeployment that names none gets, by the same selection the operator runs.',
    ),
  providerInstalled: z.boolean().describe('Whether that provider is installed and ready.'),
  message: z.string().optional().describe('Why the cluster is not connected, when it is not.'),
});
export type ClusterStatusResponse = z.output<typeof ClusterStatusResponseSchema>;

export const ClusterNodeSchema = z.object({
  name: z.string(),
  ready: z.boolean().describe('The node reports Ready.'),
  gpuCount: z.int().nonnegative().describe('Allocatable nvidia.com/gpu of the node.'),
  schedulable: z.boolean().describe('False when the node is cordoned.'),
  pool: z
    .string()
    .describe('Node pool, from the common pool labels (agentpool, gke-nodepool, …), or "default".'),
  gpuModel: z.string().optional().describe('The nvidia.com/gpu.product label, when present.'),
});
export type ClusterNode = z.output<typeof ClusterNodeSchema>;

export const ClusterNodesResponseSchema = z.object({ nodes: z.array(ClusterNodeSchema) });
export type ClusterNodesResponse = z.output<typeof ClusterNodesResponseSchema>;
