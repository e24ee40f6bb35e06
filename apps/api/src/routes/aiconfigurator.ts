// /aiconfigurator/*: the AI Configurator CLI's status, an analysis, GPU name normalization.
import { AnalyzeRequestSchema, NormalizeGpuProductRequestSchema } from '@airunway/schema';
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

export function aiConfiguratorRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/aiconfigurator/status', async (c) => c.json(await services.aiConfigurator.status()))
    .post('/aiconfigurator/analyze', validate('json', AnalyzeRequestSchema), async (c) =>
      c.json(await services.aiConfigurator.analyze(c.req.valid('json'))),
    )
    .post('/aiconfigurator/normalize-gpu', validate('json', NormalizeGpuProductRequestSchema), (c) =>
      c.json(services.aiConfigurator.normalizeGpu(c.req.valid('json').gpuProduct)),
    );
}
