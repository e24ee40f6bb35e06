// The REST client against the real apiserver: CRUD, pagination, server-side apply with
// field managers, the status subresource, typed errors (with the limited users' tokens),
// discovery, and Retry-After / timeouts through the fault proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import type { KubeClient, RequestInfo } from './client.js';
import { KubeApiError, KubeConnectionError, UnknownKindError, isTransient } from './errors.js';
import type { KubeObject } from './objects.js';
import { Resources, type ResourceDescriptor } from './resources.js';
import { adminClient, cluster, installCrd, proxiedAdmin, type Widget } from './test-helpers.js';
import { tooManyRequests } from './testing/fault-proxy.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const ns = uniqueNamespace('kube-client');
const group = 'client.kube-test.airunway.ai';
const Widgets: ResourceDescriptor = {
  group,
  version: 'v1',
  resource: 'widgets',
  namespaced: true,
  kind: 'Widget',
};
const requests: RequestInfo[] = [];
let client: KubeClient;

beforeAll(async () => {
  client = adminClient({ observer: (info) => requests.push(info) });
  await Promise.all([cluster.createNamespace(ns), installCrd(group, 'Widget', 'widgets')]);
});

afterAll(async () => {
  await client.close();
});

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
  data,
});

async function expectApiError(promise: Promise<unknown>): Promise<KubeApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(KubeApiError);
    return err as KubeApiError;
  }
  throw new Error('expected a KubeApiError');
}

describe('CRUD', () => {
  it('creates, gets, lists by label, replaces, patches and deletes', async () => {
    const created = await client.create(Resources.ConfigMap, cm('crud', { a: '1' }, { suite: 'crud' }));
    expect(created.metadata.uid).toBeTruthy();
    const got = await client.get<ConfigMap>(Resources.ConfigMap, 'crud', { namespace: ns });
    expect(got.data).toEqual({ a: '1' });

    const listed = await client.list<ConfigMap>(Resources.ConfigMap, {
      namespace: ns,
      labelSelector: 'suite=crud',
    });
    expect(listed.items.map((i) => i.metadata.name)).toEqual(['crud']);
    // The apiserver omits these on list items; the client fills them in.
    expect(listed.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(listed.metadata.resourceVersion).toBeTruthy();

    const replaced = await client.replace<ConfigMap>(Resources.ConfigMap, { ...got, data: { a: '2' } });
    expect(replaced.data).toEqual({ a: '2' });

    const merged = await client.patch<ConfigMap>(
      Resources.ConfigMap,
      'crud',
      { data: { b: '3' } },
      {
        namespace: ns,
        type: 'merge',
      },
    );
    expect(merged.data).toEqual({ a: '2', b: '3' });
    const jsonPatched = await client.patch<ConfigMap>(
      Resources.ConfigMap,
      'crud',
      [
        { op: 'test', path: '/metadata/resourceVersion', value: merged.metadata.resourceVersion },
        { op: 'remove', path: '/data/a' },
      ],
      { namespace: ns, type: 'json' },
    );
    expect(jsonPatched.data).toEqual({ b: '3' });

    // A precondition on the uid protects against deleting a re-created namesake.
    const wrongUid = await expectApiError(
      client.delete(Resources.ConfigMap, 'crud', { namespace: ns, preconditions: { uid: 'not-the-uid' } }),
    );
    expect(wrongUid.reason).toBe('Conflict');
    await client.delete(Resources.ConfigMap, 'crud', {
      namespace: ns,
      propagationPolicy: 'Background',
      preconditions: {
        uid: created.metadata.uid ?? '',
        resourceVersion: jsonPatched.metadata.resourceVersion ?? '',
      },
    });
    expect(await client.tryGet(Resources.ConfigMap, 'crud', { namespace: ns })).toBeUndefined();
  });

  it('pages through lists with limit/continue, and listAll returns every item of one snapshot', async () => {
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.create(Resources.ConfigMap, cm(`page-${i}`, {}, { suite: 'page' })),
      ),
    );
    const first = await client.list(Resources.ConfigMap, {
      namespace: ns,
      labelSelector: 'suite=page',
      limit: 2,
    });
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toBeTruthy();
    const second = await client.list(Resources.ConfigMap, {
      namespace: ns,
      labelSelector: 'suite=page',
      limit: 2,
      continue: first.metadata.continue,
    });
    expect(second.items).toHaveLength(2);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);

    const before = requests.length;
    const all = await client.listAll(Resources.ConfigMap, {
      namespace: ns,
      labelSelector: 'suite=page',
      pageSize: 2,
    });
    expect(all.items.map((i) => i.metadata.name).sort()).toEqual([
      'page-0',
      'page-1',
      'page-2',
      'page-3',
      'page-4',
    ]);
    expect(all.resourceVersion).toBeTruthy();
    expect(requests.slice(before).filter((r) => r.verb === 'list')).toHaveLength(3);
  });
});

