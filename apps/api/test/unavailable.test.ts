// With no apiserver to talk to, the API still answers: not ready, disconnected, and
// CLUSTER_UNAVAILABLE for what needs the cluster — never an empty list passed off as the truth.
import { createServer, type Server } from 'node:net';
import { silentLogger, staticConnection } from '@airunway/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRuntime, type ApiRuntime } from '../src/runtime.js';

let runtime: ApiRuntime;
let closedPort: Server;

beforeAll(async () => {
  // A port that accepts nothing: bind, note it, close.
  closedPort = createServer();
  await new Promise<void>((resolve) => closedPort.listen(0, '127.0.0.1', resolve));
  const { port } = closedPort.address() as { port: number };
  await new Promise<void>((resolve) =>
    closedPort.close(() => {
      resolve();
    }),
  );
  runtime = createApiRuntime({
    connection: staticConnection({ server: `https://127.0.0.1:${port}`, token: 'unused' }),
    config: {
      authEnabled: false,
      productNamespace: 'airunway-system',
      defaultNamespace: 'airunway-system',
      build: { version: 'v0', buildTime: 'unknown', gitCommit: 'unknown' },
    },
    logger: silentLogger,
    syncWaitMs: 200,
  });
  runtime.start();
});

afterAll(async () => {
  await runtime.stop();
});

const get = async (path: string) => {
  const res = await runtime.app.request(path);
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
};

describe('without a cluster', () => {
  it('is alive but not ready', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.text).toContain('[-]informers-synced failed: not synced: nodes');
  });

  it('GET /api/cluster/status says disconnected, and why', async () => {
    const { status, body } = await get('/api/cluster/status');
    expect(status).toBe(200);
    expect(body).toMatchObject({ connected: false, namespace: 'airunway-system', providerId: 'vllm' });
    expect(body.message).toMatch(/^Kubernetes API server unreachable: /);
  });

  it.each(['/api/cluster/nodes', '/api/installation/gpu-capacity', '/api/runtimes/status', '/api/settings'])(
    '%s is CLUSTER_UNAVAILABLE',
    async (path) => {
      const { status, body } = await get(path);
      expect(status).toBe(503);
      expect(body.code).toBe('CLUSTER_UNAVAILABLE');
      expect(body.error).toMatch(/^The cluster cache is not ready yet/);
    },
  );

  it('the catalog needs no cluster', async () => {
    expect((await get('/api/models')).status).toBe(200);
  });
});
