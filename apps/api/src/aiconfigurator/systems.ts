// Which AI Configurator "system" (its name for a GPU and its interconnect) a GPU type is, and
// which engines it has performance data for. A GPU without a system is not analysed: the
// numbers of another GPU would be presented as this one's.
import type { AiConfiguratorBackend } from '@airunway/schema';
import { normalizeGpu } from '../services/gpu-models.js';
import { isBackend } from './results.js';

/** By GPU family (services/gpu-models.ts), SXM/HGX part unless the label says PCIe. */
const SYSTEMS: Readonly<Record<string, { sxm: string; pcie?: string }>> = {
  H100: { sxm: 'h100_sxm', pcie: 'h100_pcie' },
  H200: { sxm: 'h200_sxm' },
  A100: { sxm: 'a100_sxm', pcie: 'a100_pcie' },
  B200: { sxm: 'b200_sxm' },
  B300: { sxm: 'b300_sxm' },
  GB200: { sxm: 'gb200' },
  GB300: { sxm: 'gb300' },
  L40S: { sxm: 'l40s' },
  L4: { sxm: 'l4' },
  A30: { sxm: 'a30' },
  'RTX-PRO-6000': { sxm: 'rtx_pro_6000_server' },
};

export const KNOWN_SYSTEM_FAMILIES = Object.keys(SYSTEMS);

export function systemForGpu(gpuType: string): string | undefined {
  const gpu = normalizeGpu(gpuType);
  const entry = gpu.known ? SYSTEMS[gpu.known.family] : undefined;
  if (!entry) return undefined;
  return gpu.pcie && entry.pcie ? entry.pcie : entry.sxm;
}

/**
 * The engines with data, from `aiconfigurator cli support --backend all` output:
 *
 *                   trtllm          sglang           vllm
 *     System       agg disagg      agg disagg      agg disagg
 *     h100_sxm     YES    YES      YES    YES      YES    YES
 *
 * ("-" = no data, "NO" = not supported). An engine counts when either mode is YES.
 */
export function parseSupportMatrix(output: string, system: string): AiConfiguratorBackend[] {
  const lines = output.split('\n');
  const headerAt = lines.findIndex((l) => /^\s*System\s+agg\s+disagg/.test(l));
  if (headerAt < 1) return [];
  const backends = (lines[headerAt - 1] ?? '').trim().split(/\s+/);
  const row = lines.slice(headerAt + 1).find((l) => l.trim().split(/\s+/)[0] === system);
  if (!row) return [];
  const cells = row.trim().split(/\s+/).slice(1);
  const supported: AiConfiguratorBackend[] = [];
  backends.forEach((backend, i) => {
    if (isBackend(backend) && (cells[2 * i] === 'YES' || cells[2 * i + 1] === 'YES')) supported.push(backend);
  });
  return supported;
}
