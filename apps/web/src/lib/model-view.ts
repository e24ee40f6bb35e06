// How the Models and Deploy screens see a model, whether it came from the curated catalog or
// from a HuggingFace search: one shape, so cards, fit verdicts and the form treat both alike.
import type { CatalogModel, EngineType, HfSearchModel } from '@airunway/schema';

/** A model as the Models and Deploy screens show it, from the catalog or from a search. */
export interface ModelView {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly size?: string;
  readonly contextLength?: number;
  readonly supportedEngines: readonly EngineType[];
  readonly gated: boolean;
  readonly estimatedGpuMemoryGb?: number;
  readonly minGpus?: number;
  readonly parameterCount?: number;
  readonly downloads?: number;
  readonly likes?: number;
  readonly fromHfSearch: boolean;
}

export function catalogModelView(model: CatalogModel): ModelView {
  return {
    id: model.id,
    name: model.name,
    description: model.description,
    size: model.size,
    contextLength: model.contextLength,
    supportedEngines: model.supportedEngines,
    gated: model.gated,
    ...(model.estimatedGpuMemoryGb !== undefined ? { estimatedGpuMemoryGb: model.estimatedGpuMemoryGb } : {}),
    minGpus: model.minGpus,
    ...(model.parameterCount !== undefined ? { parameterCount: model.parameterCount } : {}),
    fromHfSearch: false,
  };
}

export function searchModelView(model: HfSearchModel): ModelView {
  return {
    id: model.id,
    name: model.name,
    ...(model.parameterCount ? { size: formatParameters(model.parameterCount) } : {}),
    supportedEngines: model.supportedEngines,
    gated: model.gated,
    ...(model.estimatedGpuMemoryGb !== undefined ? { estimatedGpuMemoryGb: model.estimatedGpuMemoryGb } : {}),
    ...(model.parameterCount !== undefined ? { parameterCount: model.parameterCount } : {}),
    downloads: model.downloads,
    likes: model.likes,
    fromHfSearch: true,
  };
}

/** 8030261248 → "8B", 596049920 → "0.6B", 135000000 → "135M". */
export function formatParameters(count: number): string {
  if (count >= 1e9) return `${trim(count / 1e9)}B`;
  if (count >= 1e6) return `${trim(count / 1e6)}M`;
  return String(count);
}

function trim(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}
