import { describe, expect, it } from 'vitest';
import type { Deployment, ObjectCondition, Pod, ReplicaSet } from '../kubernetes.js';
import type { ObservedState } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { llmdProvider } from './index.js';
import { llmdStatus } from './status.js';

const aggregated = md({
  metadata: { name: 'qwen', namespace: 'default' },
  spec: {
    model: { id: 'Qwen/Qwen3-0.6B' },
    provider: { name: 'llmd' },
    engine: { type: 'vllm' },
    resources: { gpu: { count: 1 } },
    scaling: { replicas: 2 },
  },
});
const pd = example('llama-70b-pd');
const disaggregated = { ...pd, spec: { ...pd.spec, provider: { name: 'llmd' as const, overrides: {} } } };

interface State {
  replicas: number;
  ready?: number;
  updated?: number;
  total?: number;
  observedGeneration?: number;
  conditions?: ObjectCondition[];
}

function deployment(name: string, state: State): Deployment {
  const available = state.ready ?? state.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'default',
      generation: 1,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: state.replicas,
      selector: { matchLabels: {} },
      template: { metadata: { labels: {} }, spec: { containers: [] } },
      progressDeadlineSeconds: 3600,
    },
    status: {
      observedGeneration: state.observedGeneration ?? 1,
      replicas: state.total ?? state.replicas,
      updatedReplicas: state.updated ?? state.replicas,
      readyReplicas: available,
      availableReplicas: available,
      conditions: state.conditions ?? [],
    },
  };
}

/** A Deployment whose selector is that of an llm-d role. */
function roleDeployment(name: string, mdName: string, role: string, state: State): Deployment {
  const d = deployment(name, state);
  return {
    ...d,
    spec: {
      ...d.spec,
      selector: { matchLabels: { 'airunway.ai/model-deployment': mdName, 'llm-d.ai/role': role } },
    },
  };
}

function replicaSet(deploymentName: string): ReplicaSet {
  return {
    metadata: {
      name: `${deploymentName}-abc`,
      labels: { 'pod-template-hash': `${deploymentName}-hash` },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ kind: 'Deployment', name: deploymentName }],
    },
  };
}

function pod(name: string, mdName: string, role: string, deploymentName: string, status: Pod['status']): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: {
        'airunway.ai/model-deployment': mdName,
        'llm-d.ai/role': role,
        'pod-template-hash': `${deploymentName}-hash`,
      },
    },
    status,
  };
}

const crashing: Pod['status'] = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'vllm',
      ready: false,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
      lastState: { terminated: { exitCode: 1, message: 'CUDA out of memory' } },
    },
  ],
};

const unschedulable: Pod['status'] = {
  phase: 'Pending',
  conditions: [
    {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message: '0/3 nodes: Insufficient nvidia.com/gpu',
    },
  ],
};

