// The tRPC root: context, error mapping and the two procedure kinds. Every failure leaves as
// the same ApiError the REST edge reports: its code picks the tRPC code (and so the HTTP
// status) from API_ERROR_CODE_INFO, and `data.apiError` carries `{ error, code, details }`.
import { API_ERROR_CODE_INFO, type ApiErrorBody } from '@airunway/schema';
import { StandardSchemaV1Error, TRPCError, initTRPC } from '@trpc/server';
import type { Caller } from '../auth/caller.js';
import { ApiError, toApiError } from '../errors.js';
import type { Services } from '../services/index.js';

export interface TrpcContext {
  readonly services: Services;
  /** Authenticates the request once, when a protected procedure first needs it. */
  readonly caller: () => Promise<Caller>;
  /** Aborted when the server shuts down: subscriptions end. */
  readonly closing: AbortSignal;
}

type TrpcCode = ConstructorParameters<typeof TRPCError>[0]['code'];

/** The ApiError a tRPC error stands for (what the caller receives as `data.apiError`). */
export function asApiError(error: TRPCError): ApiError {
  const cause = error.cause;
  if (cause instanceof StandardSchemaV1Error)
    return ApiError.validation(
      cause.issues.map((i) => ({ path: (i.path ?? []).map(String).join('.'), message: i.message })),
    );
  if (cause instanceof ApiError) return cause;
  if (error.code === 'INTERNAL_SERVER_ERROR' && cause) return toApiError(cause);
  if (error.code === 'NOT_FOUND') return ApiError.notFound(error.message);
  if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR')
    return ApiError.validation([{ path: '', message: error.message }], error.message);
  if (error.code === 'PAYLOAD_TOO_LARGE') return new ApiError('PAYLOAD_TOO_LARGE', error.message);
  return toApiError(cause ?? error);
}

export interface TrpcOptions {
  /** Interval of SSE ping comments of subscriptions. */
  readonly heartbeatMs: number;
}

export function createTrpc(options: TrpcOptions) {
  const t = initTRPC.context<TrpcContext>().create({
    sse: { ping: { enabled: true, intervalMs: options.heartbeatMs } },
    errorFormatter: ({ shape, error }) => {
      const apiError: ApiErrorBody =
        error.cause instanceof ApiError ? error.cause.toBody() : asApiError(error).toBody();
      return { ...shape, message: apiError.error, data: { ...shape.data, apiError } };
    },
  });

  /** Any thrown error becomes an ApiError with its own tRPC code, so the status is right too. */
  const mapErrors = t.middleware(async ({ next }) => {
    const result = await next();
    if (result.ok) return result;
    const apiError = asApiError(result.error);
    const code = API_ERROR_CODE_INFO[apiError.code].trpc as TrpcCode;
    if (result.error.code === code && result.error.cause === apiError) return result;
    throw new TRPCError({ code, message: apiError.message, cause: apiError });
  });

  const publicProcedure = t.procedure.use(mapErrors);
  const protectedProcedure = publicProcedure.use(async ({ ctx, next }) =>
    next({ ctx: { ...ctx, user: await ctx.caller() } }),
  );
  return { router: t.router, publicProcedure, protectedProcedure };
}
