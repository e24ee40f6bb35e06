import { describe, expect, it } from 'vitest';
import { gpuMemoryFromProduct, gpuMemoryGb, nodePoolOf } from './gpu-hardware.js';

describe('GPU memory', () => {
  it.each([
    ['NVIDIA-A100-SXM4-80GB', 80],
    ['NVIDIA-A100-PCIE-40GB', 40],
    ['Tesla-V100-SXM2-32GB', 32],
    ['NVIDIA-H100-80GB-HBM3', 80],
    ['NVIDIA-H100-NVL', 94],
    ['NVIDIA-H200', 141],
    ['NVIDIA-L4', 24],
    ['NVIDIA-L40S', 48],
    ['NVIDIA-A10G', 24],
    ['Tesla-T4', 16],
    ['NVIDIA-GeForce-RTX-4090', 24],
    ['NVIDIA-RTX-A6000', 48],
  ])('%s has %i GB', (product, gb) => {
    expect(gpuMemoryFromProduct(product)).toBe(gb);
  });

  it('unknown products have no memory', () => {
    expect(gpuMemoryFromProduct('Acme-Accelerator-9000')).toBeUndefined();
  });

  it('the memory label (MiB) wins over the product name', () => {
    expect(
      gpuMemoryGb({ 'nvidia.com/gpu.memory': '81559', 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' }),
    ).toBe(79.6);
    expect(gpuMemoryGb({ 'nvidia.com/gpu.memory': '', 'nvidia.com/gpu.product': 'NVIDIA-L4' })).toBe(24);
    expect(gpuMemoryGb({})).toBeUndefined();
  });
});

describe('nodePoolOf', () => {
  it.each([
    [{ agentpool: 'gpu', 'kubernetes.azure.com/agentpool': 'other' }, 'gpu'],
    [{ 'kubernetes.azure.com/agentpool': 'nc24' }, 'nc24'],
    [{ 'cloud.google.com/gke-nodepool': 'a3-pool' }, 'a3-pool'],
    [{ 'eks.amazonaws.com/nodegroup': 'p5' }, 'p5'],
    [{ 'karpenter.sh/nodepool': 'gpu-spot' }, 'gpu-spot'],
    [{}, 'default'],
  ])('%j → %s', (labels, pool) => {
    expect(nodePoolOf(labels)).toBe(pool);
  });
});
