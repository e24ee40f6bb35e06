'use client';
// Every read and write the screens make, as TanStack Query hooks: over the API's tRPC router
// where it has the procedure (typed by AppRouter), over the REST routes for the rest (typed by
// @airunway/schema: HuggingFace search, installation status and commands). Reads are refreshed
// by the API's streams (deployment changes, a deployment's events), by mutations that change
// them, or by the user — never on a timer.
import type {
  CostEstimateRequest,
  CostEstimateResponse,
  CreateDeploymentRequest,
  GatewayCrdStatusResponse,
  HelmStatusResponse,
  HfSearchResponse,
  InstallationPermissionsResponse,
  ListDeploymentsResponse,
  NodePoolCostsResponse,
  ProviderCommandsResponse,
  ProviderName,
  UpdateDeploymentRequest,
  UpdateSettingsRequest,
} from '@airunway/schema';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from './api-client';
import { rpc, trpc } from './trpc';

export const keys = {
  clusterStatus: ['cluster-status'] as const,
  settings: ['settings'] as const,
  version: ['version'] as const,
  runtimes: ['runtimes'] as const,
  capacity: ['gpu-capacity'] as const,
  capacityDetailed: ['gpu-capacity', 'detailed'] as const,
  autoscaler: ['autoscaler'] as const,
  gateway: ['gateway'] as const,
  helm: ['helm'] as const,
  catalog: ['models', 'catalog'] as const,
  search: (q: string, offset: number) => ['models', 'search', q, offset] as const,
  deployment: (ns: string, name: string) => ['deployment', ns, name] as const,
  deploymentPart: (ns: string, name: string, part: string) => ['deployment', ns, name, part] as const,
  providerCommands: (id: ProviderName) => ['provider-commands', id] as const,
  deploymentPermissions: (ns: string) => ['permissions', 'deployments', ns] as const,
  installationPermissions: ['permissions', 'installation'] as const,
  nodePoolPrices: ['costs', 'node-pools'] as const,
  staticCosts: (requests: readonly (CostEstimateRequest | undefined)[]) =>
    ['costs', 'estimate', requests] as const,
};

/** The API caches access reviews this long: asking again sooner would get the same answer. */
const PERMISSIONS_STALE_MS = 15_000;

/** Whether the signed-in user may create, change and delete deployments in `namespace`. */
export function useDeploymentPermissions(namespace: string | undefined) {
  return useQuery({
    queryKey: keys.deploymentPermissions(namespace ?? ''),
    queryFn: ({ signal }) => rpc(() => trpc.deployments.permissions.query({ namespace }, { signal })),
    enabled: namespace !== undefined,
    staleTime: PERMISSIONS_STALE_MS,
  });
}

/** Whether the signed-in user may install and uninstall each provider. */
export function useInstallationPermissions() {
  return useQuery({
    queryKey: keys.installationPermissions,
    queryFn: ({ signal }) => api<InstallationPermissionsResponse>('/installation/permissions', { signal }),
    staleTime: PERMISSIONS_STALE_MS,
  });
}

export function useClusterStatus() {
  return useQuery({
    queryKey: keys.clusterStatus,
    queryFn: ({ signal }) => rpc(() => trpc.cluster.status.query(undefined, { signal })),
  });
}

export function useSettings() {
  return useQuery({
    queryKey: keys.settings,
    queryFn: ({ signal }) => rpc(() => trpc.settings.get.query(undefined, { signal })),
    staleTime: 60_000,
  });
}

export function useVersion() {
  return useQuery({
    queryKey: keys.version,
    queryFn: ({ signal }) => rpc(() => trpc.health.version.query(undefined, { signal })),
    staleTime: Infinity,
  });
}

export function useRuntimes() {
  return useQuery({
    queryKey: keys.runtimes,
    queryFn: ({ signal }) => rpc(() => trpc.runtimes.status.query(undefined, { signal })),
  });
}

export function useGpuCapacity() {
  return useQuery({
    queryKey: keys.capacity,
    queryFn: ({ signal }) => rpc(() => trpc.capacity.summary.query(undefined, { signal })),
  });
}

export function useGpuCapacityDetailed() {
  return useQuery({
    queryKey: keys.capacityDetailed,
    queryFn: ({ signal }) => rpc(() => trpc.capacity.detailed.query(undefined, { signal })),
  });
}

export function useAutoscaler() {
  return useQuery({
    queryKey: keys.autoscaler,
    queryFn: async ({ signal }) => {
      const detection = await rpc(() => trpc.autoscaler.detection.query(undefined, { signal }));
      // The status exists only where a cluster-autoscaler writes one.
      const status =
        detection.type === 'cluster-autoscaler'
          ? await rpc(() => trpc.autoscaler.status.query(undefined, { signal })).catch(() => undefined)
          : undefined;
      return { detection, status };
    },
  });
}

export function useGatewayStatus() {
  return useQuery({
    queryKey: keys.gateway,
    queryFn: async ({ signal }) => {
      const [gateway, crds] = await Promise.all([
        rpc(() => trpc.gateway.status.query(undefined, { signal })),
        api<GatewayCrdStatusResponse>('/installation/gateway/status', { signal }).catch(() => undefined),
      ]);
      return { gateway, crds };
    },
  });
}

