// Whose HuggingFace token this is (GET /api/whoami-v2). Answers are kept a minute under the
// SHA-256 of the token, never the token itself: the secrets status asks on every poll of the UI.
import type { HfUser } from '@airunway/schema';
import { TtlCache } from '../auth/ttl-cache.js';
import { tokenHash } from '../auth/token-review.js';
import { upstreamError, type HubClient } from './hub-client.js';

const USER_TTL_MS = 60_000;
/** A rejection is kept briefly: a token revoked a moment ago should not look valid for long. */
const REJECTED_TTL_MS = 5_000;

export type UserLookup =
  { readonly ok: true; readonly user: HfUser } | { readonly ok: false; readonly message: string };

export class HubUsers {
  private readonly cache: TtlCache<UserLookup>;

  constructor(
    private readonly hub: HubClient,
    now?: () => number,
  ) {
    this.cache = new TtlCache<UserLookup>({ maxEntries: 500, ...(now ? { now } : {}) });
  }

  /** The user, or why HuggingFace refused the token; throws UPSTREAM_UNAVAILABLE when it cannot say. */
  lookup(token: string): Promise<UserLookup> {
    return this.cache.getOrCompute(
      tokenHash(token),
      async () => {
        const answer = await this.hub.whoami(token);
        if (answer.ok) {
          const who = answer.value;
          const user: HfUser = {
            id: who.id,
            name: who.name,
            fullname: who.fullname ?? who.name,
            ...(who.email ? { email: who.email } : {}),
            ...(who.avatarUrl ? { avatarUrl: who.avatarUrl } : {}),
          };
          return { ok: true, user };
        }
        if (answer.refusal.status === 401 || answer.refusal.status === 403)
          return { ok: false, message: `HuggingFace does not accept the token (${answer.refusal.message})` };
        throw upstreamError(
          'status',
          `HuggingFace answered GET /api/whoami-v2 with HTTP ${answer.refusal.status}`,
          { status: answer.refusal.status },
        );
      },
      (result) => (result.ok ? USER_TTL_MS : REJECTED_TTL_MS),
    );
  }
}
