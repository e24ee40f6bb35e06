import type { FitVerdict, NodeGpuCapacity, NodePoolCost } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { estimateCost, gpuUse, money, priceSource } from './cost-estimate';

const node = (nodeName: string, pool: string, gpuModel: string): NodeGpuCapacity => ({
  nodeName,
  pool,
  gpuModel,
  totalGpus: 8,
  allocatedGpus: 0,
  availableGpus: 8,
  ready: true,
  schedulable: true,
});

const NODES = [
  node('gpu-h100-0', 'h100', 'NVIDIA-H100-80GB-HBM3'),
  node('gpu-h100-1', 'h100', 'NVIDIA-H100-80GB-HBM3'),
  node('gpu-a100-0', 'a100', 'NVIDIA-A100-SXM4-80GB'),
];

const pod = (
  role: string,
  gpus: string | undefined,
  placements: { node: string; pods: number }[],
  unplaced = 0,
): FitVerdict['pods'][number] => ({
  role,
  replicas: placements.reduce((n, p) => n + p.pods, unplaced),
  requests: { cpu: '4', ...(gpus ? { 'nvidia.com/gpu': gpus } : {}) },
  placements,
  unplaced,
});

const poolCost = (
  poolName: string,
  gpusPerNode: number,
  realtime?: { instanceType: string; hourlyPrice: number },
): NodePoolCost => ({
  poolName,
  availableGpus: 8,
  nodeCount: 1,
  gpusPerNode,
  costBreakdown: {
    totalGpus: 1,
    gpuModel: 'x',
    normalizedGpuModel: 'x',
    perGpu: { hourly: 0, monthly: 0 },
    estimate: { hourly: 0, monthly: 0, currency: 'USD', source: 'static', confidence: 'low' },
    notes: ['The pool has no node.kubernetes.io/instance-type label to look a price up by'],
  },
  ...(realtime
    ? {
        instanceType: realtime.instanceType,
        region: 'eastus2',
        realtimePricing: {
          ...realtime,
          provider: 'azure' as const,
          priceType: 'ondemand' as const,
          monthlyPrice: realtime.hourlyPrice * 730,
          currency: 'USD',
          region: 'eastus2',
          source: 'realtime' as const,
        },
      }
    : {}),
});

describe('gpuUse', () => {
  it('counts pods × GPUs per node pool, prefill and decode alike; CPU-only pods take none', () => {
    const fit: FitVerdict = {
      status: 'fits',
      message: 'fits',
      pods: [
        pod('frontend', undefined, [{ node: 'cpu-0', pods: 1 }]),
        pod('prefill', '2', [
          { node: 'gpu-h100-0', pods: 2 },
          { node: 'gpu-h100-1', pods: 1 },
        ]),
        pod('decode', '1', [{ node: 'gpu-a100-0', pods: 2 }]),
      ],
    };
    expect(gpuUse(fit, NODES)).toEqual({
      pools: [
        { pool: 'h100', gpus: 6, gpuModel: 'NVIDIA-H100-80GB-HBM3' },
        { pool: 'a100', gpus: 2, gpuModel: 'NVIDIA-A100-SXM4-80GB' },
      ],
      unplacedGpus: 0,
    });
  });

  it('keeps the GPUs of pods that fit nowhere apart', () => {
    const fit: FitVerdict = {
      status: 'does-not-fit',
      message: 'does not fit',
      pods: [pod('Deployment big', '16', [], 2)],
    };
    expect(gpuUse(fit, NODES)).toEqual({ pools: [], unplacedGpus: 32 });
  });
});

describe('estimateCost', () => {
  it('prices each GPU at its node’s price over the node’s GPUs, per hour and per 730-hour month', () => {
    const estimate = estimateCost(
      {
        pools: [
          { pool: 'h100', gpus: 3 },
          { pool: 'a100', gpus: 2 },
        ],
        unplacedGpus: 0,
      },
      [
        poolCost('h100', 8, { instanceType: 'Standard_ND96isr_H100_v5', hourlyPrice: 98.32 }),
        poolCost('a100', 4, { instanceType: 'Standard_NC96ads_A100_v4', hourlyPrice: 14.692 }),
      ],
    );
    expect(estimate.priced.map((p) => [p.pool, p.perGpuHourly, p.hourly])).toEqual([
      ['h100', 12.29, 36.87],
      ['a100', 3.673, 7.346],
    ]);
    expect(estimate.hourly).toBeCloseTo(44.216, 9);
    expect(estimate.monthly).toBeCloseTo(44.216 * 730, 9);
    expect(estimate.unpriced).toEqual([]);
    expect(priceSource(estimate.priced[0]!)).toBe(
      'Azure retail price for Standard_ND96isr_H100_v5 in eastus2, pay-as-you-go',
    );
  });

  it('a pool without a cloud price is unpriced with the API’s reason, never priced at zero', () => {
    const use = { pools: [{ pool: 'bare', gpus: 1, gpuModel: 'Tesla-T4' }], unplacedGpus: 0 };
    const estimate = estimateCost(use, [poolCost('bare', 1)]);
    expect(estimate.priced).toEqual([]);
    expect(estimate.unpriced).toEqual([
      {
        pool: 'bare',
        gpus: 1,
        gpuModel: 'Tesla-T4',
        reason: 'The pool has no node.kubernetes.io/instance-type label to look a price up by',
      },
    ]);
    expect(estimateCost(use, [], 'no node pool prices: Forbidden').unpriced[0]?.reason).toBe(
      'no node pool prices: Forbidden',
    );
  });
});

describe('money', () => {
  it('prints amounts in the currency, with cents and thousands separators', () => {
    expect(money(8971.7, 'USD')).toBe('$8,971.70');
    expect(money(3.673, 'USD')).toBe('$3.67');
  });
});
