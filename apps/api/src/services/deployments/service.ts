// ModelDeployments through the API: reads from the watch cache (filtered by the caller's RBAC),
// writes with the caller's own token, so the apiserver refuses what RBAC refuses. A create is
// checked the way the operator will see it — selection and the provider's render — so a
// deployment that could never run is refused with the field to change, not accepted and left
// Failed.
import { isNotFound } from '@airunway/kube';
import { previousSelectionFrom, type GatewayRef } from '@airunway/providers';
import {
  API_GROUP,
  API_GROUP_VERSION,
  MODEL_DEPLOYMENT_KIND,
  MODEL_DEPLOYMENT_PLURAL,
  changedIdentityFields,
  parseModelDeployment,
  type CreateDeploymentInput,
  type CreateDeploymentResponse,
  type DeleteDeploymentResponse,
  type DeploymentDetail,
  type DeploymentPermissionsResponse,
  type DryRunResponse,
  type FitVerdict,
  type ListDeploymentsQuery,
  type ListDeploymentsResponse,
  type ModelDeployment,
  type PodsResponse,
  type UpdateDeploymentInput,
  type UpdateDeploymentResponse,
} from '@airunway/schema';
import { permission, type Caller } from '../../auth/caller.js';
import {
  ALL_NAMESPACES,
  getVisible,
  listVisible,
  visibleScope,
  type ResourceRef,
} from '../../auth/visibility.js';
import type { ClusterCache } from '../../cache/cluster-cache.js';
import type { DeploymentPod } from '../../cache/deployment-pods.js';
import { ModelDeploymentResource, type ModelDeploymentObject } from '../../cache/objects.js';
import { ApiError } from '../../errors.js';
import type { CapacityService } from '../gpu-capacity.js';
import { checkFit } from '../fit.js';
import type { RuntimeService } from '../runtimes.js';
import type { SettingsService } from '../settings.js';
import { changedPaths, mergePatch } from './merge-patch.js';
import { podShapes } from './pod-shapes.js';
import { preview, type ClusterView, type Preview } from './preview.js';
import { inBodyTerms, specFromCreate, specWithUpdate } from './request-mapping.js';
import { deploymentDetail, deploymentSummary, deploymentSummaryJson, podStatus, sortPods } from './views.js';

export const MODEL_DEPLOYMENT_REF: ResourceRef = { group: API_GROUP, resource: MODEL_DEPLOYMENT_PLURAL };
export const FIELD_MANAGER = 'airunway-api';

const PODS_REF: ResourceRef = { group: '', resource: 'pods' };

/** Where a selection failure caused by the spec points, in the body's words. */
const SELECTION_FIELD: Readonly<Record<string, string>> = {
  EngineNotSupported: 'engine',
  ModeNotSupported: 'mode',
  GpuRequired: 'resources.gpu',
};

export interface DeploymentServiceOptions {
  readonly cache: ClusterCache;
  readonly runtimes: RuntimeService;
  readonly capacity: CapacityService;
  readonly settings: SettingsService;
  /** The Gateway the operator routes through, when configured. */
  readonly gateway?: GatewayRef | undefined;
}

type Json = Record<string, unknown>;

