// The curated catalog as the API serves it: every documented field, with the memory estimate
// computed the way HuggingFace search results get theirs, so both lists compare alike.
import type { CatalogModel, ModelsResponse } from '@airunway/schema';
import { MODEL_CATALOG, type CatalogEntry, type WeightFormat } from '../data/model-catalog.js';
import { ApiError } from '../errors.js';

/** Bytes per parameter of the stored weights (MXFP4: 4-bit values plus a scale per 32). */
const BYTES_PER_PARAMETER: Readonly<Record<WeightFormat, number>> = { bf16: 2, mxfp4: 0.53125, q8_0: 1.0625 };
/** Room for the KV cache, activations and the CUDA context on top of the weights. */
const SERVING_OVERHEAD = 1.2;

/** Weights × overhead, in GB (10^9 bytes), one decimal. */
export function estimateGpuMemoryGb(parameterCount: number, weights: WeightFormat = 'bf16'): number {
  const gb = (parameterCount * BYTES_PER_PARAMETER[weights] * SERVING_OVERHEAD) / 1e9;
  return Math.round(gb * 10) / 10;
}

function toModel(entry: CatalogEntry): CatalogModel {
  const estimate = estimateGpuMemoryGb(entry.parameterCount, entry.weights);
  return {
    id: entry.id,
    name: entry.name,
    description: entry.description,
    size: entry.size,
    task: entry.task,
    contextLength: entry.contextLength,
    supportedEngines: [...entry.supportedEngines],
    minGpuMemory: entry.minGpuMemory,
    minGpus: entry.minGpus ?? 1,
    gated: entry.gated,
    estimatedGpuMemory: `${estimate}GB`,
    estimatedGpuMemoryGb: estimate,
    parameterCount: entry.parameterCount,
    fromHfSearch: false,
  };
}

export class ModelService {
  private readonly models: readonly CatalogModel[] = MODEL_CATALOG.map(toModel);
  private readonly byId = new Map(this.models.map((m) => [m.id.toLowerCase(), m]));

  list(): ModelsResponse {
    return { models: [...this.models] };
  }

  /** HuggingFace ids are case-insensitive. */
  get(id: string): CatalogModel {
    const model = this.byId.get(id.toLowerCase());
    if (!model) throw ApiError.notFound(`Model "${id}" is not in the catalog`, { id });
    return model;
  }
}
