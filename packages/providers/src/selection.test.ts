import { ENGINE_TYPES, SERVING_MODES, type ModelDeploymentSpecInput } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { providersSupporting, supports, type ServingRequest } from './catalogue.js';
import {
  AUTO_SELECTION_RULES,
  previousSelectionFrom,
  select,
  selectEngine,
  type Selection,
} from './selection.js';
import { ALL, example, spec, usability } from './testing/fixtures.js';
import { usableProviders } from './usability.js';

const ID = { id: 'Qwen/Qwen3-0.6B' };
const gpu = (count: number) => ({ gpu: { count } });
const disaggregated = {
  serving: { mode: 'disaggregated' as const },
  scaling: { prefill: { gpu: { count: 1 } }, decode: { gpu: { count: 1 } } },
};

const CRD_DYNAMO = 'CRD dynamographdeployments.nvidia.com not found';
const CRD_KAITO = 'CRD workspaces.kaito.sh not found';
const CRD_LLMD = 'CRD inferencepools.inference.networking.k8s.io not found';

function ok(selection: Selection) {
  if (!selection.ok) throw new Error(`selection failed: ${selection.message}`);
  return selection;
}
function failed(selection: Selection) {
  if (selection.ok) throw new Error(`selection succeeded: ${selection.provider}/${selection.engine}`);
  return selection;
}

describe('automatic selection with every provider installed', () => {
  const all = usability(...ALL);

  it.each<[string, ModelDeploymentSpecInput, string, string, string, string]>([
    [
      'GPU, engine named (API reference: llama-8b)',
      { model: ID, engine: { type: 'vllm' }, resources: gpu(1) },
      'dynamo',
      'default → dynamo (GPU inference default)',
      'vllm',
      'explicit engine selection',
    ],
    [
      'GPU, engine omitted',
      { model: ID, resources: gpu(2) },
      'dynamo',
      'default → dynamo (GPU inference default)',
      'vllm',
      'GPU requested → vllm (default GPU engine)',
    ],
    [
      'no GPU, engine omitted (the minimal spec)',
      { model: ID },
      'kaito',
      'no GPU requested → kaito (only CPU provider)',
      'llamacpp',
      'no GPU requested → llamacpp (the CPU engine)',
    ],
    [
      'llamacpp on GPUs',
      { model: ID, engine: { type: 'llamacpp' }, resources: gpu(1) },
      'kaito',
      'llamacpp → kaito (only llamacpp provider)',
      'llamacpp',
      'explicit engine selection',
    ],
    [
      'sglang',
      { model: ID, engine: { type: 'sglang' }, resources: gpu(1) },
      'dynamo',
      'sglang → dynamo (only sglang provider)',
      'sglang',
      'explicit engine selection',
    ],
    [
      'trtllm, disaggregated',
      { model: ID, engine: { type: 'trtllm' }, ...disaggregated },
      'dynamo',
      'trtllm → dynamo (only trtllm provider)',
      'trtllm',
      'explicit engine selection',
    ],
    [
      'disaggregated, engine omitted',
      { model: ID, ...disaggregated },
      'dynamo',
      'disaggregated → dynamo (disaggregated serving default)',
      'vllm',
      'GPU requested → vllm (default GPU engine)',
    ],
  ])('%s', (_, input, provider, providerReason, engine, engineReason) => {
    expect(select(spec(input), all)).toEqual({
      ok: true,
      provider,
      providerReason,
      engine,
      engineReason,
      sticky: false,
    });
  });

  it('gives the API reference reasons for its examples', () => {
    expect(ok(select(example('llama-8b').spec, all)).providerReason).toBe(
      'default → dynamo (GPU inference default)',
    );
    expect(ok(select(example('gemma-cpu').spec, all)).providerReason).toBe(
      'no GPU requested → kaito (only CPU provider)',
    );
    expect(ok(select(example('llama-70b-pd').spec, all))).toMatchObject({
      provider: 'dynamo',
      providerReason: 'explicit provider selection',
    });
    expect(ok(select(example('qwen-demo').spec, all))).toMatchObject({ provider: 'dynamo', engine: 'vllm' });
  });
});

