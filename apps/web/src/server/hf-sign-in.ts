// Sign-in with HuggingFace (OAuth authorization code + PKCE), the dashboard's half. The API keeps
// the PKCE verifier and talks to the Hub; this server
//   - starts a flow for the signed-in user and remembers its `state` in an httpOnly cookie, so
//     that only the browser that started a flow can finish it (RFC 6749 §10.12);
//   - finishes it when the callback page hands over `code` and `state`: verifier, token
//     exchange and the token Secret, one API call after the other, all here. The HuggingFace
//     token exists only in this function's memory: it never reaches the browser or a log.
import {
  HfOAuthStartResponseSchema,
  HfOAuthTokenResponseSchema,
  HfOAuthVerifierResponseSchema,
  OAuthStateSchema,
  SaveHfSecretResponseSchema,
} from '@airunway/schema';
import type { z } from 'zod';
import type { HfSignInFailure, HfSignInResult } from '~/lib/hf-sign-in';
import { webConfig } from './config';

export const HF_STATE_COOKIE = 'airunway_hf_oauth';
/** The page HuggingFace sends the browser back to (the OAuth app's redirect URI). */
export const HF_CALLBACK_PATH = '/oauth/callback/huggingface';
/** The state cookie lives as long as the API keeps the flow's verifier (ten minutes). */
export const HF_FLOW_MAX_AGE_SECONDS = 600;

type Answer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly error: string };

/** One call of the API as the signed-in user; its refusals come back as values. */
async function callApi<S extends z.ZodType>(
  schema: S,
  path: string,
  session: string | undefined,
  body?: unknown,
): Promise<Answer<z.output<S>>> {
  let response: Response;
  try {
    response = await fetch(new URL(`/api${path}`, webConfig().apiUrl), {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(session ? { authorization: `Bearer ${session}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(20_000),
    });
  } catch {
    return { ok: false, status: 502, code: 'API_UNREACHABLE', error: 'The AI Runway API is not reachable.' };
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const refusal = (json ?? {}) as { error?: unknown; code?: unknown };
    return {
      ok: false,
      status: response.status,
      code: typeof refusal.code === 'string' ? refusal.code : 'INTERNAL_ERROR',
      error: typeof refusal.error === 'string' ? refusal.error : `The API answered ${response.status}.`,
    };
  }
  const parsed = schema.safeParse(json);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, status: 502, code: 'INTERNAL_ERROR', error: `The API answered ${path} unexpectedly.` };
}

/** Why a sign-in stopped: the outcome for the Settings screen, and the API's code when it refused. */
export class HfSignInError extends Error {
  constructor(
    readonly status: number,
    readonly reason: HfSignInFailure,
    message: string,
    readonly code = 'HF_SIGN_IN_FAILED',
  ) {
    super(message);
  }

  toBody() {
    return { error: this.message, code: this.code, details: { reason: this.reason } };
  }
}

/** What a refusal of the API means for the sign-in. */
function failed(answer: Extract<Answer<unknown>, { ok: false }>): HfSignInError {
  const reason: HfSignInFailure =
    answer.status === 401
      ? 'signed_out'
      : answer.code === 'FORBIDDEN'
        ? 'forbidden'
        : answer.code === 'UPSTREAM_UNAVAILABLE'
          ? 'hub_unavailable'
          : 'failed';
  return new HfSignInError(answer.status, reason, answer.error, answer.code);
}

export async function startHfSignIn(session: string | undefined, origin: string) {
  const redirectUri = new URL(HF_CALLBACK_PATH, origin).toString();
  const started = await callApi(HfOAuthStartResponseSchema, '/oauth/huggingface/start', session, {
    redirectUri,
  });
  if (!started.ok) throw failed(started);
  return started.value;
}

export interface CallbackInput {
  /** What HuggingFace put in the callback URL. */
  readonly state: string | undefined;
  readonly code: string | undefined;
  readonly error: string | undefined;
  /** The state this browser started with (the cookie), if the flow has not expired. */
  readonly expected: string | undefined;
  readonly session: string | undefined;
}

export async function finishHfSignIn(input: CallbackInput): Promise<HfSignInResult> {
  const { state, expected, session } = input;
  const ours = expected !== undefined && state === expected && OAuthStateSchema.safeParse(state).success;
  if (input.error !== undefined) {
    // The flow is over: spend its verifier so that it cannot be finished later.
    if (ours) await callApi(HfOAuthVerifierResponseSchema, `/oauth/huggingface/verifier/${state}`, session);
    throw input.error === 'access_denied'
      ? new HfSignInError(400, 'access_denied', 'Access was denied on HuggingFace.')
      : new HfSignInError(502, 'hub_error', `HuggingFace ended the sign-in with "${input.error}".`);
  }
  if (expected === undefined)
    throw new HfSignInError(400, 'expired', 'No sign-in is under way in this browser, or it expired.');
  if (!ours || !input.code)
    throw new HfSignInError(
      400,
      'state_mismatch',
      'The answer does not belong to the sign-in this browser started.',
    );

  const flow = await callApi(HfOAuthVerifierResponseSchema, `/oauth/huggingface/verifier/${state}`, session);
  if (!flow.ok) {
    if (flow.status === 404) throw new HfSignInError(400, 'expired', flow.error);
    throw failed(flow);
  }
  const token = await callApi(HfOAuthTokenResponseSchema, '/oauth/huggingface/token', session, {
    code: input.code,
    codeVerifier: flow.value.codeVerifier,
    redirectUri: flow.value.redirectUri,
  });
  if (!token.ok) {
    if (token.code === 'VALIDATION_ERROR') throw new HfSignInError(400, 'code_refused', token.error);
    throw failed(token);
  }
  const saved = await callApi(SaveHfSecretResponseSchema, '/secrets/huggingface', session, {
    accessToken: token.value.accessToken,
  });
  if (!saved.ok) throw failed(saved);
  const { name, fullname } = token.value.user;
  return {
    success: saved.value.success,
    message: saved.value.message,
    user: { name, fullname },
    results: saved.value.results,
  };
}
