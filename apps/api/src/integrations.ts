// Settings of what the API reaches outside the cluster's API: the Azure price list, the
// AI Configurator CLI and the AIKit build infrastructure. env.ts reads the variables (spread
// from INTEGRATIONS_ENV) with the rest of the environment; runtimes built without an
// environment (tests) pass overrides directly; everything else has a default here.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { AiConfiguratorOptions } from './services/aiconfigurator.js';
import { defaultAikitSettings, type AikitSettings } from './aikit/settings.js';
import type { AzurePricesOptions } from './pricing/azure-retail-prices.js';

export interface PricingSettings extends Omit<AzurePricesOptions, 'userAgent'> {
  /** How long a price is kept (the reference: 1 hour). */
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** Region of a price asked for without one. */
  readonly defaultRegion: string;
}

export interface IntegrationOverrides {
  readonly pricing?: Partial<PricingSettings>;
  readonly aiconfigurator?: Partial<Omit<AiConfiguratorOptions, 'inCluster'>>;
  readonly aikit?: Partial<Omit<AikitSettings, 'namespace'>>;
}

export const DEFAULT_PRICING: PricingSettings = {
  baseUrl: 'https://prices.azure.com/api/retail/prices',
  timeoutMs: 10_000,
  retries: 2,
  retryDelayMs: 500,
  maxPages: 10,
  ttlMs: 3_600_000,
  maxEntries: 1_000,
  defaultRegion: 'eastus',
};

/** Where scripts/install-aiconfigurator.sh puts the CLI: a virtualenv in the product's cache. */
export function aiconfiguratorInCache(cacheDir: string): string {
  return join(cacheDir, 'aiconfigurator', 'bin', 'aiconfigurator');
}

export const DEFAULT_CACHE_DIR = join(homedir(), '.cache', 'airunway');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The variables, spread into env.ts's schema. */
export const INTEGRATIONS_ENV = {
  /** The Azure Retail Prices API (another URL: a mirror, or a fixture in tests). */
  AZURE_RETAIL_PRICES_URL: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
  /** The aiconfigurator executable; unset: `aiconfigurator` on PATH, then the cache's virtualenv. */
  AICONFIGURATOR_PATH: z.string().min(1).optional(),
  AIRUNWAY_DISABLE_AICONFIGURATOR: flag,
  /** host:port GGUF images are pushed to and pulled from (default: the in-cluster registry). */
  AIKIT_REGISTRY_URL: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d{1,5})?(\/[a-z0-9._/-]+)?$/, 'must be a registry host[:port][/path]')
    .optional(),
};

type IntegrationsEnv = z.output<z.ZodObject<typeof INTEGRATIONS_ENV>> & {
  /** Declared with the installation's variables; scripts/install-aiconfigurator.sh reads the same. */
  readonly AIRUNWAY_CACHE_DIR?: string | undefined;
  readonly XDG_CACHE_HOME?: string | undefined;
};

export function integrationsFromEnv(env: IntegrationsEnv): IntegrationOverrides {
  const cacheDir =
    env.AIRUNWAY_CACHE_DIR ?? (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'airunway') : DEFAULT_CACHE_DIR);
  return {
    pricing: env.AZURE_RETAIL_PRICES_URL ? { baseUrl: env.AZURE_RETAIL_PRICES_URL } : {},
    aiconfigurator: {
      commands: env.AICONFIGURATOR_PATH
        ? [env.AICONFIGURATOR_PATH]
        : ['aiconfigurator', aiconfiguratorInCache(cacheDir)],
      disabled: env.AIRUNWAY_DISABLE_AICONFIGURATOR,
    },
    aikit: env.AIKIT_REGISTRY_URL ? { registryUrl: env.AIKIT_REGISTRY_URL } : {},
  };
}

export interface ResolvedIntegrations {
  readonly pricing: PricingSettings;
  readonly aiconfigurator: AiConfiguratorOptions;
  readonly aikit: AikitSettings;
}

/** Overrides without their unset fields, so that an explicit `undefined` keeps the default. */
function defined<T extends object>(partial: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(partial ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function resolveIntegrations(
  overrides: IntegrationOverrides | undefined,
  context: { productNamespace: string; inCluster: boolean },
): ResolvedIntegrations {
  return {
    pricing: { ...DEFAULT_PRICING, ...defined(overrides?.pricing) },
    aiconfigurator: {
      commands: ['aiconfigurator', aiconfiguratorInCache(DEFAULT_CACHE_DIR)],
      disabled: false,
      ...defined(overrides?.aiconfigurator),
      inCluster: context.inCluster,
    },
    aikit: {
      ...defaultAikitSettings(context.productNamespace, overrides?.aikit?.registryUrl),
      ...defined(overrides?.aikit),
      namespace: context.productNamespace,
    },
  };
}
