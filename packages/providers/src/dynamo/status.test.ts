import type { ModelDeployment } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../kubernetes.js';
import type { ProviderStatus } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { dynamoProvider } from './index.js';
import type {
  DynamoComponentStatus,
  DynamoGraphDeploymentStatus,
  ObservedDynamoGraphDeployment,
} from './render.js';
import { dynamoStatus } from './status.js';

const pd = example('llama-70b-pd');
const agg = example('llama-8b');

/** The object as the operator's cache holds it: metadata and status, no spec. */
function dgd(
  of: ModelDeployment,
  status: DynamoGraphDeploymentStatus | undefined,
  options: { generation?: number; engine?: string } = {},
): ObservedDynamoGraphDeployment {
  return {
    apiVersion: 'nvidia.com/v1beta1',
    kind: 'DynamoGraphDeployment',
    metadata: {
      name: of.metadata.name,
      generation: options.generation ?? 1,
      labels: { 'airunway.ai/engine': options.engine ?? 'vllm' },
    },
    ...(status ? { status } : {}),
  };
}

const deployment = (replicas: number, ready: number): DynamoComponentStatus => ({
  componentKind: 'Deployment',
  replicas,
  updatedReplicas: replicas,
  readyReplicas: ready,
  availableReplicas: ready,
});

const readyCondition = (status: 'True' | 'False', reason: string, message: string) => ({
  type: 'Ready',
  status,
  reason,
  message,
  observedGeneration: 1,
});

const PD_ENDPOINT = {
  endpoint: { service: 'llama-70b-pd-frontend', port: 8000 },
  resourceName: 'llama-70b-pd',
  resourceKind: 'DynamoGraphDeployment',
};

