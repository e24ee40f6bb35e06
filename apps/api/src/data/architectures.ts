// Which inference engines load which model architectures (the `architectures` of a model's
// config.json), for HuggingFace search results. Curated models carry their own, checked
// `supportedEngines` in model-catalog.ts, which wins over this table for their ids. llama.cpp is
// absent on purpose: it serves GGUF files, which are recognised by format, not architecture.
import type { EngineType } from '@airunway/schema';

const VLLM_SGLANG_TRTLLM = ['vllm', 'sglang', 'trtllm'] as const satisfies readonly EngineType[];
const VLLM_SGLANG = ['vllm', 'sglang'] as const satisfies readonly EngineType[];
const VLLM_TRTLLM = ['vllm', 'trtllm'] as const satisfies readonly EngineType[];
const VLLM = ['vllm'] as const satisfies readonly EngineType[];

export const ARCHITECTURE_ENGINES: Readonly<Record<string, readonly EngineType[]>> = {
  // Llama and the many models built on its layout
  LlamaForCausalLM: VLLM_SGLANG_TRTLLM,
  MistralForCausalLM: VLLM_SGLANG_TRTLLM,
  MixtralForCausalLM: VLLM_SGLANG_TRTLLM,
  Llama4ForConditionalGeneration: VLLM_SGLANG_TRTLLM,
  // Qwen
  Qwen2ForCausalLM: VLLM_SGLANG_TRTLLM,
  Qwen2MoeForCausalLM: VLLM_SGLANG_TRTLLM,
  Qwen3ForCausalLM: VLLM_SGLANG_TRTLLM,
  Qwen3MoeForCausalLM: VLLM_SGLANG_TRTLLM,
  Qwen3NextForCausalLM: VLLM_SGLANG,
  // DeepSeek (Kimi K2 uses the V3 layout)
  DeepseekV2ForCausalLM: VLLM_SGLANG_TRTLLM,
  DeepseekV3ForCausalLM: VLLM_SGLANG_TRTLLM,
  // Google, Microsoft, OpenAI
  GemmaForCausalLM: VLLM_SGLANG_TRTLLM,
  Gemma2ForCausalLM: VLLM_SGLANG_TRTLLM,
  Gemma3ForCausalLM: VLLM_SGLANG,
  Phi3ForCausalLM: VLLM_SGLANG_TRTLLM,
  PhiMoEForCausalLM: VLLM_SGLANG,
  GptOssForCausalLM: VLLM_SGLANG_TRTLLM,
  // Others with broad engine support
  Glm4ForCausalLM: VLLM_SGLANG,
  Glm4MoeForCausalLM: VLLM_SGLANG,
  ChatGLMModel: VLLM_SGLANG_TRTLLM,
  GraniteForCausalLM: VLLM_SGLANG,
  GraniteMoeForCausalLM: VLLM_SGLANG,
  Olmo2ForCausalLM: VLLM_SGLANG,
  OlmoeForCausalLM: VLLM_SGLANG,
  InternLM2ForCausalLM: VLLM_SGLANG_TRTLLM,
  InternLM3ForCausalLM: VLLM_SGLANG,
  ExaoneForCausalLM: VLLM_SGLANG,
  CohereForCausalLM: VLLM_SGLANG,
  Cohere2ForCausalLM: VLLM_SGLANG,
  MiniCPMForCausalLM: VLLM_SGLANG,
  SmolLM3ForCausalLM: VLLM_SGLANG,
  StarCoder2ForCausalLM: VLLM_SGLANG,
  BaichuanForCausalLM: VLLM_SGLANG_TRTLLM,
  NemotronForCausalLM: VLLM_TRTLLM,
  FalconForCausalLM: VLLM_TRTLLM,
  GPTBigCodeForCausalLM: VLLM_TRTLLM,
  GPTNeoXForCausalLM: VLLM_TRTLLM,
  GPTJForCausalLM: VLLM_TRTLLM,
  GPT2LMHeadModel: VLLM_TRTLLM,
  // Hybrid and state-space models: vLLM only
  FalconH1ForCausalLM: VLLM,
  NemotronHForCausalLM: VLLM,
  JambaForCausalLM: VLLM,
  MambaForCausalLM: VLLM,
};

/**
 * Architectures guessed from a repository id, for models whose config the Hub does not show.
 * Most specific first: "qwen3-30b-a3b" must meet the MoE rule before the Qwen3 one.
 */
export const ARCHITECTURE_BY_ID: readonly (readonly [RegExp, string])[] = [
  [/llama-?4/i, 'Llama4ForConditionalGeneration'],
  [/llama-?[23]/i, 'LlamaForCausalLM'],
  [/mixtral/i, 'MixtralForCausalLM'],
  [/mistral|ministral/i, 'MistralForCausalLM'],
  [/qwen3.*(moe|-a\d+b)/i, 'Qwen3MoeForCausalLM'],
  [/qwen3/i, 'Qwen3ForCausalLM'],
  [/qwen2(\.5)?.*moe/i, 'Qwen2MoeForCausalLM'],
  [/qwen/i, 'Qwen2ForCausalLM'],
  [/gemma-?3/i, 'Gemma3ForCausalLM'],
  [/gemma-?2/i, 'Gemma2ForCausalLM'],
  [/phi-?[34]/i, 'Phi3ForCausalLM'],
  [/deepseek-?v3|deepseek-r1(?!-distill)|kimi-k2/i, 'DeepseekV3ForCausalLM'],
  [/gpt-oss/i, 'GptOssForCausalLM'],
  [/granite/i, 'GraniteForCausalLM'],
  [/olmo-?2/i, 'Olmo2ForCausalLM'],
];
