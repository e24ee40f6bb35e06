// `npm run bench -w @airunway/operator`: the operator at scale, on a real control plane.
// Creates N ModelDeployments (default 1,000) on simulated GPU nodes and prints
//  - time until every one has its Deployment and Service, and until every one is Running;
//  - the operator's CPU seconds and peak RSS (it runs as its own process, from dist/);
//  - its requests per ModelDeployment, read from the apiserver's audit log by user agent;
//  - its writes after a restart with nothing to change (should be zero).
// A benchmark, not a test: it prints figures and asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane, type ControlPlane, type NodeSpec } from '@airunway/testenv';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' } } });
const count = Number(values.count);
const operatorDir = join(import.meta.dirname, '..');
const ns = 'bench';

const gpuNodes = Math.ceil(count / 8) + 2;
const nodes: NodeSpec[] = Array.from({ length: gpuNodes }, (_, i) => ({
  kind: 'gpu',
  name: `gpu-${i}`,
  gpu: 'H100-80GB',
  gpuCount: 8,
  pool: 'h100',
}));

const log = (m: string) => {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
};

const HEALTH_PORT = 18_181;

/** The flags and environment the operator runs with everywhere (runtime.json). */
const runtime = JSON.parse(readFileSync(join(operatorDir, 'runtime.json'), 'utf8')) as {
  nodeArgs: string[];
  env: Record<string, string>;
};

function startOperator(cluster: ControlPlane, identity: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...runtime.nodeArgs,
      'dist/main.js',
      `--health-port=${HEALTH_PORT}`,
      '--leader-elect=false',
      '--workers=4',
      '--log-level=warn',
    ],
    {
      cwd: operatorDir,
      env: { ...process.env, ...runtime.env, KUBECONFIG: cluster.kubeconfigPath, POD_NAME: identity },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** The operator's own view of its memory, from its /metrics. */
async function heap(): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${HEALTH_PORT}/metrics`)).text();
  const metric = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1048576;
  return (
    `heap used ${metric('nodejs_heap_size_used_bytes').toFixed(0)} MiB of ${metric('nodejs_heap_size_total_bytes').toFixed(0)} MiB, ` +
    `external ${metric('nodejs_external_memory_bytes').toFixed(0)} MiB`
  );
}

/** CPU seconds (user + system) and peak RSS of a live process, from /proc. */
async function usage(pid: number): Promise<{ cpuSeconds: number; peakRssMiB: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14 and 15)
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return { cpuSeconds: ticks / 100, peakRssMiB: hwm / 1024 };
}

async function counts(
  cluster: ControlPlane,
): Promise<{ deployments: number; services: number; running: number }> {
  const [deployments, services, phases] = await Promise.all([
    cluster.kubectlOk(['get', 'deployments', '-n', ns, '-o', 'name']),
    cluster.kubectlOk(['get', 'services', '-n', ns, '-o', 'name']),
    cluster.kubectlOk(['get', 'md', '-n', ns, '-o', 'jsonpath={.items[*].status.phase}']),
  ]);
  const lines = (s: string) => s.split('\n').filter(Boolean).length;
  return {
    deployments: lines(deployments),
    services: lines(services),
    running: phases.split(' ').filter((p) => p === 'Running').length,
  };
}

/** Operator requests in the audit log since line `from`, by verb and resource. */
async function operatorRequests(cluster: ControlPlane, identity: string, from = 0) {
  const lines = (await readFile(cluster.auditLogPath ?? '', 'utf8')).split('\n').filter(Boolean);
  const byKind = new Map<string, number>();
  let writes = 0;
  let reads = 0;
  for (const line of lines.slice(from)) {
    const e = JSON.parse(line) as {
      verb: string;
      userAgent?: string;
      objectRef?: { resource?: string; subresource?: string };
      responseStatus?: { code?: number };
    };
    if (!e.userAgent?.includes(`(${identity})`)) continue;
    const write = ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb);
    if (write) writes++;
    else reads++;
    const resource = `${e.objectRef?.resource ?? '?'}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`;
    const code = e.responseStatus?.code ?? 0;
    const key = `${write ? 'write' : 'read '} ${e.verb.padEnd(6)} ${resource}${code >= 300 ? ` (HTTP ${code})` : ''}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  return { writes, reads, byKind, lines: lines.length };
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return (Date.now() - start) / 1000;
}

