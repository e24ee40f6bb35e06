// Status of a KubeRay ModelDeployment, from its RayService and the pods of its Ray clusters.
//
// A RayService has up to two RayClusters: the active one, which the serve Service points at,
// and a pending one, which KubeRay starts for a first deployment or for a spec change that
// needs new pods, and promotes once its Serve application is RUNNING. So:
// - Running needs the Ready condition (KubeRay: at least one healthy serve endpoint), no pending
//   cluster, KubeRay having seen the latest generation, the application RUNNING and every
//   desired worker ready — an in-place change (replicas, engine settings) is Deploying until
//   Ray Serve reports it done.
// - Problems are looked for where the new version is coming up — the pending cluster if there
//   is one, else the active one — and the message says when the previous version still serves.
// - Ray Serve reports the health of a deployment, not a count of its replicas. The closest
//   count KubeRay exposes is the ready worker pods of the serving cluster (a worker's readiness
//   covers its raylet and Serve proxy), so replicas.ready counts those, capped at the desired
//   number, and is 0 while nothing serves.
// The RayService's spec may be stripped from what the operator observed: the desired numbers
// come from the ModelDeployment.
import type { ModelDeployment } from '@airunway/schema';
import { byCodePoint } from '../engine-args.js';
import type { ObservedEvent, Pod } from '../kubernetes.js';
import { readOverrides } from '../overrides.js';
import type { ObservedState, ProviderPhase, ProviderStatus } from '../provider.js';
import {
  failingContainer,
  findCondition,
  MAX_DETAIL,
  podProgress,
  tail,
  unschedulableMessage,
  unschedulablePods,
} from '../pod-status.js';
import {
  RAY_API_VERSION,
  RAY_SERVICE_KIND,
  type RayService,
  type RayServiceClusterStatus,
  type ServeApplicationStatus,
} from './ray-service.js';
import { KUBERAY_OVERRIDE_FIELDS, KUBERAY_SERVE_PORT, serveServiceName } from './render.js';
import { SERVE_APP_NAME } from './serve-config.js';

export interface KuberayObserved {
  readonly rayService?: RayService | undefined;
  /** Pods labelled `airunway.ai/model-deployment: <name>`: heads and workers of every cluster. */
  readonly pods?: readonly Pod[];
  readonly events?: readonly ObservedEvent[];
}

/** The label KubeRay puts on every pod of a RayCluster, naming it. */
export const RAY_CLUSTER_LABEL = 'ray.io/cluster';

/** The RayService among observed objects, for the generic Provider interface. */
export function kuberayObservedFrom(md: ModelDeployment, observed: ObservedState): KuberayObserved {
  const rayService = observed.objects.find(
    (o) =>
      o.apiVersion === RAY_API_VERSION && o.kind === RAY_SERVICE_KIND && o.metadata.name === md.metadata.name,
  ) as RayService | undefined;
  return { rayService, pods: observed.pods, events: observed.events };
}

interface Cluster {
  readonly name: string;
  readonly status: RayServiceClusterStatus;
}

