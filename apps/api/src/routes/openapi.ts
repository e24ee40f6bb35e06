// GET /api/openapi.json and GET /api/docs: public, generated once per process.
import { Hono } from 'hono';
import { buildOpenApiDocument } from '../openapi/document.js';
import { renderDocsPage } from '../openapi/docs-page.js';
import type { AppEnv } from '../http/context.js';

export function openApiRoutes(version: string) {
  let document: Record<string, unknown> | undefined;
  let page: string | undefined;
  const doc = () => (document ??= buildOpenApiDocument(version));
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => c.json(doc()))
    .get('/docs', (c) => c.html((page ??= renderDocsPage(doc()))));
}
