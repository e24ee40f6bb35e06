// AI Configurator routes with the real `aiconfigurator` CLI from PyPI, installed by
// scripts/install-aiconfigurator.sh (a no-op when installed; 1–3 min the first time): status
// and its 5-minute cache, analyses aggregated and disaggregated, the default configuration
// with the reason when the CLI is absent, fails, times out, or the API runs in a pod.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AiConfiguratorStatusSchema, AnalyzeResponseSchema, ApiErrorBodySchema } from '@airunway/schema';
import { testCluster } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiConfiguratorService } from '../src/services/aiconfigurator.js';
import { startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
const { viewer: bob } = cluster.users;
const INSTALL = new URL('../scripts/install-aiconfigurator.sh', import.meta.url).pathname;
const MINUTES = 60_000;

let cli: string;
let work: string;
let api: TestApi;
let absent: TestApi;
let inPod: TestApi;
let secured: TestApi;

const analyze = (app: TestApi, body: unknown) =>
  app.request('/api/aiconfigurator/analyze', { method: 'POST', body });

beforeAll(async () => {
  const { stdout } = await promisify(execFile)('bash', [INSTALL], { timeout: 10 * MINUTES });
  cli = stdout.trim().split('\n').pop() ?? '';
  work = await mkdtemp(join(tmpdir(), 'aic-test-'));
  api = await startTestApi(cluster, { integrations: { aiconfigurator: { commands: [cli] } } });
  absent = await startTestApi(cluster, {
    integrations: { aiconfigurator: { commands: [join(work, 'no-such-aiconfigurator')] } },
  });
  inPod = await startTestApi(cluster, {
    inCluster: true,
    integrations: { aiconfigurator: { commands: [cli] } },
  });
  secured = await startTestApi(cluster, {
    authEnabled: true,
    integrations: { aiconfigurator: { commands: [cli] } },
  });
}, 12 * MINUTES);

afterAll(async () => {
  await Promise.all([api.stop(), absent.stop(), inPod.stop(), secured.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('GET /aiconfigurator/status', () => {
  it('available, with the version the CLI reports', async () => {
    const { status, body } = await api.request('/api/aiconfigurator/status');
    expect(status).toBe(200);
    expect(AiConfiguratorStatusSchema.parse(body)).toEqual({ available: true, version: '0.12.0' });
  });

  it('asks the CLI once per 5 minutes', async () => {
    // The real CLI behind a wrapper that counts how often it is started.
    const count = join(work, 'count');
    const wrapper = join(work, 'aiconfigurator-counted');
    await writeFile(wrapper, `#!/bin/sh\necho run >> '${count}'\nexec '${cli}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const service = new AiConfiguratorService({ commands: [wrapper], disabled: false, inCluster: false });
    for (let i = 0; i < 3; i++) expect(await service.status()).toMatchObject({ available: true });
    expect((await readFile(count, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('without the CLI: not available, and why', async () => {
    expect((await absent.request('/api/aiconfigurator/status')).body).toEqual({
      available: false,
      error: 'AI Configurator CLI not found',
    });
  });

  it('in a pod: not available, runningInCluster', async () => {
    expect((await inPod.request('/api/aiconfigurator/status')).body).toEqual({
      available: false,
      runningInCluster: true,
      error: 'AI Configurator is only available when running AI Runway locally',
    });
  });

  it('switched off by AIRUNWAY_DISABLE_AICONFIGURATOR', async () => {
    const service = new AiConfiguratorService({ commands: [cli], disabled: true, inCluster: false });
    expect(await service.status()).toEqual({
      available: false,
      error: 'AI Configurator is disabled (AIRUNWAY_DISABLE_AICONFIGURATOR)',
    });
  });
});

describe('POST /aiconfigurator/analyze with the CLI', () => {
  const model = { modelId: 'Qwen/Qwen3-0.6B', gpuType: 'H100-80GB', gpuCount: 2 };

  it(
    'throughput on 2 × H100: the best configuration, with its modelled performance',
    async () => {
      const { status, body } = await analyze(api, model);
      expect(status).toBe(200);
      const result = AnalyzeResponseSchema.parse(body);
      expect(result).toMatchObject({
        success: true,
        mode: 'aggregated',
        backend: 'vllm',
        system: 'h100_sxm',
        config: { pipelineParallelDegree: 1, gpuMemoryUtilization: 0.9, maxModelLen: 5000 },
      });
      expect(result.supportedBackends).toEqual(expect.arrayContaining(['vllm', 'sglang', 'trtllm']));
      expect(result.replicas * result.config.tensorParallelDegree).toBeLessThanOrEqual(2);
      expect(result.config.maxBatchSize).toBeGreaterThan(0);
      expect(result.estimatedPerformance?.throughputTokensPerSec).toBeGreaterThan(0);
      expect(result.estimatedPerformance?.latencyP50Ms).toBeGreaterThan(0);
      expect(result.warnings[0]).toMatch(
        /^Modelled by AI Configurator \(vllm [\d.]+ performance data for h100_sxm\)/,
      );
      expect(result.error).toBeUndefined();
    },
    3 * MINUTES,
  );

  it(
    'latency: prefill and decode disaggregated, sooner first token',
    async () => {
      const throughput = AnalyzeResponseSchema.parse((await analyze(api, model)).body);
      const { body } = await analyze(api, { ...model, optimizeFor: 'latency' });
      const latency = AnalyzeResponseSchema.parse(body);
      expect(latency).toMatchObject({ success: true, mode: 'disaggregated' });
      expect(latency.config).toMatchObject({
        prefillTensorParallel: expect.any(Number),
        decodeTensorParallel: expect.any(Number),
        prefillReplicas: expect.any(Number),
        decodeReplicas: expect.any(Number),
      });
      expect(latency.estimatedPerformance!.latencyP50Ms).toBeLessThan(
        throughput.estimatedPerformance!.latencyP50Ms,
      );
    },
    3 * MINUTES,
  );

  it(
    'maxLatencyMs leaves out slower configurations',
    async () => {
      const { body } = await analyze(api, { ...model, maxLatencyMs: 60 });
      const result = AnalyzeResponseSchema.parse(body);
      expect(result.success).toBe(true);
      expect(result.estimatedPerformance!.latencyP50Ms).toBeLessThanOrEqual(60);
    },
    3 * MINUTES,
  );

  it(
    'one GPU: aggregated only, and it says so',
    async () => {
      const result = AnalyzeResponseSchema.parse((await analyze(api, { ...model, gpuCount: 1 })).body);
      expect(result).toMatchObject({ success: true, mode: 'aggregated', replicas: 1 });
      expect(result.warnings).toContain(
        'Disaggregated serving needs at least 2 GPUs: only aggregated was analyzed',
      );
    },
    3 * MINUTES,
  );

  it(
    'a node label as the GPU type (A100 SXM4 → a100_sxm)',
    async () => {
      const { body } = await analyze(api, { ...model, gpuType: 'NVIDIA-A100-SXM4-80GB' });
      expect(body).toMatchObject({ success: true, system: 'a100_sxm' });
    },
    3 * MINUTES,
  );

  it('a GPU AI Configurator has no system for: the default configuration and why', async () => {
    const { status, body } = await analyze(api, { ...model, gpuType: 'T4' });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: false,
      config: { tensorParallelDegree: 2, maxBatchSize: 256, gpuMemoryUtilization: 0.9, maxModelLen: 4096 },
      mode: 'aggregated',
      replicas: 1,
    });
    expect(body.error).toMatch(/^AI Configurator has no system for GPU type "T4"/);
  });

  it(
    'a model the CLI cannot load: the CLI’s own complaint',
    async () => {
      const { body } = await analyze(api, { ...model, modelId: 'airunway-test/no-such-model' });
      expect(body).toMatchObject({ success: false, mode: 'aggregated' });
      expect(body.error).toMatch(/airunway-test\/no-such-model.*not a valid HuggingFace model path/);
    },
    3 * MINUTES,
  );

  it(
    'a CLI that does not finish in time: the default configuration, not a hung request',
    async () => {
      const service = new AiConfiguratorService({
        commands: [cli],
        disabled: false,
        inCluster: false,
        timeoutMs: 50,
      });
      await service.status();
      const result = await service.analyze({ ...model, optimizeFor: 'throughput' });
      expect(result).toMatchObject({ success: false, error: 'aiconfigurator did not finish within 0.05 s' });
    },
    MINUTES,
  );
});

describe('POST /aiconfigurator/analyze without the CLI', () => {
  it('answers the documented default configuration', async () => {
    const { status, body } = await analyze(absent, {
      ...{ modelId: 'Qwen/Qwen3-0.6B', gpuType: 'H100-80GB', gpuCount: 2 },
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      success: false,
      config: { tensorParallelDegree: 2, maxBatchSize: 256, gpuMemoryUtilization: 0.9, maxModelLen: 4096 },
      mode: 'aggregated',
      replicas: 1,
      error: 'AI Configurator CLI not found',
      warnings: ['AI Configurator not available, using default configuration'],
    });
  });

  it('in a pod, with that reason', async () => {
    const { body } = await analyze(inPod, { modelId: 'Qwen/Qwen3-0.6B', gpuType: 'H100', gpuCount: 16 });
    expect(body).toMatchObject({
      success: false,
      config: { tensorParallelDegree: 8 },
      error: 'AI Configurator is only available when running AI Runway locally',
    });
  });
});

describe('validation and auth', () => {
  it('bad fields → 400 with each path', async () => {
    const { status, body } = await analyze(absent, {
      modelId: '../etc/passwd',
      gpuType: '',
      gpuCount: 0,
      optimizeFor: 'fast',
      maxLatencyMs: -1,
    });
    expect(status).toBe(400);
    const paths = (ApiErrorBodySchema.parse(body).details.fields as { path: string }[]).map((f) => f.path);
    expect([...new Set(paths)].sort()).toEqual([
      'gpuCount',
      'gpuType',
      'maxLatencyMs',
      'modelId',
      'optimizeFor',
    ]);
  });

  it('POST /aiconfigurator/normalize-gpu', async () => {
    expect(
      (
        await absent.request('/api/aiconfigurator/normalize-gpu', {
          method: 'POST',
          body: { gpuProduct: 'nvidia-a100-sxm4-80gb' },
        })
      ).body,
    ).toEqual({ gpuProduct: 'nvidia-a100-sxm4-80gb', normalized: 'A100-80GB' });
    expect(
      (
        await absent.request('/api/aiconfigurator/normalize-gpu', {
          method: 'POST',
          body: { gpuProduct: 'Tesla-V100-SXM2-16GB' },
        })
      ).body,
    ).toEqual({ gpuProduct: 'Tesla-V100-SXM2-16GB', normalized: 'V100-16GB' });
    const missing = await absent.request('/api/aiconfigurator/normalize-gpu', { method: 'POST', body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.details.fields[0].path).toBe('gpuProduct');
  });

  it('needs a valid token when authentication is on', async () => {
    expect((await secured.request('/api/aiconfigurator/status')).status).toBe(401);
    expect((await secured.request('/api/aiconfigurator/status', { token: bob })).body).toMatchObject({
      available: true,
    });
  });
});
