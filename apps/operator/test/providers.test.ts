// Every provider end to end on a real control plane with the providers' real CRDs: the API
// reference's examples come out as documented, status follows what each upstream operator
// writes into its own object's status (written here the way that operator would), providers
// become selectable when their operator starts and report why they are stuck when their CRDs
// go, and Gateway routing objects come and go with the ModelDeployment. The upstream operators
// themselves are stood in for by pods carrying their labels: the operator only looks at those.
import { join } from 'node:path';
import { repoRoot, startControlPlane, type ControlPlane } from '@airunway/testenv';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningOperator } from '../src/operator.js';
import { eventually, getJson, modelDeployment, startTestOperator } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

let cluster: ControlPlane;
let operator: RunningOperator;
const ns = 'models';

const example = (name: string) => join(repoRoot, 'packages/schema/src/examples', `${name}.yaml`);

async function md(name: string) {
  return getJson(cluster, ['get', 'md', name, '-n', ns]);
}

async function waitForStatus(name: string, check: (status: any) => void, timeout = 60_000) {
  return eventually(async () => {
    const obj = await md(name);
    check(obj.status ?? {});
    return obj;
  }, timeout);
}

/** A pod that looks like a provider's operator to the operator's probes, Ready on a simulated node. */
async function startFakeProviderOperator(namespace: string, labels: Record<string, string>) {
  await cluster.kubectl(['create', 'namespace', namespace]);
  await cluster.apply([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'provider-operator', namespace, labels },
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': 'cpu-0' },
        tolerations: [{ operator: 'Exists' }],
        containers: [{ name: 'manager', image: 'example.com/provider-operator:v1' }],
      },
    },
  ]);
}

/** Writes an object's status subresource, as its upstream operator would. */
async function writeStatus(resource: string, name: string, status: object) {
  await cluster.kubectlOk([
    'patch',
    resource,
    name,
    '-n',
    ns,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  ]);
}

beforeAll(async () => {
  cluster = await startControlPlane({
    nodes: [
      { kind: 'gpu', name: 'gpu-0', gpu: 'H100-80GB', gpuCount: 8, pool: 'h100' },
      { kind: 'gpu', name: 'gpu-1', gpu: 'H100-80GB', gpuCount: 8, pool: 'h100' },
      {
        kind: 'cpu',
        name: 'cpu-0',
        pool: 'system',
        instanceType: 'Standard_D16s_v5',
        cpu: '16',
        memory: '64Gi',
      },
    ],
    upstreamCrds: ['kaito', 'dynamo', 'kuberay', 'gateway-api', 'gateway-api-inference-extension'],
  });
  await cluster.createNamespace(ns);
  operator = await startTestOperator(cluster);
});

afterAll(async () => {
  await operator.stop();
  await cluster.stop();
});

describe('providers become selectable when their operator starts', () => {
  it('falls back while Dynamo is not running, and selects it once it runs — no restart', async () => {
    await cluster.apply([
      modelDeployment('before-dynamo', ns, {
        model: { id: 'Qwen/Qwen3-0.6B' },
        engine: { type: 'vllm' },
        resources: { gpu: { count: 1 } },
      }),
    ]);
    await waitForStatus('before-dynamo', (s) => {
      expect(s.provider?.name).toBe('vllm');
      expect(s.provider.selectedReason).toContain('dynamo');
    });

    await startFakeProviderOperator('dynamo-system', {
      'app.kubernetes.io/name': 'dynamo-operator',
      'control-plane': 'controller-manager',
    });
    await cluster.kubectlOk(['apply', '-n', ns, '-f', example('llama-8b')]);
    await waitForStatus('llama-8b', (s) => {
      expect(s.provider).toMatchObject({
        name: 'dynamo',
        selectedReason: 'default → dynamo (GPU inference default)',
        resourceKind: 'DynamoGraphDeployment',
        resourceName: 'llama-8b',
      });
    });
    // The earlier choice stays: deployments do not move when another provider appears.
    expect((await md('before-dynamo')).status.provider.name).toBe('vllm');
  });
});

