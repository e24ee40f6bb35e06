// A small client of the HuggingFace Hub on fetch: model search and info, the OAuth token
// endpoint and whoami. Every answer is checked against the shapes in hub-schemas.ts. What the
// Hub cannot answer — no connection, a timeout, a 5xx or 429, a body that is not what it should
// be — becomes UPSTREAM_UNAVAILABLE with details.reason; a 4xx is handed back to the caller,
// who knows what it means for its request. Tokens travel in the Authorization header only and
// never appear in a message or in details.
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import {
  HubModelInfoSchema,
  HubModelSchema,
  HubErrorSchema,
  HubTokenResponseSchema,
  HubWhoamiSchema,
  type HubModel,
  type HubModelInfo,
  type HubWhoami,
} from './hub-schemas.js';

export const DEFAULT_HUB_TIMEOUT_MS = 10_000;
/** Larger answers are refused: a page of 100 models with their configs is well under 1 MB. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** The fields a search result needs (expand[] keeps the Hub from sending everything else). */
const SEARCH_FIELDS = [
  'author',
  'downloads',
  'likes',
  'pipeline_tag',
  'library_name',
  'tags',
  'gated',
  'config',
  'safetensors',
];

export type UpstreamReason = 'timeout' | 'unreachable' | 'status' | 'malformed';

export function upstreamError(
  reason: UpstreamReason,
  message: string,
  details: Record<string, unknown> = {},
) {
  return new ApiError('UPSTREAM_UNAVAILABLE', message, { service: 'huggingface', reason, ...details });
}

/** Anything that looks like a HuggingFace token, masked: Hub messages are passed on to clients. */
export function redactTokens(text: string): string {
  return text.replace(/hf_[A-Za-z0-9_-]+/g, 'hf_[REDACTED]');
}

/** A 4xx answer of the Hub, for the caller to map. */
export interface HubRefusal {
  readonly status: number;
  /** The Hub's own words (`error_description`, else `error`), tokens masked. */
  readonly message: string;
  /** The Hub's `error`: "Repository not found", or the OAuth error code (invalid_grant, …). */
  readonly error?: string;
}

export type HubResult<T> = { ok: true; value: T } | { ok: false; refusal: HubRefusal };

export interface SearchPage {
  readonly models: HubModel[];
  /** Items of the page that did not have the shape of a model (left out, not fatal). */
  readonly skipped: number;
  /** The next page, when the Hub has one. */
  readonly next: URL | undefined;
}

export interface HubClientOptions {
  readonly endpoint: string;
  readonly timeoutMs?: number;
  readonly userAgent: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export class HubClient {
  private readonly endpoint: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: HubClientOptions) {
    this.endpoint = new URL(options.endpoint.replace(/\/+$/, '') + '/');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HUB_TIMEOUT_MS;
  }

  /** An absolute URL of the Hub (the endpoint may carry a path prefix, as a mirror's does). */
  url(path: string): URL {
    return new URL(path.replace(/^\/+/, ''), this.endpoint);
  }

  /** The first page of text-generation models matching `query`, most downloaded first. */
  searchUrl(query: string, pageSize: number): URL {
    const url = this.url('api/models');
    url.searchParams.set('search', query);
    url.searchParams.set('filter', 'text-generation');
    url.searchParams.set('sort', 'downloads');
    url.searchParams.set('direction', '-1');
    url.searchParams.set('limit', String(pageSize));
    for (const field of SEARCH_FIELDS) url.searchParams.append('expand[]', field);
    return url;
  }

  async searchPage(url: URL, token: string | undefined): Promise<HubResult<SearchPage>> {
    const answer = await this.send(url, { token });
    if (answer.status >= 400) return { ok: false, refusal: refusal(answer) };
    const items = this.json(answer, url);
    if (!Array.isArray(items)) throw malformed(url, 'expected a list of models');
    const models: HubModel[] = [];
    for (const item of items) {
      const parsed = HubModelSchema.safeParse(item);
      if (parsed.success) models.push(parsed.data);
    }
    return {
      ok: true,
      value: { models, skipped: items.length - models.length, next: this.nextPage(answer.headers) },
    };
  }

  /** GET /api/models/:id?blobs=true: the model and its files with their sizes. */
  async modelInfo(id: string, token: string | undefined): Promise<HubResult<HubModelInfo>> {
    const url = this.url(`api/models/${id.split('/').map(encodeURIComponent).join('/')}`);
    url.searchParams.set('blobs', 'true');
    const answer = await this.send(url, { token });
    if (answer.status >= 400) return { ok: false, refusal: refusal(answer) };
    return { ok: true, value: this.parse(HubModelInfoSchema, answer, url) };
  }

