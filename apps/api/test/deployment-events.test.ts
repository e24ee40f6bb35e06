// A deployment's Kubernetes events against the real control plane (no operator here: the events
// are written as the operator and the kubelet would, through core/v1 and events.k8s.io/v1), read
// back from the watch cache over REST and tRPC, followed live through the tRPC subscription; a
// refused user and an unknown deployment.
import { DeploymentEventsResponseSchema, type DeploymentEventsResponse } from '@airunway/schema';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateModelDeploymentRoles, eventually, getJson, startTestApi, type TestApi } from './helpers.js';
import { SseReader } from './sse.js';

const cluster = testCluster();
const { editor: alice, viewer: bob } = cluster.users;
const ns = uniqueNamespace('events');
let api: TestApi;
let authApi: TestApi;
let mdUid: string;
let revokeRoles: () => Promise<void>;

const md = (name: string) => ({
  apiVersion: 'airunway.ai/v1alpha1',
  kind: 'ModelDeployment',
  metadata: { name, namespace: ns },
  spec: { model: { id: 'Qwen/Qwen3-0.6B' }, provider: { name: 'vllm' }, resources: { gpu: { count: 1 } } },
});

const mdRefOf = (name: string) => ({ apiVersion: 'airunway.ai/v1alpha1', kind: 'ModelDeployment', name });

const coreEvent = (name: string, involvedObject: object, fields: object) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: ns },
  involvedObject: { namespace: ns, ...involvedObject },
  source: { component: 'airunway-operator' },
  ...fields,
});

beforeAll(async () => {
  revokeRoles = await aggregateModelDeploymentRoles(cluster);
  await cluster.createNamespace(ns);
  await cluster.apply([md('watched'), md('other')]);
  mdUid = (await getJson(cluster, ['get', 'modeldeployment', 'watched', '-n', ns])).metadata.uid;
  await cluster.apply([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'watched-0', namespace: ns, labels: { 'airunway.ai/model-deployment': 'watched' } },
      // Bound to a node that does not exist: it stays pending and unfinished.
      spec: { nodeName: 'nowhere', containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] },
    },
    // alice may read ModelDeployments here, but not events.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'md-reader', namespace: ns },
      rules: [
        { apiGroups: ['airunway.ai'], resources: ['modeldeployments'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'md-reader', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'md-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: alice.name }],
    },
  ]);
  const mdRef = { apiVersion: 'airunway.ai/v1alpha1', kind: 'ModelDeployment' };
  await cluster.apply([
    coreEvent(
      'watched.selected',
      { ...mdRef, name: 'watched', uid: mdUid },
      {
        type: 'Normal',
        reason: 'ProviderSelected',
        message: 'Selected provider vllm',
        count: 1,
        firstTimestamp: '2026-01-01T00:00:00Z',
        lastTimestamp: '2026-01-01T00:00:00Z',
      },
    ),
    coreEvent(
      'watched.failed',
      { ...mdRef, name: 'watched', uid: mdUid },
      {
        type: 'Warning',
        reason: 'ReconcileFailed',
        message: 'Could not render the vllm resources',
        count: 3,
        firstTimestamp: '2026-01-01T00:01:00Z',
        lastTimestamp: '2026-01-01T00:10:00Z',
      },
    ),
    // Of an earlier ModelDeployment of the same name: left out.
    coreEvent(
      'watched.old',
      { ...mdRef, name: 'watched', uid: '00000000-0000-0000-0000-000000000000' },
      {
        type: 'Normal',
        reason: 'Stale',
        message: 'An earlier deployment',
        count: 1,
        lastTimestamp: '2026-01-01T00:20:00Z',
      },
    ),
    // Of another deployment: left out.
    coreEvent(
      'other.selected',
      { ...mdRef, name: 'other' },
      {
        type: 'Normal',
        reason: 'ProviderSelected',
        message: 'Not this one',
        count: 1,
        lastTimestamp: '2026-01-01T00:30:00Z',
      },
    ),
    // A Normal event of the pod: only Warnings of pods count.
    coreEvent(
      'watched-0.pulled',
      { apiVersion: 'v1', kind: 'Pod', name: 'watched-0' },
      {
        type: 'Normal',
        reason: 'Pulled',
        message: 'Pulled the image',
        count: 1,
        lastTimestamp: '2026-01-01T00:40:00Z',
      },
    ),
    // As the kubelet writes it: events.k8s.io/v1, repeats counted in series.
    {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'watched-0.backoff', namespace: ns },
      regarding: { apiVersion: 'v1', kind: 'Pod', name: 'watched-0', namespace: ns },
      type: 'Warning',
      reason: 'BackOff',
      note: 'Back-off restarting failed container vllm',
      action: 'Restarting',
      eventTime: '2026-01-01T00:02:00.000000Z',
      reportingController: 'kubelet',
      reportingInstance: 'nowhere',
      series: { count: 5, lastObservedTime: '2026-01-01T00:15:00.000000Z' },
    },
  ]);
  [api, authApi] = await Promise.all([
    startTestApi(cluster, { defaultNamespace: ns }),
    startTestApi(cluster, { authEnabled: true, defaultNamespace: ns }),
  ]);
});