describe('server-side apply', () => {
  it('applies with a field manager, reports conflicts between managers, and force takes over', async () => {
    const applied = await client.apply(cm('ssa', { owner: 'a', shared: 'x' }), { fieldManager: 'manager-a' });
    const entry = applied.metadata.managedFields?.find((m) => m.manager === 'manager-a');
    expect(entry).toMatchObject({
      operation: 'Apply',
      fieldsV1: { 'f:data': { 'f:owner': {}, 'f:shared': {} } },
    });

    const conflict = await expectApiError(
      client.apply(cm('ssa', { shared: 'y' }), { fieldManager: 'manager-b' }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.reason).toBe('Conflict');
    expect(conflict.causes).toContainEqual(
      expect.objectContaining({ reason: 'FieldManagerConflict', field: '.data.shared' }),
    );

    const forced = await client.apply<ConfigMap>(cm('ssa', { shared: 'y' }), {
      fieldManager: 'manager-b',
      force: true,
    });
    expect(forced.data).toEqual({ owner: 'a', shared: 'y' });
    const a = forced.metadata.managedFields?.find((m) => m.manager === 'manager-a');
    expect(a?.fieldsV1).toEqual({ 'f:data': { 'f:owner': {} } });

    // Applying without a field it owned removes it: the defining property of SSA.
    const pruned = await client.apply<ConfigMap>(cm('ssa', {}), { fieldManager: 'manager-a' });
    expect(pruned.data).toEqual({ shared: 'y' });
  });

  it('rejects unknown fields with the field named, as a non-transient Invalid error', async () => {
    const err = await expectApiError(
      client.apply<Widget>(
        {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'strict', namespace: ns },
          spec: { nope: 1 } as never,
        },
        { fieldManager: 'manager-a' },
      ),
    );
    // The apiserver answers a reason-less 500 here; the client names it for what it is.
    expect(err).toMatchObject({ status: 500, reason: 'Invalid' });
    expect(err.message).toMatch(/\.spec\.nope: field not declared in schema/);
    expect(isTransient(err)).toBe(false);
  });

  it('applies status through the status subresource only', async () => {
    const widget: Widget = {
      apiVersion: `${group}/v1`,
      kind: 'Widget',
      metadata: { name: 'w1', namespace: ns },
      spec: { size: 1 },
    };
    const created = await client.apply<Widget>(
      { ...widget, status: { phase: 'Ignored' } },
      { fieldManager: 'ctl' },
    );
    expect(created.status).toBeUndefined(); // status in a main-resource apply is dropped
    const withStatus = await client.applyStatus<Widget>(
      { ...widget, spec: { size: 99 }, status: { phase: 'Ready', observedGeneration: 1 } },
      { fieldManager: 'ctl', resource: Widgets },
    );
    expect(withStatus.status).toEqual({ phase: 'Ready', observedGeneration: 1 });
    expect(withStatus.spec).toEqual({ size: 1 }); // spec in a status apply is ignored
    expect(withStatus.metadata.managedFields?.find((m) => m.subresource === 'status')).toMatchObject({
      manager: 'ctl',
      operation: 'Apply',
    });
  });
});

