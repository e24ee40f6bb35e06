// The real CRDs and built-in kinds accept what llm-d renders: a server-side dry-run apply into
// the test control plane (with the upstream Inference Extension CRDs installed) runs every
// OpenAPI schema, CEL rule and defaulting step without storing anything.
import { beforeAll, describe, expect, it } from 'vitest';
import type { InferencePool } from '../gateway/objects.js';
import type { KubernetesObject } from '../kubernetes.js';
import type { RenderResult } from '../provider.js';
import { dryRunNamespace, serverDryRun } from '../testing/cluster.js';
import { example, md } from '../testing/fixtures.js';
import { renderLlmd } from './render.js';

function objects(result: RenderResult): KubernetesObject[] {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.objects;
}

const aggregated = md({
  metadata: { name: 'qwen-llmd', namespace: 'default' },
  spec: {
    model: { id: 'Qwen/Qwen3-0.6B' },
    provider: { name: 'llmd' },
    engine: { type: 'vllm', contextLength: 8192 },
    resources: { gpu: { count: 2 }, memory: '32Gi', cpu: '8' },
    scaling: { replicas: 2 },
    secrets: { huggingFaceToken: 'hf-token' },
    nodeSelector: { 'nvidia.com/gpu.present': 'true' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  },
});

const pd = example('llama-70b-pd');
const disaggregated = {
  ...pd,
  spec: {
    ...pd.spec,
    provider: { name: 'llmd' as const, overrides: { disaggregation: { nonCachedTokens: 64 } } },
  },
};

describe('llm-d objects against the real control plane', () => {
  let namespace = '';
  beforeAll(async () => {
    namespace = await dryRunNamespace('llmd');
  });

  it('accepts every aggregated object', async () => {
    const result = await serverDryRun(objects(renderLlmd(aggregated, { engine: 'vllm' })), namespace);
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/qwen-llmd-epp',
      'Role/qwen-llmd-epp',
      'RoleBinding/qwen-llmd-epp',
      'Deployment/qwen-llmd-epp',
      'Service/qwen-llmd-epp',
      'InferencePool/qwen-llmd',
      'Deployment/qwen-llmd',
      'Service/qwen-llmd',
    ]);
  });

  it('accepts every disaggregated object', async () => {
    const result = await serverDryRun(objects(renderLlmd(disaggregated, { engine: 'vllm' })), namespace);
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/llama-70b-pd-epp',
      'Role/llama-70b-pd-epp',
      'RoleBinding/llama-70b-pd-epp',
      'Deployment/llama-70b-pd-epp',
      'Service/llama-70b-pd-epp',
      'InferencePool/llama-70b-pd',
      'Deployment/llama-70b-pd-prefill',
      'Deployment/llama-70b-pd-decode',
      'Service/llama-70b-pd',
    ]);
  });

  it('refuses a pool whose port is out of range', async () => {
    const rendered = objects(renderLlmd(aggregated, { engine: 'vllm' }));
    const pool = rendered.find((o): o is InferencePool => o.kind === 'InferencePool');
    if (!pool) throw new Error('no InferencePool rendered');
    const wrong: InferencePool = { ...pool, spec: { ...pool.spec, targetPorts: [{ number: 70000 }] } };
    const result = await serverDryRun([wrong], namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toContain('spec.targetPorts[0].number');
  });

  it('refuses a field the InferencePool schema does not have', async () => {
    const rendered = objects(renderLlmd(aggregated, { engine: 'vllm' }));
    const pool = rendered.find((o): o is InferencePool => o.kind === 'InferencePool');
    if (!pool) throw new Error('no InferencePool rendered');
    const result = await serverDryRun(
      [{ ...pool, spec: { ...pool.spec, targetPort: 8000 } } as KubernetesObject],
      namespace,
    );
    expect(result.accepted).toBe(false);
    expect(result.errors).toContain('targetPort');
  });
});
