// The informer against the real apiserver, and through the fault proxy for what networks
// and servers do to watches: cut connections, silence, refused connections, 410 Gone.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import type { KubeClient } from './client.js';
import { Informer, type InformerOptions } from './informer.js';
import { InformerFactory } from './informer-factory.js';
import type { KubeObject } from './objects.js';
import { Resources } from './resources.js';
import { byLabel } from './store.js';
import { adminClient, cluster, eventLog, proxiedAdmin } from './test-helpers.js';
import { httpGone, watchGoneEvent, type FaultProxy } from './testing/fault-proxy.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const ns = uniqueNamespace('kube-informer');
const otherNs = uniqueNamespace('kube-informer-other');
let admin: KubeClient;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  admin = adminClient();
  await Promise.all([cluster.createNamespace(ns), cluster.createNamespace(otherNs)]);
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(async () => {
  await admin.close();
});

const waitFor = <T>(fn: () => T, timeout = 15_000) => vi.waitFor(fn, { timeout, interval: 20 });

/** Fast reconnects for tests (production default: 500 ms doubling to 30 s). */
const fastBackoff = { initialMs: 20, maxMs: 200 };

/** Each test labels its objects and watches only them, so tests in one namespace stay apart. */
let testCase = '';
let caseNumber = 0;
beforeEach(() => {
  testCase = `case-${++caseNumber}`;
});

