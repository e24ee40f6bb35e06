// GET /gateway/status and GET /gateway/models.
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import type { Services } from '../services/index.js';

export function gatewayRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/gateway/status', async (c) => c.json(await services.gateway.status(callerOf(c))))
    .get('/gateway/models', async (c) => c.json(await services.gateway.models(callerOf(c))));
}
