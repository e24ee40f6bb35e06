import { ENGINE_TYPES, PROVIDER_NAMES } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { checkSupport, PROVIDER_CATALOGUE, PROVIDERS, providersSupporting, supports } from './catalogue.js';

// The capability matrix, written out: provider → engine → [aggregated, disaggregated, GPU, CPU].
const MATRIX = {
  dynamo: { vllm: 'AD G', sglang: 'AD G', trtllm: 'AD G' },
  kaito: { vllm: 'A  G', llamacpp: 'A  GC' },
  kuberay: { vllm: 'A  G' },
  llmd: { vllm: 'AD G' },
  vllm: { vllm: 'A  G' },
} as const;

describe('provider catalogue', () => {
  it('lists every provider once, in PROVIDER_NAMES order', () => {
    expect(PROVIDERS.map((p) => p.id)).toEqual([...PROVIDER_NAMES]);
  });

  it.each(PROVIDER_NAMES)('has the documented capabilities for %s', (provider) => {
    const written = Object.fromEntries(
      PROVIDER_CATALOGUE[provider].capabilities.engines.map((c) => [
        c.engine,
        `${c.servingModes.includes('aggregated') ? 'A' : ' '}${c.servingModes.includes('disaggregated') ? 'D' : ' '} ` +
          `${c.gpu ? 'G' : ''}${c.cpu ? 'C' : ''}`,
      ]),
    );
    expect(written).toEqual(MATRIX[provider]);
  });

  it('detects providers by their CRDs and operators', () => {
    const detection = Object.fromEntries(PROVIDERS.map((p) => [p.id, p.detection]));
    expect(detection.dynamo?.crds).toEqual(['dynamographdeployments.nvidia.com']);
    expect(detection.dynamo?.operator[0]?.namespace).toBe('dynamo-system');
    expect(detection.kaito?.crds).toEqual(['workspaces.kaito.sh']);
    expect(detection.kaito?.operator.map((o) => o.namespace)).toEqual(['kaito-workspace', undefined]);
    expect(detection.kuberay?.crds).toEqual(['rayservices.ray.io', 'rayclusters.ray.io']);
    expect(detection.llmd).toEqual({ crds: ['inferencepools.inference.networking.k8s.io'], operator: [] });
    expect(detection.vllm).toEqual({ crds: [], operator: [] });
  });

  it('only CPU provider is KAITO with llamacpp', () => {
    for (const engine of ENGINE_TYPES) {
      expect(providersSupporting({ engine, mode: 'aggregated', gpu: false })).toEqual(
        engine === 'llamacpp' ? ['kaito'] : [],
      );
    }
  });

  it('explains what to change when a provider cannot serve a request', () => {
    expect(checkSupport('vllm', { engine: 'vllm', mode: 'disaggregated', gpu: true })).toEqual({
      reason: 'ModeNotSupported',
      message:
        'provider vllm does not support disaggregated mode; use dynamo or llmd, or set serving.mode: aggregated',
    });
    expect(checkSupport('kuberay', { engine: 'trtllm', mode: 'aggregated', gpu: true })).toEqual({
      reason: 'EngineNotSupported',
      message:
        'provider kuberay does not support engine trtllm; use dynamo for trtllm, or set engine.type to vllm',
    });
    expect(supports('kaito', { engine: 'llamacpp', mode: 'aggregated', gpu: true })).toBe(true);
  });
});
