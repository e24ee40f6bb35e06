// The probe and metrics endpoint, fed by a real informer and client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import type { KubeClient } from './client.js';
import { informersSyncedCheck, startHealthServer, type HealthServer } from './health.js';
import { Informer } from './informer.js';
import { createKubeMetrics } from './metrics.js';
import type { KubeObject } from './objects.js';
import { Resources } from './resources.js';
import { cluster, proxiedAdmin } from './test-helpers.js';
import { WorkQueue } from './work-queue.js';
import type { FaultProxy } from './testing/fault-proxy.js';

const ns = uniqueNamespace('kube-health');
const metrics = createKubeMetrics();
let client: KubeClient;
let proxy: FaultProxy;
let server: HealthServer;
let informer: Informer<KubeObject>;

beforeAll(async () => {
  await cluster.createNamespace(ns);
  ({ proxy, client } = await proxiedAdmin({
    observer: metrics.requestObserver,
    userAgent: 'airunway-operator/0.1.0',
  }));
  informer = new Informer({
    client,
    resource: Resources.ConfigMap,
    namespace: ns,
    observer: metrics.informerObserver,
    backoff: { initialMs: 20, maxMs: 100 },
  });
  metrics.trackInformer(informer);
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    registry: metrics.registry,
    readiness: [informersSyncedCheck([informer])],
    liveness: [{ name: 'event-loop', check: () => true }],
  });
});

afterAll(async () => {
  await informer.stop();
  await server.close();
  await proxy.close();
  await client.close();
});

const get = async (path: string) => {
  const res = await fetch(server.url + path);
  return { status: res.status, body: await res.text() };
};

describe('health server', () => {
  it('is not ready until informers have synced, and says why', async () => {
    proxy.setMode('down'); // the informer cannot list yet
    informer.start();
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(500);
    expect(notReady.body).toContain(`[-]informers-synced failed: not synced: ${informer.name}`);
    // Liveness does not depend on the apiserver.
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok' });

    proxy.setMode('pass');
    await informer.synced;
    expect(await get('/readyz')).toEqual({ status: 200, body: 'ok' });
    expect((await get('/readyz?verbose')).body).toContain('[+]informers-synced ok');
    expect((await get('/nope')).status).toBe(404);
  });

  it('serves controller, client and informer metrics', async () => {
    const queue = new WorkQueue({ name: 'modeldeployment', metrics: metrics.workQueue('modeldeployment') });
    metrics.trackQueue(queue);
    queue.add('ns/a');
    queue.add('ns/b');
    metrics.controller('modeldeployment').reconciled?.('success', 12);
    metrics.controller('modeldeployment').reconcileError?.('Conflict');
    metrics.trackLeader('airunway-operator', { isLeader: () => true });
    const { status, body } = await get('/metrics');
    expect(status).toBe(200);
    expect(body).toContain('workqueue_depth{name="modeldeployment"} 2');
    expect(body).toContain('workqueue_adds_total{name="modeldeployment"} 2');
    expect(body).toContain(
      'controller_runtime_reconcile_total{controller="modeldeployment",result="success"} 1',
    );
    expect(body).toContain(
      'controller_runtime_reconcile_errors_total{controller="modeldeployment",reason="Conflict"} 1',
    );
    expect(body).toMatch(
      /rest_client_requests_total\{code="200",method="GET",verb="list",user_agent="airunway-operator\/0.1.0"\} \d+/,
    );
    expect(body).toContain(`kube_informer_synced{informer="${informer.name}"} 1`);
    expect(body).toContain(`kube_informer_lists_total{informer="${informer.name}"} 1`);
    expect(body).toContain('leader_election_master_status{name="airunway-operator"} 1');
    expect(body).toContain('process_cpu_user_seconds_total');
    await queue.shutDown({ drain: false });
  });
});
