// Azure GPU virtual machine sizes: how many GPUs of which model each has. The price list says
// neither, and an instance-price answer or a node pool without GPU labels needs both. Sizes
// with a fraction of a GPU (NVadsA10 v5) count 0 whole GPUs and keep the fraction.

export interface AzureGpuSku {
  readonly gpuCount: number;
  /** Standard name (services/gpu-models.ts). */
  readonly gpuModel: string;
  /** Share of one GPU for partitioned sizes (1/6 … 1/2). */
  readonly gpuFraction?: number;
}

const sku = (gpuCount: number, gpuModel: string): AzureGpuSku => ({ gpuCount, gpuModel });
const partial = (gpuFraction: number): AzureGpuSku => ({ gpuCount: 0, gpuModel: 'A10', gpuFraction });

/** Keys are lower-case: Azure treats size names case-insensitively. */
export const AZURE_GPU_SKUS: Readonly<Record<string, AzureGpuSku>> = {
  // NC A100 v4
  standard_nc24ads_a100_v4: sku(1, 'A100-80GB'),
  standard_nc48ads_a100_v4: sku(2, 'A100-80GB'),
  standard_nc96ads_a100_v4: sku(4, 'A100-80GB'),
  // ND A100 v4 (40 GB) and NDm A100 v4 (80 GB)
  standard_nd96asr_v4: sku(8, 'A100-40GB'),
  standard_nd96amsr_a100_v4: sku(8, 'A100-80GB'),
  // NCads H100 v5 (H100 NVL) and ND H100 v5
  standard_nc40ads_h100_v5: sku(1, 'H100-NVL'),
  standard_nc80adis_h100_v5: sku(2, 'H100-NVL'),
  standard_ncc40ads_h100_v5: sku(1, 'H100-NVL'),
  standard_nd96isr_h100_v5: sku(8, 'H100-80GB'),
  // ND H200 v5
  standard_nd96isr_h200_v5: sku(8, 'H200-141GB'),
  // NCasT4 v3
  standard_nc4as_t4_v3: sku(1, 'T4'),
  standard_nc8as_t4_v3: sku(1, 'T4'),
  standard_nc16as_t4_v3: sku(1, 'T4'),
  standard_nc64as_t4_v3: sku(4, 'T4'),
  // NC v3 (V100 16 GB) and ND v2 (V100 32 GB)
  standard_nc6s_v3: sku(1, 'V100-16GB'),
  standard_nc12s_v3: sku(2, 'V100-16GB'),
  standard_nc24s_v3: sku(4, 'V100-16GB'),
  standard_nc24rs_v3: sku(4, 'V100-16GB'),
  standard_nd40rs_v2: sku(8, 'V100-32GB'),
  // NVadsA10 v5: a sixth, a third, half, one or two A10s
  standard_nv6ads_a10_v5: partial(1 / 6),
  standard_nv12ads_a10_v5: partial(1 / 3),
  standard_nv18ads_a10_v5: partial(1 / 2),
  standard_nv36ads_a10_v5: sku(1, 'A10'),
  standard_nv36adms_a10_v5: sku(1, 'A10'),
  standard_nv72ads_a10_v5: sku(2, 'A10'),
};

export function azureGpuSku(instanceType: string): AzureGpuSku | undefined {
  return AZURE_GPU_SKUS[instanceType.toLowerCase()];
}
