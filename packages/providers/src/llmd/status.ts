// Status of an llm-d ModelDeployment: each Deployment (the aggregated server, or decode and
// prefill workers, and the endpoint picker) is judged exactly as Direct vLLM judges its one
// Deployment — Running only when its current rollout is complete — and the least advanced one
// decides the phase: Failed, then Pending, then Deploying, then Running. Replica counts are those
// of the model server pods (decode plus prefill); the endpoint picker's pod is not one of them.
import type { ModelDeployment } from '@airunway/schema';
import { endpointPickerName, LABEL_ENDPOINT_PICKER } from '../gateway/epp.js';
import type { Deployment, Pod } from '../kubernetes.js';
import type { ObservedState, ProviderPhase, ProviderStatus } from '../provider.js';
import { vllmStatus } from '../vllm/status.js';
import { LLMD_PORT, llmdDeploymentName, llmdSelector } from './render.js';

interface Component {
  /** How messages name it: "model server", "decode", "prefill", "endpoint picker". */
  readonly label: string;
  readonly deploymentName: string;
  /** Whether its pods serve the model (they count as replicas). */
  readonly modelServer: boolean;
  /** Replicas the spec asks for, used until the Deployment exists. */
  readonly desired: number;
  /** Its pods, as rendered: the operator's cache keeps no pod selector of observed objects. */
  readonly selector: Readonly<Record<string, string>>;
}

const PHASE_ORDER: readonly ProviderPhase[] = ['Failed', 'Pending', 'Deploying', 'Running'];

function components(md: ModelDeployment): Component[] {
  const { spec } = md;
  const servers: Component[] =
    spec.serving.mode === 'disaggregated'
      ? (['decode', 'prefill'] as const).map((role) => ({
          label: role,
          deploymentName: llmdDeploymentName(md, role),
          modelServer: true,
          desired: spec.scaling[role]?.replicas ?? 1,
          selector: llmdSelector(md, role),
        }))
      : [
          {
            label: 'model server',
            deploymentName: llmdDeploymentName(md, 'decode'),
            modelServer: true,
            desired: spec.scaling.replicas ?? 1,
            selector: llmdSelector(md, 'decode'),
          },
        ];
  return [
    ...servers,
    {
      label: 'endpoint picker',
      deploymentName: endpointPickerName(md),
      modelServer: false,
      desired: 1,
      selector: { [LABEL_ENDPOINT_PICKER]: md.metadata.name },
    },
  ];
}

export function llmdStatus(md: ModelDeployment, observed: ObservedState): ProviderStatus {
  const parts = components(md).map((component) => ({
    component,
    status: componentStatus(md, component, observed),
  }));
  const rank = (phase: ProviderPhase) => PHASE_ORDER.indexOf(phase);
  const worst = parts.reduce((a, b) => (rank(b.status.phase) < rank(a.status.phase) ? b : a));
  const phase = worst.status.phase;
  const shown = phase === 'Running' ? parts : parts.filter((p) => p.status.phase !== 'Running');
  const message = shown.map((p) => `${p.component.label}: ${p.status.message}`).join('; ');
  const servers = parts.filter((p) => p.component.modelServer);
  const sum = (key: keyof ProviderStatus['replicas']) =>
    servers.reduce((n, p) => n + p.status.replicas[key], 0);
  const reason =
    phase === 'Running' && servers.some((p) => p.status.reason === 'RolloutComplete')
      ? 'RolloutComplete'
      : worst.status.reason;

  return {
    phase,
    reason,
    message,
    replicas: { desired: sum('desired'), ready: sum('ready'), available: sum('available') },
    endpoint: { service: md.metadata.name, port: LLMD_PORT },
    resourceName: llmdDeploymentName(md, 'decode'),
    resourceKind: 'Deployment',
  };
}

function componentStatus(md: ModelDeployment, component: Component, observed: ObservedState): ProviderStatus {
  const deployment = observed.objects.find(
    (o) =>
      o.kind === 'Deployment' && o.apiVersion === 'apps/v1' && o.metadata.name === component.deploymentName,
  ) as Deployment | undefined;
  if (deployment === undefined) {
    return {
      phase: 'Pending',
      reason: 'DeploymentNotCreated',
      message: `Deployment ${component.deploymentName} is not created yet`,
      replicas: { desired: component.desired, ready: 0, available: 0 },
      endpoint: { service: md.metadata.name, port: LLMD_PORT },
      resourceName: component.deploymentName,
      resourceKind: 'Deployment',
    };
  }
  // The endpoint picker's pods are among the observed ones only if the operator also watches
  // airunway.ai/endpoint-picker; without them its status comes from the Deployment alone.
  const pods = observed.pods.filter((pod) => matches(pod, component.selector));
  // vllmStatus names the Deployment after the ModelDeployment it is given.
  const named: ModelDeployment = { ...md, metadata: { ...md.metadata, name: component.deploymentName } };
  return vllmStatus(named, {
    deployment,
    pods,
    replicaSets: observed.replicaSets,
    events: observed.events,
  });
}

function matches(pod: Pod, selector: Readonly<Record<string, string>>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
