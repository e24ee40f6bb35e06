// Informers for kinds that exist only once a CRD is installed (KAITO Workspace, Dynamo
// DynamoGraphDeployment, KubeRay RayService, …). The operator must not need a restart when
// a provider is installed after it started, nor fail when one is absent. So: watch
// CustomResourceDefinitions; when the CRD of a registered group/kind becomes Established,
// start an informer for it (served version, plural and scope taken from the CRD); when the
// CRD is deleted, stop that informer and drop its cache; when the CRD changes what we
// would watch (plural, scope, the served version), replace the informer.
import type { KubeClient } from './client.js';
import { Informer, type InformerOptions } from './informer.js';
import { silentLogger, type Logger } from './logger.js';
import { findCondition, type CustomResourceDefinition, type KubeObject } from './objects.js';
import { Resources, type ResourceDescriptor } from './resources.js';

export interface KindRegistration {
  readonly group: string;
  readonly kind: string;
  /** Version to watch; default the CRD's storage version (if served), else the first served. */
  readonly version?: string;
  /** Options of this kind's informer, over the watcher's informerDefaults. */
  readonly informerOptions?: Omit<InformerOptions<KubeObject>, 'client' | 'resource'>;
}

export type StopReason = 'crd-deleted' | 'crd-changed' | 'unregistered' | 'watcher-stopped';

export interface KindHandlers<T extends KubeObject> {
  /**
   * The kind is available: `informer` is created but not started — attach handlers and
   * indexes here; it starts when this returns (or its promise resolves).
   */
  onStart(informer: Informer<T>, crd: CustomResourceDefinition): void | Promise<void>;
  /** The informer was stopped (its cache is dropped); `informer` is the one from onStart. */
  onStop?(informer: Informer<T>, reason: StopReason): void | Promise<void>;
}

export interface KindWatch<T extends KubeObject> {
  /** The running informer, while the CRD is installed and established. */
  informer(): Informer<T> | undefined;
  /** Whether the kind is served now. */
  readonly installed: boolean;
  /** Stops the informer (if running) and forgets the registration. */
  cancel(): Promise<void>;
}

export interface CrdWatcherOptions {
  readonly client: KubeClient;
  /** Defaults for every informer this watcher starts (namespace, backoff, observer, …). */
  readonly informerDefaults?: Omit<InformerOptions<KubeObject>, 'client' | 'resource'>;
  /** Options of the CRD informer itself. */
  readonly crdInformerOptions?: Omit<InformerOptions<CustomResourceDefinition>, 'client' | 'resource'>;
  readonly logger?: Logger;
}

interface Registration {
  readonly spec: KindRegistration;
  readonly handlers: KindHandlers<KubeObject>;
  informer: Informer<KubeObject> | undefined;
  resource: ResourceDescriptor | undefined;
  /** Transitions of one registration run one after another. */
  chain: Promise<void>;
  cancelled: boolean;
}

function sameResource(a: ResourceDescriptor | undefined, b: ResourceDescriptor | undefined): boolean {
  return (
    a === b ||
    (!!a &&
      !!b &&
      a.group === b.group &&
      a.version === b.version &&
      a.resource === b.resource &&
      a.namespaced === b.namespaced)
  );
}

/** The resource to watch for `spec` given this CRD, or undefined if it is not usable now. */
export function resourceFromCrd(
  crd: CustomResourceDefinition,
  version?: string,
): ResourceDescriptor | undefined {
  // A terminating CRD still counts: its informer keeps running until the CRD is gone, so
  // handlers see the deletes of its objects (the apiserver removes them first).
  if (findCondition(crd.status?.conditions, 'Established')?.status !== 'True') return undefined;
  const served = crd.spec.versions.filter((v) => v.served);
  const chosen = version
    ? served.find((v) => v.name === version)
    : (served.find((v) => v.storage) ?? served[0]);
  if (!chosen) return undefined;
  return {
    group: crd.spec.group,
    version: chosen.name,
    resource: crd.spec.names.plural,
    namespaced: crd.spec.scope === 'Namespaced',
    kind: crd.spec.names.kind,
  };
}

export class CrdWatcher {
  readonly crds: Informer<CustomResourceDefinition>;
  private readonly options: CrdWatcherOptions;
  private readonly logger: Logger;
  private readonly registrations = new Set<Registration>();
  private stopped = false;

