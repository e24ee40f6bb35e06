'use client';
// The engine's own metrics (vLLM, SGLang, llama.cpp Prometheus endpoints), scraped by the API
// from every ready model server pod when asked.
import type { MetricSample } from '@airunway/schema';
import { useMemo, useState } from 'react';
import { Button } from '~/components/button';
import { Card } from '~/components/card';
import { Icon } from '~/components/icon';
import { EmptyState, ErrorState, Loading, Notice } from '~/components/states';
import { absoluteTime } from '~/lib/format';
import { useMetrics } from '~/lib/queries';
import styles from './deployment.module.css';

interface Tile {
  label: string;
  names: readonly string[];
  format: (value: number) => string;
  /** Sum across pods (counters, queue lengths) or average (ratios). */
  combine: 'sum' | 'mean';
}

const percent = (v: number) => `${Math.round((v <= 1 ? v * 100 : v) * 10) / 10}%`;
const count = (v: number) =>
  new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(v);

const TILES: readonly Tile[] = [
  {
    label: 'Requests running',
    names: ['vllm:num_requests_running', 'sglang:num_running_reqs', 'llamacpp:requests_processing'],
    format: count,
    combine: 'sum',
  },
  {
    label: 'Requests waiting',
    names: ['vllm:num_requests_waiting', 'sglang:num_queue_reqs', 'llamacpp:requests_deferred'],
    format: count,
    combine: 'sum',
  },
  {
    label: 'KV cache used',
    names: [
      'vllm:kv_cache_usage_perc',
      'vllm:gpu_cache_usage_perc',
      'sglang:token_usage',
      'llamacpp:kv_cache_usage_ratio',
    ],
    format: percent,
    combine: 'mean',
  },
  {
    label: 'Prefix cache hits',
    names: ['vllm:gpu_prefix_cache_hit_rate', 'sglang:cache_hit_rate'],
    format: percent,
    combine: 'mean',
  },
  {
    label: 'Prompt tokens',
    names: ['vllm:prompt_tokens_total', 'sglang:prompt_tokens_total', 'llamacpp:prompt_tokens_total'],
    format: count,
    combine: 'sum',
  },
  {
    label: 'Generated tokens',
    names: [
      'vllm:generation_tokens_total',
      'sglang:generation_tokens_total',
      'llamacpp:tokens_predicted_total',
    ],
    format: count,
    combine: 'sum',
  },
];

function tileValue(tile: Tile, samples: readonly MetricSample[]): number | undefined {
  for (const name of tile.names) {
    const values = samples.filter((s) => s.name === name).map((s) => s.value);
    if (values.length === 0) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    return tile.combine === 'sum' ? sum : sum / values.length;
  }
  return undefined;
}

/** Mean of a histogram or summary: _sum / _count over all pods. */
function meanOf(samples: readonly MetricSample[], base: string): number | undefined {
  const total = (suffix: string) =>
    samples.filter((s) => s.name === `${base}${suffix}`).reduce((a, s) => a + s.value, 0);
  const n = total('_count');
  return n > 0 ? total('_sum') / n : undefined;
}

export function MetricsTab({ namespace, name }: { namespace: string; name: string }) {
  const metrics = useMetrics(namespace, name, true);
  const [filter, setFilter] = useState('');
  const samples = useMemo(() => metrics.data?.metrics ?? [], [metrics.data]);
  const shown = useMemo(() => {
    const f = filter.toLowerCase();
    return samples
      .filter((s) => !s.name.endsWith('_bucket') && (!f || s.name.toLowerCase().includes(f)))
      .slice(0, 300);
  }, [samples, filter]);
  if (metrics.error) return <ErrorState title="Metrics could not be read" error={metrics.error} />;
  if (metrics.isPending) return <Loading label="Scraping the model servers…" />;
  const data = metrics.data;
  const ttft = meanOf(samples, 'vllm:time_to_first_token_seconds');
  const latency = meanOf(samples, 'vllm:e2e_request_latency_seconds');
  return (
    <div>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          gap: 12,
          marginBottom: 14,
        }}
      >
        <p className="muted" role="status">
          {data.available
            ? `Scraped ${absoluteTime(data.timestamp)}${data.engine ? ` · ${data.engine}` : ''}`
            : 'No metrics'}
          {data.pods &&
            ` · ${data.pods.filter((p) => p.available).length} of ${data.pods.length} pods answered`}
        </p>
        <Button onClick={() => void metrics.refetch()} busy={metrics.isFetching}>
          <Icon name="refresh" size={14} /> Refresh
        </Button>
      </div>
      {!data.available ? (
        <Notice tone={data.runningOffCluster ? 'info' : 'warning'} title="Metrics unavailable">
          {data.error ?? 'No ready pod answered with metrics.'}
        </Notice>
      ) : (
        <>
          <div className={styles.tiles}>
            {TILES.map((tile) => {
              const value = tileValue(tile, samples);
              return (
                <div key={tile.label} className={styles.tile}>
                  <span className={styles.tileLabel}>{tile.label}</span>
                  <span className={styles.tileValue}>{value === undefined ? '—' : tile.format(value)}</span>
                </div>
              );
            })}
            <div className={styles.tile}>
              <span className={styles.tileLabel}>Mean time to first token</span>
              <span className={styles.tileValue}>
                {ttft === undefined ? '—' : `${Math.round(ttft * 1000)} ms`}
              </span>
            </div>
            <div className={styles.tile}>
              <span className={styles.tileLabel}>Mean request latency</span>
              <span className={styles.tileValue}>
                {latency === undefined ? '—' : `${Math.round(latency * 100) / 100} s`}
              </span>
            </div>
          </div>
          <Card
            title="All samples"
            flush
            actions={
              <input
                className="input"
                type="search"
                placeholder="Filter metrics"
                aria-label="Filter metrics"
                value={filter}
                onChange={(e) => {
                  setFilter(e.target.value);
                }}
                style={{ width: 220 }}
              />
            }
          >
            {shown.length === 0 ? (
              <EmptyState title="No metric matches" />
            ) : (
              <div className={styles.tableScroll}>
                <table className={styles.table}>
                  <thead>
                    <tr>
                      <th scope="col">Metric</th>
                      <th scope="col">Labels</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((s, i) => (
                      <tr key={`${s.name}-${i}`}>
                        <td className="mono">{s.name}</td>
                        <td className="mono muted">
                          {Object.entries(s.labels)
                            .map(([k, v]) => `${k}=${v}`)
                            .join(' ')}
                        </td>
                        <td className="mono">{s.value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
