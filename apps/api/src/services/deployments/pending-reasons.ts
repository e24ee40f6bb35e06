// Why a deployment's pods are not running: for each pending pod, the scheduler's verdict (its
// PodScheduled condition, current even when no new event was written) and the Warning events
// about it, from the watch caches. Each reason says whether a resource is short, which, and
// whether more nodes could help: not when a taint or a node selector also stands in the way.
import type { PendingReason, PendingReasonsResponse } from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import type { ClusterCache } from '../../cache/cluster-cache.js';
import type { DeploymentService } from './service.js';

const PLACEMENT_OBSTACLE = /taint|toleration|node selector|affinity|didn't match|did not match/i;

/** What a scheduling message says about resources and whether an autoscaler could help. */
export function classify(
  message: string,
): Pick<PendingReason, 'isResourceConstraint' | 'resourceType' | 'canAutoscalerHelp'> {
  const short = [...message.matchAll(/Insufficient ([\w./-]*[\w/-])/gi)].map((m) =>
    (m[1] ?? '').toLowerCase(),
  );
  const isResourceConstraint = short.length > 0 || /insufficient/i.test(message);
  const resourceType = short.some((r) => r.includes('gpu'))
    ? 'gpu'
    : short.includes('cpu')
      ? 'cpu'
      : short.includes('memory')
        ? 'memory'
        : undefined;
  return {
    isResourceConstraint,
    ...(resourceType ? { resourceType } : {}),
    canAutoscalerHelp: isResourceConstraint && !PLACEMENT_OBSTACLE.test(message),
  };
}

export class PendingReasonService {
  constructor(
    private readonly deployments: DeploymentService,
    private readonly cache: ClusterCache,
  ) {}

  async reasons(caller: Caller, namespace: string, name: string): Promise<PendingReasonsResponse> {
    const pods = (await this.deployments.podsOf(caller, namespace, name)).filter(
      (p) => p.status.phase === 'Pending' && !p.metadata.deletionTimestamp,
    );
    const withEvents = await caller.can({ verb: 'list', resource: 'events', namespace });
    if (withEvents) await this.cache.whenSynced(this.cache.podWarnings);
    const seen = new Set<string>();
    const reasons: PendingReason[] = [];
    const add = (podName: string, reason: string, message: string, extra: Partial<PendingReason> = {}) => {
      const key = `${reason}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      reasons.push({ reason, message, ...classify(message), podName, ...extra });
    };
    for (const pod of pods) {
      const podName = pod.metadata.name ?? '';
      const events = withEvents
        ? this.cache
            .eventsFor(namespace, 'Pod', podName)
            .sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''))
        : [];
      // The latest FailedScheduling event and the condition usually say the same; keep the event (it counts).
      for (const e of events)
        add(podName, e.reason ?? 'Warning', e.message ?? '', {
          ...(e.count ? { count: e.count } : {}),
          ...(e.lastTimestamp ? { lastSeen: e.lastTimestamp } : {}),
        });
      const scheduled = pod.status.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      if (scheduled?.message && !events.some((e) => e.message === scheduled.message))
        add(podName, scheduled.reason ?? 'Unschedulable', scheduled.message);
    }
    return { reasons };
  }
}
