// Reconciles one ModelDeployment: select provider and engine, render the provider's objects,
// apply them (server-side, owned by the ModelDeployment), and write a status that says what
// is happening. Level-triggered: everything is read from the watch caches, every write is
// skipped when it would change nothing, and a change of an identity field deletes the old
// objects before new ones are created.
import {
  applyOwned,
  applyStatus,
  canonicalJson,
  isNotFound,
  type EventRecorder,
  type KubeClient,
  type KubeObject,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
} from '@airunway/kube';
import {
  PROVIDER_IMPLEMENTATIONS,
  RENDERED_KINDS,
  gatewayStatus,
  inferencePoolName,
  kindKey,
  previousSelectionFrom,
  routingPlan,
  select,
  usableProviders,
  type GatewayRef,
  type HTTPRoute,
  type InferencePool,
  type KubernetesObject,
  type Observed,
  type ProviderStatus,
  type Selection,
} from '@airunway/providers';
import { parseModelDeployment, type ModelDeploymentStatus } from '@airunway/schema';
import {
  BY_DEPLOYMENT,
  BY_OWNER,
  ModelDeploymentResource,
  type ModelDeploymentObject,
  type OperatorCaches,
} from './caches.js';
import { mergeConditions, type ConditionInput } from './conditions.js';
import { FIELD_MANAGER, PAUSED_ANNOTATION } from './constants.js';
import {
  IDENTITY_ANNOTATION,
  formatIdentity,
  identityChanges,
  identityOf,
  parseIdentity,
  specOfIdentity,
} from './identity.js';

export interface ReconcilerDeps {
  readonly client: KubeClient;
  readonly caches: OperatorCaches;
  readonly events: EventRecorder;
  readonly now?: () => Date;
  /** Called after each reconcile with the phase and provider written, for metrics. */
  readonly onPhase?: (key: string, phase: string | undefined, provider: string | undefined) => void;
  /** The Gateway to route through; unset = chosen among the cluster's Gateways. */
  readonly gateway?: GatewayRef | undefined;
}

const HTTPROUTE_KEY = kindKey('gateway.networking.k8s.io/v1', 'HTTPRoute');
const INFERENCE_POOL_KEY = kindKey('inference.networking.k8s.io/v1', 'InferencePool');

type Outcome = {
  phase: NonNullable<ModelDeploymentStatus['phase']>;
  message: string;
  conditions: ConditionInput[];
  selection?: Extract<Selection, { ok: true }>;
  provider?: ProviderStatus;
  /** status.gateway, when the model is routed through a Gateway. */
  gateway?: { endpoint?: string; modelName: string };
};

