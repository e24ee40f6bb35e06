// Cost routes against a stand-in of the Azure Retail Prices API on 127.0.0.1 (real response
// shape, several pages per lookup, several GPU sizes and regions) and node pools of kwok nodes
// in the real control plane: prices per node and per GPU, the hour-long cache, the static
// fallback saying why, upstream timeouts, 5xx and nonsense as clear errors, bad input as 400
// with field paths, and `list nodes` for pool prices when authentication is on.
import {
  ApiErrorBodySchema,
  CostEstimateResponseSchema,
  GpuModelsResponseSchema,
  InstancePriceResponseSchema,
  NodePoolCostsResponseSchema,
  NormalizeGpuResponseSchema,
  type NodePoolCost,
} from '@airunway/schema';
import type { NodeSpec } from '@airunway/testenv';
import { startAzurePricesFixture, type AzurePricesFixture } from '@airunway/testenv/azure-prices';
import { testCluster } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
const { admin, editor: alice, viewer: bob } = cluster.users;

let prices: AzurePricesFixture;
/** Prices kept an hour, as in production. */
let api: TestApi;
/** Nothing kept: every request reaches the fixture (failure tests). */
let uncached: TestApi;
let secured: TestApi;

const NODES: NodeSpec[] = [
  {
    kind: 'gpu',
    name: 'costs-a100-eu-0',
    gpu: 'A100-80GB',
    gpuCount: 1,
    pool: 'costs-a100-eu',
    instanceType: 'Standard_NC24ads_A100_v4',
    region: 'westeurope',
  },
  {
    kind: 'gpu',
    name: 'costs-a100-eu-1',
    gpu: 'A100-80GB',
    gpuCount: 1,
    pool: 'costs-a100-eu',
    instanceType: 'Standard_NC24ads_A100_v4',
    region: 'westeurope',
  },
  {
    kind: 'gpu',
    name: 'costs-p4d-0',
    gpu: 'A100-40GB',
    gpuCount: 8,
    pool: 'costs-p4d',
    instanceType: 'p4d.24xlarge',
    region: 'us-east-1',
  },
  { kind: 'gpu', name: 'costs-bare-0', gpu: 'T4-16GB', gpuCount: 1, pool: 'costs-bare' },
];

beforeAll(async () => {
  prices = await startAzurePricesFixture();
  await cluster.addNodes(NODES);
  const pricing = { baseUrl: prices.url, timeoutMs: 400, retries: 1, retryDelayMs: 20 };
  api = await startTestApi(cluster, { integrations: { pricing } });
  uncached = await startTestApi(cluster, { integrations: { pricing: { ...pricing, ttlMs: 0 } } });
  secured = await startTestApi(cluster, { authEnabled: true, integrations: { pricing } });
});

afterAll(async () => {
  await Promise.all([api.stop(), uncached.stop(), secured.stop()]);
  await prices.close();
  await cluster.kubectl(['delete', 'node', ...NODES.map((n) => n.name), '--wait=false']);
});

beforeEach(() => {
  prices.clear();
});

const fieldPaths = (body: unknown) => [
  ...new Set((ApiErrorBodySchema.parse(body).details.fields as { path: string }[]).map((f) => f.path).sort()),
];

describe('POST /costs/estimate', () => {
  it('names and counts the GPUs; no price is made up (static, low confidence, zeros)', async () => {
    const { status, body } = await api.request('/api/costs/estimate', {
      method: 'POST',
      body: { gpuType: 'NVIDIA-A100-SXM4-80GB', gpuCount: 2, replicas: 3 },
    });
    expect(status).toBe(200);
    const { breakdown } = CostEstimateResponseSchema.parse(body);
    expect(breakdown).toMatchObject({
      totalGpus: 6,
      gpuModel: 'NVIDIA-A100-SXM4-80GB',
      normalizedGpuModel: 'A100-80GB',
      perGpu: { hourly: 0, monthly: 0 },
      estimate: { hourly: 0, monthly: 0, currency: 'USD', source: 'static', confidence: 'low' },
    });
    expect(breakdown.notes).toContain(
      'Use real-time pricing via /costs/node-pools for accurate cloud pricing',
    );
  });

  it('invalid fields → 400 with each path', async () => {
    const { status, body } = await api.request('/api/costs/estimate', {
      method: 'POST',
      body: { gpuType: '', gpuCount: 0, replicas: 'two', hoursPerMonth: 800 },
    });
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(fieldPaths(body)).toEqual(['gpuCount', 'gpuType', 'hoursPerMonth', 'replicas']);
  });

  it('a missing body and unknown fields are refused too', async () => {
    expect((await api.request('/api/costs/estimate', { method: 'POST', body: {} })).status).toBe(400);
    const extra = await api.request('/api/costs/estimate', {
      method: 'POST',
      body: { gpuType: 'T4', gpuCount: 1, replicas: 1, discount: 50 },
    });
    expect(extra.status).toBe(400);
  });
});

