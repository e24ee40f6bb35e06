// How a sign-in with HuggingFace ended, as the callback page tells the Settings screen
// (/settings?huggingface=<outcome>). Only these fixed words travel in the URL — never a token,
// a code or text from elsewhere — and the screen shows the sentence written here for each.
import type { HfSecretResult } from '@airunway/schema';

export const HF_SIGN_IN_FAILURES = [
  'access_denied',
  'hub_error',
  'state_mismatch',
  'expired',
  'code_refused',
  'hub_unavailable',
  'forbidden',
  'signed_out',
  'failed',
] as const;
export type HfSignInFailure = (typeof HF_SIGN_IN_FAILURES)[number];

/** `signed-in`: saved everywhere it could be; `partial`: some namespaces refused it. */
export type HfSignInOutcome = 'signed-in' | 'partial' | HfSignInFailure;

/** What the dashboard server answers when the sign-in is finished (the token is not in it). */
export interface HfSignInResult {
  readonly success: boolean;
  readonly message: string;
  readonly user: { readonly name: string; readonly fullname: string };
  readonly results: readonly HfSecretResult[];
}

export const HF_SIGN_IN_MESSAGES: Readonly<Record<HfSignInFailure, string>> = {
  access_denied: 'Access was denied on HuggingFace, so nothing was saved.',
  hub_error: 'HuggingFace could not complete the sign-in. Nothing was saved; try again.',
  state_mismatch:
    'The answer from HuggingFace does not belong to the sign-in this browser started, so it was ignored. Nothing was saved.',
  expired:
    'This sign-in expired or was already finished (it must be completed within ten minutes). Nothing was saved; start again.',
  code_refused: 'HuggingFace did not accept the authorization code. Nothing was saved; start again.',
  hub_unavailable: 'HuggingFace could not be reached. Nothing was saved; try again later.',
  forbidden:
    'You may not write the token Secret in any of the namespaces (Kubernetes RBAC refused it). Nothing was saved.',
  signed_out: 'Your AI Runway session ended during the sign-in. Nothing was saved; sign in again.',
  failed: 'The sign-in could not be completed. Nothing was saved; try again.',
};

export function parseHfSignInOutcome(value: unknown): HfSignInOutcome | undefined {
  if (value === 'signed-in' || value === 'partial') return value;
  return (HF_SIGN_IN_FAILURES as readonly unknown[]).includes(value) ? (value as HfSignInFailure) : undefined;
}
