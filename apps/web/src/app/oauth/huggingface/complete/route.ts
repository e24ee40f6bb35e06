// POST /oauth/huggingface/complete { state, code } or { state, error }: finishes the sign-in the
// callback page was sent back with — the state checked against this browser's cookie, then
// verifier, token exchange and the token Secret through the API (server/hf-sign-in.ts). The
// answer says whose token was saved where; the token itself never leaves this server.
import { NextResponse, type NextRequest } from 'next/server';
import { isCrossSite } from '~/server/forward';
import { HF_STATE_COOKIE, HfSignInError, finishHfSignIn } from '~/server/hf-sign-in';
import { SESSION_COOKIE } from '~/server/session';

export const dynamic = 'force-dynamic';

const text = (value: unknown) => (typeof value === 'string' && value.length <= 2048 ? value : undefined);

export async function POST(request: NextRequest): Promise<Response> {
  if (isCrossSite(request))
    return NextResponse.json(
      { error: 'Cross-site requests are not accepted', code: 'FORBIDDEN', details: {} },
      { status: 403 },
    );
  const body = ((await request.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  let response: NextResponse;
  try {
    const result = await finishHfSignIn({
      state: text(body.state),
      code: text(body.code),
      error: text(body.error),
      expected: request.cookies.get(HF_STATE_COOKIE)?.value,
      session: request.cookies.get(SESSION_COOKIE)?.value,
    });
    response = NextResponse.json(result);
  } catch (err) {
    if (!(err instanceof HfSignInError)) throw err;
    // The API's words, for whoever runs the dashboard (they never hold a token).
    if (err.reason === 'failed') console.error(`HuggingFace sign-in failed: ${err.message}`);
    response = NextResponse.json(err.toBody(), { status: err.status });
  }
  // One finish per start, whatever the outcome.
  response.cookies.delete({ name: HF_STATE_COOKIE, path: '/oauth/huggingface' });
  response.headers.set('Cache-Control', 'no-store');
  return response;
}
