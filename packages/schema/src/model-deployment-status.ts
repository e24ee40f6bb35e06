// ModelDeployment.status: what the operator observed. Only the operator writes it (server-side
// apply on the status subresource), so nothing here has a default.
import { z } from 'zod';
import { DEPLOYMENT_PHASES, ENGINE_TYPES, PROVIDER_NAMES } from './constants.js';
import { ConditionListSchema } from './kubernetes.js';

const ReasonTextSchema = z.string().max(1024);
const ReplicaCountSchema = z.int().min(0);

export const ProviderStatusSchema = z.strictObject({
  name: z
    .enum(PROVIDER_NAMES)
    .optional()
    .describe('Provider running the model, whether named in spec or selected.'),
  selectedReason: ReasonTextSchema.optional().describe(
    'Why this provider was chosen, e.g. "default → dynamo (GPU inference default)".',
  ),
  resourceName: z.string().max(253).optional().describe('Name of the main object the provider created.'),
  resourceKind: z
    .string()
    .max(63)
    .optional()
    .describe('Kind of that object, e.g. DynamoGraphDeployment, Workspace, RayService or Deployment.'),
});

export const EngineStatusSchema = z.strictObject({
  type: z
    .enum(ENGINE_TYPES)
    .optional()
    .describe('Engine serving the model, whether named in spec or selected.'),
  selectedReason: ReasonTextSchema.optional().describe('Why this engine was chosen.'),
});

export const ReplicaStatusSchema = z.strictObject({
  desired: ReplicaCountSchema.optional().describe(
    'Model server pods wanted; in disaggregated mode prefill plus decode workers.',
  ),
  ready: ReplicaCountSchema.optional().describe('Pods that are ready to serve.'),
  available: ReplicaCountSchema.optional().describe(
    'Pods that have been ready for their minimum ready time.',
  ),
});

export const EndpointStatusSchema = z.strictObject({
  service: z
    .string()
    .max(253)
    .optional()
    .describe('Service that serves the OpenAI-compatible API, e.g. llama-8b-frontend.'),
  port: z.int().min(1).max(65535).optional().describe('Port of that Service, e.g. 8000.'),
});

export const GatewayStatusSchema = z.strictObject({
  endpoint: z
    .string()
    .max(1024)
    .optional()
    .describe('Address of the inference Gateway that routes to this model, e.g. http://10.0.0.50.'),
  modelName: z
    .string()
    .max(256)
    .optional()
    .describe('Model name to send to the Gateway for this deployment.'),
});

export const ModelDeploymentStatusSchema = z.strictObject({
  phase: z
    .enum(DEPLOYMENT_PHASES)
    .optional()
    .describe(
      'Lifecycle phase: Pending (accepted, not yet deploying), Deploying (objects created, pods starting), ' +
        'Running (ready to serve), Failed (see message and conditions) or Terminating (being deleted).',
    ),
  message: z.string().max(32768).optional().describe('Human-readable detail about the phase.'),
  observedGeneration: z
    .int()
    .min(0)
    .optional()
    .describe('metadata.generation of the spec this status reflects.'),
  conditions: ConditionListSchema.optional().describe(
    'Detailed state, one condition per type: Validated, EngineSelected, ProviderSelected, ResourceCreated, Ready, ' +
      'GatewayReady, and others.',
  ),
  provider: ProviderStatusSchema.optional().describe('The provider running the model and why it was chosen.'),
  engine: EngineStatusSchema.optional().describe('The engine serving the model and why it was chosen.'),
  replicas: ReplicaStatusSchema.optional().describe('Replica counts of the model server pods.'),
  endpoint: EndpointStatusSchema.optional().describe('Where the model is served inside the cluster.'),
  gateway: GatewayStatusSchema.optional().describe(
    'Where the model is served through the inference Gateway.',
  ),
});

export type ModelDeploymentStatus = z.output<typeof ModelDeploymentStatusSchema>;
export type Condition = NonNullable<ModelDeploymentStatus['conditions']>[number];