describe('typed errors', () => {
  it('NotFound, AlreadyExists, Conflict and Invalid carry reason, message and causes', async () => {
    const notFound = await expectApiError(client.get(Resources.ConfigMap, 'missing', { namespace: ns }));
    expect(notFound).toMatchObject({
      status: 404,
      reason: 'NotFound',
      message: 'configmaps "missing" not found',
    });
    expect(notFound.details).toMatchObject({ name: 'missing', kind: 'configmaps' });

    await client.create(Resources.ConfigMap, cm('exists'));
    const exists = await expectApiError(client.create(Resources.ConfigMap, cm('exists')));
    expect(exists).toMatchObject({ status: 409, reason: 'AlreadyExists' });

    const current = await client.get<ConfigMap>(Resources.ConfigMap, 'exists', { namespace: ns });
    await client.replace(Resources.ConfigMap, { ...current, data: { v: '1' } });
    const stale = await expectApiError(client.replace(Resources.ConfigMap, { ...current, data: { v: '2' } }));
    expect(stale).toMatchObject({ status: 409, reason: 'Conflict' });
    expect(stale.message).toMatch(/the object has been modified/);

    const invalid = await expectApiError(client.create(Resources.ConfigMap, cm('Not_A_Valid_Name')));
    expect(invalid).toMatchObject({ status: 422, reason: 'Invalid' });
    expect(invalid.causes).toContainEqual(
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'metadata.name' }),
    );
  });

  it('Forbidden for the read-only viewer, Unauthorized for a bad token', async () => {
    const viewer = client.withToken(cluster.users.viewer.token);
    const list = await viewer.list(Resources.ConfigMap, { namespace: ns });
    expect(list.items.length).toBeGreaterThan(0);
    const forbidden = await expectApiError(viewer.create(Resources.ConfigMap, cm('by-viewer')));
    expect(forbidden).toMatchObject({ status: 403, reason: 'Forbidden' });
    expect(forbidden.message).toContain(
      `User "${cluster.users.viewer.name}" cannot create resource "configmaps"`,
    );

    const editor = client.withToken(cluster.users.editor.token);
    await editor.create(Resources.ConfigMap, {
      ...cm('by-editor'),
      metadata: { name: 'by-editor', namespace: cluster.editorNamespace },
    });
    await expect(editor.create(Resources.ConfigMap, cm('by-editor'))).rejects.toMatchObject({
      reason: 'Forbidden',
    });

    const nobody = client.withToken('not-a-token');
    await expect(nobody.get(Resources.Namespace, ns)).rejects.toMatchObject({
      status: 401,
      reason: 'Unauthorized',
    });
  });

  it('an unreachable apiserver is a KubeConnectionError, not an API error', async () => {
    const { proxy, client: proxied } = await proxiedAdmin({ requestTimeoutMs: 300 });
    try {
      proxy.setMode('blackhole');
      const timedOut = await proxied.get(Resources.Namespace, ns).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(KubeConnectionError);
      expect((timedOut as KubeConnectionError).timedOut).toBe(true);
      proxy.setMode('down');
      const refused = await proxied.get(Resources.Namespace, ns).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(KubeConnectionError);
      expect((refused as KubeConnectionError).timedOut).toBe(false);
    } finally {
      await proxy.close();
      await proxied.close();
    }
  });
});

describe('overload and identity', () => {
  it('honours Retry-After on 429 for reads, and surfaces it for writes', async () => {
    const { proxy, client: proxied } = await proxiedAdmin();
    try {
      proxy.inject({
        match: (r) => r.method === 'GET' && r.path.endsWith(`/namespaces/${ns}`),
        respond: tooManyRequests(1),
      });
      const got = await proxied.get(Resources.Namespace, ns);
      expect(got.metadata.name).toBe(ns);
      const attempts = proxy.requests().filter((r) => r.path.endsWith(`/namespaces/${ns}`));
      expect(attempts).toHaveLength(2);
      // The retry came after the second the server asked for (a lower bound; cannot flake).
      expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);

      proxy.inject({ match: (r) => r.method === 'POST', respond: tooManyRequests(3) });
      const err = await expectApiError(proxied.create(Resources.ConfigMap, cm('throttled')));
      expect(err).toMatchObject({ status: 429, reason: 'TooManyRequests', retryAfterSeconds: 3 });
      expect(proxy.count((r) => r.method === 'POST')).toBe(1);
    } finally {
      await proxy.close();
      await proxied.close();
    }
  });

  it('sends the caller’s user agent', async () => {
    const { proxy, client: proxied } = await proxiedAdmin();
    try {
      await proxied.withUserAgent('airunway-operator/0.1.0').get(Resources.Namespace, ns);
      await proxied
        .withToken(cluster.users.viewer.token)
        .withUserAgent('airunway-api/0.1.0')
        .get(Resources.Namespace, ns);
      expect(proxy.requests().map((r) => r.userAgent)).toEqual([
        'airunway-operator/0.1.0',
        'airunway-api/0.1.0',
      ]);
    } finally {
      await proxy.close();
      await proxied.close();
    }
  });
});

describe('discovery', () => {
  it('maps apiVersion+kind to a resource, built-in and CRD, and names missing kinds', async () => {
    await expect(client.resourceFor({ apiVersion: 'apps/v1', kind: 'Deployment' })).resolves.toEqual(
      Resources.Deployment,
    );
    await expect(client.resourceFor({ apiVersion: 'v1', kind: 'Pod' })).resolves.toEqual(Resources.Pod);
    await expect(client.resourceFor({ apiVersion: `${group}/v1`, kind: 'Widget' })).resolves.toEqual(Widgets);
    await expect(client.resourceFor({ apiVersion: `${group}/v1`, kind: 'Nope' })).rejects.toBeInstanceOf(
      UnknownKindError,
    );
    await expect(client.resourceFor({ apiVersion: 'nothing.example.com/v1', kind: 'X' })).rejects.toThrow(
      /no API resource serves kind X in nothing.example.com\/v1/,
    );
  });

  it('applies an arbitrary object by discovering its resource', async () => {
    const applied = await client.apply<Widget>(
      {
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'discovered', namespace: ns },
        spec: { color: 'red' },
      },
      { fieldManager: 'ctl' },
    );
    expect(applied.spec).toEqual({ color: 'red' });
  });
});
