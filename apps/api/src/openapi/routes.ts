// Every HTTP route of the API with its contract schemas: the source of /api/openapi.json and
// /api/docs. A test compares this table with the routes the app registers, so neither can
// gain a route the other lacks.
import * as S from '@airunway/schema';
import type { z } from 'zod';
import { HUGGINGFACE_ROUTES, HUGGINGFACE_SCHEMAS } from './huggingface-routes.js';
import { INSTALLATION_ROUTES, INSTALLATION_SCHEMAS } from './installation-routes.js';
import { INTEGRATION_ROUTES, INTEGRATION_SCHEMAS } from './integration-routes.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Named contract schemas: the names become OpenAPI component names. */
export const SCHEMAS = {
  HealthResponse: S.HealthResponseSchema,
  VersionResponse: S.VersionResponseSchema,
  ClusterStatusResponse: S.ClusterStatusResponseSchema,
  ClusterNodesResponse: S.ClusterNodesResponseSchema,
  SettingsResponse: S.SettingsResponseSchema,
  UpdateSettingsRequest: S.UpdateSettingsRequestSchema,
  UpdateSettingsResponse: S.UpdateSettingsResponseSchema,
  RuntimesStatusResponse: S.RuntimesStatusResponseSchema,
  GpuCapacityResponse: S.GpuCapacityResponseSchema,
  DetailedGpuCapacityResponse: S.DetailedGpuCapacityResponseSchema,
  AutoscalerDetectionResponse: S.AutoscalerDetectionResponseSchema,
  AutoscalerStatusResponse: S.AutoscalerStatusResponseSchema,
  ModelsResponse: S.ModelsResponseSchema,
  CatalogModel: S.CatalogModelSchema,
  ListDeploymentsResponse: S.ListDeploymentsResponseSchema,
  CreateDeploymentRequest: S.CreateDeploymentRequestSchema,
  CreateDeploymentResponse: S.CreateDeploymentResponseSchema,
  DryRunResponse: S.DryRunResponseSchema,
  DeploymentDetail: S.DeploymentDetailSchema,
  UpdateDeploymentRequest: S.UpdateDeploymentRequestSchema,
  UpdateDeploymentResponse: S.UpdateDeploymentResponseSchema,
  DeleteDeploymentResponse: S.DeleteDeploymentResponseSchema,
  DeploymentChange: S.DeploymentChangeSchema,
  DeploymentPermissionsResponse: S.DeploymentPermissionsResponseSchema,
  PodsResponse: S.PodsResponseSchema,
  LogsResponse: S.LogsResponseSchema,
  MetricsResponse: S.MetricsResponseSchema,
  PendingReasonsResponse: S.PendingReasonsResponseSchema,
  DeploymentEventsResponse: S.DeploymentEventsResponseSchema,
  ManifestResponse: S.ManifestResponseSchema,
  GatewayStatusResponse: S.GatewayStatusResponseSchema,
  GatewayModelsResponse: S.GatewayModelsResponseSchema,
  ApiErrorBody: S.ApiErrorBodySchema,
  ...HUGGINGFACE_SCHEMAS,
  ...INSTALLATION_SCHEMAS,
  ...INTEGRATION_SCHEMAS,
} as const satisfies Record<string, z.ZodType>;

export type SchemaName = keyof typeof SCHEMAS;

export interface RouteDoc {
  readonly method: Method;
  /** As registered in Hono: `/api/deployments/:name`, `/api/models/:id{.+}`. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** No bearer token needed, even with authentication on. */
  readonly public?: boolean;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: SchemaName;
  /** A JSON response, text, or Server-Sent Events whose `data` has this schema. */
  readonly response:
    | { readonly json: SchemaName; readonly status?: number }
    | { readonly text: string }
    | { readonly events: SchemaName; readonly description: string };
  /** Other successful answers, e.g. the dry run's. */
  readonly also?: readonly { readonly status: number; readonly json: SchemaName; readonly when: string }[];
  readonly errors?: readonly S.ApiErrorCode[];
}

const name = S.DeploymentParamsSchema;
const reads: S.ApiErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CLUSTER_UNAVAILABLE'];
const writes: S.ApiErrorCode[] = ['VALIDATION_ERROR', ...reads, 'CONFLICT', 'PROVIDER_NOT_INSTALLED'];

