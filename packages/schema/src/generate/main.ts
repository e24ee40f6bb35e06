// `npm run generate`: writes the ModelDeployment CRD to deploy/crds/ at the repository root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildModelDeploymentCrd, CRD_FILE, renderCrdYaml } from './crd.js';
import { REPO_ROOT } from './repo-root.js';

const target = join(REPO_ROOT, CRD_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderCrdYaml(buildModelDeploymentCrd()));
console.log(`wrote ${relative(process.cwd(), target)}`);
