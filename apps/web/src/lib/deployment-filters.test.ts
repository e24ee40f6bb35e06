import type { DeploymentSummary } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { NO_FILTERS, filterAndSort, phaseCounts } from './deployment-filters';

function row(name: string, overrides: Partial<DeploymentSummary> = {}): DeploymentSummary {
  return {
    name,
    namespace: 'default',
    modelId: 'Qwen/Qwen3-0.6B',
    phase: 'Running',
    mode: 'aggregated',
    gpus: 1,
    replicas: { desired: 1, ready: 1, available: 1 },
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

describe('deployment filters', () => {
  const rows = [
    row('qwen-10', { phase: 'Failed', namespace: 'team-b', provider: 'vllm' }),
    row('qwen-2', { phase: 'Pending', createdAt: '2026-01-02T00:00:00Z' }),
    row('llama', { modelId: 'meta-llama/Llama-3.1-8B-Instruct', provider: 'dynamo' }),
  ];

  it('sorts names naturally and phases by urgency', () => {
    expect(
      filterAndSort(rows, NO_FILTERS, { key: 'name', direction: 'ascending' }).map((r) => r.name),
    ).toEqual(['llama', 'qwen-2', 'qwen-10']);
    expect(
      filterAndSort(rows, NO_FILTERS, { key: 'phase', direction: 'ascending' }).map((r) => r.phase),
    ).toEqual(['Failed', 'Pending', 'Running']);
    expect(filterAndSort(rows, NO_FILTERS, { key: 'age', direction: 'ascending' })[0]?.name).toBe('qwen-2');
  });

  it('filters by every word of the text, namespace, phase and provider', () => {
    const names = (f: Partial<typeof NO_FILTERS>) =>
      filterAndSort(rows, { ...NO_FILTERS, ...f }, { key: 'name', direction: 'ascending' }).map(
        (r) => r.name,
      );
    expect(names({ text: 'llama 8b' })).toEqual(['llama']);
    expect(names({ namespace: 'team-b' })).toEqual(['qwen-10']);
    expect(names({ phase: 'Pending' })).toEqual(['qwen-2']);
    expect(names({ provider: 'dynamo' })).toEqual(['llama']);
  });

  it('counts phases', () => {
    expect(phaseCounts(rows)).toEqual({ Pending: 1, Deploying: 0, Running: 1, Failed: 1, Terminating: 0 });
  });
});
