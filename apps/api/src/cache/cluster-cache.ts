// The API's view of the cluster: one informer per kind a route reads, filled once and kept
// current by watches, so no request lists anything from the apiserver. Informers are filled
// with the API's own identity; services filter what a caller may see (see auth/visibility.ts).
import {
  Informer,
  Resources,
  type CustomResourceDefinition,
  type InformerSignal,
  type KubeClient,
  type KubeObject,
  type Logger,
  withoutLastApplied,
} from '@airunway/kube';
import { LABEL_MODEL_DEPLOYMENT, operatorProbes } from '@airunway/providers';
import type { ProviderName } from '@airunway/schema';
import { ApiError } from '../errors.js';
import {
  BY_INVOLVED_OBJECT,
  ModelDeploymentResource,
  byInvolvedObject,
  crdEstablished,
  involvedObjectKey,
  slimCapacityPod,
  slimConfigMap,
  slimDeployment,
  slimEvent,
  slimNode,
  slimOperatorPod,
  type CachedConfigMap,
  type CachedDeployment,
  type CachedEvent,
  type CachedNode,
  type CapacityPod,
  type ModelDeploymentObject,
  type OperatorPod,
} from './objects.js';
import { BY_DEPLOYMENT, deploymentKeyOf, slimDeploymentPod, type DeploymentPod } from './deployment-pods.js';
import { ObjectWaiter } from './object-waiter.js';
import { ProviderObjectCache } from './provider-objects.js';

export const SETTINGS_CONFIGMAP = 'airunway-config';
export const AUTOSCALER_STATUS_CONFIGMAP = 'cluster-autoscaler-status';
export const AUTOSCALER_NAMESPACE = 'kube-system';

/** Index of capacity pods by spec.nodeName. */
export const BY_NODE = 'node';

export interface ClusterCacheOptions {
  /** The API's own client: informers list and watch with it. */
  readonly client: KubeClient;
  /** Namespace of the product (its settings ConfigMap). */
  readonly productNamespace: string;
  readonly logger: Logger;
  readonly observer?: (signal: InformerSignal) => void;
  /** How long a request waits for an informer that has not synced yet (default 5 s). */
  readonly syncWaitMs?: number;
}

export class ClusterCache {
  readonly nodes: Informer<CachedNode>;
  /** Pods not yet finished (phase neither Succeeded nor Failed): what holds node resources. */
  readonly pods: Informer<CapacityPod>;
  /** Pods of provider operators, one informer per probe of `operatorProbes()`. */
  readonly operatorPods: readonly { provider: ProviderName; informer: Informer<OperatorPod> }[];
  readonly modelDeployments: Informer<ModelDeploymentObject>;
  readonly crds: Informer<CustomResourceDefinition>;
  /** Pods labelled airunway.ai/model-deployment, indexed by deployment. */
  readonly deploymentPods: Informer<DeploymentPod>;
  /** What the operator created for each ModelDeployment, and the Gateways. */
  readonly providerObjects: ProviderObjectCache;
  /** Warning events about pods (scheduling failures, image pulls, crashes). */
  readonly podWarnings: Informer<CachedEvent>;
  /** Events about ModelDeployments (the operator's). */
  readonly modelDeploymentEvents: Informer<CachedEvent>;
  /** Deployments in kube-system (the cluster autoscaler's, when self-managed). */
  readonly systemDeployments: Informer<CachedDeployment>;
  readonly autoscalerStatus: Informer<CachedConfigMap>;
  readonly settings: Informer<CachedConfigMap>;
  readonly all: readonly Informer<KubeObject>[];

  private readonly waiters = new Map<Informer<KubeObject>, ObjectWaiter<KubeObject>>();
  private readonly syncWaitMs: number;

