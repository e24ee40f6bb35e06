// Authentication on: bearer tokens checked by TokenReview, reads gated by RBAC through access
// reviews, writes made with the caller's own token. Users of the test cluster: admin
// (system:masters), alice (edit in team-a only), bob (view everywhere).
import { ApiErrorBodySchema, API_GROUP, MODEL_DEPLOYMENT_PLURAL } from '@airunway/schema';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVisible } from '../src/auth/visibility.js';
import { eventually, getJson, startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
const { admin, editor: alice, viewer: bob } = cluster.users;
const productNamespace = uniqueNamespace('airunway-auth');
const otherNamespace = uniqueNamespace('vis');
let api: TestApi;

async function metric(name: string, labels: string): Promise<number> {
  const { body } = await api.request('/metrics');
  const line = (body as string).split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  await cluster.createNamespace(productNamespace);
  await cluster.createNamespace(otherNamespace);
  api = await startTestApi(cluster, { authEnabled: true, productNamespace });
});

afterAll(async () => {
  await api.stop();
  await cluster.kubectl(['delete', 'namespace', productNamespace, otherNamespace, '--wait=false']);
  await cluster.kubectl(['delete', 'clusterrole', 'airunway-test-md-reader', '--ignore-not-found']);
});

describe('authentication', () => {
  it.each(['/api/health', '/api/health/version', '/healthz', '/readyz', '/metrics'])(
    '%s is public',
    async (path) => {
      expect((await api.request(path)).status).toBe(200);
    },
  );

  it('a request without a token is UNAUTHORIZED, with a Bearer challenge', async () => {
    const { status, body, headers } = await api.request('/api/cluster/status');
    expect(status).toBe(401);
    expect(ApiErrorBodySchema.parse(body)).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(headers.get('www-authenticate')).toBe('Bearer');
    const basic = await api.request('/api/models', { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
  });

  it('a token Kubernetes does not know is UNAUTHORIZED', async () => {
    const { status, body } = await api.request('/api/models', { token: 'not-a-real-token' });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'Invalid or expired token', code: 'UNAUTHORIZED' });
  });

  it('unknown routes ask for a token first, then answer 404', async () => {
    expect((await api.request('/api/nothing')).status).toBe(401);
    expect((await api.request('/api/nothing', { token: bob })).status).toBe(404);
  });

  it('reviews a token once while its answer is cached, a bad one too', async () => {
    const authenticated = 'result="authenticated"';
    await api.request('/api/models', { token: alice });
    const before = await metric('airunway_api_token_reviews_total', authenticated);
    for (let i = 0; i < 5; i++) expect((await api.request('/api/models', { token: alice })).status).toBe(200);
    expect(await metric('airunway_api_token_reviews_total', authenticated)).toBe(before);

    const rejected = 'result="rejected"';
    const beforeBad = await metric('airunway_api_token_reviews_total', rejected);
    const bad = `bad-${Date.now()}`;
    await Promise.all([1, 2, 3].map(() => api.request('/api/models', { token: bad })));
    expect(await metric('airunway_api_token_reviews_total', rejected)).toBe(beforeBad + 1);
  });
});

describe('cluster-wide reads are gated on RBAC', () => {
  it.each([
    ['/api/cluster/nodes', 'list', 'nodes'],
    ['/api/installation/gpu-capacity', 'list', 'nodes'],
    ['/api/installation/gpu-capacity/detailed', 'list', 'nodes'],
  ])('%s: admin may, bob and alice may not (%s %s)', async (path, verb, resource) => {
    expect((await api.request(path, { token: admin })).status).toBe(200);
    for (const user of [bob, alice]) {
      const { status, body } = await api.request(path, { token: user });
      expect(status).toBe(403);
      expect(body).toEqual({
        error: `User "${user.name}" cannot ${verb} ${resource} at cluster scope`,
        code: 'FORBIDDEN',
        details: { verb, group: '', resource },
      });
    }
  });

  it('the autoscaler status takes reading its ConfigMap in kube-system: bob may, alice may not', async () => {
    expect((await api.request('/api/autoscaler/detection', { token: bob })).status).toBe(200);
    const refused = await api.request('/api/autoscaler/detection', { token: alice });
    expect(refused.status).toBe(403);
    expect(refused.body.details).toMatchObject({
      verb: 'get',
      resource: 'configmaps',
      namespace: 'kube-system',
      name: 'cluster-autoscaler-status',
    });
    expect((await api.request('/api/autoscaler/status', { token: alice })).status).toBe(403);
  });

  it('repeated checks of one permission cost one access review', async () => {
    const denied = 'result="denied"';
    await api.request('/api/cluster/nodes', { token: bob });
    const before = await metric('airunway_api_access_reviews_total', denied);
    for (let i = 0; i < 3; i++) await api.request('/api/cluster/nodes', { token: bob });
    expect(await metric('airunway_api_access_reviews_total', denied)).toBe(before);
  });

  it('what any signed-in user may read answers everyone', async () => {
    for (const user of [admin, alice, bob])
      for (const path of ['/api/models', '/api/runtimes/status', '/api/cluster/status', '/api/settings']) {
        const { status } = await api.request(path, { token: user });
        expect(status, `${user.name} ${path}`).toBe(200);
      }
    expect((await api.request('/api/settings', { token: bob })).body.auth).toEqual({ enabled: true });
  });
});

