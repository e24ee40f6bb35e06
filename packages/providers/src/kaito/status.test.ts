import { describe, expect, it } from 'vitest';
import type { Pod } from '../kubernetes.js';
import type { ProviderStatus } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { kaitoProvider } from './index.js';
import type { Workspace, WorkspaceCondition, WorkspaceStatus } from './render.js';
import { kaitoStatus } from './status.js';

const gemma = example('gemma-cpu');
const IDENTITY = {
  endpoint: { service: 'gemma-cpu', port: 80 },
  resourceName: 'gemma-cpu',
  resourceKind: 'Workspace',
};

type C = [type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string];

/** A Workspace as the operator observes it: metadata and status (the cache drops the rest). */
function workspace(
  conditions: C[],
  status: Omit<WorkspaceStatus, 'conditions'> = {},
  generation = 1,
): Workspace {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name: 'gemma-cpu', namespace: 'default', generation },
    status: {
      ...status,
      conditions: conditions.map(([type, s, reason, message]): WorkspaceCondition => ({
        type,
        status: s,
        reason,
        message,
        observedGeneration: generation,
        lastTransitionTime: '2026-01-01T00:00:00Z',
      })),
    },
  } as unknown as Workspace;
}

// What KAITO writes at each stage (reasons and messages from its workspace controller).
const NODES_WAITING: C[] = [
  ['NodesReady', 'False', 'NodeNotReady', 'Not enough Nodes are ready'],
  ['ResourceReady', 'False', 'workspaceResourceStatusNotReady', 'node status condition not ready'],
  ['InferenceReady', 'False', 'WorkspaceInferenceStatusPending', 'Inference workload is not ready'],
  [
    'WorkspaceSucceeded',
    'False',
    'workspacePending',
    'workspace is waiting for inference workload readiness',
  ],
];
const NODES_READY: C[] = [
  ['NodesReady', 'True', 'NodesReady', 'Enough Nodes are ready'],
  ['ResourceReady', 'True', 'workspaceResourceStatusSuccess', 'workspace resource is ready'],
];
const inferenceNotReady = (reason: string, message: string): C[] => [
  ...NODES_READY,
  ['InferenceReady', 'False', reason, message],
  [
    'WorkspaceSucceeded',
    'False',
    'workspacePending',
    'workspace is waiting for inference workload readiness',
  ],
];
const READY: C[] = [
  ...NODES_READY,
  ['InferenceReady', 'True', 'WorkspaceInferenceStatusSuccess', 'Inference has been deployed successfully'],
  ['WorkspaceSucceeded', 'True', 'workspaceSucceeded', 'workspace succeeds'],
];

function pod(name: string, ready: boolean, containerState: object = { running: {} }): Pod {
  return {
    metadata: { name, namespace: 'default', labels: { 'airunway.ai/model-deployment': 'gemma-cpu' } },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'llamacpp', ready, started: true, state: containerState }],
    },
  };
}

const status = (ws: Workspace | undefined, pods: Pod[] = [], model = gemma): ProviderStatus =>
  kaitoStatus(model, { workspace: ws, pods });