export const ROUTES: readonly RouteDoc[] = [
  // ── outside /api ──
  {
    method: 'get',
    path: '/healthz',
    tag: 'Probes',
    summary: 'The process answers',
    public: true,
    response: { text: 'ok' },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'Probes',
    summary: 'Every watch cache has synced (503 with the names of those that have not)',
    public: true,
    response: { text: 'ok' },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Probes',
    summary: 'Prometheus metrics of the API process',
    public: true,
    response: { text: 'Prometheus text format' },
  },
  // ── documentation ──
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Documentation',
    summary: 'This OpenAPI document, generated from the contract schemas',
    public: true,
    response: { text: 'OpenAPI 3.1 JSON' },
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'Documentation',
    summary: 'The API reference as an HTML page (works offline)',
    public: true,
    response: { text: 'HTML' },
  },
  // ── health ──
  {
    method: 'get',
    path: '/api/health',
    tag: 'Health',
    summary: 'Health check',
    public: true,
    response: { json: 'HealthResponse' },
  },
  {
    method: 'get',
    path: '/api/health/version',
    tag: 'Health',
    summary: 'Build version',
    public: true,
    response: { json: 'VersionResponse' },
  },
  // ── cluster ──
  {
    method: 'get',
    path: '/api/cluster/status',
    tag: 'Cluster',
    summary: 'Cluster connection status and the default provider',
    response: { json: 'ClusterStatusResponse' },
  },
  {
    method: 'get',
    path: '/api/cluster/nodes',
    tag: 'Cluster',
    summary: 'Nodes with their GPUs (needs list nodes)',
    response: { json: 'ClusterNodesResponse' },
    errors: reads,
  },
  // ── settings ──
  {
    method: 'get',
    path: '/api/settings',
    tag: 'Settings',
    summary: 'Settings and providers, and whether the caller may change the settings',
    response: { json: 'SettingsResponse' },
  },
  {
    method: 'put',
    path: '/api/settings',
    tag: 'Settings',
    summary: 'Update the settings (written with the caller’s token)',
    body: 'UpdateSettingsRequest',
    response: { json: 'UpdateSettingsResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  // ── runtimes and installation ──
  {
    method: 'get',
    path: '/api/runtimes/status',
    tag: 'Runtimes',
    summary: 'Installation and health of every provider',
    response: { json: 'RuntimesStatusResponse' },
  },
  {
    method: 'get',
    path: '/api/installation/gpu-capacity',
    tag: 'Installation',
    summary: 'GPU capacity per node (needs list nodes)',
    response: { json: 'GpuCapacityResponse' },
    errors: reads,
  },
  {
    method: 'get',
    path: '/api/installation/gpu-capacity/detailed',
    tag: 'Installation',
    summary: 'GPU capacity per node pool (needs list nodes)',
    response: { json: 'DetailedGpuCapacityResponse' },
    errors: reads,
  },
  // ── autoscaler ──
  {
    method: 'get',
    path: '/api/autoscaler/detection',
    tag: 'Autoscaler',
    summary: 'Detect the cluster autoscaler',
    response: { json: 'AutoscalerDetectionResponse' },
    errors: reads,
  },
  {
    method: 'get',
    path: '/api/autoscaler/status',
    tag: 'Autoscaler',
    summary: 'The cluster autoscaler’s status ConfigMap',
    response: { json: 'AutoscalerStatusResponse' },
    errors: reads,
  },
  // ── models ──
  {
    method: 'get',
    path: '/api/models',
    tag: 'Models',
    summary: 'The curated model catalog',
    response: { json: 'ModelsResponse' },
  },
  {
    method: 'get',
    path: '/api/models/:id{.+}',
    tag: 'Models',
    summary: 'One catalog model (the id contains a slash)',
    params: S.ModelParamsSchema,
    response: { json: 'CatalogModel' },
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  },
  // ── deployments ──
  {
    method: 'get',
    path: '/api/deployments',
    tag: 'Deployments',
    summary: 'List deployments',
    description:
      'From the watch cache: no apiserver request. Only namespaces the caller may list are included.',
    query: S.ListDeploymentsQuerySchema,
    response: { json: 'ListDeploymentsResponse' },
    errors: reads,
  },
  {
    method: 'get',
    path: '/api/deployments/-/permissions',
    tag: 'Deployments',
    summary: 'Whether the caller may create, change and delete deployments in a namespace',
    description:
      'Access reviews with the caller’s token (create, patch and delete of modeldeployments.airunway.ai), ' +
      'so a client can offer only what would succeed; a refusal has the words of the 403 the request would get.',
    query: S.DeploymentPermissionsQuerySchema,
    response: { json: 'DeploymentPermissionsResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'CLUSTER_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/api/deployments/-/events',
    tag: 'Deployments',
    summary: 'Live deployment changes (Server-Sent Events)',
    description:
      'Events: `open`, then `snapshot` (every visible deployment), then `upsert` and `delete` as the watch ' +
      'cache sees changes; `close` when the server shuts down. A comment line every heartbeat keeps the ' +
      'connection. Upserts are idempotent: apply them by namespace and name.',
    query: S.ListDeploymentsQuerySchema,
    response: { events: 'DeploymentChange', description: 'text/event-stream of DeploymentChange' },
    errors: reads,
  },
  {
    method: 'post',
    path: '/api/deployments',
    tag: 'Deployments',
    summary: 'Create a deployment (dryRun=true: preview it)',
    description:
      'Maps the body onto a ModelDeployment and validates it with the shared schema; refuses what no ' +
      'installed provider can run (422) or the chosen provider cannot render (400). Written with the ' +
      'caller’s token. With `dryRun=true` nothing is written: the answer is the DryRunResponse (the ' +
      'apiserver’s dry run, the provider objects, the selection reasons and the fit on the live nodes).',
    query: S.DryRunQuerySchema,
    body: 'CreateDeploymentRequest',
    response: { json: 'CreateDeploymentResponse', status: 201 },
    also: [
      {
        status: 200,
        json: 'DryRunResponse',
        when: 'with dryRun=true: what would be created, nothing written',
      },
    ],
    errors: writes,
  },
  {
    method: 'get',
    path: '/api/deployments/:name',
    tag: 'Deployments',
    summary: 'A deployment with its pods',
    params: name,
    query: S.RequiredNamespaceQuerySchema,
    response: { json: 'DeploymentDetail' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  {
    method: 'patch',
    path: '/api/deployments/:name',
    tag: 'Deployments',
    summary: 'Change a deployment in place (identity fields recreate it)',
    description:
      'Any field of the create body; null removes an optional setting. Scale and config fields are applied ' +
      'in place; a change of model, source, engine, provider or mode makes the operator delete and recreate ' +
      'the provider objects, and the answer says so. Conditional on the version read (409 on a concurrent change).',
    params: name,
    query: S.RequiredNamespaceQuerySchema.extend(S.DryRunQuerySchema.shape),
    body: 'UpdateDeploymentRequest',
    response: { json: 'UpdateDeploymentResponse' },
    errors: writes,
  },
  {
    method: 'delete',
    path: '/api/deployments/:name',
    tag: 'Deployments',
    summary: 'Delete a deployment',
    params: name,
    query: S.RequiredNamespaceQuerySchema,
    response: { json: 'DeleteDeploymentResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  {
    method: 'get',
    path: '/api/deployments/:name/pods',
    tag: 'Deployments',
    summary: 'Pods of a deployment',
    params: name,
    query: S.NamespaceQuerySchema,
    response: { json: 'PodsResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  {
    method: 'get',
    path: '/api/deployments/:name/logs',
    tag: 'Deployments',
    summary: 'Logs of a deployment’s pod (follow=true streams them)',
    description:
      'Read through the apiserver with the caller’s token (get pods/log). ANSI escape sequences are removed. ' +
      'With `follow=true` the answer is Server-Sent Events: `meta` {podName, container}, one `log` per line, `end`.',
    params: name,
    query: S.LogsQuerySchema,
    response: { json: 'LogsResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  {
    method: 'get',
    path: '/api/deployments/:name/metrics',
    tag: 'Deployments',
    summary: 'Engine metrics of every running pod (vLLM, llama.cpp, SGLang, Dynamo)',
    description:
      'Needs get pods/proxy. Inside the cluster the pods are scraped directly; outside, through the ' +
      'apiserver’s pod proxy (runningOffCluster: true when that fails). Answers are shared for 5 s.',
    params: name,
    query: S.NamespaceQuerySchema,
    response: { json: 'MetricsResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  {
    method: 'get',
    path: '/api/deployments/:name/pending-reasons',
    tag: 'Deployments',
    summary: 'Why its pods are pending',
    params: name,
    query: S.NamespaceQuerySchema,
    response: { json: 'PendingReasonsResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  {
    method: 'get',
    path: '/api/deployments/:name/events',
    tag: 'Deployments',
    summary: 'Events of the ModelDeployment and Warning events of its pods, newest first',
    params: name,
    query: S.NamespaceQuerySchema,
    response: { json: 'DeploymentEventsResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  {
    method: 'get',
    path: '/api/deployments/:name/manifest',
    tag: 'Deployments',
    summary: 'The ModelDeployment and the objects the operator created for it',
    params: name,
    query: S.NamespaceQuerySchema,
    response: { json: 'ManifestResponse' },
    errors: ['VALIDATION_ERROR', ...reads],
  },
  // ── gateway ──
  {
    method: 'get',
    path: '/api/gateway/status',
    tag: 'Gateway',
    summary: 'Whether the inference Gateway is available, and its address',
    response: { json: 'GatewayStatusResponse' },
  },
  {
    method: 'get',
    path: '/api/gateway/models',
    tag: 'Gateway',
    summary: 'Models reachable through the Gateway',
    response: { json: 'GatewayModelsResponse' },
  },
  ...HUGGINGFACE_ROUTES,
  ...INSTALLATION_ROUTES,
  ...INTEGRATION_ROUTES,
];