export function createReconciler(deps: ReconcilerDeps) {
  const { client, caches, events } = deps;
  const now = deps.now ?? (() => new Date());
  const lastStatusWrite = new Map<string, number>();

  /** Objects this ModelDeployment controls, across every child kind the operator watches. */
  const ownedObjects = (uid: string): KubeObject[] =>
    [...caches.children.values()].flatMap((informer) => informer.byIndex(BY_OWNER, uid));

  return async function reconcile(
    request: ReconcileRequest,
    context: ReconcileContext,
  ): Promise<ReconcileResult | undefined> {
    const live = caches.modelDeployments.get(request.namespace, request.name);
    if (!live || live.metadata.deletionTimestamp) {
      lastStatusWrite.delete(request.key);
      return undefined; // garbage collection removes the children
    }
    if (live.metadata.annotations?.[PAUSED_ANNOTATION] === 'true') return undefined;

    const parsed = parseModelDeployment(live);
    const uid = live.metadata.uid ?? '';
    const owned = ownedObjects(uid);
    if (!parsed.success) {
      const message = `spec is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
      return writeStatus(live, {
        phase: 'Failed',
        message,
        conditions: [{ type: 'Validated', status: 'False', reason: 'InvalidSpec', message }],
      });
    }
    const md = parsed.data;

    // The identity the live objects were built for, and the spec it corresponds to.
    const recorded = owned
      .map((o) => parseIdentity(o.metadata.annotations?.[IDENTITY_ANNOTATION]))
      .find(Boolean);
    const previous = previousSelectionFrom(md.status, recorded ? specOfIdentity(md, recorded) : undefined);
    const selection = select(md.spec, usableProviders(caches.clusterFacts()), previous);

    if (!selection.ok) {
      // A cluster-side cause (provider not installed) is retried when the cluster changes:
      // CRD and provider-operator events requeue every ModelDeployment.
      const stageType = selection.stage === 'engine' ? 'EngineSelected' : 'ProviderSelected';
      return writeStatus(live, {
        phase: 'Failed',
        message: selection.message,
        conditions: [
          { type: 'Validated', status: 'True', reason: 'ValidationPassed', message: 'spec is valid' },
          { type: stageType, status: 'False', reason: selection.reason, message: selection.message },
        ],
      });
    }

    const provider = PROVIDER_IMPLEMENTATIONS[selection.provider];
    const selectedConditions = selectionConditions(selection);
    const render = provider.render(md, { engine: selection.engine });
    if (!render.ok) {
      const message = `spec cannot run on ${selection.provider}: ${render.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
      return writeStatus(live, {
        phase: 'Failed',
        message,
        conditions: [
          { type: 'Validated', status: 'False', reason: 'IncompatibleSpec', message },
          ...selectedConditions,
        ],
        selection,
      });
    }

    // The provider's CRD is gone (uninstalled after this deployment chose it): nothing can be
    // applied until it is back. Say so instead of failing every retry on an unknown kind.
    const missingCrds = missingCrdsOf(render.objects, caches.clusterFacts().establishedCrds);
    if (missingCrds.length > 0) {
      const message =
        `${selection.notice ?? `provider ${selection.provider} is not installed`}: ` +
        `waiting for ${missingCrds.join(', ')} to be installed (or set provider.name to another provider)`;
      return writeStatus(live, {
        phase: 'Pending',
        message,
        conditions: [
          validated(),
          ...selectedConditions,
          { type: 'ResourcesCreated', status: 'False', reason: 'ProviderNotInstalled', message },
          { type: 'Ready', status: 'False', reason: 'ProviderNotInstalled', message },
        ],
        selection,
      });
    }

    const identity = identityOf(
      md,
      selection.provider,
      selection.engine,
      provider.recreateKey?.(render.objects),
    );
    const identityValue = formatIdentity(identity);
    const routing = routingPlan(md, provider, {
      establishedCrds: caches.clusterFacts().establishedCrds,
      gateways: caches.gateways(),
      configured: deps.gateway,
    });
    const desired = [...render.objects, ...routing.objects].map((o) => withIdentity(o, identityValue));
    const desiredKeys = new Set(desired.map(objectRef));

    // Identity changed: delete every old object and wait until they are gone.
    const changes = recorded ? identityChanges(recorded, identity) : [];
    const stale = changes.length > 0 ? owned : owned.filter((o) => !desiredKeys.has(objectRef(o)));
    if (stale.length > 0) {
      await deleteAll(stale, context.signal);
      if (changes.length > 0) {
        const message = `recreating the provider objects: ${changes.join(', ')} changed`;
        events.record(live, { type: 'Normal', reason: 'Recreating', action: 'Delete', note: message });
        return writeStatus(live, {
          phase: 'Deploying',
          message,
          conditions: [
            validated(),
            ...selectedConditions,
            { type: 'ResourcesCreated', status: 'False', reason: 'Recreating', message },
            { type: 'Ready', status: 'False', reason: 'Recreating', message },
          ],
          selection,
        });
      }
    }

    // The freshest view of each object: the apply response when we wrote it, else the cache.
    const current = new Map<string, KubeObject>();
    for (const obj of desired) {
      const cached = childCache(obj)?.get(obj.metadata.namespace ?? md.metadata.namespace, obj.metadata.name);
      const outcome = await applyOwned(
        client,
        {
          ...obj,
          metadata: { ...obj.metadata, namespace: obj.metadata.namespace ?? md.metadata.namespace },
        },
        live,
        {
          fieldManager: FIELD_MANAGER,
          live: cached ?? null,
          signal: context.signal,
        },
      );
      current.set(objectRef(obj), outcome.object);
      if (outcome.applied && cached) {
        events.record(live, {
          type: 'Normal',
          reason: 'Updated',
          action: 'Apply',
          note: `${obj.kind} ${obj.metadata.name} updated: ${outcome.reason}`,
        });
      }
    }

    const observed = {
      objects: [...current.values()] as unknown as KubernetesObject[],
      pods: caches.pods.byIndex(BY_DEPLOYMENT, `${md.metadata.namespace}/${md.metadata.name}`),
      replicaSets: caches.replicaSets.byIndex(BY_DEPLOYMENT, `${md.metadata.namespace}/${md.metadata.name}`),
    };
    const providerStatus = provider.status(md, observed);
    context.logger.debug('observed', {
      pods: observed.pods.length,
      phase: providerStatus.phase,
      reason: providerStatus.reason,
    });
    const created = desired.map((o) => `${o.kind} ${o.metadata.name}`).join(', ');
    const route = routing.gateway;
    const gateway = route
      ? gatewayStatus(
          md,
          current.get(`${HTTPROUTE_KEY}/${md.metadata.name}`) as unknown as Observed<HTTPRoute> | undefined,
          current.get(`${INFERENCE_POOL_KEY}/${inferencePoolName(md)}`) as unknown as
            Observed<InferencePool> | undefined,
          caches
            .gateways()
            .find((g) => g.metadata.name === route.name && g.metadata.namespace === route.namespace),
          route,
        )
      : undefined;
    const gatewayCondition =
      gateway?.condition ?? (routing.condition && { status: 'False' as const, ...routing.condition });
    return writeStatus(live, {
      phase: providerStatus.phase,
      message: [selection.notice, providerStatus.message].filter(Boolean).join('; '),
      conditions: [
        validated(),
        ...selectedConditions,
        { type: 'ResourcesCreated', status: 'True', reason: 'Applied', message: `${created} applied` },
        {
          type: 'Ready',
          status: providerStatus.phase === 'Running' ? 'True' : 'False',
          reason: providerStatus.reason,
          message: providerStatus.message,
        },
        ...(gatewayCondition
          ? [{ ...gatewayCondition, type: 'GatewayReady' as const, message: gatewayCondition.message }]
          : []),
      ],
      selection,
      provider: providerStatus,
      ...(gateway ? { gateway: gateway.status } : {}),
    });
  };

  function childCache(obj: KubernetesObject) {
    return caches.children.get(kindKey(obj.apiVersion, obj.kind));
  }

  async function deleteAll(objects: readonly KubeObject[], signal: AbortSignal): Promise<void> {
    for (const obj of objects) {
      if (obj.metadata.deletionTimestamp) continue; // already going; its removal requeues us
      const resource = await client.resourceFor(obj);
      try {
        // Foreground: the object disappears only after its pods are gone, so the new ones
        // never run beside the old ones (and never need their GPUs).
        await client.delete(resource, obj.metadata.name ?? '', {
          namespace: obj.metadata.namespace,
          propagationPolicy: 'Foreground',
          preconditions: { uid: obj.metadata.uid },
          signal,
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  async function writeStatus(
    live: ModelDeploymentObject,
    outcome: Outcome,
  ): Promise<ReconcileResult | undefined> {
    const previous = live.status;
    const generation = live.metadata.generation ?? 0;
    // GatewayReady is kept only while there is something to say about routing.
    const hasGatewayCondition = outcome.conditions.some((c) => c.type === 'GatewayReady');
    const conditions = mergeConditions(
      previous?.conditions?.filter((c) => hasGatewayCondition || c.type !== 'GatewayReady'),
      outcome.conditions,
      generation,
      now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );
    const { selection, provider } = outcome;
    const status: ModelDeploymentStatus = {
      phase: outcome.phase,
      message: outcome.message,
      observedGeneration: generation,
      conditions,
      ...(selection
        ? {
            provider: {
              name: selection.provider,
              selectedReason: selection.providerReason,
              ...(provider
                ? { resourceName: provider.resourceName, resourceKind: provider.resourceKind }
                : {}),
            },
            engine: { type: selection.engine, selectedReason: selection.engineReason },
          }
        : previous?.provider || previous?.engine
          ? { provider: previous.provider, engine: previous.engine }
          : {}),
      ...(provider ? { replicas: provider.replicas, endpoint: provider.endpoint } : {}),
      ...(outcome.gateway ? { gateway: outcome.gateway } : {}),
    };
    deps.onPhase?.(`${live.metadata.namespace}/${live.metadata.name}`, status.phase, status.provider?.name);
    if (canonicalJson(stripUndefined(status)) === canonicalJson(stripUndefined(previous ?? {})))
      return undefined;
    // A changed message alone ("pod x: container starting …") is written at most every
    // PROGRESS_INTERVAL_MS per object; a new phase, generation, replica count, or condition
    // status or reason is written at once.
    const key = `${live.metadata.namespace}/${live.metadata.name}`;
    const sinceLastWrite = now().getTime() - (lastStatusWrite.get(key) ?? 0);
    if (isProgressOnly(previous, status) && sinceLastWrite < PROGRESS_INTERVAL_MS) {
      return { requeueAfter: PROGRESS_INTERVAL_MS - sinceLastWrite };
    }
    // Compared above; the cache keeps no managedFields of ModelDeployments to compare again.
    await applyStatus(client, live, stripUndefined(status), {
      fieldManager: FIELD_MANAGER,
      resource: ModelDeploymentResource,
    });
    lastStatusWrite.set(key, now().getTime());
    if (previous?.phase !== status.phase) {
      events.record(live, {
        type: status.phase === 'Failed' ? 'Warning' : 'Normal',
        reason: status.phase ?? 'Unknown',
        action: 'Reconcile',
        note: status.message ?? '',
      });
    }
    return undefined;
  }
}

/** Minimum time between two status writes that only report progress. */
export const PROGRESS_INTERVAL_MS = 15_000;

/** True when `next` differs from `previous` only in its messages. */
export function isProgressOnly(
  previous: ModelDeploymentStatus | undefined,
  next: ModelDeploymentStatus,
): boolean {
  if (!previous || previous.phase !== next.phase || previous.observedGeneration !== next.observedGeneration)
    return false;
  const shape = (s: ModelDeploymentStatus) =>
    canonicalJson({
      conditions: (s.conditions ?? []).map((c) => [c.type, c.status, c.reason]),
      provider: s.provider,
      engine: s.engine,
      replicas: s.replicas,
      endpoint: s.endpoint,
      gateway: s.gateway,
    });
  return shape(previous) === shape(next);
}

function validated(): ConditionInput {
  return { type: 'Validated', status: 'True', reason: 'ValidationPassed', message: 'spec is valid' };
}

function selectionConditions(selection: Extract<Selection, { ok: true }>): ConditionInput[] {
  return [
    {
      type: 'EngineSelected',
      status: 'True',
      reason: selection.engineReason === 'explicit engine selection' ? 'ExplicitSelection' : 'AutoSelected',
      message: `${selection.engine}: ${selection.engineReason}`,
    },
    {
      type: 'ProviderSelected',
      status: 'True',
      reason:
        selection.providerReason === 'explicit provider selection' ? 'ExplicitSelection' : 'AutoSelected',
      message: `${selection.provider}: ${selection.providerReason}`,
    },
  ];
}

/** CRDs that serve kinds among `objects` and are not established in the cluster. */
function missingCrdsOf(objects: readonly KubernetesObject[], established: readonly string[]): string[] {
  const crds = objects.flatMap((o) => {
    const crd = RENDERED_KINDS.find((k) => kindKey(o.apiVersion, o.kind) === `${k.group}/${k.kind}`)?.crd;
    return crd === undefined || established.includes(crd) ? [] : [crd];
  });
  return [...new Set(crds)];
}

function withIdentity(obj: KubernetesObject, identity: string): KubernetesObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [IDENTITY_ANNOTATION]: identity },
    },
  };
}

function objectRef(obj: { apiVersion?: string; kind?: string; metadata: { name?: string } }): string {
  return `${kindKey(obj.apiVersion ?? '', obj.kind ?? '')}/${obj.metadata.name ?? ''}`;
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
