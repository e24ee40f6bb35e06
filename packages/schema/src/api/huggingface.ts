// The HuggingFace routes: Hub search and GGUF files, sign-in with OAuth + PKCE, and the token
// Secret that model pods read (GET /models/search, GET /models/:id/gguf-files,
// /oauth/huggingface/*, /secrets/huggingface*).
import { z } from 'zod';
import { ENGINE_TYPES } from '../constants.js';
import { ModelIdSchema } from './models.js';
import { PermissionSchema } from './permissions.js';

/**
 * A HuggingFace access token: user tokens are `hf_…`, OAuth tokens `hf_oauth_…`. The prefix is
 * required so that no other credential (a Kubernetes token sent by mistake) is ever forwarded.
 */
export const HfTokenSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^hf_[A-Za-z0-9_-]{8,}$/, 'must be a HuggingFace access token (hf_…)');

// ---------------------------------------------------------------------------------------------
// GET /models/search

export const HF_SEARCH_MAX_LIMIT = 50;
/** How far into the results a client may page (the Hub is read at most this deep plus one page). */
export const HF_SEARCH_MAX_OFFSET = 400;

const queryInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const HfSearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'is required').max(200),
  limit: queryInt(1, HF_SEARCH_MAX_LIMIT, 20).describe('Results per page (default 20, at most 50).'),
  offset: queryInt(0, HF_SEARCH_MAX_OFFSET, 0).describe('Results to skip.'),
});
export type HfSearchQuery = z.output<typeof HfSearchQuerySchema>;

const GB = /^\d+(\.\d+)?GB$/;

export const HfSearchModelSchema = z.object({
  id: z.string().describe('HuggingFace repository id.'),
  name: z.string().describe('The repository name without its owner.'),
  author: z.string(),
  downloads: z.int().nonnegative(),
  likes: z.int().nonnegative(),
  pipelineTag: z.literal('text-generation'),
  libraryName: z.string().optional(),
  architectures: z.array(z.string()).describe('config.architectures, or inferred from the id.'),
  gated: z
    .boolean()
    .describe('Whether HuggingFace requires accepting a license (and a token) to download it.'),
  supportedEngines: z.array(z.enum(ENGINE_TYPES)).min(1),
  estimatedGpuMemory: z
    .string()
    .regex(GB)
    .optional()
    .describe('(parameters × 2 bytes) × 1.2, as "19.3GB"; absent without safetensors metadata.'),
  estimatedGpuMemoryGb: z.number().nonnegative().optional(),
  parameterCount: z.int().positive().optional().describe('From the safetensors metadata.'),
  fromHfSearch: z.literal(true),
});
export type HfSearchModel = z.output<typeof HfSearchModelSchema>;

export const HfSearchResponseSchema = z.object({
  models: z.array(HfSearchModelSchema),
  total: z
    .int()
    .nonnegative()
    .describe(
      'Compatible models found. Exact once the Hub has no more; otherwise a lower bound that is ' +
        'larger than offset + limit whenever another page exists.',
    ),
  offset: z.int().nonnegative(),
  limit: z.int().positive(),
});
export type HfSearchResponse = z.output<typeof HfSearchResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /models/:id/gguf-files

export const GgufFilesParamsSchema = z.object({ id: ModelIdSchema });

export const GgufFileSchema = z.object({
  filename: z.string().describe('Path in the repository, e.g. "model-Q8_0.gguf".'),
  size: z.int().nonnegative().optional().describe('Bytes.'),
});

export const GgufFilesResponseSchema = z.object({ files: z.array(GgufFileSchema) });
export type GgufFilesResponse = z.output<typeof GgufFilesResponseSchema>;

/** Headers of the Hub-reading routes: the caller's own HuggingFace token, for gated or private repositories. */
export const HfTokenHeadersSchema = z.object({ 'x-hf-token': HfTokenSchema.optional() });

// ---------------------------------------------------------------------------------------------
// /oauth/huggingface/*

export const HfOAuthConfigResponseSchema = z.object({
  clientId: z.string(),
  authorizeUrl: z.url(),
  scopes: z.array(z.string()),
});
export type HfOAuthConfigResponse = z.output<typeof HfOAuthConfigResponseSchema>;

/** Where HuggingFace sends the browser back: an http(s) URL without a fragment (RFC 6749 §3.1.2). */
export const RedirectUriSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2048)
  .refine((uri) => !uri.includes('#'), 'must not contain a fragment');