afterAll(async () => {
  await Promise.all([api.stop(), authApi.stop()]);
  // alice's read access here ends now, not whenever the namespace finishes terminating: later
  // test files check that she sees her own namespace only.
  await cluster.kubectlOk(['delete', 'rolebinding', 'md-reader', '-n', ns, '--wait=true']);
  await cluster.kubectl(['delete', 'namespace', ns, '--wait=false']);
  await revokeRoles();
});

const expected = [
  {
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container vllm',
    count: 5,
    lastSeen: expect.stringMatching(/^2026-01-01T00:15:00(\.0+)?Z$/),
    object: { kind: 'Pod', name: 'watched-0' },
  },
  {
    type: 'Warning',
    reason: 'ReconcileFailed',
    message: 'Could not render the vllm resources',
    count: 3,
    lastSeen: '2026-01-01T00:10:00Z',
    object: { kind: 'ModelDeployment', name: 'watched' },
  },
  {
    type: 'Normal',
    reason: 'ProviderSelected',
    message: 'Selected provider vllm',
    count: 1,
    lastSeen: '2026-01-01T00:00:00Z',
    object: { kind: 'ModelDeployment', name: 'watched' },
  },
];

describe('events', () => {
  it('events of the ModelDeployment and Warning events of its pods, newest first', async () => {
    await eventually(async () => {
      const { status, body } = await api.request('/api/deployments/watched/events');
      expect(status).toBe(200);
      expect(DeploymentEventsResponseSchema.parse(body).events).toEqual(expected);
    }, 10_000);
  });

  it('the same through tRPC', async () => {
    const res = await api.runtime.app.request(
      `/trpc/deployments.events?input=${encodeURIComponent(JSON.stringify({ name: 'watched', namespace: ns }))}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: DeploymentEventsResponse } };
    expect(body.result.data.events).toEqual(expected);
  });

  it('none yet: an empty list', async () => {
    await cluster.apply([md('quiet')]);
    await eventually(async () => {
      const { status, body } = await api.request(`/api/deployments/quiet/events?namespace=${ns}`);
      expect(status).toBe(200);
      expect(body).toEqual({ events: [] });
    }, 10_000);
  });

  it('an unknown deployment: 404', async () => {
    const { status, body } = await api.request(`/api/deployments/missing/events?namespace=${ns}`);
    expect(status).toBe(404);
    expect(body.code).toBe('NOT_FOUND');
  });

  it('with auth: bob (view) reads them, alice without list events is refused', async () => {
    const read = await authApi.request(`/api/deployments/watched/events?namespace=${ns}`, { token: bob });
    expect(read.status).toBe(200);
    expect(read.body.events).toEqual(expected);
    const refused = await authApi.request(`/api/deployments/watched/events?namespace=${ns}`, {
      token: alice,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const trpc = await authApi.runtime.app.request(
      `/trpc/deployments.events?input=${encodeURIComponent(JSON.stringify({ name: 'watched', namespace: ns }))}`,
      { headers: { Authorization: `Bearer ${alice.token}` } },
    );
    expect(trpc.status).toBe(403);
    const refusedBody = (await trpc.json()) as { error: { data: { apiError: { code: string } } } };
    expect(refusedBody.error.data.apiError.code).toBe('FORBIDDEN');
  });
});

describe('followed live (tRPC subscription deployments.eventChanges)', () => {
  const subscribe = (name: string, token?: { token: string }) =>
    authApi.runtime.app.request(
      `/trpc/deployments.eventChanges?input=${encodeURIComponent(JSON.stringify({ name, namespace: ns }))}`,
      token ? { headers: { Authorization: `Bearer ${token.token}` } } : {},
    );
  const lists = (stream: SseReader) =>
    stream.events.filter((e) => Array.isArray(e.data?.events)).map((e) => e.data.events as unknown[]);

  it('the list now, the list again when an event about it or its pods arrives, the end when it is deleted', async () => {
    await cluster.apply([md('followed')]);
    const { admin } = cluster.users;
    const res = await subscribe('followed', admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const stream = new SseReader(res);
    await stream.next((e) => Array.isArray(e.data?.events));
    expect(lists(stream)[0]).toEqual([]);

    const uid = (await getJson(cluster, ['get', 'modeldeployment', 'followed', '-n', ns])).metadata.uid;
    await cluster.apply([
      // About another deployment: nothing is sent for it.
      coreEvent('other.later', mdRefOf('other'), {
        type: 'Normal',
        reason: 'Elsewhere',
        message: 'x',
        count: 1,
        lastTimestamp: '2026-01-02T00:00:00Z',
      }),
      coreEvent(
        'followed.running',
        { ...mdRefOf('followed'), uid },
        {
          type: 'Normal',
          reason: 'Running',
          message: 'Ready',
          count: 1,
          lastTimestamp: '2026-01-02T00:01:00Z',
        },
      ),
    ]);
    await stream.next(
      (e) =>
        (e.data?.events as { reason: string }[] | undefined)?.some((x) => x.reason === 'Running') ?? false,
    );
    expect(lists(stream).flat()).not.toContainEqual(expect.objectContaining({ reason: 'Elsewhere' }));
    expect(authApi.runtime.deps.services.deploymentEvents.watcherCount).toBe(1);

    // A Warning about one of its pods is sent too.
    await cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'followed-0',
          namespace: ns,
          labels: { 'airunway.ai/model-deployment': 'followed' },
        },
        spec: { nodeName: 'nowhere', containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] },
      },
    ]);
    await eventually(async () => {
      const { body } = await authApi.request(`/api/deployments/followed/pods?namespace=${ns}`, {
        token: admin,
      });
      expect(JSON.stringify(body)).toContain('followed-0');
    }, 10_000);
    await cluster.apply([
      coreEvent(
        'followed-0.failed',
        { apiVersion: 'v1', kind: 'Pod', name: 'followed-0' },
        {
          type: 'Warning',
          reason: 'FailedMount',
          message: 'no such volume',
          count: 1,
          lastTimestamp: '2026-01-02T00:02:00Z',
        },
      ),
    ]);
    await stream.next(
      (e) =>
        (e.data?.events as { reason: string }[] | undefined)?.some((x) => x.reason === 'FailedMount') ??
        false,
    );

    await cluster.kubectlOk(['delete', 'modeldeployment', 'followed', '-n', ns]);
    await stream.next(() => stream.ended, 0, 15_000).catch(() => undefined);
    await eventually(() => {
      expect(authApi.runtime.deps.services.deploymentEvents.watcherCount).toBe(0);
    }, 10_000);
  });

  it('refused as the list is: alice may not list events here', async () => {
    const res = await subscribe('watched', alice);
    const stream = new SseReader(res);
    const failed = await stream.next((e) => e.event === 'serialized-error' || e.data?.error !== undefined);
    expect(JSON.stringify(failed.data)).toContain('FORBIDDEN');
    expect(lists(stream)).toEqual([]);
    await stream.close();
    await eventually(() => {
      expect(authApi.runtime.deps.services.deploymentEvents.watcherCount).toBe(0);
    }, 10_000);
  });
});
