import { sharedTestConfig } from '@airunway/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    ...sharedTestConfig(import.meta.dirname),
    // A real control plane with the upstream CRDs: rendered objects are checked against them.
    globalSetup: ['@airunway/testenv/vitest-global-setup'],
  },
});
