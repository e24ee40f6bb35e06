// /deployments: list, create (and its dry run), read, update, delete. The create body is the
// dashboard's vocabulary (modelId, engine, replicas, imageRef, …); the API maps it onto a
// ModelDeployment, which the shared ModelDeployment schema then validates as kubectl's would be.
import { z } from 'zod';
import {
  DEPLOYMENT_PHASES,
  ENGINE_TYPES,
  MAX_MODEL_DEPLOYMENT_NAME_LENGTH,
  MAX_REPLICAS,
  MODEL_SOURCES,
  PROVIDER_NAMES,
  SERVING_MODES,
} from '../constants.js';
import { EXTENDED_RESOURCE_NAME, ObjectNameSchema, QUANTITY, TolerationSchema } from '../kubernetes.js';
import { ModelDeploymentSchema } from '../model-deployment.js';
import { MAX_GPUS_PER_POD, ModelDeploymentSpecSchema } from '../model-deployment-spec.js';
import { DNS1035_LABEL } from '../validation-rules.js';
import { NamespaceNameSchema, TimestampSchema } from './common.js';

// ── names and query parameters ──────────────────────────────────────────────────────────

export const DeploymentNameSchema = z
  .string()
  .min(1)
  .max(MAX_MODEL_DEPLOYMENT_NAME_LENGTH)
  .regex(
    DNS1035_LABEL,
    'must be lowercase letters, digits and "-", start with a letter and end with a letter or digit',
  );

export const DeploymentParamsSchema = z.object({ name: DeploymentNameSchema });

/** Query of the routes where the namespace is optional (default: the settings' default namespace). */
export const NamespaceQuerySchema = z.object({
  namespace: NamespaceNameSchema.optional().describe(
    'Namespace of the deployment; default: the default namespace of the settings.',
  ),
});
export type NamespaceQuery = z.output<typeof NamespaceQuerySchema>;

/** Query of GET and DELETE /deployments/:name, where the API reference makes it required. */
export const RequiredNamespaceQuerySchema = z.object({
  namespace: NamespaceNameSchema.describe('Namespace of the deployment.'),
});

/** `true`/`false` (also `1`/`0`) in a query string. */
export const QueryBooleanSchema = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const ListDeploymentsQuerySchema = z.object({
  namespace: NamespaceNameSchema.optional().describe(
    'Only this namespace; default: every namespace the caller may list ModelDeployments in.',
  ),
});
export type ListDeploymentsQuery = z.output<typeof ListDeploymentsQuerySchema>;

export const DryRunQuerySchema = z.object({
  dryRun: QueryBooleanSchema.optional().describe(
    'true: validate with the apiserver (server-side dry run) and answer what would be created, writing nothing.',
  ),
});

// ── reading ─────────────────────────────────────────────────────────────────────────────

const count = z.int().nonnegative();

export const ReplicaCountsSchema = z.object({
  desired: count.describe('Model server pods wanted (prefill plus decode workers when disaggregated).'),
  ready: count,
  available: count,
});

export const DeploymentSummarySchema = z.object({
  name: z.string(),
  namespace: z.string(),
  modelId: z.string().describe('spec.model.id ("" for a custom model without one).'),
  engine: z
    .enum(ENGINE_TYPES)
    .optional()
    .describe(
      'The engine serving the model: status.engine.type, else spec.engine.type; absent until chosen.',
    ),
  provider: z
    .enum(PROVIDER_NAMES)
    .optional()
    .describe('The provider running it: status.provider.name, else spec.provider.name.'),
  phase: z
    .enum(DEPLOYMENT_PHASES)
    .describe('status.phase as the operator wrote it; Terminating while being deleted, Pending before.'),
  message: z.string().optional().describe('status.message: what is happening, or what is wrong.'),
  mode: z.enum(SERVING_MODES),
  servedModelName: z.string().optional().describe('spec.model.servedName, when set.'),
  gpus: count.describe('GPUs the model server pods request in all, at the desired replicas.'),
  replicas: ReplicaCountsSchema,
  createdAt: TimestampSchema,
});
export type DeploymentSummary = z.output<typeof DeploymentSummarySchema>;

export const ListDeploymentsResponseSchema = z.object({ deployments: z.array(DeploymentSummarySchema) });
export type ListDeploymentsResponse = z.output<typeof ListDeploymentsResponseSchema>;

