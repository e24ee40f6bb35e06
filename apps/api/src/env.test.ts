import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';

describe('parseEnv', () => {
  it('has defaults for everything', () => {
    expect(parseEnv({})).toEqual({
      port: 3001,
      host: '0.0.0.0',
      authEnabled: false,
      kubeconfig: undefined,
      kubeContext: undefined,
      productNamespace: 'airunway-system',
      defaultNamespace: 'airunway-system',
      logLevel: 'info',
      build: { version: 'v0.1.0', buildTime: 'unknown', gitCommit: 'unknown' },
      inCluster: false,
      gateway: undefined,
      huggingface: {
        endpoint: 'https://huggingface.co',
        clientId: 'e05817a1-7053-4b9e-b292-29cd219fccf8',
        secretNamespaces: ['dynamo-system', 'ray-system', 'kuberay-system', 'default'],
      },
      installation: expect.objectContaining({
        helmPath: 'helm',
        helmTimeoutSeconds: 600,
        chartMirror: undefined,
      }),
      integrations: expect.objectContaining({ aiconfigurator: expect.objectContaining({ disabled: false }) }),
    });
  });

  it('reads the variables; the pod namespace is the product namespace unless AIRUNWAY_NAMESPACE says', () => {
    const config = parseEnv({
      PORT: '8080',
      AUTH_ENABLED: 'true',
      KUBECONFIG: '/tmp/kc',
      POD_NAMESPACE: 'runway',
      DEFAULT_NAMESPACE: 'models',
      LOG_LEVEL: 'debug',
      GIT_COMMIT: 'abc1234',
    });
    expect(config).toMatchObject({
      port: 8080,
      authEnabled: true,
      kubeconfig: '/tmp/kc',
      productNamespace: 'runway',
      defaultNamespace: 'models',
      logLevel: 'debug',
      build: { gitCommit: 'abc1234' },
    });
    expect(parseEnv({ POD_NAMESPACE: 'a', AIRUNWAY_NAMESPACE: 'b' }).productNamespace).toBe('b');
    expect(parseEnv({ AUTH_ENABLED: '1' }).authEnabled).toBe(true);
    expect(parseEnv({ PORT: '' }).port).toBe(3001);
    expect(parseEnv({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }).inCluster).toBe(true);
    expect(parseEnv({ GATEWAY: 'gw-system/inference/http' }).gateway).toEqual({
      namespace: 'gw-system',
      name: 'inference',
      listener: 'http',
    });
  });

  it('names every invalid variable', () => {
    expect(() => parseEnv({ PORT: 'eighty', DEFAULT_NAMESPACE: 'Bad_NS', AUTH_ENABLED: 'maybe' })).toThrow(
      /invalid environment:\n {2}PORT: .*\n {2}AUTH_ENABLED: .*\n {2}DEFAULT_NAMESPACE: must be a namespace name/,
    );
  });
});
