// Sends a visitor without a session to sign in, before any screen renders — but only when the
// API asks for tokens: with authentication off, the dashboard opens directly. Signed-in
// requests pass straight through (the API judges the token on every call).
import { NextResponse, type NextRequest } from 'next/server';
import { webConfig } from './server/config';
import { SESSION_COOKIE } from './server/session';

async function apiWantsToken(): Promise<boolean> {
  try {
    const response = await fetch(new URL('/api/settings', webConfig().apiUrl), {
      cache: 'no-store',
      signal: AbortSignal.timeout(3_000),
    });
    return response.status === 401;
  } catch {
    // The API is down: let the screen open and say so, rather than send the user to sign in.
    return false;
  }
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (request.cookies.has(SESSION_COOKIE) || !(await apiWantsToken())) return NextResponse.next();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  return NextResponse.redirect(new URL(`/login?next=${encodeURIComponent(next)}`, request.url));
}

export const config = {
  // Screens only: not the forwarded API, sign-in itself, or Next.js's assets. Nor HuggingFace's
  // return (/oauth/…): that navigation comes from huggingface.co, so the browser leaves the
  // SameSite=Strict session cookie off it; the callback page's own requests carry it again.
  matcher: ['/((?!api/|trpc/|session|login|oauth/|_next/|icon\\.svg|favicon\\.ico).*)'],
};
