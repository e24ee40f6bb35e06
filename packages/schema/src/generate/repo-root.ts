import { fileURLToPath } from 'node:url';

/** The monorepo root: this file is packages/schema/src/generate/repo-root.ts. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