export function useHelmStatus() {
  return useQuery({
    queryKey: keys.helm,
    queryFn: ({ signal }) => api<HelmStatusResponse>('/installation/helm/status', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useProviderCommands(id: ProviderName, enabled: boolean) {
  return useQuery({
    queryKey: keys.providerCommands(id),
    queryFn: ({ signal }) =>
      api<ProviderCommandsResponse>(`/installation/providers/${id}/commands`, { signal }),
    enabled,
    staleTime: Infinity,
  });
}

export function useCatalog() {
  return useQuery({
    queryKey: keys.catalog,
    queryFn: ({ signal }) => rpc(() => trpc.models.list.query(undefined, { signal })),
    staleTime: Infinity,
  });
}

export const SEARCH_PAGE_SIZE = 20;

export function useModelSearch(q: string, offset: number) {
  return useQuery({
    queryKey: keys.search(q, offset),
    queryFn: ({ signal }) =>
      api<HfSearchResponse>('/models/search', { query: { q, limit: SEARCH_PAGE_SIZE, offset }, signal }),
    enabled: q.trim().length > 0,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** A one-off list, for when the live stream is not available. */
export function fetchDeployments(namespace?: string, signal?: AbortSignal): Promise<ListDeploymentsResponse> {
  return rpc(() => trpc.deployments.list.query(namespace ? { namespace } : {}, { signal }));
}

export function useDeployment(namespace: string, name: string) {
  return useQuery({
    queryKey: keys.deployment(namespace, name),
    queryFn: ({ signal }) => rpc(() => trpc.deployments.get.query({ namespace, name }, { signal })),
  });
}

export function usePendingReasons(namespace: string, name: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.deploymentPart(namespace, name, 'pending-reasons'),
    queryFn: ({ signal }) =>
      rpc(() => trpc.deployments.pendingReasons.query({ namespace, name }, { signal })),
    enabled,
  });
}

/**
 * The deployment's events, kept current by the API's subscription (each change sends the list
 * again); the query answers first and stays the fallback when the subscription cannot open.
 */
export function useDeploymentEvents(namespace: string, name: string) {
  const client = useQueryClient();
  const queryKey = keys.deploymentPart(namespace, name, 'events');
  useEffect(() => {
    const subscription = trpc.deployments.eventChanges.subscribe(
      { namespace, name },
      {
        onData: (events) => {
          client.setQueryData(keys.deploymentPart(namespace, name, 'events'), events);
        },
      },
    );
    return () => {
      subscription.unsubscribe();
    };
  }, [client, namespace, name]);
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => rpc(() => trpc.deployments.events.query({ namespace, name }, { signal })),
  });
}

export function useManifest(namespace: string, name: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.deploymentPart(namespace, name, 'manifest'),
    queryFn: ({ signal }) => rpc(() => trpc.deployments.manifest.query({ namespace, name }, { signal })),
    enabled,
  });
}

export function useMetrics(namespace: string, name: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.deploymentPart(namespace, name, 'metrics'),
    queryFn: ({ signal }) => rpc(() => trpc.deployments.metrics.query({ namespace, name }, { signal })),
    enabled,
  });
}

export function useDryRun(request: CreateDeploymentRequest | undefined) {
  return useQuery({
    queryKey: ['dry-run', request],
    // A dry run writes nothing: the router calls it a mutation, the screen reads it as a query.
    queryFn: ({ signal }) =>
      rpc(() => trpc.deployments.dryRun.mutate(request as CreateDeploymentRequest, { signal })),
    enabled: request !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 10_000,
  });
}

/**
 * The instance price of every GPU node pool, for one GPU: the Deploy screen multiplies by the
 * GPUs the dry run places, so a changed replica count needs no new request. The API keeps cloud
 * prices for an hour; they change a few times a year.
 */
export function useNodePoolPrices(enabled: boolean) {
  return useQuery({
    queryKey: keys.nodePoolPrices,
    queryFn: ({ signal }) => api<NodePoolCostsResponse>('/costs/node-pools', { signal }),
    enabled,
    staleTime: 10 * 60_000,
    retry: false,
  });
}

/**
 * The API's static estimates, for GPUs on pools without a cloud price: one answer per request,
 * in order; an undefined request asks nothing. One query for all, so the screen needs no
 * query-per-pool machinery.
 */
export function useStaticCostEstimates(requests: readonly (CostEstimateRequest | undefined)[]) {
  return useQuery({
    queryKey: keys.staticCosts(requests),
    queryFn: ({ signal }) =>
      Promise.all(
        requests.map((body) =>
          body
            ? api<CostEstimateResponse>('/costs/estimate', { method: 'POST', body, signal })
            : Promise.resolve(undefined),
        ),
      ),
    enabled: requests.some(Boolean),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

export function useCreateDeployment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateDeploymentRequest) => rpc(() => trpc.deployments.create.mutate(request)),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.capacity }),
  });
}

export function useUpdateDeployment(namespace: string, name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, dryRun }: { body: UpdateDeploymentRequest; dryRun?: boolean }) =>
      rpc(() => trpc.deployments.update.mutate({ namespace, name, changes: body, dryRun: dryRun === true })),
    onSuccess: (_data, { dryRun }) => {
      if (!dryRun) void client.invalidateQueries({ queryKey: ['deployment', namespace, name] });
    },
  });
}

export function useDeleteDeployment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ namespace, name }: { namespace: string; name: string }) =>
      rpc(() => trpc.deployments.delete.mutate({ namespace, name })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.capacity }),
  });
}

export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSettingsRequest) => rpc(() => trpc.settings.update.mutate(body)),
    onSuccess: (data) => {
      client.setQueryData(keys.settings, data);
      void client.invalidateQueries({ queryKey: keys.clusterStatus });
    },
  });
}
