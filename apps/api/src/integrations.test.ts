import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';
import { resolveIntegrations } from './integrations.js';

const context = { productNamespace: 'airunway-system', inCluster: false };

describe('integration settings', () => {
  it('defaults: the public Azure price list, the CLI on PATH then in the cache, the in-cluster registry', () => {
    const resolved = resolveIntegrations(parseEnv({ HOME: '/home/u' }).integrations, context);
    expect(resolved.pricing).toMatchObject({
      baseUrl: 'https://prices.azure.com/api/retail/prices',
      ttlMs: 3_600_000,
      maxEntries: 1_000,
      defaultRegion: 'eastus',
    });
    expect(resolved.aiconfigurator.commands[0]).toBe('aiconfigurator');
    expect(resolved.aiconfigurator.commands[1]).toMatch(/airunway\/aiconfigurator\/bin\/aiconfigurator$/);
    expect(resolved.aiconfigurator).toMatchObject({ disabled: false, inCluster: false });
    expect(resolved.aikit.registryUrl).toBe('registry.airunway-system.svc.cluster.local:5000');
  });

  it('reads the variables', () => {
    const config = parseEnv({
      AZURE_RETAIL_PRICES_URL: 'http://127.0.0.1:9/prices',
      AICONFIGURATOR_PATH: '/opt/aic/bin/aiconfigurator',
      AIRUNWAY_DISABLE_AICONFIGURATOR: 'true',
      AIKIT_REGISTRY_URL: 'myregistry.azurecr.io/aikit',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
    });
    const resolved = resolveIntegrations(config.integrations, { ...context, inCluster: config.inCluster });
    expect(resolved.pricing.baseUrl).toBe('http://127.0.0.1:9/prices');
    expect(resolved.aiconfigurator).toMatchObject({
      commands: ['/opt/aic/bin/aiconfigurator'],
      disabled: true,
      inCluster: true,
    });
    expect(resolved.aikit.registryUrl).toBe('myregistry.azurecr.io/aikit');
  });

  it('AIRUNWAY_CACHE_DIR moves the CLI the install script puts there', () => {
    const config = parseEnv({ AIRUNWAY_CACHE_DIR: '/cache' });
    expect(resolveIntegrations(config.integrations, context).aiconfigurator.commands).toEqual([
      'aiconfigurator',
      '/cache/aiconfigurator/bin/aiconfigurator',
    ]);
  });

  it('names every invalid variable', () => {
    expect(() =>
      parseEnv({ AZURE_RETAIL_PRICES_URL: 'ftp://x', AIKIT_REGISTRY_URL: 'Not A Registry' }),
    ).toThrow(
      /AZURE_RETAIL_PRICES_URL[\s\S]*AIKIT_REGISTRY_URL|AIKIT_REGISTRY_URL[\s\S]*AZURE_RETAIL_PRICES_URL/,
    );
  });
});