function put(
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
  namespace = ns,
) {
  return admin.apply<ConfigMap>(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${testCase}-${name}`, namespace, labels: { case: testCase, ...labels } },
      data,
    },
    { fieldManager: 'informer-test' },
  );
}

function remove(name: string, namespace = ns) {
  return admin.delete(Resources.ConfigMap, `${testCase}-${name}`, { namespace });
}

/** The object name of `name` in this test. */
const n = (name: string) => `${testCase}-${name}`;
/** Names in event logs without the test prefix. */
const unprefixed = (name: string) => name.slice(testCase.length + 1);

function startInformer(client: KubeClient, options: Partial<InformerOptions<ConfigMap>> = {}) {
  const informer = new Informer<ConfigMap>({
    client,
    resource: Resources.ConfigMap,
    namespace: ns,
    labelSelector: `case=${testCase}`,
    backoff: fastBackoff,
    ...options,
  });
  const events = eventLog<ConfigMap>({ rename: unprefixed });
  informer.addEventHandler(events.handlers);
  informer.start();
  cleanups.push(() => informer.stop());
  return { informer, events };
}

async function proxied(): Promise<{ proxy: FaultProxy; client: KubeClient }> {
  const p = await proxiedAdmin();
  cleanups.push(async () => {
    await p.proxy.close();
    await p.client.close();
  });
  return p;
}

describe('Informer', () => {
  it('lists, then delivers create/update/delete in order, one call at a time, and caches', async () => {
    await Promise.all([put('first', { v: '1' }, { app: 'web' }), put('second', { v: '1' }, { app: 'db' })]);
    const informer = new Informer<ConfigMap>({
      client: admin,
      resource: Resources.ConfigMap,
      namespace: ns,
      labelSelector: `case=${testCase}`,
      keepManagedFieldsOf: ['informer-test'],
    }).addIndex('app', byLabel('app'));
    // An async handler that takes a random while: calls must still be ordered, never overlapping.
    const events = eventLog<ConfigMap>({ asyncDelayMs: 15, rename: unprefixed });
    informer.addEventHandler(events.handlers);
    cleanups.push(() => informer.stop());
    informer.start();
    await informer.synced;
    expect(informer.hasSynced()).toBe(true);
    expect(events.about('first')).toEqual(['add first']);
    expect(events.about('second')).toEqual(['add second']);
    // Listed and watched objects have the same shape (type meta included).
    expect(informer.get(ns, n('first'))).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });

    await put('third', { v: '1' });
    await put('third', { v: '2' });
    await put('third', { v: '3' });
    await remove('third');
    await put('first', { v: '2' }, { app: 'web' });
    await waitFor(() => {
      expect(events.about('first')).toEqual(['add first', 'update first']);
    });
    expect(events.about('third')).toEqual(['add third', 'update third', 'update third', 'delete third']);
    expect(events.overlapped()).toBe(false);

    // The cache: current objects, lookups by label and index, our managedFields only.
    expect(informer.get(ns, n('first'))?.data).toEqual({ v: '2' });
    expect(informer.get(ns, n('third'))).toBeUndefined();
    expect(
      informer
        .list({ labelSelector: 'app in (web,db)' })
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual([n('first'), n('second')]);
    expect(informer.byIndex('app', 'db').map((o) => o.metadata.name)).toEqual([n('second')]);
    expect(informer.get(ns, n('first'))?.metadata.managedFields?.map((m) => m.manager)).toEqual([
      'informer-test',
    ]);
    expect(informer.status()).toMatchObject({ synced: true, lists: 1, lastError: undefined });
  });

  it('drops managedFields from cached objects by default', async () => {
    await put('lean', { v: '1' });
    const { informer } = startInformer(admin);
    await informer.synced;
    const cached = informer.get(ns, n('lean'));
    expect(cached?.data).toEqual({ v: '1' });
    expect(cached?.metadata.managedFields).toBeUndefined();
  });

  it('delivers cached objects to handlers registered after sync', async () => {
    await put('late', { v: '1' });
    const { informer } = startInformer(admin);
    await informer.synced;
    const late = eventLog<ConfigMap>({ rename: unprefixed });
    informer.addEventHandler(late.handlers);
    await waitFor(() => {
      expect(late.log).toEqual(['add late']);
    });
  });

  it('moves its resourceVersion forward on bookmarks, without events and without relisting', async () => {
    // The server closes each watch after 3 s and sends a bookmark just before that.
    const { informer, events } = startInformer(admin, { watchTimeoutSeconds: 3 });
    await informer.synced;
    const listed = informer.resourceVersion;
    const before = events.log.length;
    // A write elsewhere advances the cluster's resourceVersion; this namespace sees nothing.
    const elsewhere = await put('elsewhere', { v: '1' }, {}, otherNs);
    await waitFor(() => {
      expect(informer.status().bookmarks).toBeGreaterThan(0);
      expect(informer.resourceVersion).not.toBe(listed);
    });
    expect(BigInt(informer.resourceVersion)).toBeGreaterThanOrEqual(
      BigInt(elsewhere.metadata.resourceVersion ?? 0),
    );
    expect(events.log.length).toBe(before);
    expect(informer.status().lists).toBe(1);
  });

  it('reconnects after the connection is cut and resumes from its resourceVersion (no relist)', async () => {
    const { proxy, client } = await proxied();
    await put('before-cut', { v: '1' });
    const { informer, events } = startInformer(client);
    await informer.synced;
    await waitFor(() => {
      expect(informer.status().watching).toBe(true);
    });
    const rv = informer.resourceVersion;
    proxy.cutConnections();
    await put('after-cut', { v: '1' });
    await waitFor(() => {
      expect(events.about('after-cut')).toEqual(['add after-cut']);
    });
    expect(events.about('before-cut')).toEqual(['add before-cut']); // nothing replayed
    expect(informer.status().lists).toBe(1);
    const watches = proxy.requests().filter((r) => r.watch);
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches[1]?.query.get('resourceVersion')).toBe(rv);
  });

  it('re-watches when the stream goes silent without closing (inactivity timeout)', async () => {
    const { proxy, client } = await proxied();
    const { informer, events } = startInformer(client, {
      inactivityTimeoutMs: 1_000,
      watchTimeoutSeconds: 300,
    });
    await informer.synced;
    await waitFor(() => {
      expect(informer.status().watching).toBe(true);
    });
    proxy.silenceInFlight(); // a half-open connection: no bytes, no close, no error
    await put('during-silence', { v: '1' });
    await waitFor(() => {
      expect(events.about('during-silence')).toEqual(['add during-silence']);
    });
    expect(informer.status().watchRestarts).toBeGreaterThanOrEqual(1);
    expect(informer.status().lastError?.reason).toBe('WatchInactivityError');
    expect(informer.status().lists).toBe(1);
  });

  it('relists on 410 Gone (ERROR event) and emits exactly the difference, deletes included once', async () => {
    const { proxy, client } = await proxied();
    await Promise.all([
      put('keep', { v: '1' }),
      put('change', { v: '1' }),
      put('drop', { v: '1' }),
      put('recreate', { v: '1' }),
    ]);
    const { informer, events } = startInformer(client);
    await informer.synced;
    await waitFor(() => {
      expect(informer.status().watching).toBe(true);
    });

    proxy.setMode('down'); // the informer is cut off and cannot reconnect
    await put('change', { v: '2' });
    await remove('drop');
    await put('new', { v: '1' });
    await remove('recreate');
    await put('recreate', { v: '2' }); // same name, new object (new uid)
    // When it comes back, its resourceVersion has expired.
    proxy.inject({ match: (r) => r.watch, respond: watchGoneEvent() });
    proxy.setMode('pass');

    await waitFor(() => {
      expect(events.about('new')).toEqual(['add new']);
      expect(events.about('drop')).toEqual(['add drop', 'delete drop (inferred)']);
      expect(events.about('change')).toEqual(['add change', 'update change']);
      expect(events.about('recreate')).toEqual([
        'add recreate',
        'delete recreate (inferred)',
        'add recreate',
      ]);
    });
    expect(events.about('keep')).toEqual(['add keep']);
    expect(informer.status().lists).toBe(2);
    expect(informer.keys().sort()).toEqual(
      ['change', 'keep', 'new', 'recreate'].map((name) => `${ns}/${n(name)}`),
    );
    expect(informer.get(ns, n('change'))?.data).toEqual({ v: '2' });

    // Later deletes arrive once, normally.
    await remove('new');
    await waitFor(() => {
      expect(events.about('new')).toEqual(['add new', 'delete new']);
    });
  });

  it('relists on an HTTP 410 answer to the watch request as well', async () => {
    const { proxy, client } = await proxied();
    const { informer, events } = startInformer(client);
    await informer.synced;
    proxy.inject({ match: (r) => r.watch, respond: httpGone(), times: 1 });
    proxy.cutConnections();
    await put('after-gone', { v: '1' });
    await waitFor(() => {
      expect(informer.status().lists).toBe(2);
      expect(events.about('after-gone')).toEqual(['add after-gone']);
    });
    expect(informer.status().lastError?.reason).toBe('Expired');
  });

  it('never stops: keeps retrying while the apiserver is unreachable, then catches up', async () => {
    const { proxy, client } = await proxied();
    const { informer, events } = startInformer(client);
    await informer.synced;
    proxy.setMode('down');
    const attempts = proxy.count((r) => r.watch);
    await waitFor(() => {
      expect(proxy.count((r) => r.watch)).toBeGreaterThanOrEqual(attempts + 3);
    });
    expect(informer.status().lastError?.reason).toBe('KubeConnectionError');
    await put('after-outage', { v: '1' });
    proxy.setMode('pass');
    await waitFor(() => {
      expect(events.about('after-outage')).toEqual(['add after-outage']);
    });
    expect(informer.status().stopped).toBe(false);
  });

  it('retries the initial list until it succeeds (synced waits for it)', async () => {
    const { proxy, client } = await proxied();
    proxy.setMode('down');
    const { informer } = startInformer(client);
    await waitFor(() => {
      expect(proxy.count(() => true)).toBeGreaterThanOrEqual(2);
    });
    expect(informer.hasSynced()).toBe(false);
    proxy.setMode('pass');
    await informer.synced;
    expect(informer.status().lists).toBe(1);
  });

  it('shares one informer per resource and scope through the factory', async () => {
    const factory = new InformerFactory(admin, { backoff: fastBackoff });
    cleanups.push(() => factory.stop());
    const a = factory.informerFor<ConfigMap>(Resources.ConfigMap, {
      namespace: ns,
      labelSelector: `case=${testCase}`,
    });
    const b = factory.informerFor<ConfigMap>(Resources.ConfigMap, {
      namespace: ns,
      labelSelector: `case=${testCase}`,
    });
    const other = factory.informerFor(Resources.ConfigMap, { namespace: otherNs });
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    await put('shared', { v: '1' });
    factory.start();
    await factory.waitForSync();
    expect(a.get(ns, n('shared'))?.data).toEqual({ v: '1' });
    const late = factory.informerFor(Resources.Pod, { namespace: ns }); // created after start: starts at once
    await late.synced;
    expect(factory.all()).toHaveLength(3);
  });

  it('stop() ends watching and delivers nothing more', async () => {
    const { informer, events } = startInformer(admin);
    await informer.synced;
    await informer.stop();
    expect(informer.status()).toMatchObject({ stopped: true, watching: false });
    const before = events.log.length;
    await put('after-stop', { v: '1' });
    // A second informer sees the write, so it has been delivered wherever it would be.
    const { informer: witness, events: seen } = startInformer(admin);
    await witness.synced;
    expect(seen.about('after-stop')).toEqual(['add after-stop']);
    expect(events.log.length).toBe(before);
  });
});
