// Status of a Direct vLLM ModelDeployment, from its Deployment and pods.
//
// Running means the current rollout is complete, as `kubectl rollout status` judges it: the
// Deployment controller has seen the latest spec (observedGeneration ≥ generation), every
// desired replica is updated and available, and no replica of an older revision is left. So a
// rolling update whose old pods still serve is Deploying, not Running — the earlier
// implementation looked at the Available condition alone and stayed Ready during stalled
// rollouts.
import type { ModelDeployment } from '@airunway/schema';
import type {
  ContainerStatus,
  Deployment,
  ObjectCondition,
  ObservedEvent,
  Pod,
  ReplicaSet,
} from '../kubernetes.js';
import type { ObservedState, ProviderPhase, ProviderStatus } from '../provider.js';
import { VLLM_PORT } from './render.js';

export interface VllmObserved {
  readonly deployment?: Deployment | undefined;
  /** Pods labelled `airunway.ai/model-deployment: <name>`. */
  readonly pods?: readonly Pod[];
  /** The Deployment's ReplicaSets, to tell pods of the current revision from older ones. */
  readonly replicaSets?: readonly ReplicaSet[];
  readonly events?: readonly ObservedEvent[];
}

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

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';
const MAX_DETAIL = 2048;

/** The Deployment among observed objects, for the generic Provider interface. */
export function vllmObservedFrom(md: ModelDeployment, observed: ObservedState): VllmObserved {
  const deployment = observed.objects.find(
    (o) => o.kind === 'Deployment' && o.apiVersion === 'apps/v1' && o.metadata.name === md.metadata.name,
  ) as Deployment | undefined;
  return { deployment, pods: observed.pods, replicaSets: observed.replicaSets, events: observed.events };
}

export function vllmStatus(md: ModelDeployment, observed: VllmObserved): ProviderStatus {
  const name = md.metadata.name;
  const result = (
    phase: ProviderPhase,
    reason: string,
    message: string,
    replicas: ProviderStatus['replicas'],
  ): ProviderStatus => ({
    phase,
    reason,
    message: truncate(message, 4 * MAX_DETAIL),
    replicas,
    endpoint: { service: name, port: VLLM_PORT },
    resourceName: name,
    resourceKind: 'Deployment',
  });

  const deployment = observed.deployment;
  if (deployment === undefined) {
    const desired = md.spec.scaling.replicas ?? 1;
    return result('Pending', 'DeploymentNotCreated', `Deployment ${name} is not created yet`, {
      desired,
      ready: 0,
      available: 0,
    });
  }

  const status = deployment.status ?? {};
  const desired = deployment.spec.replicas ?? 1;
  const ready = status.readyReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const replicas = { desired, ready, available };
  const generation = deployment.metadata.generation;
  const observedLatest = generation === undefined || (status.observedGeneration ?? -1) >= generation;
  const progressing = condition(status.conditions, 'Progressing');
  const replicaFailure = condition(status.conditions, 'ReplicaFailure');

  const { current, old } = splitByRevision(deployment, observed.pods ?? [], observed.replicaSets);
  const oldReady = old.filter(isReady).length;
  const stillServing =
    oldReady > 0
      ? `; ${plural(oldReady, 'ready pod')} of the previous revision still serve${oldReady === 1 ? 's' : ''}`
      : '';

  if (
    observedLatest &&
    progressing?.status === 'False' &&
    progressing.reason === 'ProgressDeadlineExceeded'
  ) {
    const detail = firstPodProblem(current, observed.events);
    return result(
      'Failed',
      'ProgressDeadlineExceeded',
      `rollout of Deployment ${name} made no progress within ${deployment.spec.progressDeadlineSeconds ?? 600}s` +
        (progressing.message ? `: ${progressing.message}` : '') +
        (detail ? `; ${detail.message}` : '') +
        stillServing,
      replicas,
    );
  }

  if (desired === 0) {
    return observedLatest && total === 0
      ? result(
          'Running',
          'ScaledToZero',
          'scaled to zero (scaling.replicas is 0): no model server pod runs',
          replicas,
        )
      : result('Deploying', 'ScalingDown', `scaling down to zero: ${plural(total, 'pod')} left`, replicas);
  }

  const failing = failingContainer(current);
  if (failing) return result('Failed', failing.reason, failing.message + stillServing, replicas);

  if (replicaFailure?.status === 'True') {
    const message =
      replicaFailure.message ?? latestEvent(observed.events, 'FailedCreate', 'ReplicaSet')?.text;
    return result(
      'Failed',
      'ReplicaFailure',
      `cannot create pods for Deployment ${name}` + (message ? `: ${message}` : '') + stillServing,
      replicas,
    );
  }

  const complete = observedLatest && updated >= desired && available >= desired && total <= updated;
  if (complete) {
    return result('Running', 'RolloutComplete', `${available}/${desired} replicas available`, replicas);
  }

  const unschedulable = current.flatMap((pod) => {
    const message = unschedulableMessage(pod, observed.events);
    return message === undefined ? [] : [{ pod: pod.metadata.name ?? '', message }];
  });
  const first = unschedulable[0];
  if (first !== undefined) {
    const others = unschedulable.length > 1 ? ` (and ${plural(unschedulable.length - 1, 'more pod')})` : '';
    const message = `pod ${first.pod} cannot be scheduled${others}: ${first.message}` + stillServing;
    return result(ready === 0 ? 'Pending' : 'Deploying', 'Unschedulable', message, replicas);
  }

  const progress = !observedLatest
    ? `waiting for the Deployment controller to observe generation ${generation}`
    : updated < desired
      ? `rollout in progress: ${updated} of ${plural(desired, 'replica')} updated`
      : total > updated
        ? `rollout in progress: ${plural(total - updated, 'old replica')} pending termination`
        : `waiting for replicas: ${available} of ${desired} available`;
  const detail = firstPodProblem(current, observed.events);
  return result(
    'Deploying',
    'RolloutInProgress',
    progress + (detail ? `; ${detail.message}` : '') + stillServing,
    replicas,
  );
}

