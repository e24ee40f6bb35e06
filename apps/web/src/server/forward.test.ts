import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forwardToApi as forwardTo } from './forward';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('forwarding to the API', () => {
  let api: Server;
  let seen: Seen[] = [];
  let answer: { status: number; headers: Record<string, string>; body: string };
  let apiUrl: URL;

  beforeAll(async () => {
    api = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = new URL(`http://127.0.0.1:${(api.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await new Promise((resolve) => api.close(resolve));
  });
  beforeEach(() => {
    seen = [];
    answer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
  });

  const forwardToApi = (req: Request, prefix: '/api' | '/trpc', segments: string[]) =>
    forwardTo(req, prefix, segments, apiUrl);
  const request = (
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    new Request(`http://dashboard.example${path}`, {
      ...init,
      headers: { host: 'dashboard.example', ...init.headers },
    });

  it("sends the session's token as a Bearer token and nothing else the browser sent", async () => {
    const response = await forwardToApi(
      request('/api/deployments?namespace=team-a', {
        headers: {
          cookie: 'theme=dark; airunway_session=the-token',
          authorization: 'Bearer forged',
          accept: 'application/json',
          'x-forwarded-for': '10.0.0.1',
        },
      }),
      '/api',
      ['deployments'],
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    const [req] = seen;
    expect(req?.url).toBe('/api/deployments?namespace=team-a');
    expect(req?.headers.authorization).toBe('Bearer the-token');
    expect(req?.headers.cookie).toBeUndefined();
    expect(req?.headers['x-forwarded-for']).toBeUndefined();
    expect(req?.headers.accept).toBe('application/json');
  });

  it('keeps model ids with slashes and tRPC batches intact, and refuses paths that climb out', async () => {
    await forwardToApi(request('/api/models/Qwen/Qwen3-0.6B'), '/api', ['models', 'Qwen', 'Qwen3-0.6B']);
    await forwardToApi(request('/trpc/a,b?batch=1'), '/trpc', ['settings.get,runtimes.status']);
    expect(seen.map((s) => s.url)).toEqual([
      '/api/models/Qwen/Qwen3-0.6B',
      '/trpc/settings.get,runtimes.status?batch=1',
    ]);
    const climbing = await forwardToApi(request('/api/x'), '/api', ['..', 'metrics']);
    expect(climbing.status).toBe(400);
    expect(seen).toHaveLength(2);
  });

  it('refuses state-changing requests from other sites', async () => {
    const post = (headers: Record<string, string>) =>
      forwardToApi(
        request('/api/deployments', {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json', ...headers },
        }),
        '/api',
        ['deployments'],
      );
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ origin: 'http://dashboard.example', 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect(seen).toHaveLength(0);
    expect((await post({ origin: 'http://dashboard.example' })).status).toBe(200);
    expect(seen[0]?.body).toBe('{}');
  });

  it('ends the session when the API no longer accepts its token', async () => {
    answer = {
      status: 401,
      headers: { 'content-type': 'application/json', 'set-cookie': 'x=1' },
      body: '{"error":"no","code":"UNAUTHORIZED","details":{}}',
    };
    const response = await forwardToApi(
      request('/api/settings', { headers: { cookie: 'airunway_session=old' } }),
      '/api',
      ['settings'],
    );
    expect(response.status).toBe(401);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^airunway_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
  });

  it('passes streams through unbuffered', async () => {
    answer = {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: 'event: open\ndata: {}\n\n',
    };
    const response = await forwardToApi(request('/api/deployments/-/events'), '/api', [
      'deployments',
      '-',
      'events',
    ]);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(await response.text()).toContain('event: open');
  });

  it('says so when the API is not reachable', async () => {
    const response = await forwardTo(
      request('/api/settings'),
      '/api',
      ['settings'],
      new URL('http://127.0.0.1:9'),
    );
    expect(response.status).toBe(502);
    expect(((await response.json()) as { code: string }).code).toBe('API_UNREACHABLE');
  });
});
