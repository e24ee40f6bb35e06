// One informer per (resource, namespace, selectors) in a process: several controllers (or
// a controller and the API's caches) asking for the same kind share one list+watch and
// one cache instead of opening one each — what client-go's SharedInformerFactory is for.
import type { KubeClient } from './client.js';
import { Informer, type InformerOptions } from './informer.js';
import type { KubeObject } from './objects.js';
import { groupResourceOf, type ResourceDescriptor } from './resources.js';

export interface InformerScope {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export type InformerDefaults = Omit<InformerOptions<KubeObject>, 'client' | 'resource' | keyof InformerScope>;

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly client: KubeClient,
    private readonly defaults: InformerDefaults = {},
  ) {}

  /**
   * The shared informer for `resource` in `scope`, created on first use. Informers created
   * after start() start at once.
   */
  informerFor<T extends KubeObject>(resource: ResourceDescriptor, scope: InformerScope = {}): Informer<T> {
    const key = JSON.stringify([
      resource.group,
      resource.version,
      resource.resource,
      scope.namespace ?? '',
      scope.labelSelector ?? '',
      scope.fieldSelector ?? '',
    ]);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>({
        ...this.defaults,
        ...scope,
        client: this.client,
        resource,
        name: `${groupResourceOf(resource)}${scope.namespace ? `/${scope.namespace}` : ''}${
          scope.labelSelector ? `[${scope.labelSelector}]` : ''
        }`,
      });
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /** Every informer created so far. */
  all(): Informer<KubeObject>[] {
    return [...this.informers.values()];
  }

  start(): this {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
    return this;
  }

  /** Resolves when every informer created so far has synced. */
  async waitForSync(): Promise<void> {
    await Promise.all(this.all().map((i) => i.synced));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
  }
}