describe('Dynamo status of llama-70b-pd', () => {
  it.each<[string, ObservedDynamoGraphDeployment | undefined, Partial<ProviderStatus>]>([
    [
      'no DynamoGraphDeployment yet',
      undefined,
      {
        phase: 'Pending',
        reason: 'DynamoGraphDeploymentNotCreated',
        message: 'DynamoGraphDeployment llama-70b-pd is not created yet',
        replicas: { desired: 6, ready: 0, available: 0 },
      },
    ],
    [
      'no status from the Dynamo operator',
      dgd(pd, undefined),
      {
        phase: 'Pending',
        reason: 'WaitingForDynamoOperator',
        message:
          'the Dynamo operator has not reported on DynamoGraphDeployment llama-70b-pd yet; check that it runs ' +
          '(Helm release dynamo-platform, namespace dynamo-system)',
        replicas: { desired: 6, ready: 0, available: 0 },
      },
    ],
    [
      'a generation the Dynamo operator has not acted on',
      dgd(
        pd,
        {
          state: 'successful',
          observedGeneration: 1,
          components: {
            Frontend: deployment(2, 2),
            VllmPrefillWorker: deployment(2, 2),
            VllmDecodeWorker: deployment(4, 4),
          },
        },
        { generation: 2 },
      ),
      {
        phase: 'Deploying',
        reason: 'WaitingForDynamoOperator',
        message:
          'waiting for the Dynamo operator to act on generation 2 of DynamoGraphDeployment llama-70b-pd',
        replicas: { desired: 6, ready: 6, available: 6 },
      },
    ],
    [
      'every component ready',
      dgd(pd, {
        state: 'successful',
        observedGeneration: 1,
        conditions: [readyCondition('True', 'all_resources_are_ready', 'All resources are ready')],
        components: {
          Frontend: deployment(2, 2),
          VllmPrefillWorker: deployment(2, 2),
          VllmDecodeWorker: deployment(4, 4),
        },
      }),
      {
        phase: 'Running',
        reason: 'AllComponentsReady',
        message: 'Frontend 2/2, VllmPrefillWorker 2/2, VllmDecodeWorker 4/4 ready',
        replicas: { desired: 6, ready: 6, available: 6 },
      },
    ],
    [
      'decode workers still loading',
      dgd(pd, {
        state: 'pending',
        observedGeneration: 1,
        conditions: [
          readyCondition(
            'False',
            'pods_not_ready',
            'Resources not ready: llama-70b-pd-vllmdecodeworker: 2/4 replicas ready',
          ),
        ],
        components: {
          Frontend: deployment(2, 2),
          VllmPrefillWorker: deployment(2, 2),
          VllmDecodeWorker: deployment(4, 2),
        },
      }),
      {
        phase: 'Deploying',
        reason: 'ComponentsNotReady',
        message:
          'waiting for VllmDecodeWorker (2/4 ready); Dynamo: Resources not ready: llama-70b-pd-vllmdecodeworker: ' +
          '2/4 replicas ready',
        replicas: { desired: 6, ready: 4, available: 4 },
      },
    ],
    [
      'no GPUs for any worker (Grove reports what it scheduled)',
      dgd(pd, {
        state: 'pending',
        observedGeneration: 1,
        conditions: [
          readyCondition(
            'False',
            'insufficient_capacity',
            'Resources not ready: llama-70b-pd: 0/2 scheduled',
          ),
        ],
        components: {
          Frontend: {
            componentKind: 'PodClique',
            replicas: 2,
            updatedReplicas: 2,
            readyReplicas: 2,
            scheduledReplicas: 2,
          },
          VllmPrefillWorker: {
            componentKind: 'PodClique',
            replicas: 2,
            updatedReplicas: 2,
            readyReplicas: 0,
            scheduledReplicas: 0,
          },
          VllmDecodeWorker: {
            componentKind: 'PodClique',
            replicas: 4,
            updatedReplicas: 4,
            readyReplicas: 0,
            scheduledReplicas: 1,
          },
        },
      }),
      {
        phase: 'Pending',
        reason: 'InsufficientCapacity',
        message:
          'not enough capacity to schedule every pod: waiting for VllmPrefillWorker (0/2 ready, 0 scheduled), ' +
          'VllmDecodeWorker (0/4 ready, 1 scheduled); Dynamo: Resources not ready: llama-70b-pd: 0/2 scheduled',
        replicas: { desired: 6, ready: 0, available: 0 },
      },
    ],
    [
      'a rolling update',
      dgd(pd, {
        state: 'pending',
        observedGeneration: 1,
        rollingUpdate: { phase: 'InProgress' },
        conditions: [readyCondition('False', 'rolling_update_in_progress', 'Rolling update in progress')],
        components: {
          Frontend: deployment(2, 2),
          VllmPrefillWorker: deployment(2, 2),
          VllmDecodeWorker: deployment(5, 4),
        },
      }),
      {
        phase: 'Deploying',
        reason: 'RolloutInProgress',
        message:
          'rollout in progress: waiting for the Dynamo operator to report DynamoGraphDeployment llama-70b-pd ready; Dynamo: Rolling update in progress',
        replicas: { desired: 6, ready: 6, available: 6 },
      },
    ],
    [
      'a failure the Dynamo operator reports',
      dgd(pd, {
        state: 'failed',
        observedGeneration: 1,
        conditions: [
          readyCondition(
            'False',
            'failed_to_reconcile_the_resources',
            'admission webhook denied the request: PodCliqueSet name too long',
          ),
        ],
      }),
      {
        phase: 'Failed',
        reason: 'FailedToReconcileTheResources',
        message:
          'the Dynamo operator reports DynamoGraphDeployment llama-70b-pd as failed: admission webhook denied the ' +
          'request: PodCliqueSet name too long',
        replicas: { desired: 6, ready: 0, available: 0 },
      },
    ],
  ])('%s', (_, observed, expected) => {
    expect(dynamoStatus(pd, { dgd: observed, pods: [] })).toEqual({ ...PD_ENDPOINT, ...expected });
  });

  it('is not Running while the Frontend is not ready, though every worker is', () => {
    const status = dynamoStatus(pd, {
      dgd: dgd(pd, {
        state: 'pending',
        observedGeneration: 1,
        conditions: [readyCondition('False', 'pods_not_ready', '')],
        components: {
          Frontend: deployment(2, 1),
          VllmPrefillWorker: deployment(2, 2),
          VllmDecodeWorker: deployment(4, 4),
        },
      }),
    });
    expect(status).toMatchObject({
      phase: 'Deploying',
      reason: 'ComponentsNotReady',
      message: 'waiting for Frontend (1/2 ready)',
      replicas: { desired: 6, ready: 6, available: 6 },
    });
  });

  it('is not Running while a component falls short, whatever the state says', () => {
    const status = dynamoStatus(pd, {
      dgd: dgd(pd, {
        state: 'successful',
        observedGeneration: 1,
        components: {
          Frontend: deployment(2, 2),
          VllmPrefillWorker: deployment(2, 2),
          VllmDecodeWorker: deployment(4, 3),
        },
      }),
    });
    expect(status).toMatchObject({ phase: 'Deploying', message: 'waiting for VllmDecodeWorker (3/4 ready)' });
  });

  it('counts scaling groups, which report available replicas only', () => {
    const group = (replicas: number, available: number): DynamoComponentStatus => ({
      componentKind: 'PodCliqueScalingGroup',
      replicas,
      updatedReplicas: replicas,
      availableReplicas: available,
    });
    const status = dynamoStatus(pd, {
      dgd: dgd(pd, {
        state: 'successful',
        observedGeneration: 1,
        components: {
          Frontend: deployment(2, 2),
          VllmPrefillWorker: group(2, 2),
          VllmDecodeWorker: group(4, 4),
        },
      }),
    });
    expect(status).toMatchObject({ phase: 'Running', replicas: { desired: 6, ready: 6, available: 6 } });
  });

  it('waits for components Dynamo has not reported', () => {
    const status = dynamoStatus(pd, {
      dgd: dgd(pd, {
        state: 'initializing',
        observedGeneration: 1,
        components: { Frontend: deployment(2, 2) },
      }),
    });
    expect(status).toMatchObject({
      phase: 'Deploying',
      reason: 'ComponentsNotReady',
      message: 'waiting for VllmPrefillWorker (not reported yet), VllmDecodeWorker (not reported yet)',
    });
  });
});

