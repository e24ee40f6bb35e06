// /installation/gpu-capacity*: GPU capacity (installs and their status: routes/install.ts).
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import type { Services } from '../services/index.js';

export function installationRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/installation/gpu-capacity', async (c) => c.json(await services.capacity.summary(callerOf(c))))
    .get('/installation/gpu-capacity/detailed', async (c) =>
      c.json(await services.capacity.detailed(callerOf(c))),
    );
}
