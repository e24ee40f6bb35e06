// The routes every client starts with, against a real control plane, auth off: health, version,
// probes, metrics, cluster status and nodes, the model catalog, and the error format.
import {
  ApiErrorBodySchema,
  CatalogModelSchema,
  ClusterNodesResponseSchema,
  ClusterStatusResponseSchema,
  HealthResponseSchema,
  ModelsResponseSchema,
  VersionResponseSchema,
} from '@airunway/schema';
import { testCluster } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi(cluster);
});

afterAll(async () => {
  await api.stop();
});

describe('health', () => {
  it('GET /api/health answers healthy with a timestamp', async () => {
    const { status, body } = await api.request('/api/health');
    expect(status).toBe(200);
    expect(HealthResponseSchema.parse(body).status).toBe('healthy');
  });

  it('GET /api/health/version answers the build', async () => {
    const { status, body } = await api.request('/api/health/version');
    expect(status).toBe(200);
    expect(VersionResponseSchema.parse(body)).toEqual({
      version: 'v0.1.0-test',
      buildTime: '2026-01-01T00:00:00Z',
      gitCommit: 'abc1234',
    });
  });

  it('/healthz and /readyz answer ok once the caches have synced', async () => {
    expect((await api.request('/healthz')).status).toBe(200);
    const ready = await api.request('/readyz?verbose');
    expect(ready.status).toBe(200);
    expect(ready.body).toContain('[+]informers-synced ok');
  });

  it('/metrics exposes request, informer and process metrics', async () => {
    await api.request('/api/health');
    const { status, body, headers } = await api.request('/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/plain');
    expect(body).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
    expect(body).toMatch(/kube_informer_synced\{informer="nodes"\} 1/);
    expect(body).toContain('process_cpu_seconds_total');
  });
});

describe('errors', () => {
  it('an unknown /api route is a JSON 404', async () => {
    const { status, body } = await api.request('/api/nothing/here');
    expect(status).toBe(404);
    expect(ApiErrorBodySchema.parse(body)).toEqual({
      error: 'No route for GET /api/nothing/here',
      code: 'NOT_FOUND',
      details: { path: '/api/nothing/here' },
    });
  });

  it('unknown paths share one metrics label', async () => {
    await api.request('/api/x1');
    await api.request('/api/x2');
    const { body } = await api.request('/metrics');
    expect(body).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} [2-9]/);
    expect(body).not.toContain('/api/x1');
  });
});

describe('cluster', () => {
  it('GET /api/cluster/status: connected, the default namespace, the default provider', async () => {
    const { status, body } = await api.request('/api/cluster/status');
    expect(status).toBe(200);
    // The test cluster has Dynamo's CRD but no Dynamo operator: a GPU deployment gets Direct vLLM.
    expect(ClusterStatusResponseSchema.parse(body)).toEqual({
      connected: true,
      namespace: 'airunway-system',
      providerId: 'vllm',
      providerInstalled: true,
    });
  });

  it('GET /api/cluster/nodes lists every node with its GPUs', async () => {
    const { status, body } = await api.request('/api/cluster/nodes');
    expect(status).toBe(200);
    const { nodes } = ClusterNodesResponseSchema.parse(body);
    const byName = Object.fromEntries(nodes.map((n) => [n.name, n]));
    expect(byName['gpu-h100-0']).toEqual({
      name: 'gpu-h100-0',
      ready: true,
      gpuCount: 8,
      schedulable: true,
      pool: 'h100',
      gpuModel: 'NVIDIA-H100-80GB-HBM3',
    });
    expect(byName['gpu-a100-0']).toMatchObject({ ready: true, gpuCount: 4, pool: 'a100' });
    expect(byName['cpu-0']).toEqual({
      name: 'cpu-0',
      ready: true,
      gpuCount: 0,
      schedulable: true,
      pool: 'system',
    });
  });
});

describe('models', () => {
  it('GET /api/models: the curated catalog with every documented field', async () => {
    const { status, body } = await api.request('/api/models');
    expect(status).toBe(200);
    const { models } = ModelsResponseSchema.parse(body);
    expect(models.length).toBeGreaterThanOrEqual(15);
    for (const m of models) {
      expect(Object.keys(m).sort()).toEqual(
        [
          'contextLength',
          'description',
          'estimatedGpuMemory',
          'estimatedGpuMemoryGb',
          'fromHfSearch',
          'gated',
          'id',
          'minGpuMemory',
          'minGpus',
          'name',
          'parameterCount',
          'size',
          'supportedEngines',
          'task',
        ].sort(),
      );
    }
    expect(models[0]).toEqual({
      id: 'Qwen/Qwen3-0.6B',
      name: 'Qwen3 0.6B',
      description: 'Small, efficient model ideal for development',
      size: '0.6B',
      task: 'text-generation',
      contextLength: 32768,
      supportedEngines: ['vllm', 'sglang', 'trtllm'],
      minGpuMemory: '4GB',
      minGpus: 1,
      gated: false,
      estimatedGpuMemory: '1.8GB',
      estimatedGpuMemoryGb: 1.8,
      parameterCount: 751632384,
      fromHfSearch: false,
    });
    expect(new Set(models.map((m) => m.id)).size).toBe(models.length);
  });

  it('GET /api/models/:id finds an id with a slash, case-insensitively', async () => {
    const { status, body } = await api.request('/api/models/meta-llama/Llama-3.1-8B-Instruct');
    expect(status).toBe(200);
    expect(CatalogModelSchema.parse(body)).toMatchObject({
      id: 'meta-llama/Llama-3.1-8B-Instruct',
      gated: true,
      estimatedGpuMemoryGb: 19.3,
    });
    expect((await api.request('/api/models/qwen/qwen3-0.6b')).body.id).toBe('Qwen/Qwen3-0.6B');
  });

  it('GET /api/models/:id of an unknown model is NOT_FOUND', async () => {
    const { status, body } = await api.request('/api/models/acme/not-a-model');
    expect(status).toBe(404);
    expect(body).toEqual({
      error: 'Model "acme/not-a-model" is not in the catalog',
      code: 'NOT_FOUND',
      details: { id: 'acme/not-a-model' },
    });
  });

  it('GET /api/models/:id with a malformed id is a VALIDATION_ERROR naming the field', async () => {
    const { status, body } = await api.request('/api/models/a/b/c');
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(body.details.fields).toEqual([
      { path: 'id', message: 'must be a HuggingFace model id such as Qwen/Qwen3-0.6B' },
    ]);
    const dots = await api.request('/api/models/org/na..me');
    expect(dots.status).toBe(400);
    expect(dots.body.details.fields).toEqual([{ path: 'id', message: 'must not contain ".."' }]);
  });
});
