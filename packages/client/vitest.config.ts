import { sharedTestConfig } from '@airunway/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    ...sharedTestConfig(import.meta.dirname),
    globalSetup: ['@airunway/testenv/vitest-global-setup'],
  },
});
