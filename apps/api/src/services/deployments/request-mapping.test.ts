import { describe, expect, it } from 'vitest';
import { bodyPath, specFromCreate, specWithUpdate } from './request-mapping.js';

describe('specFromCreate', () => {
  it('maps the documented body as the API reference says', () => {
    expect(
      specFromCreate({
        name: 'qwen-deployment',
        namespace: 'airunway-system',
        provider: 'vllm',
        modelId: 'Qwen/Qwen3-0.6B',
        engine: 'vllm',
        mode: 'aggregated',
        replicas: 1,
        hfTokenSecret: 'hf-token-secret',
        enforceEager: true,
        enablePrefixCaching: false,
        trustRemoteCode: false,
        imageRef: 'vllm/vllm-openai:cu130-nightly',
        engineArgs: { 'trust-remote-code': '' },
        engineExtraArgs: [],
      }),
    ).toEqual({
      model: { id: 'Qwen/Qwen3-0.6B' },
      provider: { name: 'vllm' },
      engine: {
        type: 'vllm',
        image: 'vllm/vllm-openai:cu130-nightly',
        enforceEager: true,
        enablePrefixCaching: false,
        trustRemoteCode: false,
        args: { 'trust-remote-code': '' },
        extraArgs: [],
      },
      serving: { mode: 'aggregated' },
      scaling: { replicas: 1 },
      resources: { gpu: { count: 1 } },
      secrets: { huggingFaceToken: 'hf-token-secret' },
    });
  });

  it('imageRef is the legacy image for other providers; engine args become strings', () => {
    const spec = specFromCreate({
      name: 'a',
      modelId: 'm/x',
      provider: 'dynamo',
      imageRef: 'img:1',
      engineArgs: { 'max-num-seqs': 64, 'enforce-eager': true, 'disable-log': false },
      routerMode: 'kv',
    });
    expect(spec).toMatchObject({
      image: 'img:1',
      engine: { args: { 'max-num-seqs': '64', 'enforce-eager': '' } },
      provider: { name: 'dynamo', overrides: { routerMode: 'kv' } },
    });
    expect((spec.engine as any).image).toBeUndefined();
  });

  it('cpu compute sets 0 GPUs; disaggregated gets one prefill and one decode worker and no replicas', () => {
    expect(specFromCreate({ name: 'a', modelId: 'm/x', computeType: 'cpu' }).resources).toEqual({
      gpu: { count: 0 },
    });
    const spec = specFromCreate({
      name: 'a',
      modelId: 'm/x',
      mode: 'disaggregated',
      decode: { replicas: 4, gpu: 2 },
    });
    expect(spec.scaling).toEqual({
      prefill: { replicas: 1, gpu: { count: 1 } },
      decode: { replicas: 4, gpu: { count: 2 } },
    });
    expect(spec.resources).toBeUndefined();
  });
});

describe('specWithUpdate', () => {
  const current = {
    model: { id: 'Qwen/Qwen3-0.6B', source: 'huggingface' },
    engine: { args: {}, extraArgs: [], trustRemoteCode: false },
    serving: { mode: 'aggregated' },
    scaling: { replicas: 1 },
    resources: { gpu: { count: 1, type: 'nvidia.com/gpu' } },
    secrets: { huggingFaceToken: 'hf' },
  };

  it('scales and reconfigures in place, null removes, the input is not changed', () => {
    const next = specWithUpdate(current, {
      replicas: 3,
      engineArgs: { 'max-model-len': 4096 },
      hfTokenSecret: null,
    });
    expect(next).toMatchObject({ scaling: { replicas: 3 }, engine: { args: { 'max-model-len': '4096' } } });
    expect(next.secrets).toBeUndefined();
    expect(current.scaling.replicas).toBe(1);
  });

  it('switching to disaggregated moves GPUs to the workers', () => {
    const next = specWithUpdate(current, { mode: 'disaggregated' });
    expect(next.scaling).toEqual({
      prefill: { replicas: 1, gpu: { count: 1 } },
      decode: { replicas: 1, gpu: { count: 1 } },
    });
    expect(next.resources).toEqual({ gpu: { type: 'nvidia.com/gpu' } });
  });
});

describe('bodyPath', () => {
  it('names spec fields the way the body sets them', () => {
    expect(bodyPath('spec.scaling.replicas')).toBe('replicas');
    expect(bodyPath('spec.resources.gpu.count')).toBe('resources.gpu');
    expect(bodyPath('spec.engine.args[--port]')).toBe('engineArgs[--port]');
    expect(bodyPath('spec.scaling.prefill.gpu.count')).toBe('prefill.gpu');
    expect(bodyPath('metadata.name')).toBe('name');
    expect(bodyPath('spec.podTemplate')).toBe('spec.podTemplate');
  });
});
