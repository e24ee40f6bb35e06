import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Deployment, ObjectCondition, Pod, ReplicaSet } from '../kubernetes.js';
import type { ProviderStatus } from '../provider.js';
import { example } from '../testing/fixtures.js';
import { vllmProvider } from './index.js';
import { vllmStatus, type VllmObserved } from './status.js';

const qwen = example('qwen-demo');
const ENDPOINT = {
  endpoint: { service: 'qwen-demo', port: 8000 },
  resourceName: 'qwen-demo',
  resourceKind: 'Deployment',
};

interface DeploymentState {
  replicas?: number;
  generation?: number;
  observedGeneration?: number;
  total?: number;
  updated?: number;
  ready?: number;
  available?: number;
  conditions?: ObjectCondition[];
  revision?: string;
}

function deployment(state: DeploymentState): Deployment {
  const generation = state.generation ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'qwen-demo',
      namespace: 'default',
      generation,
      annotations: { 'deployment.kubernetes.io/revision': state.revision ?? '1' },
    },
    spec: {
      replicas: state.replicas ?? 1,
      selector: { matchLabels: { 'airunway.ai/model-deployment': 'qwen-demo' } },
      template: { metadata: { labels: {} }, spec: { containers: [] } },
      progressDeadlineSeconds: 3600,
    },
    status: {
      observedGeneration: state.observedGeneration ?? generation,
      replicas: state.total ?? 0,
      updatedReplicas: state.updated ?? 0,
      readyReplicas: state.ready ?? 0,
      availableReplicas: state.available ?? 0,
      conditions: state.conditions ?? [],
    },
  };
}

function pod(name: string, hash: string, status: Pod['status']): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: { 'airunway.ai/model-deployment': 'qwen-demo', 'pod-template-hash': hash },
    },
    status,
  };
}

function replicaSet(hash: string, revision: string): ReplicaSet {
  return {
    metadata: {
      name: `qwen-demo-${hash}`,
      labels: { 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ kind: 'Deployment', name: 'qwen-demo' }],
    },
  };
}

const readyPod = (name: string, hash = 'new') =>
  pod(name, hash, {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
    containerStatuses: [{ name: 'vllm', ready: true, started: true, state: { running: {} } }],
  });

const loadingPod = (name: string, hash = 'new') =>
  pod(name, hash, {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
    ],
    containerStatuses: [{ name: 'vllm', ready: false, started: false, state: { running: {} } }],
  });

const unschedulablePod = (name: string, message?: string, hash = 'new') =>
  pod(name, hash, {
    phase: 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', ...(message ? { message } : {}) },
    ],
  });

const waitingPod = (name: string, container: ContainerStatus) =>
  pod(name, 'new', {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [container],
  });

const PROGRESSING = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' };
const SCHEDULER =
  '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available.';

