// The NVIDIA GPU Operator: its pinned chart (version pinned like every provider's, where the
// earlier implementation installed whatever was newest), how to see that it runs (its
// ClusterPolicy CRD and a Ready operator pod, watched), and what the nodes offer.
import { Informer, Resources, type KubeClient, type Logger } from '@airunway/kube';
import type { GpuOperatorStatusResponse } from '@airunway/schema';
import type { CachedNode, OperatorPod } from '../cache/objects.js';
import { slimOperatorPod } from '../cache/objects.js';
import type { ChartSpec } from '../helm/charts.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';
export const CLUSTER_POLICY_CRD = 'clusterpolicies.nvidia.com';

export const GPU_OPERATOR_CHART: ChartSpec = {
  displayName: 'NVIDIA GPU Operator',
  repository: { name: 'nvidia', url: 'https://helm.ngc.nvidia.com/nvidia' },
  chart: 'nvidia/gpu-operator',
  version: 'v26.7.0',
  release: 'gpu-operator',
  namespace: 'gpu-operator',
  values: {},
};

/** The chart's operator Deployment labels its pods `app: gpu-operator`. */
export const GPU_OPERATOR_POD_SELECTOR = 'app=gpu-operator';

/** Watches the GPU Operator's own pods (not its many per-node daemons). */
export class GpuOperatorPods {
  readonly informer: Informer<OperatorPod>;

  constructor(options: { client: KubeClient; logger?: Logger | undefined }) {
    this.informer = new Informer<OperatorPod>({
      client: options.client,
      ...(options.logger ? { logger: options.logger } : {}),
      resource: Resources.Pod,
      namespace: GPU_OPERATOR_CHART.namespace,
      labelSelector: GPU_OPERATOR_POD_SELECTOR,
      transform: slimOperatorPod,
      name: `operator-pods/gpu-operator/${GPU_OPERATOR_CHART.namespace}`,
    });
  }

  running(): boolean {
    return this.informer
      .list()
      .some(
        (pod) =>
          !pod.metadata.deletionTimestamp &&
          pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
      );
  }
}

export type GpuOperatorState = Omit<GpuOperatorStatusResponse, 'helmCommands'>;

/** What the status route says, from the CRD, the operator pods and allocatable GPUs of nodes. */
export function gpuOperatorState(
  crdFound: boolean,
  operatorRunning: boolean,
  nodes: readonly CachedNode[],
): GpuOperatorState {
  const gpuNodes: string[] = [];
  let totalGPUs = 0;
  for (const node of nodes) {
    const count = Number.parseInt(node.status.allocatable[GPU_RESOURCE] ?? '0', 10);
    if (Number.isFinite(count) && count > 0) {
      totalGPUs += count;
      gpuNodes.push(node.metadata.name ?? '');
    }
  }
  gpuNodes.sort();
  const installed = crdFound && operatorRunning;
  const gpusAvailable = totalGPUs > 0;
  const gpus = `${totalGPUs} GPU(s) on ${gpuNodes.length} node(s)`;
  let message: string;
  if (installed)
    message = gpusAvailable
      ? `GPUs enabled: ${gpus}`
      : 'GPU Operator installed but no GPUs detected on nodes';
  else if (crdFound)
    message = `GPU Operator CRD found, but the operator is not running in ${GPU_OPERATOR_CHART.namespace}`;
  else if (gpusAvailable) message = `GPUs available: ${gpus} (the NVIDIA GPU Operator is not installed)`;
  else message = 'NVIDIA GPU Operator is not installed and no GPUs were detected on nodes';
  return { installed, crdFound, operatorRunning, gpusAvailable, totalGPUs, gpuNodes, message };
}
