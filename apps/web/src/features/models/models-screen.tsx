'use client';
// Models: the curated catalog and HuggingFace search, each model with a GPU-fit verdict per
// node from the live cluster. Tab, query and page live in the URL, so a search can be shared.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from '~/components/button';
import { Icon } from '~/components/icon';
import { PageHeader } from '~/components/page-header';
import { EmptyState, ErrorState, Skeleton } from '~/components/states';
import { Tabs } from '~/components/tabs';
import { describeError } from '~/lib/api-client';
import { modelFit, type ModelFit } from '~/lib/gpu-fit';
import { catalogModelView, searchModelView, type ModelView } from '~/lib/model-view';
import { SEARCH_PAGE_SIZE, useCatalog, useGpuCapacity, useModelSearch } from '~/lib/queries';
import { useDebouncedValue } from '~/lib/use-debounced-value';
import { useSearchState } from '~/lib/use-search-state';
import { ModelCard } from './model-card';
import styles from './models-screen.module.css';

type Source = 'catalog' | 'search';

function CardSkeletons({ count }: { count: number }) {
  return (
    <div className={styles.grid} aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className={styles.skeletonCard}>
          <Skeleton width="60%" height={16} />
          <Skeleton width="40%" />
          <Skeleton height={44} />
          <Skeleton width="70%" />
        </div>
      ))}
    </div>
  );
}

function useFits(models: readonly ModelView[]) {
  const capacity = useGpuCapacity();
  const fits = useMemo(() => {
    const nodes = capacity.data?.nodes;
    if (!nodes) return new Map<string, ModelFit>();
    return new Map(
      models.map((m) => [m.id, modelFit({ memoryGb: m.estimatedGpuMemoryGb, minGpus: m.minGpus }, nodes)]),
    );
  }, [capacity.data, models]);
  return { fits, capacityError: capacity.error ? describeError(capacity.error) : undefined, capacity };
}

function ModelGrid({ models }: { models: readonly ModelView[] }) {
  const { fits, capacityError } = useFits(models);
  return (
    <div className={styles.grid}>
      {models.map((model) => (
        <ModelCard key={model.id} model={model} fit={fits.get(model.id)} capacityError={capacityError} />
      ))}
    </div>
  );
}

function CapacitySummary() {
  const { data, error } = useGpuCapacity();
  if (error) return null;
  if (!data)
    return (
      <div className={styles.summary}>
        <Skeleton width={320} />
      </div>
    );
  if (data.gpuNodeCount === 0)
    return (
      <p className={styles.summary}>
        <Icon name="gpu" /> This cluster has no GPU nodes: only CPU models can run.
      </p>
    );
  return (
    <p className={styles.summary}>
      <Icon name="gpu" />
      <span>
        <strong>{data.availableGpus}</strong> of <strong>{data.totalGpus}</strong> GPUs free on{' '}
        <strong>{data.gpuNodeCount}</strong> {data.gpuNodeCount === 1 ? 'node' : 'nodes'}
      </span>
      <span>
        Largest pod that fits now: <strong>{data.maxContiguousAvailable}</strong>{' '}
        {data.maxContiguousAvailable === 1 ? 'GPU' : 'GPUs'}
      </span>
    </p>
  );
}

