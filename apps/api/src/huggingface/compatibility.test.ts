import { describe, expect, it } from 'vitest';
import { assessModel, parameterCountOf } from './compatibility.js';
import type { HubModel } from './hub-schemas.js';

const model = (over: Partial<HubModel> & { id: string }): HubModel => ({
  pipeline_tag: 'text-generation',
  library_name: 'transformers',
  ...over,
});

describe('assessModel', () => {
  it('takes the engines of the declared architectures, in preference order', () => {
    expect(assessModel(model({ id: 'x/y', config: { architectures: ['Gemma3ForCausalLM'] } }))).toEqual({
      compatible: true,
      engines: ['vllm', 'sglang'],
      architectures: ['Gemma3ForCausalLM'],
    });
  });

  it('keeps the catalog’s engines for curated models (ids compared without case)', () => {
    const verdict = assessModel(
      model({ id: 'microsoft/phi-4-mini-instruct', config: { architectures: ['Phi3ForCausalLM'] } }),
    );
    expect(verdict).toMatchObject({ compatible: true, engines: ['vllm', 'sglang'] });
  });

  it('serves GGUF repositories with llama.cpp, whatever their architecture', () => {
    expect(assessModel(model({ id: 'a/b-GGUF', library_name: null, tags: ['gguf', 'qwen3'] }))).toMatchObject(
      {
        compatible: true,
        engines: ['llamacpp'],
      },
    );
    expect(assessModel(model({ id: 'a/b', library_name: 'gguf' }))).toMatchObject({ engines: ['llamacpp'] });
  });

  it('guesses the architecture from the id when the config is missing', () => {
    expect(assessModel(model({ id: 'someone/Qwen3-30B-A3B-tuned', config: null }))).toMatchObject({
      compatible: true,
      architectures: ['Qwen3MoeForCausalLM'],
    });
  });

  it.each<[Partial<HubModel> & { id: string }, string]>([
    [
      { id: 'RWKV/rwkv-4-169m-pile', config: { architectures: ['RwkvForCausalLM'] } },
      'architecture RwkvForCausalLM',
    ],
    [{ id: 'a/mystery' }, 'architecture unknown'],
    [{ id: 'mlx-community/Qwen3-0.6B-4bit', library_name: 'mlx' }, 'library mlx'],
    [
      { id: 'a/adapter', library_name: 'peft', config: { architectures: ['LlamaForCausalLM'] } },
      'library peft',
    ],
    [{ id: 'a/bert', pipeline_tag: 'fill-mask' }, 'pipeline fill-mask'],
  ])('leaves out %o (%s)', (over, reason) => {
    expect(assessModel(model(over))).toMatchObject({ compatible: false, reason });
  });
});

describe('parameterCountOf', () => {
  it('reads safetensors.total, else sums the dtypes, else nothing', () => {
    expect(parameterCountOf({ safetensors: { total: 8030261248, parameters: { BF16: 1 } } })).toBe(
      8030261248,
    );
    expect(parameterCountOf({ safetensors: { parameters: { BF16: 1000, F32: 24 } } })).toBe(1024);
    expect(parameterCountOf({ safetensors: null })).toBeUndefined();
    expect(parameterCountOf({})).toBeUndefined();
  });
});