describe('GET /costs/gpu-models and /costs/normalize-gpu', () => {
  it('lists the GPU catalogue with memory and generation', async () => {
    const { status, body } = await api.request('/api/costs/gpu-models');
    expect(status).toBe(200);
    const parsed = GpuModelsResponseSchema.parse(body);
    expect(parsed.models).toEqual(
      expect.arrayContaining([
        { model: 'A100-80GB', memoryGb: 80, generation: 'Ampere' },
        { model: 'H100-80GB', memoryGb: 80, generation: 'Hopper' },
        { model: 'T4', memoryGb: 16, generation: 'Turing' },
      ]),
    );
    expect(parsed.note).toMatch(/\/costs\/node-pools/);
  });

  it.each([
    ['NVIDIA-A100-SXM4-80GB', 'A100-80GB', 80, 'Ampere'],
    ['Tesla-V100-PCIE-32GB', 'V100-32GB', 32, 'Volta'],
    ['NVIDIA-H100-80GB-HBM3', 'H100-80GB', 80, 'Hopper'],
    ['Tesla-T4', 'T4', 16, 'Turing'],
  ])('%s → %s', async (label, model, memoryGb, generation) => {
    const { status, body } = await api.request(`/api/costs/normalize-gpu?label=${encodeURIComponent(label)}`);
    expect(status).toBe(200);
    expect(NormalizeGpuResponseSchema.parse(body)).toEqual({
      success: true,
      originalLabel: label,
      normalizedModel: model,
      gpuInfo: { memoryGb, generation },
    });
  });

  it('an unknown GPU has no specifications; a missing label is a 400', async () => {
    const unknown = await api.request('/api/costs/normalize-gpu?label=Acme-9000');
    expect(unknown.body).toEqual({ success: true, originalLabel: 'Acme-9000', normalizedModel: 'ACME-9000' });
    const missing = await api.request('/api/costs/normalize-gpu');
    expect(missing.status).toBe(400);
    expect(fieldPaths(missing.body)).toEqual(['label']);
  });
});