export const PodStatusSchema = z.object({
  name: z.string(),
  phase: z.string().describe('Pending, Running, Succeeded, Failed or Unknown.'),
  ready: z.boolean(),
  restarts: count.describe('Restarts of its containers, summed.'),
  node: z.string().optional().describe('The node it is bound to.'),
  reason: z
    .string()
    .optional()
    .describe('Why a container is not running, e.g. CrashLoopBackOff, ImagePullBackOff, Unschedulable.'),
  containers: z.array(z.string()).describe('Names of its containers, the default one first.'),
  createdAt: TimestampSchema.optional(),
});
export type PodStatus = z.output<typeof PodStatusSchema>;

export const PodsResponseSchema = z.object({ pods: z.array(PodStatusSchema) });
export type PodsResponse = z.output<typeof PodsResponseSchema>;

export const DeploymentConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});

export const DeploymentDetailSchema = DeploymentSummarySchema.extend({
  providerReason: z
    .string()
    .optional()
    .describe('Why this provider was chosen (status.provider.selectedReason).'),
  engineReason: z.string().optional().describe('Why this engine was chosen (status.engine.selectedReason).'),
  endpoint: z
    .object({ service: z.string(), port: z.int() })
    .optional()
    .describe('The Service serving the OpenAI-compatible API inside the cluster.'),
  gateway: z
    .object({ endpoint: z.string().optional(), modelName: z.string().optional() })
    .optional()
    .describe('Where the model is served through the inference Gateway.'),
  conditions: z.array(DeploymentConditionSchema),
  pods: z.array(PodStatusSchema),
  spec: ModelDeploymentSpecSchema.describe('The spec as stored (with the apiserver defaults applied).'),
  resourceVersion: z.string(),
  generation: z.int().optional(),
  observedGeneration: z.int().optional().describe('The generation status describes.'),
});
export type DeploymentDetail = z.output<typeof DeploymentDetailSchema>;

// ── creating ────────────────────────────────────────────────────────────────────────────

const QuantityStringSchema = z
  .string()
  .max(64)
  .regex(QUANTITY, 'must be a Kubernetes quantity such as 32Gi or 500m');

const WorkerRequestSchema = z.strictObject({
  replicas: z.int().min(0).max(MAX_REPLICAS).optional().describe('Workers; default 1.'),
  gpu: z.int().min(1).max(MAX_GPUS_PER_POD).optional().describe('GPUs per worker; default 1.'),
  memory: QuantityStringSchema.optional(),
});

export const ROUTER_MODES = ['default', 'kv', 'round-robin'] as const;
export const DEPLOYMENT_COMPUTE_TYPES = ['gpu', 'cpu'] as const;

const EngineArgValueSchema = z.union([z.string().max(4096), z.number(), z.boolean()]);

