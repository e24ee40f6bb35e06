// Bearer tokens are checked with a Kubernetes TokenReview, so every identity the cluster
// accepts (service-account tokens, OIDC, static tokens, webhooks) works here too. Answers are
// cached briefly by the SHA-256 of the token — never the token itself — so a page load's burst
// of requests costs one review; a revoked token stops working within the positive TTL.
import { createHash } from 'node:crypto';
import { Resources, type KubeClient, type KubeObject } from '@airunway/kube';
import { TtlCache } from './ttl-cache.js';

export interface ReviewedUser {
  readonly username: string;
  readonly uid: string | undefined;
  readonly groups: readonly string[];
}

export type TokenReviewResult =
  | { readonly authenticated: true; readonly user: ReviewedUser }
  | { readonly authenticated: false; readonly error: string | undefined };

interface TokenReviewObject extends KubeObject {
  spec: { token: string };
  status?: {
    authenticated?: boolean;
    user?: { username?: string; uid?: string; groups?: string[] };
    error?: string;
  };
}

export interface TokenReviewerOptions {
  /** Reviews are created with this client (the API's own identity: it needs tokenreviews create). */
  readonly client: KubeClient;
  /** How long an accepted token is trusted without asking again (default 30 s). */
  readonly ttlMs?: number;
  /** How long a rejected token stays rejected without asking again (default 5 s). */
  readonly negativeTtlMs?: number;
  readonly maxEntries?: number;
  /** Called for each review sent to the apiserver (not for cached answers). */
  readonly onReview?: (authenticated: boolean) => void;
  readonly now?: () => number;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TokenReviewer {
  private readonly cache: TtlCache<TokenReviewResult>;

  constructor(private readonly options: TokenReviewerOptions) {
    this.cache = new TtlCache({ maxEntries: options.maxEntries ?? 10_000, now: options.now });
  }

  review(token: string, hash = tokenHash(token)): Promise<TokenReviewResult> {
    return this.cache.getOrCompute(
      hash,
      () => this.send(token),
      (result) =>
        result.authenticated ? (this.options.ttlMs ?? 30_000) : (this.options.negativeTtlMs ?? 5_000),
    );
  }

  private async send(token: string): Promise<TokenReviewResult> {
    const review = await this.options.client.create<TokenReviewObject>(Resources.TokenReview, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      metadata: {},
      spec: { token },
    });
    const status = review.status ?? {};
    const username = status.user?.username;
    const authenticated = status.authenticated === true && !!username;
    this.options.onReview?.(authenticated);
    if (!authenticated) return { authenticated: false, error: status.error };
    return {
      authenticated: true,
      user: { username, uid: status.user?.uid, groups: status.user?.groups ?? [] },
    };
  }
}
