// Status of a ModelDeployment on KAITO, from the Workspace's status.
//
// KAITO's workspace controller reports, for an inference Workspace:
// - NodesReady / NodeClaimReady (node auto-provisioning only) and ResourceReady: enough Ready
//   nodes match the Workspace (ResourceReady summarises the node conditions);
// - InferenceReady: every pod of the inference StatefulSet is Ready. When it is False, KAITO
//   classifies why in its reason: ImagePullError, ContainerCrashLoopBackOff, ContainerOOMKilled,
//   ContainerStartError, PodEvicted, NodeDiskPressure, NodeMemoryPressure, Unschedulable,
//   SASTokenFetchFailed, ModelStreaming… — or WorkspaceInferenceStatusPending when nothing is
//   wrong yet (the model is still downloading and loading);
// - WorkspaceSucceeded: True once inference is ready (and KAITO's post-load benchmark of a vLLM
//   preset has been recorded); False with reason BenchmarkFailed when that benchmark failed,
//   although the server is up;
// - ModelMirrorReady while KAITO mirrors the model for streaming, WorkspaceDeleting on deletion;
// - `state`: Pending until inference is first ready, then Ready or NotReady.
//
// Conditions carry the Workspace generation they were computed for, so a Workspace that was
// just updated is Deploying until KAITO has looked at it. The operator's cache may strip
// everything but metadata and status, so desired counts come from the ModelDeployment.
import type { ModelDeployment } from '@airunway/schema';
import type { ContainerStatus, ObjectCondition, Pod } from '../kubernetes.js';
import type { ObservedState, ProviderPhase, ProviderStatus } from '../provider.js';
import {
  KAITO_SERVICE_PORT,
  WORKSPACE_KIND,
  workspaceNodeLabels,
  type Workspace,
  type WorkspaceCondition,
} from './render.js';

export interface KaitoObserved {
  readonly workspace?: Workspace | undefined;
  /**
   * Pods labelled `airunway.ai/model-deployment: <name>`: those of a llama.cpp template.
   * KAITO builds preset pods itself and labels them `kaito.sh/workspace: <name>` only.
   */
  readonly pods?: readonly Pod[];
}

/** InferenceReady reasons that do not resolve without a change: the phase is Failed. */
export const KAITO_FAILED_INFERENCE_REASONS: readonly string[] = [
  'ImagePullError',
  'ContainerCrashLoopBackOff',
  'ContainerOOMKilled',
  'ContainerStartError',
  'SASTokenFetchFailed',
  'ModelStreamingStorageClassNotFound',
  'ModelStreamingInvalidStorageClass',
  'ModelStreamingServiceAccountInvalid',
  'ModelStreamingInvalidAnnotations',
  'ModelMirrorCreateFailed',
];

/** InferenceReady reasons after which the StatefulSet replaces the pod by itself. */
export const KAITO_RETRIED_INFERENCE_REASONS: readonly string[] = [
  'PodEvicted',
  'NodeDiskPressure',
  'NodeMemoryPressure',
];

const MAX_MESSAGE = 8192;

/** The Workspace among observed objects, for the generic Provider interface. */
export function kaitoObservedFrom(md: ModelDeployment, observed: ObservedState): KaitoObserved {
  const workspace = observed.objects.find(
    (o) =>
      o.kind === WORKSPACE_KIND &&
      o.apiVersion.startsWith('kaito.sh/') &&
      o.metadata.name === md.metadata.name,
  ) as Workspace | undefined;
  return { workspace, pods: observed.pods };
}

