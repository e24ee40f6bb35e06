// The HuggingFace Hub's sign-in, as a stand-in for tests (which have no outside network): the
// parts of https://huggingface.co an OAuth app talks to, in the Hub's own shapes.
//   GET  /oauth/authorize   the consent page (authorization code + PKCE S256 only);
//   POST /oauth/authorize   the user's answer: 303 to redirect_uri with ?code&state, or with
//                           ?error=access_denied&state (RFC 6749 §4.1.2);
//   POST /oauth/token       the code and its verifier for an `hf_oauth_…` access token, checked
//                           against the challenge (RFC 7636 §4.6); a code is good once;
//   GET  /api/whoami-v2     whose token this is (401 for a token the Hub does not know).
// The API's tests and the browser tests both serve it from their own Hub stand-in.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** An answer of the Hub: JSON, or an HTML page, or a redirect. */
export interface HubReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** `body` is an HTML page, sent as it is. */
  readonly html?: boolean;
}

/** GET /api/whoami-v2 of a user token, as the Hub answers it (the avatar is a path of the Hub). */
export const HUB_USER = {
  type: 'user',
  id: '6530bd58a0e2f6d3b1c47e11',
  name: 'alice-hf',
  fullname: 'Alice Example',
  email: 'alice@example.com',
  emailVerified: true,
  canPay: false,
  periodEnd: null,
  isPro: false,
  avatarUrl: '/avatars/0f1e2d3c4b5a69788796a5b4c3d2e1f0.svg',
  orgs: [],
  auth: {
    type: 'access_token',
    accessToken: { displayName: 'airunway', role: 'read', createdAt: '2025-06-02T08:15:30.114Z' },
  },
} as const;

interface Grant {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly clientId: string;
}

/** What an authorization request asks for, once it is known to be one the Hub would serve. */
interface AuthorizationRequest {
  readonly clientId: string;
  /** As sent: the token request must repeat it exactly (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  readonly state: string | null;
  readonly scope: string;
  readonly challenge: string;
}

export function sendHubReply(res: ServerResponse, reply: HubReply): void {
  res.writeHead(reply.status, {
    'Content-Type': reply.html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(reply.html ? String(reply.body) : JSON.stringify(reply.body));
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HubReply => ({
  status,
  body,
  headers,
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const hubToken = (prefix = 'hf_') => `${prefix}${randomBytes(17).toString('hex')}`;

export class HubOAuth {
  /** Access tokens issued by /oauth/token, oldest first. */
  readonly issued: string[] = [];
  private readonly known = new Set<string>();
  private readonly grants = new Map<string, Grant>();

  constructor(readonly clientId: string) {}

  /** A user token whoami accepts, as one made at huggingface.co/settings/tokens. */
  userToken(): string {
    const token = hubToken();
    this.known.add(token);
    return token;
  }

  /** Whether the Hub accepts this token (a user token or one it issued). */
  knows(token: string): boolean {
    return this.known.has(token) || this.issued.includes(token);
  }

  /** What pressing "Authorize" on the consent page does: a code for this authorization URL. */
  authorize(authorizationUrl: string): string {
    const request = this.read(new URL(authorizationUrl).searchParams);
    if (typeof request === 'string') throw new Error(request);
    return this.grant(request);
  }

  /** The OAuth and whoami routes; undefined for every other path. */
  handle(method: string, url: URL, body: string, authorization: string | undefined): HubReply | undefined {
    const { pathname } = url;
    if (pathname === '/oauth/authorize' && method === 'GET') return this.consentPage(url.searchParams);
    if (pathname === '/oauth/authorize' && method === 'POST') return this.decide(new URLSearchParams(body));
    if (pathname === '/oauth/token' && method === 'POST') return this.token(body);
    if (pathname === '/api/whoami-v2' && method === 'GET') {
      const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
      return token && this.knows(token)
        ? json(200, HUB_USER)
        : json(401, { error: 'Invalid credentials in Authorization header' });
    }
    return undefined;
  }

  /** The request's parameters, or why the Hub would not serve it. */
  private read(q: URLSearchParams): AuthorizationRequest | string {
    if (q.get('client_id') !== this.clientId) return `unknown client_id ${q.get('client_id') ?? ''}`;
    if (q.get('response_type') !== 'code') return 'response_type must be code';
    const challenge = q.get('code_challenge') ?? '';
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return 'a PKCE S256 code_challenge is required';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!URL.canParse(redirectUri) || !/^https?:$/.test(new URL(redirectUri).protocol))
      return 'redirect_uri must be an http(s) URL';
    return {
      clientId: this.clientId,
      redirectUri,
      state: q.get('state'),
      scope: q.get('scope') ?? '',
      challenge,
    };
  }

  private grant(request: AuthorizationRequest): string {
    const code = randomBytes(12).toString('hex');
    this.grants.set(code, {
      challenge: request.challenge,
      redirectUri: request.redirectUri,
      clientId: request.clientId,
    });
    return code;
  }

  /** Errors of the request itself are shown, never redirected (RFC 6749 §4.1.2.1). */
  private refusePage(reason: string): HubReply {
    return { status: 400, html: true, body: page('Bad request', `<p>${escapeHtml(reason)}</p>`) };
  }

  private consentPage(q: URLSearchParams): HubReply {
    const request = this.read(q);
    if (typeof request === 'string') return this.refusePage(request);
    // The form posts the same parameters back with the user's answer.
    const hidden = [...q]
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const scopes = request.scope
      .split(' ')
      .filter(Boolean)
      .map((s) => `<li>${escapeHtml(s)}</li>`)
      .join('');
    return {
      status: 200,
      html: true,
      body: page(
        'Authorize application',
        `<h1>Authorize AI Runway</h1>
<p>Signed in as <strong>${HUB_USER.name}</strong>. The application asks for:</p><ul>${scopes}</ul>
<p>You will be sent back to ${escapeHtml(new URL(request.redirectUri).origin)}.</p>
<form method="post" action="/oauth/authorize">${hidden}
<button type="submit" name="decision" value="allow">Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
      ),
    };
  }

  private decide(form: URLSearchParams): HubReply {
    const request = this.read(form);
    if (typeof request === 'string') return this.refusePage(request);
    const back = new URL(request.redirectUri);
    if (form.get('decision') === 'allow') back.searchParams.set('code', this.grant(request));
    else {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied access to the application');
    }
    if (request.state !== null) back.searchParams.set('state', request.state);
    return { status: 303, body: '', html: true, headers: { Location: back.toString() } };
  }

  private token(body: string): HubReply {
    const form = new URLSearchParams(body);
    const code = form.get('code') ?? '';
    const grant = this.grants.get(code);
    this.grants.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const ok =
      grant &&
      form.get('grant_type') === 'authorization_code' &&
      form.get('client_id') === grant.clientId &&
      form.get('redirect_uri') === grant.redirectUri &&
      createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
    if (!ok) return json(400, { error: 'invalid_grant', error_description: 'Invalid or expired code' });
    const access = hubToken('hf_oauth_');
    this.issued.push(access);
    return json(200, {
      access_token: access,
      token_type: 'bearer',
      expires_in: 28800,
      scope: 'openid profile read-repos',
      id_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI2NTMwYmQ1OCJ9.c2lnbmF0dXJl',
    });
  }
}

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Hugging Face</title>
<style>body{font:15px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}</style></head><body>${content}</body></html>`;
}