describe('Dynamo status: what the pods say', () => {
  const pending = (components: Record<string, DynamoComponentStatus>, reason = 'pods_not_ready') =>
    dgd(pd, {
      state: 'pending',
      observedGeneration: 1,
      conditions: [readyCondition('False', reason, '')],
      components,
    });
  const pod = (name: string, component: string, status: Pod['status']): Pod => ({
    metadata: {
      name,
      labels: { 'airunway.ai/model-deployment': 'llama-70b-pd', 'nvidia.com/dynamo-component': component },
    },
    status,
  });
  const SCHEDULER =
    '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available.';
  const unschedulable = (name: string, component: string) =>
    pod(name, component, {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: SCHEDULER }],
    });

  it("is Pending with the scheduler's message while no worker can be placed", () => {
    const status = dynamoStatus(pd, {
      dgd: pending(
        {
          Frontend: deployment(2, 2),
          VllmPrefillWorker: deployment(2, 0),
          VllmDecodeWorker: deployment(4, 0),
        },
        'insufficient_capacity',
      ),
      pods: [
        unschedulable('llama-70b-pd-vllmprefillworker-0', 'VllmPrefillWorker'),
        unschedulable('llama-70b-pd-vllmprefillworker-1', 'VllmPrefillWorker'),
      ],
    });
    expect(status).toMatchObject({
      phase: 'Pending',
      reason: 'Unschedulable',
      message:
        'waiting for VllmPrefillWorker (0/2 ready), VllmDecodeWorker (0/4 ready): pod ' +
        `llama-70b-pd-vllmprefillworker-0 cannot be scheduled (and 1 more pod): ${SCHEDULER}`,
    });
  });

  it('is Deploying, not Pending, when some workers serve while others cannot be placed', () => {
    const status = dynamoStatus(pd, {
      dgd: pending({
        Frontend: deployment(2, 2),
        VllmPrefillWorker: deployment(2, 2),
        VllmDecodeWorker: deployment(4, 3),
      }),
      pods: [unschedulable('llama-70b-pd-vllmdecodeworker-3', 'VllmDecodeWorker')],
    });
    expect(status).toMatchObject({ phase: 'Deploying', reason: 'Unschedulable' });
  });

  it('fails with the crashing container, its component, exit code and log tail', () => {
    const status = dynamoStatus(pd, {
      dgd: pending({
        Frontend: deployment(2, 2),
        VllmPrefillWorker: deployment(2, 0),
        VllmDecodeWorker: deployment(4, 0),
      }),
      pods: [
        pod('llama-70b-pd-vllmdecodeworker-0', 'VllmDecodeWorker', {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'main',
              restartCount: 4,
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: 'back-off 1m20s restarting failed container',
                },
              },
              lastState: {
                terminated: {
                  exitCode: 1,
                  reason: 'Error',
                  message: 'torch.OutOfMemoryError: CUDA out of memory',
                },
              },
            },
          ],
        }),
      ],
    });
    expect(status).toMatchObject({
      phase: 'Failed',
      reason: 'CrashLoopBackOff',
      message:
        'VllmDecodeWorker: pod llama-70b-pd-vllmdecodeworker-0: container main is in CrashLoopBackOff: back-off ' +
        '1m20s restarting failed container; last exit code 1 (Error): torch.OutOfMemoryError: CUDA out of memory',
    });
  });

  it('says which worker is still loading the model', () => {
    const status = dynamoStatus(pd, {
      dgd: pending({
        Frontend: deployment(2, 2),
        VllmPrefillWorker: deployment(2, 1),
        VllmDecodeWorker: deployment(4, 4),
      }),
      pods: [
        pod('llama-70b-pd-vllmprefillworker-1', 'VllmPrefillWorker', {
          phase: 'Running',
          conditions: [
            { type: 'PodScheduled', status: 'True' },
            { type: 'Ready', status: 'False' },
          ],
          containerStatuses: [{ name: 'main', ready: false, started: false, state: { running: {} } }],
        }),
      ],
    });
    expect(status).toMatchObject({
      phase: 'Deploying',
      reason: 'ComponentsNotReady',
      message:
        'waiting for VllmPrefillWorker (1/2 ready); VllmPrefillWorker: pod llama-70b-pd-vllmprefillworker-1: ' +
        'container main is starting (downloading and loading the model)',
    });
  });
});

