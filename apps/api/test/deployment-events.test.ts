// A deployment's Kubernetes events against the real control plane (no operator here: the events
// are written as the operator and the kubelet would, through core/v1 and events.k8s.io/v1), read
// back from the watch cache over REST and tRPC; a refused user and an unknown deployment.
import { DeploymentEventsResponseSchema } from '@airunway/schema';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateModelDeploymentRoles, eventually, getJson, startTestApi, type TestApi } from './helpers.js';

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
    const body = (await res.json()) as any;
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
    expect(((await trpc.json()) as any).error.data.apiError.code).toBe('FORBIDDEN');
  });
});
