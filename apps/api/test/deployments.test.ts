// /deployments against a real control plane (no operator runs here: status stays empty, so
// phases are Pending): the documented shapes, create through REST, tRPC and kubectl giving
// the same ModelDeployment, validation with field paths, updates in place and identity
// changes, deletes, dry runs with a fit verdict on the simulated GPU nodes, live changes over
// Server-Sent Events, and what alice (edit in team-a) and bob (view) may do with auth on.
import {
  ApiErrorBodySchema,
  CreateDeploymentResponseSchema,
  DeleteDeploymentResponseSchema,
  DeploymentDetailSchema,
  DeploymentPermissionsResponseSchema,
  DryRunResponseSchema,
  ListDeploymentsResponseSchema,
  UpdateDeploymentResponseSchema,
} from '@airunway/schema';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateModelDeploymentRoles, eventually, getJson, startTestApi, type TestApi } from './helpers.js';
import { SseReader } from './sse.js';

const cluster = testCluster();
const { editor: alice, viewer: bob } = cluster.users;
const teamA = cluster.editorNamespace;
const ns = uniqueNamespace('deploy');
const suffix = ns.slice(-6);
let api: TestApi;
let authApi: TestApi;

const QUERIES = new Set(['deployments.list', 'deployments.get', 'deployments.permissions']);

