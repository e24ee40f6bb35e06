// `npm run bench -w @airunway/api`: GET /api/deployments with many ModelDeployments, on a real
// control plane. Creates N of them (default 1,000), starts the API on 127.0.0.1 and, once it is
// warm, times M calls (default 500) — with authentication off, then on (a bearer token checked
// by TokenReview and RBAC) — and counts the apiserver requests those calls caused, from the
// control plane's audit log by the API's user agent. A benchmark: it prints figures and asserts
// nothing.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { createLogger, loadClusterConnection } from '@airunway/kube';
import { startControlPlane, type ControlPlane } from '@airunway/testenv';
import { createApiRuntime, type ApiRuntime } from '../src/runtime.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    calls: { type: 'string', default: '500' },
  },
});
const count = Number(values.count);
const calls = Number(values.calls);
const namespaces = ['bench-a', 'bench-b', 'bench-c', 'bench-d'];
/** The batch audit backend writes at least this often (its default maximum wait is 30 s). */
const AUDIT_FLUSH_MS = 35_000;

const log = (m: string) => {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
};

interface AuditEvent {
  verb: string;
  userAgent?: string;
  stage?: string;
  requestReceivedTimestamp?: string;
  objectRef?: { resource?: string; subresource?: string };
}

/** Requests of `agent` received between `from` and `to` (ms since the epoch), by verb and resource. */
async function apiserverRequests(cluster: ControlPlane, agent: string, from: number, to: number) {
  const lines = (await readFile(cluster.auditLogPath ?? '', 'utf8')).split('\n').filter(Boolean);
  const byKind = new Map<string, number>();
  let total = 0;
  for (const line of lines) {
    const e = JSON.parse(line) as AuditEvent;
    if (!e.userAgent?.startsWith(agent)) continue;
    // One event per request: long-running ones (watches) also log ResponseStarted.
    if (e.stage === 'ResponseStarted') continue;
    const at = Date.parse(e.requestReceivedTimestamp ?? '');
    if (!(at >= from && at <= to)) continue;
    total++;
    const key = `${e.verb} ${e.objectRef?.resource ?? '?'}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  return { total, byKind };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function startApi(cluster: ControlPlane, authEnabled: boolean, agent: string) {
  const runtime: ApiRuntime = createApiRuntime({
    connection: loadClusterConnection({ kubeconfigPath: cluster.kubeconfigPath }),
    config: {
      authEnabled,
      productNamespace: 'bench-a',
      defaultNamespace: 'bench-a',
      build: { version: 'bench', buildTime: 'unknown', gitCommit: 'unknown' },
    },
    logger: createLogger({ level: 'error', name: 'api' }),
    userAgent: agent,
  });
  runtime.start();
  await Promise.all(runtime.cache.all.map((i) => i.synced));
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolve(s);
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    runtime,
    url,
    stop: async () => {
      await new Promise((r) => server.close(r));
      await runtime.stop();
    },
  };
}

async function measure(url: string, token: string | undefined) {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const get = async () => {
    const started = performance.now();
    const res = await fetch(`${url}/api/deployments`, { headers });
    const body = (await res.json()) as { deployments: unknown[] };
    if (res.status !== 200 || body.deployments.length < count)
      throw new Error(`GET /api/deployments: HTTP ${res.status}`);
    return { ms: performance.now() - started, bytes: JSON.stringify(body).length };
  };
  for (let i = 0; i < 200; i++) await get(); // warm: JIT, token and access reviews cached
  const from = Date.now();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < calls; i++) {
    const r = await get();
    times.push(r.ms);
    bytes = r.bytes;
  }
  const to = Date.now();
  times.sort((a, b) => a - b);
  return {
    from,
    to,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.at(-1) ?? NaN,
    bytes,
  };
}

log('starting a control plane (audit log on)');
const cluster = await startControlPlane({ auditLog: true });
try {
  for (const ns of namespaces) await cluster.createNamespace(ns);
  log(`creating ${count} ModelDeployments in ${namespaces.length} namespaces`);
  for (let i = 0; i < count; i += 100) {
    await cluster.apply(
      Array.from({ length: Math.min(100, count - i) }, (_, j) => ({
        apiVersion: 'airunway.ai/v1alpha1',
        kind: 'ModelDeployment',
        metadata: { name: `model-${i + j}`, namespace: namespaces[(i + j) % namespaces.length] },
        spec: {
          model: { id: 'Qwen/Qwen3-0.6B' },
          engine: { type: 'vllm' },
          resources: { gpu: { count: 1 } },
        },
      })),
    );
  }

  const results: string[] = [];
  for (const authEnabled of [false, true]) {
    const agent = `airunway-api-bench-${authEnabled ? 'auth' : 'local'}/0.1.0`;
    const started = Date.now();
    const api = await startApi(cluster, authEnabled, agent);
    const synced = Date.now() - started;
    log(`API (auth ${authEnabled ? 'on' : 'off'}) synced in ${synced} ms; ${calls} calls`);
    const m = await measure(api.url, authEnabled ? cluster.users.admin.token : undefined);
    await api.stop();
    log(`waiting ${AUDIT_FLUSH_MS / 1000} s for the audit log to be written`);
    await new Promise((r) => setTimeout(r, AUDIT_FLUSH_MS));
    const during = await apiserverRequests(cluster, agent, m.from, m.to);
    const startup = await apiserverRequests(cluster, agent, started, started + synced);
    results.push(
      `auth ${authEnabled ? 'on (admin token)' : 'off'}:\n` +
        `  cache filled in            ${synced} ms (${startup.total} apiserver requests: lists and watches)\n` +
        `  GET /api/deployments       p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, max ${m.max.toFixed(2)} ms ` +
        `over ${calls} calls (${(m.bytes / 1024).toFixed(0)} KiB each)\n` +
        `  apiserver requests caused  ${during.total}${during.total ? ` (${[...during.byKind].map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}`,
    );
  }
  console.log(`\nModelDeployments: ${count}\n${results.join('\n')}`);
} finally {
  await cluster.stop();
}
