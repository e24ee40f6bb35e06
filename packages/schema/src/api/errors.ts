// The error contract of the REST API and the tRPC router: every failure is
// `{ error, code, details }`, and each code has one HTTP status and one tRPC code. Both edges
// read this table, so a code means the same thing whichever way a client came in.
import { z } from 'zod';

export const API_ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PROVIDER_NOT_INSTALLED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_ERROR',
  'CLUSTER_UNAVAILABLE',
  'UPSTREAM_UNAVAILABLE',
  'INSTALL_FAILED',
  'BUILDER_UNAVAILABLE',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorCodeInfo {
  readonly http: number;
  /** The tRPC error code (TRPC_ERROR_CODE_KEY) the router reports. */
  readonly trpc: string;
  /** When the code is used. */
  readonly when: string;
}

export const API_ERROR_CODE_INFO: Readonly<Record<ApiErrorCode, ApiErrorCodeInfo>> = {
  VALIDATION_ERROR: {
    http: 400,
    trpc: 'BAD_REQUEST',
    when: 'The request (body, path or query) or the object it would write is invalid; details.fields lists each field.',
  },
  UNAUTHORIZED: {
    http: 401,
    trpc: 'UNAUTHORIZED',
    when: 'Authentication is enabled and the request has no bearer token, or Kubernetes rejected it.',
  },
  FORBIDDEN: {
    http: 403,
    trpc: 'FORBIDDEN',
    when: 'Kubernetes RBAC does not allow the caller what the request needs; details names the verb and resource.',
  },
  NOT_FOUND: { http: 404, trpc: 'NOT_FOUND', when: 'The route or the object does not exist.' },
  CONFLICT: {
    http: 409,
    trpc: 'CONFLICT',
    when: 'The object already exists or changed meanwhile (Kubernetes AlreadyExists or Conflict).',
  },
  PROVIDER_NOT_INSTALLED: {
    http: 422,
    trpc: 'UNPROCESSABLE_CONTENT',
    when: 'The request needs a provider whose CRDs or operator are not in the cluster.',
  },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: 'PAYLOAD_TOO_LARGE', when: 'The request body is too large.' },
  INTERNAL_ERROR: { http: 500, trpc: 'INTERNAL_SERVER_ERROR', when: 'A fault of the API itself.' },
  CLUSTER_UNAVAILABLE: {
    http: 503,
    trpc: 'SERVICE_UNAVAILABLE',
    when: 'The Kubernetes API server cannot be reached, is overloaded, or the cache has not synced yet.',
  },
  UPSTREAM_UNAVAILABLE: {
    http: 502,
    trpc: 'BAD_GATEWAY',
    when: 'An outside service (the HuggingFace Hub, Azure Retail Prices, the image builder) timed out, failed or answered something unreadable; details.reason says which.',
  },
  INSTALL_FAILED: {
    http: 500,
    trpc: 'INTERNAL_SERVER_ERROR',
    when: 'An install or uninstall step failed (Helm missing or failing, a manifest not fetched or refused); details.results has the output of every step.',
  },
  BUILDER_UNAVAILABLE: {
    http: 412,
    trpc: 'PRECONDITION_FAILED',
    when: 'Building an image needs the in-cluster registry and BuildKit builder, which are missing or not ready; details.missing names them.',
  },
};

export const ApiErrorCodeSchema = z.enum(API_ERROR_CODES);

export const FieldErrorSchema = z.object({
  path: z
    .string()
    .describe('Dotted path of the offending field, e.g. `defaultNamespace`; empty for the whole input.'),
  message: z.string(),
});

export const ApiErrorBodySchema = z.object({
  error: z.string().describe('What went wrong, for people.'),
  code: ApiErrorCodeSchema.describe('What went wrong, for programs.'),
  details: z
    .record(z.string(), z.unknown())
    .describe('More about the failure: `fields` for VALIDATION_ERROR, the Kubernetes reason and causes, …'),
});
export type ApiErrorBody = z.output<typeof ApiErrorBodySchema>;
