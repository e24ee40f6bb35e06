// The HuggingFace routes in the OpenAPI table (routes.ts spreads these in).
import * as S from '@airunway/schema';
import type { z } from 'zod';
import type { RouteDoc } from './routes.js';

export const HUGGINGFACE_SCHEMAS = {
  HfSearchResponse: S.HfSearchResponseSchema,
  GgufFilesResponse: S.GgufFilesResponseSchema,
  HfOAuthConfigResponse: S.HfOAuthConfigResponseSchema,
  HfOAuthStartRequest: S.HfOAuthStartRequestSchema,
  HfOAuthStartResponse: S.HfOAuthStartResponseSchema,
  HfOAuthVerifierResponse: S.HfOAuthVerifierResponseSchema,
  HfOAuthTokenRequest: S.HfOAuthTokenRequestSchema,
  HfOAuthTokenResponse: S.HfOAuthTokenResponseSchema,
  HfSecretStatusResponse: S.HfSecretStatusResponseSchema,
  SaveHfSecretRequest: S.SaveHfSecretRequestSchema,
  SaveHfSecretResponse: S.SaveHfSecretResponseSchema,
  DeleteHfSecretResponse: S.DeleteHfSecretResponseSchema,
} as const satisfies Record<string, z.ZodType>;

const HF_TOKEN_HEADER =
  'The caller’s HuggingFace token for gated or private repositories goes in `X-HF-Token` (with ' +
  'authentication off, an `hf_…` bearer token in Authorization is taken too).';

export const HUGGINGFACE_ROUTES: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/models/search',
    tag: 'Models',
    summary: 'Search the HuggingFace Hub for text-generation models AI Runway can serve',
    description: `Incompatible architectures and weight formats are left out; results are kept a minute. ${HF_TOKEN_HEADER}`,
    query: S.HfSearchQuerySchema,
    response: { json: 'HfSearchResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'UPSTREAM_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/api/models/:id{.+}/gguf-files',
    tag: 'Models',
    summary: 'The GGUF files of a HuggingFace repository, with their sizes',
    description: HF_TOKEN_HEADER,
    params: S.GgufFilesParamsSchema,
    response: { json: 'GgufFilesResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'UPSTREAM_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/api/oauth/huggingface/config',
    tag: 'HuggingFace',
    summary: 'OAuth client, authorize URL and scopes of the HuggingFace sign-in',
    response: { json: 'HfOAuthConfigResponse' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/api/oauth/huggingface/start',
    tag: 'HuggingFace',
    summary:
      'Start a sign-in: state and PKCE verifier kept here (10 minutes), the authorization URL returned',
    body: 'HfOAuthStartRequest',
    response: { json: 'HfOAuthStartResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/oauth/huggingface/verifier/:state',
    tag: 'HuggingFace',
    summary: 'The PKCE verifier of a sign-in, once, to the user who started it',
    params: S.HfOAuthVerifierParamsSchema,
    response: { json: 'HfOAuthVerifierResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/oauth/huggingface/token',
    tag: 'HuggingFace',
    summary: 'Exchange the authorization code and verifier for an access token, and say whose it is',
    body: 'HfOAuthTokenRequest',
    response: { json: 'HfOAuthTokenResponse' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'UPSTREAM_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/api/secrets/huggingface/status',
    tag: 'HuggingFace',
    summary:
      'Whether the token Secret exists in each configured namespace (read as the caller), and whose token it is',
    response: { json: 'HfSecretStatusResponse' },
    errors: ['UNAUTHORIZED', 'CLUSTER_UNAVAILABLE'],
  },
  {
    method: 'post',
    path: '/api/secrets/huggingface',
    tag: 'HuggingFace',
    summary:
      'Check a token with HuggingFace and save it as the Secret in each configured namespace, as the caller',
    body: 'SaveHfSecretRequest',
    response: { json: 'SaveHfSecretResponse' },
    errors: [
      'VALIDATION_ERROR',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CLUSTER_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
    ],
  },
  {
    method: 'delete',
    path: '/api/secrets/huggingface',
    tag: 'HuggingFace',
    summary: 'Delete the token Secret in each configured namespace, as the caller',
    response: { json: 'DeleteHfSecretResponse' },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'CLUSTER_UNAVAILABLE'],
  },
];
