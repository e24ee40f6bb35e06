// The objects the operator creates for ModelDeployments (every kind a provider renders), and
// the cluster's Gateways. Built-in kinds are watched from the start; a custom kind (Workspace,
// DynamoGraphDeployment, RayService, InferencePool, HTTPRoute, Gateway) while its CRD is
// established, so installing a provider needs no restart of the API. Only objects labelled
// managed-by airunway are watched, indexed by the ModelDeployment that controls them.
import {
  CrdWatcher,
  Informer,
  byControllerUid,
  type CustomResourceDefinition,
  type InformerSignal,
  type KubeClient,
  type KubeObject,
  type Logger,
  withoutLastApplied,
} from '@airunway/kube';
import {
  LABEL_MANAGED_BY,
  MANAGED_BY,
  RENDERED_KINDS,
  kindKey,
  slimGateway,
  type Gateway,
} from '@airunway/providers';
import { slimCrd } from './objects.js';

/** Index of provider objects by the uid of their controller (the ModelDeployment). */
export const BY_OWNER = 'owner';

export interface ProviderObjectCacheOptions {
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly observer?: (signal: InformerSignal) => void;
}

export class ProviderObjectCache {
  /** CustomResourceDefinitions (slim): also what provider detection reads. */
  readonly crds: Informer<CustomResourceDefinition>;
  /** Informers of kinds every cluster has: part of readiness. */
  readonly builtIn: readonly Informer<KubeObject>[];
  private readonly watcher: CrdWatcher;
  private readonly byKind = new Map<string, Informer<KubeObject>>();
  private gatewayInformer: Informer<KubeObject> | undefined;

  constructor(options: ProviderObjectCacheOptions) {
    const common = {
      logger: options.logger,
      pageSize: 100,
      ...(options.observer ? { observer: options.observer } : {}),
    };
    const childOptions = {
      ...common,
      labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY}`,
      transform: withoutLastApplied,
    };
    this.watcher = new CrdWatcher({
      client: options.client,
      logger: options.logger,
      informerDefaults: childOptions,
      crdInformerOptions: { ...common, transform: slimCrd },
    });
    this.crds = this.watcher.crds;

    const builtIn: Informer<KubeObject>[] = [];
    for (const kind of RENDERED_KINDS) {
      const key = kindKey(kind.group === '' ? kind.version : `${kind.group}/${kind.version}`, kind.kind);
      if (kind.crd === undefined) {
        const informer = new Informer<KubeObject>({
          ...childOptions,
          client: options.client,
          name: `owned/${kind.plural}`,
          resource: {
            group: kind.group,
            version: kind.version,
            resource: kind.plural,
            kind: kind.kind,
            namespaced: true,
          },
        }).addIndex(BY_OWNER, byControllerUid);
        this.byKind.set(key, informer);
        builtIn.push(informer);
        continue;
      }
      this.watcher.watchKind(
        { group: kind.group, kind: kind.kind, version: kind.version },
        {
          onStart: (informer) => {
            informer.addIndex(BY_OWNER, byControllerUid);
            this.byKind.set(key, informer);
          },
          onStop: (informer) => {
            if (this.byKind.get(key) === informer) this.byKind.delete(key);
          },
        },
      );
    }
    this.builtIn = builtIn;
    // Gateways are not ours: every one in the cluster, with only what routing reads.
    this.watcher.watchKind(
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        version: 'v1',
        // Over the defaults: every Gateway, not only those labelled managed-by airunway.
        informerOptions: { ...common, labelSelector: undefined, transform: slimGateway, name: 'gateways' },
      },
      {
        onStart: (informer) => {
          this.gatewayInformer = informer;
        },
        onStop: (informer) => {
          if (this.gatewayInformer === informer) this.gatewayInformer = undefined;
        },
      },
    );
  }

  start(): void {
    for (const informer of this.builtIn) informer.start();
    this.watcher.start();
  }

  async stop(): Promise<void> {
    await this.watcher.stop();
    await Promise.all(this.builtIn.map((i) => i.stop()));
  }

  /** Every running informer of a rendered kind (custom kinds only while their CRD exists). */
  informers(): Informer<KubeObject>[] {
    return [...this.byKind.values()];
  }

  /** Objects whose controller is the object with this uid, across every watched kind. */
  ownedBy(uid: string): KubeObject[] {
    return this.informers().flatMap((informer) => informer.byIndex(BY_OWNER, uid));
  }

  /** Gateways (gateway.networking.k8s.io/v1) in every namespace; empty without the CRD. */
  gateways(): Gateway[] {
    return (this.gatewayInformer?.list() ?? []) as unknown as Gateway[];
  }

  /** The Gateway informer, when its CRD is installed. */
  gatewayWatch(): Informer<KubeObject> | undefined {
    return this.gatewayInformer;
  }
}
