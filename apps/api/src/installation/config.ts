// Settings of the installation routes, from the environment (env.ts merges INSTALLATION_ENV
// into its schema and calls installationConfig). Defaults install the pinned upstream
// releases; HELM_CHART_MIRROR and the *_RELEASES_URL variables point them elsewhere (an
// air-gapped mirror, or a test's local server).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GAIE_RELEASES_URL, GATEWAY_API_RELEASES_URL } from '@airunway/schema';
import { z } from 'zod';

export interface InstallationConfig {
  /** The helm binary (HELM_PATH): a path, or a name on PATH. */
  readonly helmPath: string;
  /** How long one Helm install or uninstall may take (HELM_TIMEOUT_SECONDS). */
  readonly helmTimeoutSeconds: number;
  /** Helm's cache, config and data, and temporary files of runs (AIRUNWAY_CACHE_DIR/helm). */
  readonly helmHome: string;
  /** One Helm repository serving every chart the product installs, at the pinned versions. */
  readonly chartMirror: string | undefined;
  /** Base of Gateway API releases: `<base>/<version>/standard-install.yaml`. */
  readonly gatewayApiReleasesUrl: string;
  /** Base of Inference Extension releases: `<base>/<version>/manifests.yaml`. */
  readonly inferenceExtensionReleasesUrl: string;
  /** What Helm inherits of the API's environment: PATH and proxy settings, nothing else. */
  readonly helmEnv: Readonly<Record<string, string>>;
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));
const httpUrl = z.url({ protocol: /^https?$/ });

/** Zod shape of the variables, merged into the API's environment schema. */
export const INSTALLATION_ENV = {
  HELM_PATH: z.string().min(1).default('helm'),
  HELM_TIMEOUT_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
  AIRUNWAY_CACHE_DIR: optional,
  XDG_CACHE_HOME: optional,
  HOME: optional,
  HELM_CHART_MIRROR: httpUrl.optional(),
  GATEWAY_API_RELEASES_URL: httpUrl.default(GATEWAY_API_RELEASES_URL),
  INFERENCE_EXTENSION_RELEASES_URL: httpUrl.default(GAIE_RELEASES_URL),
  PATH: optional,
  HTTP_PROXY: optional,
  HTTPS_PROXY: optional,
  NO_PROXY: optional,
  http_proxy: optional,
  https_proxy: optional,
  no_proxy: optional,
};

const InstallationEnvSchema = z.object(INSTALLATION_ENV);
export type InstallationEnv = z.output<typeof InstallationEnvSchema>;

const PASSED_TO_HELM = [
  'PATH',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
] as const;

export function installationConfig(e: InstallationEnv): InstallationConfig {
  const cacheRoot =
    e.AIRUNWAY_CACHE_DIR ??
    (e.XDG_CACHE_HOME ? join(e.XDG_CACHE_HOME, 'airunway') : undefined) ??
    (e.HOME ? join(e.HOME, '.cache', 'airunway') : join(tmpdir(), 'airunway'));
  const helmEnv: Record<string, string> = {};
  for (const name of PASSED_TO_HELM) {
    const value = e[name];
    if (value !== undefined) helmEnv[name] = value;
  }
  return {
    helmPath: e.HELM_PATH,
    helmTimeoutSeconds: e.HELM_TIMEOUT_SECONDS,
    helmHome: join(cacheRoot, 'helm'),
    chartMirror: e.HELM_CHART_MIRROR?.replace(/\/+$/, ''),
    gatewayApiReleasesUrl: e.GATEWAY_API_RELEASES_URL,
    inferenceExtensionReleasesUrl: e.INFERENCE_EXTENSION_RELEASES_URL,
    helmEnv,
  };
}

/** The defaults, for runtimes built without an environment (tests). */
export function defaultInstallationConfig(overrides: Partial<InstallationConfig> = {}): InstallationConfig {
  return { ...installationConfig(InstallationEnvSchema.parse({})), ...overrides };
}
