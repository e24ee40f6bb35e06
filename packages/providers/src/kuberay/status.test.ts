import { describe, expect, it } from 'vitest';
import type { ModelDeploymentInput } from '@airunway/schema';
import type { ObjectCondition, ObservedEvent, Pod } from '../kubernetes.js';
import type { ObservedObject } from '../provider.js';
import { md } from '../testing/fixtures.js';
import { kuberayProvider } from './index.js';
import type {
  RayService,
  RayServiceClusterStatus,
  RayServiceStatus,
  ServeApplicationStatus,
} from './ray-service.js';
import { kuberayStatus } from './status.js';

type Spec = ModelDeploymentInput['spec'];
function qwen(spec: Partial<Spec> = {}) {
  return md({
    metadata: { name: 'qwen', namespace: 'models' },
    spec: {
      model: { id: 'Qwen/Qwen3-0.6B' },
      engine: { type: 'vllm' },
      provider: { name: 'kuberay' },
      resources: { gpu: { count: 1 } },
      scaling: { replicas: 2 },
      ...spec,
    },
  });
}

const ENDPOINT = {
  endpoint: { service: 'qwen-serve-svc', port: 8000 },
  resourceName: 'qwen',
  resourceKind: 'RayService',
};
const OLD = 'qwen-abcde';
const NEW = 'qwen-fghij';
const LLM_DEPLOYMENT = 'LLMServer:Qwen3-0_6B';

function condition(type: string, status: 'True' | 'False', reason: string, message = ''): ObjectCondition {
  return { type, status, reason, message, lastTransitionTime: '2026-08-20T10:00:00Z' };
}

function rayService(status: RayServiceStatus | undefined, generation = 1): RayService {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'qwen', namespace: 'models', generation },
    spec: {
      serveConfigV2: '',
      rayClusterConfig: {
        headGroupSpec: {
          rayStartParams: {},
          template: { metadata: { labels: {} }, spec: { containers: [] } },
        },
        workerGroupSpecs: [],
      },
    },
    ...(status === undefined ? {} : { status: { observedGeneration: generation, ...status } }),
  };
}

function app(status: string, message = '', deployments: Record<string, string> = {}): ServeApplicationStatus {
  return {
    status,
    message,
    serveDeploymentStatuses: Object.fromEntries(
      Object.entries(deployments).map(([name, state]) => {
        const [s = '', m = ''] = state.split('|');
        return [name, { status: s, message: m }];
      }),
    ),
  };
}

function clusterStatus(
  name: string,
  application: ServeApplicationStatus | undefined,
  workers: { ready?: number; desired?: number; conditions?: ObjectCondition[] } = {},
): RayServiceClusterStatus {
  return {
    rayClusterName: name,
    ...(application === undefined ? {} : { applicationStatuses: { llm: application } }),
    rayClusterStatus: {
      ...(workers.ready ? { readyWorkerReplicas: workers.ready } : {}),
      desiredWorkerReplicas: workers.desired ?? 2,
      conditions: workers.conditions ?? [],
    },
  };
}

const READY = condition(
  'Ready',
  'True',
  'NonZeroServeEndpoints',
  'Number of serve endpoints is greater than 0',
);
const INITIALIZING = condition('Ready', 'False', 'Initializing', 'RayService is initializing');

function pod(name: string, cluster: string, status: Pod['status']): Pod {
  return {
    metadata: {
      name,
      namespace: 'models',
      labels: { 'airunway.ai/model-deployment': 'qwen', 'ray.io/cluster': cluster },
    },
    status,
  };
}
const readyPod = (name: string, cluster: string) =>
  pod(name, cluster, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'ray', ready: true, started: true, state: { running: {} } }],
  });
const startingPod = (name: string, cluster: string) =>
  pod(name, cluster, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [{ name: 'ray-worker', ready: false, started: true, state: { running: {} } }],
  });
const unschedulablePod = (name: string, cluster: string) =>
  pod(name, cluster, {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
      },
    ],
  });