describe('GET /costs/instance-price', () => {
  it('the Linux pay-as-you-go price, found across pages, then from the cache', async () => {
    const before = prices.requests.length;
    const first = await api.request(
      '/api/costs/instance-price?instanceType=Standard_NC24ads_A100_v4&region=eastus',
    );
    expect(first.status).toBe(200);
    const parsed = InstancePriceResponseSchema.parse(first.body);
    expect(parsed).toMatchObject({
      success: true,
      cached: false,
      price: {
        instanceType: 'Standard_NC24ads_A100_v4',
        provider: 'azure',
        region: 'eastus',
        hourlyPrice: 3.673,
        currency: 'USD',
        priceType: 'ondemand',
        gpuCount: 1,
        gpuModel: 'A100-80GB',
      },
    });
    // Windows, Spot and Low Priority meters come first: the Linux one is on the second page.
    const asked = prices.requests.slice(before);
    expect(asked.map((r) => r.skip)).toEqual([0, 2]);
    expect(asked[0]?.filter).toBe(
      "serviceName eq 'Virtual Machines' and armSkuName eq 'Standard_NC24ads_A100_v4' and " +
        "armRegionName eq 'eastus' and priceType eq 'Consumption'",
    );

    const second = await api.request(
      '/api/costs/instance-price?instanceType=Standard_NC24ads_A100_v4&region=eastus',
    );
    expect(second.body).toMatchObject({ success: true, cached: true, price: { hourlyPrice: 3.673 } });
    expect(prices.requests.length).toBe(before + 2);
  });

  it('prices differ by region; eastus when none is given', async () => {
    const eu = await api.request(
      '/api/costs/instance-price?instanceType=Standard_NC24ads_A100_v4&region=westeurope',
    );
    expect(eu.body.price).toMatchObject({ region: 'westeurope', hourlyPrice: 4.04 });
    const none = await api.request('/api/costs/instance-price?instanceType=Standard_NC4as_T4_v3');
    expect(none.body.price).toMatchObject({
      region: 'eastus',
      hourlyPrice: 0.526,
      gpuCount: 1,
      gpuModel: 'T4',
    });
  });

  it('unknown provider, a cloud without a price list, and a size Azure does not list', async () => {
    expect((await api.request('/api/costs/instance-price?instanceType=unknown-instance')).body).toEqual({
      success: false,
      error: 'Could not detect cloud provider for instance type: unknown-instance',
    });
    expect((await api.request('/api/costs/instance-price?instanceType=p4d.24xlarge')).body).toEqual({
      success: false,
      error: "Real-time prices come from Azure's price list only; there is none for AWS instance types",
      provider: 'aws',
    });
    expect((await api.request('/api/costs/instance-price?instanceType=n1-standard-4')).body.provider).toBe(
      'gcp',
    );
    expect((await api.request('/api/costs/instance-price?instanceType=Standard_NC6s_v3')).body).toEqual({
      success: false,
      error: 'Price not found',
      provider: 'azure',
    });
  });

  it('bad input → 400 with the field; nothing that could rewrite the OData filter reaches Azure', async () => {
    const before = prices.requests.length;
    const missing = await api.request('/api/costs/instance-price');
    expect(missing.status).toBe(400);
    expect(fieldPaths(missing.body)).toEqual(['instanceType']);
    const injected = await api.request(
      `/api/costs/instance-price?instanceType=${encodeURIComponent("Standard_X' or armSkuName ne '")}&region=East%20US`,
    );
    expect(injected.status).toBe(400);
    expect(fieldPaths(injected.body)).toEqual(['instanceType', 'region']);
    expect(prices.requests.length).toBe(before);
  });

  describe('when the price list fails', () => {
    const ask = () =>
      uncached.request('/api/costs/instance-price?instanceType=Standard_D16s_v5&region=eastus');

    it('a timeout is UPSTREAM_UNAVAILABLE (502) after the retries, within the deadlines', async () => {
      prices.fail('timeout');
      const started = Date.now();
      const { status, body } = await ask();
      expect(status).toBe(502);
      expect(body).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        error: 'Azure Retail Prices: no answer within 400 ms',
        details: { service: 'azure-retail-prices', reason: 'timeout' },
      });
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('a 5xx is retried, then reported with its status', async () => {
      prices.fail('status500');
      const before = prices.requests.length;
      const { status, body } = await ask();
      expect(status).toBe(502);
      expect(body.details).toEqual({ service: 'azure-retail-prices', reason: 'http-error', status: 500 });
      expect(prices.requests.length - before).toBe(2);
    });

    it('one 503 is absorbed by the retry', async () => {
      prices.fail('status503-once');
      expect((await ask()).body).toMatchObject({ success: true, price: { hourlyPrice: 0.768 } });
    });

    it.each([
      ['not-json', 'Azure Retail Prices: the answer is not JSON'],
      ['no-items', 'Azure Retail Prices: the answer has no Items list'],
    ] as const)('an answer that is %s is UPSTREAM_UNAVAILABLE, not "no price"', async (how, message) => {
      prices.fail(how);
      const { status, body } = await ask();
      expect(status).toBe(502);
      expect(body).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        error: message,
        details: { reason: 'malformed' },
      });
    });

    it('a NextPageLink to another host is not followed', async () => {
      prices.fail('foreign-next-link', 1);
      const { status, body } = await ask();
      expect(status).toBe(502);
      expect(body.error).toMatch(/NextPageLink points outside the price list: http:\/\/198\.51\.100\.7/);
    });
  });
});

