// The HuggingFace routes against a stand-in Hub (hub-fixture.ts) and the test cluster, with
// authentication on: admin (system:masters), alice (edit in team-a only), bob (view everywhere).
// Every request and log line is kept, to show that no HuggingFace token, verifier or Kubernetes
// token leaks beyond the fields documented to carry it.
import { createHash } from 'node:crypto';
import { createLogger, loadClusterConnection } from '@airunway/kube';
import {
  ApiErrorBodySchema,
  GgufFilesResponseSchema,
  HfOAuthConfigResponseSchema,
  HfOAuthStartResponseSchema,
  HfOAuthTokenResponseSchema,
  HfOAuthVerifierResponseSchema,
  HfSearchResponseSchema,
  HfSecretStatusResponseSchema,
  SaveHfSecretResponseSchema,
  DeleteHfSecretResponseSchema,
} from '@airunway/schema';
import type { TestUser } from '@airunway/testenv';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRuntime, type ApiRuntime } from '../src/runtime.js';
import { getJson } from './helpers.js';
import { startHubFixture, type HubFixture } from './hub-fixture.js';

const cluster = testCluster();
const { admin, editor: alice, viewer: bob } = cluster.users;
const nsA = uniqueNamespace('hf-a');
const nsB = uniqueNamespace('hf-b');
const nsMissing = uniqueNamespace('hf-none');
const TEAM = 'team-a';
const SECRET = 'hf-token-secret';
const REDIRECT = 'http://localhost:3000/oauth/callback/huggingface';

let hub: HubFixture;
const logs: string[] = [];
const exchanges: { path: string; text: string }[] = [];
const runtimes: ApiRuntime[] = [];

async function startApi(authEnabled: boolean, oauthStateSecret?: string): Promise<ApiRuntime> {
  const runtime = createApiRuntime({
    connection: loadClusterConnection({ kubeconfigPath: cluster.kubeconfigPath }),
    config: {
      authEnabled,
      productNamespace: 'airunway-system',
      defaultNamespace: 'airunway-system',
      build: { version: 'v0.1.0-test', buildTime: '2026-01-01T00:00:00Z', gitCommit: 'abc1234' },
      huggingface: {
        endpoint: hub.url,
        clientId: hub.clientId,
        secretNamespaces: [nsA, nsB, TEAM, nsMissing],
        timeoutMs: 400,
        ...(oauthStateSecret ? { oauthStateSecret } : {}),
      },
    },
    logger: createLogger({ level: 'debug', name: 'api', write: (line) => logs.push(line) }),
  });
  runtime.start();
  await Promise.all(runtime.cache.all.map((i) => i.synced));
  runtimes.push(runtime);
  return runtime;
}

let api: ApiRuntime;

