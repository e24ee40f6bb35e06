// The operator's view of the cluster: one informer per kind it reads, each filtered to what
// it needs (only objects AI Runway manages, only pods of model deployments, only the
// provider operators' pods), so memory stays proportional to the product's own objects.
import {
  CrdWatcher,
  Informer,
  byControllerUid,
  type CustomResourceDefinition,
  type KubeClient,
  type KubeObject,
  type Logger,
  type ResourceDescriptor,
  Resources,
  withoutLastApplied,
} from '@airunway/kube';
import {
  API_GROUP,
  API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  MODEL_DEPLOYMENT_PLURAL,
  type ModelDeployment,
  type ProviderName,
} from '@airunway/schema';
import {
  RENDERED_KINDS,
  kindKey,
  operatorProbes,
  readyOperators,
  slimGateway,
  type ClusterFacts,
  type Gateway,
  type Pod,
  type ReplicaSet,
} from '@airunway/providers';
import { FIELD_MANAGER } from './constants.js';

export type ModelDeploymentObject = ModelDeployment & KubeObject;

export const ModelDeploymentResource: ResourceDescriptor = {
  group: API_GROUP,
  version: API_VERSION,
  resource: MODEL_DEPLOYMENT_PLURAL,
  kind: MODEL_DEPLOYMENT_KIND,
  namespaced: true,
};

const ReplicaSetResource: ResourceDescriptor = {
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  kind: 'ReplicaSet',
  namespaced: true,
};

export const MODEL_DEPLOYMENT_LABEL = 'airunway.ai/model-deployment';
export const MANAGED_BY_SELECTOR = 'app.kubernetes.io/managed-by=airunway';
/** Index of owned objects by their controller's UID. */
export const BY_OWNER = 'owner';
/** Index of pods and ReplicaSets by "<namespace>/<model deployment name>". */
export const BY_DEPLOYMENT = 'deployment';

/**
 * The key ("<namespace>/<name>") of the ModelDeployment an object belongs to by its
 * `airunway.ai/model-deployment` label: the index of pods and ReplicaSets, and how their
 * events find the ModelDeployment to reconcile.
 */
export const modelDeploymentKeyOf = (obj: KubeObject): string[] => {
  const name = obj.metadata.labels?.[MODEL_DEPLOYMENT_LABEL];
  return name === undefined ? [] : [`${obj.metadata.namespace ?? ''}/${name}`];
};

/** Strips what the operator never reads from pods, which are the most numerous objects. */
function slimPod(pod: Pod & KubeObject): Pod & KubeObject {
  const { metadata, status } = pod;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      resourceVersion: metadata.resourceVersion,
      labels: metadata.labels,
      ownerReferences: metadata.ownerReferences,
      creationTimestamp: metadata.creationTimestamp,
      deletionTimestamp: metadata.deletionTimestamp,
    },
    status: status && {
      phase: status.phase,
      reason: status.reason,
      message: status.message,
      conditions: status.conditions,
      containerStatuses: status.containerStatuses,
      initContainerStatuses: status.initContainerStatuses,
    },
  };
}

/**
 * Provider objects keep their metadata (with the operator's managedFields and the
 * desired-state hash, which is all the no-op-write check needs), their status, and the few
 * spec fields status is derived from. The pod template, the largest part, is dropped.
 */
function slimChild(obj: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, spec, status } = obj as KubeObject & {
    spec?: Record<string, unknown>;
    status?: unknown;
  };
  const kept = spec && { replicas: spec.replicas, progressDeadlineSeconds: spec.progressDeadlineSeconds };
  return { apiVersion, kind, metadata, spec: kept, status } as KubeObject;
}

/** ReplicaSets only tell which pods belong to the current revision: metadata is enough. */
function slimReplicaSet(rs: ReplicaSet & KubeObject): ReplicaSet & KubeObject {
  const { metadata } = rs;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      resourceVersion: metadata.resourceVersion,
      labels: metadata.labels,
      annotations: metadata.annotations,
      ownerReferences: metadata.ownerReferences,
    },
  };
}

/**
 * Informers of the kinds providers render, by `<group>/<kind>`. Built-in kinds run from the
 * start; a custom kind (Workspace, DynamoGraphDeployment, …) runs while its CRD is
 * established, so installing a provider needs no restart of the operator.
 */
export class ChildInformers {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly listeners = new Set<(informer: Informer<KubeObject>) => void>();

  get(key: string): Informer<KubeObject> | undefined {
    return this.informers.get(key);
  }

  values(): IterableIterator<Informer<KubeObject>> {
    return this.informers.values();
  }

