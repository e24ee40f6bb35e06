// Server-side apply helpers on the real apiserver: owned children (garbage-collected with
// their owner), status applies, and zero writes when nothing changed — decided from the
// informer's cached object, including drift and normalised values.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import {
  DESIRED_HASH_ANNOTATION,
  applyIfChanged,
  applyOwned,
  applyStatus,
  needsApply,
  withDesiredHash,
} from './apply.js';
import type { KubeClient, RequestInfo } from './client.js';
import { isConflict } from './errors.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from './finalizers.js';
import { Informer } from './informer.js';
import type { KubeObject } from './objects.js';
import { Resources, type ResourceDescriptor } from './resources.js';
import { adminClient, cluster, installCrd, type Widget } from './test-helpers.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const ns = uniqueNamespace('kube-apply');
const group = 'apply.kube-test.airunway.ai';
const Widgets: ResourceDescriptor = {
  group,
  version: 'v1',
  resource: 'widgets',
  namespaced: true,
  kind: 'Widget',
};
const FM = 'airunway-test-operator';
const writes: RequestInfo[] = [];
let client: KubeClient;
let configMaps: Informer<ConfigMap>;

beforeAll(async () => {
  client = adminClient({ observer: (i) => i.method !== 'GET' && writes.push(i) });
  await Promise.all([cluster.createNamespace(ns), installCrd(group, 'Widget', 'widgets')]);
  // The cache keeps our own managedFields entries: compare-before-write needs them.
  configMaps = new Informer<ConfigMap>({
    client,
    resource: Resources.ConfigMap,
    namespace: ns,
    keepManagedFieldsOf: [FM],
  }).start();
  await configMaps.synced;
});

afterAll(async () => {
  await configMaps.stop();
  await client.close();
});

const waitFor = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 15_000, interval: 20 });

/** Waits until the cache holds at least the given resourceVersion of an object. */
async function cached(name: string, after?: KubeObject): Promise<ConfigMap> {
  return waitFor(() => {
    const obj = configMaps.get(ns, name);
    expect(obj).toBeDefined();
    if (after)
      expect(BigInt(obj?.metadata.resourceVersion ?? 0)).toBeGreaterThanOrEqual(
        BigInt(after.metadata.resourceVersion ?? 0),
      );
    return obj as ConfigMap;
  });
}

const child = (name: string, data: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'airunway' } },
  data,
});

