// Where the HuggingFace Hub is and how AI Runway signs in to it. env.ts reads these variables
// with the rest of the environment (one parse, one error listing every bad variable); the
// defaults here also serve the tests and any runtime built without an environment.
import { NamespaceNameSchema } from '@airunway/schema';
import { z } from 'zod';

export interface HuggingFaceConfig {
  /** Base URL of the Hub, without a trailing slash (HF_ENDPOINT, as the Hub's own clients read it). */
  readonly endpoint: string;
  /** The OAuth app AI Runway signs users in with (a public client: PKCE, no secret). */
  readonly clientId: string;
  /** Namespaces the token Secret is written to and read from. */
  readonly secretNamespaces: readonly string[];
  /**
   * Seals sign-in flows so that any API replica can finish one another started
   * (HF_OAUTH_STATE_SECRET; the Helm chart generates it). Random per process when absent.
   */
  readonly oauthStateSecret?: string;
  /** How long one Hub request may take, body included (default 10 s). */
  readonly timeoutMs?: number;
}

/** The scopes the sign-in asks for: who the user is, and read access to gated repositories. */
export const HF_OAUTH_SCOPES = ['openid', 'profile', 'read-repos'] as const;

export const DEFAULT_HUGGINGFACE_CONFIG: HuggingFaceConfig = {
  endpoint: 'https://huggingface.co',
  clientId: 'e05817a1-7053-4b9e-b292-29cd219fccf8',
  // The namespaces the provider operators run model pods in by default, and `default`.
  secretNamespaces: ['dynamo-system', 'ray-system', 'kuberay-system', 'default'],
};

const endpoint = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .transform((url) => url.replace(/\/+$/, ''));

const namespaceList = z
  .string()
  .transform((raw) => [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(NamespaceNameSchema).min(1, 'must name at least one namespace'));

/** The variables, spread into env.ts's schema. */
export const HUGGINGFACE_ENV = {
  HF_ENDPOINT: endpoint.optional(),
  HF_CLIENT_ID: z.string().min(1).optional(),
  /** Comma-separated, e.g. "kaito-workspace,airunway-system,default". */
  HF_SECRET_NAMESPACES: namespaceList.optional(),
  HF_OAUTH_STATE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
};

type HuggingFaceEnv = { [K in keyof typeof HUGGINGFACE_ENV]?: z.output<(typeof HUGGINGFACE_ENV)[K]> };

export function huggingFaceConfig(env: HuggingFaceEnv): HuggingFaceConfig {
  return {
    endpoint: env.HF_ENDPOINT ?? DEFAULT_HUGGINGFACE_CONFIG.endpoint,
    clientId: env.HF_CLIENT_ID ?? DEFAULT_HUGGINGFACE_CONFIG.clientId,
    secretNamespaces: env.HF_SECRET_NAMESPACES ?? DEFAULT_HUGGINGFACE_CONFIG.secretNamespaces,
    ...(env.HF_OAUTH_STATE_SECRET ? { oauthStateSecret: env.HF_OAUTH_STATE_SECRET } : {}),
  };
}
