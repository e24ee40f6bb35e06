// The GPU models AI Runway knows, and how any way of writing one (a GPU feature discovery label,
// a cloud's name, a user's shorthand) maps to one standard name. Node memory, cost estimates and
// AI Configurator all read GPUs through here, so the three agree on what a label means.

export interface GpuModel {
  /** The standard name: A100-80GB, H100-80GB, T4, L40S, … */
  readonly model: string;
  /** The name in labels without memory or form factor: A100, H100, T4. */
  readonly family: string;
  /** Every one must appear, as a whole token, in a normalized label. */
  readonly tokens: readonly string[];
  /** Memory of one GPU, in GB. */
  readonly memoryGb: number;
  readonly generation: string;
}

const row = (
  model: string,
  tokens: readonly string[],
  memoryGb: number,
  generation: string,
  family = tokens.join('-'),
): GpuModel => ({ model, family, tokens, memoryGb, generation });

/**
 * More specific rows come first (H100 NVL before H100). Within a family, the first row is what
 * a label without memory means (A100 → 40 GB: every 80 GB A100 label says 80GB).
 */
export const GPU_MODELS: readonly GpuModel[] = [
  row('GH200', ['GH200'], 96, 'Hopper'),
  row('GB300', ['GB300'], 288, 'Blackwell'),
  row('GB200', ['GB200'], 186, 'Blackwell'),
  row('B300', ['B300'], 288, 'Blackwell'),
  row('B200', ['B200'], 180, 'Blackwell'),
  row('RTX-PRO-6000', ['RTX', 'PRO', '6000'], 96, 'Blackwell'),
  row('H200-141GB', ['H200'], 141, 'Hopper', 'H200'),
  row('H100-NVL', ['H100', 'NVL'], 94, 'Hopper'),
  row('H100-80GB', ['H100'], 80, 'Hopper', 'H100'),
  row('H800-80GB', ['H800'], 80, 'Hopper', 'H800'),
  row('A100-40GB', ['A100'], 40, 'Ampere', 'A100'),
  row('A100-80GB', ['A100'], 80, 'Ampere', 'A100'),
  row('A800-80GB', ['A800'], 80, 'Ampere', 'A800'),
  row('A800-40GB', ['A800'], 40, 'Ampere', 'A800'),
  row('RTX-6000-ADA', ['6000', 'ADA'], 48, 'Ada Lovelace'),
  row('L40S', ['L40S'], 48, 'Ada Lovelace'),
  row('L40', ['L40'], 48, 'Ada Lovelace'),
  row('L4', ['L4'], 24, 'Ada Lovelace'),
  row('L20', ['L20'], 48, 'Ada Lovelace'),
  row('A40', ['A40'], 48, 'Ampere'),
  row('A30', ['A30'], 24, 'Ampere'),
  row('A10G', ['A10G'], 24, 'Ampere'),
  row('A10', ['A10'], 24, 'Ampere'),
  row('A16', ['A16'], 16, 'Ampere'),
  row('A2', ['A2'], 16, 'Ampere'),
  row('RTX-A6000', ['A6000'], 48, 'Ampere'),
  row('RTX-A5000', ['A5000'], 24, 'Ampere'),
  row('RTX-A4000', ['A4000'], 16, 'Ampere'),
  row('RTX-4090', ['4090'], 24, 'Ada Lovelace'),
  row('RTX-4080', ['4080'], 16, 'Ada Lovelace'),
  row('RTX-3090', ['3090'], 24, 'Ampere'),
  row('V100-16GB', ['V100'], 16, 'Volta', 'V100'),
  row('V100-32GB', ['V100'], 32, 'Volta', 'V100'),
  row('T4', ['T4'], 16, 'Turing'),
  row('P100', ['P100'], 16, 'Pascal'),
  row('P40', ['P40'], 24, 'Pascal'),
  row('K80', ['K80'], 12, 'Kepler'),
];

/** Vendor and product-line words that say nothing about the model. */
const NOISE = new Set(['NVIDIA', 'TESLA', 'GEFORCE', 'QUADRO', 'GENERATION', 'GPU', 'GRAPHICS']);
/** Form factors and memory kinds: the same GPU model in another package. */
const FORM_FACTOR = /^(SXM\d?|PCIE|HBM\d?E?|NVLINK|OAM)$/;
const MEMORY = /^(\d{1,3})GB$/;
/** GPU feature discovery with the MIG "single" strategy: NVIDIA-A100-SXM4-40GB-MIG-1g.5gb. */
const MIG_SUFFIX = /-MIG-(\d+G\.\d+GB)$/;

export interface NormalizedGpu {
  /** The standard name, or the cleaned label when the model is unknown. */
  readonly model: string;
  /** The catalogue row; undefined for a GPU AI Runway does not know. */
  readonly known: GpuModel | undefined;
  /** Memory the label states (80 for …-80GB), if any. */
  readonly labelMemoryGb: number | undefined;
  /** PCIe and SXM parts differ in speed; AI Configurator tells them apart. */
  readonly pcie: boolean;
  readonly migProfile: string | undefined;
}

/**
 * "NVIDIA-A100-SXM4-80GB", "nvidia-a100-sxm4-80gb", "Tesla-V100-PCIE-32GB", "NVIDIA GeForce RTX
 * 4090", "NVIDIA-H100-80GB-HBM3", "A100-80GB", "h100" → one standard name each.
 */
export function normalizeGpu(label: string): NormalizedGpu {
  let text = label
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '-');
  let migProfile: string | undefined;
  const mig = MIG_SUFFIX.exec(text);
  if (mig?.[1]) {
    migProfile = mig[1].toLowerCase();
    text = text.slice(0, mig.index);
  }
  const raw = text.split('-').filter(Boolean);
  const pcie = raw.includes('PCIE');
  let labelMemoryGb: number | undefined;
  const tokens: string[] = [];
  for (const token of raw) {
    const memory = MEMORY.exec(token);
    if (memory?.[1]) labelMemoryGb ??= Number(memory[1]);
    else if (!NOISE.has(token) && !FORM_FACTOR.test(token)) tokens.push(token);
  }
  const present = new Set(tokens);
  const matching = GPU_MODELS.filter((m) => m.tokens.every((t) => present.has(t)));
  const first = matching[0];
  const sameFamily = matching.filter((m) => m.family === first?.family);
  let known = sameFamily.find((m) => m.memoryGb === labelMemoryGb) ?? first;
  let model = known?.model;
  // A memory size the catalogue does not list (A100-96GB): keep the family, trust the label.
  if (known && labelMemoryGb !== undefined && known.memoryGb !== labelMemoryGb && sameFamily.length > 1) {
    model = `${known.family}-${labelMemoryGb}GB`;
    known = { ...known, model, memoryGb: labelMemoryGb };
  }
  return {
    model: model ?? (tokens.length > 0 ? tokens.join('-') : text),
    known,
    labelMemoryGb,
    pcie,
    migProfile,
  };
}

/** Memory of one GPU from a product name, in GB: the label's own figure first, else the model's. */
export function memoryOfGpu(label: string): number | undefined {
  const gpu = normalizeGpu(label);
  return gpu.labelMemoryGb ?? gpu.known?.memoryGb;
}
