// GET /models and GET /models/:id. Model ids contain a slash (Qwen/Qwen3-0.6B), so the id
// parameter spans the rest of the path; routes with a fixed suffix or name (search,
// gguf-files) must be registered before it.
import { ModelParamsSchema } from '@airunway/schema';
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

export function modelRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/models', (c) => c.json(services.models.list()))
    .get('/models/:id{.+}', validate('param', ModelParamsSchema), (c) =>
      c.json(services.models.get(c.req.valid('param').id)),
    );
}
