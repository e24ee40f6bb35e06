// `npm run bench -w @airunway/web`: first-load JavaScript per route (gzipped, from the build's
// manifests) and the time to a usable Deployments page with 1,000 ModelDeployments.
// Needs a production build (npm run build -w @airunway/web) and the API's build.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { routeSizes } from './bundle-size.js';
import { measureRenderTime } from './render-time.js';

const DEPLOYMENTS_BUDGET_KB = 250;
const INTERACTIVE_BUDGET_MS = 1_000;
const webDir = join(import.meta.dirname, '..');
const nextDir = join(webDir, '.next');
if (!existsSync(join(nextDir, 'BUILD_ID'))) {
  console.error('No production build: run `npm run build -w @airunway/web` first.');
  process.exit(1);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
console.log('First-load JS per route (gzipped)\n');
console.log(`${'route'.padEnd(36)}${'gzip'.padStart(10)}${'raw'.padStart(11)}${'files'.padStart(7)}`);
const sizes = routeSizes(nextDir);
for (const r of sizes)
  console.log(
    `${r.route.padEnd(36)}${kb(r.gzipBytes).padStart(10)}${kb(r.rawBytes).padStart(11)}${String(r.files).padStart(7)}`,
  );
const deployments = sizes.find((r) => r.route === '/deployments');
if (deployments)
  console.log(
    `\n/deployments: ${kb(deployments.gzipBytes)} (budget ${DEPLOYMENTS_BUDGET_KB} kB) ${deployments.gzipBytes / 1024 < DEPLOYMENTS_BUDGET_KB ? 'OK' : 'OVER BUDGET'}`,
  );

if (process.argv.includes('--sizes-only')) process.exit(0);

const count = Number(process.env.BENCH_DEPLOYMENTS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
console.log(`\nDeployments page with ${count} ModelDeployments (${runs} cold loads in Chromium)\n`);
const results = await measureRenderTime({
  deployments: count,
  runs,
  log: (m) => {
    console.error(`  ${m}`);
  },
});
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const row = (label: string, values: number[]) => {
  const spread = `(min ${Math.round(Math.min(...values))}, max ${Math.round(Math.max(...values))})`;
  console.log(`${label.padEnd(40)}median ${Math.round(median(values))} ms   ${spread}`);
};
row(
  'navigation → DOMContentLoaded',
  results.map((r) => r.domContentLoadedMs),
);
row(
  `navigation → ${count} deployments listed`,
  results.map((r) => r.listedMs),
);
row(
  'navigation → interactive (hydrated)',
  results.map((r) => r.interactiveMs),
);
row(
  'navigation → live stream open',
  results.map((r) => r.liveMs),
);
row(
  'main-thread blocking until interactive',
  results.map((r) => r.blockingMs),
);
row(
  'search keystroke → filtered list',
  results.map((r) => r.filterMs),
);
console.log(`table rows in the DOM: ${results[0]?.domRows ?? '?'} of ${count}`);
const interactive = median(results.map((r) => r.interactiveMs));
console.log(
  `\n${count} rows interactive in ${Math.round(interactive)} ms (budget ${INTERACTIVE_BUDGET_MS} ms) ${interactive < INTERACTIVE_BUDGET_MS ? 'OK' : 'OVER BUDGET'}`,
);