async function call(
  path: string,
  init: {
    method?: string;
    as?: TestUser;
    body?: unknown;
    headers?: Record<string, string>;
    app?: ApiRuntime;
  } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.as) headers.Authorization = `Bearer ${init.as.token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await (init.app ?? api).app.request(path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  exchanges.push({ path, text });
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

function expectFields(res: { status: number; body: any }, ...paths: string[]) {
  expect(res.status).toBe(400);
  const body = ApiErrorBodySchema.parse(res.body);
  expect(body.code).toBe('VALIDATION_ERROR');
  // One field may break several rules (an id with ".." fails the pattern and the refinement).
  expect([...new Set((body.details.fields as { path: string }[]).map((f) => f.path))]).toEqual(paths);
}

function expectUpstream(res: { status: number; body: any }, reason: string) {
  expect(res.status).toBe(502);
  expect(ApiErrorBodySchema.parse(res.body)).toMatchObject({
    code: 'UPSTREAM_UNAVAILABLE',
    details: { service: 'huggingface', reason },
  });
}

const hubRequests = (path: string) => hub.requests.filter((r) => r.path === path);

beforeAll(async () => {
  hub = await startHubFixture();
  await cluster.createNamespace(nsA);
  await cluster.createNamespace(nsB);
  api = await startApi(true);
});

afterAll(async () => {
  for (const runtime of runtimes) await runtime.stop();
  await hub.close();
  await cluster.kubectl(['delete', 'namespace', nsA, nsB, '--wait=false']);
  await cluster.kubectl(['delete', 'secret', SECRET, '-n', TEAM, '--ignore-not-found']);
});

describe('GET /models/search', () => {
  it('lists compatible text-generation models with engines, gating and the memory estimate', async () => {
    const res = await call('/api/models/search?q=qwen', { as: bob });
    expect(res.status).toBe(200);
    const body = HfSearchResponseSchema.parse(res.body);
    // MLX weights and the record without an id are left out; most downloaded first.
    expect(body.models.map((m) => m.id)).toEqual([
      'Qwen/Qwen3-0.6B',
      'Qwen/Qwen3-8B',
      'unsloth/Qwen3-0.6B-GGUF',
      'acme-lab/qwen3-4b-support-tuned',
    ]);
    expect(body).toMatchObject({ total: 4, offset: 0, limit: 20 });
    const [small, , gguf, tuned] = body.models;
    expect(small).toEqual({
      id: 'Qwen/Qwen3-0.6B',
      name: 'Qwen3-0.6B',
      author: 'Qwen',
      downloads: 6123456,
      likes: 712,
      pipelineTag: 'text-generation',
      libraryName: 'transformers',
      architectures: ['Qwen3ForCausalLM'],
      gated: false,
      supportedEngines: ['vllm', 'sglang', 'trtllm'],
      // 751,632,384 × 2 bytes × 1.2
      estimatedGpuMemory: '1.8GB',
      estimatedGpuMemoryGb: 1.8,
      parameterCount: 751632384,
      fromHfSearch: true,
    });
    expect(gguf).toMatchObject({ supportedEngines: ['llamacpp'], gated: false });
    expect(gguf).not.toHaveProperty('estimatedGpuMemoryGb');
    // No config on the Hub: the architecture comes from the id; parameters summed over dtypes.
    expect(tuned).toMatchObject({
      architectures: ['Qwen3ForCausalLM'],
      supportedEngines: ['vllm', 'sglang', 'trtllm'],
      parameterCount: 4022468096,
      estimatedGpuMemoryGb: 9.7,
    });

    const [first] = hubRequests('/api/models');
    expect(first?.query.get('search')).toBe('qwen');
    expect(first?.query.get('filter')).toBe('text-generation');
    expect(first?.query.getAll('expand[]')).toEqual(
      expect.arrayContaining(['safetensors', 'gated', 'config', 'pipeline_tag', 'library_name', 'tags']),
    );
  });

  it('marks gated models and leaves out architectures no engine serves', async () => {
    const llama = HfSearchResponseSchema.parse(
      (await call('/api/models/search?q=llama-3.1', { as: admin })).body,
    );
    expect(llama.models).toEqual([
      expect.objectContaining({
        id: 'meta-llama/Llama-3.1-8B-Instruct',
        gated: true,
        parameterCount: 8030261248,
        estimatedGpuMemory: '19.3GB',
        estimatedGpuMemoryGb: 19.3,
        supportedEngines: ['vllm', 'sglang', 'trtllm'],
      }),
    ]);
    const rwkv = await call('/api/models/search?q=rwkv', { as: admin });
    expect(rwkv.body).toEqual({ models: [], total: 0, offset: 0, limit: 20 });
  });

  it('pages through the Hub only as far as asked, and answers again from its cache', async () => {
    const page = (offset: number) =>
      call(`/api/models/search?q=Qwen3&limit=1&offset=${offset}`, { as: admin });
    const before = hubRequests('/api/models').length;
    const first = HfSearchResponseSchema.parse((await page(0)).body);
    expect(first.models.map((m) => m.id)).toEqual(['Qwen/Qwen3-0.6B']);
    // One Hub page (three items) was enough; total says there is more.
    expect(first.total).toBe(3);
    expect(hubRequests('/api/models').length).toBe(before + 1);

    const last = HfSearchResponseSchema.parse((await page(3)).body);
    expect(last.models.map((m) => m.id)).toEqual(['acme-lab/qwen3-4b-support-tuned']);
    expect(last.total).toBe(4);
    const followed = hubRequests('/api/models').at(-1);
    expect(followed?.query.get('cursor')).toBeTruthy();
    expect(hubRequests('/api/models').length).toBe(before + 2);

    const again = HfSearchResponseSchema.parse((await page(1)).body);
    expect(again.models.map((m) => m.id)).toEqual(['Qwen/Qwen3-8B']);
    expect(hubRequests('/api/models').length).toBe(before + 2);
  });

  it('rejects bad queries with their field paths', async () => {
    expectFields(await call('/api/models/search', { as: admin }), 'q');
    expectFields(await call('/api/models/search?q=%20%20', { as: admin }), 'q');
    expectFields(await call('/api/models/search?q=qwen&limit=51', { as: admin }), 'limit');
    expectFields(
      await call('/api/models/search?q=qwen&limit=abc&offset=-1', { as: admin }),
      'limit',
      'offset',
    );
    expectFields(
      await call('/api/models/search?q=qwen', { as: admin, headers: { 'X-HF-Token': 'not a token' } }),
      '[x-hf-token]',
    );
  });

  it('sends the caller’s X-HF-Token to the Hub, and a token the Hub refuses is a 400', async () => {
    const ok = await call('/api/models/search?q=qwen3-8b', {
      as: alice,
      headers: { 'X-HF-Token': hub.userToken },
    });
    expect(ok.status).toBe(200);
    expect(hubRequests('/api/models').at(-1)?.authorization).toBe(`Bearer ${hub.userToken}`);

    const refused = await call('/api/models/search?q=qwen3-8b', {
      as: alice,
      headers: { 'X-HF-Token': 'hf_revokedtoken0000000000' },
    });
    expectFields(refused, '[x-hf-token]');
  });

  it.each([
    ['timeout', 'timeout', /did not answer GET \/api\/models within 0.4 s/],
    ['status500', 'status', /HTTP 500/],
    ['not-json', 'malformed', /not JSON/],
    ['malformed', 'malformed', /expected a list of models/],
  ] as const)('a Hub %s is UPSTREAM_UNAVAILABLE (%s)', async (failure, reason, message) => {
    hub.fail('/api/models', failure);
    try {
      const started = Date.now();
      const res = await call(`/api/models/search?q=fail-${failure}`, { as: admin });
      expectUpstream(res, reason);
      expect(res.body.error).toMatch(message);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      hub.clear();
    }
  });
});

describe('GET /models/:id/gguf-files', () => {
  it('lists the .gguf files of a repository with their sizes', async () => {
    const res = await call('/api/models/unsloth/Qwen3-0.6B-GGUF/gguf-files', { as: bob });
    expect(res.status).toBe(200);
    expect(GgufFilesResponseSchema.parse(res.body)).toEqual({
      files: [
        { filename: 'Qwen3-0.6B-BF16.gguf', size: 1198182560 },
        { filename: 'Qwen3-0.6B-Q4_K_M.gguf', size: 396705472 },
        { filename: 'Qwen3-0.6B-Q8_0.gguf', size: 639446688 },
      ],
    });
    expect(hubRequests('/api/models/unsloth/Qwen3-0.6B-GGUF').at(-1)?.query.get('blobs')).toBe('true');
    expect((await call('/api/models/Qwen/Qwen3-0.6B/gguf-files', { as: bob })).body).toEqual({ files: [] });
  });

  it('follows a renamed repository on the Hub, but no redirect elsewhere', async () => {
    expect((await call('/api/models/Qwen/Qwen3-0.6B-Old/gguf-files', { as: bob })).body).toEqual({
      files: [],
    });
    expectUpstream(await call('/api/models/Qwen/Qwen3-0.6B-Elsewhere/gguf-files', { as: bob }), 'status');
  });

  it('a private repository needs X-HF-Token; an unknown one is NOT_FOUND', async () => {
    const anonymous = await call('/api/models/acme-lab/private-gguf/gguf-files', { as: bob });
    expect(anonymous.status).toBe(404);
    expect(anonymous.body.error).toMatch(/X-HF-Token/);
    const withToken = await call('/api/models/acme-lab/private-gguf/gguf-files', {
      as: bob,
      headers: { 'X-HF-Token': hub.userToken },
    });
    expect(withToken.body).toEqual({ files: [{ filename: 'private-Q4_K_M.gguf', size: 4920734016 }] });
    const bad = await call('/api/models/acme-lab/private-gguf/gguf-files', {
      as: bob,
      headers: { 'X-HF-Token': 'hf_revokedtoken0000000000' },
    });
    expectFields(bad, '[x-hf-token]');
    expect((await call('/api/models/nobody/nothing/gguf-files', { as: bob })).status).toBe(404);
  });

  it.each([
    '/api/models/..%2F..%2Fapi%2Fwhoami-v2/gguf-files',
    '/api/models/Qwen%2F..%2F..%2Foauth%2Ftoken/gguf-files',
    '/api/models/a%2Fb%2Fc/gguf-files',
    '/api/models/-leading/x/gguf-files',
  ])('refuses the repository id of %s before asking the Hub', async (path) => {
    const before = hub.requests.length;
    expectFields(await call(path, { as: bob }), 'id');
    expect(hub.requests.length).toBe(before);
  });

  it.each([
    ['timeout', 'timeout'],
    ['status500', 'status'],
    ['malformed', 'malformed'],
  ] as const)('a Hub %s is UPSTREAM_UNAVAILABLE', async (failure, reason) => {
    hub.fail('/api/models/', failure);
    try {
      expectUpstream(await call('/api/models/unsloth/Qwen3-0.6B-GGUF/gguf-files', { as: bob }), reason);
    } finally {
      hub.clear();
    }
  });
});

describe('OAuth with PKCE', () => {
  async function startFlow(as: TestUser) {
    const res = await call('/api/oauth/huggingface/start', {
      method: 'POST',
      as,
      body: { redirectUri: REDIRECT },
    });
    expect(res.status).toBe(200);
    return HfOAuthStartResponseSchema.parse(res.body);
  }

  it('needs a Kubernetes token like every non-public route', async () => {
    expect((await call('/api/oauth/huggingface/config')).status).toBe(401);
  });

  it('GET /config names the client, the Hub’s authorize URL and the scopes', async () => {
    const res = await call('/api/oauth/huggingface/config', { as: bob });
    expect(HfOAuthConfigResponseSchema.parse(res.body)).toEqual({
      clientId: hub.clientId,
      authorizeUrl: `${hub.url}/oauth/authorize`,
      scopes: ['openid', 'profile', 'read-repos'],
    });
  });

  it('start → verifier (once, for its user) → token: the whole sign-in', async () => {
    const { authorizationUrl, state } = await startFlow(alice);
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${hub.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: hub.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid profile read-repos',
      state,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    // Opaque to HuggingFace: the user it belongs to is sealed inside.
    expect(state).toMatch(/^[A-Za-z0-9_-]{100,}$/);
    expect(authorizationUrl).not.toContain(alice.name);

    // Bob cannot take Alice's verifier, and trying does not spend it.
    expect((await call(`/api/oauth/huggingface/verifier/${state}`, { as: bob })).status).toBe(404);
    const got = await call(`/api/oauth/huggingface/verifier/${state}`, { as: alice });
    expect(got.status).toBe(200);
    expect(got.headers.get('cache-control')).toBe('no-store');
    const { codeVerifier, redirectUri } = HfOAuthVerifierResponseSchema.parse(got.body);
    expect(redirectUri).toBe(REDIRECT);
    expect(createHash('sha256').update(codeVerifier).digest('base64url')).toBe(
      url.searchParams.get('code_challenge'),
    );
    const again = await call(`/api/oauth/huggingface/verifier/${state}`, { as: alice });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('NOT_FOUND');

    const code = hub.authorize(authorizationUrl);
    const res = await call('/api/oauth/huggingface/token', {
      method: 'POST',
      as: alice,
      body: { code, codeVerifier, redirectUri },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(HfOAuthTokenResponseSchema.parse(res.body)).toEqual({
      accessToken: hub.issued.at(-1),
      tokenType: 'Bearer',
      expiresIn: 28800,
      scope: 'openid profile read-repos',
      user: {
        id: '6530bd58a0e2f6d3b1c47e11',
        name: 'alice-hf',
        fullname: 'Alice Example',
        email: 'alice@example.com',
        avatarUrl: `${hub.url}/avatars/0f1e2d3c4b5a69788796a5b4c3d2e1f0.svg`,
      },
    });
    expect(hub.requests.find((r) => r.path === '/oauth/token' && r.body.includes(code))?.body).toContain(
      `client_id=${hub.clientId}`,
    );

    // A code is good once.
    const reused = await call('/api/oauth/huggingface/token', {
      method: 'POST',
      as: alice,
      body: { code, codeVerifier, redirectUri },
    });
    expectFields(reused, 'code');
    expect(reused.body.error).toMatch(/Invalid or expired code/);
  });

  it('is finished by any replica sharing HF_OAUTH_STATE_SECRET, and by no other', async () => {
    const secret = 'a-secret-the-helm-chart-generates-0123456789';
    const [one, two, stranger] = await Promise.all([
      startApi(true, secret),
      startApi(true, secret),
      startApi(true),
    ]);
    const started = await call('/api/oauth/huggingface/start', {
      method: 'POST',
      as: alice,
      body: { redirectUri: REDIRECT },
      app: one,
    });
    expect(started.status).toBe(200);
    const { state, authorizationUrl } = HfOAuthStartResponseSchema.parse(started.body);
    const path = `/api/oauth/huggingface/verifier/${state}`;
    expect((await call(path, { as: alice, app: stranger })).status).toBe(404);
    const got = await call(path, { as: alice, app: two });
    expect(got.status).toBe(200);
    const { codeVerifier } = HfOAuthVerifierResponseSchema.parse(got.body);
    expect(createHash('sha256').update(codeVerifier).digest('base64url')).toBe(
      new URL(authorizationUrl).searchParams.get('code_challenge'),
    );
    expect((await call(path, { as: alice, app: two })).status).toBe(404);
  });

  it('rejects bad input with field paths', async () => {
    const start = (body: unknown) => call('/api/oauth/huggingface/start', { method: 'POST', as: bob, body });
    expectFields(await start({}), 'redirectUri');
    expectFields(await start({ redirectUri: 'javascript:alert(1)' }), 'redirectUri');
    expectFields(await start({ redirectUri: 'http://localhost:3000/cb#frag' }), 'redirectUri');
    expectFields(await call('/api/oauth/huggingface/verifier/short', { as: bob }), 'state');
    const token = (body: unknown) => call('/api/oauth/huggingface/token', { method: 'POST', as: bob, body });
    expectFields(await token({ codeVerifier: 'x'.repeat(43), redirectUri: REDIRECT }), 'code');
    expectFields(
      await token({ code: 'c', codeVerifier: 'too-short', redirectUri: REDIRECT }),
      'codeVerifier',
    );
    expectFields(
      await token({ code: 'c', codeVerifier: 'a b'.repeat(20), redirectUri: 'ftp://x' }),
      'codeVerifier',
      'redirectUri',
    );
  });

  it.each([
    ['timeout', 'timeout'],
    ['status500', 'status'],
    ['malformed', 'malformed'],
  ] as const)('a Hub %s during the exchange is UPSTREAM_UNAVAILABLE', async (failure, reason) => {
    const { authorizationUrl, state } = await startFlow(bob);
    const { codeVerifier } = (await call(`/api/oauth/huggingface/verifier/${state}`, { as: bob })).body;
    const code = hub.authorize(authorizationUrl);
    hub.fail('/oauth/token', failure);
    try {
      const res = await call('/api/oauth/huggingface/token', {
        method: 'POST',
        as: bob,
        body: { code, codeVerifier, redirectUri: REDIRECT },
      });
      expectUpstream(res, reason);
      expect(JSON.stringify(res.body)).not.toContain(codeVerifier);
    } finally {
      hub.clear();
    }
  });
});

describe('HuggingFace token Secrets', () => {
  const secretIn = (namespace: string) =>
    getJson<{ data: Record<string, string>; type: string; metadata: { labels: Record<string, string> } }>(
      cluster,
      ['get', 'secret', SECRET, '-n', namespace],
    );
  const exists = async (namespace: string) =>
    (await cluster.kubectl(['get', 'secret', SECRET, '-n', namespace])).code === 0;

  it('a token the Hub refuses, a malformed one or a Hub failure writes nothing', async () => {
    const save = (body: unknown) => call('/api/secrets/huggingface', { method: 'POST', as: admin, body });
    expectFields(await save({}), 'accessToken');
    expectFields(await save({ accessToken: 'Bearer something' }), 'accessToken');
    const refused = await save({ accessToken: 'hf_revokedtoken0000000000' });
    expectFields(refused, 'accessToken');
    expect(refused.body.details.fields[0].message).toMatch(/does not accept/);
    hub.fail('/api/whoami-v2', 'timeout');
    try {
      expectUpstream(await save({ accessToken: hub.userToken }), 'timeout');
    } finally {
      hub.clear();
    }
    expect(await exists(nsA)).toBe(false);
  });

  it('bob (view) may write nowhere: FORBIDDEN with each namespace’s answer', async () => {
    const res = await call('/api/secrets/huggingface', {
      method: 'POST',
      as: bob,
      body: { accessToken: hub.userToken },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(res.body.details.results).toHaveLength(4);
    expect(res.body.details.results.every((r: { success: boolean }) => !r.success)).toBe(true);
    expect((await call('/api/secrets/huggingface', { method: 'DELETE', as: bob })).status).toBe(403);
  });

  it('admin saves the token in every namespace that exists, and it reads back', async () => {
    const res = await call('/api/secrets/huggingface', {
      method: 'POST',
      as: admin,
      body: { accessToken: hub.userToken },
    });
    expect(res.status).toBe(200);
    expect(SaveHfSecretResponseSchema.parse(res.body)).toEqual({
      success: true,
      message: 'HuggingFace token saved successfully',
      user: { id: '6530bd58a0e2f6d3b1c47e11', name: 'alice-hf', fullname: 'Alice Example' },
      results: [
        { namespace: nsA, success: true },
        { namespace: nsB, success: true },
        { namespace: TEAM, success: true },
        {
          namespace: nsMissing,
          success: false,
          reason: 'NotFound',
          error: `namespace "${nsMissing}" does not exist`,
        },
      ],
    });
    const secret = await secretIn(nsA);
    expect(Buffer.from(secret.data.HF_TOKEN ?? '', 'base64').toString()).toBe(hub.userToken);
    expect(secret.type).toBe('Opaque');
    expect(secret.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'airunway',
      'airunway.ai/secret-type': 'huggingface-token',
    });
    expect(await exists(nsMissing)).toBe(false);

    const status = await call('/api/secrets/huggingface/status', { as: admin });
    expect(HfSecretStatusResponseSchema.parse(status.body)).toEqual({
      configured: true,
      namespaces: [
        { name: nsA, exists: true },
        { name: nsB, exists: true },
        { name: TEAM, exists: true },
        { name: nsMissing, exists: false },
      ],
      user: { id: '6530bd58a0e2f6d3b1c47e11', name: 'alice-hf', fullname: 'Alice Example' },
      permissions: { save: { allowed: true }, remove: { allowed: true } },
    });
  });

  it('bob’s status says which reads RBAC refused, and shows no user', async () => {
    const res = await call('/api/secrets/huggingface/status', { as: bob });
    const body = HfSecretStatusResponseSchema.parse(res.body);
    expect(body.configured).toBe(false);
    expect(body.user).toBeUndefined();
    for (const ns of body.namespaces) {
      expect(ns.exists).toBe(false);
      expect(ns.error).toMatch(/forbidden/i);
    }
    // Saving and removing would be refused everywhere: the status says so before he tries.
    const refusals = (verb: string) =>
      [nsA, nsB, TEAM, nsMissing]
        .map((ns) => `User "bob" cannot ${verb} secrets "${SECRET}" in namespace ${ns}`)
        .join('; ');
    expect(body.permissions).toEqual({
      save: { allowed: false, reason: refusals('patch') },
      remove: { allowed: false, reason: refusals('delete') },
    });
  });

  it('alice (edit in team-a) sees and writes team-a only; the answer says so per namespace', async () => {
    const status = HfSecretStatusResponseSchema.parse(
      (await call('/api/secrets/huggingface/status', { as: alice })).body,
    );
    expect(status.namespaces.find((n) => n.name === TEAM)).toEqual({ name: TEAM, exists: true });
    expect(status.namespaces.find((n) => n.name === nsA)?.error).toMatch(/forbidden/i);
    expect(status.user?.name).toBe('alice-hf');
    // Writable in one namespace is enough for the route to succeed.
    expect(status.permissions).toEqual({ save: { allowed: true }, remove: { allowed: true } });

    const res = await call('/api/secrets/huggingface', {
      method: 'POST',
      as: alice,
      body: { accessToken: hub.otherToken },
    });
    expect(res.status).toBe(200);
    const body = SaveHfSecretResponseSchema.parse(res.body);
    expect(body.success).toBe(false);
    expect(body.message).toBe('HuggingFace token saved in 1 of 4 namespaces');
    expect(body.results.map((r) => [r.namespace, r.success, r.reason])).toEqual([
      [nsA, false, 'Forbidden'],
      [nsB, false, 'Forbidden'],
      [TEAM, true, undefined],
      [nsMissing, false, 'Forbidden'],
    ]);
    expect(Buffer.from((await secretIn(TEAM)).data.HF_TOKEN ?? '', 'base64').toString()).toBe(hub.otherToken);
    expect(Buffer.from((await secretIn(nsA)).data.HF_TOKEN ?? '', 'base64').toString()).toBe(hub.userToken);
  });

  it('status still lists the namespaces when the Hub cannot say whose the token is', async () => {
    // Only team-a's Secret is readable by alice, and its token has not been looked up yet.
    await cluster.kubectlOk(['delete', 'secret', SECRET, '-n', TEAM]);
    await cluster.kubectlOk([
      'create',
      'secret',
      'generic',
      SECRET,
      '-n',
      TEAM,
      `--from-literal=HF_TOKEN=${hub.spareToken}`,
    ]);
    hub.fail('/api/whoami-v2', 'status500');
    try {
      const body = HfSecretStatusResponseSchema.parse(
        (await call('/api/secrets/huggingface/status', { as: alice })).body,
      );
      expect(body.configured).toBe(true);
      expect(body.user).toBeUndefined();
      expect(body.userError).toMatch(/HTTP 500/);
    } finally {
      hub.clear();
    }
  });

  it('DELETE removes what the caller may remove; a missing Secret or namespace counts as removed', async () => {
    const mine = await call('/api/secrets/huggingface', { method: 'DELETE', as: alice });
    expect(mine.status).toBe(200);
    expect(DeleteHfSecretResponseSchema.parse(mine.body)).toMatchObject({
      success: false,
      message: 'HuggingFace secrets deleted in 1 of 4 namespaces',
    });
    expect(await exists(TEAM)).toBe(false);
    expect(await exists(nsA)).toBe(true);

    const all = await call('/api/secrets/huggingface', { method: 'DELETE', as: admin });
    expect(DeleteHfSecretResponseSchema.parse(all.body)).toEqual({
      success: true,
      message: 'HuggingFace secrets deleted successfully',
      results: [nsA, nsB, TEAM, nsMissing].map((namespace) => ({ namespace, success: true })),
    });
    expect(await exists(nsA)).toBe(false);
    expect(await exists(nsB)).toBe(false);
    const status = HfSecretStatusResponseSchema.parse(
      (await call('/api/secrets/huggingface/status', { as: admin })).body,
    );
    expect(status).toMatchObject({ configured: false });
    expect(status.user).toBeUndefined();
  });
});

describe('authentication off', () => {
  it('takes an hf_ bearer token as the HuggingFace token, and never another credential', async () => {
    const local = await startApi(false);
    const res = await call('/api/models/search?q=qwen3-0.6b', {
      app: local,
      headers: { Authorization: `Bearer ${hub.otherToken}` },
    });
    expect(res.status).toBe(200);
    expect(hubRequests('/api/models').at(-1)?.authorization).toBe(`Bearer ${hub.otherToken}`);

    await call('/api/models/search?q=qwen3-8b-x', {
      app: local,
      headers: { Authorization: `Bearer ${admin.token}` },
    });
    expect(hubRequests('/api/models').at(-1)?.authorization).toBeUndefined();
  });
});

describe('secrets stay secret', () => {
  it('no HuggingFace token, verifier or Kubernetes token is in a log line or an undocumented field', () => {
    const kube = [admin.token, alice.token, bob.token];
    const hf = [hub.userToken, hub.otherToken, hub.spareToken, ...hub.issued];
    expect(logs.length).toBeGreaterThan(0);
    const logText = logs.join('\n');
    for (const secret of [...kube, ...hf]) expect(logText).not.toContain(secret);

    // The token exchange may answer with the token (accessToken), the verifier route with the
    // verifier (codeVerifier); nothing else may carry either.
    const verifiers: string[] = [];
    for (const { path, text } of exchanges) {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (path.startsWith('/api/oauth/huggingface/verifier/') && typeof body.codeVerifier === 'string')
        verifiers.push(body.codeVerifier);
    }
    expect(verifiers.length).toBeGreaterThan(0);
    for (const { path, text } of exchanges) {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (path === '/api/oauth/huggingface/token') delete body.accessToken;
      if (path.startsWith('/api/oauth/huggingface/verifier/')) delete body.codeVerifier;
      const rest = JSON.stringify(body);
      for (const secret of [...kube, ...hf, ...verifiers]) expect(rest, path).not.toContain(secret);
    }
    for (const secret of verifiers) expect(logText).not.toContain(secret);
    // The Hub never saw a Kubernetes token.
    for (const r of hub.requests)
      for (const secret of kube) expect(r.authorization ?? '').not.toContain(secret);
  });
});