describe('KAITO status', () => {
  it('is Pending while the Workspace does not exist, with the endpoint of KAITO’s Service', () => {
    expect(status(undefined)).toEqual({
      phase: 'Pending',
      reason: 'WorkspaceNotCreated',
      message: 'Workspace gemma-cpu is not created yet',
      replicas: { desired: 1, ready: 0, available: 0 },
      ...IDENTITY,
    });
  });

  it('is Pending while KAITO has not reconciled the Workspace, and says what to check', () => {
    const ws = { ...workspace([]), status: undefined } as Workspace;
    expect(status(ws)).toMatchObject({
      phase: 'Pending',
      reason: 'WaitingForKaito',
      message:
        'waiting for KAITO to pick up Workspace gemma-cpu: it has no status yet; if this lasts, check that ' +
        "KAITO's workspace controller is running (kaito-workspace namespace, or the AKS AI toolchain operator)",
    });
  });

  it('is Pending while the Workspace is being deleted', () => {
    const ws = workspace([['WorkspaceDeleting', 'True', 'workspaceDeleted', 'workspace is being deleted']]);
    expect(status(ws)).toMatchObject({ phase: 'Pending', reason: 'WorkspaceDeleting' });
    const going = workspace(READY);
    going.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    expect(status(going)).toMatchObject({ phase: 'Pending', reason: 'WorkspaceDeleting' });
  });

  it('is Pending while KAITO waits for nodes, naming the selector and count it waits for', () => {
    expect(status(workspace(NODES_WAITING, { state: 'Pending', targetNodeCount: 1 }))).toEqual({
      phase: 'Pending',
      reason: 'WaitingForNodes',
      message:
        'waiting for nodes: KAITO needs 1 Ready node matching kubernetes.io/os=linux (Not enough Nodes are ready; ' +
        'node status condition not ready); add or label nodes, or change nodeSelector',
      replicas: { desired: 1, ready: 0, available: 0 },
      ...IDENTITY,
    });
  });

  it('reports node provisioning with node auto-provisioning on', () => {
    const conditions: C[] = [
      ['NodeClaimReady', 'False', 'NodeClaimNotReady', 'Ready NodeClaims are not enough'],
      ['NodesReady', 'False', 'NodeNotReady', 'Not enough Nodes are ready'],
      ['ResourceReady', 'False', 'NodeClaimNotReady', 'Ready NodeClaims are not enough'],
      ['InferenceReady', 'False', 'WorkspaceInferenceStatusPending', 'Inference workload is not ready'],
    ];
    const qwen = md({
      metadata: { name: 'gemma-cpu' },
      spec: { model: { id: 'a/b' }, engine: { type: 'vllm' }, resources: { gpu: { count: 1 } } },
    });
    expect(status(workspace(conditions, { targetNodeCount: 2 }), [], qwen).message).toBe(
      'waiting for nodes: KAITO needs 2 Ready nodes matching kubernetes.io/os=linux,nvidia.com/gpu.present=true ' +
        '(Ready NodeClaims are not enough; Not enough Nodes are ready); add or label nodes, or change nodeSelector',
    );
  });

  it('is Deploying while the model downloads and loads, with what the pods do', () => {
    const ws = workspace(
      inferenceNotReady('WorkspaceInferenceStatusPending', 'Inference workload is not ready'),
    );
    expect(status(ws)).toMatchObject({
      phase: 'Deploying',
      reason: 'InferenceNotReady',
      message:
        'nodes are ready; waiting for the inference server of Workspace gemma-cpu (downloading and loading the model)',
      replicas: { desired: 1, ready: 0, available: 0 },
    });
    expect(status(ws, [pod('gemma-cpu-0', false)]).message).toBe(
      'nodes are ready; waiting for the inference server of Workspace gemma-cpu (downloading and loading the ' +
        'model); pod gemma-cpu-0: container llamacpp is running but not accepting connections yet',
    );
    expect(
      status(ws, [pod('gemma-cpu-0', false, { waiting: { reason: 'ContainerCreating' } })]).message,
    ).toContain('; pod gemma-cpu-0: container llamacpp ContainerCreating');
  });

  it('is Running once inference is ready', () => {
    expect(
      status(workspace(READY, { state: 'Ready', targetNodeCount: 1 }), [pod('gemma-cpu-0', true)]),
    ).toEqual({
      phase: 'Running',
      reason: 'WorkspaceReady',
      message: 'Workspace gemma-cpu is ready: 1 replica serving',
      replicas: { desired: 1, ready: 1, available: 1 },
      ...IDENTITY,
    });
  });

  it('stays Running when only KAITO’s post-load benchmark failed, and says how to skip it', () => {
    const conditions: C[] = [
      ...NODES_READY,
      [
        'InferenceReady',
        'True',
        'WorkspaceInferenceStatusSuccess',
        'Inference has been deployed successfully',
      ],
      ['BenchmarkCompleted', 'False', 'BenchmarkFailed', 'no benchmark result in pod logs'],
      ['WorkspaceSucceeded', 'False', 'BenchmarkFailed', 'no benchmark result in pod logs'],
    ];
    expect(status(workspace(conditions, { state: 'NotReady' }))).toMatchObject({
      phase: 'Running',
      reason: 'InferenceReady',
      message:
        "inference is ready; KAITO's post-load benchmark failed: no benchmark result in pod logs (set " +
        'provider.overrides.disableBenchmark: true to skip it)',
      replicas: { desired: 1, ready: 1, available: 1 },
    });
  });

  it.each([
    ['ImagePullError', 'container "llamacpp" image pull failed (ErrImagePull): not found'],
    ['ContainerCrashLoopBackOff', 'container "llamacpp" is in CrashLoopBackOff (exit code 1)'],
    [
      'ContainerOOMKilled',
      'container "llamacpp" was OOMKilled (exit code 137); reduce memory usage or use a larger instance type',
    ],
    [
      'ContainerStartError',
      'container "llamacpp" failed to start (CreateContainerConfigError): secret "hf" not found',
    ],
    ['ModelMirrorCreateFailed', 'failed to create ModelMirror CR'],
  ])('is Failed when KAITO classifies the inference failure as %s', (reason, message) => {
    expect(status(workspace(inferenceNotReady(reason, message), { state: 'Pending' }))).toMatchObject({
      phase: 'Failed',
      reason,
      message,
    });
  });

  it('is Pending while no inference pod fits a node, Deploying when some already serve', () => {
    const conditions = inferenceNotReady(
      'Unschedulable',
      'pod "gemma-cpu-1" is unschedulable: 0/3 nodes are available: 3 Insufficient memory.',
    );
    const two = md({ ...gemma, spec: { ...gemma.spec, scaling: { replicas: 2 } } });
    expect(status(workspace(conditions), [], two)).toMatchObject({
      phase: 'Pending',
      reason: 'Unschedulable',
      message: 'pod "gemma-cpu-1" is unschedulable: 0/3 nodes are available: 3 Insufficient memory.',
      replicas: { desired: 2, ready: 0, available: 0 },
    });
    expect(
      status(workspace(conditions), [pod('gemma-cpu-0', true), pod('gemma-cpu-1', false)], two),
    ).toMatchObject({
      phase: 'Deploying',
      reason: 'Unschedulable',
      replicas: { desired: 2, ready: 1, available: 1 },
    });
  });

  it('is Deploying after an eviction, which the StatefulSet repairs', () => {
    const conditions = inferenceNotReady(
      'NodeDiskPressure',
      'pod "gemma-cpu-0" evicted due to node disk pressure: low on ephemeral-storage',
    );
    expect(status(workspace(conditions))).toMatchObject({
      phase: 'Deploying',
      reason: 'NodeDiskPressure',
      message:
        'pod "gemma-cpu-0" evicted due to node disk pressure: low on ephemeral-storage; the StatefulSet replaces the pod',
    });
  });

  it('is Deploying while KAITO mirrors the model for streaming', () => {
    const conditions: C[] = [
      ['ModelMirrorReady', 'False', 'Downloading', 'Model download in progress'],
      ['ResourceReady', 'False', 'ModelMirrorNotReady', 'Model download in progress'],
      ['InferenceReady', 'False', 'WorkspaceInferenceStatusPending', 'Inference workload is not ready'],
    ];
    expect(status(workspace(conditions))).toMatchObject({
      phase: 'Deploying',
      reason: 'ModelDownloading',
      message: 'KAITO is mirroring the model: Model download in progress',
    });
  });

  it('is Deploying until KAITO has processed an updated Workspace', () => {
    const stale = workspace(READY, { state: 'Ready' });
    stale.metadata.generation = 2;
    expect(status(stale, [pod('gemma-cpu-0', true)])).toMatchObject({
      phase: 'Deploying',
      reason: 'WorkspaceUpdating',
      message:
        'waiting for KAITO to apply the updated Workspace gemma-cpu (generation 2; its status is for generation 1)',
      replicas: { desired: 1, ready: 1, available: 1 },
    });
  });

  it('passes a failed state through with a CamelCase reason', () => {
    const conditions: C[] = [['WorkspaceSucceeded', 'False', 'workspaceFailed', 'tuning job failed']];
    expect(status(workspace(conditions, { state: 'Failed' }))).toMatchObject({
      phase: 'Failed',
      reason: 'WorkspaceFailed',
      message: 'tuning job failed',
    });
  });

  it('finds the Workspace among the observed objects through the Provider interface', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gemma-cpu' } };
    const other = { ...workspace(NODES_WAITING), metadata: { name: 'other', generation: 1 } };
    expect(
      kaitoProvider.status(gemma, {
        objects: [configMap, other, workspace(READY)],
        pods: [pod('gemma-cpu-0', true)],
      }),
    ).toMatchObject({ phase: 'Running', ...IDENTITY });
    expect(kaitoProvider.status(gemma, { objects: [configMap, other], pods: [] })).toMatchObject({
      phase: 'Pending',
      reason: 'WorkspaceNotCreated',
    });
  });
});