// Names are DNS labels (ASCII): code-point order, without the cost of a locale collation.
function byNamespaceAndName(a: { namespace: string; name: string }, b: { namespace: string; name: string }) {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class DeploymentService {
  constructor(private readonly options: DeploymentServiceOptions) {}

  private get cache(): ClusterCache {
    return this.options.cache;
  }

  /** The namespace asked for, else the default namespace of the settings. */
  namespaceOr(namespace: string | undefined): string {
    return namespace ?? this.options.settings.current().defaultNamespace;
  }

  /** What the caller may do with ModelDeployments in `namespace`: the verbs create, update and delete use. */
  async permissions(caller: Caller, namespace: string): Promise<DeploymentPermissionsResponse> {
    const may = (verb: string) => permission(caller, { verb, ...MODEL_DEPLOYMENT_REF, namespace });
    const [create, update, remove] = await Promise.all([may('create'), may('patch'), may('delete')]);
    return { namespace, create, update, delete: remove };
  }

  async list(caller: Caller, query: ListDeploymentsQuery): Promise<ListDeploymentsResponse> {
    await this.cache.whenSynced(this.cache.modelDeployments);
    const visible = await listVisible(
      caller,
      this.cache.modelDeployments,
      MODEL_DEPLOYMENT_REF,
      query.namespace,
    );
    return { deployments: visible.map(deploymentSummary).sort(byNamespaceAndName) };
  }

  /**
   * The list's response as JSON text, joined from summaries serialised once per cached object:
   * with thousands of deployments, serialising the whole list on every call was most of its
   * time (and of the garbage behind its p99).
   */
  async listJson(caller: Caller, query: ListDeploymentsQuery): Promise<string> {
    const store = this.cache.modelDeployments;
    await this.cache.whenSynced(store);
    const scope = await visibleScope(caller, store, MODEL_DEPLOYMENT_REF, query.namespace);
    // The same cache version and scope give the same answer: a warm call allocates nothing.
    const key = `${store.resourceVersion}|${scope === ALL_NAMESPACES ? scope : scope.join(',')}`;
    if (this.listText?.key === key) return this.listText.text;
    const visible =
      scope === ALL_NAMESPACES ? store.list() : scope.flatMap((ns) => store.list({ namespace: ns }));
    const sorted = visible.sort((a, b) => byNamespaceAndName(deploymentSummary(a), deploymentSummary(b)));
    const text = `{"deployments":[${sorted.map(deploymentSummaryJson).join(',')}]}`;
    this.listText = { key, text };
    return text;
  }

  /** The last list answer, by cache version and scope (one entry: the common case is one scope). */
  private listText: { key: string; text: string } | undefined;

  /** One ModelDeployment the caller may get; FORBIDDEN or NOT_FOUND otherwise. */
  async find(caller: Caller, namespace: string, name: string): Promise<ModelDeploymentObject> {
    await this.cache.whenSynced(this.cache.modelDeployments);
    return getVisible(caller, this.cache.modelDeployments, MODEL_DEPLOYMENT_REF, namespace, name);
  }

  /** Its pods; FORBIDDEN unless the caller may list pods in the namespace. */
  async podsOf(caller: Caller, namespace: string, name: string): Promise<DeploymentPod[]> {
    await this.find(caller, namespace, name);
    await caller.authorize({ verb: 'list', ...PODS_REF, namespace });
    await this.cache.whenSynced(this.cache.deploymentPods);
    return sortPods(this.cache.podsOf(namespace, name));
  }

  async get(caller: Caller, namespace: string, name: string): Promise<DeploymentDetail> {
    const md = await this.find(caller, namespace, name);
    // Pods are part of the detail only for callers who may list them.
    const pods = (await caller.can({ verb: 'list', ...PODS_REF, namespace }))
      ? (await this.cache.whenSynced(this.cache.deploymentPods), this.cache.podsOf(namespace, name))
      : [];
    return deploymentDetail(md, pods);
  }

  async pods(caller: Caller, namespace: string, name: string): Promise<PodsResponse> {
    return { pods: (await this.podsOf(caller, namespace, name)).map(podStatus) };
  }

  // ── create ─────────────────────────────────────────────────────────────────────────────

  private async clusterView(): Promise<ClusterView> {
    const usability = await this.options.runtimes.usability();
    return {
      usability,
      establishedCrds: this.cache.establishedCrds(),
      gateways: this.cache.providerObjects.gateways(),
      gateway: this.options.gateway,
    };
  }

  /** The ModelDeployment of a create body: validated as the apiserver would, errors in the body's terms. */
  private manifestOf(body: CreateDeploymentInput): { manifest: Json; md: ModelDeployment } {
    const manifest = {
      apiVersion: API_GROUP_VERSION,
      kind: MODEL_DEPLOYMENT_KIND,
      metadata: { name: body.name, namespace: this.namespaceOr(body.namespace) },
      spec: specFromCreate(body),
    };
    const parsed = parseModelDeployment(manifest);
    if (!parsed.success) throw ApiError.validation(inBodyTerms(parsed.errors));
    return { manifest, md: parsed.data };
  }

  /** Refuses what the operator could never run: a spec no provider serves, or a provider that is absent. */
  private refuseUndeployable(result: Preview, cause: 'spec' | 'cluster' | undefined): void {
    const { selection } = result;
    if (!selection.ok) {
      if (cause === 'spec')
        throw ApiError.validation([
          { path: SELECTION_FIELD[selection.reason] ?? '', message: selection.message },
        ]);
      throw new ApiError('PROVIDER_NOT_INSTALLED', selection.message, { reason: selection.reason });
    }
    if (result.renderErrors.length > 0) {
      const fields = inBodyTerms(result.renderErrors);
      throw ApiError.validation(
        fields,
        `Provider ${selection.provider} cannot run this deployment: ${fields[0]?.message ?? ''}`,
      );
    }
  }

  /** The fit of `md`'s pods now, or why it was not checked (node names need `list nodes`). */
  private async fit(caller: Caller, md: ModelDeployment, result: Preview): Promise<FitVerdict> {
    if (!(await caller.can({ verb: 'list', resource: 'nodes' })))
      return {
        status: 'unknown',
        message: 'not checked: fitting pods onto nodes needs permission to list nodes',
        pods: [],
      };
    const allocations = await this.options.capacity.allocations(caller);
    return checkFit(podShapes(md, result.objects), allocations);
  }

  async create(caller: Caller, body: CreateDeploymentInput): Promise<CreateDeploymentResponse> {
    const { manifest, md } = this.manifestOf(body);
    const cluster = await this.clusterView();
    const result = preview(md, cluster);
    this.refuseUndeployable(result, result.failureCause);
    const written = await caller.kube.create<ModelDeploymentObject>(
      ModelDeploymentResource,
      manifest as unknown as ModelDeploymentObject,
      { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' },
    );
    // Read-your-writes: the next GET, on any request, answers from a cache that has it.
    await this.cache.waiter(this.cache.modelDeployments).waitForVersion(written, 3_000);
    const fit = await this.fit(caller, md, result);
    const warnings = fit.status === 'does-not-fit' ? [fit.message] : [];
    const { selection } = result;
    return {
      message: 'Deployment created successfully',
      name: md.metadata.name,
      namespace: md.metadata.namespace ?? '',
      ...(selection.ok
        ? { provider: selection.provider, providerReason: selection.providerReason, engine: selection.engine }
        : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  /** What a create would do, with nothing written: the apiserver's dry run, the objects, the fit. */
  async dryRun(caller: Caller, body: CreateDeploymentInput): Promise<DryRunResponse> {
    const { manifest, md } = this.manifestOf(body);
    const stored = await caller.kube.create<ModelDeploymentObject>(
      ModelDeploymentResource,
      manifest as unknown as ModelDeploymentObject,
      { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', dryRun: true },
    );
    const result = preview(md, await this.clusterView());
    const fit = await this.fit(caller, md, result);
    const warnings = [
      ...(result.selection.ok ? [] : [result.selection.message]),
      ...result.renderErrors.map((e) => `${e.path}: ${e.message}`),
      ...(fit.status === 'does-not-fit' ? [fit.message] : []),
    ];
    return {
      dryRun: true,
      message: `Dry run: ${MODEL_DEPLOYMENT_KIND} ${md.metadata.name} would be created (nothing was written)`,
      modelDeployment: stored,
      selection: result.selection,
      resources: result.objects.map((o) => ({
        kind: o.kind,
        apiVersion: o.apiVersion,
        name: o.metadata.name,
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        manifest: o as unknown as Record<string, unknown>,
      })),
      notes: result.notes,
      fit,
      warnings,
    };
  }

  // ── update and delete ──────────────────────────────────────────────────────────────────

  async update(
    caller: Caller,
    namespace: string,
    name: string,
    body: UpdateDeploymentInput,
    dryRun = false,
  ): Promise<UpdateDeploymentResponse> {
    const live = await this.find(caller, namespace, name);
    const before = live.spec as unknown as Json;
    const after = specWithUpdate(before, body);
    const parsed = parseModelDeployment({
      apiVersion: API_GROUP_VERSION,
      kind: MODEL_DEPLOYMENT_KIND,
      metadata: { name, namespace },
      spec: after,
    });
    if (!parsed.success) throw ApiError.validation(inBodyTerms(parsed.errors));
    const md = parsed.data;
    const result = preview(md, await this.clusterView(), previousSelectionFrom(live.status, live.spec));
    this.refuseUndeployable(result, result.failureCause);

    // Naming the provider or engine that was selected anyway pins it: no recreate.
    const identityChanges = changedIdentityFields(live.spec, md.spec).filter(
      (field) =>
        !(field === 'provider.name' && md.spec.provider?.name === live.status?.provider?.name) &&
        !(field === 'engine.type' && md.spec.engine.type === live.status?.engine?.type),
    );
    const patch = mergePatch(before, after);
    const changed = changedPaths(before, after);
    let current: ModelDeploymentObject = live;
    if (patch !== undefined) {
      current = await caller.kube.patch<ModelDeploymentObject>(
        ModelDeploymentResource,
        name,
        // The version read: a concurrent change is a Conflict, not silently overwritten.
        { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: patch },
        { namespace, type: 'merge', fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', dryRun },
      );
      if (!dryRun) await this.cache.waiter(this.cache.modelDeployments).waitForVersion(current, 3_000);
    }
    const recreate = identityChanges.length > 0;
    const message =
      patch === undefined
        ? 'Nothing to change'
        : `${dryRun ? 'Dry run: would update' : 'Updated'} ${changed.join(', ')}` +
          (recreate
            ? `; ${identityChanges.join(', ')} changed, so the provider objects are deleted and recreated (brief downtime)`
            : '; applied in place');
    return {
      message,
      name,
      namespace,
      dryRun,
      changed,
      recreate,
      identityChanges,
      deployment: deploymentSummary(current),
    };
  }

  async delete(caller: Caller, namespace: string, name: string): Promise<DeleteDeploymentResponse> {
    try {
      await caller.kube.delete(ModelDeploymentResource, name, { namespace, propagationPolicy: 'Background' });
    } catch (err) {
      if (isNotFound(err))
        throw ApiError.notFound(`${MODEL_DEPLOYMENT_PLURAL} "${name}" not found in namespace ${namespace}`, {
          namespace,
          name,
        });
      throw err;
    }
    await this.cache
      .waiter(this.cache.modelDeployments)
      .waitFor(namespace, name, (md) => !md || md.metadata.deletionTimestamp !== undefined, 3_000);
    return { success: true, message: 'Deployment deleted' };
  }
}
