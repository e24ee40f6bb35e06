// tRPC inside the Hono app, at /trpc, through tRPC's fetch adapter (Request → Response, as the
// rest of the app). Subscriptions are Server-Sent Events.
import type { Logger } from '@airunway/kube';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Context } from 'hono';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import type { Services } from '../services/index.js';
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
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          options.logger.error('tRPC procedure failed', { path, err: error.cause ?? error });
      },
    });
}
