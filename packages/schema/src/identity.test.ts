import { describe, expect, it } from 'vitest';
import { changedIdentityFields, IDENTITY_FIELDS } from './identity.js';
import { ModelDeploymentSpecSchema, type ModelDeploymentSpecInput } from './model-deployment-spec.js';

const spec = (input: ModelDeploymentSpecInput) => ModelDeploymentSpecSchema.parse(input);
const base: ModelDeploymentSpecInput = { model: { id: 'Qwen/Qwen3-0.6B' }, engine: { type: 'vllm' } };

describe('identity fields', () => {
  it('are the identity fields of the API reference', () => {
    expect(IDENTITY_FIELDS).toEqual([
      'model.id',
      'model.source',
      'engine.type',
      'provider.name',
      'serving.mode',
    ]);
  });

  it('ignore config fields', () => {
    const next = spec({
      ...base,
      model: { id: 'Qwen/Qwen3-0.6B', servedName: 'qwen' },
      engine: { type: 'vllm', args: { 'max-num-seqs': '8' }, image: 'vllm/vllm-openai:v0.12.0' },
      scaling: { replicas: 3 },
      resources: { gpu: { count: 1 } },
      provider: { overrides: { routerMode: 'kv' } },
    });
    expect(changedIdentityFields(spec(base), next)).toEqual([]);
  });

  it('detect each identity change', () => {
    const next = spec({
      model: { id: 'Qwen/Qwen3-8B', source: 'custom' },
      engine: { type: 'sglang' },
      provider: { name: 'dynamo' },
      serving: { mode: 'disaggregated' },
      scaling: { prefill: { gpu: { count: 1 } }, decode: { gpu: { count: 1 } } },
    });
    expect(changedIdentityFields(spec(base), next)).toEqual([...IDENTITY_FIELDS]);
  });

  it('count engine.type only once it is set on both sides', () => {
    const auto = spec({ model: { id: 'Qwen/Qwen3-0.6B' } });
    expect(changedIdentityFields(auto, spec(base))).toEqual([]);
    expect(changedIdentityFields(spec(base), auto)).toEqual([]);
  });
});
