import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { challengeOf, createPkcePair, createState, PENDING_TTL_MS, PendingFlows } from './pkce.js';

describe('PKCE', () => {
  it('makes a 43-character verifier and its S256 challenge', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    // RFC 7636 Appendix B
    expect(challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(createState()).not.toBe(createState());
  });
});

describe('PendingFlows', () => {
  const flow = (owner = 'alice') => ({ verifier: 'v'.repeat(43), redirectUri: 'http://localhost/cb', owner });

  it('hands a flow out once, to its owner only', () => {
    const flows = new PendingFlows();
    flows.add('s1', flow());
    expect(flows.take('s1', 'bob')).toBeUndefined();
    expect(flows.take('s1', 'alice')).toEqual(flow());
    expect(flows.take('s1', 'alice')).toBeUndefined();
  });

  it('forgets flows after ten minutes', () => {
    let now = 0;
    const flows = new PendingFlows(() => now);
    flows.add('s1', flow());
    now = PENDING_TTL_MS;
    expect(flows.take('s1', 'alice')).toBeUndefined();
  });

  it('keeps at most 1000, dropping the oldest', () => {
    const flows = new PendingFlows();
    for (let i = 0; i < 1005; i++) flows.add(`s${i}`, flow());
    expect(flows.size).toBe(1000);
    expect(flows.take('s0', 'alice')).toBeUndefined();
    expect(flows.take('s1004', 'alice')).toBeDefined();
  });
});
