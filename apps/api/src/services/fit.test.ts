import { describe, expect, it } from 'vitest';
import type { CachedNode, CapacityPod } from '../cache/objects.js';
import { nodeAllocation } from './allocation.js';
import { checkFit } from './fit.js';

function node(
  name: string,
  gpus: number,
  extra: Partial<CachedNode['spec']> & { labels?: Record<string, string> } = {},
): CachedNode {
  const { labels, ...spec } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: labels ?? {} },
    spec,
    status: {
      allocatable: {
        cpu: '16',
        memory: '64Gi',
        pods: '110',
        ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}),
      },
      capacity: {},
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

const holding = (gpus: number): CapacityPod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: {},
  status: {},
  requests: { 'nvidia.com/gpu': gpus },
});

describe('checkFit', () => {
  const nodes = [
    nodeAllocation(node('gpu-node-1', 8), [holding(7)]),
    nodeAllocation(node('gpu-node-2', 8), [holding(4)]),
    nodeAllocation(node('cpu-node', 0), []),
  ];

  it('places each pod on the fullest node it fits on', () => {
    const verdict = checkFit(
      [{ role: 'Deployment q', replicas: 1, requests: { 'nvidia.com/gpu': 1 } }],
      nodes,
    );
    expect(verdict).toMatchObject({ status: 'fits', message: 'fits on gpu-node-1' });
    const two = checkFit([{ role: 'Deployment q', replicas: 2, requests: { 'nvidia.com/gpu': 2 } }], nodes);
    expect(two.message).toBe('fits on gpu-node-2 (2 pods)');
  });

  it('says why not, as the scheduler would', () => {
    const verdict = checkFit(
      [{ role: 'Deployment q', replicas: 3, requests: { 'nvidia.com/gpu': 2 } }],
      nodes,
    );
    expect(verdict.status).toBe('does-not-fit');
    expect(verdict.message).toBe(
      'does not fit: pod 3 of 3 of Deployment q (2 nvidia.com/gpu): 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
    );
    expect(verdict.pods[0]).toMatchObject({ placements: [{ node: 'gpu-node-2', pods: 2 }], unplaced: 1 });
  });

  it('taints, selectors and cordons come before resources', () => {
    const tainted = [
      nodeAllocation(
        node('a', 8, {
          labels: { pool: 'y' },
          taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
        }),
        [],
      ),
      nodeAllocation(node('b', 8, { unschedulable: true }), []),
      nodeAllocation(node('c', 8, { labels: { pool: 'x' } }), []),
    ];
    const shape = { role: 'w', replicas: 1, requests: { 'nvidia.com/gpu': 1 }, nodeSelector: { pool: 'y' } };
    expect(checkFit([shape], tainted).message).toBe(
      "does not fit: w (1 nvidia.com/gpu): 0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, " +
        '1 node(s) had untolerated taint {nvidia.com/gpu: present}, 1 node(s) were unschedulable.',
    );
    const tolerated = checkFit(
      [{ ...shape, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }],
      tainted,
    );
    expect(tolerated.message).toBe('fits on a');
  });
});
