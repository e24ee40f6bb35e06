// Whether a user may do something, asked of Kubernetes with a SelfSubjectAccessReview sent
// with the user's own token: the answer is exactly what kubectl would get (groups, extra and
// every authorizer included), and the API needs no right to review others. Answers are cached
// briefly per token and question; a grant or revocation takes effect within the TTL.
import { Resources, type KubeClient, type KubeObject } from '@airunway/kube';
import type { ResourceAttributes } from './caller.js';
import { TtlCache } from './ttl-cache.js';

export interface AccessDecision {
  readonly allowed: boolean;
  readonly reason: string | undefined;
}

interface SelfSubjectAccessReviewObject extends KubeObject {
  spec: { resourceAttributes: ResourceAttributes };
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

export interface AccessReviewerOptions {
  /** Default 15 s. */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  /** Called for each review sent to the apiserver (not for cached answers). */
  readonly onReview?: (allowed: boolean) => void;
  readonly now?: () => number;
}

export class AccessReviewer {
  private readonly cache: TtlCache<AccessDecision>;

  constructor(private readonly options: AccessReviewerOptions = {}) {
    this.cache = new TtlCache({ maxEntries: options.maxEntries ?? 50_000, now: options.now });
  }

  /** `userClient` acts with the token whose hash is `tokenHash`. */
  review(tokenHash: string, userClient: KubeClient, attributes: ResourceAttributes): Promise<AccessDecision> {
    const a = attributes;
    const key = [
      tokenHash,
      a.verb,
      a.group ?? '',
      a.resource,
      a.subresource ?? '',
      a.namespace ?? '',
      a.name ?? '',
    ].join('\u0000');
    return this.cache.getOrCompute(
      key,
      () => this.send(userClient, a),
      () => this.options.ttlMs ?? 15_000,
    );
  }

  private async send(userClient: KubeClient, attributes: ResourceAttributes): Promise<AccessDecision> {
    const review = await userClient.create<SelfSubjectAccessReviewObject>(Resources.SelfSubjectAccessReview, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { ...attributes, group: attributes.group ?? '' } },
    });
    const allowed = review.status?.allowed === true && review.status.denied !== true;
    this.options.onReview?.(allowed);
    return { allowed, reason: review.status?.reason || review.status?.evaluationError || undefined };
  }
}
