// GET /cluster/status and GET /cluster/nodes.
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import type { Services } from '../services/index.js';

export function clusterRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/cluster/status', async (c) => c.json(await services.cluster.status(callerOf(c))))
    .get('/cluster/nodes', async (c) => c.json(await services.cluster.nodes(callerOf(c))));
}
