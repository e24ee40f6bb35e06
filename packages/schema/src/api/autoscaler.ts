// GET /autoscaler/detection and GET /autoscaler/status.
import { z } from 'zod';

export const AUTOSCALER_TYPES = ['aks-managed', 'cluster-autoscaler', 'none'] as const;
export type AutoscalerType = (typeof AUTOSCALER_TYPES)[number];

export const AutoscalerDetectionResponseSchema = z.object({
  detected: z.boolean(),
  type: z.enum(AUTOSCALER_TYPES),
  healthy: z
    .boolean()
    .describe(
      'Its status ConfigMap was updated less than 5 minutes ago and says Healthy (or its Deployment is ready).',
    ),
  message: z.string(),
  nodeGroupCount: z.int().nonnegative(),
  lastUpdated: z.string().optional().describe('When the autoscaler last wrote its status (RFC 3339).'),
});
export type AutoscalerDetectionResponse = z.output<typeof AutoscalerDetectionResponseSchema>;

export const AutoscalerNodeGroupSchema = z.object({
  name: z.string(),
  health: z.string().describe('Healthy or Unhealthy, as the autoscaler reports it.'),
  minSize: z.int().nonnegative(),
  maxSize: z.int().nonnegative(),
  currentSize: z.int().nonnegative().describe('Registered nodes (else the cloud provider target size).'),
});
export type AutoscalerNodeGroup = z.output<typeof AutoscalerNodeGroupSchema>;

export const AutoscalerStatusResponseSchema = z.object({
  health: z.string().describe('Cluster-wide health as the autoscaler reports it: Healthy or Unhealthy.'),
  lastUpdated: z.string().describe('When the autoscaler last wrote its status (RFC 3339).'),
  nodeGroups: z.array(AutoscalerNodeGroupSchema),
  stale: z.boolean().describe('The status is older than 5 minutes: the autoscaler may not be running.'),
});
export type AutoscalerStatusResponse = z.output<typeof AutoscalerStatusResponseSchema>;