  constructor(options: CrdWatcherOptions) {
    this.options = options;
    this.logger = (options.logger ?? silentLogger).child({ component: 'crd-watcher' });
    this.crds = new Informer<CustomResourceDefinition>({
      name: 'customresourcedefinitions',
      ...options.crdInformerOptions,
      logger: options.crdInformerOptions?.logger ?? options.logger,
      client: options.client,
      resource: Resources.CustomResourceDefinition,
    });
    this.crds.addEventHandler({
      onAdd: (crd) => {
        this.onCrd(crd, false);
      },
      onUpdate: (_old, crd) => {
        this.onCrd(crd, false);
      },
      onDelete: (crd) => {
        this.onCrd(crd, true);
      },
    });
  }

  /** Resolves once the CRD list is known (kinds whose CRDs exist are starting). */
  get synced(): Promise<void> {
    return this.crds.synced;
  }

  start(): this {
    this.crds.start();
    return this;
  }

  /** Is a CRD for group/kind installed, established and not being deleted right now? */
  isEstablished(group: string, kind: string): boolean {
    return this.crds
      .list()
      .some(
        (crd) =>
          crd.spec.group === group &&
          crd.spec.names.kind === kind &&
          !crd.metadata.deletionTimestamp &&
          resourceFromCrd(crd) !== undefined,
      );
  }

  /** Registers interest in a kind; `handlers.onStart` runs whenever its informer starts. */
  watchKind<T extends KubeObject>(spec: KindRegistration, handlers: KindHandlers<T>): KindWatch<T> {
    const registration: Registration = {
      spec,
      handlers: handlers as unknown as KindHandlers<KubeObject>,
      informer: undefined,
      resource: undefined,
      chain: Promise.resolve(),
      cancelled: false,
    };
    this.registrations.add(registration);
    // The CRD may already be cached.
    const crd = this.crds.list().find((c) => c.spec.group === spec.group && c.spec.names.kind === spec.kind);
    if (crd) this.reconcile(registration, crd, false);
    return {
      informer: () => registration.informer as Informer<T> | undefined,
      get installed() {
        return registration.informer !== undefined;
      },
      cancel: async () => {
        registration.cancelled = true;
        this.registrations.delete(registration);
        this.enqueue(registration, () => this.stopInformer(registration, 'unregistered'));
        await registration.chain;
      },
    };
  }

  /** Stops the CRD informer and every kind informer. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.crds.stop();
    for (const r of this.registrations) this.enqueue(r, () => this.stopInformer(r, 'watcher-stopped'));
    await Promise.all([...this.registrations].map((r) => r.chain));
  }

  private onCrd(crd: CustomResourceDefinition, deleted: boolean): void {
    for (const r of this.registrations) {
      if (r.spec.group === crd.spec.group && r.spec.kind === crd.spec.names.kind)
        this.reconcile(r, crd, deleted);
    }
  }

  private reconcile(r: Registration, crd: CustomResourceDefinition, deleted: boolean): void {
    this.enqueue(r, async () => {
      if (r.cancelled || this.stopped) return;
      const wanted = deleted ? undefined : resourceFromCrd(crd, r.spec.version);
      if (sameResource(wanted, r.resource)) return;
      if (r.informer) await this.stopInformer(r, deleted ? 'crd-deleted' : 'crd-changed');
      if (!wanted) return;
      const informer = new Informer<KubeObject>({
        ...this.options.informerDefaults,
        ...r.spec.informerOptions,
        logger: this.options.informerDefaults?.logger ?? this.options.logger,
        client: this.options.client,
        resource: wanted,
      });
      try {
        await r.handlers.onStart(informer, crd);
      } catch (err) {
        this.logger.error('onStart failed; the informer is not started', { kind: r.spec.kind, err });
        return;
      }
      // onStart may have taken a while: check again (methods, so no stale narrowing).
      if (this.isGone(r)) return;
      r.informer = informer;
      r.resource = wanted;
      informer.start();
      this.logger.info('started informer for installed CRD', {
        group: wanted.group,
        version: wanted.version,
        resource: wanted.resource,
      });
    });
  }

  private isGone(r: Registration): boolean {
    return r.cancelled || this.stopped;
  }

  private async stopInformer(r: Registration, reason: StopReason): Promise<void> {
    const informer = r.informer;
    if (!informer) return;
    r.informer = undefined;
    r.resource = undefined;
    await informer.stop({ clearCache: true });
    this.logger.info('stopped informer', { group: r.spec.group, kind: r.spec.kind, reason });
    try {
      await r.handlers.onStop?.(informer, reason);
    } catch (err) {
      this.logger.error('onStop failed', { kind: r.spec.kind, err });
    }
  }

  private enqueue(r: Registration, step: () => Promise<void>): void {
    r.chain = r.chain.then(step).catch((err: unknown) => {
      this.logger.error('CRD transition failed', { kind: r.spec.kind, err });
    });
  }
}