function CatalogTab() {
  const { data, error, isPending, refetch } = useCatalog();
  const [filter, setFilter] = useState('');
  const models = useMemo(() => (data?.models ?? []).map(catalogModelView), [data]);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return models;
    return models.filter((m) => {
      const text = `${m.name} ${m.id} ${m.supportedEngines.join(' ')} ${m.description ?? ''}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }, [models, filter]);
  if (error)
    return (
      <ErrorState
        title="The model catalog could not be loaded"
        error={error}
        actions={<Button onClick={() => void refetch()}>Try again</Button>}
      />
    );
  return (
    <>
      <div className={styles.toolbar}>
        <div className={styles.search}>
          <Icon name="search" />
          <input
            className="input"
            type="search"
            placeholder="Filter by name, id or engine"
            aria-label="Filter the catalog"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
            }}
          />
        </div>
        {!isPending && (
          <span className={styles.count} role="status">
            {shown.length} of {models.length} models
          </span>
        )}
      </div>
      {isPending ? (
        <CardSkeletons count={6} />
      ) : shown.length === 0 ? (
        <EmptyState
          icon="search"
          title="No catalog model matches"
          actions={
            <Button
              onClick={() => {
                setFilter('');
              }}
            >
              Clear filter
            </Button>
          }
        >
          Try another word, or search all of HuggingFace.
        </EmptyState>
      ) : (
        <ModelGrid models={shown} />
      )}
    </>
  );
}

function SearchTab({
  query,
  page,
  onQuery,
  onPage,
}: {
  query: string;
  page: number;
  onQuery: (q: string) => void;
  onPage: (page: number) => void;
}) {
  const [text, setText] = useState(query);
  const settled = useDebouncedValue(text.trim(), 350);
  useEffect(() => {
    if (settled !== query) onQuery(settled);
  }, [settled, query, onQuery]);
  const offset = page * SEARCH_PAGE_SIZE;
  const { data, error, isFetching, isPending, refetch } = useModelSearch(query, offset);
  const models = useMemo(() => (data?.models ?? []).map(searchModelView), [data]);
  const hasMore = data ? data.total > data.offset + data.models.length : false;
  return (
    <>
      <div className={styles.toolbar}>
        <div className={styles.search}>
          <Icon name="search" />
          <input
            className="input"
            type="search"
            placeholder="Search HuggingFace, e.g. qwen, llama 8b, mistral"
            aria-label="Search HuggingFace models"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
            }}
          />
        </div>
        {isFetching && query && <span className={styles.count}>Searching…</span>}
      </div>
      {!query ? (
        <EmptyState icon="search" title="Search the HuggingFace Hub">
          Text-generation models that an engine here can serve are shown, with their size, engines and whether
          they fit on your GPUs.
        </EmptyState>
      ) : error ? (
        <ErrorState
          title="HuggingFace search failed"
          error={error}
          actions={<Button onClick={() => void refetch()}>Try again</Button>}
        />
      ) : isPending ? (
        <CardSkeletons count={6} />
      ) : models.length === 0 ? (
        <EmptyState icon="search" title={`No servable models match “${query}”`}>
          Only text-generation models with an architecture vLLM, SGLang, TensorRT-LLM or llama.cpp supports
          are listed.
        </EmptyState>
      ) : (
        <>
          <ModelGrid models={models} />
          <nav className={styles.pager} aria-label="Search result pages">
            <span role="status">
              {`Showing ${data.offset + 1}–${data.offset + data.models.length}${hasMore ? '' : ` of ${data.total}`}`}
            </span>
            {(page > 0 || hasMore) && (
              <span className={styles.pagerButtons}>
                <Button
                  disabled={page === 0}
                  onClick={() => {
                    onPage(page - 1);
                  }}
                >
                  Previous
                </Button>
                <Button
                  disabled={!hasMore}
                  onClick={() => {
                    onPage(page + 1);
                  }}
                >
                  Next
                </Button>
              </span>
            )}
          </nav>
        </>
      )}
    </>
  );
}

export function ModelsScreen() {
  const [params, setParams] = useSearchState();
  const source: Source = params.get('tab') === 'search' ? 'search' : 'catalog';
  const query = params.get('q') ?? '';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const catalog = useCatalog();

  const navigate = useCallback(
    (next: { tab?: Source; q?: string; page?: number }) => {
      const changes: Record<string, string | undefined> = {};
      if (next.tab) changes.tab = next.tab === 'catalog' ? undefined : next.tab;
      if (next.q !== undefined) {
        changes.q = next.q || undefined;
        changes.page = undefined;
      }
      if (next.page !== undefined) changes.page = next.page > 0 ? String(next.page) : undefined;
      setParams(changes);
    },
    [setParams],
  );
  const onQuery = useCallback(
    (q: string) => {
      navigate({ q });
    },
    [navigate],
  );

  return (
    <>
      <PageHeader
        title="Models"
        description="Choose a model to serve. Each verdict compares the model’s memory with the GPUs free on every node right now."
      />
      <CapacitySummary />
      <Tabs
        label="Model source"
        selected={source}
        onSelect={(tab) => {
          navigate({ tab });
        }}
        items={[
          {
            key: 'catalog',
            label: 'Curated catalog',
            ...(catalog.data ? { count: catalog.data.models.length } : {}),
          },
          { key: 'search', label: 'HuggingFace search' },
        ]}
      >
        {source === 'catalog' ? (
          <CatalogTab />
        ) : (
          <SearchTab
            query={query}
            page={page}
            onQuery={onQuery}
            onPage={(p) => {
              navigate({ page: p });
            }}
          />
        )}
      </Tabs>
    </>
  );
}