describe('fallbacks when the default provider is not usable', () => {
  it.each<[string, ModelDeploymentSpecInput, Parameters<typeof usability>, string, string]>([
    [
      'GPU without Dynamo → Direct vLLM',
      { model: ID, resources: gpu(1) },
      ['kaito', 'kuberay', 'llmd', 'vllm'],
      'vllm',
      `default → vllm (dynamo not installed: ${CRD_DYNAMO})`,
    ],
    [
      'GPU with Dynamo but no Dynamo operator → Direct vLLM',
      { model: ID, resources: gpu(1) },
      ['vllm'],
      'vllm',
      `default → vllm (dynamo not installed: ${CRD_DYNAMO})`,
    ],
    [
      'disaggregated without Dynamo → llm-d',
      { model: ID, ...disaggregated },
      ['llmd', 'vllm'],
      'llmd',
      `disaggregated → llmd (dynamo not installed: ${CRD_DYNAMO})`,
    ],
  ])('%s', (_, input, installed, provider, providerReason) => {
    expect(ok(select(spec(input), usability(...installed)))).toMatchObject({ provider, providerReason });
  });

  it('says when the default is installed but its operator is not running', () => {
    const facts = usableProviders({
      establishedCrds: ['dynamographdeployments.nvidia.com'],
      readyOperators: [],
    });
    expect(ok(select(spec({ model: ID, resources: gpu(1) }), facts)).providerReason).toBe(
      'default → vllm (dynamo not ready: operator not running in dynamo-system)',
    );
  });

  it.each<[string, ModelDeploymentSpecInput, Parameters<typeof usability>, string]>([
    [
      'sglang without Dynamo',
      { model: ID, engine: { type: 'sglang' }, resources: gpu(1) },
      ['kaito', 'llmd', 'vllm'],
      `no installed provider can serve sglang: install dynamo (${CRD_DYNAMO})`,
    ],
    [
      'CPU without KAITO',
      { model: ID },
      ['dynamo', 'vllm'],
      `no installed provider can serve llamacpp on CPU: install kaito (${CRD_KAITO})`,
    ],
    [
      'disaggregated without Dynamo and llm-d',
      { model: ID, ...disaggregated },
      ['vllm'],
      `no installed provider can serve vllm in disaggregated mode: install dynamo (${CRD_DYNAMO}) or ` +
        `install llmd (${CRD_LLMD}), or set serving.mode: aggregated (provider vllm needs nothing installed)`,
    ],
  ])('fails with what to install: %s', (_, input, installed, message) => {
    expect(failed(select(spec(input), usability(...installed)))).toMatchObject({
      stage: 'provider',
      reason: 'NoProviderAvailable',
      cause: 'cluster',
      message,
    });
  });

  it('asks to repair an installed provider whose operator is down', () => {
    const facts = usableProviders({ establishedCrds: ['workspaces.kaito.sh'], readyOperators: [] });
    expect(failed(select(spec({ model: ID }), facts)).message).toBe(
      'no installed provider can serve llamacpp on CPU: repair kaito (operator not running in kaito-workspace)',
    );
  });

  it('keeps the selected engine when provider selection fails', () => {
    expect(failed(select(spec({ model: ID }), usability('vllm')))).toMatchObject({
      engine: 'llamacpp',
      engineReason: 'no GPU requested → llamacpp (the CPU engine)',
    });
  });
});

