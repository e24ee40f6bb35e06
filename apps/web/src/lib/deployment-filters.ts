// Filtering and sorting of the Deployments list, kept pure so a thousand rows are re-derived
// in well under a frame and the rules are testable without a browser.
import type { DeploymentPhase, DeploymentSummary } from '@airunway/schema';

export interface DeploymentFilters {
  readonly text: string;
  readonly namespace: string;
  readonly phase: DeploymentPhase | '';
  readonly provider: string;
}

export const NO_FILTERS: DeploymentFilters = { text: '', namespace: '', phase: '', provider: '' };

export type SortKey = 'name' | 'namespace' | 'model' | 'provider' | 'phase' | 'replicas' | 'age';
export interface Sort {
  readonly key: SortKey;
  readonly direction: 'ascending' | 'descending';
}

/** Phases in the order they need attention. */
export const PHASE_ORDER: readonly DeploymentPhase[] = [
  'Failed',
  'Pending',
  'Deploying',
  'Running',
  'Terminating',
];

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compare(a: DeploymentSummary, b: DeploymentSummary, key: SortKey): number {
  switch (key) {
    case 'name':
      return collator.compare(a.name, b.name) || collator.compare(a.namespace, b.namespace);
    case 'namespace':
      return collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name);
    case 'model':
      return collator.compare(a.modelId, b.modelId);
    case 'provider':
      return collator.compare(a.provider ?? '', b.provider ?? '');
    case 'phase':
      return PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase);
    case 'replicas':
      return a.replicas.ready - b.replicas.ready || a.replicas.desired - b.replicas.desired;
    case 'age':
      // Youngest first when ascending, as "age" grows.
      return b.createdAt.localeCompare(a.createdAt);
  }
}

export function filterAndSort(
  rows: readonly DeploymentSummary[],
  filters: DeploymentFilters,
  sort: Sort,
): DeploymentSummary[] {
  const words = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = rows.filter((d) => {
    if (filters.namespace && d.namespace !== filters.namespace) return false;
    if (filters.phase && d.phase !== filters.phase) return false;
    if (filters.provider && d.provider !== filters.provider) return false;
    if (words.length === 0) return true;
    const text = `${d.name} ${d.namespace} ${d.modelId} ${d.engine ?? ''} ${d.provider ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return kept.sort((a, b) => sign * compare(a, b, sort.key) || collator.compare(a.name, b.name));
}

export function phaseCounts(rows: readonly DeploymentSummary[]): Record<DeploymentPhase, number> {
  const counts: Record<DeploymentPhase, number> = {
    Pending: 0,
    Deploying: 0,
    Running: 0,
    Failed: 0,
    Terminating: 0,
  };
  for (const d of rows) counts[d.phase] += 1;
  return counts;
}

export function distinct(
  rows: readonly DeploymentSummary[],
  pick: (d: DeploymentSummary) => string | undefined,
): string[] {
  return [...new Set(rows.map(pick).filter((v): v is string => Boolean(v)))].sort(collator.compare);
}
