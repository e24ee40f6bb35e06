// Status of a ModelDeployment on Dynamo, from its DynamoGraphDeployment.
//
// The Dynamo operator reports `status.state` (initializing, pending, successful, failed), a
// Ready condition whose reason classifies what is missing (insufficient_capacity,
// pods_not_ready, updating, …) and replica counts per component. Desired counts come from the
// ModelDeployment, not from the object: the operator's cache may hold it without its spec.
//
// The pods (the Dynamo operator labels each with its component) explain waits and failures:
// the scheduler's message for a pod it cannot place, a container that keeps crashing, one
// still loading the model.
//
// replicas counts model workers only, as the API reference documents (llama-70b-pd: 2 prefill
// + 4 decode = 6, its two Frontend pods not included); Running also needs the Frontend, which
// every request passes through.
import type { ModelDeployment } from '@airunway/schema';
import type { ObservedEvent, Pod } from '../kubernetes.js';
import { LABEL_ENGINE } from '../pod-spec.js';
import {
  failingContainer,
  livePods,
  podProgress,
  unschedulableMessage,
  unschedulablePods,
  type PodProblem,
} from '../pod-status.js';
import type { ObservedState, ProviderPhase, ProviderStatus } from '../provider.js';
import {
  DYNAMO_ENGINES,
  DYNAMO_KIND,
  DYNAMO_FRONTEND_COMPONENT,
  dynamoEndpoint,
  dynamoSettings,
  dynamoWorkers,
  type DynamoComponentStatus,
  type DynamoComponentType,
  type DynamoCondition,
  type DynamoEngine,
  type ObservedDynamoGraphDeployment,
} from './render.js';

export interface DynamoObserved {
  readonly dgd?: ObservedDynamoGraphDeployment | undefined;
  /** Pods labelled `airunway.ai/model-deployment: <name>`. */
  readonly pods?: readonly Pod[];
  readonly events?: readonly ObservedEvent[];
}

const MAX_MESSAGE = 8192;
/** The label the Dynamo operator puts on the pods of each component, set to its name. */
export const DYNAMO_COMPONENT_LABEL = 'nvidia.com/dynamo-component';
const MAX_DYNAMO_MESSAGE = 1024;

/** The DynamoGraphDeployment among observed objects, for the generic Provider interface. */
export function dynamoObservedFrom(md: ModelDeployment, observed: ObservedState): DynamoObserved {
  const dgd = observed.objects.find(
    (o) =>
      o.kind === DYNAMO_KIND &&
      o.apiVersion.startsWith('nvidia.com/') &&
      o.metadata.name === md.metadata.name,
  ) as ObservedDynamoGraphDeployment | undefined;
  return { dgd, pods: observed.pods, events: observed.events ?? [] };
}

/** One component as the ModelDeployment wants it and as Dynamo reports it. */
interface ComponentView {
  readonly name: string;
  readonly type: DynamoComponentType;
  readonly desired: number;
  readonly reported: DynamoComponentStatus | undefined;
  readonly ready: number;
  readonly available: number;
}

export function dynamoStatus(md: ModelDeployment, observed: DynamoObserved): ProviderStatus {
  const name = md.metadata.name;
  const dgd = observed.dgd;
  const components = componentViews(md, dgd);
  const workers = components.filter((c) => c.type !== 'frontend');
  const replicas = {
    desired: sum(workers.map((c) => c.desired)),
    ready: sum(workers.map((c) => c.ready)),
    available: sum(workers.map((c) => c.available)),
  };
  const result = (phase: ProviderPhase, reason: string, message: string): ProviderStatus => ({
    phase,
    reason,
    message: truncate(message, MAX_MESSAGE),
    replicas,
    endpoint: dynamoEndpoint(md),
    resourceName: name,
    resourceKind: DYNAMO_KIND,
  });

  if (dgd === undefined) {
    return result(
      'Pending',
      'DynamoGraphDeploymentNotCreated',
      `DynamoGraphDeployment ${name} is not created yet`,
    );
  }
  const status = dgd.status;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  const dynamoSays = dynamoMessage(ready);

  if (status?.state === undefined) {
    return result(
      'Pending',
      'WaitingForDynamoOperator',
      `the Dynamo operator has not reported on DynamoGraphDeployment ${name} yet; ` +
        'check that it runs (Helm release dynamo-platform, namespace dynamo-system)',
    );
  }

  const generation = dgd.metadata.generation;
  const observedLatest = generation === undefined || (status.observedGeneration ?? -1) >= generation;

  if (status.state === 'failed') {
    return result(
      'Failed',
      ready?.reason ? camelCase(ready.reason) : 'DynamoGraphDeploymentFailed',
      `the Dynamo operator reports DynamoGraphDeployment ${name} as failed` +
        (dynamoSays ? `: ${dynamoSays}` : ''),
    );
  }

  const pods = livePods(observed.pods ?? []);
  const failing = firstFailing(components, pods);
  if (failing) return result('Failed', failing.reason, failing.message);

  if (!observedLatest) {
    return result(
      'Deploying',
      'WaitingForDynamoOperator',
      `waiting for the Dynamo operator to act on generation ${String(generation)} of DynamoGraphDeployment ${name}`,
    );
  }

  const short = components.filter((c) => c.reported !== undefined && c.ready < c.desired);
  const rollingUpdate =
    status.rollingUpdate?.phase === 'Pending' || status.rollingUpdate?.phase === 'InProgress';
  if (status.state === 'successful' && short.length === 0 && !rollingUpdate) {
    if (replicas.desired === 0) {
      const left = sum(workers.map((c) => c.reported?.replicas ?? 0));
      return left === 0
        ? result('Running', 'ScaledToZero', 'scaled to zero: no worker runs (the Frontend stays up)')
        : result('Deploying', 'ScalingDown', `scaling down to zero: ${left} worker pods left`);
    }
    return result('Running', 'AllComponentsReady', `${readiness(components)} ready`);
  }

  const waiting = components.filter((c) => c.reported === undefined || c.ready < c.desired);
  const waitingFor =
    waiting.length > 0
      ? `waiting for ${waiting.map(describeWaiting).join(', ')}`
      : `waiting for the Dynamo operator to report DynamoGraphDeployment ${name} ready`;
  const dynamoDetail = dynamoSays ? `; Dynamo: ${dynamoSays}` : '';
  // Nothing serves while no worker is ready: the deployment waits for the cluster.
  const capacityPhase: ProviderPhase = replicas.ready === 0 ? 'Pending' : 'Deploying';

  const unschedulable = unschedulablePods(pods, observed.events);
  if (unschedulable.length > 0) {
    return result(
      capacityPhase,
      'Unschedulable',
      `${waitingFor}: ${unschedulableMessage(unschedulable)}${dynamoDetail}`,
    );
  }
  const progress = firstProgress(waiting, pods, observed.events);
  const detail = (progress ? `; ${progress}` : '') + dynamoDetail;
  switch (ready?.reason) {
    case 'insufficient_capacity':
      return result(
        capacityPhase,
        'InsufficientCapacity',
        `not enough capacity to schedule every pod: ${waitingFor}${detail}`,
      );
    case 'updating':
    case 'rolling_update_in_progress':
      return result('Deploying', 'RolloutInProgress', `rollout in progress: ${waitingFor}${detail}`);
    default:
      return result('Deploying', 'ComponentsNotReady', `${waitingFor}${detail}`);
  }
}

