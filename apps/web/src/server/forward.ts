// Forwards /api/* and /trpc/* from the browser to the AI Runway API. The browser never holds
// the user's token: it is read from the httpOnly session cookie here and sent on as a Bearer
// token. Only a fixed set of headers passes either way, the target origin is fixed, and
// state-changing requests must come from this site's own pages.
import { webConfig } from './config';
import { SESSION_COOKIE, expiredSessionCookie } from './session';

/** What the browser may tell the API; everything else (Cookie, Authorization, …) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'last-event-id', 'x-hf-token'];

/** Hop-by-hop headers, and ones that no longer describe the body once fetch has decoded it. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'set-cookie',
  'www-authenticate',
]);

const MAX_BODY_BYTES = 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD']);

function errorResponse(status: number, code: string, error: string): Response {
  return Response.json({ error, code, details: {} }, { status, headers: { 'Cache-Control': 'no-store' } });
}

/** The host the browser addressed, as a TLS-terminating proxy reports it. */
export function publicHost(request: Request): string | null {
  return request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() ?? request.headers.get('host');
}

// Browsers send Origin on every state-changing fetch; a cross-site one is refused, so no other
// site can make a signed-in browser act (SameSite=Strict already keeps the cookie from it).
export function isCrossSite(request: Request): boolean {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = request.headers.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== publicHost(request);
  } catch {
    return true;
  }
}

// Re-encodes a decoded path segment, keeping what paths may hold literally (tRPC batches
// procedures as "a,b"; model ids carry dots).
function encodeSegment(segment: string): string {
  return encodeURI(segment).replace(/[/?#]/g, (c) => encodeURIComponent(c));
}

export function sessionToken(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export async function forwardToApi(
  request: Request,
  prefix: '/api' | '/trpc',
  segments: readonly string[],
  apiUrl: URL = webConfig().apiUrl,
): Promise<Response> {
  // Segments arrive decoded; "." and ".." would walk out of the prefix once re-joined.
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    return errorResponse(400, 'VALIDATION_ERROR', 'Malformed path');
  const method = request.method.toUpperCase();
  if (!SAFE_METHODS.has(method) && isCrossSite(request))
    return errorResponse(403, 'FORBIDDEN', 'Cross-site requests are not accepted');

  const incoming = new URL(request.url);
  const target = new URL(`${prefix}/${segments.map(encodeSegment).join('/')}`, apiUrl);
  target.search = incoming.search;

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const token = sessionToken(request);
  if (token) headers.set('authorization', `Bearer ${token}`);

  let body: ArrayBuffer | undefined;
  if (!SAFE_METHODS.has(method)) {
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) return errorResponse(413, 'PAYLOAD_TOO_LARGE', 'Request body too large');
    body = await request.arrayBuffer();
    if (body.byteLength > MAX_BODY_BYTES)
      return errorResponse(413, 'PAYLOAD_TOO_LARGE', 'Request body too large');
  }

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      redirect: 'manual',
      cache: 'no-store',
      // A closed browser tab stops a followed log or a watch upstream too.
      signal: request.signal,
    });
  } catch (err) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const reason = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return errorResponse(502, 'API_UNREACHABLE', `The AI Runway API is not reachable: ${reason}`);
  }

  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders.set(name, value);
  });
  const type = upstream.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream') || type.startsWith('application/x-ndjson')) {
    // Streams (live changes, logs, install progress): no-transform keeps the server's
    // compression from buffering them.
    responseHeaders.set('cache-control', 'no-cache, no-transform');
    responseHeaders.set('x-accel-buffering', 'no');
  } else if (!responseHeaders.has('cache-control')) {
    responseHeaders.set('cache-control', 'no-store');
  }
  // A token the API no longer accepts (expired, revoked) ends the session.
  if (upstream.status === 401 && token) responseHeaders.append('set-cookie', expiredSessionCookie(request));
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}