export const HfOAuthStartRequestSchema = z.object({ redirectUri: RedirectUriSchema });
export type HfOAuthStartRequest = z.output<typeof HfOAuthStartRequestSchema>;

export const HfOAuthStartResponseSchema = z.object({
  authorizationUrl: z.url(),
  state: z.string(),
});
export type HfOAuthStartResponse = z.output<typeof HfOAuthStartResponseSchema>;

/**
 * The state /oauth/huggingface/start returned: base64url, sealed with what finishing the flow
 * needs (so any API replica can finish it); its size follows the redirect URI's (≤ 2048).
 */
export const OAuthStateSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,4096}$/, 'must be the state returned by /oauth/huggingface/start');

export const HfOAuthVerifierParamsSchema = z.object({ state: OAuthStateSchema });

export const HfOAuthVerifierResponseSchema = z.object({
  codeVerifier: z.string(),
  redirectUri: z.string(),
});
export type HfOAuthVerifierResponse = z.output<typeof HfOAuthVerifierResponseSchema>;

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
export const CodeVerifierSchema = z
  .string()
  .min(43)
  .max(128)
  .regex(/^[A-Za-z0-9._~-]+$/, 'must be a PKCE code verifier (letters, digits, "-._~")');

export const HfOAuthTokenRequestSchema = z.object({
  code: z.string().min(1).max(2048),
  codeVerifier: CodeVerifierSchema,
  redirectUri: RedirectUriSchema,
});
export type HfOAuthTokenRequest = z.output<typeof HfOAuthTokenRequestSchema>;

export const HfUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  fullname: z.string(),
  email: z.string().optional(),
  avatarUrl: z.string().optional(),
});
export type HfUser = z.output<typeof HfUserSchema>;

export const HfOAuthTokenResponseSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.int().nonnegative().optional(),
  scope: z.string().optional(),
  user: HfUserSchema,
});
export type HfOAuthTokenResponse = z.output<typeof HfOAuthTokenResponseSchema>;

// ---------------------------------------------------------------------------------------------
// /secrets/huggingface

const SecretUserSchema = HfUserSchema.pick({ id: true, name: true, fullname: true });

export const HfSecretStatusResponseSchema = z.object({
  configured: z.boolean().describe('The Secret exists in at least one namespace.'),
  namespaces: z.array(
    z.object({
      name: z.string(),
      exists: z.boolean(),
      error: z
        .string()
        .optional()
        .describe('Why existence could not be checked (e.g. RBAC refused the read).'),
    }),
  ),
  user: SecretUserSchema.optional().describe('Whose token it is, as HuggingFace says.'),
  userError: z
    .string()
    .optional()
    .describe(
      'Why `user` is missing although a token was read: rejected by HuggingFace, or HuggingFace unreachable.',
    ),
  permissions: z
    .object({
      save: PermissionSchema.describe(
        'Whether POST /secrets/huggingface can write the Secret in at least one namespace (patch it, and create it where it is missing); when not, the refusal of each namespace.',
      ),
      remove: PermissionSchema.describe(
        'Whether DELETE /secrets/huggingface can delete the Secret in at least one namespace; when not, the refusal of each namespace.',
      ),
    })
    .describe('What the caller may do with the token Secrets, asked of Kubernetes with their own token.'),
});
export type HfSecretStatusResponse = z.output<typeof HfSecretStatusResponseSchema>;

export const SaveHfSecretRequestSchema = z.object({ accessToken: HfTokenSchema });
export type SaveHfSecretRequest = z.output<typeof SaveHfSecretRequestSchema>;

export const HfSecretResultSchema = z.object({
  namespace: z.string(),
  success: z.boolean(),
  error: z.string().optional(),
  reason: z.string().optional().describe('The Kubernetes reason of a failure: Forbidden, NotFound, …'),
});
export type HfSecretResult = z.output<typeof HfSecretResultSchema>;

export const SaveHfSecretResponseSchema = z.object({
  success: z
    .boolean()
    .describe('Written in every namespace that exists (a missing namespace is reported, not created).'),
  message: z.string(),
  user: SecretUserSchema,
  results: z.array(HfSecretResultSchema),
});
export type SaveHfSecretResponse = z.output<typeof SaveHfSecretResponseSchema>;

export const DeleteHfSecretResponseSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  results: z.array(HfSecretResultSchema),
});
export type DeleteHfSecretResponse = z.output<typeof DeleteHfSecretResponseSchema>;