log(`starting a control plane with ${gpuNodes} GPU nodes (8 GPUs each)`);
const cluster = await startControlPlane({ nodes, auditLog: true });
let operator: ChildProcess | undefined;
try {
  await cluster.createNamespace(ns);
  operator = startOperator(cluster, 'bench-1');
  await new Promise((r) => setTimeout(r, 2_000));

  log(`creating ${count} ModelDeployments`);
  const created = Date.now();
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => ({
      apiVersion: 'airunway.ai/v1alpha1',
      kind: 'ModelDeployment',
      metadata: { name: `model-${i + j}`, namespace: ns },
      spec: { model: { id: 'Qwen/Qwen3-0.6B' }, engine: { type: 'vllm' }, resources: { gpu: { count: 1 } } },
    }));
    await cluster.apply(batch);
  }
  const createSeconds = (Date.now() - created) / 1000;
  log(`created in ${createSeconds.toFixed(1)} s`);

  let last = { deployments: 0, services: 0, running: 0 };
  const childrenSeconds = await waitUntil(
    'children',
    async () => {
      last = await counts(cluster);
      return last.deployments >= count && last.services >= count;
    },
    30 * 60_000,
  );
  log(
    `all have a Deployment and a Service ${childrenSeconds.toFixed(1)} s after the last create (running: ${last.running})`,
  );
  const runningSeconds =
    childrenSeconds +
    (await waitUntil(
      'Running',
      async () => {
        last = await counts(cluster);
        return last.running >= count;
      },
      30 * 60_000,
    ));
  log(`all Running after ${runningSeconds.toFixed(1)} s (from the first create)`);

  // Let trailing events settle, then read the operator's own figures.
  await new Promise((r) => setTimeout(r, 10_000));
  const firstUsage = await usage(operator.pid ?? 0);
  const firstHeap = await heap();
  const toRunning = await operatorRequests(cluster, 'bench-1');

  // Restart: a fresh operator re-reconciles everything and must find nothing to change.
  operator.kill('SIGTERM');
  await new Promise((r) => operator?.once('exit', r));
  const restartedAt = toRunning.lines;
  operator = startOperator(cluster, 'bench-2');
  await new Promise((r) => setTimeout(r, 30_000));
  const afterRestart = await operatorRequests(cluster, 'bench-2', restartedAt);
  const secondUsage = await usage(operator.pid ?? 0);

  console.log(`
ModelDeployments:                          ${count}
time to create them (kubectl, batches of 100): ${createSeconds.toFixed(1)} s
time until all have children:               ${(createSeconds + childrenSeconds).toFixed(1)} s from the first create (${childrenSeconds.toFixed(1)} s after the last)
time until all are Running:                 ${(createSeconds + runningSeconds).toFixed(1)} s from the first create (${runningSeconds.toFixed(1)} s after the last)
operator CPU, start → all Running + 10 s:   ${firstUsage.cpuSeconds.toFixed(1)} s
operator peak RSS:                          ${firstUsage.peakRssMiB.toFixed(0)} MiB (now: ${firstHeap})
operator requests until all Running:        ${toRunning.writes} writes (${(toRunning.writes / count).toFixed(2)} per ModelDeployment), ${toRunning.reads} reads
${[...toRunning.byKind]
  .sort()
  .map(([k, n]) => `    ${k.padEnd(48)} ${String(n).padStart(6)}  (${(n / count).toFixed(2)}/MD)`)
  .join('\n')}
after a restart with nothing to change (30 s): ${afterRestart.writes} writes, ${afterRestart.reads} reads
${[...afterRestart.byKind]
  .sort()
  .map(([k, n]) => `    ${k.padEnd(48)} ${String(n).padStart(6)}`)
  .join('\n')}
restarted operator: CPU ${secondUsage.cpuSeconds.toFixed(1)} s, peak RSS ${secondUsage.peakRssMiB.toFixed(0)} MiB`);
} finally {
  operator?.kill('SIGKILL');
  await cluster.stop();
}
