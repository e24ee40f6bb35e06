import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { challengeOf, createPkcePair, flowKey, PENDING_TTL_MS, SealedFlows } from './pkce.js';

describe('PKCE', () => {
  it('makes a 43-character verifier and its S256 challenge', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    // RFC 7636 Appendix B
    expect(challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('SealedFlows', () => {
  const secret = 'a shared secret of at least thirty-two characters';
  const start = { redirectUri: 'http://localhost:3000/oauth/callback/huggingface', owner: 'alice' };

  it('starts a flow: an opaque state, a 43-character verifier and its S256 challenge', () => {
    const flows = new SealedFlows(flowKey(secret));
    const flow = flows.start(start);
    expect(flow.state).toMatch(/^[A-Za-z0-9_-]+$/);
    // Sealed: neither the user nor the redirect URI can be read from what goes to HuggingFace.
    expect(Buffer.from(flow.state, 'base64url').toString('latin1')).not.toMatch(/alice|localhost/);
    expect(flow.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(flow.challenge).toBe(challengeOf(flow.verifier));
    expect(flows.start(start).state).not.toBe(flow.state);
  });

  it('is finished by another replica with the same key, once, by its owner only', () => {
    const flow = new SealedFlows(flowKey(secret)).start(start);
    const other = new SealedFlows(flowKey(secret));
    expect(other.open(flow.state, 'bob')).toBeUndefined();
    expect(other.open(flow.state, 'alice')).toEqual({
      verifier: flow.verifier,
      redirectUri: start.redirectUri,
    });
    expect(other.open(flow.state, 'alice')).toBeUndefined();
  });

  it('refuses states of another key, altered states and garbage', () => {
    const flow = new SealedFlows(flowKey(secret)).start(start);
    expect(
      new SealedFlows(flowKey('another secret, also thirty-two characters long')).open(flow.state, 'alice'),
    ).toBeUndefined();
    expect(new SealedFlows(flowKey(undefined)).open(flow.state, 'alice')).toBeUndefined();
    const raw = Buffer.from(flow.state, 'base64url');
    raw[20] = (raw[20] ?? 0) ^ 1;
    const flows = new SealedFlows(flowKey(secret));
    expect(flows.open(raw.toString('base64url'), 'alice')).toBeUndefined();
    expect(flows.open('not-a-state-at-all', 'alice')).toBeUndefined();
    expect(flows.open('', 'alice')).toBeUndefined();
  });

  it('expires after ten minutes', () => {
    let now = 1_000;
    const flows = new SealedFlows(flowKey(secret), () => now);
    const flow = flows.start(start);
    now += PENDING_TTL_MS;
    expect(flows.open(flow.state, 'alice')).toBeUndefined();
  });

  it('forgets spent states once they have expired', () => {
    let now = 1_000;
    const flows = new SealedFlows(flowKey(secret), () => now);
    flows.open(flows.start(start).state, 'alice');
    expect(flows.spentCount).toBe(1);
    now += PENDING_TTL_MS;
    flows.open(flows.start(start).state, 'alice');
    expect(flows.spentCount).toBe(1);
  });
});
