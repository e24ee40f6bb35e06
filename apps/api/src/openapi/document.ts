// The OpenAPI 3.1 document of the API, generated from the route table and the contract's Zod
// schemas (z.toJSONSchema): request schemas as clients may write them (defaults optional),
// responses as the API answers them. Built once per process.
import { API_ERROR_CODE_INFO, type ApiErrorCode } from '@airunway/schema';
import { z } from 'zod';
import { ROUTES, SCHEMAS, type RouteDoc, type SchemaName } from './routes.js';

type JsonSchema = Record<string, unknown>;

const COMPONENT = (id: string) => `#/components/schemas/${id}`;

/** `/api/models/:id{.+}` → `/api/models/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** Components: every schema a route uses, in the direction it is used. */
function components(): Record<string, JsonSchema> {
  const requests = new Set<SchemaName>();
  const responses = new Set<SchemaName>(['ApiErrorBody']);
  for (const route of ROUTES) {
    if (route.body) requests.add(route.body);
    if ('json' in route.response) responses.add(route.response.json);
    if ('events' in route.response) responses.add(route.response.events);
    for (const other of route.also ?? []) responses.add(other.json);
  }
  const out: Record<string, JsonSchema> = {};
  for (const [names, io] of [
    [requests, 'input'],
    [responses, 'output'],
  ] as const) {
    const registry = z.registry<{ id: string }>();
    for (const id of names) registry.add(SCHEMAS[id], { id });
    const generated = z.toJSONSchema(registry, { io, uri: COMPONENT, unrepresentable: 'any' });
    for (const [id, schema] of Object.entries(generated.schemas)) out[id] = strip(schema);
  }
  return out;
}

function parameters(route: RouteDoc): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return list;
}

function errorResponses(codes: readonly ApiErrorCode[]): Record<string, JsonSchema> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) {
    const status = API_ERROR_CODE_INFO[code].http;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((c) => `${c}: ${API_ERROR_CODE_INFO[c].when}`).join(' '),
        content: { 'application/json': { schema: { $ref: COMPONENT('ApiErrorBody') } } },
      },
    ]),
  );
}

function operation(route: RouteDoc): JsonSchema {
  const { response } = route;
  const success =
    'json' in response
      ? {
          [String(response.status ?? 200)]: {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: COMPONENT(response.json) } } },
          },
        }
      : 'events' in response
        ? {
            '200': {
              description: `${response.description}: each event's data is a ${response.events}`,
              content: { 'text/event-stream': { schema: { $ref: COMPONENT(response.events) } } },
            },
          }
        : {
            '200': { description: response.text, content: { 'text/plain': { schema: { type: 'string' } } } },
          };
  const others = Object.fromEntries(
    (route.also ?? []).map((o) => [
      String(o.status),
      { description: o.when, content: { 'application/json': { schema: { $ref: COMPONENT(o.json) } } } },
    ]),
  );
  const errors = route.errors ?? (route.public ? [] : ['UNAUTHORIZED', 'CLUSTER_UNAVAILABLE']);
  return {
    operationId: `${route.method}${openApiPath(route.path)
      .replace(/[{}]/g, '')
      .split(/[/-]/)
      .filter(Boolean)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('')}`,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.public ? { security: [] } : {}),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: COMPONENT(route.body) } } },
          },
        }
      : {}),
    responses: { ...success, ...others, ...errorResponses(errors) },
  };
}

export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of ROUTES) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'AI Runway API',
      version,
      description:
        'The REST API of AI Runway. Errors are `{ error, code, details }`. With authentication on, every ' +
        'route but the public ones needs a Kubernetes bearer token, and the caller can do no more than ' +
        'Kubernetes RBAC lets them. The same operations are served as tRPC procedures at /trpc.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas: components(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A Kubernetes bearer token' },
      },
    },
    security: [{ bearer: [] }],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
  };
}
