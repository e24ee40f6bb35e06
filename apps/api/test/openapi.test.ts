// /api/openapi.json and /api/docs: generated from the contract's Zod schemas, public, and
// complete — every route the app registers is documented and every documented route exists.
import { testCluster } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../src/openapi/document.js';
import { ROUTES } from '../src/openapi/routes.js';
import { startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi(cluster, { authEnabled: true });
});

afterAll(async () => {
  await api.stop();
});

describe('OpenAPI document', () => {
  it('is public, OpenAPI 3.1, and has every documented deployment and gateway route', async () => {
    const { status, body } = await api.request('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const paths = body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/deployments'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/deployments/{name}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    for (const sub of ['pods', 'logs', 'metrics', 'pending-reasons', 'manifest'])
      expect(paths[`/api/deployments/{name}/${sub}`]?.get).toBeDefined();
    expect(paths['/api/deployments/-/events']?.get).toBeDefined();
    expect(paths['/api/gateway/status']?.get).toBeDefined();
    expect(paths['/api/gateway/models']?.get).toBeDefined();
  });

  it('parameters and bodies come from the Zod schemas: names, requirements, defaults, enums', async () => {
    const { body } = await api.request('/api/openapi.json');
    const logs = body.paths['/api/deployments/{name}/logs'].get;
    const param = (name: string) => logs.parameters.find((p: { name: string }) => p.name === name);
    expect(param('name')).toMatchObject({
      in: 'path',
      required: true,
      schema: { type: 'string', maxLength: 48 },
    });
    expect(param('tailLines')).toMatchObject({
      in: 'query',
      required: false,
      schema: { default: 100, maximum: 10000 },
    });
    for (const name of ['namespace', 'podName', 'container', 'timestamps', 'follow'])
      expect(param(name)).toBeDefined();
    expect(body.paths['/api/deployments/{name}'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'namespace', in: 'query', required: true }),
    );

    const create = body.components.schemas.CreateDeploymentRequest;
    expect(create.required).toEqual(['name', 'modelId']);
    expect(create.properties.provider.enum).toEqual(['dynamo', 'kaito', 'kuberay', 'llmd', 'vllm']);
    for (const field of [
      'hfTokenSecret',
      'enforceEager',
      'enablePrefixCaching',
      'trustRemoteCode',
      'imageRef',
      'engineArgs',
      'engineExtraArgs',
    ])
      expect(create.properties[field]).toBeDefined();
    expect(body.paths['/api/deployments'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateDeploymentRequest',
    });
    expect(body.paths['/api/deployments'].post.responses['409'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ApiErrorBody',
    });
    expect(body.components.schemas.DryRunResponse.properties.fit).toBeDefined();
  });

  it('documents every route the app serves, and no other', () => {
    const served = new Set(
      api.runtime.app.routes
        .filter((r) => r.method !== 'ALL' && !r.path.startsWith('/trpc'))
        .map((r) => `${r.method.toLowerCase()} ${r.path}`),
    );
    const documented = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect(
      [...served].filter((r) => !documented.has(r)),
      'served but not documented',
    ).toEqual([]);
    expect(
      [...documented].filter((r) => !served.has(r)),
      'documented but not served',
    ).toEqual([]);
    expect(openApiPath('/api/models/:id{.+}')).toBe('/api/models/{id}');
  });
});

describe('API docs page', () => {
  it('is one public HTML page with every route and schema, and nothing loaded from elsewhere', async () => {
    const res = await api.runtime.app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<code>/api/deployments/{name}/pending-reasons</code>');
    expect(html).toContain('id="schema-DeploymentDetail"');
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
  });
});
