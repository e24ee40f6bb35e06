// GET /settings and PUT /settings.
import { UpdateSettingsRequestSchema } from '@airunway/schema';
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

export function settingsRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/settings', async (c) => c.json(await services.settings.get(callerOf(c))))
    .put('/settings', validate('json', UpdateSettingsRequestSchema), async (c) =>
      c.json(await services.settings.update(callerOf(c), c.req.valid('json'))),
    );
}
