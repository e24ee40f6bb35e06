import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { HubClient, redactTokens } from './hub-client.js';

let server: Server;
let base = '';
let link = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', ...(link ? { Link: link } : {}) });
    res.end('[{"id":"a/b"}]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    ),
);

const client = (endpoint = base) => new HubClient({ endpoint, userAgent: 'test', timeoutMs: 500 });

describe('HubClient', () => {
  it('keeps a path prefix of the endpoint (a mirror) in every URL', () => {
    expect(client('https://mirror.example/hf/').url('api/models').toString()).toBe(
      'https://mirror.example/hf/api/models',
    );
  });

  it('follows a Link to the next page on the Hub only', async () => {
    const hub = client();
    link = `<${base}/api/models?cursor=abc>; rel="next"`;
    const same = await hub.searchPage(hub.searchUrl('q', 10), undefined);
    expect(same.ok && same.value.next?.toString()).toBe(`${base}/api/models?cursor=abc`);
    link = '<https://elsewhere.example/api/models?cursor=abc>; rel="next"';
    const other = await hub.searchPage(hub.searchUrl('q', 10), 'hf_secrettoken123');
    expect(other.ok && other.value.next).toBeUndefined();
    link = '';
  });

  it('an unreachable Hub is UPSTREAM_UNAVAILABLE (unreachable), without the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) =>
      closed.close(() => {
        resolve();
      }),
    );
    const err = await client(`http://127.0.0.1:${port}`)
      .whoami('hf_secrettoken123')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { service: 'huggingface', reason: 'unreachable', error: 'ECONNREFUSED' },
    });
    expect(JSON.stringify({ m: (err as ApiError).message, d: (err as ApiError).details })).not.toContain(
      'secret',
    );
  });

  it('masks tokens in the Hub’s own words', () => {
    expect(redactTokens('bad token hf_abcDEF123_x-y here')).toBe('bad token hf_[REDACTED] here');
  });
});
