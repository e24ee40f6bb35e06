'use client';
// The model being deployed: the catalog entry when there is one, else the HuggingFace search
// result with exactly this id, else what the id alone says.
import { ENGINE_TYPES, type HfSearchResponse } from '@airunway/schema';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, api } from '~/lib/api-client';
import { rpc, trpc } from '~/lib/trpc';
import { catalogModelView, searchModelView, type ModelView } from '~/lib/model-view';

async function loadModel(id: string, signal: AbortSignal): Promise<ModelView> {
  try {
    return catalogModelView(await rpc(() => trpc.models.get.query({ id }, { signal })));
  } catch (err) {
    if (!(err instanceof ApiRequestError && err.status === 404)) throw err;
  }
  const search = await api<HfSearchResponse>('/models/search', { query: { q: id, limit: 20 }, signal }).catch(
    () => undefined,
  );
  const match = search?.models.find((m) => m.id.toLowerCase() === id.toLowerCase());
  if (match) return searchModelView(match);
  return {
    id,
    name: id.split('/').pop() ?? id,
    supportedEngines: [...ENGINE_TYPES],
    gated: false,
    fromHfSearch: true,
  };
}

export function useModelInfo(id: string) {
  return useQuery({
    queryKey: ['model', id],
    queryFn: ({ signal }) => loadModel(id, signal),
    staleTime: Infinity,
  });
}
