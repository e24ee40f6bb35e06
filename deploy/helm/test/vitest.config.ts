import { sharedTestConfig } from '@airunway/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    ...sharedTestConfig(import.meta.dirname),
    globalSetup: ['@airunway/testenv/vitest-global-setup'],
    // The files share one control plane, and installs touch cluster-wide objects (the CRD,
    // ClusterRoles, aggregated roles): run them one after another.
    fileParallelism: false,
  },
});
