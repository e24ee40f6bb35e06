// What an image built from a GGUF file is called: aikit-<repository>:<quantization> unless the
// request names it, in the in-cluster registry.

/** llama.cpp quantization names as GGUF files carry them: Q4_K_M, Q8_0, IQ2_XXS, F16, BF16, MXFP4. */
const QUANTIZATION = /(?:^|[._-])((?:I?Q\d+(?:_[A-Z0-9]+)*)|BF16|F16|F32|MXFP4)(?=[._-]|$)/i;

export function quantizationOf(ggufFile: string): string | undefined {
  const name = (ggufFile.split('/').pop() ?? ggufFile).replace(/\.gguf$/i, '');
  return QUANTIZATION.exec(name)?.[1]?.toLowerCase();
}

/** A repository name as an image name component: lowercase, runs of other characters as one "-". */
export function defaultImageName(modelId: string): string {
  const repo = modelId.split('/').pop() ?? modelId;
  const cleaned = repo
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return `aikit-${cleaned || 'model'}`;
}

export function defaultImageTag(ggufFile: string): string {
  return quantizationOf(ggufFile) ?? 'custom';
}

/**
 * Where AIKit downloads the file from. The https form, not huggingface://, because it also
 * serves repositories without an owner (huggingface:// needs organization/repository).
 */
export function ggufDownloadUrl(modelId: string, ggufFile: string): string {
  const path = ggufFile.split('/').map(encodeURIComponent).join('/');
  return `https://huggingface.co/${modelId}/resolve/main/${path}`;
}
