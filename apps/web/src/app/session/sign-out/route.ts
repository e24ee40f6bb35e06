// POST /session/sign-out: forgets the token (a plain form post, so it works without scripts).
import { NextResponse } from 'next/server';
import { expiredSessionCookie } from '~/server/session';

export const dynamic = 'force-dynamic';

export function POST(request: Request): Response {
  if (request.headers.get('sec-fetch-site') === 'cross-site')
    return NextResponse.json(
      { error: 'Cross-site requests are not accepted', code: 'FORBIDDEN' },
      { status: 403 },
    );
  const response = NextResponse.redirect(new URL('/login?signedOut=1', request.url), 303);
  response.headers.append('set-cookie', expiredSessionCookie(request));
  return response;
}
