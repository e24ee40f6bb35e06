// /aikit/*: pre-made images, image builds from GGUF files, and the in-cluster build
// infrastructure. A build still running after the wait answers 202 with its Job.
import { AikitBuildRequestSchema, AikitModelParamsSchema } from '@airunway/schema';
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

export function aikitRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/aikit/models', (c) => c.json(services.aikit.list()))
    .get('/aikit/models/:id', validate('param', AikitModelParamsSchema), (c) =>
      c.json(services.aikit.get(c.req.valid('param').id)),
    )
    .post('/aikit/build/preview', validate('json', AikitBuildRequestSchema), (c) =>
      c.json(services.aikit.preview(c.req.valid('json'))),
    )
    .post('/aikit/build', validate('json', AikitBuildRequestSchema), async (c) => {
      const { body, finished } = await services.aikit.build(callerOf(c), c.req.valid('json'));
      return c.json(body, finished ? 200 : 202);
    })
    .get('/aikit/infrastructure/status', async (c) =>
      c.json(await services.aikit.infrastructureStatus(callerOf(c))),
    )
    .post('/aikit/infrastructure/setup', async (c) => c.json(await services.aikit.setup(callerOf(c))));
}