describe('explicit provider', () => {
  it('is taken when installed and capable', () => {
    const selection = select(
      spec({ model: ID, provider: { name: 'kuberay' }, resources: gpu(2) }),
      usability(...ALL),
    );
    expect(selection).toMatchObject({
      ok: true,
      provider: 'kuberay',
      providerReason: 'explicit provider selection',
      engine: 'vllm',
      engineReason: 'GPU requested → vllm (default GPU engine)',
    });
  });

  it('picks the engine the provider runs on CPU', () => {
    expect(ok(select(spec({ model: ID, provider: { name: 'kaito' } }), usability(...ALL)))).toMatchObject({
      engine: 'llamacpp',
      engineReason: 'no GPU requested → llamacpp (the only engine provider kaito runs on CPU)',
    });
  });

  it.each<[string, ModelDeploymentSpecInput, string, string, string]>([
    [
      'disaggregated on Direct vLLM',
      { model: ID, provider: { name: 'vllm' }, engine: { type: 'vllm' }, ...disaggregated },
      'provider',
      'ModeNotSupported',
      'provider vllm does not support disaggregated mode; use dynamo or llmd, or set serving.mode: aggregated',
    ],
    [
      'disaggregated on KAITO, engine omitted',
      { model: ID, provider: { name: 'kaito' }, ...disaggregated },
      'engine',
      'ModeNotSupported',
      'provider kaito does not support disaggregated mode for engine vllm; use dynamo or llmd, ' +
        'or set serving.mode: aggregated',
    ],
    [
      'sglang on Direct vLLM',
      { model: ID, provider: { name: 'vllm' }, engine: { type: 'sglang' }, resources: gpu(1) },
      'provider',
      'EngineNotSupported',
      'provider vllm does not support engine sglang; use dynamo for sglang, or set engine.type to vllm',
    ],
    [
      'llamacpp on Dynamo',
      { model: ID, provider: { name: 'dynamo' }, engine: { type: 'llamacpp' } },
      'provider',
      'EngineNotSupported',
      'provider dynamo does not support engine llamacpp; use kaito for llamacpp, or set engine.type to ' +
        'vllm, sglang or trtllm',
    ],
    [
      'Dynamo without GPUs, engine omitted',
      { model: ID, provider: { name: 'dynamo' } },
      'engine',
      'GpuRequired',
      'provider dynamo runs vllm only on GPUs; set resources.gpu.count to 1 or more, or for CPU inference use ' +
        'engine llamacpp on provider kaito',
    ],
    [
      'Direct vLLM without GPUs',
      { model: ID, provider: { name: 'vllm' }, engine: { type: 'vllm' } },
      'provider',
      'GpuRequired',
      'provider vllm runs vllm only on GPUs; set resources.gpu.count to 1 or more, or for CPU inference use ' +
        'engine llamacpp on provider kaito',
    ],
  ])('rejects what it cannot run: %s', (_, input, stage, reason, message) => {
    expect(failed(select(spec(input), usability(...ALL)))).toEqual(
      expect.objectContaining({ stage, reason, message, cause: 'spec' }),
    );
  });

  it('fails when not installed, naming the CRD and the alternatives', () => {
    const selection = select(
      spec({ model: ID, provider: { name: 'kaito' }, resources: gpu(1) }),
      usability('vllm'),
    );
    expect(failed(selection)).toMatchObject({
      stage: 'provider',
      reason: 'ProviderNotInstalled',
      cause: 'cluster',
      message:
        `provider kaito is not installed: ${CRD_KAITO} — install it (see Runtimes) or choose another provider ` +
        '(vllm can serve it)',
      engine: 'vllm',
    });
  });

  it('fails when its operator is not running', () => {
    const facts = usableProviders({
      establishedCrds: ['rayservices.ray.io', 'rayclusters.ray.io', 'dynamographdeployments.nvidia.com'],
      readyOperators: ['dynamo'],
    });
    const selection = select(spec({ model: ID, provider: { name: 'kuberay' }, resources: gpu(1) }), facts);
    expect(failed(selection)).toMatchObject({
      reason: 'ProviderNotReady',
      message:
        'provider kuberay is not ready: operator not running (no ready pod labelled ' +
        'app.kubernetes.io/name=kuberay-operator) — check its pods, or choose another provider (dynamo or vllm can serve it)',
    });
  });
});

