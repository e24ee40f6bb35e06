import { sharedTestConfig } from '@airunway/vitest-config';
import { defineConfig } from 'vitest/config';

// Browser specs run through Vitest with playwright-core as a library, so their results land in
// .vitest-results/e2e.json beside every other package's and scripts/test-summary.mjs counts them.
export default defineConfig({
  test: {
    ...sharedTestConfig(import.meta.dirname),
    include: ['specs/**/*.spec.ts'],
    globalSetup: ['./support/global-setup.ts'],
    // One stack, one Chromium at a time: the machine has two cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // What a page shows after a stream event or a re-render can take seconds on a busy 2-core
    // machine; Vitest's 1 s default for expect.poll made such checks flaky, not stricter.
    expect: { poll: { timeout: 15_000 } },
  },
});