/** Every field but name and namespace, as POST and PATCH take them. */
const DeploymentFieldsShape = {
  modelId: z
    .string()
    .min(1)
    .max(256)
    .describe('HuggingFace model ID (e.g. Qwen/Qwen3-0.6B) → spec.model.id.'),
  modelSource: z.enum(MODEL_SOURCES).optional().describe('→ spec.model.source (default huggingface).'),
  servedModelName: z.string().min(1).max(256).optional().describe('→ spec.model.servedName.'),
  provider: z
    .enum(PROVIDER_NAMES)
    .optional()
    .describe('→ spec.provider.name. Omit to let the operator select (the answer says which it will).'),
  engine: z.enum(ENGINE_TYPES).optional().describe('→ spec.engine.type. Omit to let the operator select.'),
  mode: z.enum(SERVING_MODES).optional().describe('→ spec.serving.mode (default aggregated).'),
  routerMode: z
    .enum(ROUTER_MODES)
    .optional()
    .describe('Dynamo request routing; anything but default → spec.provider.overrides.routerMode.'),
  replicas: z
    .int()
    .min(0)
    .max(MAX_REPLICAS)
    .optional()
    .describe('→ spec.scaling.replicas (aggregated mode; default 1).'),
  computeType: z
    .enum(DEPLOYMENT_COMPUTE_TYPES)
    .optional()
    .describe('gpu (default): resources.gpu defaults to 1; cpu: spec.resources.gpu.count is 0.'),
  resources: z
    .strictObject({
      gpu: z
        .int()
        .min(0)
        .max(MAX_GPUS_PER_POD)
        .optional()
        .describe(
          'GPUs per model server pod → spec.resources.gpu.count (default 1, 0 with computeType cpu).',
        ),
      gpuType: z
        .string()
        .max(253)
        .regex(EXTENDED_RESOURCE_NAME, 'must be a resource name such as nvidia.com/gpu')
        .optional()
        .describe('→ spec.resources.gpu.type.'),
      memory: QuantityStringSchema.optional().describe('→ spec.resources.memory.'),
      cpu: QuantityStringSchema.optional().describe('→ spec.resources.cpu.'),
    })
    .optional(),
  prefill: WorkerRequestSchema.optional().describe('Disaggregated mode → spec.scaling.prefill.'),
  decode: WorkerRequestSchema.optional().describe('Disaggregated mode → spec.scaling.decode.'),
  hfTokenSecret: ObjectNameSchema.optional().describe(
    'Name of the Secret holding the HuggingFace token → spec.secrets.huggingFaceToken.',
  ),
  contextLength: z.int().min(1).max(16_777_216).optional().describe('→ spec.engine.contextLength.'),
  enforceEager: z.boolean().optional().describe('→ spec.engine.enforceEager.'),
  enablePrefixCaching: z.boolean().optional().describe('→ spec.engine.enablePrefixCaching.'),
  trustRemoteCode: z.boolean().optional().describe('→ spec.engine.trustRemoteCode.'),
  imageRef: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe('Custom image: → spec.engine.image for provider vllm, else the legacy spec.image.'),
  engineArgs: z
    .record(z.string(), EngineArgValueSchema)
    .optional()
    .describe('→ spec.engine.args; numbers and booleans become strings (true → "").'),
  engineExtraArgs: z.array(z.string().max(4096)).max(64).optional().describe('→ spec.engine.extraArgs.'),
  env: z.record(z.string(), z.string()).optional().describe('Environment variables by name → spec.env.'),
  providerOverrides: z.record(z.string(), z.unknown()).optional().describe('→ spec.provider.overrides.'),
  gatewayEnabled: z.boolean().optional().describe('→ spec.gateway.enabled.'),
  gatewayModelName: z.string().min(1).max(256).optional().describe('→ spec.gateway.modelName.'),
  nodeSelector: z.record(z.string(), z.string()).optional().describe('→ spec.nodeSelector.'),
  tolerations: z.array(TolerationSchema).max(32).optional().describe('→ spec.tolerations.'),
};

export const CreateDeploymentRequestSchema = z.strictObject({
  name: DeploymentNameSchema.describe('Name of the ModelDeployment.'),
  namespace: NamespaceNameSchema.optional().describe('Default: the default namespace of the settings.'),
  ...DeploymentFieldsShape,
});
export type CreateDeploymentRequest = z.input<typeof CreateDeploymentRequestSchema>;
export type CreateDeploymentInput = z.output<typeof CreateDeploymentRequestSchema>;

export const CreateDeploymentResponseSchema = z.object({
  message: z.string(),
  name: z.string(),
  namespace: z.string(),
  provider: z
    .enum(PROVIDER_NAMES)
    .optional()
    .describe('The provider: as requested, or the one the operator will select now.'),
  providerReason: z.string().optional(),
  engine: z.enum(ENGINE_TYPES).optional(),
  warnings: z
    .array(z.string())
    .optional()
    .describe('What may stop it from running now, e.g. that it does not fit on any node.'),
});
export type CreateDeploymentResponse = z.output<typeof CreateDeploymentResponseSchema>;

// ── dry run ─────────────────────────────────────────────────────────────────────────────

export const ManifestResourceSchema = z.object({
  kind: z.string(),
  apiVersion: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  manifest: z.record(z.string(), z.unknown()).describe('The whole object.'),
});
export type ManifestResource = z.output<typeof ManifestResourceSchema>;

export const SelectionResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    provider: z.enum(PROVIDER_NAMES),
    engine: z.enum(ENGINE_TYPES),
    providerReason: z.string(),
    engineReason: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    stage: z.enum(['engine', 'provider']),
    reason: z.string(),
    message: z.string(),
  }),
]);
export type SelectionResult = z.output<typeof SelectionResultSchema>;

export const FIT_STATUSES = ['fits', 'does-not-fit', 'unknown'] as const;