describe('GET /costs/node-pools', () => {
  const pool = (costs: NodePoolCost[], name: string) => {
    const found = costs.find((p) => p.poolName === name);
    if (!found) throw new Error(`no pool ${name} in ${costs.map((p) => p.poolName).join(', ')}`);
    return found;
  };

  it('prices each GPU pool from its instance type: per GPU, the node price over its GPUs', async () => {
    const { status, body } = await api.request('/api/costs/node-pools?gpuCount=2&replicas=3');
    expect(status).toBe(200);
    const parsed = NodePoolCostsResponseSchema.parse(body);
    expect(parsed.pricingSource).toBe('realtime-with-fallback');
    expect(parsed.cacheStats).toMatchObject({ ttlMs: 3_600_000, maxEntries: 1000 });
    expect(parsed.cacheStats.size).toBeGreaterThan(0);

    const h100 = pool(parsed.nodePoolCosts, 'h100');
    expect(h100).toMatchObject({
      gpuModel: 'H100-80GB',
      gpusPerNode: 8,
      instanceType: 'Standard_ND96isr_H100_v5',
      region: 'eastus',
      realtimePricing: {
        instanceType: 'Standard_ND96isr_H100_v5',
        provider: 'azure',
        priceType: 'ondemand',
        hourlyPrice: 98.32,
        monthlyPrice: 71773.6,
        currency: 'USD',
        region: 'eastus',
        source: 'realtime',
      },
      costBreakdown: {
        totalGpus: 6,
        gpuModel: 'NVIDIA-H100-80GB-HBM3',
        normalizedGpuModel: 'H100-80GB',
        perGpu: { hourly: 12.29, monthly: 8971.7 },
        estimate: {
          hourly: 73.74,
          monthly: 53830.2,
          currency: 'USD',
          source: 'cloud-api',
          confidence: 'high',
        },
      },
    });
    expect(h100.costBreakdown.notes[0]).toBe('Real-time pricing from AZURE');
    expect(h100.availableGpus).toBeLessThanOrEqual(16);

    // One GPU per node, priced in its own region.
    expect(pool(parsed.nodePoolCosts, 'costs-a100-eu')).toMatchObject({
      gpuModel: 'A100-80GB',
      gpusPerNode: 1,
      region: 'westeurope',
      realtimePricing: { hourlyPrice: 4.04 },
      costBreakdown: { perGpu: { hourly: 4.04 }, estimate: { hourly: 24.24 } },
    });
  });

  it('pools without a price say why, with zeros and low confidence', async () => {
    const { body } = await api.request('/api/costs/node-pools');
    const costs = NodePoolCostsResponseSchema.parse(body).nodePoolCosts;
    const aws = pool(costs, 'costs-p4d');
    expect(aws.realtimePricing).toBeUndefined();
    expect(aws.costBreakdown).toMatchObject({
      totalGpus: 1,
      normalizedGpuModel: 'A100-40GB',
      estimate: { hourly: 0, source: 'static', confidence: 'low' },
      notes: ["Real-time prices come from Azure's price list only; there is none for AWS instance types"],
    });
    expect(pool(costs, 'costs-bare').costBreakdown.notes).toEqual([
      '"gpu-node" is not an instance type of a cloud AI Runway knows',
    ]);
  });

  it('realtime=false asks no price list', async () => {
    const before = prices.requests.length;
    const { body } = await uncached.request('/api/costs/node-pools?realtime=false');
    const parsed = NodePoolCostsResponseSchema.parse(body);
    expect(parsed.pricingSource).toBe('static');
    expect(parsed.nodePoolCosts.every((p) => p.costBreakdown.estimate.source === 'static')).toBe(true);
    expect(prices.requests.length).toBe(before);
  });

  it('computeType=cpu prices the CPU pools per node', async () => {
    const { body } = await api.request('/api/costs/node-pools?computeType=cpu&replicas=2');
    const costs = NodePoolCostsResponseSchema.parse(body).nodePoolCosts;
    expect(costs.find((p) => p.poolName === 'h100')).toBeUndefined();
    expect(pool(costs, 'system')).toMatchObject({
      instanceType: 'Standard_D16s_v5',
      gpusPerNode: 0,
      realtimePricing: { hourlyPrice: 0.768 },
      costBreakdown: {
        totalGpus: 0,
        perGpu: { hourly: 0 },
        estimate: { hourly: 1.536, source: 'cloud-api' },
      },
    });
  });

  it('when the price list fails, every pool says so (pricingError), none is silently zero', async () => {
    prices.fail('status500');
    const { status, body } = await uncached.request('/api/costs/node-pools');
    expect(status).toBe(200);
    const h100 = pool(NodePoolCostsResponseSchema.parse(body).nodePoolCosts, 'h100');
    expect(h100.pricingError).toBe('Azure Retail Prices: answered HTTP 500');
    expect(h100.costBreakdown.estimate).toMatchObject({ source: 'static', confidence: 'low' });
    expect(h100.costBreakdown.notes[0]).toBe('No real-time price: Azure Retail Prices: answered HTTP 500');
  });

  it('bad query values → 400 with each path', async () => {
    const { status, body } = await api.request(
      '/api/costs/node-pools?gpuCount=0&replicas=x&realtime=maybe&computeType=tpu',
    );
    expect(status).toBe(400);
    expect(fieldPaths(body)).toEqual(['computeType', 'gpuCount', 'realtime', 'replicas']);
  });
});

describe('authentication on', () => {
  it('pool prices take `list nodes`: admin may, bob and alice may not', async () => {
    expect((await secured.request('/api/costs/node-pools', { token: admin })).status).toBe(200);
    for (const user of [bob, alice]) {
      const { status, body } = await secured.request('/api/costs/node-pools', { token: user });
      expect(status).toBe(403);
      expect(body).toMatchObject({ code: 'FORBIDDEN', details: { verb: 'list', resource: 'nodes' } });
    }
  });

  it('the rest needs a valid token only', async () => {
    expect((await secured.request('/api/costs/gpu-models')).status).toBe(401);
    for (const path of [
      '/api/costs/gpu-models',
      '/api/costs/normalize-gpu?label=T4',
      '/api/costs/instance-price?instanceType=Standard_NC24ads_A100_v4',
    ])
      expect((await secured.request(path, { token: bob })).status, path).toBe(200);
  });
});