/** A tRPC call over HTTP as @trpc/client sends it (no batching, no transformer): queries GET, mutations POST. */
async function trpc(target: TestApi, procedure: string, input: unknown, token?: { token: string }) {
  const headers = {
    'Content-Type': 'application/json',
    ...(token ? { Authorization: `Bearer ${token.token}` } : {}),
  };
  const res = QUERIES.has(procedure)
    ? await target.runtime.app.request(
        `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`,
        { headers },
      )
    : await target.runtime.app.request(`/trpc/${procedure}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input),
      });
  return { status: res.status, body: (await res.json()) as any };
}

async function specOf(namespace: string, name: string) {
  return (await getJson(cluster, ['get', 'modeldeployment', name, '-n', namespace])).spec;
}

let revokeRoles: () => Promise<void>;

beforeAll(async () => {
  revokeRoles = await aggregateModelDeploymentRoles(cluster);
  await cluster.createNamespace(ns);
  [api, authApi] = await Promise.all([
    startTestApi(cluster, { defaultNamespace: ns, heartbeatMs: 200 }),
    startTestApi(cluster, { authEnabled: true, defaultNamespace: ns, heartbeatMs: 200 }),
  ]);
});

afterAll(async () => {
  await Promise.all([api.stop(), authApi.stop()]);
  await cluster.kubectl(['delete', 'namespace', ns, '--wait=false']);
  await cluster.kubectl(['delete', 'modeldeployments', '--all', '-n', teamA, '--wait=false']);
  await revokeRoles();
});

describe('create and read', () => {
  const body = {
    name: 'qwen-deployment',
    provider: 'vllm',
    modelId: 'Qwen/Qwen3-0.6B',
    engine: 'vllm',
    mode: 'aggregated',
    replicas: 1,
    hfTokenSecret: 'hf-token-secret',
    enforceEager: true,
    enablePrefixCaching: false,
    trustRemoteCode: false,
    imageRef: 'vllm/vllm-openai:cu130-nightly',
    engineArgs: { 'max-num-seqs': 64 },
    engineExtraArgs: [],
  };

  it('POST creates the documented body as a ModelDeployment (201), readable at once', async () => {
    const { status, body: created } = await api.request('/api/deployments', { method: 'POST', body });
    expect(status).toBe(201);
    expect(CreateDeploymentResponseSchema.parse(created)).toEqual({
      message: 'Deployment created successfully',
      name: 'qwen-deployment',
      namespace: ns,
      provider: 'vllm',
      providerReason: 'explicit provider selection',
      engine: 'vllm',
    });
    expect(await specOf(ns, 'qwen-deployment')).toMatchObject({
      model: { id: 'Qwen/Qwen3-0.6B' },
      provider: { name: 'vllm' },
      engine: {
        type: 'vllm',
        image: 'vllm/vllm-openai:cu130-nightly',
        enforceEager: true,
        enablePrefixCaching: false,
        args: { 'max-num-seqs': '64' },
      },
      scaling: { replicas: 1 },
      resources: { gpu: { count: 1 } },
      secrets: { huggingFaceToken: 'hf-token-secret' },
    });

    const list = await api.request(`/api/deployments?namespace=${ns}`);
    expect(list.status).toBe(200);
    const item = ListDeploymentsResponseSchema.parse(list.body).deployments.find(
      (d) => d.name === 'qwen-deployment',
    );
    expect(item).toMatchObject({
      name: 'qwen-deployment',
      namespace: ns,
      modelId: 'Qwen/Qwen3-0.6B',
      engine: 'vllm',
      phase: 'Pending',
      replicas: { desired: 1, ready: 0, available: 0 },
      gpus: 1,
    });
    expect(Date.parse(item?.createdAt ?? '')).not.toBeNaN();

    const detail = await api.request(`/api/deployments/qwen-deployment?namespace=${ns}`);
    expect(detail.status).toBe(200);
    expect(DeploymentDetailSchema.parse(detail.body)).toMatchObject({
      name: 'qwen-deployment',
      provider: 'vllm',
      phase: 'Pending',
      pods: [],
      spec: { model: { id: 'Qwen/Qwen3-0.6B' } },
    });
  });

  it('REST, tRPC and kubectl store the same ModelDeployment', async () => {
    const common = {
      modelId: 'Qwen/Qwen3-0.6B',
      engine: 'vllm',
      provider: 'vllm',
      replicas: 2,
      engineArgs: { 'max-model-len': '4096' },
    };
    const rest = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'via-rest', ...common },
    });
    expect(rest.status).toBe(201);
    const viaTrpc = await trpc(api, 'deployments.create', { name: 'via-trpc', namespace: ns, ...common });
    expect(viaTrpc.status).toBe(200);
    expect(viaTrpc.body.result.data).toMatchObject({ name: 'via-trpc', provider: 'vllm' });
    await cluster.apply([
      {
        apiVersion: 'airunway.ai/v1alpha1',
        kind: 'ModelDeployment',
        metadata: { name: 'via-kubectl', namespace: ns },
        spec: {
          model: { id: 'Qwen/Qwen3-0.6B' },
          engine: { type: 'vllm', args: { 'max-model-len': '4096' } },
          provider: { name: 'vllm' },
          scaling: { replicas: 2 },
          resources: { gpu: { count: 1 } },
        },
      },
    ]);
    const [a, b, c] = await Promise.all(['via-rest', 'via-trpc', 'via-kubectl'].map((n) => specOf(ns, n)));
    expect(a).toEqual(c);
    expect(b).toEqual(c);
  });

  it('leaving provider out gets the one the operator would select, and why', async () => {
    const { status, body: created } = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'auto', modelId: 'Qwen/Qwen3-0.6B' },
    });
    expect(status).toBe(201);
    // Dynamo's CRD is installed here but its operator is not running.
    expect(created.provider).toBe('vllm');
    expect(created.providerReason).toMatch(/^default → vllm \(dynamo not ready/);
  });

  it('a second create of the same name is CONFLICT (409)', async () => {
    const { status, body } = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'qwen-deployment', modelId: 'Qwen/Qwen3-0.6B', provider: 'vllm' },
    });
    expect(status).toBe(409);
    expect(ApiErrorBodySchema.parse(body)).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'AlreadyExists' },
    });
  });

  it('GET and DELETE of one deployment need the namespace; an unknown one is NOT_FOUND', async () => {
    const missing = await api.request('/api/deployments/qwen-deployment');
    expect(missing.status).toBe(400);
    expect(missing.body.details.fields).toEqual([{ path: 'namespace', message: 'Required value' }]);
    expect((await api.request(`/api/deployments/nothing-here?namespace=${ns}`)).status).toBe(404);
    expect((await api.request(`/api/deployments/Bad_Name?namespace=${ns}`)).body.details.fields[0].path).toBe(
      'name',
    );
  });
});

describe('validation', () => {
  it('bad bodies are 400 with the field paths of the body, and nothing is written', async () => {
    const { status, body } = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'Not A Name', replicas: 99, engine: 'tgi', colour: 'blue' },
    });
    expect(status).toBe(400);
    expect(ApiErrorBodySchema.parse(body).code).toBe('VALIDATION_ERROR');
    const paths = body.details.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['colour', 'engine', 'modelId', 'name', 'replicas']);
  });

  it('rules of the ModelDeployment schema are reported on the body field that sets them', async () => {
    const remote = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'remote', modelId: 'm/x', engine: 'llamacpp', trustRemoteCode: true },
    });
    expect(remote.status).toBe(400);
    expect(remote.body.details.fields[0].path).toBe('trustRemoteCode');

    const mixed = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'mixed', modelId: 'm/x', mode: 'disaggregated', replicas: 2 },
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.details.fields.map((f: { path: string }) => f.path)).toContain('replicas');
  });

  it('a provider that is not installed is refused with PROVIDER_NOT_INSTALLED (422)', async () => {
    const { status, body } = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'needs-dynamo', modelId: 'Qwen/Qwen3-0.6B', provider: 'dynamo' },
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'PROVIDER_NOT_INSTALLED', details: { reason: 'ProviderNotReady' } });
    expect(body.error).toMatch(/provider dynamo is not ready/);
    expect(await cluster.kubectl(['get', 'modeldeployment', 'needs-dynamo', '-n', ns])).toMatchObject({
      code: 1,
    });
  });

  it('what the chosen provider cannot run names the field: vLLM on CPU', async () => {
    const { status, body } = await api.request('/api/deployments', {
      method: 'POST',
      body: { name: 'cpu-vllm', modelId: 'Qwen/Qwen3-0.6B', provider: 'vllm', computeType: 'cpu' },
    });
    expect(status).toBe(400);
    expect(body.details.fields[0]).toMatchObject({ path: 'resources.gpu' });
  });

  it('tRPC reports the same errors, with the same field paths', async () => {
    const { status, body } = await trpc(api, 'deployments.create', { name: 'x', replicas: -1 });
    expect(status).toBe(400);
    expect(body.error.data.apiError.code).toBe('VALIDATION_ERROR');
    expect(body.error.data.apiError.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'modelId',
      'replicas',
    ]);
    const conflict = await trpc(api, 'deployments.create', {
      name: 'qwen-deployment',
      namespace: ns,
      modelId: 'm/x',
      provider: 'vllm',
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.data).toMatchObject({ code: 'CONFLICT', apiError: { code: 'CONFLICT' } });
  });
});

describe('update and delete', () => {
  it('PATCH scales in place', async () => {
    const { status, body } = await api.request(`/api/deployments/via-rest?namespace=${ns}`, {
      method: 'PATCH',
      body: { replicas: 3, engineArgs: { 'max-model-len': 8192 } },
    });
    expect(status).toBe(200);
    expect(UpdateDeploymentResponseSchema.parse(body)).toMatchObject({
      dryRun: false,
      changed: ['engine.args.max-model-len', 'scaling.replicas'],
      recreate: false,
      identityChanges: [],
      deployment: { replicas: { desired: 3 } },
    });
    expect(body.message).toMatch(/applied in place/);
    expect(await specOf(ns, 'via-rest')).toMatchObject({
      scaling: { replicas: 3 },
      engine: { args: { 'max-model-len': '8192' } },
    });
    // Read-your-writes: the list already says so.
    const list = await api.request(`/api/deployments?namespace=${ns}`);
    expect(list.body.deployments.find((d: { name: string }) => d.name === 'via-rest').replicas.desired).toBe(
      3,
    );
  });

  it('PATCH of an identity field says the provider objects are recreated; dryRun writes nothing', async () => {
    const dry = await api.request(`/api/deployments/via-rest?namespace=${ns}&dryRun=true`, {
      method: 'PATCH',
      body: { modelId: 'Qwen/Qwen3-1.7B' },
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, recreate: true, identityChanges: ['model.id'] });
    expect((await specOf(ns, 'via-rest')).model.id).toBe('Qwen/Qwen3-0.6B');

    const real = await api.request(`/api/deployments/via-rest?namespace=${ns}`, {
      method: 'PATCH',
      body: { modelId: 'Qwen/Qwen3-1.7B' },
    });
    expect(real.body).toMatchObject({ recreate: true, identityChanges: ['model.id'] });
    expect(real.body.message).toMatch(/deleted and recreated/);
    expect((await specOf(ns, 'via-rest')).model.id).toBe('Qwen/Qwen3-1.7B');
  });

  it('PATCH validation: bad values and empty bodies are 400', async () => {
    const bad = await api.request(`/api/deployments/via-rest?namespace=${ns}`, {
      method: 'PATCH',
      body: { replicas: 99 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields[0].path).toBe('replicas');
    expect(
      (await api.request(`/api/deployments/via-rest?namespace=${ns}`, { method: 'PATCH', body: {} })).status,
    ).toBe(400);
  });

  it('DELETE removes it; the list no longer has it', async () => {
    const { status, body } = await api.request(`/api/deployments/via-kubectl?namespace=${ns}`, {
      method: 'DELETE',
    });
    expect(status).toBe(200);
    expect(DeleteDeploymentResponseSchema.parse(body)).toEqual({
      success: true,
      message: 'Deployment deleted',
    });
    const list = await api.request(`/api/deployments?namespace=${ns}`);
    expect(list.body.deployments.map((d: { name: string }) => d.name)).not.toContain('via-kubectl');
    expect(
      (await api.request(`/api/deployments/via-kubectl?namespace=${ns}`, { method: 'DELETE' })).status,
    ).toBe(404);
  });
});

describe('dry run', () => {
  it('one GPU: the ModelDeployment, the provider objects, the reasons, and where it fits', async () => {
    const { status, body } = await api.request('/api/deployments?dryRun=true', {
      method: 'POST',
      body: { name: `dry-one-${suffix}`, modelId: 'Qwen/Qwen3-0.6B', resources: { gpu: 1 } },
    });
    expect(status).toBe(200);
    const dry = DryRunResponseSchema.parse(body);
    expect(dry.modelDeployment.spec).toMatchObject({
      resources: { gpu: { count: 1, type: 'nvidia.com/gpu' } },
      scaling: { replicas: 1 },
    });
    expect(dry.selection).toMatchObject({ ok: true, provider: 'vllm', engine: 'vllm' });
    expect(dry.resources.map((r) => r.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));
    expect(dry.fit.status).toBe('fits');
    expect(dry.fit.message).toMatch(/^fits on gpu-(h100|a100)-0$/);
    expect(dry.fit.pods[0]).toMatchObject({ replicas: 1, requests: { 'nvidia.com/gpu': '1' }, unplaced: 0 });
    expect((await cluster.kubectl(['get', 'modeldeployment', `dry-one-${suffix}`, '-n', ns])).code).toBe(1);
  });

  it("100 GPUs: does not fit, in the scheduler's words", async () => {
    const { body } = await api.request('/api/deployments?dryRun=true', {
      method: 'POST',
      body: { name: `dry-big-${suffix}`, modelId: 'Qwen/Qwen3-0.6B', resources: { gpu: 50 }, replicas: 2 },
    });
    expect(body.fit.status).toBe('does-not-fit');
    expect(body.fit.message).toMatch(
      /^does not fit: pod 1 of 2 of Deployment dry-big-\w+ \(50 nvidia\.com\/gpu.*\): 0\/\d+ nodes are available: .*\d+ Insufficient nvidia\.com\/gpu/,
    );
    expect(body.warnings).toContain(body.fit.message);
  });
});

describe('live changes (Server-Sent Events)', () => {
  it('a snapshot, then upserts and deletes as the watch sees them, with heartbeats', async () => {
    const res = await api.runtime.app.request(`/api/deployments/-/events?namespace=${ns}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const stream = new SseReader(res);
    const snapshot = await stream.next((e) => e.event === 'snapshot');
    expect(snapshot.data.deployments.map((d: { name: string }) => d.name)).toContain('qwen-deployment');

    await cluster.apply([
      {
        apiVersion: 'airunway.ai/v1alpha1',
        kind: 'ModelDeployment',
        metadata: { name: 'live-one', namespace: ns },
        spec: { model: { id: 'Qwen/Qwen3-0.6B' }, resources: { gpu: { count: 1 } } },
      },
    ]);
    const upsert = await stream.next((e) => e.event === 'upsert' && e.data.deployment.name === 'live-one');
    expect(upsert.data.deployment).toMatchObject({
      namespace: ns,
      modelId: 'Qwen/Qwen3-0.6B',
      phase: 'Pending',
    });
    await cluster.kubectlOk(['delete', 'modeldeployment', 'live-one', '-n', ns]);
    await stream.next((e) => e.event === 'delete' && e.data.name === 'live-one');
    await new Promise((r) => setTimeout(r, 450));
    expect(stream.comments).toBeGreaterThanOrEqual(1);
    // A client that goes away unsubscribes.
    await stream.close();
    await eventually(() => {
      expect(api.runtime.deps.services.deploymentFeed.subscriberCount).toBe(0);
    }, 5_000);
  });

  it('per user: alice sees team-a only; the stream ends cleanly when the server stops', async () => {
    const own = await startTestApi(cluster, { authEnabled: true, heartbeatMs: 200 });
    const res = await own.runtime.app.request('/api/deployments/-/events', {
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    expect(res.status).toBe(200);
    const stream = new SseReader(res);
    const snapshot = await stream.next((e) => e.event === 'snapshot');
    expect(snapshot.data.deployments.every((d: { namespace: string }) => d.namespace === teamA)).toBe(true);

    await cluster.apply(
      ['hidden', 'shown'].map((name) => ({
        apiVersion: 'airunway.ai/v1alpha1',
        kind: 'ModelDeployment',
        metadata: { name: `${name}-${suffix}`, namespace: name === 'hidden' ? ns : teamA },
        spec: { model: { id: 'Qwen/Qwen3-0.6B' }, resources: { gpu: { count: 1 } } },
      })),
    );
    await stream.next((e) => e.event === 'upsert' && e.data.deployment.name === `shown-${suffix}`);
    expect(
      stream.events.some((e) => e.event === 'upsert' && e.data.deployment.name === `hidden-${suffix}`),
    ).toBe(false);

    const forbidden = await own.runtime.app.request(`/api/deployments/-/events?namespace=${ns}`, {
      headers: { Authorization: `Bearer ${alice.token}` },
    });
    expect(forbidden.status).toBe(403);

    await own.stop();
    await stream.next((e) => e.event === 'close');
    await stream.next(() => stream.ended).catch(() => undefined);
    expect(own.runtime.deps.services.deploymentFeed.subscriberCount).toBe(0);
  });
});

