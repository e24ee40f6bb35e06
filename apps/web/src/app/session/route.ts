// POST /session: sign in with a Kubernetes bearer token. Accepts JSON ({ token }) from the
// sign-in page's script and an HTML form post (token, next) when scripts are off. The token is
// checked with the API first and then kept only in an httpOnly cookie.
import { NextResponse } from 'next/server';
import { checkToken, safeReturnPath } from '~/server/sign-in';
import { SESSION_COOKIE, isPlausibleToken, sessionCookieOptions } from '~/server/session';

export const dynamic = 'force-dynamic';

interface SignInInput {
  token: string;
  next: string;
  form: boolean;
}

async function readInput(request: Request): Promise<SignInInput> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await request.json().catch(() => ({}))) as { token?: unknown; next?: unknown };
    return {
      token: typeof body.token === 'string' ? body.token.trim() : '',
      next: safeReturnPath(body.next),
      form: false,
    };
  }
  const form = await request.formData().catch(() => new FormData());
  const token = form.get('token');
  return {
    token: typeof token === 'string' ? token.trim() : '',
    next: safeReturnPath(form.get('next')),
    form: true,
  };
}

function redirectTo(request: Request, path: string): NextResponse {
  return NextResponse.redirect(new URL(path, request.url), 303);
}

export async function POST(request: Request): Promise<Response> {
  // Same rule as the API forwarding: only this site's pages may sign in.
  if (request.headers.get('sec-fetch-site') === 'cross-site')
    return NextResponse.json(
      { error: 'Cross-site requests are not accepted', code: 'FORBIDDEN' },
      { status: 403 },
    );
  const input = await readInput(request);
  const failed = (status: number, code: string, error: string) =>
    input.form
      ? redirectTo(request, `/login?error=${encodeURIComponent(code)}&next=${encodeURIComponent(input.next)}`)
      : NextResponse.json({ error, code, details: {} }, { status });

  if (!isPlausibleToken(input.token))
    return failed(400, 'VALIDATION_ERROR', 'Paste a bearer token: letters, digits and -._~+/ only.');
  const result = await checkToken(input.token);
  if (!result.ok) return failed(result.status, result.code, result.error);

  const response = input.form
    ? redirectTo(request, input.next)
    : NextResponse.json({ ok: true, authEnabled: result.authEnabled, next: input.next });
  // Without authentication the API ignores tokens; keeping one would only suggest otherwise.
  if (result.authEnabled) response.cookies.set(SESSION_COOKIE, input.token, sessionCookieOptions(request));
  return response;
}
