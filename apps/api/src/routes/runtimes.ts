// GET /runtimes/status.
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import type { Services } from '../services/index.js';

export function runtimeRoutes(services: Services) {
  return new Hono<AppEnv>().get('/runtimes/status', async (c) =>
    c.json(await services.runtimes.status(callerOf(c))),
  );
}