// ── pods ────────────────────────────────────────────────────────────────────────────────

/**
 * Pods of the Deployment's current revision and older ones. Without ReplicaSets (or without
 * a revision annotation) every pod counts as current. Pods being deleted are left out.
 */
function splitByRevision(
  deployment: Deployment,
  pods: readonly Pod[],
  replicaSets: readonly ReplicaSet[] | undefined,
): { current: Pod[]; old: Pod[] } {
  const live = pods.filter(
    (p) => p.metadata.deletionTimestamp === undefined && p.status?.phase !== 'Succeeded',
  );
  const revision = deployment.metadata.annotations?.[REVISION_ANNOTATION];
  const currentSet = replicaSets?.find(
    (rs) =>
      rs.metadata.annotations?.[REVISION_ANNOTATION] === revision &&
      (rs.metadata.ownerReferences ?? []).some(
        (o) => o.kind === 'Deployment' && o.name === deployment.metadata.name,
      ),
  );
  const hash = currentSet?.metadata.labels?.[POD_TEMPLATE_HASH];
  if (revision === undefined || hash === undefined) return { current: live, old: [] };
  return {
    current: live.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] === hash),
    old: live.filter((p) => p.metadata.labels?.[POD_TEMPLATE_HASH] !== hash),
  };
}

function isReady(pod: Pod): boolean {
  return condition(pod.status?.conditions, 'Ready')?.status === 'True';
}

function containerStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/** The first container stuck in a failing state, as reason and message. */
function failingContainer(pods: readonly Pod[]): { reason: string; message: string } | undefined {
  for (const pod of sortedByName(pods)) {
    for (const container of containerStatuses(pod)) {
      const waiting = container.state?.waiting;
      const reason = waiting?.reason;
      if (reason === undefined || !(FAILING_WAITING_REASONS as readonly string[]).includes(reason)) continue;
      let message = `pod ${pod.metadata.name ?? ''}: container ${container.name} is in ${reason}`;
      if (waiting?.message) message += `: ${waiting.message}`;
      const last = container.lastState?.terminated;
      if (last !== undefined) {
        message += `; last exit code ${last.exitCode ?? '?'}${last.reason ? ` (${last.reason})` : ''}`;
        if (last.message) message += `: ${truncate(last.message.trim(), MAX_DETAIL)}`;
      }
      return { reason, message };
    }
  }
  return undefined;
}

/** The scheduler's message for an unschedulable pod (condition first, then a FailedScheduling event). */
function unschedulableMessage(pod: Pod, events: readonly ObservedEvent[] | undefined): string | undefined {
  const scheduled = condition(pod.status?.conditions, 'PodScheduled');
  if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') return undefined;
  return (
    scheduled.message ??
    latestEvent(events, 'FailedScheduling', 'Pod', pod.metadata.name)?.text ??
    'no node fits the pod'
  );
}

/** What holds back the first pod that is not ready: a waiting reason, or the probes. */
function firstPodProblem(
  pods: readonly Pod[],
  events: readonly ObservedEvent[] | undefined,
): { message: string } | undefined {
  for (const pod of sortedByName(pods)) {
    if (isReady(pod)) continue;
    const name = pod.metadata.name ?? '';
    const unschedulable = unschedulableMessage(pod, events);
    if (unschedulable !== undefined) return { message: `pod ${name} cannot be scheduled: ${unschedulable}` };
    for (const container of containerStatuses(pod)) {
      const waiting = container.state?.waiting;
      if (waiting?.reason) {
        return {
          message: `pod ${name}: container ${container.name} ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`,
        };
      }
      if (container.state?.running !== undefined && container.ready !== true) {
        return {
          message:
            container.started === true
              ? `pod ${name}: container ${container.name} is running but not ready`
              : `pod ${name}: container ${container.name} is starting (downloading and loading the model)`,
        };
      }
    }
    if (pod.status?.phase === 'Pending') return { message: `pod ${name} is pending` };
  }
  return undefined;
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────

function condition(conditions: readonly ObjectCondition[] | undefined, type: string) {
  return conditions?.find((c) => c.type === type);
}

/** The most recent event with `reason` about an object of `kind` (and `name`, if given). */
function latestEvent(
  events: readonly ObservedEvent[] | undefined,
  reason: string,
  kind: string,
  name?: string,
): { text: string } | undefined {
  const matching = (events ?? []).filter((e) => {
    const object = e.regarding ?? e.involvedObject;
    return e.reason === reason && object?.kind === kind && (name === undefined || object.name === name);
  });
  const time = (e: ObservedEvent) => e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? '';
  const latest = matching.reduce<ObservedEvent | undefined>(
    (best, e) => (best === undefined || time(e) > time(best) ? e : best),
    undefined,
  );
  const text = latest?.message ?? latest?.note;
  return text === undefined ? undefined : { text };
}

function sortedByName(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