describe('applyOwned / applyIfChanged', () => {
  it('owns children, makes zero writes when nothing changed, and writes exactly when something did', async () => {
    const parent = await client.create<ConfigMap>(Resources.ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'parent', namespace: ns },
    });

    const first = await applyOwned(client, child('child', { model: 'qwen', replicas: '1' }), parent, {
      fieldManager: FM,
      live: null,
    });
    expect(first.applied).toBe(true);
    expect(first.object.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'parent',
        uid: parent.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(first.object.metadata.annotations?.[DESIRED_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{32}$/);

    // Steady state: 20 reconciles against the cache, no request at all.
    let live = await cached('child', first.object);
    const before = writes.length;
    for (let i = 0; i < 20; i++) {
      const again = await applyOwned(client, child('child', { model: 'qwen', replicas: '1' }), parent, {
        fieldManager: FM,
        live: configMaps.get(ns, 'child') ?? null,
      });
      expect(again).toMatchObject({ applied: false });
    }
    expect(writes.length).toBe(before);

    // A changed value is written.
    const changed = await applyOwned(client, child('child', { model: 'qwen', replicas: '2' }), parent, {
      fieldManager: FM,
      live,
    });
    expect(changed.applied).toBe(true);
    // The reason names the field that changed, not the desired-state hash that changed with it.
    expect(changed.reason).toBe('value differs at .data.replicas: "2" desired, live "1"');
    expect(changed.object.data).toEqual({ model: 'qwen', replicas: '2' });
    live = await cached('child', changed.object);

    // A field we stop sending is a change too: server-side apply removes it.
    const dropped = await applyOwned(client, child('child', { model: 'qwen' }), parent, {
      fieldManager: FM,
      live,
    });
    expect(dropped.applied).toBe(true);
    expect(dropped.reason).toMatch(/\.data\.replicas: owned but no longer desired/);
    expect(dropped.object.data).toEqual({ model: 'qwen' });
  });

  it('corrects drift: a field another writer took from us is applied again', async () => {
    const desired = child('drift', { image: 'vllm:0.10', model: 'qwen' });
    const applied = await applyIfChanged(client, desired, { fieldManager: FM, live: null });
    await cached('drift', applied.object);
    // Someone edits our field (like kubectl edit: an Update by another manager).
    const edited = await client.patch<ConfigMap>(
      Resources.ConfigMap,
      'drift',
      { data: { image: 'vllm:latest' } },
      {
        namespace: ns,
        type: 'merge',
        fieldManager: 'kubectl-edit',
      },
    );
    const live = await cached('drift', edited);
    const decision = needsApply(live, withDesiredHash(desired), { fieldManager: FM });
    expect(decision).toMatchObject({ needed: true });
    expect(decision.reason).toMatch(/\.data\.image: not owned by the field manager/);
    const restored = await applyIfChanged(client, desired, { fieldManager: FM, live });
    expect(restored.applied).toBe(true);
    expect(restored.object.data).toEqual({ image: 'vllm:0.10', model: 'qwen' });
    // An edit of a field we do not own is not drift.
    const foreign = await client.patch<ConfigMap>(
      Resources.ConfigMap,
      'drift',
      { data: { note: 'hi' } },
      {
        namespace: ns,
        type: 'merge',
        fieldManager: 'someone-else',
      },
    );
    const withForeign = await cached('drift', foreign);
    expect((await applyIfChanged(client, desired, { fieldManager: FM, live: withForeign })).applied).toBe(
      false,
    );
  });

  it('needs no write for values the server normalised (the desired-state hash decides)', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'normalised', namespace: ns },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'normalised' } },
        template: {
          metadata: { labels: { app: 'normalised' } },
          spec: {
            containers: [
              {
                name: 'server',
                image: 'vllm/vllm-openai:v0.10.0',
                ports: [{ containerPort: 8000 }],
                resources: { requests: { cpu: '1000m', memory: '1024Mi' } },
              },
            ],
          },
        },
      },
    };
    const first = await applyIfChanged(client, deployment, { fieldManager: FM, live: null });
    type Live = typeof deployment & {
      spec: { template: { spec: { containers: { resources: { requests: Record<string, string> } }[] } } };
    };
    const live = await client.get<Live>(Resources.Deployment, 'normalised', { namespace: ns });
    // The server stored "1" and "1Gi": a value-by-value comparison would write forever.
    expect(live.spec.template.spec.containers[0]?.resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
    const again = await applyIfChanged(client, deployment, { fieldManager: FM, live });
    expect(again).toMatchObject({
      applied: false,
      reason: 'all fields still owned and the desired-state hash is unchanged',
    });
    // Without the hash, the normalised value is (correctly, if wastefully) a difference.
    expect(needsApply(live, deployment, { fieldManager: FM, hashAnnotation: false }).needed).toBe(true);
    expect(first.applied).toBe(true);
  });

  it('children are garbage-collected with their owner', async () => {
    const owner = await client.create<ConfigMap>(Resources.ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gc-owner', namespace: ns },
    });
    await applyOwned(client, child('gc-child', { a: '1' }), owner, { fieldManager: FM });
    await client.delete(Resources.ConfigMap, 'gc-owner', { namespace: ns, propagationPolicy: 'Foreground' });
    await waitFor(async () => {
      expect(await client.tryGet(Resources.ConfigMap, 'gc-child', { namespace: ns })).toBeUndefined();
    });
  });

  it('refuses a second controller and cross-namespace owners', async () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: ns, uid: 'uid-a' } };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: ns, uid: 'uid-b' } };
    const owned = {
      ...child('x', {}),
      metadata: {
        ...child('x', {}).metadata,
        ownerReferences: [
          { ...a.metadata, apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'uid-a', controller: true },
        ],
      },
    };
    await expect(applyOwned(client, owned, b, { fieldManager: FM })).rejects.toThrow(
      /already controlled by ConfigMap a/,
    );
    const elsewhere = { ...b, metadata: { ...b.metadata, namespace: 'other' } };
    await expect(applyOwned(client, child('y', {}), elsewhere, { fieldManager: FM })).rejects.toThrow(
      /cross-namespace owner/,
    );
  });
});