/** Pods of a component: the Dynamo operator labels them with the component's name. */
function podsOf(component: string, pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => p.metadata.labels?.[DYNAMO_COMPONENT_LABEL] === component);
}

/** The first container that fails to start or keeps crashing, named with its component. */
function firstFailing(components: readonly ComponentView[], pods: readonly Pod[]): PodProblem | undefined {
  for (const component of components) {
    const problem = failingContainer(podsOf(component.name, pods));
    if (problem) return { reason: problem.reason, message: `${component.name}: ${problem.message}` };
  }
  return failingContainer(pods);
}

/** What holds back the first component still waiting, from its pods. */
function firstProgress(
  waiting: readonly ComponentView[],
  pods: readonly Pod[],
  events: readonly ObservedEvent[] | undefined,
): string | undefined {
  for (const component of waiting) {
    const progress = podProgress(podsOf(component.name, pods), events);
    if (progress) return `${component.name}: ${progress}`;
  }
  return undefined;
}

/** The components of the ModelDeployment, in render order, with what Dynamo reports. */
function componentViews(
  md: ModelDeployment,
  dgd: ObservedDynamoGraphDeployment | undefined,
): ComponentView[] {
  const engine = engineOf(md, dgd);
  const settings = dynamoSettings(md.spec);
  const reported = dgd?.status?.components ?? {};
  const view = (name: string, type: DynamoComponentType, desired: number): ComponentView => {
    const status = reported[name];
    // Each workload kind reports one of the two: PodCliques ready, scaling groups available.
    const ready = status?.readyReplicas ?? status?.availableReplicas ?? 0;
    const available = status?.availableReplicas ?? status?.readyReplicas ?? 0;
    return { name, type, desired, reported: status, ready, available };
  };
  return [
    view(DYNAMO_FRONTEND_COMPONENT, 'frontend', settings.ok ? settings.settings.frontendReplicas : 1),
    ...dynamoWorkers(md.spec, engine).map((w) => view(w.name, w.role, w.replicas)),
  ];
}

/** The engine the object was rendered for (its label), else the selected or requested one. */
function engineOf(md: ModelDeployment, dgd: ObservedDynamoGraphDeployment | undefined): DynamoEngine {
  const candidates = [dgd?.metadata.labels?.[LABEL_ENGINE], md.status?.engine?.type, md.spec.engine.type];
  const engine = candidates.find((e): e is DynamoEngine =>
    (DYNAMO_ENGINES as readonly unknown[]).includes(e),
  );
  return engine ?? 'vllm';
}

function describeWaiting(component: ComponentView): string {
  if (component.reported === undefined) return `${component.name} (not reported yet)`;
  const scheduled = component.reported.scheduledReplicas;
  const scheduling =
    scheduled !== undefined && scheduled < component.desired ? `, ${scheduled} scheduled` : '';
  return `${component.name} (${component.ready}/${component.desired} ready${scheduling})`;
}

function readiness(components: readonly ComponentView[]): string {
  return components.map((c) => `${c.name} ${c.ready}/${c.desired}`).join(', ');
}

function dynamoMessage(condition: DynamoCondition | undefined): string | undefined {
  const message = condition?.message?.trim();
  return message ? truncate(message, MAX_DYNAMO_MESSAGE) : undefined;
}

/** Dynamo's snake_case reasons as the CamelCase reasons of conditions: `insufficient_capacity` → `InsufficientCapacity`. */
function camelCase(reason: string): string {
  return reason
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
