// The HuggingFace routes: Hub search and GGUF files (registered before /models/:id, whose id
// spans slashes), the OAuth sign-in, and the token Secret.
import {
  GgufFilesParamsSchema,
  HfOAuthStartRequestSchema,
  HfOAuthTokenRequestSchema,
  HfOAuthVerifierParamsSchema,
  HfSearchQuerySchema,
  HfTokenHeadersSchema,
  SaveHfSecretRequestSchema,
} from '@airunway/schema';
import { Hono, type Context } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

const HF_BEARER = /^Bearer\s+(hf_[A-Za-z0-9_-]{8,})\s*$/i;

/**
 * The caller's HuggingFace token: X-HF-Token, or — with authentication off, where Authorization
 * carries no Kubernetes token — an `hf_…` bearer token. With authentication on, Authorization is
 * the Kubernetes token and is never passed to HuggingFace.
 */
function hubToken(c: Context<AppEnv>, header: string | undefined): string | undefined {
  if (header) return header;
  if (callerOf(c).username !== undefined) return undefined;
  return HF_BEARER.exec(c.req.header('Authorization') ?? '')?.[1];
}

export function huggingFaceRoutes(services: Services) {
  const { models, oauth, secrets } = services.huggingface;
  return (
    new Hono<AppEnv>()
      .get(
        '/models/search',
        validate('query', HfSearchQuerySchema),
        validate('header', HfTokenHeadersSchema),
        async (c) =>
          c.json(
            await models.search(
              callerOf(c),
              c.req.valid('query'),
              hubToken(c, c.req.valid('header')['x-hf-token']),
            ),
          ),
      )
      .get(
        '/models/:id{.+}/gguf-files',
        validate('param', GgufFilesParamsSchema),
        validate('header', HfTokenHeadersSchema),
        async (c) =>
          c.json(
            await models.ggufFiles(
              callerOf(c),
              c.req.valid('param').id,
              hubToken(c, c.req.valid('header')['x-hf-token']),
            ),
          ),
      )
      .get('/oauth/huggingface/config', (c) => c.json(oauth.config()))
      .post('/oauth/huggingface/start', validate('json', HfOAuthStartRequestSchema), (c) =>
        c.json(oauth.start(callerOf(c), c.req.valid('json'))),
      )
      // Answers holding a verifier or a token must not be kept by any cache (RFC 6749 §5.1).
      .get('/oauth/huggingface/verifier/:state', validate('param', HfOAuthVerifierParamsSchema), (c) => {
        c.header('Cache-Control', 'no-store');
        return c.json(oauth.verifier(callerOf(c), c.req.valid('param').state));
      })
      .post('/oauth/huggingface/token', validate('json', HfOAuthTokenRequestSchema), async (c) => {
        c.header('Cache-Control', 'no-store');
        return c.json(await oauth.exchange(callerOf(c), c.req.valid('json')));
      })
      .get('/secrets/huggingface/status', async (c) => c.json(await secrets.status(callerOf(c))))
      .post('/secrets/huggingface', validate('json', SaveHfSecretRequestSchema), async (c) =>
        c.json(await secrets.save(callerOf(c), c.req.valid('json'))),
      )
      .delete('/secrets/huggingface', async (c) => c.json(await secrets.remove(callerOf(c))))
  );
}
