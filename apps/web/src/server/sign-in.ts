// Checks a token against the API before it becomes a session: the API asks the cluster
// (TokenReview), so a token is accepted exactly when kubectl would accept it.
import { webConfig } from './config';

export type SignInResult =
  | { readonly ok: true; readonly authEnabled: boolean }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly error: string };

export async function checkToken(token: string, signal?: AbortSignal): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/settings', webConfig().apiUrl), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
      redirect: 'manual',
      signal: signal ?? AbortSignal.timeout(10_000),
    });
  } catch {
    return { ok: false, status: 502, code: 'API_UNREACHABLE', error: 'The AI Runway API is not reachable.' };
  }
  if (response.status === 401)
    return {
      ok: false,
      status: 401,
      code: 'UNAUTHORIZED',
      error: 'The cluster did not accept this token. It may be mistyped, expired or revoked.',
    };
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; code?: string };
    return {
      ok: false,
      status: response.status,
      code: body.code ?? 'INTERNAL_ERROR',
      error: body.error ?? `The API answered ${response.status}.`,
    };
  }
  const settings = (await response.json().catch(() => ({}))) as { auth?: { enabled?: boolean } };
  return { ok: true, authEnabled: settings.auth?.enabled === true };
}

/** A same-site path to return to after signing in; anything else goes to the start page. */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return '/';
  if (next.startsWith('/login') || next.startsWith('/session')) return '/';
  return next;
}