  /** POST /oauth/token: an authorization code and its PKCE verifier for an access token. */
  async exchangeCode(input: {
    clientId: string;
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<HubResult<z.output<typeof HubTokenResponseSchema>>> {
    const url = this.url('oauth/token');
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: input.clientId,
      code: input.code,
      code_verifier: input.codeVerifier,
      redirect_uri: input.redirectUri,
    });
    const answer = await this.send(url, {
      method: 'POST',
      body: body.toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    if (answer.status >= 400) return { ok: false, refusal: refusal(answer) };
    return { ok: true, value: this.parse(HubTokenResponseSchema, answer, url) };
  }

  /** GET /api/whoami-v2: whose token this is (401 when the Hub does not accept it). */
  async whoami(token: string): Promise<HubResult<HubWhoami>> {
    const url = this.url('api/whoami-v2');
    const answer = await this.send(url, { token });
    if (answer.status >= 400) return { ok: false, refusal: refusal(answer) };
    const who = this.parse(HubWhoamiSchema, answer, url);
    // Avatars of users come as paths of the Hub; clients need an absolute URL.
    if (who.avatarUrl) who.avatarUrl = new URL(who.avatarUrl, this.endpoint).toString();
    return { ok: true, value: who };
  }

  /**
   * The Link header's next page. It is followed only on the Hub itself, so a token is never
   * sent anywhere a Hub answer points to.
   */
  private nextPage(headers: Headers): URL | undefined {
    const link = headers.get('link');
    const target = link ? /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link)?.[1] : undefined;
    if (!target) return undefined;
    let next: URL;
    try {
      next = new URL(target, this.endpoint);
    } catch {
      return undefined;
    }
    const models = this.url('api/models');
    return next.origin === models.origin && next.pathname === models.pathname ? next : undefined;
  }

  private async send(
    url: URL,
    init: { method?: string; token?: string | undefined; body?: string; contentType?: string },
  ): Promise<Answer> {
    const method = init.method ?? 'GET';
    const where = `${method} ${url.pathname}`;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.options.userAgent,
    };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    if (init.contentType) headers['Content-Type'] = init.contentType;
    // One deadline for the whole exchange, redirects and body included.
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      let target = url;
      for (let hops = 0; ; hops++) {
        const res = await fetch(target, {
          method,
          headers,
          ...(init.body !== undefined ? { body: init.body } : {}),
          redirect: 'manual',
          signal,
        });
        const text = await readBody(res, where);
        if (res.status >= 500 || res.status === 429)
          throw upstreamError('status', `HuggingFace answered ${where} with HTTP ${res.status}`, {
            status: res.status,
          });
        if (res.status < 300 || res.status >= 400) return { status: res.status, headers: res.headers, text };
        // A renamed repository answers with a redirect to its new name. It is followed on the
        // Hub only: the token must not travel to wherever a Location header points.
        const location = res.headers.get('location');
        const next = location && method === 'GET' ? new URL(location, target) : undefined;
        if (!next || next.origin !== this.endpoint.origin || hops >= 3)
          throw upstreamError('status', `HuggingFace redirected ${where} (HTTP ${res.status})`, {
            status: res.status,
          });
        target = next;
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
        throw upstreamError(
          'timeout',
          `HuggingFace did not answer ${where} within ${this.timeoutMs / 1000} s`,
          {
            timeoutMs: this.timeoutMs,
          },
        );
      // fetch's own TypeError says only "fetch failed"; the reason (ECONNREFUSED, …) is its cause.
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      const code = (cause as { code?: unknown } | undefined)?.code;
      throw upstreamError('unreachable', `HuggingFace is unreachable (${where})`, {
        ...(typeof code === 'string' ? { error: code } : {}),
      });
    }
  }

  private json(answer: Answer, url: URL): unknown {
    try {
      return JSON.parse(answer.text);
    } catch {
      throw malformed(url, 'the answer is not JSON');
    }
  }

  private parse<S extends z.ZodType>(schema: S, answer: Answer, url: URL): z.output<S> {
    const parsed = schema.safeParse(this.json(answer, url));
    if (!parsed.success) {
      // Paths only: the values may hold a token (the OAuth answer does).
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)');
      throw malformed(url, `unexpected shape at ${fields.slice(0, 5).join(', ')}`);
    }
    return parsed.data;
  }
}

function malformed(url: URL, what: string): ApiError {
  return upstreamError(
    'malformed',
    `HuggingFace answered ${url.pathname} with something unreadable: ${what}`,
  );
}

async function readBody(res: Response, where: string): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop (the throw) cancels the stream: the rest is never read.
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES)
      throw upstreamError(
        'malformed',
        `HuggingFace answered ${where} with more than ${MAX_BODY_BYTES} bytes`,
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function refusal(answer: Answer): HubRefusal {
  let message = `HTTP ${answer.status}`;
  let error: string | undefined;
  try {
    const body: unknown = JSON.parse(answer.text);
    const parsed = HubErrorSchema.safeParse(body);
    if (parsed.success) {
      error = redactTokens(parsed.data.error).slice(0, 100);
      message = parsed.data.error_description ?? parsed.data.error;
    }
  } catch {
    // Not JSON (an HTML error page): the status says enough.
  }
  return {
    status: answer.status,
    message: redactTokens(message).slice(0, 300),
    ...(error ? { error } : {}),
  };
}
