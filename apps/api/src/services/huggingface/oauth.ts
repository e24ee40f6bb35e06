// /oauth/huggingface/*: sign-in with HuggingFace, authorization code + PKCE (S256). The flow:
// start (a sealed state and the verifier it implies, see huggingface/pkce.ts) → the browser
// visits HuggingFace → the callback page gets the verifier once with the returned state → token
// exchanges code + verifier for an access token and says whose it is.
import type {
  HfOAuthConfigResponse,
  HfOAuthStartRequest,
  HfOAuthStartResponse,
  HfOAuthTokenRequest,
  HfOAuthTokenResponse,
  HfOAuthVerifierResponse,
} from '@airunway/schema';
import type { Caller } from '../../auth/caller.js';
import { ApiError } from '../../errors.js';
import { HF_OAUTH_SCOPES } from '../../huggingface/config.js';
import { upstreamError, type HubClient } from '../../huggingface/hub-client.js';
import { flowKey, SealedFlows } from '../../huggingface/pkce.js';
import type { HubUsers } from '../../huggingface/users.js';

export interface HuggingFaceOAuthOptions {
  readonly hub: HubClient;
  readonly users: HubUsers;
  readonly clientId: string;
  /** Shared by every replica (HF_OAUTH_STATE_SECRET); random per process when absent. */
  readonly stateSecret?: string;
  readonly now?: () => number;
}

/** The flows of one user are theirs alone; with authentication off there is one user. */
const ownerOf = (caller: Caller) => caller.username ?? '';

export class HuggingFaceOAuthService {
  private readonly flows: SealedFlows;

  constructor(private readonly options: HuggingFaceOAuthOptions) {
    this.flows = new SealedFlows(flowKey(options.stateSecret), options.now);
  }

  config(): HfOAuthConfigResponse {
    return {
      clientId: this.options.clientId,
      authorizeUrl: this.options.hub.url('oauth/authorize').toString(),
      scopes: [...HF_OAUTH_SCOPES],
    };
  }

  start(caller: Caller, input: HfOAuthStartRequest): HfOAuthStartResponse {
    const { state, challenge } = this.flows.start({ redirectUri: input.redirectUri, owner: ownerOf(caller) });
    const url = this.options.hub.url('oauth/authorize');
    url.search = new URLSearchParams({
      client_id: this.options.clientId,
      redirect_uri: input.redirectUri,
      response_type: 'code',
      scope: HF_OAUTH_SCOPES.join(' '),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return { authorizationUrl: url.toString(), state };
  }

  verifier(caller: Caller, state: string): HfOAuthVerifierResponse {
    const flow = this.flows.open(state, ownerOf(caller));
    if (!flow)
      throw ApiError.notFound(
        'No sign-in is under way with this state: it expired, was used, or is not yours',
        {
          state,
        },
      );
    return { codeVerifier: flow.verifier, redirectUri: flow.redirectUri };
  }

  async exchange(_caller: Caller, input: HfOAuthTokenRequest): Promise<HfOAuthTokenResponse> {
    const answer = await this.options.hub.exchangeCode({ clientId: this.options.clientId, ...input });
    if (!answer.ok) {
      const { status, error, message } = answer.refusal;
      // RFC 6749 §5.2: the grant (code, verifier or redirect URI) is wrong, not the Hub.
      if (status === 400 || status === 401)
        throw ApiError.validation(
          [{ path: 'code', message: `HuggingFace refused the authorization code: ${error ?? message}` }],
          `HuggingFace refused the authorization code: ${message}`,
        );
      throw upstreamError('status', `HuggingFace answered POST /oauth/token with HTTP ${status}`, { status });
    }
    const token = answer.value;
    const who = await this.options.users.lookup(token.access_token);
    if (!who.ok) throw upstreamError('status', 'HuggingFace does not accept the token it has just issued');
    return {
      accessToken: token.access_token,
      tokenType: 'Bearer',
      ...(token.expires_in !== undefined && token.expires_in !== null ? { expiresIn: token.expires_in } : {}),
      ...(token.scope ? { scope: token.scope } : {}),
      user: who.user,
    };
  }
}
