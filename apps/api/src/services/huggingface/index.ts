// The HuggingFace services, sharing one Hub client and one cache of whose token is whose.
import { API_VERSION } from '../../env.js';
import { DEFAULT_HUGGINGFACE_CONFIG, type HuggingFaceConfig } from '../../huggingface/config.js';
import { HubClient } from '../../huggingface/hub-client.js';
import { HubUsers } from '../../huggingface/users.js';
import { HuggingFaceModelService } from './models.js';
import { HuggingFaceOAuthService } from './oauth.js';
import { HuggingFaceSecretService } from './secrets.js';

export interface HuggingFaceServices {
  readonly models: HuggingFaceModelService;
  readonly oauth: HuggingFaceOAuthService;
  readonly secrets: HuggingFaceSecretService;
}

export function createHuggingFaceServices(
  config: HuggingFaceConfig = DEFAULT_HUGGINGFACE_CONFIG,
  now?: () => number,
): HuggingFaceServices {
  const hub = new HubClient({
    endpoint: config.endpoint,
    userAgent: `airunway-api/${API_VERSION}`,
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
  });
  const users = new HubUsers(hub, now);
  return {
    models: new HuggingFaceModelService(hub, now),
    oauth: new HuggingFaceOAuthService({
      hub,
      users,
      clientId: config.clientId,
      ...(config.oauthStateSecret ? { stateSecret: config.oauthStateSecret } : {}),
      ...(now ? { now } : {}),
    }),
    secrets: new HuggingFaceSecretService(users, config.secretNamespaces),
  };
}