describe('explicit engine that no provider can run as asked', () => {
  it.each<[string, ModelDeploymentSpecInput, string, string]>([
    [
      'vllm without GPUs',
      { model: ID, engine: { type: 'vllm' } },
      'GpuRequired',
      'engine vllm needs a GPU: set resources.gpu.count to 1 or more, or set engine.type: llamacpp for CPU ' +
        'inference (provider kaito)',
    ],
    [
      'sglang without GPUs',
      { model: ID, engine: { type: 'sglang' } },
      'GpuRequired',
      'engine sglang needs a GPU: set resources.gpu.count to 1 or more, or set engine.type: llamacpp for CPU ' +
        'inference (provider kaito)',
    ],
    [
      'llamacpp disaggregated',
      { model: ID, engine: { type: 'llamacpp' }, ...disaggregated },
      'ModeNotSupported',
      'engine llamacpp does not support disaggregated mode; set serving.mode: aggregated, or use engine vllm, ' +
        'sglang or trtllm',
    ],
  ])('%s', (_, input, reason, message) => {
    expect(failed(select(spec(input), usability(...ALL)))).toMatchObject({
      stage: 'provider',
      reason,
      message,
      cause: 'spec',
    });
  });
});

describe('rule table', () => {
  const requests: ServingRequest[] = ENGINE_TYPES.flatMap((engine) =>
    SERVING_MODES.flatMap((mode) => [true, false].map((gpu) => ({ engine, mode, gpu }))),
  );

  it.each(requests)('covers %o with capable providers only', (request) => {
    const rule = AUTO_SELECTION_RULES.find((r) => r.matches(request));
    expect(rule).toBeDefined();
    if (providersSupporting(request).length === 0) return;
    for (const provider of rule?.order ?? []) expect(supports(provider, request)).toBe(true);
  });

  it('never chooses KubeRay on its own', () => {
    expect(AUTO_SELECTION_RULES.flatMap((r) => r.order)).not.toContain('kuberay');
  });

  it('serves every supported combination when everything is installed', () => {
    for (const request of requests.filter((r) => providersSupporting(r).length > 0)) {
      if (request.mode === 'disaggregated' && !request.gpu) continue; // not expressible in a spec
      const input: ModelDeploymentSpecInput = {
        model: ID,
        engine: { type: request.engine },
        ...(request.mode === 'disaggregated' ? disaggregated : { resources: gpu(request.gpu ? 1 : 0) }),
      };
      expect(select(spec(input), usability(...ALL)).ok).toBe(true);
    }
  });
});

describe('engine selection for a known provider', () => {
  it('prefers vllm > sglang > trtllm > llamacpp among what the provider runs', () => {
    expect(selectEngine(spec({ model: ID, resources: gpu(1) }), 'dynamo')).toMatchObject({ engine: 'vllm' });
    expect(selectEngine(spec({ model: ID, resources: gpu(1) }), 'kaito')).toMatchObject({ engine: 'vllm' });
    expect(selectEngine(spec({ model: ID }), 'kaito')).toMatchObject({ engine: 'llamacpp' });
  });
});

