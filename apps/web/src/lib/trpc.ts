// The typed client of the API's tRPC router, through this server's /trpc forwarding (which adds
// the session's token). Only the router's type is imported from apps/api: no API code reaches
// the browser. Queries and mutations are batched over HTTP; subscriptions are Server-Sent
// Events. Failures become the same ApiRequestError the REST calls raise, so screens handle one
// error type whichever way the data came.
import type { AppRouter } from '@airunway/api/trpc';
import type { ApiErrorBody } from '@airunway/schema';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { ApiRequestError } from './api-client';

export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc' }),
      false: httpBatchLink({
        url: '/trpc',
        fetch: (url, init) => fetch(url, { ...init, credentials: 'same-origin' }),
      }),
    }),
  ],
});

/** The ApiRequestError of a failed tRPC call (or the error as it is, when it is not one). */
export function fromTrpcError(err: unknown): unknown {
  if (!(err instanceof TRPCClientError)) return err;
  const data = err.data as { apiError?: ApiErrorBody; httpStatus?: number } | undefined;
  const status = data?.httpStatus ?? 0;
  if (data?.apiError)
    return new ApiRequestError(status, data.apiError.code, data.apiError.error, data.apiError.details);
  // No body from the API: the request did not reach it (network, this server's forwarding).
  return new ApiRequestError(status, status === 0 ? 'NETWORK_ERROR' : 'UNKNOWN', err.message);
}

/** Runs a tRPC call, raising ApiRequestError on failure. */
export async function rpc<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromTrpcError(err);
  }
}
