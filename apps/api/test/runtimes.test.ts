// Provider detection as the operator does it, from real CRDs (the upstream ones the test
// cluster installs) and real operator pods that kwok runs.
import { RuntimesStatusResponseSchema } from '@airunway/schema';
import { testCluster } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
let api: TestApi;

function operatorPod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  image: string,
  extra = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'manager', image }], ...extra },
  };
}

async function runtimes() {
  const { status, body } = await api.request('/api/runtimes/status');
  expect(status).toBe(200);
  const parsed = RuntimesStatusResponseSchema.parse(body);
  return Object.fromEntries(parsed.runtimes.map((r) => [r.id, r]));
}

beforeAll(async () => {
  api = await startTestApi(cluster);
});

afterAll(async () => {
  await api.stop();
  // Later files expect no provider operator: remove the pods now, not when the namespaces go.
  for (const ns of ['kaito-workspace', 'dynamo-system'])
    await cluster.kubectl([
      'delete',
      'pods',
      '--all',
      '-n',
      ns,
      '--grace-period=0',
      '--force',
      '--wait=true',
    ]);
  await cluster.kubectl(['delete', 'namespace', 'kaito-workspace', 'dynamo-system', '--wait=false']);
});

describe('GET /api/runtimes/status', () => {
  it('reports every provider; CRDs without an operator are not installed', async () => {
    const r = await runtimes();
    expect(Object.keys(r)).toEqual(['dynamo', 'kaito', 'kuberay', 'llmd', 'vllm']);
    expect(r.dynamo).toEqual({
      id: 'dynamo',
      name: 'NVIDIA Dynamo',
      installed: false,
      healthy: false,
      message: 'Operator not running in dynamo-system',
      crdFound: true,
      operatorRunning: false,
    });
    expect(r.kuberay).toMatchObject({ installed: false, crdFound: true, operatorRunning: false });
    expect(r.kuberay!.message).toBe(
      'Operator not running (no ready pod labelled app.kubernetes.io/name=kuberay-operator)',
    );
    // llm-d needs only the InferencePool CRD; its version is the CRD bundle's.
    expect(r.llmd).toEqual({
      id: 'llmd',
      name: 'llm-d',
      installed: true,
      healthy: true,
      version: 'v1.5.0',
      message: 'llm-d is installed',
      crdFound: true,
      operatorRunning: true,
    });
    expect(r.vllm).toEqual({
      id: 'vllm',
      name: 'Direct vLLM',
      installed: true,
      healthy: true,
      message: 'Direct vLLM needs nothing installed',
      crdFound: true,
      operatorRunning: true,
    });
  });

  it('an operator pod that becomes Ready installs the provider, with the version of its image', async () => {
    await cluster.createNamespace('kaito-workspace');
    await cluster.apply([
      operatorPod(
        'kaito-workspace-0',
        'kaito-workspace',
        { 'app.kubernetes.io/name': 'workspace', 'app.kubernetes.io/instance': 'kaito-workspace' },
        'mcr.microsoft.com/aks/kaito/workspace:0.6.0',
      ),
    ]);
    await eventually(async () => {
      expect((await runtimes()).kaito).toEqual({
        id: 'kaito',
        name: 'KAITO',
        installed: true,
        healthy: true,
        version: '0.6.0',
        message: 'KAITO is installed and running',
        crdFound: true,
        operatorRunning: true,
      });
    });
  });

  it('an operator pod that is not ready leaves it installed but unhealthy', async () => {
    await cluster.apply([
      operatorPod(
        'kaito-workspace-1',
        'kaito-workspace',
        { 'app.kubernetes.io/name': 'workspace', 'app.kubernetes.io/instance': 'kaito-workspace' },
        'mcr.microsoft.com/aks/kaito/workspace:0.6.0',
        { nodeSelector: { 'kubernetes.io/hostname': 'no-such-node' } },
      ),
    ]);
    await eventually(async () => {
      expect((await runtimes()).kaito).toMatchObject({
        installed: true,
        healthy: false,
        message: 'KAITO is running, but 1 of 2 operator pods are not ready',
      });
    });
  });

  it('the default provider of /cluster/status follows: Dynamo once its operator runs', async () => {
    expect((await api.request('/api/cluster/status')).body.providerId).toBe('vllm');
    await cluster.createNamespace('dynamo-system');
    await cluster.apply([
      operatorPod(
        'dynamo-operator-0',
        'dynamo-system',
        { 'app.kubernetes.io/name': 'dynamo-operator', 'control-plane': 'controller-manager' },
        'nvcr.io/nvidia/ai-dynamo/kubernetes-operator:0.4.1@sha256:' + 'a'.repeat(64),
      ),
    ]);
    await eventually(async () => {
      const { body } = await api.request('/api/cluster/status');
      expect(body).toMatchObject({ providerId: 'dynamo', providerInstalled: true });
      expect((await runtimes()).dynamo).toMatchObject({ installed: true, healthy: true, version: '0.4.1' });
    });
  });
});
