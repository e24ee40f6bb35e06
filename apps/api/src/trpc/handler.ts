// tRPC inside the Hono app, at /trpc, through tRPC's fetch adapter (Request → Response, as the
// rest of the app). Subscriptions are Server-Sent Events.
import type { Logger } from '@airunway/kube';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Context } from 'hono';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import type { Services } from '../services/index.js';
import { asApiError } from './init.js';
import { createAppRouter } from './router.js';

export const TRPC_ENDPOINT = '/trpc';

export interface TrpcHandlerOptions {
  readonly services: Services;
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  readonly closing: AbortSignal;
  readonly heartbeatMs: number;
}

export function trpcHandler(options: TrpcHandlerOptions) {
  const router = createAppRouter({ heartbeatMs: options.heartbeatMs });
  return (c: Context) =>
    fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: c.req.raw,
      router,
      createContext: ({ req }) => {
        let caller: Promise<Caller> | undefined;
        return {
          services: options.services,
          closing: options.closing,
          caller: () =>
            (caller ??= options.authenticator.authenticate(req.headers.get('authorization') ?? undefined)),
        };
      },
      // As the REST edge: a refusal (4xx) is the caller's business, logged at debug; only
      // failures of the server (5xx) are errors. Errors thrown inside a subscription reach here
      // unmapped (INTERNAL_SERVER_ERROR with the ApiError as cause), hence the mapping.
      onError: ({ error, path }) => {
        const apiError = asApiError(error);
        if (apiError.status >= 500)
          options.logger.error('tRPC procedure failed', { path, err: error.cause ?? error });
        else
          options.logger.debug('tRPC procedure refused', {
            path,
            code: apiError.code,
            error: apiError.message,
          });
      },
    });
}