describe('Dynamo status: aggregated and scaled', () => {
  it('counts the worker replicas of scaling.replicas', () => {
    const status = dynamoStatus(agg, {
      dgd: dgd(agg, {
        state: 'successful',
        observedGeneration: 1,
        components: { Frontend: deployment(1, 1), VllmWorker: deployment(1, 1) },
      }),
    });
    expect(status).toEqual({
      phase: 'Running',
      reason: 'AllComponentsReady',
      message: 'Frontend 1/1, VllmWorker 1/1 ready',
      replicas: { desired: 1, ready: 1, available: 1 },
      endpoint: { service: 'llama-8b-frontend', port: 8000 },
      resourceName: 'llama-8b',
      resourceKind: 'DynamoGraphDeployment',
    });
  });

  it('is Running when scaled to zero, and scaling down until the workers are gone', () => {
    const zero = md({
      metadata: { name: 'zero' },
      spec: {
        model: { id: 'a/b' },
        engine: { type: 'vllm' },
        scaling: { replicas: 0 },
        resources: { gpu: { count: 1 } },
      },
    });
    const observed = (left: number) => ({
      dgd: dgd(zero, {
        state: 'successful',
        observedGeneration: 1,
        components: { Frontend: deployment(1, 1), VllmWorker: deployment(left, 0) },
      }),
    });
    expect(dynamoStatus(zero, observed(0))).toMatchObject({
      phase: 'Running',
      reason: 'ScaledToZero',
      replicas: { desired: 0, ready: 0, available: 0 },
    });
    expect(dynamoStatus(zero, observed(1))).toMatchObject({
      phase: 'Deploying',
      reason: 'ScalingDown',
      message: 'scaling down to zero: 1 worker pods left',
    });
  });

  it('names the components after the engine the object was rendered for', () => {
    const sglang = md({
      metadata: { name: 'sg' },
      spec: {
        model: { id: 'a/b' },
        serving: { mode: 'disaggregated' },
        scaling: { prefill: { gpu: { count: 1 } }, decode: { replicas: 2, gpu: { count: 1 } } },
      },
    });
    const status = dynamoStatus(sglang, {
      dgd: dgd(
        sglang,
        {
          state: 'pending',
          observedGeneration: 1,
          components: {
            Frontend: deployment(1, 1),
            SGLangPrefillWorker: deployment(1, 1),
            SGLangDecodeWorker: deployment(2, 0),
          },
        },
        { engine: 'sglang' },
      ),
    });
    expect(status).toMatchObject({
      message: 'waiting for SGLangDecodeWorker (0/2 ready)',
      replicas: { desired: 3, ready: 1, available: 1 },
    });
  });
});

describe('Dynamo status through the Provider interface', () => {
  it('finds the DynamoGraphDeployment among the observed objects', () => {
    const status = dynamoProvider.status(agg, {
      objects: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'llama-8b' } },
        dgd(agg, {
          state: 'successful',
          observedGeneration: 1,
          components: { Frontend: deployment(1, 1), VllmWorker: deployment(1, 1) },
        }),
      ],
      pods: [],
    });
    expect(status.phase).toBe('Running');
    expect(dynamoProvider.status(agg, { objects: [], pods: [] }).reason).toBe(
      'DynamoGraphDeploymentNotCreated',
    );
  });
});