describe('sticky choices', () => {
  const gpuSpec = spec({ model: ID, resources: gpu(1) });
  const previous = {
    provider: 'dynamo' as const,
    providerReason: 'default → dynamo (GPU inference default)',
    engine: 'vllm' as const,
    engineReason: 'GPU requested → vllm (default GPU engine)',
  };

  it('keeps the previous choice when nothing identity-relevant changed', () => {
    const changed = spec({ model: ID, resources: gpu(2), scaling: { replicas: 3 } });
    expect(select(changed, usability(...ALL), { ...previous, spec: gpuSpec })).toEqual({
      ok: true,
      ...previous,
      sticky: true,
    });
  });

  it('keeps it while the provider is temporarily unusable, and says so', () => {
    const selection = ok(select(gpuSpec, usability('vllm'), previous));
    expect(selection).toMatchObject({ provider: 'dynamo', sticky: true });
    expect(selection.notice).toBe(`provider dynamo not installed: ${CRD_DYNAMO}; keeping it`);
  });

  it('does not move a deployment to a provider installed later', () => {
    const fallback = ok(select(gpuSpec, usability('vllm')));
    expect(fallback.provider).toBe('vllm');
    const later = select(gpuSpec, usability(...ALL), {
      provider: fallback.provider,
      providerReason: fallback.providerReason,
      engine: fallback.engine,
      engineReason: fallback.engineReason,
    });
    expect(later).toMatchObject({ provider: 'vllm', providerReason: fallback.providerReason, sticky: true });
  });

  it('turns the reason explicit when the spec pins the kept choice', () => {
    const pinned = spec({
      model: ID,
      engine: { type: 'vllm' },
      provider: { name: 'dynamo' },
      resources: gpu(1),
    });
    expect(ok(select(pinned, usability(...ALL), previous))).toMatchObject({
      engineReason: 'explicit engine selection',
      providerReason: 'explicit provider selection',
      sticky: true,
    });
  });

  it.each<[string, ModelDeploymentSpecInput, string]>([
    ['serving.mode changed', { model: ID, ...disaggregated }, 'identity changed: serving.mode'],
    ['model.id changed', { model: { id: 'Qwen/Qwen3-8B' }, resources: gpu(1) }, 'identity changed: model.id'],
    [
      'engine.type set to something else',
      { model: ID, engine: { type: 'sglang' }, resources: gpu(1) },
      'engine.type is now sglang, previously vllm',
    ],
    [
      'provider.name set to something else',
      { model: ID, provider: { name: 'vllm' }, resources: gpu(1) },
      'identity changed: provider.name',
    ],
    [
      'the kept pair cannot serve the spec any more',
      { model: ID },
      'previous choice dynamo/vllm no longer fits: provider dynamo runs vllm only on GPUs; set resources.gpu.count ' +
        'to 1 or more, or for CPU inference use engine llamacpp on provider kaito',
    ],
  ])('selects again when %s', (_, input, reselected) => {
    const selection = ok(select(spec(input), usability(...ALL), { ...previous, spec: gpuSpec }));
    expect(selection.sticky).toBe(false);
    expect(selection.reselected).toBe(reselected);
  });

  it('compares spec.provider.name and spec.engine.type with status when the previous spec is unknown', () => {
    const named = spec({ model: ID, provider: { name: 'vllm' }, resources: gpu(1) });
    expect(ok(select(named, usability(...ALL), previous)).reselected).toBe(
      'provider.name is now vllm, previously dynamo',
    );
  });

  it('does not count pinning the kept provider as an identity change', () => {
    const pinned = spec({ model: ID, provider: { name: 'dynamo' }, resources: gpu(1) });
    expect(ok(select(pinned, usability(...ALL), { ...previous, spec: gpuSpec }))).toMatchObject({
      sticky: true,
      providerReason: 'explicit provider selection',
    });
  });

  it('reads the previous choice from status', () => {
    expect(
      previousSelectionFrom({
        provider: { name: 'kaito', selectedReason: 'no GPU requested → kaito (only CPU provider)' },
        engine: { type: 'llamacpp', selectedReason: 'explicit engine selection' },
      }),
    ).toEqual({
      provider: 'kaito',
      providerReason: 'no GPU requested → kaito (only CPU provider)',
      engine: 'llamacpp',
      engineReason: 'explicit engine selection',
      spec: undefined,
    });
    expect(select(gpuSpec, usability(...ALL), previousSelectionFrom(undefined))).toMatchObject({
      sticky: false,
    });
  });
});
