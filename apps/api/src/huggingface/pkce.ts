// PKCE (RFC 7636) for the HuggingFace sign-in, and the flows under way. The verifier is made
// and kept here, not in the browser: the callback page gets it back once, with the state
// HuggingFace returned, and only for the user who started the flow. Flows live ten minutes
// (a sign-in takes seconds) and at most MAX_PENDING are kept, the oldest dropped first, so
// nobody can grow the process by starting flows.
import { createHash, randomBytes } from 'node:crypto';

export const PENDING_TTL_MS = 10 * 60 * 1000;
const MAX_PENDING = 1000;

export interface PkcePair {
  /** 32 random bytes, base64url: 43 characters, the shortest RFC 7636 allows. */
  readonly verifier: string;
  /** S256: base64url(SHA-256(verifier)). */
  readonly challenge: string;
}

export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: challengeOf(verifier) };
}

export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** An unguessable state: 32 random bytes, base64url. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

export interface PendingFlow {
  readonly verifier: string;
  readonly redirectUri: string;
  /** Who started it (the Kubernetes user; "" with authentication off). */
  readonly owner: string;
}

interface Entry extends PendingFlow {
  readonly expiresAt: number;
}

export class PendingFlows {
  private readonly flows = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.flows.size;
  }

  add(state: string, flow: PendingFlow): void {
    this.prune();
    this.flows.set(state, { ...flow, expiresAt: this.now() + PENDING_TTL_MS });
    // Map order is insertion order: the first entries are the oldest.
    for (const oldest of this.flows.keys()) {
      if (this.flows.size <= MAX_PENDING) break;
      this.flows.delete(oldest);
    }
  }

  /**
   * The flow of `state`, removed: a verifier is handed out once. Another user's flow is not
   * found, and stays for its owner.
   */
  take(state: string, owner: string): PendingFlow | undefined {
    const entry = this.flows.get(state);
    if (!entry || entry.expiresAt <= this.now()) {
      this.flows.delete(state);
      return undefined;
    }
    if (entry.owner !== owner) return undefined;
    this.flows.delete(state);
    return { verifier: entry.verifier, redirectUri: entry.redirectUri, owner: entry.owner };
  }

  private prune(): void {
    const now = this.now();
    for (const [state, entry] of this.flows) if (entry.expiresAt <= now) this.flows.delete(state);
  }
}
