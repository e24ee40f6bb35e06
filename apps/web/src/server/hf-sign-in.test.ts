// The checks the finishing route makes before it asks the API anything: a callback this browser
// did not start, or one for a flow that is over, is refused on the spot. (The whole sign-in,
// API and Hub included, is e2e/specs/huggingface-sign-in.spec.ts.)
import { describe, expect, it } from 'vitest';
import { parseHfSignInOutcome } from '~/lib/hf-sign-in';
import { finishHfSignIn, HfSignInError } from './hf-sign-in';

const STATE = 'a'.repeat(43);
const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => 'finished',
    (err: unknown) => (err instanceof HfSignInError ? err.reason : String(err)),
  );
const finish = (over: Partial<Parameters<typeof finishHfSignIn>[0]>) =>
  finishHfSignIn({
    state: STATE,
    code: 'c0de',
    error: undefined,
    expected: STATE,
    session: undefined,
    ...over,
  });

describe('finishing a sign-in with HuggingFace', () => {
  it('refuses a callback without a flow in this browser as expired', async () => {
    expect(await reason(finish({ expected: undefined }))).toBe('expired');
  });

  it('refuses another flow’s state, or no code, as a state mismatch', async () => {
    expect(await reason(finish({ state: 'b'.repeat(43) }))).toBe('state_mismatch');
    expect(await reason(finish({ state: undefined }))).toBe('state_mismatch');
    expect(await reason(finish({ code: undefined }))).toBe('state_mismatch');
  });

  it('tells denied consent from the Hub’s other errors', async () => {
    expect(await reason(finish({ error: 'access_denied', expected: undefined }))).toBe('access_denied');
    expect(await reason(finish({ error: 'server_error', expected: undefined }))).toBe('hub_error');
  });

  it('reads back only the outcomes it knows', () => {
    expect(parseHfSignInOutcome('signed-in')).toBe('signed-in');
    expect(parseHfSignInOutcome('state_mismatch')).toBe('state_mismatch');
    expect(parseHfSignInOutcome('<script>')).toBeUndefined();
    expect(parseHfSignInOutcome(['expired'])).toBeUndefined();
  });
});
