// `npm run generate`: refreshes the chart's copies of generated files (the CRD, the operator's
// runtime.json). turbo runs it after @airunway/schema has regenerated the CRD (see turbo.json).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { GENERATED_COPIES } from './chart.js';

for (const { source, copy } of GENERATED_COPIES) {
  mkdirSync(dirname(copy), { recursive: true });
  copyFileSync(source, copy);
  console.log(`copied ${relative(process.cwd(), source)} → ${relative(process.cwd(), copy)}`);
}
