// The sign-in session: the user's Kubernetes bearer token in an httpOnly cookie. Browser
// scripts can neither read nor send it anywhere but this server, which adds it to the
// requests it forwards to the API.
import { webConfig } from './config';

export const SESSION_COOKIE = 'airunway_session';

/** Longest token accepted; service-account JWTs are about 1 kB, OIDC ID tokens a few. */
export const MAX_TOKEN_LENGTH = 16_384;

/** A bearer token as RFC 6750 allows it (b64token), so it cannot break a header. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export function isPlausibleToken(token: string): boolean {
  return token.length > 0 && token.length <= MAX_TOKEN_LENGTH && TOKEN.test(token);
}

export function requestIsHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  if (forwarded) return forwarded === 'https';
  return new URL(request.url).protocol === 'https:';
}

export function sessionCookieOptions(request: Request) {
  const { secureCookies, sessionMaxAge } = webConfig();
  const secure = secureCookies === 'always' || (secureCookies === 'auto' && requestIsHttps(request));
  return {
    httpOnly: true,
    // Strict: a cross-site page can neither read the session nor make the browser send it.
    sameSite: 'strict' as const,
    secure,
    path: '/',
    maxAge: sessionMaxAge,
  };
}

export function expiredSessionCookie(request: Request): string {
  const { secure } = sessionCookieOptions(request);
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
