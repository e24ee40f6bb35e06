// Settings live in a ConfigMap of the product namespace: read from the watch cache, written
// with server-side apply, validated before anything is written.
import { SettingsResponseSchema, UpdateSettingsResponseSchema } from '@airunway/schema';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, getJson, startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
const productNamespace = uniqueNamespace('airunway');
let api: TestApi;

beforeAll(async () => {
  await cluster.createNamespace(productNamespace);
  api = await startTestApi(cluster, { productNamespace, defaultNamespace: 'models' });
});

afterAll(async () => {
  await api.stop();
  await cluster.kubectl(['delete', 'namespace', productNamespace, '--wait=false']);
});

describe('settings', () => {
  it('GET /api/settings answers the defaults before anything was saved', async () => {
    const { status, body } = await api.request('/api/settings');
    expect(status).toBe(200);
    const settings = SettingsResponseSchema.parse(body);
    expect(settings.config).toEqual({ defaultNamespace: 'models' });
    expect(settings.auth).toEqual({ enabled: false });
    // Authentication off: the API acts as itself, and every answer is yes.
    expect(settings.permissions).toEqual({ update: { allowed: true } });
    expect(settings.providers.map((p) => p.id)).toEqual(['dynamo', 'kaito', 'kuberay', 'llmd', 'vllm']);
  });

  it('PUT /api/settings persists in the cluster and the next GET sees it at once', async () => {
    const put = await api.request('/api/settings', { method: 'PUT', body: { defaultNamespace: 'team-a' } });
    expect(put.status).toBe(200);
    expect(UpdateSettingsResponseSchema.parse(put.body)).toMatchObject({
      message: 'Settings updated',
      config: { defaultNamespace: 'team-a' },
    });
    expect((await api.request('/api/settings')).body.config).toEqual({ defaultNamespace: 'team-a' });
    expect((await api.request('/api/cluster/status')).body.namespace).toBe('team-a');

    const cm = await getJson(cluster, ['get', 'configmap', 'airunway-config', '-n', productNamespace]);
    expect(JSON.parse(cm.data['config.json'])).toEqual({ defaultNamespace: 'team-a' });
    expect(cm.metadata.labels['app.kubernetes.io/managed-by']).toBe('airunway');
  });

  it('a change made with kubectl reaches GET through the watch', async () => {
    await cluster.kubectlOk([
      'patch',
      'configmap',
      'airunway-config',
      '-n',
      productNamespace,
      '--type=merge',
      '-p',
      JSON.stringify({ data: { 'config.json': JSON.stringify({ defaultNamespace: 'ml', future: 1 }) } }),
    ]);
    await eventually(async () => {
      expect((await api.request('/api/settings')).body.config).toEqual({ defaultNamespace: 'ml' });
    });
    // A setting this version does not know is kept when it writes.
    await api.request('/api/settings', { method: 'PUT', body: { defaultNamespace: 'ml-2' } });
    const cm = await getJson(cluster, ['get', 'configmap', 'airunway-config', '-n', productNamespace]);
    expect(JSON.parse(cm.data['config.json'])).toEqual({ defaultNamespace: 'ml-2', future: 1 });
  });

  it.each([
    [{ defaultNamespace: 'Not_A_Namespace' }, 'defaultNamespace', /must be a namespace name/],
    [{ defaultNamespace: 'a'.repeat(64) }, 'defaultNamespace', /64|63/],
    [{ defaultNamespace: '-leading' }, 'defaultNamespace', /must be a namespace name/],
    [{}, 'defaultNamespace', /^Required value$/],
    [{ defaultNamespace: 'ok', extra: true }, 'extra', /^unknown field "extra"$/],
  ])('PUT %j is a VALIDATION_ERROR on %s and writes nothing', async (input, path, message) => {
    const before = await getJson(cluster, ['get', 'configmap', 'airunway-config', '-n', productNamespace]);
    const { status, body } = await api.request('/api/settings', { method: 'PUT', body: input });
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(body.details.fields).toHaveLength(1);
    expect(body.details.fields[0].path).toBe(path);
    expect(body.details.fields[0].message).toMatch(message);
    const after = await getJson(cluster, ['get', 'configmap', 'airunway-config', '-n', productNamespace]);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('PUT with a body that is not JSON is a VALIDATION_ERROR', async () => {
    const { status, body } = await api.request('/api/settings', {
      method: 'PUT',
      body: '{"defaultNamespace":',
    });
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_ERROR');
  });

  it('PUT with a body over 1 MiB is PAYLOAD_TOO_LARGE', async () => {
    const { status, body } = await api.request('/api/settings', {
      method: 'PUT',
      body: { defaultNamespace: 'x', padding: 'y'.repeat(1024 * 1024) },
    });
    expect(status).toBe(413);
    expect(body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('PUT when the product namespace does not exist reports the Kubernetes NotFound', async () => {
    const orphan = await startTestApi(cluster, { productNamespace: uniqueNamespace('missing') });
    try {
      const { status, body } = await orphan.request('/api/settings', {
        method: 'PUT',
        body: { defaultNamespace: 'x' },
      });
      expect(status).toBe(404);
      expect(body.code).toBe('NOT_FOUND');
      expect(body.error).toMatch(/namespaces? "missing-[0-9a-f]+" not found/);
      expect(body.details.reason).toBe('NotFound');
    } finally {
      await orphan.stop();
    }
  });
});

describe('settings as a limited user', () => {
  const { admin, editor: alice, viewer: bob } = cluster.users;
  let secured: TestApi;
  let inTeam: TestApi;

  beforeAll(async () => {
    secured = await startTestApi(cluster, { productNamespace, authEnabled: true });
    // Settings kept in the namespace alice may edit.
    inTeam = await startTestApi(cluster, { productNamespace: cluster.editorNamespace, authEnabled: true });
  });
  afterAll(async () => {
    await secured.stop();
    await inTeam.stop();
  });

  const updatePermission = async (app: TestApi, token: typeof admin) => {
    const { status, body } = await app.request('/api/settings', { token });
    expect(status).toBe(200);
    return SettingsResponseSchema.parse(body).permissions.update;
  };

  it('GET says who may update: admin may, bob (view) and alice (edit elsewhere) may not, with the 403’s words', async () => {
    expect(await updatePermission(secured, admin)).toEqual({ allowed: true });
    for (const user of [bob, alice])
      expect(await updatePermission(secured, user)).toEqual({
        allowed: false,
        reason: `User "${user.name}" cannot patch configmaps "airunway-config" in namespace ${productNamespace}`,
      });
  });

  it('the answer is what PUT does: refused for bob with the same reason, allowed for admin', async () => {
    const refused = await secured.request('/api/settings', {
      method: 'PUT',
      token: bob,
      body: { defaultNamespace: 'by-bob' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const put = await secured.request('/api/settings', {
      method: 'PUT',
      token: admin,
      body: { defaultNamespace: 'by-admin' },
    });
    expect(put.status).toBe(200);
    expect(UpdateSettingsResponseSchema.parse(put.body).permissions).toEqual({ update: { allowed: true } });
  });

  it('alice may update the settings kept in her own namespace (patch, and create while missing)', async () => {
    expect(await updatePermission(inTeam, alice)).toEqual({ allowed: true });
    expect((await updatePermission(inTeam, bob)).reason).toBe(
      `User "bob" cannot patch configmaps "airunway-config" in namespace ${cluster.editorNamespace}`,
    );
  });
});
