import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/testenv, whether this runs from src/ (tsx, vitest) or dist/. */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(packageDir, '..', '..');

/** The product's generated CRDs. */
export const productCrdDir = join(repoRoot, 'deploy', 'crds');

/**
 * Upstream provider CRDs (KAITO, Dynamo, KubeRay, Gateway API, …), kept with their
 * provenance outside this repository. AIRUNWAY_UPSTREAM_CRDS overrides the location.
 */
export function upstreamCrdDir(): string {
  const dir = process.env.AIRUNWAY_UPSTREAM_CRDS ?? resolve(repoRoot, '..', 'shared', 'crds');
  if (!existsSync(dir)) {
    throw new Error(
      `upstream CRDs not found at ${dir}; set AIRUNWAY_UPSTREAM_CRDS to the directory that holds them`,
    );
  }
  return dir;
}
