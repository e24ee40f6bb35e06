// Pods of model deployments: every provider labels its pods `airunway.ai/model-deployment:
// <name>`, so one label-selected watch finds them all, indexed by deployment (as the operator
// does). Kept: what pod status, logs, metrics and pending reasons read.
import type { KubeObject } from '@airunway/kube';
import { LABEL_MODEL_DEPLOYMENT } from '@airunway/providers';

/** Index of deployment pods by "<namespace>/<model deployment name>". */
export const BY_DEPLOYMENT = 'deployment';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

export interface ContainerState {
  readonly name: string;
  readonly ready: boolean;
  readonly restartCount: number;
  /** Why it is not running: the waiting or last termination reason. */
  readonly reason?: string;
}

export interface DeploymentPod extends KubeObject {
  spec: {
    nodeName?: string;
    containers: { name: string; ports: { name?: string; containerPort: number }[] }[];
  };
  status: {
    phase?: string;
    podIP?: string;
    reason?: string;
    conditions: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses: ContainerState[];
  };
}

interface WirePod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: { name: string; ports?: { name?: string; containerPort: number }[] }[];
  };
  status?: {
    phase?: string;
    podIP?: string;
    reason?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
    }[];
  };
}

export function slimDeploymentPod(pod: KubeObject): DeploymentPod {
  const { spec = {}, status = {} } = pod as WirePod;
  const defaultContainer = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
      resourceVersion: pod.metadata.resourceVersion,
      creationTimestamp: pod.metadata.creationTimestamp,
      labels: pod.metadata.labels,
      ...(defaultContainer ? { annotations: { [DEFAULT_CONTAINER_ANNOTATION]: defaultContainer } } : {}),
      ...(pod.metadata.deletionTimestamp ? { deletionTimestamp: pod.metadata.deletionTimestamp } : {}),
    },
    spec: {
      nodeName: spec.nodeName || undefined,
      containers: (spec.containers ?? []).map((c) => ({
        name: c.name,
        ports: (c.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort })),
      })),
    },
    status: {
      phase: status.phase,
      podIP: status.podIP,
      reason: status.reason,
      conditions: (status.conditions ?? []).map((c) => ({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
      })),
      containerStatuses: (status.containerStatuses ?? []).map((c) => ({
        name: c.name,
        ready: c.ready === true,
        restartCount: c.restartCount ?? 0,
        reason: c.state?.waiting?.reason ?? c.state?.terminated?.reason,
      })),
    },
  };
}

export const deploymentKeyOf = (pod: KubeObject): string[] => {
  const name = pod.metadata.labels?.[LABEL_MODEL_DEPLOYMENT];
  return name === undefined ? [] : [`${pod.metadata.namespace ?? ''}/${name}`];
};

export function podIsReady(pod: DeploymentPod): boolean {
  return pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Containers, the default one (annotation) first. */
export function containerNames(pod: DeploymentPod): string[] {
  const names = pod.spec.containers.map((c) => c.name);
  const preferred = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  return preferred && names.includes(preferred)
    ? [preferred, ...names.filter((n) => n !== preferred)]
    : names;
}
