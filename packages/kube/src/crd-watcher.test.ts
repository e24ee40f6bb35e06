// Informers that follow CRDs: a kind registered before its CRD exists starts watching when
// the CRD is installed and Established, stops (cache dropped) when it is deleted, and
// starts again when it is re-installed — all in one process, no restart.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import type { KubeClient } from './client.js';
import { CrdWatcher, type StopReason } from './crd-watcher.js';
import type { Informer } from './informer.js';
import type { KubeObject } from './objects.js';
import { adminClient, cluster, eventLog, installCrd, type Widget } from './test-helpers.js';

const ns = uniqueNamespace('kube-crdw');
const group = `${ns}.kube-test.airunway.ai`;
let client: KubeClient;
let watcher: CrdWatcher;

beforeAll(async () => {
  client = adminClient();
  await cluster.createNamespace(ns);
  watcher = new CrdWatcher({ client, informerDefaults: { backoff: { initialMs: 20, maxMs: 200 } } }).start();
  await watcher.synced;
});

afterAll(async () => {
  await watcher.stop();
  await client.close();
});

const waitFor = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 30_000, interval: 25 });

describe('CrdWatcher', () => {
  it('starts an informer when the CRD is established, stops it when the CRD is deleted, restarts on reinstall', async () => {
    const started: Informer<Widget>[] = [];
    const stopped: StopReason[] = [];
    const events = eventLog<Widget>();
    const watch = watcher.watchKind<Widget>(
      { group, kind: 'Gadget' },
      {
        onStart: (informer, crd) => {
          expect(crd.spec.names.plural).toBe('gadgets');
          informer.addEventHandler(events.handlers);
          started.push(informer);
        },
        onStop: (_informer, reason) => {
          stopped.push(reason);
        },
      },
    );
    expect(watch.installed).toBe(false);
    expect(watcher.isEstablished(group, 'Gadget')).toBe(false);

    await installCrd(group, 'Gadget', 'gadgets');
    await waitFor(() => {
      expect(watch.installed).toBe(true);
    });
    const first = watch.informer();
    expect(first?.resource).toMatchObject({ group, version: 'v1', resource: 'gadgets', namespaced: true });
    await first?.synced;
    expect(watcher.isEstablished(group, 'Gadget')).toBe(true);

    await client.apply<Widget>(
      {
        apiVersion: `${group}/v1`,
        kind: 'Gadget',
        metadata: { name: 'g1', namespace: ns },
        spec: { size: 1 },
      },
      { fieldManager: 'crdw-test' },
    );
    await waitFor(() => {
      expect(events.about('g1')).toEqual(['add g1']);
      expect(first?.get(ns, 'g1')?.spec).toEqual({ size: 1 });
    });

    // Deleting the CRD deletes its objects, then the CRD: the informer stops, cache dropped.
    await cluster.kubectlOk(['delete', 'crd', `gadgets.${group}`, '--wait=true']);
    await waitFor(() => {
      expect(stopped).toEqual(['crd-deleted']);
    });
    expect(events.about('g1')).toEqual(['add g1', 'delete g1']); // seen before the informer stopped
    expect(watch.installed).toBe(false);
    expect(watch.informer()).toBeUndefined();
    expect(first?.status().stopped).toBe(true);
    expect(first?.size).toBe(0);
    expect(watcher.isEstablished(group, 'Gadget')).toBe(false);

    // Installed again: a new informer, same registration, no restart of anything else.
    await installCrd(group, 'Gadget', 'gadgets');
    await waitFor(() => {
      expect(started).toHaveLength(2);
    });
    await watch.informer()?.synced;
    await client.apply<Widget>(
      {
        apiVersion: `${group}/v1`,
        kind: 'Gadget',
        metadata: { name: 'g2', namespace: ns },
        spec: { size: 2 },
      },
      { fieldManager: 'crdw-test' },
    );
    await waitFor(() => {
      expect(events.about('g2')).toEqual(['add g2']);
    });

    await watch.cancel();
    expect(stopped).toEqual(['crd-deleted', 'unregistered']);
    expect(started[1]?.status().stopped).toBe(true);
  });

  it('starts at once for a kind whose CRD is already installed (KubeRay RayCluster)', async () => {
    // The test environment installs the upstream provider CRDs before any test runs.
    expect(watcher.isEstablished('ray.io', 'RayCluster')).toBe(true);
    let informer: Informer<KubeObject> | undefined;
    const watch = watcher.watchKind(
      { group: 'ray.io', kind: 'RayCluster' },
      { onStart: (i) => void (informer = i) },
    );
    await waitFor(() => {
      expect(watch.installed).toBe(true);
    });
    expect(informer?.resource).toMatchObject({ group: 'ray.io', resource: 'rayclusters', namespaced: true });
    await informer?.synced;
    expect(informer?.hasSynced()).toBe(true);
    await watch.cancel();
    expect(informer?.status().stopped).toBe(true);
  });
});