describe('with authentication: alice (edit in team-a) and bob (view)', () => {
  const create = (token: { token: string }, namespace: string, name: string, query = '') =>
    authApi.request(`/api/deployments${query}`, {
      method: 'POST',
      token: token.token,
      body: { name, namespace, modelId: 'Qwen/Qwen3-0.6B', provider: 'vllm' },
    });

  it('no token: 401', async () => {
    expect((await authApi.request('/api/deployments')).status).toBe(401);
    expect((await trpc(authApi, 'deployments.list', {})).status).toBe(401);
  });

  it('alice creates, updates and deletes in team-a with her own token', async () => {
    expect((await create(alice, teamA, `alice-${suffix}`)).status).toBe(201);
    const patched = await authApi.request(`/api/deployments/alice-${suffix}?namespace=${teamA}`, {
      method: 'PATCH',
      token: alice.token,
      body: { replicas: 2 },
    });
    expect(patched.status).toBe(200);
    const viaTrpc = await trpc(
      authApi,
      'deployments.get',
      { name: `alice-${suffix}`, namespace: teamA },
      alice,
    );
    expect(viaTrpc.body.result.data).toMatchObject({ name: `alice-${suffix}`, replicas: { desired: 2 } });
    const deleted = await authApi.request(`/api/deployments/alice-${suffix}?namespace=${teamA}`, {
      method: 'DELETE',
      token: alice.token,
    });
    expect(deleted.status).toBe(200);
  });

  it('alice may not create elsewhere; bob may not create at all: the apiserver refuses (403)', async () => {
    const elsewhere = await create(alice, ns, 'alice-elsewhere');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'Forbidden' } });
    expect((await create(bob, teamA, 'bob-try')).status).toBe(403);
    expect((await create(bob, teamA, 'bob-dry', '?dryRun=true')).status).toBe(403);
    const viaTrpc = await trpc(
      authApi,
      'deployments.create',
      { name: 'bob-trpc', namespace: teamA, modelId: 'm/x', provider: 'vllm' },
      bob,
    );
    expect(viaTrpc.status).toBe(403);
    expect(viaTrpc.body.error.data.apiError.code).toBe('FORBIDDEN');
  });

  it('bob reads everything; alice lists only team-a and is refused other namespaces', async () => {
    const bobs = await authApi.request('/api/deployments', { token: bob.token });
    expect(bobs.body.deployments.some((d: { namespace: string }) => d.namespace === ns)).toBe(true);
    expect(
      (await authApi.request(`/api/deployments/qwen-deployment?namespace=${ns}`, { token: bob.token }))
        .status,
    ).toBe(200);
    const alices = await authApi.request('/api/deployments', { token: alice.token });
    expect(alices.status).toBe(200);
    expect(alices.body.deployments.every((d: { namespace: string }) => d.namespace === teamA)).toBe(true);
    const refused = await authApi.request(`/api/deployments/qwen-deployment?namespace=${ns}`, {
      token: alice.token,
    });
    expect(refused.status).toBe(403);
    expect((await authApi.request(`/api/deployments?namespace=${ns}`, { token: alice.token })).status).toBe(
      403,
    );
  });

  it('permissions: what each may do in a namespace, with the refusal worded as the 403 would be', async () => {
    const ask = async (user: { token: string }, namespace: string) => {
      const { status, body } = await authApi.request(
        `/api/deployments/-/permissions?namespace=${namespace}`,
        {
          token: user.token,
        },
      );
      expect(status).toBe(200);
      return DeploymentPermissionsResponseSchema.parse(body);
    };
    expect(await ask(alice, teamA)).toEqual({
      namespace: teamA,
      create: { allowed: true },
      update: { allowed: true },
      delete: { allowed: true },
    });
    const aliceElsewhere = await ask(alice, ns);
    expect(aliceElsewhere.create).toEqual({
      allowed: false,
      reason: `User "alice" cannot create modeldeployments.airunway.ai in namespace ${ns}`,
    });
    const bobs = await ask(bob, teamA);
    expect([bobs.create.allowed, bobs.update.allowed, bobs.delete.allowed]).toEqual([false, false, false]);
    expect(bobs.update.reason).toBe(
      `User "bob" cannot patch modeldeployments.airunway.ai in namespace ${teamA}`,
    );
    // The answers match what the apiserver then does (see the refusals above and below).
    const viaTrpc = await trpc(authApi, 'deployments.permissions', { namespace: teamA }, alice);
    expect(viaTrpc.body.result.data.create).toEqual({ allowed: true });
    // Without a namespace: the default namespace of the settings.
    const { body } = await authApi.request('/api/deployments/-/permissions', { token: alice.token });
    expect(body.namespace).toBe(authApi.runtime.deps.services.deployments.namespaceOr(undefined));
  });

  it('bob may not change or delete: 403 from the apiserver', async () => {
    const patch = await authApi.request(`/api/deployments/qwen-deployment?namespace=${ns}`, {
      method: 'PATCH',
      token: bob.token,
      body: { replicas: 2 },
    });
    expect(patch.status).toBe(403);
    const del = await authApi.request(`/api/deployments/qwen-deployment?namespace=${ns}`, {
      method: 'DELETE',
      token: bob.token,
    });
    expect(del.status).toBe(403);
  });

  it('a dry run fit needs list nodes: alice gets no node names', async () => {
    const { status, body } = await create(alice, teamA, `alice-dry-${suffix}`, '?dryRun=true');
    expect(status).toBe(200);
    expect(body.fit).toMatchObject({ status: 'unknown', pods: [] });
  });
});
