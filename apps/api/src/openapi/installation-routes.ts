// The install routes in the OpenAPI table (routes.ts spreads these in).
import * as S from '@airunway/schema';
import type { z } from 'zod';
import type { RouteDoc } from './routes.js';

export const INSTALLATION_SCHEMAS = {
  HelmStatusResponse: S.HelmStatusResponseSchema,
  GatewayCrdStatusResponse: S.GatewayCrdStatusResponseSchema,
  GatewayCrdInstallResponse: S.GatewayCrdInstallResponseSchema,
  ProviderInstallStatusResponse: S.ProviderInstallStatusResponseSchema,
  ProviderCommandsResponse: S.ProviderCommandsResponseSchema,
  ProviderInstallResponse: S.ProviderInstallResponseSchema,
  GpuOperatorStatusResponse: S.GpuOperatorStatusResponseSchema,
  GpuOperatorInstallResponse: S.GpuOperatorInstallResponseSchema,
  InstallEvent: S.InstallEventSchema,
  InstallationPermissionsResponse: S.InstallationPermissionsResponseSchema,
} as const satisfies Record<string, z.ZodType>;

const STREAMED =
  'Acts as the caller: their permissions for everything it writes are reviewed first (403 naming ' +
  'each missing one). With `Accept: application/x-ndjson` the progress streams as InstallEvent ' +
  'lines, the last one `result` (this response) or `error`.';

const installs: S.ApiErrorCode[] = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CONFLICT',
  'INSTALL_FAILED',
  'CLUSTER_UNAVAILABLE',
];
const provider = S.ProviderIdParamsSchema;

export const INSTALLATION_ROUTES: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/installation/helm/status',
    tag: 'Installation',
    summary: 'Whether the API can run Helm, and its version',
    response: { json: 'HelmStatusResponse' },
  },
  {
    method: 'get',
    path: '/api/installation/gateway/status',
    tag: 'Installation',
    summary: 'Gateway API and Inference Extension CRDs: installed versions, the pinned one, the Gateway',
    response: { json: 'GatewayCrdStatusResponse' },
  },
  {
    method: 'post',
    path: '/api/installation/gateway/install-crds',
    tag: 'Installation',
    summary: 'Apply the pinned Gateway API (standard) and Inference Extension CRDs',
    description: STREAMED,
    response: { json: 'GatewayCrdInstallResponse' },
    errors: installs,
  },
  {
    method: 'get',
    path: '/api/installation/permissions',
    tag: 'Installation',
    summary: 'Whether the caller may install and uninstall each provider',
    description:
      'Access reviews with the caller’s token for the rights every install checks first (CRDs, the release ' +
      'Secrets); the install still reviews each object of the rendered chart.',
    response: { json: 'InstallationPermissionsResponse' },
    errors: ['UNAUTHORIZED', 'CLUSTER_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/api/installation/providers/:id/status',
    tag: 'Installation',
    summary: 'Whether a provider is installed (CRDs and operator)',
    params: provider,
    response: { json: 'ProviderInstallStatusResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'CLUSTER_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/api/installation/providers/:id/commands',
    tag: 'Installation',
    summary: 'Shell commands installing the pinned chart of a provider',
    params: provider,
    response: { json: 'ProviderCommandsResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/api/installation/providers/:id/install',
    tag: 'Installation',
    summary: 'Install or upgrade a provider’s operator with Helm (pinned chart)',
    description: STREAMED,
    params: provider,
    response: { json: 'ProviderInstallResponse' },
    errors: ['VALIDATION_ERROR', ...installs],
  },
  {
    method: 'post',
    path: '/api/installation/providers/:id/uninstall',
    tag: 'Installation',
    summary: 'Uninstall a provider’s Helm release; its CRDs stay',
    description: STREAMED,
    params: provider,
    response: { json: 'ProviderInstallResponse' },
    errors: ['VALIDATION_ERROR', ...installs],
  },
  {
    method: 'post',
    path: '/api/installation/providers/:id/uninstall-crds',
    tag: 'Installation',
    summary: 'Delete a provider’s CRDs and every object of them (refused while its operator runs)',
    description: STREAMED,
    params: provider,
    response: { json: 'ProviderInstallResponse' },
    errors: ['VALIDATION_ERROR', ...installs],
  },
  {
    method: 'get',
    path: '/api/installation/gpu-operator/status',
    tag: 'Installation',
    summary: 'NVIDIA GPU Operator and GPUs of the nodes (needs list nodes)',
    response: { json: 'GpuOperatorStatusResponse' },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'CLUSTER_UNAVAILABLE'],
  },
  {
    method: 'post',
    path: '/api/installation/gpu-operator/install',
    tag: 'Installation',
    summary: 'Install the NVIDIA GPU Operator with Helm (pinned chart)',
    description: STREAMED,
    response: { json: 'GpuOperatorInstallResponse' },
    errors: installs,
  },
];