describe('the API reference examples', () => {
  it('llama-8b: Dynamo Frontend + VllmWorker, Running when Dynamo reports its components ready', async () => {
    const dgd = await eventually(() =>
      getJson(cluster, ['get', 'dynamographdeployment', 'llama-8b', '-n', ns]),
    );
    const components = Object.fromEntries(dgd.spec.components.map((c: any) => [c.name, c]));
    expect(Object.keys(components).sort()).toEqual(['Frontend', 'VllmWorker']);
    const worker = components.VllmWorker.podTemplate?.spec?.containers?.[0] ?? components.VllmWorker;
    expect(JSON.stringify(worker)).toContain('"nvidia.com/gpu":"1"');
    expect(JSON.stringify(worker)).toContain('"memory":"32Gi"');
    expect(dgd.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ModelDeployment', name: 'llama-8b', controller: true }),
    ]);

    await writeStatus('dynamographdeployment', 'llama-8b', {
      state: 'successful',
      observedGeneration: dgd.metadata.generation,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'all_resources_are_ready',
          message: 'All resources are ready',
          lastTransitionTime: '2026-11-27T00:00:00Z',
        },
      ],
      components: {
        Frontend: {
          componentKind: 'Deployment',
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
        VllmWorker: {
          componentKind: 'Deployment',
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      },
    });
    await waitForStatus('llama-8b', (s) => {
      expect(s.phase).toBe('Running');
      expect(s.endpoint).toEqual({ service: 'llama-8b-frontend', port: 8000 });
      expect(s.replicas).toEqual({ desired: 1, ready: 1, available: 1 });
    });
  });

  it('llama-70b-pd: Dynamo disaggregated, six workers desired', async () => {
    await cluster.kubectlOk(['apply', '-n', ns, '-f', example('llama-70b-pd')]);
    const dgd = await eventually(() =>
      getJson(cluster, ['get', 'dynamographdeployment', 'llama-70b-pd', '-n', ns]),
    );
    const replicas = Object.fromEntries(dgd.spec.components.map((c: any) => [c.name, c.replicas]));
    expect(replicas).toEqual({ Frontend: 2, VllmPrefillWorker: 2, VllmDecodeWorker: 4 });
    await waitForStatus('llama-70b-pd', (s) => {
      expect(s.provider.name).toBe('dynamo');
      expect(s.replicas.desired).toBe(6);
      expect(s.endpoint).toEqual({ service: 'llama-70b-pd-frontend', port: 8000 });
      expect(['Pending', 'Deploying']).toContain(s.phase);
    });
  });

  it('gemma-cpu: KAITO llama.cpp on CPU, Running when the Workspace is ready', async () => {
    await startFakeProviderOperator('kaito-workspace', {
      'app.kubernetes.io/name': 'workspace',
      'app.kubernetes.io/instance': 'kaito-workspace',
    });
    await cluster.kubectlOk(['apply', '-n', ns, '-f', example('gemma-cpu')]);
    await waitForStatus('gemma-cpu', (s) => {
      expect(s.provider).toMatchObject({
        name: 'kaito',
        selectedReason: 'no GPU requested → kaito (only CPU provider)',
        resourceKind: 'Workspace',
      });
      expect(s.endpoint).toEqual({ service: 'gemma-cpu', port: 80 });
    });
    const workspace = await getJson(cluster, ['get', 'workspaces.kaito.sh', 'gemma-cpu', '-n', ns]);
    const condition = (type: string, reason: string) => ({
      type,
      status: 'True',
      reason,
      message: type,
      observedGeneration: workspace.metadata.generation,
      lastTransitionTime: '2026-11-27T00:00:00Z',
    });
    await writeStatus('workspaces.kaito.sh', 'gemma-cpu', {
      targetNodeCount: 1,
      conditions: [
        condition('NodesReady', 'NodesReady'),
        condition('ResourceReady', 'workspaceResourceStatusSuccess'),
        condition('InferenceReady', 'WorkspaceInferenceStatusSuccess'),
        condition('WorkspaceSucceeded', 'workspaceSucceeded'),
      ],
    });
    await waitForStatus('gemma-cpu', (s) => {
      expect(s.phase).toBe('Running');
    });
  });
});

describe('KubeRay', () => {
  it('runs a RayService and follows its status', async () => {
    await startFakeProviderOperator('ray-system', { 'app.kubernetes.io/name': 'kuberay-operator' });
    await cluster.apply([
      modelDeployment('ray-qwen', ns, {
        model: { id: 'Qwen/Qwen3-0.6B' },
        provider: { name: 'kuberay' },
        resources: { gpu: { count: 1 } },
      }),
    ]);
    await waitForStatus('ray-qwen', (s) => {
      expect(s.provider).toMatchObject({ name: 'kuberay', resourceKind: 'RayService' });
      expect(s.endpoint).toEqual({ service: 'ray-qwen-serve-svc', port: 8000 });
    });
    const rayService = await getJson(cluster, ['get', 'rayservice', 'ray-qwen', '-n', ns]);
    await writeStatus('rayservice', 'ray-qwen', {
      observedGeneration: rayService.metadata.generation,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'NonZeroServeEndpoints',
          message: 'Number of serve endpoints is greater than 0',
          lastTransitionTime: '2026-11-27T00:00:00Z',
        },
      ],
      activeServiceStatus: {
        rayClusterName: 'ray-qwen-abcde',
        applicationStatuses: { llm: { status: 'RUNNING', message: '' } },
        rayClusterStatus: { readyWorkerReplicas: 1, desiredWorkerReplicas: 1 },
      },
    });
    await waitForStatus('ray-qwen', (s) => {
      expect(s.phase).toBe('Running');
    });
  });

  it('reports why a deployment is stuck when the provider CRDs are removed, and refuses new ones', async () => {
    await cluster.kubectlOk(['delete', 'crd', 'rayservices.ray.io', '--wait=true']);
    await waitForStatus('ray-qwen', (s) => {
      expect(s.phase).toBe('Pending');
      expect(s.message).toContain('rayservices.ray.io');
      expect(s.conditions.find((c: any) => c.type === 'ResourcesCreated')).toMatchObject({
        status: 'False',
        reason: 'ProviderNotInstalled',
      });
    });
    await cluster.apply([
      modelDeployment('ray-new', ns, {
        model: { id: 'Qwen/Qwen3-0.6B' },
        provider: { name: 'kuberay' },
        resources: { gpu: { count: 1 } },
      }),
    ]);
    await waitForStatus('ray-new', (s) => {
      expect(s.phase).toBe('Failed');
      expect(s.message).toContain('kuberay');
      expect(s.conditions.find((c: any) => c.type === 'ProviderSelected')).toMatchObject({ status: 'False' });
    });
  });
});

