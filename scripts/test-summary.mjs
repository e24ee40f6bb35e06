// Sums the Vitest JSON reports that every package writes to .vitest-results/ and
// prints one line: "N passed, M failed, K skipped". Exits 1 when a test failed or no
// report exists (a run that tested nothing is not a green run).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', '.vitest-results');
const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json'));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const report = JSON.parse(await readFile(join(dir, file), 'utf8'));
  passed += report.numPassedTests;
  // A file that failed without a failing test (an import error, a failed hook) counts as one failure.
  const brokenFiles = report.testResults.filter(
    (r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed'),
  ).length;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(
    `${file.replace(/\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
