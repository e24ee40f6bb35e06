// Shared Vitest settings for every workspace. Each run also writes a JSON report to
// <repo>/.vitest-results/<package>.json so CI can sum the results of all suites.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function sharedTestConfig(packageDir: string): ViteUserConfig['test'] {
  return {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: [
      'default',
      ['json', { outputFile: `${repoRoot}.vitest-results/${basename(packageDir)}.json` }],
    ],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  };
}
