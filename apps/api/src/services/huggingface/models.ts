// GET /models/search and GET /models/:id/gguf-files: the HuggingFace Hub, filtered to what AI
// Runway can serve. The Hub has no result count and pages by cursor, so the compatible
// results of a query are gathered page by page as far as a request needs them, and kept for a
// minute (per query and token): paging through a search, or several users searching the same
// words, costs the Hub one request per page.
import {
  formatFieldPath,
  type GgufFilesResponse,
  type HfSearchModel,
  type HfSearchQuery,
  type HfSearchResponse,
} from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import { tokenHash } from '../../auth/token-review.js';
import { TtlCache } from '../../auth/ttl-cache.js';
import { ApiError } from '../../errors.js';
import { assessModel, parameterCountOf } from '../../huggingface/compatibility.js';
import { upstreamError, type HubClient, type HubRefusal } from '../../huggingface/hub-client.js';
import type { HubModel } from '../../huggingface/hub-schemas.js';
import { estimateGpuMemoryGb } from '../models.js';

const PAGE_SIZE = 100;
/** At most this many Hub pages per query: deep pages of a broad search are mostly noise. */
const MAX_PAGES = 10;
const RESULTS_TTL_MS = 60_000;
/** The header the HuggingFace token of the caller comes in (field path of its errors). */
export const HF_TOKEN_HEADER = 'x-hf-token';

function toSearchModel(model: HubModel, engines: HfSearchModel['supportedEngines'], architectures: string[]) {
  const slash = model.id.indexOf('/');
  const parameterCount = parameterCountOf(model);
  // FP16/BF16 weights (2 bytes a parameter) plus 20% for the KV cache and activations.
  const estimate = parameterCount ? estimateGpuMemoryGb(parameterCount, 'bf16') : undefined;
  const result: HfSearchModel = {
    id: model.id,
    name: slash >= 0 ? model.id.slice(slash + 1) : model.id,
    author: model.author ?? (slash >= 0 ? model.id.slice(0, slash) : ''),
    downloads: Math.max(0, Math.round(model.downloads ?? 0)),
    likes: Math.max(0, Math.round(model.likes ?? 0)),
    pipelineTag: 'text-generation',
    ...(model.library_name ? { libraryName: model.library_name } : {}),
    architectures,
    // The Hub says false, "auto" (approved at once) or "manual"; both need a token to download.
    gated:
      model.gated !== undefined && model.gated !== null && model.gated !== false && model.gated !== 'false',
    supportedEngines: engines,
    ...(estimate !== undefined
      ? { estimatedGpuMemory: `${estimate}GB`, estimatedGpuMemoryGb: estimate }
      : {}),
    ...(parameterCount ? { parameterCount } : {}),
    fromHfSearch: true,
  };
  return result;
}

/** A 401 for a request that carried a token means the Hub refused that token. */
function tokenRejected(refusal: HubRefusal): ApiError {
  return ApiError.validation([
    {
      path: formatFieldPath([HF_TOKEN_HEADER]),
      message: `HuggingFace does not accept this token (${refusal.message})`,
    },
  ]);
}

/** The compatible results of one query, gathered page by page. */
class SearchResults {
  readonly models: HfSearchModel[] = [];
  private next: URL | undefined;
  private pages = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly hub: HubClient,
    first: URL,
  ) {
    this.next = first;
  }

  /** True when the Hub has nothing more (or the page limit is reached): `models` is all there is. */
  get complete(): boolean {
    return this.next === undefined || this.pages >= MAX_PAGES;
  }

  /** Reads pages until `count` results are known or none are left; one reader at a time. */
  async ensure(count: number, token: string | undefined): Promise<void> {
    while (this.models.length < count && !this.complete) {
      this.pending ??= this.readPage(token).finally(() => (this.pending = undefined));
      await this.pending;
    }
  }

  private async readPage(token: string | undefined): Promise<void> {
    const url = this.next;
    if (!url) return;
    const answer = await this.hub.searchPage(url, token);
    if (!answer.ok) {
      if (answer.refusal.status === 401 && token) throw tokenRejected(answer.refusal);
      throw upstreamError('status', `HuggingFace refused the search (HTTP ${answer.refusal.status})`, {
        status: answer.refusal.status,
      });
    }
    for (const model of answer.value.models) {
      const verdict = assessModel(model);
      if (verdict.compatible) this.models.push(toSearchModel(model, verdict.engines, verdict.architectures));
    }
    this.pages++;
    this.next = answer.value.next;
  }
}

export class HuggingFaceModelService {
  private readonly searches: TtlCache<SearchResults>;

  constructor(
    private readonly hub: HubClient,
    now?: () => number,
  ) {
    this.searches = new TtlCache<SearchResults>({ maxEntries: 200, ...(now ? { now } : {}) });
  }

  async search(_caller: Caller, query: HfSearchQuery, token: string | undefined): Promise<HfSearchResponse> {
    const { q, limit, offset } = query;
    // Per token: a token may see private models that others must not.
    const key = `${token ? tokenHash(token) : '-'}\n${q.toLowerCase()}`;
    const results = await this.searches.getOrCompute(
      key,
      () => Promise.resolve(new SearchResults(this.hub, this.hub.searchUrl(q, PAGE_SIZE))),
      () => RESULTS_TTL_MS,
    );
    // One more than the page, so that `total` shows whether another page exists.
    await results.ensure(offset + limit + 1, token);
    return {
      models: results.models.slice(offset, offset + limit),
      total: results.models.length,
      offset,
      limit,
    };
  }

  async ggufFiles(_caller: Caller, id: string, token: string | undefined): Promise<GgufFilesResponse> {
    const answer = await this.hub.modelInfo(id, token);
    if (!answer.ok) {
      const { status } = answer.refusal;
      // The Hub answers 401 both for a bad token and, without one, for a private or missing repository.
      if (status === 401 && token && /credential|token/i.test(answer.refusal.message))
        throw tokenRejected(answer.refusal);
      if (status === 401 || status === 404)
        throw ApiError.notFound(
          `Model "${id}" was not found on HuggingFace${token ? '' : ' (a private one needs X-HF-Token)'}`,
          { id },
        );
      if (status === 403)
        throw new ApiError('FORBIDDEN', `HuggingFace refuses access to model "${id}"`, {
          id,
          service: 'huggingface',
        });
      throw upstreamError('status', `HuggingFace answered the model "${id}" with HTTP ${status}`, { status });
    }
    const files = (answer.value.siblings ?? [])
      .filter((file) => /\.gguf$/i.test(file.rfilename))
      .map((file) => {
        const size = file.size ?? file.lfs?.size;
        return size === undefined ? { filename: file.rfilename } : { filename: file.rfilename, size };
      });
    return { files };
  }
}