  /** Calls `listener` for every running informer now and for each one started later. */
  onEach(listener: (informer: Informer<KubeObject>) => void): () => void {
    for (const informer of this.informers.values()) listener(informer);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(key: string, informer: Informer<KubeObject>): void {
    this.informers.set(key, informer);
    for (const listener of this.listeners) listener(informer);
  }

  remove(key: string, informer: Informer<KubeObject>): void {
    if (this.informers.get(key) === informer) this.informers.delete(key);
  }
}

export interface OperatorCaches {
  readonly modelDeployments: Informer<ModelDeploymentObject>;
  readonly children: ChildInformers;
  readonly pods: Informer<Pod & KubeObject>;
  readonly replicaSets: Informer<ReplicaSet & KubeObject>;
  readonly crds: Informer<CustomResourceDefinition>;
  readonly providerOperatorPods: readonly Informer<Pod & KubeObject>[];
  /** The informers that run for the operator's whole life (readiness waits for them). */
  readonly all: readonly Informer<KubeObject>[];
  /** What usableProviders() needs, read from the caches. */
  clusterFacts(): ClusterFacts;
  /** Gateways (gateway.networking.k8s.io/v1) in every namespace; empty without the CRD. */
  gateways(): Gateway[];
  /** Calls `listener` with the Gateway informer now (if running) and whenever it starts. */
  onGatewayInformer(listener: (informer: Informer<KubeObject>) => void): () => void;
  start(): void;
  stop(): Promise<void>;
}

export function createCaches(
  client: KubeClient,
  options: {
    namespace?: string | undefined;
    logger: Logger;
    observer?: ConstructorParameters<typeof Informer>[0]['observer'];
  },
): OperatorCaches {
  // Pages of 100: a relist of thousands of objects never holds one huge response in memory.
  const common = {
    client,
    logger: options.logger,
    pageSize: 100,
    ...(options.observer ? { observer: options.observer } : {}),
  };
  const scoped = { ...common, namespace: options.namespace };

  const modelDeployments = new Informer<ModelDeploymentObject>({
    ...scoped,
    resource: ModelDeploymentResource,
    // No managedFields: the reconciler compares status itself before it writes.
    // kubectl's client-side apply keeps a second copy of the whole object in an annotation.
    transform: withoutLastApplied,
  });
  // Only objects AI Runway manages, with the operator's field sets for the no-op check.
  const childOptions = {
    ...scoped,
    labelSelector: MANAGED_BY_SELECTOR,
    keepManagedFieldsOf: [FIELD_MANAGER],
    transform: slimChild,
  };
  const children = new ChildInformers();
  const crdWatcher = new CrdWatcher({
    client,
    logger: options.logger,
    informerDefaults: childOptions,
    crdInformerOptions: common,
  });
  for (const kind of RENDERED_KINDS) {
    const key = kindKey(kind.group === '' ? kind.version : `${kind.group}/${kind.version}`, kind.kind);
    if (kind.crd === undefined) {
      const informer = new Informer<KubeObject>({
        ...childOptions,
        resource: {
          group: kind.group,
          version: kind.version,
          resource: kind.plural,
          kind: kind.kind,
          namespaced: true,
        },
      }).addIndex(BY_OWNER, byControllerUid);
      children.add(key, informer);
      continue;
    }
    crdWatcher.watchKind(
      { group: kind.group, kind: kind.kind, version: kind.version },
      {
        onStart: (informer) => {
          informer.addIndex(BY_OWNER, byControllerUid);
          children.add(key, informer);
        },
        onStop: (informer) => {
          children.remove(key, informer);
        },
      },
    );
  }
  const builtInChildren = [...children.values()];
  // Gateways are not ours: every one in the cluster, with only what routing reads.
  let gatewayInformer: Informer<KubeObject> | undefined;
  const gatewayListeners = new Set<(informer: Informer<KubeObject>) => void>();
  crdWatcher.watchKind(
    {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      version: 'v1',
      informerOptions: {
        ...common,
        namespace: undefined,
        labelSelector: undefined,
        keepManagedFieldsOf: undefined,
        transform: slimGateway,
        name: 'gateways',
      },
    },
    {
      onStart: (informer) => {
        gatewayInformer = informer;
        for (const listener of gatewayListeners) listener(informer);
      },
      onStop: (informer) => {
        if (gatewayInformer === informer) gatewayInformer = undefined;
      },
    },
  );
  const pods = new Informer<Pod & KubeObject>({
    ...scoped,
    resource: Resources.Pod,
    labelSelector: MODEL_DEPLOYMENT_LABEL,
    transform: slimPod,
  }).addIndex(BY_DEPLOYMENT, modelDeploymentKeyOf);
  const replicaSets = new Informer<ReplicaSet & KubeObject>({
    ...scoped,
    resource: ReplicaSetResource,
    labelSelector: MODEL_DEPLOYMENT_LABEL,
    transform: slimReplicaSet,
  }).addIndex(BY_DEPLOYMENT, modelDeploymentKeyOf);
  const crds = crdWatcher.crds;
  const providerOperatorPods = operatorProbes().map(
    (probe) =>
      new Informer<Pod & KubeObject>({
        ...common,
        resource: Resources.Pod,
        namespace: probe.namespace,
        labelSelector: probe.labelSelector,
        transform: slimPod,
        name: `operator-pods/${probe.provider}`,
      }),
  );

  const all = [
    modelDeployments,
    ...builtInChildren,
    pods,
    replicaSets,
    crds,
    ...providerOperatorPods,
  ] as Informer<KubeObject>[];
  return {
    modelDeployments,
    children,
    pods,
    replicaSets,
    crds,
    providerOperatorPods,
    all,
    clusterFacts() {
      const establishedCrds = crds
        .list()
        .filter((crd) => crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'))
        .map((crd) => crd.metadata.name ?? '');
      const readyOperators_: ProviderName[] = readyOperators(providerOperatorPods.flatMap((i) => i.list()));
      return { establishedCrds, readyOperators: readyOperators_ };
    },
    gateways() {
      return (gatewayInformer?.list() ?? []) as unknown as Gateway[];
    },
    onGatewayInformer(listener) {
      if (gatewayInformer) listener(gatewayInformer);
      gatewayListeners.add(listener);
      return () => gatewayListeners.delete(listener);
    },
    start() {
      for (const informer of all) if (informer !== crds) informer.start();
      crdWatcher.start();
    },
    async stop() {
      await crdWatcher.stop();
      await Promise.all(all.filter((i) => i !== crds).map((i) => i.stop()));
    },
  };
}
