import type { NodeGpuCapacity } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { modelFit } from './gpu-fit';

function node(overrides: Partial<NodeGpuCapacity> & { nodeName: string }): NodeGpuCapacity {
  return {
    totalGpus: 8,
    allocatedGpus: 0,
    availableGpus: 8,
    pool: 'h100',
    ready: true,
    schedulable: true,
    gpuModel: 'NVIDIA-H100-80GB-HBM3',
    gpuMemoryGb: 80,
    ...overrides,
  };
}

describe('modelFit', () => {
  it('fits a small model on a node with free GPUs', () => {
    const fit = modelFit({ memoryGb: 1.4, minGpus: 1 }, [node({ nodeName: 'gpu-0' })]);
    expect(fit.level).toBe('fits');
    expect(fit.nodes[0]?.gpusNeeded).toBe(1);
    expect(fit.headline).toMatch(/^Fits on gpu-0/);
  });

  it('counts free GPUs per node, not the cluster total', () => {
    // 4 × 80 GB needed; four nodes with one free GPU each add up to enough, but no node has it.
    const busy = ['a', 'b', 'c', 'd'].map((n) => node({ nodeName: n, availableGpus: 1, allocatedGpus: 7 }));
    const fit = modelFit({ memoryGb: 250, minGpus: 1 }, busy);
    expect(fit.level).toBe('no-fit');
    expect(fit.nodes.every((n) => n.gpusNeeded === 4)).toBe(true);
    expect(fit.headline).toBe("Won't fit: 1 of 8 GPUs free now; needs 4 on a");
  });

  it('says when no node could ever hold the model', () => {
    const fit = modelFit({ memoryGb: 900 }, [node({ nodeName: 'gpu-0' })]);
    expect(fit.level).toBe('no-fit');
    expect(fit.headline).toBe("Won't fit: needs 13 GPUs on one node; the largest GPU node has 8");
  });

  it('calls a fit tight when weights leave little KV cache room', () => {
    const fit = modelFit({ memoryGb: 68 }, [node({ nodeName: 'gpu-0' })]);
    expect(fit.level).toBe('tight');
    expect(fit.headline).toMatch(/94% of 1 × H100 80GB HBM3/);
  });

  it('prefers the node it fits on and lists the others with reasons', () => {
    const fit = modelFit({ memoryGb: 30 }, [
      node({ nodeName: 'a100', gpuMemoryGb: 40, availableGpus: 0, allocatedGpus: 8 }),
      node({ nodeName: 'h100' }),
      node({ nodeName: 'cordoned', schedulable: false }),
    ]);
    expect(fit.level).toBe('fits');
    expect(fit.nodes.map((n) => [n.node, n.level])).toEqual([
      ['h100', 'fits'],
      ['a100', 'no-fit'],
      ['cordoned', 'no-fit'],
    ]);
    expect(fit.nodes.find((n) => n.node === 'cordoned')?.reason).toBe('node is cordoned');
  });

  it('checks a chosen GPU count against the memory the model needs', () => {
    const fit = modelFit({ memoryGb: 150, gpusPerReplica: 1 }, [node({ nodeName: 'gpu-0' })]);
    expect(fit.level).toBe('no-fit');
    expect(fit.headline).toContain('needs 3 × 80 GB GPUs');
  });

  it('handles CPU models, unknown sizes, clusters without GPUs and unlabelled nodes', () => {
    expect(modelFit({ memoryGb: 4, minGpus: 0 }, []).level).toBe('fits');
    expect(modelFit({}, [node({ nodeName: 'gpu-0' })]).level).toBe('unknown');
    expect(
      modelFit({ memoryGb: 4 }, [node({ nodeName: 'cpu', totalGpus: 0, availableGpus: 0 })]).headline,
    ).toBe('The cluster has no GPU nodes');
    const unlabelled = node({ nodeName: 'gpu-0' });
    delete (unlabelled as { gpuMemoryGb?: number }).gpuMemoryGb;
    expect(modelFit({ memoryGb: 4 }, [unlabelled]).level).toBe('unknown');
  });
});
