// Turns a request's Authorization header into a Caller. With authentication off every request
// acts with the API's own kubeconfig (local mode); with it on, a bearer token is required and
// checked by TokenReview, and the caller acts with that token.
import type { KubeClient } from '@airunway/kube';
import { ApiError } from '../errors.js';
import type { AccessReviewer } from './access-review.js';
import { forbidden, localCaller, type Caller, type ResourceAttributes } from './caller.js';
import { tokenHash, type TokenReviewer } from './token-review.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export interface AuthenticatorOptions {
  readonly enabled: boolean;
  /** The API's own client (its kubeconfig or service account). */
  readonly client: KubeClient;
  readonly tokens: TokenReviewer;
  readonly access: AccessReviewer;
}

export class Authenticator {
  readonly enabled: boolean;
  private readonly local: Caller;

  constructor(private readonly options: AuthenticatorOptions) {
    this.enabled = options.enabled;
    this.local = localCaller(options.client);
  }

  async authenticate(authorization: string | undefined): Promise<Caller> {
    if (!this.enabled) return this.local;
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token)
      throw new ApiError('UNAUTHORIZED', 'Authentication required: send a Kubernetes bearer token', {
        scheme: 'Bearer',
      });
    const hash = tokenHash(token);
    let review;
    try {
      review = await this.options.tokens.review(token, hash);
    } catch (err) {
      // The reviews themselves failed (apiserver down, or the API may not create reviews):
      // not the caller's fault, and not a reason to let anyone in.
      throw new ApiError(
        'CLUSTER_UNAVAILABLE',
        `Cannot verify the token: ${err instanceof Error ? err.message : String(err)}`,
        {},
        err,
      );
    }
    if (!review.authenticated)
      throw new ApiError(
        'UNAUTHORIZED',
        'Invalid or expired token',
        review.error ? { reason: review.error } : {},
      );

    const { username, groups } = review.user;
    const kube = this.options.client.withToken(token);
    const access = this.options.access;
    const can = async (attributes: ResourceAttributes) =>
      (await access.review(hash, kube, attributes)).allowed;
    return {
      username,
      groups,
      kube,
      token: () => token,
      can,
      authorize: async (attributes) => {
        const decision = await access.review(hash, kube, attributes);
        if (!decision.allowed) throw forbidden(username, attributes, decision.reason);
      },
    };
  }
}
