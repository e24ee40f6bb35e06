import { describe, expect, it } from 'vitest';
import { GPU_MODELS, memoryOfGpu, normalizeGpu } from './gpu-models.js';

describe('normalizeGpu', () => {
  it.each([
    // GPU feature discovery labels (nvidia.com/gpu.product)
    ['NVIDIA-A100-SXM4-80GB', 'A100-80GB'],
    ['NVIDIA-A100-SXM4-40GB', 'A100-40GB'],
    ['NVIDIA-A100-PCIE-40GB', 'A100-40GB'],
    ['NVIDIA-A100-80GB-PCIe', 'A100-80GB'],
    ['NVIDIA-H100-80GB-HBM3', 'H100-80GB'],
    ['NVIDIA-H100-PCIe', 'H100-80GB'],
    ['NVIDIA-H100-NVL', 'H100-NVL'],
    ['NVIDIA-H200', 'H200-141GB'],
    ['NVIDIA-GH200-480GB', 'GH200'],
    ['NVIDIA-B200', 'B200'],
    ['NVIDIA-L4', 'L4'],
    ['NVIDIA-L40S', 'L40S'],
    ['NVIDIA-A10G', 'A10G'],
    ['NVIDIA-RTX-A6000', 'RTX-A6000'],
    ['NVIDIA-RTX-6000-Ada-Generation', 'RTX-6000-ADA'],
    // Tesla prefixes and SXM2
    ['Tesla-T4', 'T4'],
    ['Tesla-V100-SXM2-16GB', 'V100-16GB'],
    ['Tesla-V100-PCIE-32GB', 'V100-32GB'],
    ['Tesla K80', 'K80'],
    // lower case, spaces, underscores, the product names nvidia-smi prints
    ['nvidia-a100-sxm4-80gb', 'A100-80GB'],
    ['NVIDIA GeForce RTX 4090', 'RTX-4090'],
    ['NVIDIA_L40S', 'L40S'],
    // already standard, or shorthand
    ['A100-80GB', 'A100-80GB'],
    ['H100-80GB', 'H100-80GB'],
    ['H100', 'H100-80GB'],
    ['h200', 'H200-141GB'],
    ['T4', 'T4'],
    ['L40S', 'L40S'],
  ])('%s → %s', (label, model) => {
    expect(normalizeGpu(label).model).toBe(model);
  });

  it('keeps the family and trusts the label for a memory size the catalogue lacks', () => {
    const gpu = normalizeGpu('NVIDIA-A100-SXM4-96GB');
    expect(gpu.model).toBe('A100-96GB');
    expect(gpu.known?.memoryGb).toBe(96);
  });

  it('tells PCIe parts apart from SXM ones', () => {
    expect(normalizeGpu('NVIDIA-H100-PCIe').pcie).toBe(true);
    expect(normalizeGpu('NVIDIA-H100-80GB-HBM3').pcie).toBe(false);
  });

  it('names the MIG slice of a MIG label and the whole GPU as the model', () => {
    const gpu = normalizeGpu('NVIDIA-A100-SXM4-40GB-MIG-1g.5gb');
    expect(gpu).toMatchObject({ model: 'A100-40GB', migProfile: '1g.5gb' });
  });

  it('an unknown GPU keeps its cleaned name and has no catalogue entry', () => {
    const gpu = normalizeGpu('NVIDIA-Acme-9000');
    expect(gpu).toMatchObject({ model: 'ACME-9000', known: undefined });
  });

  it('whole tokens only: an L4 is not an L40S, an H200 not a GH200', () => {
    expect(normalizeGpu('NVIDIA-L40S').known?.memoryGb).toBe(48);
    expect(normalizeGpu('NVIDIA-L4').known?.memoryGb).toBe(24);
    expect(normalizeGpu('NVIDIA-GH200').model).toBe('GH200');
  });

  it('every catalogue name normalizes to itself', () => {
    for (const m of GPU_MODELS) expect(normalizeGpu(m.model).model, m.model).toBe(m.model);
  });
});

describe('memoryOfGpu', () => {
  it('the label figure wins, then the model', () => {
    expect(memoryOfGpu('NVIDIA-A100-SXM4-80GB')).toBe(80);
    expect(memoryOfGpu('NVIDIA-A100-SXM4-40GB-MIG-1g.5gb')).toBe(40);
    expect(memoryOfGpu('NVIDIA-H200')).toBe(141);
    expect(memoryOfGpu('Acme')).toBeUndefined();
  });
});