describe('writes act with the caller’s token', () => {
  const put = (user: typeof admin, ns: string) =>
    api.request('/api/settings', { method: 'PUT', token: user, body: { defaultNamespace: ns } });

  it('bob (view) and alice (edit elsewhere) cannot change the settings; admin can', async () => {
    for (const user of [bob, alice]) {
      const { status, body } = await put(user, `by-${user.name}`);
      expect(status).toBe(403);
      expect(body.code).toBe('FORBIDDEN');
      // The apiserver's own words: it was Kubernetes that refused.
      expect(body.error).toContain(`User "${user.name}" cannot patch resource "configmaps"`);
      expect(body.details.reason).toBe('Forbidden');
    }
    expect(
      (await cluster.kubectl(['get', 'configmap', 'airunway-config', '-n', productNamespace])).code,
    ).not.toBe(0);

    const ok = await put(admin, 'by-admin');
    expect(ok.status).toBe(200);
    const cm = await getJson(cluster, [
      'get',
      'configmap',
      'airunway-config',
      '-n',
      productNamespace,
      '--show-managed-fields',
    ]);
    expect(JSON.parse(cm.data['config.json'])).toEqual({ defaultNamespace: 'by-admin' });
    expect(cm.metadata.managedFields.map((m: any) => m.manager)).toEqual(['airunway-api']);
  });

  it('alice can once RBAC lets her edit the product namespace', async () => {
    await cluster.apply([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'alice-edit', namespace: productNamespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: alice.name }],
      },
    ]);
    await eventually(async () => {
      expect((await put(alice, 'by-alice')).status).toBe(200);
    });
    expect((await api.request('/api/settings', { token: bob })).body.config).toEqual({
      defaultNamespace: 'by-alice',
    });
  });
});

describe('namespaced reads from the cache show only what the caller may list', () => {
  const ref = { group: API_GROUP, resource: MODEL_DEPLOYMENT_PLURAL };
  const md = (name: string, namespace: string) => ({
    apiVersion: 'airunway.ai/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name, namespace },
    spec: { model: { id: 'Qwen/Qwen3-0.6B' }, resources: { gpu: { count: 1 } } },
  });
  const caller = (user: typeof admin) => api.runtime.deps.authenticator.authenticate(`Bearer ${user.token}`);
  const names = (objs: { metadata: { namespace?: string; name?: string } }[]) =>
    objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();

  beforeAll(async () => {
    // ModelDeployments join the built-in view and edit roles, as the product's chart will make them.
    await cluster.apply([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: {
          name: 'airunway-test-md-reader',
          labels: {
            'rbac.authorization.k8s.io/aggregate-to-view': 'true',
            'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          },
        },
        rules: [
          { apiGroups: [API_GROUP], resources: [MODEL_DEPLOYMENT_PLURAL], verbs: ['get', 'list', 'watch'] },
        ],
      },
      md('in-team-a', cluster.editorNamespace),
      md('elsewhere', otherNamespace),
    ]);
    await eventually(() => {
      const cached = names(api.runtime.cache.modelDeployments.list());
      expect(cached).toEqual(
        expect.arrayContaining([`${cluster.editorNamespace}/in-team-a`, `${otherNamespace}/elsewhere`]),
      );
    });
    await eventually(async () => {
      const out = await cluster.kubectl(['auth', 'can-i', 'list', 'modeldeployments.airunway.ai', '-A'], {
        user: bob,
      });
      expect(out.stdout.trim()).toBe('yes');
    });
  });

  const ours = (list: string[]) => list.filter((n) => n.endsWith('/in-team-a') || n.endsWith('/elsewhere'));

  it('admin and bob (view everywhere) see every namespace', async () => {
    for (const user of [admin, bob]) {
      const visible = names(await listVisible(await caller(user), api.runtime.cache.modelDeployments, ref));
      expect(ours(visible)).toEqual(
        [`${cluster.editorNamespace}/in-team-a`, `${otherNamespace}/elsewhere`].sort(),
      );
    }
  });

  it('alice sees her namespace only, and is refused another one by name', async () => {
    const c = await caller(alice);
    const visible = names(await listVisible(c, api.runtime.cache.modelDeployments, ref));
    expect(visible).toContain(`${cluster.editorNamespace}/in-team-a`);
    expect(visible.filter((n) => !n.startsWith(`${cluster.editorNamespace}/`))).toEqual([]);
    await expect(
      listVisible(c, api.runtime.cache.modelDeployments, ref, otherNamespace),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