describe('applyStatus', () => {
  it('applies status to the subresource and skips unchanged status', async () => {
    const widget = await client.apply<Widget>(
      {
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'w', namespace: ns },
        spec: { size: 1 },
      },
      { fieldManager: 'user' },
    );
    const status = {
      phase: 'Ready',
      observedGeneration: 1,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Deployed', message: 'all replicas ready' }],
    };
    const first = await applyStatus<Widget>(client, widget, status, {
      fieldManager: FM,
      live: widget,
      resource: Widgets,
    });
    expect(first.applied).toBe(true);
    expect(first.reason).toMatch(/has applied no fields of status yet/);
    expect(first.object.status).toEqual(status);

    const same = await applyStatus<Widget>(client, widget, structuredClone(status), {
      fieldManager: FM,
      live: first.object,
    });
    expect(same).toMatchObject({ applied: false, reason: 'all fields owned and equal' });

    const progressed = { ...status, conditions: [{ ...status.conditions[0], message: 'still ready' }] };
    const second = await applyStatus<Widget>(client, widget, progressed, {
      fieldManager: FM,
      live: first.object,
    });
    expect(second.applied).toBe(true);
    expect(second.reason).toMatch(/value differs at \.status\.conditions\[0\]\.message/);

    // A condition we no longer report is removed by the apply (it was ours).
    const fewer = { phase: 'Ready', observedGeneration: 1 };
    const third = await applyStatus<Widget>(client, widget, fewer, { fieldManager: FM, live: second.object });
    expect(third.applied).toBe(true);
    expect(third.object.status).toEqual(fewer);
  });
});

describe('finalizers', () => {
  it('adds and removes a finalizer once, without clobbering a concurrent change', async () => {
    const created = await client.create<ConfigMap>(Resources.ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'finalized', namespace: ns, finalizers: ['other.example.com/keep'] },
    });
    const added = await addFinalizer(client, created, 'airunway.ai/cleanup');
    expect(added.changed).toBe(true);
    expect(added.object.metadata.finalizers).toEqual(['other.example.com/keep', 'airunway.ai/cleanup']);
    const before = writes.length;
    expect((await addFinalizer(client, added.object, 'airunway.ai/cleanup')).changed).toBe(false);
    expect(writes.length).toBe(before);

    // Someone else changes the list meanwhile: our stale copy must not overwrite it.
    const theirs = await client.patch<ConfigMap>(
      Resources.ConfigMap,
      'finalized',
      { metadata: { finalizers: ['other.example.com/keep', 'airunway.ai/cleanup', 'third.example.com/x'] } },
      { namespace: ns, type: 'merge' },
    );
    const stale = await removeFinalizer(client, added.object, 'airunway.ai/cleanup').catch((e: unknown) => e);
    expect(isConflict(stale)).toBe(true);
    const removed = await removeFinalizer(client, theirs, 'airunway.ai/cleanup');
    expect(removed.object.metadata.finalizers).toEqual(['other.example.com/keep', 'third.example.com/x']);
    expect(hasFinalizer(removed.object, 'airunway.ai/cleanup')).toBe(false);
    await client.patch(
      Resources.ConfigMap,
      'finalized',
      { metadata: { finalizers: null } },
      { namespace: ns, type: 'merge' },
    );
  });
});
