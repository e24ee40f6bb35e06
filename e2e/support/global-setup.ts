// Vitest global setup: one stack per run, shared by every spec file (each works in its own
// namespace or with its own deployment names), stopped when the run ends.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack, type StackInfo } from './stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const artifactsDir = join(import.meta.dirname, '..', 'test-results');
  mkdirSync(artifactsDir, { recursive: true });
  const started = Date.now();
  const stack = await startStack({
    artifactsDir,
    log: (m) => {
      if (process.env.E2E_VERBOSE === '1') console.error(`e2e: ${m}`);
    },
  });
  console.error(`e2e: stack ready in ${Date.now() - started} ms (dashboard ${stack.webUrl})`);
  const { stop: _stop, ...info } = stack;
  project.provide('stack', info);
  return () => stack.stop();
}
