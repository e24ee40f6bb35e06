// Every render path against the real DynamoGraphDeployment CRD (nvidia.com/v1beta1), with
// its OpenAPI schema, CEL rules and defaults, on the test control plane.
import type { EngineType, ModelDeploymentSpecInput } from '@airunway/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../kubernetes.js';
import { dryRunNamespace, serverDryRun } from '../testing/cluster.js';
import { example, md } from '../testing/fixtures.js';
import { renderDynamo, type DynamoGraphDeployment } from './render.js';

let namespace: string;
beforeAll(async () => {
  namespace = await dryRunNamespace('dynamo-crd');
});

function render(name: string, spec: ModelDeploymentSpecInput, engine: EngineType): DynamoGraphDeployment {
  const result = renderDynamo(md({ metadata: { name }, spec }), { engine });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.objects[0] as DynamoGraphDeployment;
}

const aggregated = (engine: EngineType, routerMode: string): ModelDeploymentSpecInput => ({
  model: { id: 'Qwen/Qwen3-8B' },
  engine: { type: engine, contextLength: 8192 },
  provider: { name: 'dynamo', overrides: { routerMode } },
  resources: { gpu: { count: 2 }, memory: '48Gi', cpu: '8' },
  secrets: { huggingFaceToken: 'hf-token' },
});

const disaggregated = (engine: EngineType, routerMode: string): ModelDeploymentSpecInput => ({
  model: { id: 'Qwen/Qwen3-8B' },
  engine: { type: engine },
  provider: { name: 'dynamo', overrides: { routerMode, frontend: { replicas: 2, cpu: '2', memory: '4Gi' } } },
  serving: { mode: 'disaggregated' },
  scaling: {
    prefill: { replicas: 2, gpu: { count: 4 }, memory: '128Gi' },
    decode: { replicas: 4, gpu: { count: 1, type: 'nvidia.com/mig-3g.40gb' } },
  },
});

const everyField: ModelDeploymentSpecInput = {
  model: { id: 'meta-llama/Llama-3.3-70B-Instruct', servedName: 'llama-70b' },
  engine: {
    type: 'vllm',
    image: 'registry.example.com/dynamo/vllm-runtime@sha256:' + 'b'.repeat(64),
    trustRemoteCode: true,
    enforceEager: true,
    args: { quantization: 'fp8' },
    extraArgs: ['--enable-chunked-prefill'],
  },
  provider: {
    name: 'dynamo',
    overrides: {
      runtimeVersion: '1.4.0',
      patch: {
        metadata: { annotations: { 'nvidia.com/enable-grove': 'false' } },
        spec: { components: { VllmWorker: { multinode: { nodeCount: 2 }, minAvailable: 1 } } },
      },
    },
  },
  scaling: { replicas: 0 },
  resources: { gpu: { count: 8 }, memory: '512Gi', cpu: '32' },
  env: [
    { name: 'NCCL_DEBUG', value: 'INFO' },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'MEMORY', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token', optional: true } } },
  ],
  secrets: { huggingFaceToken: 'hf-token' },
  podTemplate: {
    metadata: { labels: { team: 'research' }, annotations: { 'prometheus.io/scrape': 'true' } },
  },
  nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'dedicated', operator: 'Equal', value: 'inference', effect: 'NoExecute', tolerationSeconds: 300 },
  ],
};

const paths: [string, () => DynamoGraphDeployment][] = [
  ['llama-8b', () => renderExample('llama-8b')],
  ['llama-70b-pd', () => renderExample('llama-70b-pd')],
  ...(['vllm', 'sglang', 'trtllm'] as const).flatMap((engine): [string, () => DynamoGraphDeployment][] => [
    [`${engine} aggregated`, () => render(`${engine}-agg`, aggregated(engine, 'round-robin'), engine)],
    [`${engine} aggregated, KV routing`, () => render(`${engine}-agg-kv`, aggregated(engine, 'kv'), engine)],
    [`${engine} disaggregated`, () => render(`${engine}-pd`, disaggregated(engine, 'least-loaded'), engine)],
    [
      `${engine} disaggregated, KV routing`,
      () => render(`${engine}-pd-kv`, disaggregated(engine, 'kv'), engine),
    ],
  ]),
  [
    'every field, a digest-pinned image and a component patch',
    () => render('every-field', everyField, 'vllm'),
  ],
];

function renderExample(name: string): DynamoGraphDeployment {
  const result = renderDynamo(example(name), { engine: 'vllm' });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.objects[0] as DynamoGraphDeployment;
}

describe('Dynamo render against the real DynamoGraphDeployment CRD', () => {
  it.each(paths)('the apiserver accepts %s', async (_, build) => {
    const dgd = build();
    const result = await serverDryRun([dgd], namespace);
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    // Nothing we set is pruned as an unknown field.
    const stored = result.objects[0] as DynamoGraphDeployment;
    expect(stored.spec.components.map((c) => c.name)).toEqual(dgd.spec.components.map((c) => c.name));
    expect(stored.spec.components).toEqual(dgd.spec.components);
  });

  it('refuses a component type Dynamo does not know', async () => {
    const dgd = renderExample('llama-8b');
    const wrong = {
      ...dgd,
      spec: { ...dgd.spec, components: dgd.spec.components.map((c) => ({ ...c, type: 'router' })) },
    } as KubernetesObject;
    const result = await serverDryRun([wrong], namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toMatch(/spec\.components\[0\]\.type: Unsupported value: "router"/);
  });

  it('refuses two components whose names differ only in case', async () => {
    const dgd = renderExample('llama-8b');
    const [frontend] = dgd.spec.components;
    const wrong = {
      ...dgd,
      spec: { ...dgd.spec, components: [frontend, { ...frontend, name: 'frontend' }] },
    };
    const result = await serverDryRun([wrong], namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toMatch(
      /spec\.components: Invalid value: component names must be unique case-insensitively/,
    );
  });

  it('refuses a wrong value that a patch slips into a component', async () => {
    const dgd = render(
      'patched',
      {
        model: { id: 'Qwen/Qwen3-0.6B' },
        engine: { type: 'vllm' },
        provider: {
          name: 'dynamo',
          overrides: { patch: { spec: { components: { VllmWorker: { replicas: 'two' } } } } },
        },
        resources: { gpu: { count: 1 } },
      },
      'vllm',
    );
    const result = await serverDryRun([dgd], namespace);
    expect(result.accepted).toBe(false);
    // kubectl checks types against the CRD's published schema before the request is sent.
    expect(result.errors).toMatch(
      /spec\.components\[1\]\.replicas\): invalid type .*got "string", expected "integer"/,
    );
  });
});