describe('KubeRay status', () => {
  it('is Pending before the RayService exists', () => {
    expect(kuberayStatus(qwen(), {})).toEqual({
      phase: 'Pending',
      reason: 'RayServiceNotCreated',
      message: 'RayService qwen is not created yet',
      replicas: { desired: 2, ready: 0, available: 0 },
      ...ENDPOINT,
    });
  });

  it('is Pending, pointing at the KubeRay operator, while KubeRay has not reported anything', () => {
    expect(kuberayStatus(qwen(), { rayService: rayService(undefined) })).toMatchObject({
      phase: 'Pending',
      reason: 'WaitingForKubeRay',
      message: 'KubeRay has not picked up RayService qwen yet; check that the KubeRay operator is running',
    });
  });

  it('is Deploying while KubeRay prepares the first cluster', () => {
    expect(kuberayStatus(qwen(), { rayService: rayService({ conditions: [INITIALIZING] }) })).toMatchObject({
      phase: 'Deploying',
      reason: 'Initializing',
      message: 'KubeRay is creating the Ray cluster',
    });
  });

  it('reports the application and the pods while the first cluster starts', () => {
    const status = kuberayStatus(qwen(), {
      rayService: rayService({
        conditions: [INITIALIZING],
        pendingServiceStatus: clusterStatus(
          NEW,
          app('DEPLOYING', '', {
            [LLM_DEPLOYMENT]:
              'UPDATING|Deployment has 1 replicas that have taken more than 30s to initialize.',
            OpenAiIngress: 'HEALTHY|',
          }),
        ),
      }),
      pods: [readyPod(`${NEW}-head-x`, NEW), startingPod(`${NEW}-gpu-workers-worker-a`, NEW)],
    });
    expect(status).toEqual({
      phase: 'Deploying',
      reason: 'Initializing',
      message:
        `Ray cluster ${NEW} is starting; Ray Serve application "llm" is DEPLOYING: deployment ${LLM_DEPLOYMENT} ` +
        'is UPDATING: Deployment has 1 replicas that have taken more than 30s to initialize.; ' +
        `pod ${NEW}-gpu-workers-worker-a: container ray-worker is running but not ready`,
      replicas: { desired: 2, ready: 0, available: 0 },
      ...ENDPOINT,
    });
  });

  it('is Pending with the scheduler message when a GPU worker cannot be placed', () => {
    const events: ObservedEvent[] = [];
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [INITIALIZING],
          pendingServiceStatus: clusterStatus(NEW, undefined),
        }),
        pods: [
          readyPod(`${NEW}-head-x`, NEW),
          unschedulablePod(`${NEW}-gpu-workers-worker-a`, NEW),
          unschedulablePod(`${NEW}-gpu-workers-worker-b`, NEW),
        ],
        events,
      }),
    ).toMatchObject({
      phase: 'Pending',
      reason: 'Unschedulable',
      message:
        `pod ${NEW}-gpu-workers-worker-a cannot be scheduled (and 1 more pod): ` +
        '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
    });
  });

  it('is Failed with the crash and the end of the log when a container crash-loops', () => {
    const crashing = pod(`${NEW}-gpu-workers-worker-a`, NEW, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'ray-worker',
          restartCount: 4,
          state: {
            waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' },
          },
          lastState: {
            terminated: { exitCode: 1, reason: 'Error', message: 'RuntimeError: CUDA driver too old\n' },
          },
        },
      ],
    });
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [INITIALIZING],
          pendingServiceStatus: clusterStatus(NEW, undefined),
        }),
        pods: [crashing],
      }),
    ).toMatchObject({
      phase: 'Failed',
      reason: 'CrashLoopBackOff',
      message:
        `pod ${NEW}-gpu-workers-worker-a: container ray-worker is in CrashLoopBackOff: back-off 1m20s restarting ` +
        'failed container; last exit code 1 (Error): RuntimeError: CUDA driver too old',
    });
  });

  it('is Failed with the end of the application message when Ray Serve cannot deploy it', () => {
    const traceback = `Traceback (most recent call last):\n${'  File "x.py", line 1\n'.repeat(300)}ValueError: Unknown engine argument: max_num_seq`;
    const status = kuberayStatus(qwen(), {
      rayService: rayService({
        conditions: [INITIALIZING],
        pendingServiceStatus: clusterStatus(
          NEW,
          app('DEPLOY_FAILED', traceback, { [LLM_DEPLOYMENT]: 'DEPLOY_FAILED|replica failed to start' }),
        ),
      }),
    });
    expect(status).toMatchObject({ phase: 'Failed', reason: 'ApplicationDeployFailed' });
    expect(status.message).toMatch(
      new RegExp(`^Ray Serve application "llm" on RayCluster ${NEW} failed to deploy: …`),
    );
    expect(status.message).toMatch(
      /ValueError: Unknown engine argument: max_num_seq; deployment LLMServer:Qwen3-0_6B is DEPLOY_FAILED: replica failed to start$/,
    );
  });

  it('is Failed when KubeRay cannot create the pods', () => {
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [INITIALIZING],
          pendingServiceStatus: clusterStatus(NEW, undefined, {
            conditions: [
              condition(
                'ReplicaFailure',
                'True',
                'FailedCreateWorkerPod',
                'pods "x" is forbidden: exceeded quota',
              ),
            ],
          }),
        }),
      }),
    ).toMatchObject({
      phase: 'Failed',
      reason: 'ReplicaFailure',
      message: `cannot create pods for RayCluster ${NEW}: pods "x" is forbidden: exceeded quota`,
    });
  });

  it('is Running when the application runs on every desired worker', () => {
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [READY],
          activeServiceStatus: clusterStatus(OLD, app('RUNNING'), { ready: 2 }),
        }),
      }),
    ).toEqual({
      phase: 'Running',
      reason: 'ApplicationRunning',
      message: '2/2 replicas ready; Ray Serve application "llm" is RUNNING',
      replicas: { desired: 2, ready: 2, available: 2 },
      ...ENDPOINT,
    });
  });

  it('is Deploying while workers of a scale-up start', () => {
    expect(
      kuberayStatus(qwen({ scaling: { replicas: 3 } }), {
        rayService: rayService({
          conditions: [READY],
          activeServiceStatus: clusterStatus(OLD, app('RUNNING'), { ready: 2 }),
        }),
        pods: [readyPod(`${OLD}-w-a`, OLD), readyPod(`${OLD}-w-b`, OLD), startingPod(`${OLD}-w-c`, OLD)],
      }),
    ).toMatchObject({
      phase: 'Deploying',
      reason: 'ScalingUp',
      message: `waiting for replicas: 2 of 3 ready; pod ${OLD}-w-c: container ray-worker is running but not ready`,
      replicas: { desired: 3, ready: 2, available: 2 },
    });
  });

  it('is Deploying while KubeRay has not seen the latest generation', () => {
    expect(
      kuberayStatus(qwen(), {
        rayService: {
          ...rayService({
            conditions: [READY],
            activeServiceStatus: clusterStatus(OLD, app('RUNNING'), { ready: 2 }),
          }),
          metadata: { name: 'qwen', generation: 3 },
        },
      }),
    ).toMatchObject({
      phase: 'Deploying',
      reason: 'RolloutInProgress',
      message: 'waiting for KubeRay to observe generation 3 of RayService qwen',
    });
  });

  it('is Deploying while Ray Serve applies an in-place change', () => {
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [READY],
          activeServiceStatus: clusterStatus(OLD, app('DEPLOYING'), { ready: 2 }),
        }),
      }),
    ).toMatchObject({
      phase: 'Deploying',
      reason: 'ApplicationDeploying',
      message: 'Ray Serve is applying the changed configuration; Ray Serve application "llm" is DEPLOYING',
      replicas: { desired: 2, ready: 2, available: 2 },
    });
  });

  it('is Deploying while an unhealthy application replaces replicas', () => {
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [READY],
          activeServiceStatus: clusterStatus(
            OLD,
            app('UNHEALTHY', '', { [LLM_DEPLOYMENT]: 'UNHEALTHY|health check failed' }),
            { ready: 2 },
          ),
        }),
      }),
    ).toMatchObject({
      phase: 'Deploying',
      reason: 'ApplicationUnhealthy',
      message: `Ray Serve application "llm" is UNHEALTHY and replacing replicas: deployment ${LLM_DEPLOYMENT} is UNHEALTHY: health check failed`,
    });
  });

  describe('during an upgrade to a new RayCluster', () => {
    const upgrading = (pendingApp: ServeApplicationStatus | undefined) =>
      rayService({
        conditions: [READY, condition('UpgradeInProgress', 'True', 'BothActivePendingClustersExist')],
        activeServiceStatus: clusterStatus(OLD, app('RUNNING'), { ready: 2 }),
        pendingServiceStatus: clusterStatus(NEW, pendingApp),
      });
    const oldPods = [readyPod(`${OLD}-head`, OLD), readyPod(`${OLD}-w-a`, OLD), readyPod(`${OLD}-w-b`, OLD)];

    it('says the new cluster cannot start for lack of GPUs while the old one serves', () => {
      expect(
        kuberayStatus(qwen(), {
          rayService: upgrading(undefined),
          pods: [...oldPods, readyPod(`${NEW}-head`, NEW), unschedulablePod(`${NEW}-w-a`, NEW)],
        }),
      ).toEqual({
        phase: 'Deploying',
        reason: 'Unschedulable',
        message:
          `the new RayCluster ${NEW} cannot start: pod ${NEW}-w-a cannot be scheduled: 0/3 nodes are available: ` +
          `3 Insufficient nvidia.com/gpu.; RayCluster ${OLD} keeps serving the previous version`,
        replicas: { desired: 2, ready: 2, available: 2 },
        ...ENDPOINT,
      });
    });

    it('reports the progress of the new cluster', () => {
      expect(
        kuberayStatus(qwen(), {
          rayService: upgrading(app('DEPLOYING')),
          pods: [...oldPods, readyPod(`${NEW}-head`, NEW), startingPod(`${NEW}-w-a`, NEW)],
        }),
      ).toMatchObject({
        phase: 'Deploying',
        reason: 'UpgradeInProgress',
        message:
          `RayCluster ${NEW} is starting for the changed spec and takes over from ${OLD} once its application runs; ` +
          `Ray Serve application "llm" is DEPLOYING; pod ${NEW}-w-a: container ray-worker is running but not ready; ` +
          `RayCluster ${OLD} keeps serving the previous version`,
      });
    });

    it('is Failed when the new version cannot deploy, and says the old one serves', () => {
      expect(
        kuberayStatus(qwen(), {
          rayService: upgrading(app('DEPLOY_FAILED', 'ValueError: bad')),
          pods: oldPods,
        }),
      ).toMatchObject({
        phase: 'Failed',
        reason: 'ApplicationDeployFailed',
        message:
          `Ray Serve application "llm" on RayCluster ${NEW} failed to deploy: ValueError: bad; ` +
          `RayCluster ${OLD} keeps serving the previous version`,
        replicas: { desired: 2, ready: 2, available: 2 },
      });
    });
  });

  it('is Failed when KubeRay rejects the RayService', () => {
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [
            condition('Ready', 'False', 'ValidationFailed', 'The RayService spec is invalid: bad'),
          ],
        }),
      }),
    ).toMatchObject({
      phase: 'Failed',
      reason: 'InvalidRayService',
      message: 'KubeRay rejected RayService qwen: The RayService spec is invalid: bad',
    });
  });

  it('is Failed after an initializing timeout, which KubeRay never retries', () => {
    expect(
      kuberayStatus(qwen(), {
        rayService: rayService({
          conditions: [
            condition('Ready', 'False', 'InitializingTimeout', 'RayService failed to become ready'),
          ],
        }),
      }),
    ).toMatchObject({ phase: 'Failed', reason: 'InitializingTimeout' });
  });

  describe('at zero replicas', () => {
    const zero = qwen({ scaling: { replicas: 0 } });

    it('is Running once KubeRay has suspended the RayService', () => {
      expect(
        kuberayStatus(zero, {
          rayService: rayService({ conditions: [condition('Suspended', 'True', 'SuspendComplete')] }),
        }),
      ).toMatchObject({
        phase: 'Running',
        reason: 'ScaledToZero',
        replicas: { desired: 0, ready: 0, available: 0 },
      });
    });

    it('is Deploying while the cluster is deleted', () => {
      expect(
        kuberayStatus(zero, {
          rayService: rayService({
            conditions: [READY, condition('Suspending', 'True', 'SuspendRequested')],
            activeServiceStatus: clusterStatus(OLD, app('RUNNING'), { ready: 2 }),
          }),
        }),
      ).toMatchObject({ phase: 'Deploying', reason: 'ScalingDown', replicas: { desired: 0, ready: 0 } });
    });

    it('is Deploying while the cluster comes back', () => {
      expect(
        kuberayStatus(qwen(), {
          rayService: rayService({ conditions: [condition('Suspended', 'True', 'SuspendComplete')] }, 2),
        }),
      ).toMatchObject({ phase: 'Deploying', reason: 'Resuming' });
    });
  });

  it('takes the desired count from the Ray cluster when it autoscales', () => {
    const autoscaled = qwen({
      provider: { name: 'kuberay', overrides: { autoscaling: { minReplicas: 1, maxReplicas: 4 } } },
    });
    expect(
      kuberayStatus(autoscaled, {
        rayService: rayService({
          conditions: [READY],
          activeServiceStatus: clusterStatus(OLD, app('RUNNING'), { ready: 3, desired: 3 }),
        }),
      }),
    ).toMatchObject({ phase: 'Running', replicas: { desired: 3, ready: 3, available: 3 } });
  });

  it('works through the Provider interface on observed objects without a spec', () => {
    const observedRayService: ObservedObject = {
      apiVersion: 'ray.io/v1',
      kind: 'RayService',
      metadata: { name: 'qwen', namespace: 'models', generation: 1 },
      status: {
        observedGeneration: 1,
        conditions: [READY],
        activeServiceStatus: clusterStatus(OLD, app('RUNNING'), { ready: 2 }),
      } satisfies RayServiceStatus,
    };
    expect(kuberayProvider.status(qwen(), { objects: [observedRayService], pods: [] })).toMatchObject({
      phase: 'Running',
      replicas: { desired: 2, ready: 2, available: 2 },
      ...ENDPOINT,
    });
  });
});
