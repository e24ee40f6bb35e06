// What Kubernetes says about a deployment: the events of its ModelDeployment (the operator's) and
// the Warning events of its pods (scheduling failures, image pulls, crashes), newest first, from
// the event informers of the watch cache. The caller must be allowed to list events in the
// namespace; pod warnings are included only for callers who may also list its pods. `watch`
// sends the list again whenever one of those events changes, so the dashboard follows them
// without polling.
import type { DeploymentEvent, DeploymentEventsResponse } from '@airunway/schema';
import { MODEL_DEPLOYMENT_KIND } from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import { ApiError } from '../../errors.js';
import type { ClusterCache } from '../../cache/cluster-cache.js';
import type { CachedEvent } from '../../cache/objects.js';
import type { DeploymentService } from './service.js';

interface InvolvedObject {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
}

/** One cached event in the contract's shape. */
export function deploymentEvent(e: CachedEvent): DeploymentEvent {
  const lastSeen = e.lastTimestamp ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  return {
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count: e.count && e.count > 0 ? e.count : 1,
    ...(lastSeen ? { lastSeen } : {}),
    object: { kind: e.involvedObject.kind ?? '', name: e.involvedObject.name ?? '' },
  };
}

/** Newest first; events without a time last. */
export function newestFirst(a: DeploymentEvent, b: DeploymentEvent): number {
  return (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '');
}

/** Events about the object with this uid (or not naming a uid): not those of an earlier one of the same name. */
const about = (uid: string | undefined) => (e: CachedEvent) =>
  !uid || !e.involvedObject.uid || e.involvedObject.uid === uid;

export class DeploymentEventService {
  /** Watchers, told the namespace, kind and name of what an event (or a deletion) was about. */
  private readonly listeners = new Set<(about: InvolvedObject) => void>();

  constructor(
    private readonly deployments: DeploymentService,
    private readonly cache: ClusterCache,
  ) {
    // One handler per informer fans out to every watcher (registered before the informers
    // start, so their first list is replayed to no one).
    const emit = (about: InvolvedObject) => {
      for (const listener of this.listeners) listener(about);
    };
    const emitEvent = (e: CachedEvent) => {
      emit({
        namespace: e.involvedObject.namespace ?? e.metadata.namespace ?? '',
        kind: e.involvedObject.kind ?? '',
        name: e.involvedObject.name ?? '',
      });
    };
    for (const informer of [cache.modelDeploymentEvents, cache.podWarnings])
      informer.addEventHandler({
        onAdd: emitEvent,
        onUpdate: (_old, e) => {
          emitEvent(e);
        },
        onDelete: emitEvent,
      });
    // A deleted deployment ends its watchers' streams.
    cache.modelDeployments.addEventHandler({
      onDelete: (md) => {
        emit({ namespace: md.metadata.namespace ?? '', kind: MODEL_DEPLOYMENT_KIND, name: md.metadata.name });
      },
    });
  }

  get watcherCount(): number {
    return this.listeners.size;
  }

  async events(caller: Caller, namespace: string, name: string): Promise<DeploymentEventsResponse> {
    const md = await this.deployments.find(caller, namespace, name);
    await caller.authorize({ verb: 'list', group: '', resource: 'events', namespace });
    await this.cache.whenSynced(this.cache.modelDeploymentEvents, this.cache.podWarnings);
    const events = this.cache
      .eventsFor(namespace, MODEL_DEPLOYMENT_KIND, name)
      .filter(about(md.metadata.uid));
    if (await caller.can({ verb: 'list', group: '', resource: 'pods', namespace })) {
      await this.cache.whenSynced(this.cache.deploymentPods);
      for (const pod of this.cache.podsOf(namespace, name))
        events.push(
          ...this.cache.eventsFor(namespace, 'Pod', pod.metadata.name ?? '').filter(about(pod.metadata.uid)),
        );
    }
    return { events: events.map(deploymentEvent).sort(newestFirst) };
  }

  /**
   * The deployment's events now, then again after each change to them, until `signal` aborts or
   * the deployment is deleted. Changes arriving while a list is being built are sent as one.
   * Refuses (before anything is sent) exactly as `events` does.
   */
  async watch(
    caller: Caller,
    namespace: string,
    name: string,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<DeploymentEventsResponse, void, undefined>> {
    let changed = false;
    let wake: (() => void) | undefined;
    const listener = (about: InvolvedObject) => {
      if (about.namespace !== namespace || !this.concerns(about, name)) return;
      changed = true;
      wake?.();
    };
    // Listening before the first list: an event racing it is sent again, never lost.
    this.listeners.add(listener);
    let first: DeploymentEventsResponse;
    try {
      first = await this.events(caller, namespace, name);
    } catch (err) {
      this.listeners.delete(listener);
      throw err;
    }
    const listeners = this.listeners;
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else
        signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
    });
    const next = () => this.events(caller, namespace, name);
    // A function: a check of `signal.aborted` inside the loop would be narrowed to false.
    const isAborted = () => signal.aborted;
    async function* lists(): AsyncGenerator<DeploymentEventsResponse, void, undefined> {
      try {
        yield first;
        while (!signal.aborted) {
          if (!changed) {
            await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
            wake = undefined;
            continue;
          }
          changed = false;
          let list: DeploymentEventsResponse;
          try {
            list = await next();
          } catch (err) {
            // Deleted while watched: the stream ends, as a watch of a deleted object does.
            if (err instanceof ApiError && err.code === 'NOT_FOUND') return;
            throw err;
          }
          if (!isAborted()) yield list;
        }
      } finally {
        listeners.delete(listener);
      }
    }
    return lists();
  }

  /** Whether `about` is the ModelDeployment `name` or one of its pods. */
  private concerns(about: InvolvedObject, name: string): boolean {
    if (about.kind === MODEL_DEPLOYMENT_KIND) return about.name === name;
    return (
      about.kind === 'Pod' &&
      this.cache.podsOf(about.namespace, name).some((pod) => pod.metadata.name === about.name)
    );
  }
}
