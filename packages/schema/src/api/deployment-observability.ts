// What a deployment is doing: its pods' logs, its engine's metrics, why its pods are not
// scheduled, and the objects it consists of.
import { z } from 'zod';
import { ENGINE_TYPES } from '../constants.js';
import { NamespaceNameSchema, TimestampSchema } from './common.js';
import { DeploymentNameSchema, ManifestResourceSchema, QueryBooleanSchema } from './deployments.js';

// ── logs ────────────────────────────────────────────────────────────────────────────────

export const MAX_TAIL_LINES = 10_000;

export const LogsQuerySchema = z.object({
  namespace: NamespaceNameSchema.optional().describe('Default: the default namespace of the settings.'),
  podName: z
    .string()
    .min(1)
    .max(253)
    .optional()
    .describe('A pod of the deployment; default: its first pod (a ready one if any).'),
  container: z
    .string()
    .min(1)
    .max(63)
    .optional()
    .describe(
      "Default: the pod's default container (kubectl.kubernetes.io/default-container), else its first.",
    ),
  tailLines: z.coerce
    .number<string>()
    .int()
    .min(1)
    .max(MAX_TAIL_LINES)
    .default(100)
    .describe(`Lines from the end (1 to ${MAX_TAIL_LINES}, default 100).`),
  timestamps: QueryBooleanSchema.default(false).describe('Prefix each line with its RFC 3339 timestamp.'),
  follow: QueryBooleanSchema.default(false).describe(
    'Stream new lines as Server-Sent Events (`meta`, then one `log` event per line, `end` when the container stops).',
  ),
});
export type LogsQuery = z.output<typeof LogsQuerySchema>;

export const LogsResponseSchema = z.object({
  logs: z.string().describe('The lines, ANSI escape sequences removed.'),
  podName: z.string().optional(),
  container: z.string().optional(),
  message: z.string().optional().describe('Why there are no logs (e.g. the deployment has no pods yet).'),
});
export type LogsResponse = z.output<typeof LogsResponseSchema>;

// ── metrics ─────────────────────────────────────────────────────────────────────────────

export const MetricSampleSchema = z.object({
  name: z.string().describe('e.g. vllm:num_requests_running, llamacpp:prompt_tokens_total.'),
  value: z.number(),
  labels: z.record(z.string(), z.string()).describe("The sample's labels, plus `pod`: where it was scraped."),
  type: z.string().optional().describe('counter, gauge, histogram, summary (from # TYPE).'),
});
export type MetricSample = z.output<typeof MetricSampleSchema>;

export const MetricsResponseSchema = z.object({
  available: z.boolean().describe('At least one pod answered with metrics.'),
  timestamp: TimestampSchema,
  metrics: z.array(MetricSampleSchema),
  error: z.string().optional(),
  runningOffCluster: z
    .boolean()
    .optional()
    .describe(
      'True when the API runs outside the cluster and could not reach the pods through the apiserver.',
    ),
  engine: z.enum(ENGINE_TYPES).optional().describe('The engine the metric names belong to.'),
  pods: z
    .array(z.object({ name: z.string(), available: z.boolean(), error: z.string().optional() }))
    .optional()
    .describe('Each scraped pod: every ready model server pod, not one behind a Service.'),
});
export type MetricsResponse = z.output<typeof MetricsResponseSchema>;

// ── pending reasons ─────────────────────────────────────────────────────────────────────

export const RESOURCE_TYPES = ['gpu', 'cpu', 'memory'] as const;

export const PendingReasonSchema = z.object({
  reason: z.string().describe('e.g. FailedScheduling, Unschedulable.'),
  message: z.string(),
  isResourceConstraint: z.boolean().describe('Some node lacks a resource the pod requests.'),
  resourceType: z.enum(RESOURCE_TYPES).optional().describe('Which resource is short.'),
  canAutoscalerHelp: z
    .boolean()
    .describe('Adding nodes could help; false when taints or node selectors also stand in the way.'),
  podName: z.string().optional(),
  count: z.int().positive().optional().describe('How often the event was seen.'),
  lastSeen: z.string().optional(),
});
export type PendingReason = z.output<typeof PendingReasonSchema>;

export const PendingReasonsResponseSchema = z.object({ reasons: z.array(PendingReasonSchema) });
export type PendingReasonsResponse = z.output<typeof PendingReasonsResponseSchema>;

// ── manifest ────────────────────────────────────────────────────────────────────────────

export const ManifestResponseSchema = z.object({
  resources: z
    .array(ManifestResourceSchema)
    .describe('The ModelDeployment first, then the objects the operator created for it.'),
  primaryResource: z.object({ kind: z.string(), apiVersion: z.string() }),
  omitted: z
    .array(z.object({ kind: z.string(), reason: z.string() }))
    .optional()
    .describe('Kinds of owned objects left out because the caller may not read them.'),
});
export type ManifestResponse = z.output<typeof ManifestResponseSchema>;

/** tRPC input of logs: the query's fields, in JSON types. */
export const LogsRequestSchema = z.object({
  name: DeploymentNameSchema,
  namespace: NamespaceNameSchema.optional(),
  podName: z.string().min(1).max(253).optional(),
  container: z.string().min(1).max(63).optional(),
  tailLines: z.int().min(1).max(MAX_TAIL_LINES).default(100),
  timestamps: z.boolean().default(false),
});
export type LogsRequest = z.output<typeof LogsRequestSchema>;

// ── events ──────────────────────────────────────────────────────────────────────────────

export const DeploymentEventSchema = z.object({
  type: z.string().describe('Normal or Warning.'),
  reason: z.string().describe('e.g. FailedScheduling, BackOff, ProviderSelected.'),
  message: z.string(),
  count: z.int().positive().describe('How often the event was seen (1 when not counted).'),
  lastSeen: z.string().optional().describe('When it was last seen (RFC 3339).'),
  object: z
    .object({ kind: z.string(), name: z.string() })
    .describe('What the event is about: the ModelDeployment or one of its pods.'),
});
export type DeploymentEvent = z.output<typeof DeploymentEventSchema>;

export const DeploymentEventsResponseSchema = z.object({
  events: z
    .array(DeploymentEventSchema)
    .describe('Events of the ModelDeployment and Warning events of its pods, newest first.'),
});
export type DeploymentEventsResponse = z.output<typeof DeploymentEventsResponseSchema>;
