// @airunway/client: the AI Runway API from another program, typed end to end by the API's own
// router. Queries and mutations go over HTTP (batched), live changes over Server-Sent Events;
// a Kubernetes bearer token, when given, is sent with both.
import type { AppRouter } from '@airunway/api/trpc';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  type TRPCClient,
} from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { EventSource, type FetchLike } from 'eventsource';

export type { AppRouter };
export type AirunwayClient = TRPCClient<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { TRPCClientError };

export interface AirunwayClientOptions {
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** `https://airunway.example.com` → its tRPC endpoint; a URL already ending in /trpc is kept. */
export function trpcUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/trpc') ? base : `${base}/trpc`;
}

/**
 * A client of the API at `url`, acting as the holder of `token` (a Kubernetes bearer token;
 * omit it when the API runs without authentication).
 */
export function createAirunwayClient(
  url: string,
  token?: string,
  options: AirunwayClientOptions = {},
): AirunwayClient {
  const endpoint = trpcUrl(url);
  const headers = { ...options.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  // A browser's EventSource cannot send headers; this one fetches, so the token goes in a
  // header, never in the URL (where proxies log it).
  const sseFetch: FetchLike = (input, init) =>
    fetchImpl(input, { ...init, headers: { ...init.headers, ...headers } });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: endpoint,
          EventSource,
          eventSourceOptions: { fetch: sseFetch },
        }),
        false: httpBatchLink({ url: endpoint, headers, fetch: fetchImpl }),
      }),
    ],
  });
}

/** The API's error body (`{ error, code, details }`) of a failed call, when it has one. */
export function apiErrorOf(
  err: unknown,
): { error: string; code: string; details: Record<string, unknown> } | undefined {
  if (!(err instanceof TRPCClientError)) return undefined;
  const data = (err as TRPCClientError<AppRouter>).data as
    { apiError?: { error: string; code: string; details: Record<string, unknown> } } | undefined;
  return data?.apiError;
}
