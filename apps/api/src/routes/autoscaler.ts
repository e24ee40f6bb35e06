// GET /autoscaler/detection and GET /autoscaler/status.
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import type { Services } from '../services/index.js';

export function autoscalerRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/autoscaler/detection', async (c) => c.json(await services.autoscaler.detection(callerOf(c))))
    .get('/autoscaler/status', async (c) => c.json(await services.autoscaler.status(callerOf(c))));
}
