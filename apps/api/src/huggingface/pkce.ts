// PKCE (RFC 7636) for the HuggingFace sign-in, and the flows under way. The verifier is made
// here, not in the browser: the callback page gets it back once, with the state HuggingFace
// returned, and only for the user who started the flow.
//
// Nothing about a flow is stored. Its state is sealed (AES-256-GCM) with what the verifier call
// must know — who started it, the redirect URI, when it expires — and the verifier is derived
// from the state with an HMAC. Any API replica holding the same key can therefore finish a flow
// another replica started (the Helm chart runs two behind one Service), and the user's name
// never travels to HuggingFace in clear. A verifier is handed out once per replica; a replay on
// another replica within the ten minutes gains nothing, as HuggingFace accepts each
// authorization code once.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

export const PENDING_TTL_MS = 10 * 60 * 1000;
/** Spent states remembered (for their remaining lifetime) before the oldest are forgotten. */
const MAX_SPENT = 10_000;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Binds a sealed state to this use (and its format version). */
const AAD = Buffer.from('airunway/hf-oauth-state/v1');

export interface PkcePair {
  /** 32 bytes, base64url: 43 characters, the shortest RFC 7636 allows. */
  readonly verifier: string;
  /** S256: base64url(SHA-256(verifier)). */
  readonly challenge: string;
}

export function createPkcePair(): PkcePair {
  return pairOf(randomBytes(32).toString('base64url'));
}

function pairOf(verifier: string): PkcePair {
  return { verifier, challenge: challengeOf(verifier) };
}

export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export interface FlowStart {
  readonly redirectUri: string;
  /** Who starts it (the Kubernetes user; "" with authentication off). */
  readonly owner: string;
}

export interface OpenedFlow {
  readonly verifier: string;
  readonly redirectUri: string;
}

interface Sealed {
  /** redirect URI */
  readonly u: string;
  /** owner */
  readonly o: string;
  /** expiry, ms since the epoch */
  readonly x: number;
}

/**
 * The key every replica shares: from a configured secret (any string of 32 or more characters,
 * hashed to 256 bits), or made at random when there is none (one process: local mode, tests).
 */
export function flowKey(secret: string | undefined): Buffer {
  return secret === undefined ? randomBytes(32) : createHash('sha256').update(secret).digest();
}

export class SealedFlows {
  private readonly encryptionKey: Buffer;
  private readonly verifierKey: Buffer;
  /** state → expiry: states whose verifier this replica has handed out. */
  private readonly spent = new Map<string, number>();

  constructor(
    key: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    // Two keys from one: the same bytes never serve both the cipher and the HMAC.
    this.encryptionKey = createHmac('sha256', key).update('state encryption').digest();
    this.verifierKey = createHmac('sha256', key).update('pkce verifier').digest();
  }

  /** A new flow: its state (to send to HuggingFace) and the PKCE pair it implies. */
  start(flow: FlowStart): { readonly state: string } & PkcePair {
    const sealed: Sealed = { u: flow.redirectUri, o: flow.owner, x: this.now() + PENDING_TTL_MS };
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv).setAAD(AAD);
    const body = Buffer.concat([cipher.update(JSON.stringify(sealed), 'utf8'), cipher.final()]);
    const state = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    return { state, ...pairOf(this.verifierOf(state)) };
  }

  /**
   * The verifier and redirect URI of `state`, once: undefined when the state was not made with
   * this key, has expired, was already opened here, or belongs to another user (it stays
   * theirs).
   */
  open(state: string, owner: string): OpenedFlow | undefined {
    const sealed = this.unseal(state);
    const now = this.now();
    if (!sealed || sealed.x <= now || sealed.o !== owner || this.spent.has(state)) return undefined;
    this.spend(state, sealed.x);
    return { verifier: this.verifierOf(state), redirectUri: sealed.u };
  }

  /** States remembered as spent (bounded). */
  get spentCount(): number {
    return this.spent.size;
  }

  private verifierOf(state: string): string {
    return createHmac('sha256', this.verifierKey).update(state).digest('base64url');
  }

  private unseal(state: string): Sealed | undefined {
    const raw = Buffer.from(state, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, IV_BYTES))
        .setAAD(AAD)
        .setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const text = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      const value = JSON.parse(text) as Partial<Sealed>;
      return typeof value.u === 'string' && typeof value.o === 'string' && typeof value.x === 'number'
        ? { u: value.u, o: value.o, x: value.x }
        : undefined;
    } catch {
      // Not sealed with this key, or altered: no such flow.
      return undefined;
    }
  }

  private spend(state: string, expiresAt: number): void {
    const now = this.now();
    for (const [s, x] of this.spent) if (x <= now) this.spent.delete(s);
    this.spent.set(state, expiresAt);
    // Map order is insertion order: the first entries are the oldest.
    for (const oldest of this.spent.keys()) {
      if (this.spent.size <= MAX_SPENT) break;
      this.spent.delete(oldest);
    }
  }
}