export function kaitoStatus(md: ModelDeployment, observed: KaitoObserved): ProviderStatus {
  const name = md.metadata.name;
  const desired = md.spec.scaling.replicas ?? 1;
  const result = (phase: ProviderPhase, reason: string, message: string, ready: number): ProviderStatus => ({
    phase,
    reason,
    message: truncate(message, MAX_MESSAGE),
    replicas: { desired, ready, available: ready },
    endpoint: { service: name, port: KAITO_SERVICE_PORT },
    resourceName: name,
    resourceKind: WORKSPACE_KIND,
  });

  const workspace = observed.workspace;
  if (workspace === undefined) {
    return result('Pending', 'WorkspaceNotCreated', `Workspace ${name} is not created yet`, 0);
  }
  const status = workspace.status ?? {};
  const conditions = status.conditions ?? [];
  const deleting = condition(conditions, 'WorkspaceDeleting');
  if (workspace.metadata.deletionTimestamp !== undefined || deleting?.status === 'True') {
    return result('Pending', 'WorkspaceDeleting', `Workspace ${name} is being deleted`, 0);
  }
  if (conditions.length === 0 && status.state === undefined) {
    return result(
      'Pending',
      'WaitingForKaito',
      `waiting for KAITO to pick up Workspace ${name}: it has no status yet; if this lasts, check that ` +
        "KAITO's workspace controller is running (kaito-workspace namespace, or the AKS AI toolchain operator)",
      0,
    );
  }

  const ready = readyPods(observed.pods ?? [], desired);
  const generation = workspace.metadata.generation;
  const processed = Math.max(-1, ...conditions.map((c) => c.observedGeneration ?? -1));
  if (generation !== undefined && processed >= 0 && processed < generation) {
    return result(
      'Deploying',
      'WorkspaceUpdating',
      `waiting for KAITO to apply the updated Workspace ${name} (generation ${generation}; its status is ` +
        `for generation ${processed})`,
      ready,
    );
  }

  const inference = condition(conditions, 'InferenceReady');
  const succeeded = condition(conditions, 'WorkspaceSucceeded');
  if (inference?.status === 'True') {
    if (succeeded?.status === 'False' && succeeded.reason === 'BenchmarkFailed') {
      return result(
        'Running',
        'InferenceReady',
        `inference is ready; KAITO's post-load benchmark failed${detail(succeeded)} (set ` +
          'provider.overrides.disableBenchmark: true to skip it)',
        desired,
      );
    }
    return result(
      'Running',
      'WorkspaceReady',
      `Workspace ${name} is ready: ${replicaText(desired)} serving`,
      desired,
    );
  }

  const inferenceReason = inference?.status === 'False' ? inference.reason : undefined;
  if (inferenceReason !== undefined && KAITO_FAILED_INFERENCE_REASONS.includes(inferenceReason)) {
    return result('Failed', inferenceReason, kaitoMessage(inference, 'the inference server failed'), ready);
  }
  if (inferenceReason === 'Unschedulable') {
    return result(
      ready === 0 ? 'Pending' : 'Deploying',
      'Unschedulable',
      kaitoMessage(inference, 'an inference pod cannot be scheduled'),
      ready,
    );
  }
  if (inferenceReason !== undefined && KAITO_RETRIED_INFERENCE_REASONS.includes(inferenceReason)) {
    return result(
      'Deploying',
      inferenceReason,
      `${kaitoMessage(inference, 'an inference pod was evicted')}; the StatefulSet replaces the pod`,
      ready,
    );
  }
  if (
    status.state === 'Failed' ||
    (succeeded?.status === 'False' && succeeded.reason === 'workspaceFailed')
  ) {
    return result(
      'Failed',
      camelCase(succeeded?.reason ?? 'WorkspaceFailed'),
      kaitoMessage(succeeded, 'KAITO reports the Workspace failed'),
      ready,
    );
  }

  const mirror = condition(conditions, 'ModelMirrorReady');
  if (mirror?.status === 'False') {
    return result('Deploying', 'ModelDownloading', `KAITO is mirroring the model${detail(mirror)}`, ready);
  }

  const resource = condition(conditions, 'ResourceReady');
  if (resource?.status !== 'True') {
    return result('Pending', 'WaitingForNodes', nodesMessage(md, status.targetNodeCount, conditions), ready);
  }

  const waiting =
    inference?.message && inference.reason !== 'WorkspaceInferenceStatusPending'
      ? `: ${inference.message}`
      : ' (downloading and loading the model)';
  const pod = firstPodProblem(observed.pods ?? []);
  return result(
    'Deploying',
    'InferenceNotReady',
    `nodes are ready; waiting for the inference server of Workspace ${name}${waiting}` +
      (pod === undefined ? '' : `; ${pod}`),
    ready,
  );
}

/** Why KAITO waits for nodes, with the selector and count it waits for. */
function nodesMessage(
  md: ModelDeployment,
  target: number | undefined,
  conditions: readonly WorkspaceCondition[],
): string {
  const reasons = ['NodeClaimReady', 'NodesReady', 'ResourceReady']
    .map((type) => condition(conditions, type))
    .filter((c) => c !== undefined && c.status !== 'True' && c.message)
    .map((c) => c?.message ?? '');
  const selector = Object.entries(workspaceNodeLabels(md.spec))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const wanted = target === undefined || target === 0 ? 'enough' : String(target);
  return (
    `waiting for nodes: KAITO needs ${wanted} Ready node${target === 1 ? '' : 's'} matching ${selector}` +
    (reasons.length > 0 ? ` (${[...new Set(reasons)].join('; ')})` : '') +
    '; add or label nodes, or change nodeSelector'
  );
}

/** Ready pods of a llama.cpp template (preset pods are not observed: 0 until Running). */
function readyPods(pods: readonly Pod[], desired: number): number {
  const ready = pods.filter(
    (p) =>
      p.metadata.deletionTimestamp === undefined &&
      condition(p.status?.conditions, 'Ready')?.status === 'True',
  ).length;
  return Math.min(ready, desired);
}

/** What holds back the first pod that is not ready, when the operator observes the pods. */
function firstPodProblem(pods: readonly Pod[]): string | undefined {
  const sorted = [...pods].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  for (const pod of sorted) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    if (condition(pod.status?.conditions, 'Ready')?.status === 'True') continue;
    const name = pod.metadata.name ?? '';
    const statuses: ContainerStatus[] = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    for (const container of statuses) {
      const waiting = container.state?.waiting;
      if (waiting?.reason) {
        return `pod ${name}: container ${container.name} ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
      }
      if (container.state?.running !== undefined && container.ready !== true) {
        return `pod ${name}: container ${container.name} is running but not accepting connections yet`;
      }
    }
    if (pod.status?.phase === 'Pending') return `pod ${name} is pending`;
  }
  return undefined;
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────

function condition<C extends ObjectCondition>(
  conditions: readonly C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((c) => c.type === type);
}

function kaitoMessage(c: ObjectCondition | undefined, fallback: string): string {
  return c?.message ? c.message : fallback;
}

function detail(c: ObjectCondition): string {
  return c.message ? `: ${c.message}` : '';
}

function replicaText(count: number): string {
  return `${count} replica${count === 1 ? '' : 's'}`;
}

/** KAITO's own reasons are partly camelCase ("workspaceFailed"); conditions want CamelCase. */
function camelCase(reason: string): string {
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
