// Whether a Hub model is something AI Runway can serve, and with which engines:
//   - its pipeline is text-generation;
//   - GGUF repositories (library "gguf" or the "gguf" tag) are served by llama.cpp;
//   - otherwise its weights must be in a format the engines load (library transformers, vllm
//     or sglang, or none declared; MLX, ONNX, adapters… are not), and one of its architectures
//     (config.architectures, else guessed from the id) must be known to an engine.
// Curated models keep the engines the catalog lists for them.
import { ENGINE_TYPES, type EngineType } from '@airunway/schema';
import { ARCHITECTURE_BY_ID, ARCHITECTURE_ENGINES } from '../data/architectures.js';
import { MODEL_CATALOG } from '../data/model-catalog.js';
import type { HubModel } from './hub-schemas.js';

const SERVABLE_LIBRARIES = new Set(['transformers', 'vllm', 'sglang']);
const CATALOG_ENGINES = new Map(MODEL_CATALOG.map((m) => [m.id.toLowerCase(), m.supportedEngines]));

export type Assessment =
  | { readonly compatible: true; readonly engines: EngineType[]; readonly architectures: string[] }
  | { readonly compatible: false; readonly reason: string; readonly architectures: string[] };

export function isGguf(model: Pick<HubModel, 'library_name' | 'tags'>): boolean {
  return model.library_name === 'gguf' || (model.tags ?? []).includes('gguf');
}

export function architecturesOf(model: Pick<HubModel, 'id' | 'config'>): string[] {
  const declared = model.config?.architectures?.filter(Boolean) ?? [];
  if (declared.length > 0) return declared;
  const guess = ARCHITECTURE_BY_ID.find(([pattern]) => pattern.test(model.id));
  return guess ? [guess[1]] : [];
}

export function assessModel(model: HubModel): Assessment {
  const architectures = architecturesOf(model);
  if (model.pipeline_tag !== 'text-generation')
    return { compatible: false, reason: `pipeline ${model.pipeline_tag ?? 'unknown'}`, architectures };
  if (isGguf(model)) return { compatible: true, engines: ['llamacpp'], architectures };
  if (model.library_name && !SERVABLE_LIBRARIES.has(model.library_name))
    return { compatible: false, reason: `library ${model.library_name}`, architectures };

  const curated = CATALOG_ENGINES.get(model.id.toLowerCase());
  if (curated) return { compatible: true, engines: [...curated], architectures };
  const known = new Set(architectures.flatMap((a) => ARCHITECTURE_ENGINES[a] ?? []));
  const engines = ENGINE_TYPES.filter((e) => known.has(e));
  if (engines.length === 0)
    return {
      compatible: false,
      reason: architectures.length ? `architecture ${architectures.join(', ')}` : 'architecture unknown',
      architectures,
    };
  return { compatible: true, engines, architectures };
}

/** Parameters as the safetensors metadata counts them: the total, else the sum per dtype. */
export function parameterCountOf(model: Pick<HubModel, 'safetensors'>): number | undefined {
  const st = model.safetensors;
  const count = st?.total ?? Object.values(st?.parameters ?? {}).reduce((sum, n) => sum + n, 0);
  return count && count > 0 ? Math.round(count) : undefined;
}
