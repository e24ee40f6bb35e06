// Whether the cluster can grow by itself, and how: the cluster autoscaler's status ConfigMap
// first (AKS's managed autoscaler writes it too), its Deployment in kube-system otherwise.
import type { AutoscalerDetectionResponse, AutoscalerStatusResponse } from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import {
  AUTOSCALER_NAMESPACE,
  AUTOSCALER_STATUS_CONFIGMAP,
  type ClusterCache,
} from '../cache/cluster-cache.js';
import type { CachedDeployment } from '../cache/objects.js';
import { ApiError } from '../errors.js';
import { parseAutoscalerStatus } from './autoscaler-status.js';

/** A status older than this means the autoscaler stopped writing it. */
export const AUTOSCALER_STALE_AFTER_MS = 5 * 60_000;
/** AKS labels its nodes with the managed cluster's resource group. */
export const AKS_CLUSTER_LABEL = 'kubernetes.azure.com/cluster';

function isAutoscalerDeployment(d: CachedDeployment): boolean {
  const labels = d.metadata.labels ?? {};
  return (
    (d.metadata.name ?? '').includes('cluster-autoscaler') ||
    labels.app === 'cluster-autoscaler' ||
    (labels['app.kubernetes.io/name'] ?? '').includes('cluster-autoscaler')
  );
}

export class AutoscalerService {
  constructor(
    private readonly cache: ClusterCache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The status is in kube-system: reading it takes what reading that ConfigMap takes. */
  private authorize(caller: Caller): Promise<void> {
    return caller.authorize({
      verb: 'get',
      resource: 'configmaps',
      namespace: AUTOSCALER_NAMESPACE,
      name: AUTOSCALER_STATUS_CONFIGMAP,
    });
  }

  async detection(caller: Caller): Promise<AutoscalerDetectionResponse> {
    await this.authorize(caller);
    const { autoscalerStatus, systemDeployments, nodes } = this.cache;
    await this.cache.whenSynced(autoscalerStatus, systemDeployments, nodes);
    const cm = autoscalerStatus.get(AUTOSCALER_NAMESPACE, AUTOSCALER_STATUS_CONFIGMAP);
    const deployment = systemDeployments.list().find(isAutoscalerDeployment);

    if (cm) {
      const status = parseAutoscalerStatus(cm);
      // On AKS the managed autoscaler runs in the control plane: a status without a Deployment.
      const aks = nodes.list().some((n) => n.metadata.labels?.[AKS_CLUSTER_LABEL] !== undefined);
      const ageMs = status.lastUpdated ? this.now().getTime() - status.lastUpdated.getTime() : undefined;
      const fresh = ageMs !== undefined && ageMs < AUTOSCALER_STALE_AFTER_MS;
      const healthy = fresh && status.health !== 'Unhealthy';
      const groups = status.nodeGroups.length;
      let message = `Cluster Autoscaler running on ${groups} node group(s)`;
      if (ageMs === undefined) message = 'Cluster Autoscaler status has no timestamp';
      else if (!fresh)
        message = `Cluster Autoscaler status is stale: last updated ${Math.floor(ageMs / 60_000)} minute(s) ago`;
      else if (!healthy) message = `Cluster Autoscaler reports the cluster ${status.health}`;
      return {
        detected: true,
        type: aks && !deployment ? 'aks-managed' : 'cluster-autoscaler',
        healthy,
        message,
        nodeGroupCount: groups,
        ...(status.lastUpdated ? { lastUpdated: status.lastUpdated.toISOString() } : {}),
      };
    }
    if (deployment) {
      const desired = Math.max(1, deployment.spec.replicas ?? 1);
      const ready = deployment.status.readyReplicas ?? 0;
      const healthy = ready >= desired;
      const name = deployment.metadata.name ?? '';
      return {
        detected: true,
        type: 'cluster-autoscaler',
        healthy,
        message: healthy
          ? `Cluster Autoscaler Deployment ${name} is ready (it has not written its status yet)`
          : `Cluster Autoscaler Deployment ${name} has ${ready}/${desired} ready replicas`,
        nodeGroupCount: 0,
      };
    }
    return {
      detected: false,
      type: 'none',
      healthy: false,
      message: 'No cluster autoscaler detected',
      nodeGroupCount: 0,
    };
  }

  async status(caller: Caller): Promise<AutoscalerStatusResponse> {
    await this.authorize(caller);
    await this.cache.whenSynced(this.cache.autoscalerStatus);
    const cm = this.cache.autoscalerStatus.get(AUTOSCALER_NAMESPACE, AUTOSCALER_STATUS_CONFIGMAP);
    if (!cm)
      throw ApiError.notFound(
        `ConfigMap ${AUTOSCALER_NAMESPACE}/${AUTOSCALER_STATUS_CONFIGMAP} not found: no cluster autoscaler status`,
      );
    const status = parseAutoscalerStatus(cm);
    const ageMs = status.lastUpdated ? this.now().getTime() - status.lastUpdated.getTime() : undefined;
    return {
      health: status.health,
      lastUpdated: status.lastUpdated?.toISOString() ?? 'unknown',
      nodeGroups: [...status.nodeGroups],
      stale: ageMs === undefined || ageMs >= AUTOSCALER_STALE_AFTER_MS,
    };
  }
}