describe('deletion', () => {
  it('removes the provider objects with the ModelDeployment', async () => {
    await cluster.kubectlOk(['delete', 'md', 'llama-70b-pd', '-n', ns, '--wait=true']);
    await eventually(async () => {
      const left = await cluster.kubectl(['get', 'dynamographdeployment', 'llama-70b-pd', '-n', ns]);
      expect(left.code).not.toBe(0);
    });
  });
});

describe('llm-d', () => {
  it('runs vLLM behind its own endpoint picker and InferencePool, Running when the pods are', async () => {
    await cluster.apply([
      modelDeployment('llmd-qwen', ns, {
        model: { id: 'Qwen/Qwen3-0.6B' },
        provider: { name: 'llmd' },
        resources: { gpu: { count: 1 } },
      }),
    ]);
    await waitForStatus('llmd-qwen', (s) => {
      expect(s.provider).toMatchObject({ name: 'llmd' });
      expect(s.phase).toBe('Running');
    });
    const pool = await getJson(cluster, ['get', 'inferencepool', 'llmd-qwen', '-n', ns]);
    expect(pool.spec.selector.matchLabels).toMatchObject({ 'airunway.ai/model-deployment': 'llmd-qwen' });
    await getJson(cluster, ['get', 'deployment', 'llmd-qwen-epp', '-n', ns]);
  });
});

describe('Gateway routing', () => {
  const name = 'routed';

  it('routes a model through the only Gateway, and removes the routing when disabled', async () => {
    await cluster.apply([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'test' },
        spec: { controllerName: 'example.com/gateway-controller' },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'inference', namespace: ns },
        spec: { gatewayClassName: 'test', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      },
    ]);
    await cluster.kubectlOk([
      'patch',
      'gateway',
      'inference',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { addresses: [{ type: 'IPAddress', value: '10.0.0.50' }] } }),
    ]);
    await cluster.apply([
      modelDeployment(name, ns, {
        model: { id: 'Qwen/Qwen3-0.6B' },
        provider: { name: 'vllm' },
        resources: { gpu: { count: 1 } },
      }),
    ]);
    const route = await eventually(() => getJson(cluster, ['get', 'httproute', name, '-n', ns]));
    expect(route.spec.parentRefs).toEqual([
      expect.objectContaining({ kind: 'Gateway', name: 'inference', namespace: ns }),
    ]);
    expect(JSON.stringify(route.spec.rules)).toContain('"value":"Qwen3-0.6B"');
    const pool = await getJson(cluster, ['get', 'inferencepool', name, '-n', ns]);
    expect(pool.spec.targetPorts).toEqual([{ number: 8000 }]);
    await waitForStatus(name, (s) => {
      expect(s.gateway).toMatchObject({
        modelName: 'Qwen3-0.6B',
        endpoint: expect.stringContaining('10.0.0.50'),
      });
      expect(s.conditions.map((c: any) => c.type)).toContain('GatewayReady');
    });

    await cluster.kubectlOk([
      'patch',
      'md',
      name,
      '-n',
      ns,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { gateway: { enabled: false } } }),
    ]);
    await eventually(async () => {
      const left = await cluster.kubectl(['get', 'httproute', name, '-n', ns]);
      expect(left.code).not.toBe(0);
      const pools = await cluster.kubectl(['get', 'inferencepool', name, '-n', ns]);
      expect(pools.code).not.toBe(0);
    });
    await waitForStatus(name, (s) => {
      expect(s.gateway).toBeUndefined();
      expect(s.conditions.find((c: any) => c.type === 'GatewayReady')).toMatchObject({
        status: 'False',
        reason: 'GatewayDisabled',
      });
    });
  });
});