export function kuberayStatus(md: ModelDeployment, observed: KuberayObserved): ProviderStatus {
  const name = md.metadata.name;
  const requested = md.spec.scaling.replicas ?? 1;
  const result = (
    phase: ProviderPhase,
    reason: string,
    message: string,
    replicas: ProviderStatus['replicas'],
  ): ProviderStatus => ({
    phase,
    reason,
    message: tail(message, 4 * MAX_DETAIL),
    replicas,
    endpoint: { service: serveServiceName(name), port: KUBERAY_SERVE_PORT },
    resourceName: name,
    resourceKind: RAY_SERVICE_KIND,
  });

  const rayService = observed.rayService;
  if (rayService === undefined) {
    return result('Pending', 'RayServiceNotCreated', `RayService ${name} is not created yet`, {
      desired: requested,
      ready: 0,
      available: 0,
    });
  }

  if (rayService.status === undefined) {
    return result(
      'Pending',
      'WaitingForKubeRay',
      `KubeRay has not picked up RayService ${name} yet; check that the KubeRay operator is running`,
      { desired: requested, ready: 0, available: 0 },
    );
  }
  const status = rayService.status;
  const conditions = status.conditions;
  const isTrue = (type: string) => findCondition(conditions, type)?.status === 'True';
  const readyCondition = findCondition(conditions, 'Ready');
  const serving = readyCondition?.status === 'True';
  const generation = rayService.metadata.generation;
  const observedLatest = generation === undefined || (status.observedGeneration ?? -1) >= generation;
  const active = cluster(status.activeServiceStatus);
  const pending = cluster(status.pendingServiceStatus);
  // The cluster the latest spec is converging on.
  const current = pending ?? active;

  const desired = desiredReplicas(md, requested, current);
  const readyWorkers = active?.status.rayClusterStatus === undefined ? desired : workerCount(active.status);
  const ready = serving ? Math.min(desired, readyWorkers) : 0;
  const replicas = { desired, ready, available: ready };

  if (requested === 0) {
    return isTrue('Suspended') && observedLatest
      ? result(
          'Running',
          'ScaledToZero',
          'scaled to zero (scaling.replicas is 0): the Ray cluster is deleted until replicas go up again',
          replicas,
        )
      : result('Deploying', 'ScalingDown', 'scaling to zero: KubeRay is deleting the Ray cluster', replicas);
  }
  if (isTrue('Suspended') || isTrue('Suspending')) {
    return result(
      'Deploying',
      'Resuming',
      'scaling up from zero: KubeRay is recreating the Ray cluster',
      replicas,
    );
  }

  if (readyCondition?.status === 'False' && readyCondition.reason === 'ValidationFailed') {
    return result(
      'Failed',
      'InvalidRayService',
      `KubeRay rejected RayService ${name}: ${readyCondition.message ?? 'validation failed'}`,
      replicas,
    );
  }
  if (readyCondition?.status === 'False' && readyCondition.reason === 'InitializingTimeout') {
    return result(
      'Failed',
      'InitializingTimeout',
      `${readyCondition.message ?? 'RayService did not become ready in time'}; KubeRay does not retry, ` +
        'delete and recreate the ModelDeployment',
      replicas,
    );
  }

  const stillServing =
    serving && pending !== undefined && active !== undefined
      ? `; RayCluster ${active.name} keeps serving the previous version`
      : '';

  for (const candidate of [pending, active]) {
    const app = application(candidate);
    if (candidate === undefined || app?.status !== 'DEPLOY_FAILED') continue;
    return result(
      'Failed',
      'ApplicationDeployFailed',
      `Ray Serve application "${SERVE_APP_NAME}" on RayCluster ${candidate.name} failed to deploy` +
        detail(app) +
        (candidate === pending ? stillServing : ''),
      replicas,
    );
  }

  const pods = clusterPods(observed.pods ?? [], current?.name);
  const failing = failingContainer(pods);
  if (failing) return result('Failed', failing.reason, failing.message + stillServing, replicas);

  const replicaFailure = findCondition(current?.status.rayClusterStatus?.conditions, 'ReplicaFailure');
  if (current !== undefined && replicaFailure?.status === 'True') {
    return result(
      'Failed',
      'ReplicaFailure',
      `cannot create pods for RayCluster ${current.name}` +
        (replicaFailure.message ? `: ${replicaFailure.message}` : '') +
        stillServing,
      replicas,
    );
  }

  const activeApp = application(active);
  if (
    serving &&
    pending === undefined &&
    observedLatest &&
    activeApp?.status === 'RUNNING' &&
    ready >= desired
  ) {
    return result(
      'Running',
      'ApplicationRunning',
      `${ready}/${desired} replicas ready; Ray Serve application "${SERVE_APP_NAME}" is RUNNING`,
      replicas,
    );
  }
  if (serving && pending === undefined && activeApp?.status === 'UNHEALTHY') {
    return result(
      'Deploying',
      'ApplicationUnhealthy',
      `Ray Serve application "${SERVE_APP_NAME}" is UNHEALTHY and replacing replicas` + detail(activeApp),
      replicas,
    );
  }

  const unschedulable = unschedulablePods(pods, observed.events);
  if (unschedulable.length > 0) {
    return result(
      serving ? 'Deploying' : 'Pending',
      'Unschedulable',
      (pending !== undefined && active !== undefined
        ? `the new RayCluster ${pending.name} cannot start: `
        : '') +
        unschedulableMessage(unschedulable) +
        stillServing,
      replicas,
    );
  }

  const progress = podProgress(pods, observed.events);
  const then = progress === undefined ? '' : `; ${progress}`;
  if (pending !== undefined && active !== undefined) {
    return result(
      'Deploying',
      'UpgradeInProgress',
      `RayCluster ${pending.name} is starting for the changed spec and takes over from ${active.name} once its ` +
        `application runs` +
        appState(application(pending)) +
        then +
        stillServing,
      replicas,
    );
  }
  if (!observedLatest) {
    return result(
      'Deploying',
      'RolloutInProgress',
      `waiting for KubeRay to observe generation ${generation} of RayService ${name}`,
      replicas,
    );
  }
  if (serving && activeApp?.status !== undefined && activeApp.status !== 'RUNNING') {
    return result(
      'Deploying',
      'ApplicationDeploying',
      `Ray Serve is applying the changed configuration${appState(activeApp)}${then}`,
      replicas,
    );
  }
  if (serving) {
    return result(
      'Deploying',
      'ScalingUp',
      `waiting for replicas: ${ready} of ${desired} ready${then}`,
      replicas,
    );
  }
  const starting =
    current === undefined
      ? 'KubeRay is creating the Ray cluster'
      : `Ray cluster ${current.name} is starting` + appState(application(current));
  return result('Deploying', 'Initializing', starting + then, replicas);
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────

function cluster(status: RayServiceClusterStatus | undefined): Cluster | undefined {
  const name = status?.rayClusterName;
  return status === undefined || name === undefined || name === '' ? undefined : { name, status };
}

/** The model's Serve application, under its own name or as the only one there is. */
function application(of: Cluster | undefined): ServeApplicationStatus | undefined {
  const apps = of?.status.applicationStatuses;
  if (apps === undefined) return undefined;
  const values = Object.values(apps);
  return apps[SERVE_APP_NAME] ?? (values.length === 1 ? values[0] : undefined);
}

/** Ready worker pods; KubeRay omits the field when it is 0. */
function workerCount(status: RayServiceClusterStatus): number {
  return status.rayClusterStatus?.readyWorkerReplicas ?? 0;
}

/**
 * scaling.replicas, except with autoscaling overrides, where the Ray autoscaler decides and the
 * cluster reports its current target.
 */
function desiredReplicas(md: ModelDeployment, requested: number, current: Cluster | undefined): number {
  if (requested === 0) return 0;
  const overrides = readOverrides(md.spec, 'kuberay', KUBERAY_OVERRIDE_FIELDS);
  const autoscaling = overrides.ok && overrides.values.has('autoscaling.maxReplicas');
  const reported = current?.status.rayClusterStatus?.desiredWorkerReplicas;
  return autoscaling && reported !== undefined ? reported : requested;
}

function clusterPods(pods: readonly Pod[], clusterName: string | undefined): Pod[] {
  if (clusterName === undefined) return [...pods];
  return pods.filter((p) => p.metadata.labels?.[RAY_CLUSTER_LABEL] === clusterName);
}

/** "; Ray Serve application "llm" is DEPLOYING: …" */
function appState(app: ServeApplicationStatus | undefined): string {
  if (app?.status === undefined) return '';
  return `; Ray Serve application "${SERVE_APP_NAME}" is ${app.status}` + detail(app);
}

/**
 * ": <application message>; deployment D is S: <message>" for the deployments that are not
 * healthy. Ray Serve's messages end with the Python exception, so long ones keep their end.
 */
function detail(app: ServeApplicationStatus): string {
  const parts: string[] = [];
  const message = app.message?.trim();
  if (message) parts.push(tail(message, MAX_DETAIL));
  const deployments = Object.entries(app.serveDeploymentStatuses ?? {}).sort(([a], [b]) => byCodePoint(a, b));
  for (const [deployment, state] of deployments) {
    if (state.status === undefined || state.status === 'HEALTHY') continue;
    const text = state.message?.trim();
    if (text && message?.includes(text)) continue;
    parts.push(`deployment ${deployment} is ${state.status}${text ? `: ${tail(text, MAX_DETAIL)}` : ''}`);
  }
  return parts.length === 0 ? '' : `: ${parts.join('; ')}`;
}