export const PodFitSchema = z.object({
  role: z
    .string()
    .describe('Which pods, e.g. "Deployment qwen" or "DynamoGraphDeployment llama: VllmWorker".'),
  replicas: count,
  requests: z
    .record(z.string(), z.string())
    .describe('What each pod requests, as quantities: nvidia.com/gpu, cpu, memory.'),
  placements: z
    .array(z.object({ node: z.string(), pods: z.int().positive() }))
    .describe('Where the pods would go, given what the nodes have free now.'),
  unplaced: count.describe('Pods that fit on no node.'),
  reason: z
    .string()
    .optional()
    .describe('Why the first unplaced pod fits nowhere, as the scheduler says it.'),
});

export const FitVerdictSchema = z.object({
  status: z.enum(FIT_STATUSES),
  message: z
    .string()
    .describe(
      '"fits on gpu-node-2", or "does not fit: … 0/3 nodes are available: 3 Insufficient nvidia.com/gpu."',
    ),
  pods: z.array(PodFitSchema),
});
export type FitVerdict = z.output<typeof FitVerdictSchema>;

export const DryRunResponseSchema = z.object({
  dryRun: z.literal(true),
  message: z.string(),
  modelDeployment: ModelDeploymentSchema.describe(
    'The ModelDeployment as the apiserver would store it (server-side dry run, defaults applied).',
  ),
  selection: SelectionResultSchema.describe(
    'The provider and engine the operator would choose now, and why.',
  ),
  resources: z
    .array(ManifestResourceSchema)
    .describe('The objects the operator would create (without owner references).'),
  notes: z.array(z.string()).describe('Settings the chosen provider does not apply.'),
  fit: FitVerdictSchema,
  warnings: z.array(z.string()),
});
export type DryRunResponse = z.output<typeof DryRunResponseSchema>;

// ── updating and deleting ───────────────────────────────────────────────────────────────

/** PATCH: any field of the create body; null removes an optional setting. */
export const UpdateDeploymentRequestSchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(DeploymentFieldsShape).map(([key, schema]) => [key, schema.nullable().optional()]),
    ) as {
      [K in keyof typeof DeploymentFieldsShape]: z.ZodOptional<
        z.ZodNullable<(typeof DeploymentFieldsShape)[K]>
      >;
    },
  )
  .refine((body) => Object.keys(body).length > 0, 'must change at least one field');
export type UpdateDeploymentRequest = z.input<typeof UpdateDeploymentRequestSchema>;
export type UpdateDeploymentInput = z.output<typeof UpdateDeploymentRequestSchema>;

export const UpdateDeploymentResponseSchema = z.object({
  message: z.string(),
  name: z.string(),
  namespace: z.string(),
  dryRun: z.boolean(),
  changed: z.array(z.string()).describe('Spec fields that changed, e.g. scaling.replicas.'),
  recreate: z
    .boolean()
    .describe('An identity field changed: the provider objects are deleted and recreated (brief downtime).'),
  identityChanges: z.array(z.string()).describe('Which identity fields changed.'),
  deployment: DeploymentSummarySchema,
});
export type UpdateDeploymentResponse = z.output<typeof UpdateDeploymentResponseSchema>;

export const DeleteDeploymentResponseSchema = z.object({ success: z.literal(true), message: z.string() });
export type DeleteDeploymentResponse = z.output<typeof DeleteDeploymentResponseSchema>;

// ── live changes ────────────────────────────────────────────────────────────────────────

export const DeploymentChangeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot'),
    deployments: z.array(DeploymentSummarySchema).describe('Every visible deployment now.'),
  }),
  z.object({ type: z.literal('upsert'), deployment: DeploymentSummarySchema }),
  z.object({ type: z.literal('delete'), name: z.string(), namespace: z.string() }),
]);
export type DeploymentChange = z.output<typeof DeploymentChangeSchema>;

// ── tRPC inputs (JSON, not query strings) ───────────────────────────────────────────────

/** A deployment named by namespace and name. */
export const DeploymentRefSchema = z.object({ name: DeploymentNameSchema, namespace: NamespaceNameSchema });

/** A deployment in `namespace`, else in the default namespace of the settings. */
export const DeploymentLookupSchema = z.object({
  name: DeploymentNameSchema,
  namespace: NamespaceNameSchema.optional(),
});

export const UpdateDeploymentCallSchema = DeploymentRefSchema.extend({
  dryRun: z.boolean().optional(),
  changes: UpdateDeploymentRequestSchema,
});
