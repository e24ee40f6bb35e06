// What Kubernetes says about a deployment: the events of its ModelDeployment (the operator's) and
// the Warning events of its pods (scheduling failures, image pulls, crashes), newest first, from
// the event informers of the watch cache. The caller must be allowed to list events in the
// namespace; pod warnings are included only for callers who may also list its pods.
import type { DeploymentEvent, DeploymentEventsResponse } from '@airunway/schema';
import { MODEL_DEPLOYMENT_KIND } from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import type { ClusterCache } from '../../cache/cluster-cache.js';
import type { CachedEvent } from '../../cache/objects.js';
import type { DeploymentService } from './service.js';

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
  constructor(
    private readonly deployments: DeploymentService,
    private readonly cache: ClusterCache,
  ) {}

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
}