describe('Direct vLLM status', () => {
  it.each<[string, VllmObserved, Partial<ProviderStatus>]>([
    [
      'no Deployment yet',
      {},
      {
        phase: 'Pending',
        reason: 'DeploymentNotCreated',
        message: 'Deployment qwen-demo is not created yet',
        replicas: { desired: 1, ready: 0, available: 0 },
      },
    ],
    [
      'Deployment created, no pods yet',
      { deployment: deployment({ observedGeneration: 0 }), pods: [] },
      {
        phase: 'Deploying',
        reason: 'RolloutInProgress',
        message: 'waiting for the Deployment controller to observe generation 1',
      },
    ],
    [
      'pod unschedulable: the scheduler says why',
      {
        deployment: deployment({ total: 1, updated: 1, conditions: [PROGRESSING] }),
        pods: [unschedulablePod('qwen-demo-new-a', SCHEDULER)],
      },
      {
        phase: 'Pending',
        reason: 'Unschedulable',
        message: `pod qwen-demo-new-a cannot be scheduled: ${SCHEDULER}`,
        replicas: { desired: 1, ready: 0, available: 0 },
      },
    ],
    [
      'pod unschedulable, message from the FailedScheduling event',
      {
        deployment: deployment({ total: 1, updated: 1 }),
        pods: [unschedulablePod('qwen-demo-new-a')],
        events: [
          {
            reason: 'FailedScheduling',
            type: 'Warning',
            involvedObject: { kind: 'Pod', name: 'qwen-demo-new-a' },
            message: 'old message',
            lastTimestamp: '2026-01-01T00:00:00Z',
          },
          {
            reason: 'FailedScheduling',
            type: 'Warning',
            regarding: { kind: 'Pod', name: 'qwen-demo-new-a' },
            note: '0/1 nodes are available: 1 node(s) had untolerated taint {gpu: true}.',
            eventTime: '2026-01-01T00:05:00.000000Z',
          },
        ],
      },
      {
        phase: 'Pending',
        message:
          'pod qwen-demo-new-a cannot be scheduled: 0/1 nodes are available: 1 node(s) had untolerated taint {gpu: true}.',
      },
    ],
    [
      'model loading (startup probe not passed yet)',
      {
        deployment: deployment({ total: 1, updated: 1, conditions: [PROGRESSING] }),
        pods: [loadingPod('qwen-demo-new-a')],
      },
      {
        phase: 'Deploying',
        reason: 'RolloutInProgress',
        message:
          'waiting for replicas: 0 of 1 available; pod qwen-demo-new-a: container vllm is starting (downloading and ' +
          'loading the model)',
      },
    ],
    [
      'image being pulled',
      {
        deployment: deployment({ total: 1, updated: 1 }),
        pods: [
          waitingPod('qwen-demo-new-a', {
            name: 'vllm',
            state: { waiting: { reason: 'ContainerCreating' } },
          }),
        ],
      },
      {
        phase: 'Deploying',
        message:
          'waiting for replicas: 0 of 1 available; pod qwen-demo-new-a: container vllm ContainerCreating',
      },
    ],
    [
      'rollout complete',
      {
        deployment: deployment({ total: 1, updated: 1, ready: 1, available: 1 }),
        pods: [readyPod('qwen-demo-new-a')],
      },
      {
        phase: 'Running',
        reason: 'RolloutComplete',
        message: '1/1 replicas available',
        replicas: { desired: 1, ready: 1, available: 1 },
      },
    ],
    [
      'scaled to zero',
      { deployment: deployment({ replicas: 0, generation: 3 }), pods: [] },
      {
        phase: 'Running',
        reason: 'ScaledToZero',
        message: 'scaled to zero (scaling.replicas is 0): no model server pod runs',
        replicas: { desired: 0, ready: 0, available: 0 },
      },
    ],
    [
      'scaling down to zero',
      {
        deployment: deployment({ replicas: 0, total: 1, ready: 1, available: 1 }),
        pods: [readyPod('qwen-demo-new-a')],
      },
      { phase: 'Deploying', reason: 'ScalingDown', message: 'scaling down to zero: 1 pod left' },
    ],
  ])('%s', (_, observed, expected) => {
    const status = vllmStatus(qwen, observed);
    expect(status).toMatchObject({ ...ENDPOINT, ...expected });
  });

  describe('a rolling update', () => {
    // Revision 2 is rolling out over 2 replicas with maxSurge 0: one old pod still serves.
    const rollout = (newPods: Pod[], state: DeploymentState) => ({
      deployment: deployment({ replicas: 2, generation: 2, revision: '2', ...state }),
      pods: [readyPod('qwen-demo-old-a', 'old'), ...newPods],
      replicaSets: [replicaSet('old', '1'), replicaSet('new', '2')],
    });

    it('is Deploying, not Running, while an old replica still serves', () => {
      // The Available condition is True throughout (upstream bug #422 read only that).
      const status = vllmStatus(
        qwen,
        rollout([loadingPod('qwen-demo-new-a')], {
          total: 2,
          updated: 1,
          ready: 1,
          available: 1,
          conditions: [{ type: 'Available', status: 'True' }, PROGRESSING],
        }),
      );
      expect(status).toMatchObject({
        phase: 'Deploying',
        reason: 'RolloutInProgress',
        message:
          'rollout in progress: 1 of 2 replicas updated; pod qwen-demo-new-a: container vllm is starting ' +
          '(downloading and loading the model); 1 ready pod of the previous revision still serves',
        replicas: { desired: 2, ready: 1, available: 1 },
      });
    });

    it('is Deploying while old replicas wait for termination', () => {
      const status = vllmStatus(
        qwen,
        rollout([readyPod('qwen-demo-new-a'), readyPod('qwen-demo-new-b')], {
          total: 3,
          updated: 2,
          ready: 3,
          available: 3,
        }),
      );
      expect(status).toMatchObject({
        phase: 'Deploying',
        message:
          'rollout in progress: 1 old replica pending termination; 1 ready pod of the previous revision still serves',
      });
    });

    it('is not Running before the controller observed the new generation, even with old replicas available', () => {
      const status = vllmStatus(qwen, {
        deployment: deployment({
          replicas: 2,
          generation: 2,
          observedGeneration: 1,
          total: 2,
          updated: 2,
          ready: 2,
          available: 2,
        }),
        pods: [readyPod('qwen-demo-old-a'), readyPod('qwen-demo-old-b')],
      });
      expect(status.phase).toBe('Deploying');
      expect(status.message).toBe('waiting for the Deployment controller to observe generation 2');
    });

    it('judges only pods of the new revision when telling why it is stuck', () => {
      const status = vllmStatus(
        qwen,
        rollout([unschedulablePod('qwen-demo-new-a', SCHEDULER)], {
          total: 2,
          updated: 1,
          ready: 1,
          available: 1,
        }),
      );
      expect(status).toMatchObject({
        phase: 'Deploying',
        reason: 'Unschedulable',
        message: `pod qwen-demo-new-a cannot be scheduled: ${SCHEDULER}; 1 ready pod of the previous revision still serves`,
      });
    });

    it('is Running once every replica is updated and available and no old one is left', () => {
      const status = vllmStatus(qwen, {
        ...rollout([readyPod('qwen-demo-new-a'), readyPod('qwen-demo-new-b')], {
          total: 2,
          updated: 2,
          ready: 2,
          available: 2,
        }),
        pods: [readyPod('qwen-demo-new-a'), readyPod('qwen-demo-new-b')],
      });
      expect(status).toMatchObject({ phase: 'Running', message: '2/2 replicas available' });
    });
  });

  describe('failures', () => {
    it('reports a crash loop with the exit and the log tail', () => {
      const crashing = waitingPod('qwen-demo-new-a', {
        name: 'vllm',
        restartCount: 4,
        state: {
          waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container=vllm' },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            message:
              "ValueError: The model's max seq len (40960) is larger than the maximum number of tokens\n",
          },
        },
      });
      const status = vllmStatus(qwen, { deployment: deployment({ total: 1, updated: 1 }), pods: [crashing] });
      expect(status).toMatchObject({
        phase: 'Failed',
        reason: 'CrashLoopBackOff',
        message:
          'pod qwen-demo-new-a: container vllm is in CrashLoopBackOff: back-off 1m20s restarting failed ' +
          "container=vllm; last exit code 1 (Error): ValueError: The model's max seq len (40960) is larger than the " +
          'maximum number of tokens',
      });
    });

    it('reports an image that cannot be pulled', () => {
      const status = vllmStatus(qwen, {
        deployment: deployment({ total: 1, updated: 1 }),
        pods: [
          waitingPod('qwen-demo-new-a', {
            name: 'vllm',
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                message: 'Back-off pulling image "vllm/vllm-openai:nope"',
              },
            },
          }),
        ],
      });
      expect(status).toMatchObject({
        phase: 'Failed',
        reason: 'ImagePullBackOff',
        message:
          'pod qwen-demo-new-a: container vllm is in ImagePullBackOff: Back-off pulling image "vllm/vllm-openai:nope"',
      });
    });

    it('reports a missing HF token Secret', () => {
      const status = vllmStatus(qwen, {
        deployment: deployment({ total: 1, updated: 1 }),
        pods: [
          waitingPod('qwen-demo-new-a', {
            name: 'vllm',
            state: {
              waiting: { reason: 'CreateContainerConfigError', message: 'secret "hf-token" not found' },
            },
          }),
        ],
      });
      expect(status).toMatchObject({ phase: 'Failed', reason: 'CreateContainerConfigError' });
      expect(status.message).toContain('secret "hf-token" not found');
    });

    it('reports ProgressDeadlineExceeded with what held the pods back', () => {
      const status = vllmStatus(qwen, {
        deployment: deployment({
          total: 1,
          updated: 1,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "qwen-demo-5d8f" has timed out progressing.',
            },
          ],
        }),
        pods: [unschedulablePod('qwen-demo-new-a', SCHEDULER)],
      });
      expect(status).toMatchObject({
        phase: 'Failed',
        reason: 'ProgressDeadlineExceeded',
        message:
          'rollout of Deployment qwen-demo made no progress within 3600s: ReplicaSet "qwen-demo-5d8f" has timed out ' +
          `progressing.; pod qwen-demo-new-a cannot be scheduled: ${SCHEDULER}`,
      });
    });

    it('reports pods that cannot be created', () => {
      const status = vllmStatus(qwen, {
        deployment: deployment({
          conditions: [
            {
              type: 'ReplicaFailure',
              status: 'True',
              reason: 'FailedCreate',
              message:
                'pods "qwen-demo-5d8f-" is forbidden: exceeded quota: gpu, requested: requests.nvidia.com/gpu=1',
            },
          ],
        }),
        pods: [],
      });
      expect(status).toMatchObject({
        phase: 'Failed',
        reason: 'ReplicaFailure',
        message:
          'cannot create pods for Deployment qwen-demo: pods "qwen-demo-5d8f-" is forbidden: exceeded quota: gpu, ' +
          'requested: requests.nvidia.com/gpu=1',
      });
    });

    it('ignores pods that are being deleted', () => {
      const leaving = waitingPod('qwen-demo-old-a', {
        name: 'vllm',
        state: { waiting: { reason: 'CrashLoopBackOff' } },
      });
      leaving.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
      const status = vllmStatus(qwen, {
        deployment: deployment({ total: 1, updated: 1, ready: 1, available: 1 }),
        pods: [leaving, readyPod('qwen-demo-new-a')],
      });
      expect(status.phase).toBe('Running');
    });
  });

  it('finds the Deployment among observed objects through the Provider interface', () => {
    const status = vllmProvider.status(qwen, {
      objects: [deployment({ total: 1, updated: 1, ready: 1, available: 1 })],
      pods: [readyPod('qwen-demo-new-a')],
    });
    expect(status).toMatchObject({ phase: 'Running', ...ENDPOINT });
  });
});
