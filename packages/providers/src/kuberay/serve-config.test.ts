import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flagsToKwargs, serveConfig, serveConfigYaml, type JsonValue } from './serve-config.js';

describe('flagsToKwargs: vLLM flags as AsyncEngineArgs keyword arguments', () => {
  it('names arguments after the long flags, with underscores', () => {
    expect(flagsToKwargs(['--max-model-len', '4096', '--kv-cache-dtype', 'fp8']).kwargs).toEqual({
      max_model_len: 4096,
      kv_cache_dtype: 'fp8',
    });
  });

  it('reads values as JSON when they are JSON, else as strings', () => {
    expect(
      flagsToKwargs([
        '--gpu-memory-utilization',
        '0.85',
        '--seed',
        '-1',
        '--enable-chunked-prefill',
        'false',
        '--hf-overrides',
        '{"rope_scaling": {"factor": 4}}',
        '--revision',
        '"20240101"',
        '--dtype',
        'bfloat16',
      ]).kwargs,
    ).toEqual({
      gpu_memory_utilization: 0.85,
      seed: -1,
      enable_chunked_prefill: false,
      hf_overrides: { rope_scaling: { factor: 4 } },
      revision: '20240101',
      dtype: 'bfloat16',
    });
  });

  it('makes bare flags true and their --no- form false', () => {
    expect(
      flagsToKwargs(['--trust-remote-code', '--no-enable-prefix-caching', '--enforce-eager']).kwargs,
    ).toEqual({
      trust_remote_code: true,
      enable_prefix_caching: false,
      enforce_eager: true,
    });
  });

  it('splits --flag=value at the first "="', () => {
    expect(
      flagsToKwargs(['--kv-cache-dtype=fp8', '--override-generation-config={"temperature":0.5}']).kwargs,
    ).toEqual({
      kv_cache_dtype: 'fp8',
      override_generation_config: { temperature: 0.5 },
    });
  });

  it('collects several values after one flag into a list', () => {
    expect(flagsToKwargs(['--served-model-name', 'a', 'b', '--max-num-seqs', '8']).kwargs).toEqual({
      served_model_name: ['a', 'b'],
      max_num_seqs: 8,
    });
  });

  it('keeps the last of a repeated flag, in its last position', () => {
    expect(Object.entries(flagsToKwargs(['--seed', '1', '--dtype', 'half', '--seed', '2']).kwargs)).toEqual([
      ['dtype', 'half'],
      ['seed', 2],
    ]);
  });

  it('expands the short aliases engineArgs knows and refuses other short flags', () => {
    expect(flagsToKwargs(['-tp', '4', '-O3', '-q', 'awq'])).toEqual({
      kwargs: { tensor_parallel_size: 4 },
      unconvertible: ['-O3', '-q'],
    });
  });
});

describe('serveConfigYaml: readable, typed YAML', () => {
  const values: JsonValue = {
    plain: 'text',
    looksLikeOtherTypes: ['true', 'no', '1.10', 'null', '~', '0x10', '2024-01-01'],
    special: 'a: b # c\n- d "quoted" \\ back\ttab',
    numbers: [0, -1, 0.25, 1e21, 1e-7, -2.5e-9],
    on: 'a key YAML 1.1 reads as true',
    flags: [true, false, null],
    empty: { list: [], map: {} },
    nested: [[1, 2], [{ a: 1, b: [] }], { 'key with spaces': 'v', 'dash-key': 1 }],
  };

  it('parses back to the same values', () => {
    expect(parse(serveConfigYaml(values))).toEqual(values);
  });

  it('writes exponents and YAML 1.1 words so that YAML 1.1 reads them back the same', () => {
    expect(serveConfigYaml({ tiny: 1e-7, huge: 1e21, exact: 2.5e-9, no: true })).toBe(
      ['tiny: 1.0e-7', 'huge: 1.0e+21', 'exact: 2.5e-9', '"no": true', ''].join('\n'),
    );
  });

  it('writes block style with quoted strings', () => {
    expect(serveConfigYaml({ a: { b: ['x', { c: 1, d: 'y' }] }, 'e-f': true })).toBe(
      ['a:', '  b:', '    - "x"', '    - c: 1', '      d: "y"', '"e-f": true', ''].join('\n'),
    );
  });
});

describe('serveConfig', () => {
  it('is one OpenAI-compatible Ray Serve LLM application at /', () => {
    expect(
      serveConfig({
        servedName: 'qwen',
        modelSource: 'Qwen/Qwen3-0.6B',
        engineKwargs: { max_model_len: 4096 },
        replicas: { initial: 2 },
      }),
    ).toEqual({
      applications: [
        {
          name: 'llm',
          route_prefix: '/',
          import_path: 'ray.serve.llm:build_openai_app',
          args: {
            llm_configs: [
              {
                model_loading_config: { model_id: 'qwen', model_source: 'Qwen/Qwen3-0.6B' },
                engine_kwargs: { max_model_len: 4096 },
                deployment_config: { num_replicas: 2 },
              },
            ],
          },
        },
      ],
    });
  });

  it('autoscales between bounds, starting from the initial count', () => {
    const config = serveConfig({
      servedName: 'm',
      modelSource: 'org/m',
      engineKwargs: {},
      replicas: { initial: 2, autoscaling: { min: 1, max: 4, targetOngoingRequests: 16 } },
    });
    expect(JSON.stringify(config)).toContain(
      '"deployment_config":{"autoscaling_config":{"min_replicas":1,"initial_replicas":2,"max_replicas":4,' +
        '"target_ongoing_requests":16}}',
    );
  });

  it('turns off engine metrics when disable-log-stats is set (Ray Serve LLM refuses both)', () => {
    const config = serveConfig({
      servedName: 'm',
      modelSource: 'org/m',
      engineKwargs: { disable_log_stats: true },
      replicas: { initial: 1 },
    });
    expect(JSON.stringify(config)).toContain('"log_engine_metrics":false');
  });
});
