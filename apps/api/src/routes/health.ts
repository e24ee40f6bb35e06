// GET /health and GET /health/version: public, they work without a token.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import type { Services } from '../services/index.js';

export function healthRoutes(services: Services) {
  return new Hono<AppEnv>()
    .get('/health', (c) => c.json(services.health.health()))
    .get('/health/version', (c) => c.json(services.health.version()));
}
