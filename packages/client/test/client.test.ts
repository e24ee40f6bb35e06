// The client against a running API: the API's own process (dist/main.js) on 127.0.0.1 with
// authentication on, over a real control plane. Queries, mutations, errors and the live
// subscription travel as they would from any other program.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiErrorOf, createAirunwayClient, type RouterOutputs } from '../src/index.js';

const cluster = testCluster();
const { admin, viewer: bob } = cluster.users;
const ns = uniqueNamespace('client');
let api: ChildProcess;
let url: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

beforeAll(async () => {
  await cluster.createNamespace(ns);
  // ModelDeployments in the built-in view role, as the product's chart makes them.
  await cluster.apply([
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'airunway-test-client-view',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
      },
      rules: [
        { apiGroups: ['airunway.ai'], resources: ['modeldeployments'], verbs: ['get', 'list', 'watch'] },
      ],
    },
  ]);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const main = join(
    dirname(createRequire(import.meta.url).resolve('@airunway/api/package.json')),
    'dist',
    'main.js',
  );
  api = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      KUBECONFIG: cluster.kubeconfigPath,
      AUTH_ENABLED: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      DEFAULT_NAMESPACE: ns,
      AIRUNWAY_NAMESPACE: ns,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await vi.waitFor(
    async () => {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    },
    { timeout: 30_000, interval: 200 },
  );
});

afterAll(async () => {
  if (api.exitCode === null) {
    const exited = new Promise((resolve) => api.once('exit', resolve));
    api.kill('SIGTERM');
    await exited;
  }
  await cluster.kubectl(['delete', 'namespace', ns, '--wait=false']);
  await cluster.kubectl(['delete', 'clusterrole', 'airunway-test-client-view', '--ignore-not-found']);
});

describe('createAirunwayClient', () => {
  it('public procedures need no token; the others say UNAUTHORIZED without one', async () => {
    const anonymous = createAirunwayClient(url);
    expect(await anonymous.health.status.query()).toMatchObject({ status: 'healthy' });
    const err = await anonymous.deployments.list.query({}).catch((e: unknown) => e);
    expect(apiErrorOf(err)).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it("creates, reads and lists deployments with the caller's token, typed by the router", async () => {
    const client = createAirunwayClient(`${url}/`, admin.token);
    const created = await client.deployments.create.mutate({
      name: 'from-client',
      namespace: ns,
      modelId: 'Qwen/Qwen3-0.6B',
      provider: 'vllm',
      replicas: 2,
    });
    expect(created).toMatchObject({ name: 'from-client', namespace: ns, provider: 'vllm' });
    const detail: RouterOutputs['deployments']['get'] = await client.deployments.get.query({
      name: 'from-client',
      namespace: ns,
    });
    expect(detail).toMatchObject({
      modelId: 'Qwen/Qwen3-0.6B',
      replicas: { desired: 2 },
      spec: { scaling: { replicas: 2 } },
    });
    const [list, models] = await Promise.all([
      client.deployments.list.query({ namespace: ns }),
      client.models.list.query(),
    ]);
    expect(list.deployments.map((d) => d.name)).toEqual(['from-client']);
    expect(models.models.length).toBeGreaterThan(0);
    const dry = await client.deployments.dryRun.mutate({
      name: 'dry',
      namespace: ns,
      modelId: 'Qwen/Qwen3-0.6B',
    });
    expect(dry.fit.status).toBe('fits');
  });

  it("errors carry the API's code and field paths; RBAC refusals are FORBIDDEN", async () => {
    const client = createAirunwayClient(url, admin.token);
    const invalid = await client.deployments.create
      .mutate({ name: 'Bad Name', modelId: '' })
      .catch((e: unknown) => e);
    expect(apiErrorOf(invalid)?.code).toBe('VALIDATION_ERROR');
    expect((apiErrorOf(invalid)?.details.fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'modelId',
      'name',
    ]);
    const asBob = createAirunwayClient(url, bob.token);
    const refused = await asBob.deployments.create
      .mutate({ name: 'bobs', namespace: ns, modelId: 'Qwen/Qwen3-0.6B', provider: 'vllm' })
      .catch((e: unknown) => e);
    expect(apiErrorOf(refused)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('subscribes to deployment changes: a snapshot, then each change', async () => {
    const client = createAirunwayClient(url, admin.token);
    const seen: RouterOutputs['deployments']['list']['deployments'][number][][] = [];
    const names: string[] = [];
    const subscription = client.deployments.changes.subscribe(
      { namespace: ns },
      {
        onData: (change) => {
          if (change.type === 'snapshot') seen.push(change.deployments);
          if (change.type === 'upsert') names.push(change.deployment.name);
        },
      },
    );
    try {
      await vi.waitFor(
        () => {
          expect(seen[0]?.map((d) => d.name)).toContain('from-client');
        },
        { timeout: 10_000 },
      );
      await client.deployments.update.mutate({
        name: 'from-client',
        namespace: ns,
        changes: { replicas: 3 },
      });
      await vi.waitFor(
        () => {
          expect(names).toContain('from-client');
        },
        { timeout: 10_000 },
      );
    } finally {
      subscription.unsubscribe();
    }
  });
});
