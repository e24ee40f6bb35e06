// /costs/*: estimates, node-pool prices, instance prices and the GPU catalogue.
import {
  CostEstimateRequestSchema,
  InstancePriceQuerySchema,
  NodePoolCostsQuerySchema,
  NormalizeGpuQuerySchema,
} from '@airunway/schema';
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

export function costRoutes(services: Services) {
  return new Hono<AppEnv>()
    .post('/costs/estimate', validate('json', CostEstimateRequestSchema), (c) =>
      c.json(services.costs.estimate(c.req.valid('json'))),
    )
    .get('/costs/node-pools', validate('query', NodePoolCostsQuerySchema), async (c) =>
      c.json(await services.costs.nodePools(callerOf(c), c.req.valid('query'))),
    )
    .get('/costs/instance-price', validate('query', InstancePriceQuerySchema), async (c) =>
      c.json(await services.costs.instancePrice(c.req.valid('query'))),
    )
    .get('/costs/gpu-models', (c) => c.json(services.costs.gpuModels()))
    .get('/costs/normalize-gpu', validate('query', NormalizeGpuQuerySchema), (c) =>
      c.json(services.costs.normalizeGpu(c.req.valid('query').label)),
    );
}