  constructor(options: ClusterCacheOptions) {
    const { client, logger, observer } = options;
    this.syncWaitMs = options.syncWaitMs ?? 5_000;
    // Pages of 100: a relist of thousands of objects never holds one huge response in memory.
    const common = { client, logger, pageSize: 100, ...(observer ? { observer } : {}) };

    this.nodes = new Informer<CachedNode>({ ...common, resource: Resources.Node, transform: slimNode });
    this.pods = new Informer<CapacityPod>({
      ...common,
      resource: Resources.Pod,
      name: 'pods[unfinished]',
      // A finished pod frees its node's resources; the watch reports it as deleted.
      fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
      transform: slimCapacityPod,
    }).addIndex(BY_NODE, (pod) => (pod.spec.nodeName ? [pod.spec.nodeName] : []));
    this.operatorPods = operatorProbes().map((probe) => ({
      provider: probe.provider,
      informer: new Informer<OperatorPod>({
        ...common,
        resource: Resources.Pod,
        namespace: probe.namespace,
        labelSelector: probe.labelSelector,
        transform: slimOperatorPod,
        name: `operator-pods/${probe.provider}${probe.namespace ? `/${probe.namespace}` : ''}`,
      }),
    }));
    this.modelDeployments = new Informer<ModelDeploymentObject>({
      ...common,
      resource: ModelDeploymentResource,
      // kubectl's client-side apply keeps a second copy of the whole object in an annotation.
      transform: withoutLastApplied,
    });
    this.providerObjects = new ProviderObjectCache({ client, logger, ...(observer ? { observer } : {}) });
    this.crds = this.providerObjects.crds;
    this.deploymentPods = new Informer<DeploymentPod>({
      ...common,
      resource: Resources.Pod,
      name: 'pods[model-deployment]',
      labelSelector: LABEL_MODEL_DEPLOYMENT,
      transform: slimDeploymentPod,
    }).addIndex(BY_DEPLOYMENT, deploymentKeyOf);
    this.podWarnings = new Informer<CachedEvent>({
      ...common,
      resource: Resources.Event,
      name: 'events[Pod,Warning]',
      fieldSelector: 'involvedObject.kind=Pod,type=Warning',
      transform: slimEvent,
    }).addIndex(BY_INVOLVED_OBJECT, byInvolvedObject);
    this.modelDeploymentEvents = new Informer<CachedEvent>({
      ...common,
      resource: Resources.Event,
      name: 'events[ModelDeployment]',
      fieldSelector: 'involvedObject.kind=ModelDeployment',
      transform: slimEvent,
    }).addIndex(BY_INVOLVED_OBJECT, byInvolvedObject);
    this.systemDeployments = new Informer<CachedDeployment>({
      ...common,
      resource: Resources.Deployment,
      namespace: AUTOSCALER_NAMESPACE,
      transform: slimDeployment,
    });
    this.autoscalerStatus = new Informer<CachedConfigMap>({
      ...common,
      resource: Resources.ConfigMap,
      namespace: AUTOSCALER_NAMESPACE,
      fieldSelector: `metadata.name=${AUTOSCALER_STATUS_CONFIGMAP}`,
      transform: slimConfigMap,
    });
    this.settings = new Informer<CachedConfigMap>({
      ...common,
      resource: Resources.ConfigMap,
      namespace: options.productNamespace,
      fieldSelector: `metadata.name=${SETTINGS_CONFIGMAP}`,
      transform: slimConfigMap,
    });

    this.all = [
      this.nodes,
      this.pods,
      ...this.operatorPods.map((p) => p.informer),
      this.modelDeployments,
      this.crds,
      this.deploymentPods,
      ...this.providerObjects.builtIn,
      this.podWarnings,
      this.modelDeploymentEvents,
      this.systemDeployments,
      this.autoscalerStatus,
      this.settings,
    ] as Informer<KubeObject>[];
  }

  start(): this {
    this.providerObjects.start();
    for (const informer of this.all) informer.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.providerObjects.stop();
    await Promise.all(this.all.map((i) => i.stop()));
  }

  /** Names of informers that have not completed their first list. */
  notSynced(informers: readonly Informer<KubeObject>[] = this.all): string[] {
    return informers.filter((i) => !i.hasSynced()).map((i) => i.name);
  }

  /**
   * Resolves when `informers` have synced; waits a little for them at start-up, then fails
   * with CLUSTER_UNAVAILABLE rather than answer from an empty cache.
   */
  async whenSynced(...informers: Informer<KubeObject>[]): Promise<void> {
    const waiting = informers.filter((i) => !i.hasSynced());
    if (waiting.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, this.syncWaitMs);
    });
    const synced = Promise.all(waiting.map((i) => i.synced)).then(() => true as const);
    const ok = await Promise.race([synced, timedOut]).finally(() => {
      clearTimeout(timer);
    });
    if (ok) return;
    const pending = waiting.filter((i) => !i.hasSynced());
    const errors = pending.map((i) => i.status().lastError?.message).filter((m): m is string => !!m);
    throw new ApiError(
      'CLUSTER_UNAVAILABLE',
      `The cluster cache is not ready yet (${pending.map((i) => i.name).join(', ')})` +
        (errors[0] ? `: ${errors[0]}` : ''),
      { notSynced: pending.map((i) => i.name) },
    );
  }

  /** Read-your-writes helper for one informer of this cache. */
  waiter<T extends KubeObject>(informer: Informer<T>): ObjectWaiter<T> {
    const key = informer as unknown as Informer<KubeObject>;
    let waiter = this.waiters.get(key);
    if (!waiter) {
      waiter = new ObjectWaiter<KubeObject>(key);
      this.waiters.set(key, waiter);
    }
    return waiter as unknown as ObjectWaiter<T>;
  }

  /** Names of the CRDs that are Established, e.g. `workspaces.kaito.sh`. */
  establishedCrds(): string[] {
    return this.crds
      .list()
      .filter(crdEstablished)
      .map((crd) => crd.metadata.name ?? '');
  }

  podsOnNode(nodeName: string): CapacityPod[] {
    return this.pods.byIndex(BY_NODE, nodeName);
  }

  /** Pods of one ModelDeployment. */
  podsOf(namespace: string, name: string): DeploymentPod[] {
    return this.deploymentPods.byIndex(BY_DEPLOYMENT, `${namespace}/${name}`);
  }

  /** Events about one object: pod warnings and ModelDeployment events alike. */
  eventsFor(namespace: string, kind: string, name: string): CachedEvent[] {
    const key = involvedObjectKey(namespace, kind, name);
    const informer = kind === 'Pod' ? this.podWarnings : this.modelDeploymentEvents;
    return informer.byIndex(BY_INVOLVED_OBJECT, key);
  }
}
