// A Controller wired to real informers: keys from the primary kind and from owned children,
// per-key serialisation, retry with backoff after errors, requeue-after, terminal errors,
// and a clean stop.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import { setControllerReference } from './apply.js';
import type { KubeClient } from './client.js';
import { Controller, TerminalError, controllerOwnerKey, type ReconcileResult } from './controller.js';
import { Informer } from './informer.js';
import type { KubeObject } from './objects.js';
import { Resources } from './resources.js';
import { adminClient, cluster } from './test-helpers.js';
import { ItemExponentialRateLimiter } from './rate-limiter.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const ns = uniqueNamespace('kube-controller');
let client: KubeClient;

beforeAll(async () => {
  client = adminClient();
  await cluster.createNamespace(ns);
});

afterAll(async () => {
  await client.close();
});

const waitFor = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 15_000, interval: 20 });

function put(
  name: string,
  labels: Record<string, string>,
  data: Record<string, string> = {},
  owner?: KubeObject,
) {
  const obj: ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, labels },
    data,
  };
  return client.apply<ConfigMap>(owner ? setControllerReference(obj, owner) : obj, {
    fieldManager: 'controller-test',
  });
}

describe('Controller', () => {
  it('reconciles primaries and owners of changed children, serialised per key, with retries', async () => {
    const parents = new Informer<ConfigMap>({
      client,
      resource: Resources.ConfigMap,
      namespace: ns,
      labelSelector: 'role=parent',
    }).start();
    const children = new Informer<ConfigMap>({
      client,
      resource: Resources.ConfigMap,
      namespace: ns,
      labelSelector: 'role=child',
    }).start();
    const calls: string[] = [];
    const active = new Set<string>();
    let overlapped = false;
    let failuresLeft = 2;
    let requeuedOnce = false;
    const controller = new Controller({
      name: 'test',
      workers: 4,
      // Small backoff so the test does not wait on the production base delay.
      rateLimiter: new ItemExponentialRateLimiter(10, 100),
      reconcile: async ({ key, name }, { signal }): Promise<ReconcileResult | undefined> => {
        if (active.has(key)) overlapped = true;
        active.add(key);
        calls.push(name);
        await new Promise((r) => setTimeout(r, 5));
        active.delete(key);
        expect(signal.aborted).toBe(false);
        const parent = parents.get(ns, name);
        if (parent?.data?.mode === 'flaky' && failuresLeft > 0) {
          failuresLeft--;
          throw new Error('transient');
        }
        if (parent?.data?.mode === 'broken') throw new TerminalError('bad spec');
        if (parent?.data?.mode === 'poll' && !requeuedOnce) {
          requeuedOnce = true;
          return { requeueAfter: 50 };
        }
        return undefined;
      },
    })
      .watch(parents)
      .watch(children, controllerOwnerKey('ConfigMap'));

    const stop = new AbortController();
    const running = controller.run(stop.signal);
    const calledFor = (name: string) => calls.filter((c) => c === name).length;

    const p1 = await put('p1', { role: 'parent' });
    await put('flaky', { role: 'parent' }, { mode: 'flaky' });
    await put('broken', { role: 'parent' }, { mode: 'broken' });
    await put('poll', { role: 'parent' }, { mode: 'poll' });
    await waitFor(() => {
      expect(calledFor('p1')).toBeGreaterThanOrEqual(1);
      expect(calledFor('flaky')).toBe(3); // two failures, retried with backoff, then success
      expect(calledFor('poll')).toBe(2); // requeueAfter brought it back once
      expect(calledFor('broken')).toBe(1); // terminal: not retried
    });
    expect(controller.queue.numRequeues(`${ns}/flaky`)).toBe(0); // forgotten after success

    // A change to an owned child reconciles its owner.
    const before = calledFor('p1');
    await put('c1', { role: 'child' }, { x: '1' }, p1);
    await waitFor(() => {
      expect(calledFor('p1')).toBeGreaterThan(before);
    });
    // Quick changes never cause more reconciles than events, and never overlap per key
    // (de-duplication itself is pinned down by the work-queue unit tests).
    const burstBefore = calledFor('p1');
    for (let i = 0; i < 20; i++)
      await client.patch(
        Resources.ConfigMap,
        'p1',
        { data: { n: String(i) } },
        { namespace: ns, type: 'merge' },
      );
    await waitFor(() => {
      expect(parents.get(ns, 'p1')?.data?.n).toBe('19');
      expect(controller.queue.length + controller.queue.inFlight).toBe(0);
    });
    expect(calledFor('p1') - burstBefore).toBeLessThanOrEqual(20);
    expect(overlapped).toBe(false);

    stop.abort();
    await running;
    expect(controller.queue.isShuttingDown).toBe(true);
    await Promise.all([parents.stop(), children.stop()]);
  });
});
