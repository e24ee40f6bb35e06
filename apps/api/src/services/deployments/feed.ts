// Live changes of ModelDeployments, pushed from the watch cache instead of polled: one event
// handler on the informer fans out to every subscriber (an SSE stream or a tRPC
// subscription). Each subscriber gets a snapshot of what it may see, then upserts and deletes,
// filtered by the caller's RBAC as the list is. A subscriber that falls far behind gets a fresh
// snapshot instead of an ever longer queue.
import type { Informer } from '@airunway/kube';
import type { DeploymentChange } from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import { listVisible, type ResourceRef } from '../../auth/visibility.js';
import type { ModelDeploymentObject } from '../../cache/objects.js';
import { deploymentSummary } from './views.js';

type RawChange =
  | { readonly type: 'upsert'; readonly md: ModelDeploymentObject }
  | { readonly type: 'delete'; readonly md: ModelDeploymentObject }
  | { readonly type: 'resync' };

/** Pending changes one subscriber may hold before it is resynchronised with a snapshot. */
const MAX_PENDING = 2_000;

export interface FeedOptions {
  readonly informer: Informer<ModelDeploymentObject>;
  readonly ref: ResourceRef;
  readonly whenSynced: () => Promise<void>;
}

// Names are DNS labels (ASCII): code-point order, without the cost of a locale collation.
function byNamespaceAndName(a: { namespace: string; name: string }, b: { namespace: string; name: string }) {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class DeploymentFeed {
  private readonly subscribers = new Set<(change: RawChange) => void>();

  constructor(private readonly options: FeedOptions) {
    // Registered before the informer starts, so its first list is not replayed to anyone.
    options.informer.addEventHandler({
      onAdd: (md) => {
        this.emit({ type: 'upsert', md });
      },
      onUpdate: (_old, md) => {
        this.emit({ type: 'upsert', md });
      },
      onDelete: (md) => {
        this.emit({ type: 'delete', md });
      },
    });
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private emit(change: RawChange): void {
    for (const subscriber of this.subscribers) subscriber(change);
  }

  /**
   * The changes `caller` may see (in `namespace`, or everywhere they may list), starting with a
   * snapshot, until `signal` aborts. Throws FORBIDDEN before anything is streamed when the
   * caller may not list the namespace asked for.
   */
  async subscribe(
    caller: Caller,
    namespace: string | undefined,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<DeploymentChange, void, undefined>> {
    const { informer, ref } = this.options;
    await this.options.whenSynced();
    if (namespace !== undefined) await caller.authorize({ verb: 'list', ...ref, namespace });
    const clusterWide = namespace === undefined && (await caller.can({ verb: 'list', ...ref }));

    let pending: RawChange[] = [];
    let wake: (() => void) | undefined;
    const listener = (change: RawChange) => {
      if (namespace !== undefined && change.type !== 'resync' && change.md.metadata.namespace !== namespace)
        return;
      pending.push(change);
      if (pending.length > MAX_PENDING) pending = [{ type: 'resync' }];
      wake?.();
    };
    // Subscribe before the snapshot: a change racing it is sent again, and upserts are idempotent.
    this.subscribers.add(listener);
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        this.subscribers.delete(listener);
        resolve();
      };
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
    const visible = async (md: ModelDeploymentObject) =>
      clusterWide ||
      namespace !== undefined ||
      caller.can({ verb: 'list', ...ref, namespace: md.metadata.namespace ?? '' });
    const snapshot = async (): Promise<DeploymentChange> => ({
      type: 'snapshot',
      deployments: (await listVisible(caller, informer, ref, namespace))
        .map(deploymentSummary)
        .sort(byNamespaceAndName),
    });
    const subscribers = this.subscribers;
    // A function: the loop's own check would narrow `signal.aborted` to false for the compiler.
    const aborted = () => signal.aborted;

    async function* changes(): AsyncGenerator<DeploymentChange, void, undefined> {
      try {
        yield await snapshot();
        while (!signal.aborted) {
          if (pending.length === 0) {
            await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
            wake = undefined;
            continue;
          }
          const batch = pending;
          pending = [];
          for (const change of batch) {
            if (aborted()) return;
            if (change.type === 'resync') yield await snapshot();
            else if (!(await visible(change.md))) continue;
            else if (change.type === 'upsert')
              yield { type: 'upsert', deployment: deploymentSummary(change.md) };
            else
              yield {
                type: 'delete',
                name: change.md.metadata.name,
                namespace: change.md.metadata.namespace ?? '',
              };
          }
        }
      } finally {
        subscribers.delete(listener);
      }
    }
    return changes();
  }
}
