import { sharedTestConfig } from '@airunway/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    ...sharedTestConfig(import.meta.dirname),
    globalSetup: ['@airunway/testenv/vitest-global-setup'],
    // The test files share one control plane and some assert cluster-wide totals (nodes, GPUs,
    // kube-system objects): run them one after another.
    fileParallelism: false,
  },
});
