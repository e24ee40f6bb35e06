import { describe, expect, it } from 'vitest';
import {
  ModelDeploymentSpecSchema,
  ModelDeploymentStatusSchema,
  parseModelDeployment,
  parseModelDeploymentSpec,
  type ModelDeploymentSpec,
} from './index.js';
import { manifest, VALID_SPECS } from './testing/rule-violations.js';

function errorsOf(input: unknown) {
  const result = parseModelDeployment(input);
  if (result.success) throw new Error('expected the manifest to be rejected');
  return result.errors;
}

describe('ModelDeploymentSpec defaults', () => {
  it('fills every default of the API reference into a minimal spec', () => {
    const spec: ModelDeploymentSpec = ModelDeploymentSpecSchema.parse({ model: { id: 'x' } });
    expect(spec).toEqual({
      model: { id: 'x', source: 'huggingface' },
      engine: {
        trustRemoteCode: false,
        args: {},
        extraArgs: [],
        enablePrefixCaching: true,
        enforceEager: false,
      },
      serving: { mode: 'aggregated' },
      scaling: { replicas: 1 },
      resources: { gpu: { count: 0, type: 'nvidia.com/gpu' } },
    });
  });

  it('defaults provider.overrides once a provider is given', () => {
    const spec = ModelDeploymentSpecSchema.parse({ model: { id: 'x' }, provider: { name: 'kaito' } });
    expect(spec.provider).toEqual({ name: 'kaito', overrides: {} });
  });

  it('defaults each worker pool to one replica and the default GPU resource', () => {
    const spec = ModelDeploymentSpecSchema.parse(VALID_SPECS.disaggregated);
    expect(spec.scaling).toEqual({
      prefill: { replicas: 1, gpu: { count: 4, type: 'nvidia.com/gpu' } },
      decode: { replicas: 1, gpu: { count: 2, type: 'nvidia.com/gpu' } },
    });
  });

  it('defaults replicas through scaling only, so a given scaling without replicas stays without', () => {
    expect(ModelDeploymentSpecSchema.parse({ model: { id: 'x' }, scaling: {} }).scaling).toEqual({});
  });

  it('keeps explicit values over defaults', () => {
    const spec = ModelDeploymentSpecSchema.parse({
      model: { id: 'x', source: 'custom' },
      engine: { type: 'sglang', enablePrefixCaching: false, trustRemoteCode: true },
      serving: { mode: 'aggregated' },
      resources: { gpu: { count: 2, type: 'amd.com/gpu' }, memory: 1073741824, cpu: '500m' },
    });
    expect(spec.model.source).toBe('custom');
    expect(spec.engine).toMatchObject({ type: 'sglang', enablePrefixCaching: false, trustRemoteCode: true });
    expect(spec.resources).toEqual({
      gpu: { count: 2, type: 'amd.com/gpu' },
      memory: 1073741824,
      cpu: '500m',
    });
  });

  it('does not invent a gateway setting: "enabled" is decided by the operator when unset', () => {
    expect(ModelDeploymentSpecSchema.parse({ model: { id: 'x' } }).gateway).toBeUndefined();
  });
});

