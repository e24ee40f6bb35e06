// Shared Vitest settings for every workspace. Each run also writes a JSON report to
// <repo>/.vitest-results/<package>.json so CI can sum the results of all suites.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The report's name: the package name without its scope (`@airunway/api` → `api`). */
function reportName(packageDir: string): string {
  const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string };
  return name.replace(/^@[^/]+\//, '');
}

export function sharedTestConfig(packageDir: string): ViteUserConfig['test'] {
  return {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: [
      'default',
      ['json', { outputFile: `${repoRoot}.vitest-results/${reportName(packageDir)}.json` }],
    ],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  };
}
