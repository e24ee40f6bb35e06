// The API's configuration, read once from the environment at start-up. Everything else takes
// it as an argument; no other module reads process.env.
import { z } from 'zod';
import { NamespaceNameSchema, formatIssues } from '@airunway/schema';
import { HUGGINGFACE_ENV, huggingFaceConfig, type HuggingFaceConfig } from './huggingface/config.js';
import { INSTALLATION_ENV, installationConfig, type InstallationConfig } from './installation/config.js';
import { INTEGRATIONS_ENV, integrationsFromEnv, type IntegrationOverrides } from './integrations.js';

export const API_VERSION = '0.1.0';

export interface BuildInfo {
  readonly version: string;
  readonly buildTime: string;
  readonly gitCommit: string;
}

export interface ApiConfig {
  readonly port: number;
  readonly host: string;
  /** Require a Kubernetes bearer token on every non-public route. */
  readonly authEnabled: boolean;
  /** kubeconfig file; unset = KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  readonly kubeconfig: string | undefined;
  readonly kubeContext: string | undefined;
  /** Where AI Runway itself runs: its settings ConfigMap lives here. */
  readonly productNamespace: string;
  /** Namespace for new deployments until the settings say otherwise. */
  readonly defaultNamespace: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly build: BuildInfo;
  /** Running in a pod (KUBERNETES_SERVICE_HOST is set): model pods are reachable directly. */
  readonly inCluster: boolean;
  /** The Gateway models are routed through, as the operator is told (GATEWAY=NS/NAME[/LISTENER]). */
  readonly gateway: GatewayRef | undefined;
  /** HF_ENDPOINT, HF_CLIENT_ID, HF_SECRET_NAMESPACES, HF_OAUTH_STATE_SECRET. */
  readonly huggingface: HuggingFaceConfig;
  /** HELM_PATH, HELM_TIMEOUT_SECONDS, AIRUNWAY_CACHE_DIR, HELM_CHART_MIRROR, *_RELEASES_URL. */
  readonly installation: InstallationConfig;
  /** AZURE_RETAIL_PRICES_URL, AICONFIGURATOR_PATH, AIRUNWAY_DISABLE_AICONFIGURATOR, AIKIT_REGISTRY_URL. */
  readonly integrations: IntegrationOverrides;
}

export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
  readonly listener?: string;
}

const GatewayRefSchema = z
  .string()
  .regex(/^[a-z0-9-]+\/[a-z0-9.-]+(\/[a-z0-9-]+)?$/, 'must be NAMESPACE/NAME or NAMESPACE/NAME/LISTENER')
  .transform((raw): GatewayRef => {
    const [namespace = '', name = '', listener] = raw.split('/');
    return listener ? { namespace, name, listener } : { namespace, name };
  });

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optional = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().min(1).default('0.0.0.0'),
  AUTH_ENABLED: flag,
  KUBECONFIG: optional,
  KUBE_CONTEXT: optional,
  AIRUNWAY_NAMESPACE: NamespaceNameSchema.optional(),
  POD_NAMESPACE: NamespaceNameSchema.optional(),
  DEFAULT_NAMESPACE: NamespaceNameSchema.default('airunway-system'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  AIRUNWAY_VERSION: z.string().min(1).default(`v${API_VERSION}`),
  BUILD_TIME: z.string().min(1).default('unknown'),
  GIT_COMMIT: z.string().min(1).default('unknown'),
  KUBERNETES_SERVICE_HOST: optional,
  GATEWAY: GatewayRefSchema.optional(),
  ...HUGGINGFACE_ENV,
  ...INSTALLATION_ENV,
  ...INTEGRATIONS_ENV,
});

/** Parses the environment; throws one error naming every invalid variable. */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  // An empty variable means unset, as in a shell: `PORT= node …` keeps the default.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = EnvSchema.safeParse(present, { reportInput: true });
  if (!result.success) {
    const lines = formatIssues(result.error.issues).map((e) => `${e.path}: ${e.message}`);
    throw new Error(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    authEnabled: e.AUTH_ENABLED,
    kubeconfig: e.KUBECONFIG,
    kubeContext: e.KUBE_CONTEXT,
    productNamespace: e.AIRUNWAY_NAMESPACE ?? e.POD_NAMESPACE ?? 'airunway-system',
    defaultNamespace: e.DEFAULT_NAMESPACE,
    logLevel: e.LOG_LEVEL,
    build: { version: e.AIRUNWAY_VERSION, buildTime: e.BUILD_TIME, gitCommit: e.GIT_COMMIT },
    inCluster: e.KUBERNETES_SERVICE_HOST !== undefined,
    gateway: e.GATEWAY,
    huggingface: huggingFaceConfig(e),
    installation: installationConfig(e),
    integrations: integrationsFromEnv(e),
  };
}