describe('llm-d status: aggregated', () => {
  const server = (state: State) => roleDeployment('qwen', 'qwen', 'decode', state);
  const epp = (state: State) => deployment('qwen-epp', state);
  const observed = (objects: Deployment[], pods: Pod[] = []): ObservedState => ({
    objects,
    pods,
    replicaSets: objects.map((o) => replicaSet(o.metadata.name)),
  });

  it('is Pending until the Deployments exist', () => {
    expect(llmdStatus(aggregated, { objects: [], pods: [] })).toEqual({
      phase: 'Pending',
      reason: 'DeploymentNotCreated',
      message:
        'model server: Deployment qwen is not created yet; endpoint picker: Deployment qwen-epp is not created yet',
      replicas: { desired: 2, ready: 0, available: 0 },
      endpoint: { service: 'qwen', port: 8000 },
      resourceName: 'qwen',
      resourceKind: 'Deployment',
    });
  });

  it('is Running when the model server and the endpoint picker have rolled out', () => {
    const status = llmdStatus(aggregated, observed([server({ replicas: 2 }), epp({ replicas: 1 })]));
    expect(status).toMatchObject({
      phase: 'Running',
      reason: 'RolloutComplete',
      message: 'model server: 2/2 replicas available; endpoint picker: 1/1 replicas available',
      replicas: { desired: 2, ready: 2, available: 2 },
    });
  });

  it('counts only model server pods as replicas', () => {
    const status = llmdStatus(
      aggregated,
      observed([server({ replicas: 2, ready: 1 }), epp({ replicas: 1 })]),
    );
    expect(status.phase).toBe('Deploying');
    expect(status.replicas).toEqual({ desired: 2, ready: 1, available: 1 });
    expect(status.message).toBe('model server: waiting for replicas: 1 of 2 available');
  });

  it('is Deploying while the endpoint picker is not ready', () => {
    const status = llmdStatus(
      aggregated,
      observed([server({ replicas: 2 }), epp({ replicas: 1, ready: 0 })]),
    );
    expect(status).toMatchObject({
      phase: 'Deploying',
      reason: 'RolloutInProgress',
      message: 'endpoint picker: waiting for replicas: 0 of 1 available',
    });
  });

  it('is Deploying, not Running, while a rollout is unfinished', () => {
    const status = llmdStatus(
      aggregated,
      observed([server({ replicas: 2, updated: 1, total: 3 }), epp({ replicas: 1 })]),
    );
    expect(status.phase).toBe('Deploying');
    expect(status.message).toContain('model server: rollout in progress: 1 of 2 replicas updated');
  });

  it('reports a crashing model server pod as Failed, with its last words', () => {
    const status = llmdStatus(
      aggregated,
      observed(
        [server({ replicas: 2, ready: 0 }), epp({ replicas: 1 })],
        [pod('qwen-1', 'qwen', 'decode', 'qwen', crashing)],
      ),
    );
    expect(status.phase).toBe('Failed');
    expect(status.reason).toBe('CrashLoopBackOff');
    expect(status.message).toContain('model server: pod qwen-1: container vllm is in CrashLoopBackOff');
    expect(status.message).toContain('CUDA out of memory');
  });

  it('reports a stalled rollout of the endpoint picker as Failed', () => {
    const status = llmdStatus(
      aggregated,
      observed([
        server({ replicas: 2 }),
        epp({
          replicas: 1,
          ready: 0,
          conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
        }),
      ]),
    );
    expect(status).toMatchObject({ phase: 'Failed', reason: 'ProgressDeadlineExceeded' });
    expect(status.message).toMatch(/^endpoint picker: rollout of Deployment qwen-epp made no progress/);
  });

  it('diagnoses the endpoint picker from its pods when they are observed', () => {
    const picker = deployment('qwen-epp', { replicas: 1, ready: 0 });
    const withSelector: Deployment = {
      ...picker,
      spec: { ...picker.spec, selector: { matchLabels: { 'airunway.ai/endpoint-picker': 'qwen' } } },
    };
    const eppPod: Pod = {
      metadata: {
        name: 'qwen-epp-1',
        labels: { 'airunway.ai/endpoint-picker': 'qwen', 'pod-template-hash': 'qwen-epp-hash' },
      },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'epp',
            ready: false,
            state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } },
          },
        ],
      },
    };
    const status = llmdStatus(aggregated, observed([server({ replicas: 2 }), withSelector], [eppPod]));
    expect(status).toMatchObject({ phase: 'Failed', reason: 'ImagePullBackOff' });
    expect(status.message).toBe(
      'endpoint picker: pod qwen-epp-1: container epp is in ImagePullBackOff: not found',
    );
    expect(status.replicas).toEqual({ desired: 2, ready: 2, available: 2 });
  });

  it('works from the operator cache, which keeps only replicas and the progress deadline of a spec', () => {
    const slim = (d: Deployment) =>
      ({
        ...d,
        spec: { replicas: d.spec.replicas, progressDeadlineSeconds: d.spec.progressDeadlineSeconds },
      }) as unknown as Deployment;
    const status = llmdStatus(
      aggregated,
      observed(
        [slim(server({ replicas: 2, ready: 0 })), slim(epp({ replicas: 1 }))],
        [pod('qwen-1', 'qwen', 'decode', 'qwen', crashing)],
      ),
    );
    expect(status).toMatchObject({ phase: 'Failed', reason: 'CrashLoopBackOff' });
  });

  it('is the provider status', () => {
    const state = observed([server({ replicas: 2 }), epp({ replicas: 1 })]);
    expect(llmdProvider.status(aggregated, state)).toEqual(llmdStatus(aggregated, state));
  });
});

describe('llm-d status: disaggregated', () => {
  const name = 'llama-70b-pd';
  const decode = (state: State) => roleDeployment(`${name}-decode`, name, 'decode', state);
  const prefill = (state: State) => roleDeployment(`${name}-prefill`, name, 'prefill', state);
  const epp = deployment(`${name}-epp`, { replicas: 1 });
  const observed = (objects: Deployment[], pods: Pod[] = []): ObservedState => ({
    objects,
    pods,
    replicaSets: objects.map((o) => replicaSet(o.metadata.name)),
  });

  it('adds prefill and decode workers up', () => {
    const status = llmdStatus(
      disaggregated,
      observed([decode({ replicas: 4 }), prefill({ replicas: 2 }), epp]),
    );
    expect(status).toEqual({
      phase: 'Running',
      reason: 'RolloutComplete',
      message:
        'decode: 4/4 replicas available; prefill: 2/2 replicas available; endpoint picker: 1/1 replicas available',
      replicas: { desired: 6, ready: 6, available: 6 },
      endpoint: { service: name, port: 8000 },
      resourceName: `${name}-decode`,
      resourceKind: 'Deployment',
    });
  });

  it('judges each role by its own pods', () => {
    const status = llmdStatus(
      disaggregated,
      observed(
        [decode({ replicas: 4 }), prefill({ replicas: 2, ready: 0 }), epp],
        [pod(`${name}-prefill-1`, name, 'prefill', `${name}-prefill`, unschedulable)],
      ),
    );
    expect(status).toMatchObject({
      phase: 'Pending',
      reason: 'Unschedulable',
      message: `prefill: pod ${name}-prefill-1 cannot be scheduled: 0/3 nodes: Insufficient nvidia.com/gpu`,
      replicas: { desired: 6, ready: 4, available: 4 },
    });
  });

  it('lets a failure win over other roles still deploying', () => {
    const status = llmdStatus(
      disaggregated,
      observed(
        [decode({ replicas: 4, ready: 0 }), prefill({ replicas: 2, ready: 1 }), epp],
        [pod(`${name}-decode-1`, name, 'decode', `${name}-decode`, crashing)],
      ),
    );
    expect(status.phase).toBe('Failed');
    expect(status.message).toMatch(
      /^decode: pod llama-70b-pd-decode-1: container vllm is in CrashLoopBackOff/,
    );
    expect(status.message).toContain('; prefill: waiting for replicas: 1 of 2 available');
  });

  it('is Running scaled to zero when both roles are', () => {
    const status = llmdStatus(
      disaggregated,
      observed([decode({ replicas: 0, total: 0 }), prefill({ replicas: 0, total: 0 }), epp]),
    );
    expect(status).toMatchObject({ phase: 'Running', reason: 'ScaledToZero' });
  });
});
