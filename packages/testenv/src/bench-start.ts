// `npm run bench -w @airunway/testenv`: measures warm start-up of the control plane
// (binaries already built) and prints the time to each milestone, per run and median.
import { parseArgs } from 'node:util';
import { startControlPlane } from './control-plane.js';
import { DEFAULT_TOPOLOGY } from './nodes.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const samples: Record<string, number>[] = [];

for (let i = 0; i < runs; i++) {
  const cp = await startControlPlane({ nodes: DEFAULT_TOPOLOGY });
  const stopStart = Date.now();
  await cp.stop();
  samples.push({ ...cp.timings, stop: Date.now() - stopStart });
  console.log(
    `run ${i + 1}: ${Object.entries(samples.at(-1) ?? {})
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')}`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.log(`\nmedian of ${runs} warm starts (${DEFAULT_TOPOLOGY.length} nodes, product CRD):`);
for (const key of Object.keys(samples[0] ?? {})) {
  console.log(`  ${key.padEnd(22)} ${String(median(samples.map((s) => s[key] ?? NaN))).padStart(6)} ms`);
}
