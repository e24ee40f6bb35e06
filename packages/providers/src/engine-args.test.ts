import type { EngineType, ModelDeploymentSpecInput } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { defaultServedName, engineArgs, setsFlag, type EngineArgsOptions } from './engine-args.js';
import { spec } from './testing/fixtures.js';

function args(input: ModelDeploymentSpecInput, engine: EngineType, options?: EngineArgsOptions) {
  const result = engineArgs(spec(input), engine, options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

const model = { id: 'Qwen/Qwen3-8B' };

describe('engine flags from the structured fields', () => {
  it.each<[EngineType, ModelDeploymentSpecInput, string[]]>([
    [
      'vllm',
      { model, engine: { type: 'vllm' }, resources: { gpu: { count: 1 } } },
      [
        '--model',
        'Qwen/Qwen3-8B',
        '--served-model-name',
        'Qwen3-8B',
        '--enable-prefix-caching',
        '--gpu-memory-utilization',
        '0.9',
      ],
    ],
    [
      'vllm',
      {
        model: { ...model, servedName: 'qwen' },
        engine: {
          type: 'vllm',
          contextLength: 8192,
          trustRemoteCode: true,
          enablePrefixCaching: false,
          enforceEager: true,
        },
        resources: { gpu: { count: 2 } },
      },
      [
        '--model',
        'Qwen/Qwen3-8B',
        '--served-model-name',
        'qwen',
        '--max-model-len',
        '8192',
        '--trust-remote-code',
        '--no-enable-prefix-caching',
        '--enforce-eager',
        '--tensor-parallel-size',
        '2',
        '--gpu-memory-utilization',
        '0.9',
      ],
    ],
    [
      'sglang',
      {
        model,
        engine: { type: 'sglang', contextLength: 4096, trustRemoteCode: true },
        resources: { gpu: { count: 4 } },
      },
      [
        '--model-path',
        'Qwen/Qwen3-8B',
        '--served-model-name',
        'Qwen3-8B',
        '--context-length',
        '4096',
        '--trust-remote-code',
        '--tp-size',
        '4',
        '--mem-fraction-static',
        '0.88',
      ],
    ],
    [
      'sglang',
      {
        model,
        engine: { type: 'sglang', enablePrefixCaching: false, enforceEager: true },
        resources: { gpu: { count: 1 } },
      },
      [
        '--model-path',
        'Qwen/Qwen3-8B',
        '--served-model-name',
        'Qwen3-8B',
        '--disable-radix-cache',
        '--disable-cuda-graph',
        '--mem-fraction-static',
        '0.88',
      ],
    ],
    [
      'trtllm',
      { model, engine: { type: 'trtllm' }, resources: { gpu: { count: 8 } } },
      ['--model-path', 'Qwen/Qwen3-8B', '--served-model-name', 'Qwen3-8B', '--tensor-parallel-size', '8'],
    ],
    ['llamacpp', { model, engine: { type: 'llamacpp', contextLength: 2048 } }, ['--ctx-size', '2048']],
  ])('%s %#', (engine, input, expected) => {
    expect(args(input, engine).args).toEqual(expected);
  });

  it('notes what an engine cannot honour', () => {
    expect(
      args(
        { model, engine: { type: 'trtllm', contextLength: 8192 }, resources: { gpu: { count: 1 } } },
        'trtllm',
      ).notes,
    ).toEqual([
      'engine.contextLength is ignored for trtllm: the context length is fixed when the engine is built',
    ]);
    expect(
      args(
        { model, engine: { type: 'llamacpp', enablePrefixCaching: false, enforceEager: true } },
        'llamacpp',
      ).notes,
    ).toEqual([
      'engine.enablePrefixCaching: false has no effect on llamacpp',
      'engine.enforceEager has no effect on llamacpp',
    ]);
  });

  it('passes no GPU memory flag without GPUs', () => {
    expect(args({ model, engine: { type: 'vllm' } }, 'vllm').args).not.toContain('--gpu-memory-utilization');
  });

  it('takes the GPU count of the worker when given (disaggregated workers)', () => {
    expect(args({ model, engine: { type: 'vllm' } }, 'vllm', { gpuCount: 4 }).args).toEqual(
      expect.arrayContaining(['--tensor-parallel-size', '4']),
    );
  });

  it('leaves out model and served name for a custom model without an id', () => {
    expect(
      args(
        {
          model: { source: 'custom' },
          engine: { type: 'vllm', image: 'x:1' },
          resources: { gpu: { count: 1 } },
        },
        'vllm',
      ).args,
    ).toEqual(['--enable-prefix-caching', '--gpu-memory-utilization', '0.9']);
  });
});

describe('engine.args and engine.extraArgs', () => {
  it('appends args sorted by name ("--name" alone for an empty value), then extraArgs verbatim', () => {
    const result = args(
      {
        model,
        engine: {
          type: 'vllm',
          args: { 'max-num-seqs': '8', quantization: 'awq', 'disable-log-stats': '', 'Block-size': '16' },
          extraArgs: ['--enable-chunked-prefill', '--speculative-config', '{"method":"ngram"}'],
        },
        resources: { gpu: { count: 1 } },
      },
      'vllm',
    );
    expect(result.args.slice(7)).toEqual([
      '--Block-size',
      '16',
      '--disable-log-stats',
      '--max-num-seqs',
      '8',
      '--quantization',
      'awq',
      '--enable-chunked-prefill',
      '--speculative-config',
      '{"method":"ngram"}',
    ]);
  });

  it.each<[string, ModelDeploymentSpecInput, string, string[]]>([
    [
      'model in args',
      { model, engine: { type: 'vllm', args: { model: '/m' } } },
      '--model',
      ['--model', '/m'],
    ],
    [
      'served name in extraArgs',
      { model, engine: { type: 'vllm', extraArgs: ['--served-model-name=x'] } },
      '--served-model-name',
      ['--served-model-name=x'],
    ],
    [
      'tensor parallel as -tp',
      { model, engine: { type: 'vllm', extraArgs: ['-tp', '2'] }, resources: { gpu: { count: 4 } } },
      '--tensor-parallel-size',
      [],
    ],
    [
      'GPU memory with underscores',
      {
        model,
        engine: { type: 'vllm', args: { gpu_memory_utilization: '0.7' } },
        resources: { gpu: { count: 1 } },
      },
      '--gpu-memory-utilization',
      [],
    ],
    [
      'prefix caching turned off by hand',
      { model, engine: { type: 'vllm', extraArgs: ['--no-enable-prefix-caching'] } },
      '--enable-prefix-caching',
      [],
    ],
  ])('the user wins over the default: %s', (_, input, flag, userPart) => {
    const result = args(input, 'vllm');
    const generated = result.args.slice(0, result.args.length - userPart.length);
    expect(generated).not.toContain(flag);
    expect(result.args.slice(result.args.length - userPart.length)).toEqual(userPart);
  });

  it('is stable: same input, same output', () => {
    const input: ModelDeploymentSpecInput = {
      model,
      engine: { type: 'vllm', args: { z: '1', a: '2', m: '' } },
    };
    expect(args(input, 'vllm').args).toEqual(args(input, 'vllm').args);
    expect(args(input, 'vllm').args.filter((a) => ['--a', '--m', '--z'].includes(a))).toEqual([
      '--a',
      '--m',
      '--z',
    ]);
  });
});

describe('reserved flags', () => {
  const reservedFlags = [{ name: 'port', why: 'the provider serves on 8000' }];

  it.each<[ModelDeploymentSpecInput['engine'], { path: string; message: string }[]]>([
    [
      { type: 'vllm', args: { port: '9000' } },
      [
        {
          path: 'spec.engine.args.port',
          message: 'engine.args.port cannot be set: the provider serves on 8000; remove it',
        },
      ],
    ],
    [
      { type: 'vllm', extraArgs: ['--enforce-eager', '--port', '9000'] },
      [
        {
          path: 'spec.engine.extraArgs[1]',
          message: '"--port" cannot be used: the provider serves on 8000; remove it',
        },
      ],
    ],
    [
      { type: 'vllm', extraArgs: ['--port=9000'] },
      [
        {
          path: 'spec.engine.extraArgs[0]',
          message: '"--port=9000" cannot be used: the provider serves on 8000; remove it',
        },
      ],
    ],
  ])('are rejected with the field to fix: %o', (engine, errors) => {
    expect(engineArgs(spec({ model, engine }), 'vllm', { reservedFlags })).toEqual({ ok: false, errors });
  });

  it('do not catch flags that merely start alike', () => {
    expect(
      engineArgs(spec({ model, engine: { type: 'vllm', extraArgs: ['--port-range=1'] } }), 'vllm', {
        reservedFlags,
      }).ok,
    ).toBe(true);
  });
});

describe('helpers', () => {
  it.each([
    ['Qwen/Qwen3-0.6B', 'Qwen3-0.6B'],
    ['gpt2', 'gpt2'],
    ['org/model/', 'model'],
  ])('defaultServedName(%s) = %s', (id, name) => {
    expect(defaultServedName(id)).toBe(name);
  });

  it('setsFlag matches args keys and extraArgs spellings', () => {
    expect(setsFlag({ 'max-model-len': '1' }, [], '--max-model-len')).toBe(true);
    expect(setsFlag({}, ['--max-model-len=1'], '--max-model-len')).toBe(true);
    expect(setsFlag({}, ['--max_model_len', '1'], '--max-model-len')).toBe(true);
    expect(setsFlag({}, ['-tp=2'], '-tp')).toBe(true);
    expect(setsFlag({ tp: '2' }, [], '-tp')).toBe(false);
    expect(setsFlag({}, ['--max-model-length'], '--max-model-len')).toBe(false);
  });
});
