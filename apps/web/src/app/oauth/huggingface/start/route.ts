// POST /oauth/huggingface/start: begins a sign-in with HuggingFace for the signed-in user and
// answers where to send the browser. The flow's state is kept in an httpOnly cookie that only
// the finishing route reads, so a callback this browser did not ask for is refused.
import { NextResponse, type NextRequest } from 'next/server';
import { isCrossSite, publicHost } from '~/server/forward';
import { HF_FLOW_MAX_AGE_SECONDS, HF_STATE_COOKIE, HfSignInError, startHfSignIn } from '~/server/hf-sign-in';
import { SESSION_COOKIE, requestIsHttps, sessionCookieOptions } from '~/server/session';

export const dynamic = 'force-dynamic';

export async function POST(request: NextRequest): Promise<Response> {
  if (isCrossSite(request))
    return NextResponse.json(
      { error: 'Cross-site requests are not accepted', code: 'FORBIDDEN', details: {} },
      { status: 403 },
    );
  // HuggingFace must send the browser back to the address it is using now.
  const origin = `${requestIsHttps(request) ? 'https' : 'http'}://${publicHost(request) ?? request.nextUrl.host}`;
  try {
    const { authorizationUrl, state } = await startHfSignIn(
      request.cookies.get(SESSION_COOKIE)?.value,
      origin,
    );
    const response = NextResponse.json({ authorizationUrl }, { headers: { 'Cache-Control': 'no-store' } });
    response.cookies.set(HF_STATE_COOKIE, state, {
      ...sessionCookieOptions(request),
      path: '/oauth/huggingface',
      maxAge: HF_FLOW_MAX_AGE_SECONDS,
    });
    return response;
  } catch (err) {
    if (!(err instanceof HfSignInError)) throw err;
    return NextResponse.json(err.toBody(), { status: err.status });
  }
}
