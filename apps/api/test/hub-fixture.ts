// A stand-in for the HuggingFace Hub on 127.0.0.1, answering with the Hub's own shapes (the
// JSON under fixtures/huggingface is modelled on real answers): model search with cursor
// pages and a Link header, model info with blobs, the OAuth token endpoint checking PKCE, and
// whoami-v2 (those two are @airunway/testenv's HubOAuth, which the browser tests' Hub serves
// too). Tests make it time out, fail or answer nonsense, and read which requests it got.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubOAuth, sendHubReply, type HubReply } from '@airunway/testenv/hub-oauth';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/huggingface/${name}`, import.meta.url), 'utf8'));

/** The Hub caps pages; a small cap here makes a few fixtures span several pages. */
const PAGE_CAP = 3;

export type Failure = 'timeout' | 'status500' | 'malformed' | 'not-json';

export interface HubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  readonly body: string;
}

export interface HubFixture {
  readonly url: string;
  readonly clientId: string;
  /** Tokens the Hub knows (whoami answers for them). */
  readonly userToken: string;
  readonly otherToken: string;
  /** A third, for a test that needs a token the API has not looked up yet. */
  readonly spareToken: string;
  readonly requests: HubRequest[];
  /** Access tokens issued by /oauth/token. */
  readonly issued: string[];
  /** Requests whose path starts with `prefix` fail as told, until clear(). */
  fail(prefix: string, how: Failure): void;
  clear(): void;
  /** What the Hub's consent page does: a code for this authorization URL. */
  authorize(authorizationUrl: string): string;
  close(): Promise<void>;
}

export async function startHubFixture(clientId = 'airunway-test-client'): Promise<HubFixture> {
  const models = fixture('models.json') as Record<string, unknown>[];
  const info: Record<string, unknown> = {
    'unsloth/Qwen3-0.6B-GGUF': fixture('info/unsloth--Qwen3-0.6B-GGUF.json'),
    'Qwen/Qwen3-0.6B': fixture('info/Qwen--Qwen3-0.6B.json'),
  };
  const oauth = new HubOAuth(clientId);
  const userToken = oauth.userToken();
  const otherToken = oauth.userToken();
  const spareToken = oauth.userToken();
  const failures = new Map<string, Failure>();
  const requests: HubRequest[] = [];
  let base = '';

  // An answer (JSON, or an HTML page); `undefined` never answers.
  type Reply = HubReply;
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
    status,
    body,
    headers,
  });
  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const badToken = (auth: string | undefined) => auth !== undefined && !oauth.knows(auth);
  const invalidCredentials = () => reply(401, { error: 'Invalid credentials in Authorization header' });

  function search(query: URLSearchParams): Reply {
    const words = (query.get('search') ?? '').toLowerCase();
    const filter = query.get('filter');
    const matching = models
      .filter((m) => {
        // An item without an id (a broken record) shows up in every search.
        if (typeof m.id !== 'string') return true;
        const tags = (m.tags as string[] | undefined) ?? [];
        return (
          m.id.toLowerCase().includes(words) &&
          (!filter || tags.includes(filter) || m.pipeline_tag === filter)
        );
      })
      .sort((a, b) => (Number(b.downloads) || 0) - (Number(a.downloads) || 0));
    const cursor = query.get('cursor');
    const offset = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o: number }).o : 0;
    const size = Math.min(Number(query.get('limit') ?? 1000), PAGE_CAP);
    const headers: Record<string, string> = {};
    if (offset + size < matching.length) {
      const next = new URL('/api/models', base);
      for (const [k, v] of query) if (k !== 'cursor') next.searchParams.append(k, v);
      next.searchParams.set(
        'cursor',
        Buffer.from(JSON.stringify({ o: offset + size })).toString('base64url'),
      );
      headers.Link = `<${next.toString()}>; rel="next"`;
    }
    return reply(200, matching.slice(offset, offset + size), headers);
  }

  function modelInfo(auth: string | undefined, id: string): Reply {
    if (id === 'Qwen/Qwen3-0.6B-Old')
      return reply(307, { message: 'moved' }, { Location: '/api/models/Qwen/Qwen3-0.6B?blobs=true' });
    if (id === 'Qwen/Qwen3-0.6B-Elsewhere')
      return reply(307, { message: 'moved' }, { Location: 'http://127.0.0.2:9/api/models/Qwen/Qwen3-0.6B' });
    if (id === 'acme-lab/private-gguf' && auth)
      return reply(200, {
        _id: '68300000aa00bb00cc00dd00',
        id,
        private: true,
        gated: false,
        tags: ['gguf'],
        siblings: [{ rfilename: 'private-Q4_K_M.gguf', size: 4920734016 }],
      });
    const found = info[id];
    if (found) return reply(200, found);
    // The Hub does not tell a missing repository from a private one.
    return reply(auth ? 404 : 401, { error: 'Repository not found' });
  }

  function route(req: IncomingMessage, url: URL, body: string): Reply | undefined {
    const failure = [...failures].find(([prefix]) => url.pathname.startsWith(prefix))?.[1];
    if (failure === 'timeout') return undefined; // never answers; the client gives up
    if (failure === 'status500') return reply(500, { error: 'Internal Error' });
    if (failure === 'malformed') return reply(200, { unexpected: 'shape', access_token: 42 });
    if (failure === 'not-json')
      return { status: 200, body: '<html><body>We are down for maintenance</body></html>', html: true };

    const signIn = oauth.handle(req.method ?? 'GET', url, body, req.headers.authorization);
    if (signIn) return signIn;
    const auth = bearer(req);
    const { pathname } = url;
    if (req.method !== 'GET') return reply(405, { error: 'Method Not Allowed' });
    if (badToken(auth)) return invalidCredentials();
    if (pathname === '/api/models') return search(url.searchParams);
    if (pathname.startsWith('/api/models/'))
      return modelInfo(auth, decodeURIComponent(pathname.slice('/api/models/'.length)));
    return reply(404, { error: 'Not Found' });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const body = Buffer.concat(chunks).toString();
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        authorization: req.headers.authorization,
        body,
      });
      const answer = route(req, url, body);
      if (!answer) return;
      sendHubReply(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    clientId,
    userToken,
    otherToken,
    spareToken,
    requests,
    issued: oauth.issued,
    fail: (prefix, how) => failures.set(prefix, how),
    clear: () => {
      failures.clear();
    },
    authorize: (authorizationUrl) => oauth.authorize(authorizationUrl),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
