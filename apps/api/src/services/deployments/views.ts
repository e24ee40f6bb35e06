// How a ModelDeployment (and its pods) reads in the API: the list item, the detail and the pod
// status. Status fields come from the operator, the only status writer; before it has written,
// the spec says what was asked for.
import type { DeploymentDetail, DeploymentSummary, PodStatus } from '@airunway/schema';
import { containerNames, podIsReady, type DeploymentPod } from '../../cache/deployment-pods.js';
import type { ModelDeploymentObject } from '../../cache/objects.js';

/** Model server pods wanted: replicas, or prefill plus decode workers. */
export function desiredReplicas(md: ModelDeploymentObject): number {
  const scaling = md.spec.scaling;
  if (md.spec.serving.mode === 'disaggregated')
    return (scaling.prefill?.replicas ?? 1) + (scaling.decode?.replicas ?? 1);
  return scaling.replicas ?? 1;
}

/** GPUs all model server pods request together. */
export function desiredGpus(md: ModelDeploymentObject): number {
  const { scaling, resources } = md.spec;
  if (md.spec.serving.mode === 'disaggregated')
    return (
      (scaling.prefill?.replicas ?? 1) * (scaling.prefill?.gpu?.count ?? 0) +
      (scaling.decode?.replicas ?? 1) * (scaling.decode?.gpu?.count ?? 0)
    );
  return (scaling.replicas ?? 1) * resources.gpu.count;
}

// Summaries are asked for on every list; objects in the cache are replaced, never changed,
// so one summary per cached object is always current.
const summaries = new WeakMap<ModelDeploymentObject, DeploymentSummary>();

export function deploymentSummary(md: ModelDeploymentObject): DeploymentSummary {
  const cached = summaries.get(md);
  if (cached) return cached;
  const { spec, status } = md;
  const engine = status?.engine?.type ?? spec.engine.type;
  const provider = status?.provider?.name ?? spec.provider?.name;
  const summary: DeploymentSummary = {
    name: md.metadata.name,
    namespace: md.metadata.namespace ?? '',
    modelId: spec.model.id ?? '',
    ...(engine ? { engine } : {}),
    ...(provider ? { provider } : {}),
    phase: md.metadata.deletionTimestamp ? 'Terminating' : (status?.phase ?? 'Pending'),
    ...(status?.message ? { message: status.message } : {}),
    mode: spec.serving.mode,
    ...(spec.model.servedName ? { servedModelName: spec.model.servedName } : {}),
    gpus: desiredGpus(md),
    replicas: {
      desired: status?.replicas?.desired ?? desiredReplicas(md),
      ready: status?.replicas?.ready ?? 0,
      available: status?.replicas?.available ?? 0,
    },
    createdAt: md.metadata.creationTimestamp ?? new Date(0).toISOString(),
  };
  summaries.set(md, summary);
  return summary;
}

const summaryTexts = new WeakMap<ModelDeploymentObject, string>();

/** The summary as JSON text, serialised once per cached object (the list's main cost). */
export function deploymentSummaryJson(md: ModelDeploymentObject): string {
  let text = summaryTexts.get(md);
  if (text === undefined) {
    text = JSON.stringify(deploymentSummary(md));
    summaryTexts.set(md, text);
  }
  return text;
}

export function podStatus(pod: DeploymentPod): PodStatus {
  const containers = pod.status.containerStatuses;
  const scheduled = pod.status.conditions.find((c) => c.type === 'PodScheduled');
  const reason =
    containers.find((c) => !c.ready && c.reason)?.reason ??
    (scheduled?.status === 'False' ? scheduled.reason : undefined) ??
    pod.status.reason;
  return {
    name: pod.metadata.name ?? '',
    phase: pod.metadata.deletionTimestamp ? 'Terminating' : (pod.status.phase ?? 'Pending'),
    ready: podIsReady(pod),
    restarts: containers.reduce((sum, c) => sum + c.restartCount, 0),
    ...(pod.spec.nodeName ? { node: pod.spec.nodeName } : {}),
    ...(reason ? { reason } : {}),
    containers: containerNames(pod),
    ...(pod.metadata.creationTimestamp ? { createdAt: pod.metadata.creationTimestamp } : {}),
  };
}

/** Pods in a stable order: ready ones first, then by name. */
export function sortPods(pods: readonly DeploymentPod[]): DeploymentPod[] {
  return [...pods].sort(
    (a, b) =>
      Number(podIsReady(b)) - Number(podIsReady(a)) ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

export function deploymentDetail(
  md: ModelDeploymentObject,
  pods: readonly DeploymentPod[],
): DeploymentDetail {
  const { status } = md;
  const endpoint = status?.endpoint;
  return {
    ...deploymentSummary(md),
    ...(status?.provider?.selectedReason ? { providerReason: status.provider.selectedReason } : {}),
    ...(status?.engine?.selectedReason ? { engineReason: status.engine.selectedReason } : {}),
    ...(endpoint?.service && endpoint.port
      ? { endpoint: { service: endpoint.service, port: endpoint.port } }
      : {}),
    ...(status?.gateway ? { gateway: { ...status.gateway } } : {}),
    conditions: (status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    pods: sortPods(pods).map(podStatus),
    spec: md.spec,
    resourceVersion: md.metadata.resourceVersion ?? '',
    ...(md.metadata.generation !== undefined ? { generation: md.metadata.generation } : {}),
    ...(status?.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
  };
}
