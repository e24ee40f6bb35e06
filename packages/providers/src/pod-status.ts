// What model server pods say about a wait or a failure: a container that cannot start, a pod
// the scheduler cannot place, a container still starting. Every provider's status uses it, so
// the same situation is reported in the same words whichever provider runs the model.
import { byCodePoint } from './engine-args.js';
import type { ContainerStatus, ObjectCondition, ObservedEvent, Pod } from './kubernetes.js';

/** Container waiting reasons that do not go away without a change (or only by luck). */
export const FAILING_WAITING_REASONS = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
] as const;

/** Longest piece of a container's message or log quoted in a status message. */
export const MAX_DETAIL = 2048;

export interface PodProblem {
  /** CamelCase, e.g. CrashLoopBackOff, Unschedulable. */
  readonly reason: string;
  readonly message: string;
}

/** Pods that count: not being deleted and not finished. */
export function livePods(pods: readonly Pod[]): Pod[] {
  return pods
    .filter((p) => p.metadata.deletionTimestamp === undefined && p.status?.phase !== 'Succeeded')
    .sort((a, b) => byCodePoint(a.metadata.name ?? '', b.metadata.name ?? ''));
}

/**
 * The first container whose waiting reason does not clear by waiting (CrashLoopBackOff,
 * ImagePullBackOff, …), with the container's last exit and the tail of its termination message.
 */
export function failingContainer(pods: readonly Pod[]): PodProblem | undefined {
  for (const pod of livePods(pods)) {
    for (const status of containerStatuses(pod)) {
      const waiting = status.state?.waiting;
      const reason = waiting?.reason;
      if (reason === undefined || !(FAILING_WAITING_REASONS as readonly string[]).includes(reason)) continue;
      const parts = [
        `pod ${podName(pod)}: container ${status.name} is in ${reason}` +
          (waiting?.message ? `: ${waiting.message}` : ''),
      ];
      const last = status.lastState?.terminated;
      if (last !== undefined) {
        let exit = `last exit code ${last.exitCode ?? '?'}${last.reason ? ` (${last.reason})` : ''}`;
        if (last.message) exit += `: ${tail(last.message.trim(), MAX_DETAIL)}`;
        parts.push(exit);
      }
      return { reason, message: parts.join('; ') };
    }
  }
  return undefined;
}

/** Pods the scheduler could not place, each with the scheduler's explanation. */
export function unschedulablePods(
  pods: readonly Pod[],
  events: readonly ObservedEvent[] | undefined,
): { pod: string; message: string }[] {
  return livePods(pods).flatMap((pod) => {
    const scheduled = findCondition(pod.status?.conditions, 'PodScheduled');
    if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') return [];
    const message =
      scheduled.message ??
      latestEventText(events, 'FailedScheduling', 'Pod', podName(pod)) ??
      'no node fits the pod';
    return [{ pod: podName(pod), message }];
  });
}

/** "pod x cannot be scheduled: …", naming how many more pods wait the same way. */
export function unschedulableMessage(unschedulable: readonly { pod: string; message: string }[]): string {
  const [first] = unschedulable;
  if (first === undefined) return '';
  const others = unschedulable.length - 1;
  return (
    `pod ${first.pod} cannot be scheduled` +
    (others > 0 ? ` (and ${others} more pod${others === 1 ? '' : 's'})` : '') +
    `: ${first.message}`
  );
}

/** Why the first pod that is not ready is not ready yet, in a short phrase. */
export function podProgress(
  pods: readonly Pod[],
  events: readonly ObservedEvent[] | undefined,
): string | undefined {
  for (const pod of livePods(pods)) {
    if (findCondition(pod.status?.conditions, 'Ready')?.status === 'True') continue;
    const name = podName(pod);
    const [unschedulable] = unschedulablePods([pod], events);
    if (unschedulable !== undefined) return `pod ${name} cannot be scheduled: ${unschedulable.message}`;
    for (const status of containerStatuses(pod)) {
      const waiting = status.state?.waiting;
      if (waiting?.reason) {
        return `pod ${name}: container ${status.name} ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
      }
      if (status.state?.running !== undefined && status.ready !== true) {
        return `pod ${name}: container ${status.name} is ${status.started === true ? 'running but not ready' : 'starting (downloading and loading the model)'}`;
      }
    }
    if (pod.status?.phase === 'Pending') return `pod ${name} is pending`;
  }
  return undefined;
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────

export function findCondition(
  conditions: readonly ObjectCondition[] | undefined,
  type: string,
): ObjectCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** The text of the most recent event with `reason` about an object of `kind` (named `name`, if given). */
export function latestEventText(
  events: readonly ObservedEvent[] | undefined,
  reason: string,
  kind: string,
  name?: string,
): string | undefined {
  const time = (e: ObservedEvent) => e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? '';
  let latest: ObservedEvent | undefined;
  for (const event of events ?? []) {
    const about = event.regarding ?? event.involvedObject;
    if (event.reason !== reason || about?.kind !== kind) continue;
    if (name !== undefined && about.name !== name) continue;
    if (latest === undefined || time(event) > time(latest)) latest = event;
  }
  return latest?.message ?? latest?.note;
}

/** The end of `text` when it is too long: errors and tracebacks put the cause last. */
export function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - (max - 1))}`;
}

function containerStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function podName(pod: Pod): string {
  return pod.metadata.name ?? '';
}