describe('ModelDeployment parsing', () => {
  it('accepts a custom-source model without an id', () => {
    const result = parseModelDeployment(
      manifest({ model: { source: 'custom' }, engine: { image: 'ghcr.io/kaito-project/aikit/llama3.2:1b' } }),
    );
    expect(result.success).toBe(true);
  });

  it('keeps metadata fields it does not model (uid, resourceVersion, …)', () => {
    const result = parseModelDeployment({
      ...manifest(VALID_SPECS.aggregated),
      metadata: { name: 'qwen', namespace: 'default', uid: 'u-1', resourceVersion: '7', generation: 2 },
    });
    expect(result).toMatchObject({ success: true, data: { metadata: { uid: 'u-1', resourceVersion: '7' } } });
  });

  it('rejects a wrong apiVersion and kind', () => {
    const errors = errorsOf({
      ...manifest(VALID_SPECS.aggregated),
      apiVersion: 'airunway.ai/v1',
      kind: 'Model',
    });
    expect(errors.map((error) => error.path)).toEqual(['apiVersion', 'kind']);
  });

  it.each([
    [
      'an unknown engine',
      { engine: { type: 'tgi' } },
      'spec.engine.type',
      /expected one of "vllm"\|"sglang"/,
    ],
    [
      'an unknown provider',
      { provider: { name: 'ollama' } },
      'spec.provider.name',
      /expected one of "dynamo"/,
    ],
    [
      'an unknown model source',
      { model: { id: 'x', source: 's3' } },
      'spec.model.source',
      /"huggingface"\|"custom"/,
    ],
    [
      'an unknown serving mode',
      { serving: { mode: 'split' } },
      'spec.serving.mode',
      /"aggregated"\|"disaggregated"/,
    ],
    ['replicas as text', { scaling: { replicas: 'two' } }, 'spec.scaling.replicas', /expected number/],
    ['fractional GPUs', { resources: { gpu: { count: 0.5 } } }, 'spec.resources.gpu.count', /expected int/],
    ['more than 64 GPUs', { resources: { gpu: { count: 65 } } }, 'spec.resources.gpu.count', /<=64/],
    ['more than 32 replicas', { scaling: { replicas: 33 } }, 'spec.scaling.replicas', /<=32/],
    ['negative replicas', { scaling: { replicas: -1 } }, 'spec.scaling.replicas', />=0/],
    ['a context length of 0', { engine: { contextLength: 0 } }, 'spec.engine.contextLength', />=1/],
    ['memory that is no quantity', { resources: { memory: '32 GiB' } }, 'spec.resources.memory', /quantity/],
    ['a negative CPU request', { resources: { cpu: -5 } }, 'spec.resources.cpu', /quantity/],
    [
      'a GPU type without a domain',
      { resources: { gpu: { type: 'gpu' } } },
      'spec.resources.gpu.type',
      /nvidia/,
    ],
    [
      'a Secret name with capitals',
      { secrets: { huggingFaceToken: 'HF_Token' } },
      'spec.secrets.huggingFaceToken',
      /name/,
    ],
    [
      'a label value with spaces',
      { nodeSelector: { pool: 'gpu nodes' } },
      'spec.nodeSelector.pool',
      /label value/,
    ],
    [
      'a typo in a field name',
      { scaling: { replica: 2 } },
      'spec.scaling.replica',
      /^unknown field "replica"$/,
    ],
    ['too many engine args', { engine: { args: manyArgs(65) } }, 'spec.engine.args', /at most 64 entries/],
    ['a missing model', { model: undefined }, 'spec.model', /^Required value$/],
    ['an empty model id', { model: { id: '' } }, 'spec.model.id', />=1 characters/],
    [
      'an invalid toleration effect',
      { tolerations: [{ key: 'k', effect: 'Never' }] },
      'spec.tolerations[0].effect',
      /NoExecute/,
    ],
    [
      'two env vars with one name',
      {
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      },
      'spec.env[1].name',
      /^duplicate entry: another item already has name "A"$/,
    ],
  ])('rejects %s with its field path', (_case, patch, path, message) => {
    const errors = errorsOf(manifest({ ...VALID_SPECS.aggregated, ...patch }));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe(path);
    expect(errors[0]?.message).toMatch(message);
  });

  it('reports a missing spec as the apiserver does', () => {
    const { spec: _spec, ...withoutSpec } = manifest(VALID_SPECS.aggregated);
    expect(errorsOf(withoutSpec)).toEqual([{ path: 'spec', message: 'Required value' }]);
  });

  it('reports several errors at once', () => {
    const errors = errorsOf(
      manifest({ model: { id: 'x' }, engine: { type: 'tgi' }, scaling: { replicas: 99 } }),
    );
    expect(errors.map((error) => error.path).sort()).toEqual(['spec.engine.type', 'spec.scaling.replicas']);
  });
});

describe('parseModelDeploymentSpec', () => {
  it('returns the defaulted spec', () => {
    expect(parseModelDeploymentSpec({ model: { id: 'x' } })).toMatchObject({
      success: true,
      data: { serving: { mode: 'aggregated' } },
    });
  });

  it('reports paths from spec, as they would read for the whole object', () => {
    expect(parseModelDeploymentSpec({ model: { source: 'huggingface' } })).toEqual({
      success: false,
      errors: [{ path: 'spec.model.id', message: 'model.id is required when model.source is huggingface' }],
    });
  });
});

describe('ModelDeploymentStatus', () => {
  const ready = {
    type: 'Ready',
    status: 'True',
    reason: 'DeploymentReady',
    message: 'All replicas are ready',
    lastTransitionTime: '2025-01-15T10:30:00Z',
  };

  it('accepts what the operator reports', () => {
    const status = {
      phase: 'Running',
      message: 'DynamoGraphDeployment created, pods are ready',
      observedGeneration: 3,
      conditions: [
        ready,
        { ...ready, type: 'ProviderSelected', reason: 'AutoSelected', observedGeneration: 3 },
      ],
      provider: {
        name: 'dynamo',
        selectedReason: 'default → dynamo (GPU inference default)',
        resourceName: 'llama-8b',
        resourceKind: 'DynamoGraphDeployment',
      },
      engine: { type: 'vllm', selectedReason: 'explicit engine selection' },
      replicas: { desired: 6, ready: 6, available: 6 },
      endpoint: { service: 'llama-8b-frontend', port: 8000 },
      gateway: { endpoint: 'http://10.0.0.50', modelName: 'Llama-3.1-8B-Instruct' },
    };
    expect(ModelDeploymentStatusSchema.parse(status)).toEqual(status);
  });

  it('rejects an unknown phase, a bad condition and a repeated condition type', () => {
    const result = ModelDeploymentStatusSchema.safeParse({
      phase: 'Done',
      conditions: [ready, { ...ready, status: 'Yes' }, ready],
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'conditions.1.status',
      'phase',
    ]);
    const duplicate = ModelDeploymentStatusSchema.safeParse({ conditions: [ready, ready] });
    expect(duplicate.error?.issues).toMatchObject([
      { path: ['conditions', 1, 'type'], message: 'duplicate entry: another item already has type "Ready"' },
    ]);
  });

  it('requires RFC 3339 transition times', () => {
    const result = ModelDeploymentStatusSchema.safeParse({
      conditions: [{ ...ready, lastTransitionTime: 'now' }],
    });
    expect(result.error?.issues[0]?.path).toEqual(['conditions', 0, 'lastTransitionTime']);
  });
});

function manyArgs(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`flag-${index}`, 'x']));
}
