'use client';
// The Review's cost estimate: the GPUs the dry run places on each node pool, priced at the
// pool's real-time instance price prorated per GPU, per hour and per month, with where each
// price comes from. GPUs on pools without a cloud price get the API's static estimate, which
// says so rather than pretending to know a price.
import { HOURS_PER_MONTH, type FitVerdict, type NodeGpuCapacity } from '@airunway/schema';
import { useMemo } from 'react';
import { Skeleton } from '~/components/states';
import { describeError } from '~/lib/api-client';
import { estimateCost, gpuUse, money, priceSource, type UnpricedPool } from '~/lib/cost-estimate';
import { useNodePoolPrices, useStaticCostEstimates } from '~/lib/queries';
import styles from './deploy-screen.module.css';

const gpuCount = (n: number) => `${n} GPU${n === 1 ? '' : 's'}`;

function UnpricedLine({
  pool,
  estimate,
}: {
  pool: UnpricedPool;
  estimate: { hourly: number; monthly: number; currency: string } | undefined;
}) {
  const figures =
    estimate && estimate.hourly > 0
      ? `${money(estimate.hourly, estimate.currency)} per hour, ${money(estimate.monthly, estimate.currency)} per month`
      : 'no price known';
  return (
    <li data-pool={pool.pool} data-gpus={pool.gpus} data-source="static">
      {gpuCount(pool.gpus)} on node pool {pool.pool}: static estimate, {figures} ({pool.reason}).
    </li>
  );
}

export function CostSection({
  fit,
  nodes,
}: {
  fit: FitVerdict;
  nodes: readonly NodeGpuCapacity[] | undefined;
}) {
  const use = useMemo(() => gpuUse(fit, nodes ?? []), [fit, nodes]);
  const needsPrices = use.pools.length > 0;
  const prices = useNodePoolPrices(needsPrices);
  const estimate = useMemo(() => {
    if (prices.data) return estimateCost(use, prices.data.nodePoolCosts);
    // Without the price list (e.g. no permission to list nodes) every pool is unpriced.
    if (prices.error) return estimateCost(use, [], `no node pool prices: ${describeError(prices.error)}`);
    return undefined;
  }, [use, prices.data, prices.error]);
  const unpriced = estimate?.unpriced ?? [];
  const staticEstimates = useStaticCostEstimates(
    unpriced.map((p) => (p.gpuModel ? { gpuType: p.gpuModel, gpuCount: p.gpus, replicas: 1 } : undefined)),
  );

  return (
    <div className={styles.sideSection} data-testid="dry-run-cost">
      <p className={styles.sideTitle}>Estimated cost</p>
      {!needsPrices ? (
        <p className={styles.reason}>
          {fit.status === 'unknown'
            ? `Not estimated: the node pool is not known, the fit was ${fit.message}.`
            : use.unplacedGpus > 0
              ? 'Not estimated: the pods fit on no node now, so there is no node pool to price them by.'
              : 'No GPUs: only GPUs are priced.'}
        </p>
      ) : !estimate ? (
        <Skeleton width="60%" />
      ) : (
        <>
          {estimate.priced.length > 0 && (
            <p className={styles.costFigures} data-testid="cost-figures">
              <span>
                <strong>{money(estimate.hourly, estimate.currency)}</strong> per hour
              </span>
              <span>
                <strong>{money(estimate.monthly, estimate.currency)}</strong> per month
              </span>
            </p>
          )}
          <ul className={styles.placements}>
            {estimate.priced.map((p) => (
              <li key={p.pool} data-pool={p.pool} data-gpus={p.gpus} data-source="cloud">
                {gpuCount(p.gpus)} on node pool {p.pool} at {money(p.perGpuHourly, p.currency)} per GPU-hour:{' '}
                {priceSource(p)} ({money(p.nodeHourly, p.currency)} per node-hour over its {p.gpusPerNode}{' '}
                GPUs).
              </li>
            ))}
            {unpriced.map((p, i) => (
              <UnpricedLine key={p.pool} pool={p} estimate={staticEstimates.data?.[i]?.breakdown.estimate} />
            ))}
            {use.unplacedGpus > 0 && (
              <li>{gpuCount(use.unplacedGpus)} of pods that fit on no node now: not priced.</li>
            )}
          </ul>
          {estimate.priced.length > 0 && (
            <p className={styles.reason}>
              A month is {HOURS_PER_MONTH} hours. GPUs left idle on the same nodes are billed too.
            </p>
          )}
        </>
      )}
    </div>
  );
}
