// Status of a Direct vLLM ModelDeployment, from its Deployment and pods.
//
// Running means the current rollout is complete, as `kubectl rollout status` judges it: the
// Deployment controller has seen the latest spec (observedGeneration ≥ generation), every
// desired replica is updated and available, and no replica of an older revision is left. So a
// rolling update whose old pods still serve is Deploying, not Running — the earlier
// implementation looked at the Available condition alone and stayed Ready during stalled
// rollouts.
import type { ModelDeployment } from '@airunway/schema';
import type { Deployment, ObservedEvent, Pod, ReplicaSet } from '../kubernetes.js';
import {
  MAX_DETAIL,
  failingContainer,
  findCondition,
  latestEventText,
  podProgress,
  unschedulableMessage,
  unschedulablePods,
} from '../pod-status.js';
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

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';

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
  const progressing = findCondition(status.conditions, 'Progressing');
  const replicaFailure = findCondition(status.conditions, 'ReplicaFailure');

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
    const detail = podProgress(current, observed.events);
    return result(
      'Failed',
      'ProgressDeadlineExceeded',
      `rollout of Deployment ${name} made no progress within ${deployment.spec.progressDeadlineSeconds ?? 600}s` +
        (progressing.message ? `: ${progressing.message}` : '') +
        (detail ? `; ${detail}` : '') +
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
    const message = replicaFailure.message ?? latestEventText(observed.events, 'FailedCreate', 'ReplicaSet');
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

  const unschedulable = unschedulablePods(current, observed.events);
  if (unschedulable.length > 0) {
    const message = unschedulableMessage(unschedulable) + stillServing;
    return result(ready === 0 ? 'Pending' : 'Deploying', 'Unschedulable', message, replicas);
  }

  const progress = !observedLatest
    ? `waiting for the Deployment controller to observe generation ${generation}`
    : updated < desired
      ? `rollout in progress: ${updated} of ${plural(desired, 'replica')} updated`
      : total > updated
        ? `rollout in progress: ${plural(total - updated, 'old replica')} pending termination`
        : `waiting for replicas: ${available} of ${desired} available`;
  const detail = podProgress(current, observed.events);
  return result(
    'Deploying',
    'RolloutInProgress',
    progress + (detail ? `; ${detail}` : '') + stillServing,
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
  return findCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
