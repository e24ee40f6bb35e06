// What a deployment is doing, against the real control plane: its pods (as a provider labels
// them), logs read through the apiserver from a kubelet on 127.0.0.1 (a fixture with engine-like
// lines, and kwok with the control plane's simulated lines), engine metrics (scraped
// directly as in the cluster, or refused through the apiserver's proxy outside it), pending
// reasons from the real scheduler, the objects the operator created, and the inference Gateway.
import {
  LogsResponseSchema,
  ManifestResponseSchema,
  MetricsResponseSchema,
  PendingReasonsResponseSchema,
  PodsResponseSchema,
  GatewayStatusResponseSchema,
  GatewayModelsResponseSchema,
} from '@airunway/schema';
import { SIMULATED_POD_LOG_LINES } from '@airunway/testenv';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFF_CLUSTER_ERROR } from '../src/services/deployments/metrics.js';
import { startKubeletFixture, startMetricsFixture, type Fixture } from './cluster-fixtures.js';
import { aggregateModelDeploymentRoles, eventually, getJson, startTestApi, type TestApi } from './helpers.js';
import { SseReader } from './sse.js';

const cluster = testCluster();
const { viewer: bob } = cluster.users;
const ns = uniqueNamespace('observe');
const suffix = ns.slice(-6);
const fakeNode = `kubelet-fixture-${suffix}`;
const gatewayName = `inference-${suffix}`;
let api: TestApi;
let inCluster: TestApi;
let authApi: TestApi;
let kubelet: Fixture;
let metrics: Fixture;
let mdUid: string;
let revokeRoles: () => Promise<void>;

const md = (name: string) => ({
  apiVersion: 'airunway.ai/v1alpha1',
  kind: 'ModelDeployment',
  metadata: { name, namespace: ns },
  spec: { model: { id: 'Qwen/Qwen3-0.6B' }, provider: { name: 'vllm' }, resources: { gpu: { count: 1 } } },
});

const pod = (
  name: string,
  spec: object,
  annotations: Record<string, string> = {},
  deployment = 'observed',
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { 'airunway.ai/model-deployment': deployment }, annotations },
  spec,
});

async function patchStatus(kind: string, name: string, status: object, namespace?: string) {
  await cluster.kubectlOk([
    'patch',
    kind,
    name,
    ...(namespace ? ['-n', namespace] : []),
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  ]);
}

beforeAll(async () => {
  [kubelet, metrics, revokeRoles] = await Promise.all([
    startKubeletFixture(),
    startMetricsFixture(),
    aggregateModelDeploymentRoles(cluster),
  ]);
  await cluster.createNamespace(ns);
  // A node no kwok manages: its "kubelet" is the fixture, so the apiserver fetches logs there.
  await cluster.apply([
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: fakeNode, labels: { 'airunway.ai/test': 'kubelet-fixture' } },
    },
  ]);
  await patchStatus('node', fakeNode, {
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
  });
  await cluster.apply([md('observed'), md('empty'), md('simulated')]);
  mdUid = (await getJson(cluster, ['get', 'modeldeployment', 'observed', '-n', ns])).metadata.uid;
  await cluster.apply([
    pod(
      'observed-0',
      {
        nodeName: fakeNode,
        containers: [
          { name: 'sidecar', image: 'busybox' },
          { name: 'vllm', image: 'vllm/vllm-openai', ports: [{ name: 'http', containerPort: metrics.port }] },
        ],
      },
      { 'kubectl.kubernetes.io/default-container': 'vllm' },
    ),
    // Scheduled to a kwok node, whose kubelet serves the control plane's simulated log lines.
    pod(
      'simulated-0',
      { containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }], nodeSelector: { type: 'kwok' } },
      {},
      'simulated',
    ),
    // More GPUs than any node has: the real scheduler says why not.
    pod('observed-big', {
      containers: [
        { name: 'vllm', image: 'vllm/vllm-openai', resources: { limits: { 'nvidia.com/gpu': '100' } } },
      ],
    }),
  ]);
  // What the kubelet would report: running, ready, restarted twice, on 127.0.0.1.
  await patchStatus(
    'pod',
    'observed-0',
    {
      phase: 'Running',
      podIP: '127.0.0.1',
      podIPs: [{ ip: '127.0.0.1' }],
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'sidecar',
          ready: true,
          restartCount: 0,
          image: 'busybox',
          imageID: '',
          state: { running: {} },
        },
        {
          name: 'vllm',
          ready: true,
          restartCount: 2,
          image: 'vllm/vllm-openai',
          imageID: '',
          state: { running: {} },
        },
      ],
    },
    ns,
  );
  [api, inCluster, authApi] = await Promise.all([
    startTestApi(cluster, { defaultNamespace: ns, heartbeatMs: 200 }),
    startTestApi(cluster, { defaultNamespace: ns, inCluster: true }),
    startTestApi(cluster, { authEnabled: true, defaultNamespace: ns }),
  ]);
  await eventually(() => {
    expect(
      api.runtime.cache.podsOf(ns, 'observed').find((p) => p.metadata.name === 'observed-0')?.status.podIP,
    ).toBe('127.0.0.1');
  });
});

afterAll(async () => {
  await Promise.all([api.stop(), inCluster.stop(), authApi.stop(), kubelet.close(), metrics.close()]);
  await cluster.kubectl(['delete', 'namespace', ns, '--wait=false']);
  await cluster.kubectl(['delete', 'node', fakeNode, '--wait=false']);
  await cluster.kubectl(['delete', 'gateway', gatewayName, '-n', 'default', '--ignore-not-found']);
  await revokeRoles();
});

describe('pods', () => {
  it('every pod labelled for the deployment, ready ones first, with node, restarts and reason', async () => {
    await eventually(async () => {
      const { status, body } = await api.request('/api/deployments/observed/pods');
      expect(status).toBe(200);
      expect(PodsResponseSchema.parse(body).pods).toEqual([
        {
          name: 'observed-0',
          phase: 'Running',
          ready: true,
          restarts: 2,
          node: fakeNode,
          containers: ['vllm', 'sidecar'],
          createdAt: expect.any(String),
        },
        {
          name: 'observed-big',
          phase: 'Pending',
          ready: false,
          restarts: 0,
          reason: 'Unschedulable',
          containers: ['vllm'],
          createdAt: expect.any(String),
        },
      ]);
    }, 10_000);
    const detail = await api.request(`/api/deployments/observed?namespace=${ns}`);
    expect(detail.body.pods.map((p: { name: string }) => p.name)).toEqual(['observed-0', 'observed-big']);
  });
});

describe('logs', () => {
  it('the default container of the first ready pod, the last lines, colours removed', async () => {
    const { status, body } = await api.request('/api/deployments/observed/logs?tailLines=2');
    expect(status).toBe(200);
    expect(LogsResponseSchema.parse(body)).toEqual({
      podName: 'observed-0',
      container: 'vllm',
      logs:
        'INFO 01-15 10:30:05 [loader.py] Model loaded successfully (vllm)\n' +
        'INFO 01-15 10:30:06 [launcher.py] Server started on port 8000 (vllm)\n',
    });
    expect(kubelet.requests.at(-1)).toBe(`/containerLogs/${ns}/observed-0/vllm?tailLines=2`);
  });

  it('a chosen container, with timestamps; the default tail is 100 lines', async () => {
    const { body } = await api.request(
      `/api/deployments/observed/logs?namespace=${ns}&container=sidecar&timestamps=true`,
    );
    expect(body.container).toBe('sidecar');
    expect(body.logs.split('\n')[0]).toBe(
      '2026-01-15T10:30:00.000000000Z INFO 01-15 10:30:00 [api_server.py] vLLM API server version 0.28.0 (sidecar)',
    );
    expect(kubelet.requests.at(-1)).toContain('tailLines=100');
  });

  it('bad parameters are 400 with the field; a pod of another deployment is 404; no pods, no logs', async () => {
    const tooMany = await api.request('/api/deployments/observed/logs?tailLines=10001');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details.fields[0].path).toBe('tailLines');
    const container = await api.request('/api/deployments/observed/logs?container=nope');
    expect(container.status).toBe(400);
    expect(container.body.details.fields[0]).toMatchObject({ path: 'container' });
    expect((await api.request('/api/deployments/observed/logs?podName=someone-else')).status).toBe(404);
    expect((await api.request('/api/deployments/empty/logs')).body).toEqual({
      logs: '',
      message: 'Deployment empty has no pods yet',
    });
  });

  it('follow=true streams each line as an event until the container stops', async () => {
    const res = await api.runtime.app.request('/api/deployments/observed/logs?follow=true&tailLines=1');
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const stream = new SseReader(res);
    expect((await stream.next((e) => e.event === 'meta')).data).toEqual({
      podName: 'observed-0',
      container: 'vllm',
    });
    await stream.next((e) => e.event === 'end');
    expect(stream.events.filter((e) => e.event === 'log').map((e) => e.data)).toEqual([
      'INFO 01-15 10:30:06 [launcher.py] Server started on port 8000 (vllm)',
      'WARN request 0',
      'WARN request 1',
      'WARN request 2',
      'WARN request 3',
    ]);
    expect(kubelet.requests.at(-1)).toContain('follow=true');
  });

  it('a pod on a simulated node: the lines kwok serves, and a line appended while following', async () => {
    await cluster.kubectlOk(['wait', '-n', ns, '--for=condition=Ready', '--timeout=60s', 'pod/simulated-0']);
    await eventually(async () => {
      const { status, body } = await api.request('/api/deployments/simulated/logs');
      expect(status).toBe(200);
      expect(body).toMatchObject({ podName: 'simulated-0', container: 'vllm' });
      expect(body.logs).toContain(SIMULATED_POD_LOG_LINES.join('\n'));
    });
    const res = await api.runtime.app.request('/api/deployments/simulated/logs?follow=true&tailLines=1');
    const stream = new SseReader(res);
    try {
      // The stream is open once the last line is in; only following can bring the new one.
      await stream.next((e) => e.event === 'log');
      const line = `appended while following at ${new Date().toISOString()}`;
      await cluster.appendPodLog(line);
      await stream.next((e) => e.event === 'log' && e.data === line);
      expect(stream.events.some((e) => e.event === 'end')).toBe(false);
    } finally {
      await stream.close();
    }
  });

  it('with auth on: bob (view) reads logs with his own token; no token is 401', async () => {
    expect((await authApi.request(`/api/deployments/observed/logs?namespace=${ns}`)).status).toBe(401);
    const { status, body } = await authApi.request(`/api/deployments/observed/logs?namespace=${ns}`, {
      token: bob.token,
    });
    expect(status).toBe(200);
    expect(body.podName).toBe('observed-0');
  });
});

describe('metrics', () => {
  it('in the cluster: every running pod scraped directly, engine samples labelled with the pod', async () => {
    const { status, body } = await inCluster.request('/api/deployments/observed/metrics');
    expect(status).toBe(200);
    const parsed = MetricsResponseSchema.parse(body);
    expect(parsed).toMatchObject({
      available: true,
      engine: 'vllm',
      runningOffCluster: false,
      pods: [{ name: 'observed-0', available: true }],
    });
    expect(parsed.metrics).toContainEqual({
      name: 'vllm:num_requests_running',
      value: 5,
      labels: { engine: '0', model_name: 'Qwen/Qwen3-0.6B', pod: 'observed-0' },
      type: 'gauge',
    });
    expect(parsed.metrics.find((m) => m.name === 'vllm:gpu_cache_usage_perc')?.value).toBe(0.452);
    expect(parsed.metrics.some((m) => m.name.startsWith('python_'))).toBe(false);
    // Shared for a few seconds: a second dashboard costs no scrape.
    const scrapes = metrics.requests.length;
    await inCluster.request('/api/deployments/observed/metrics');
    expect(metrics.requests.length).toBe(scrapes);
  });

  it("outside the cluster: through the apiserver's pod proxy; when it cannot reach the pods, runningOffCluster", async () => {
    const { status, body } = await api.request('/api/deployments/observed/metrics');
    expect(status).toBe(200);
    expect(MetricsResponseSchema.parse(body)).toMatchObject({
      available: false,
      metrics: [],
      runningOffCluster: true,
      pods: [{ name: 'observed-0', available: false }],
    });
    expect(body.error).toContain(OFF_CLUSTER_ERROR);
    // The apiserver itself refuses to proxy to a loopback pod address.
    expect(body.error).toMatch(/address not allowed/);
  });

  it('no running pods: not available, and says so', async () => {
    const { body } = await inCluster.request('/api/deployments/empty/metrics');
    expect(body).toMatchObject({
      available: false,
      metrics: [],
      error: 'No running pods to read metrics from',
    });
  });
});

describe('pending reasons', () => {
  it("the scheduler's reason, classified: GPUs are short", async () => {
    await eventually(async () => {
      const { status, body } = await api.request('/api/deployments/observed/pending-reasons');
      expect(status).toBe(200);
      const { reasons } = PendingReasonsResponseSchema.parse(body);
      const gpu = reasons.find((r) => r.message.includes('Insufficient nvidia.com/gpu'));
      expect(gpu).toMatchObject({ isResourceConstraint: true, resourceType: 'gpu', podName: 'observed-big' });
      expect(gpu?.reason).toMatch(/^(FailedScheduling|Unschedulable)$/);
      expect(gpu?.canAutoscalerHelp).toBe(!/taint|selector|affinity/i.test(gpu?.message ?? ''));
      // Only pending pods: the running one has nothing to say.
      expect(reasons.every((r) => r.podName === 'observed-big')).toBe(true);
    });
  });
});

describe('manifest', () => {
  it('the ModelDeployment, then the objects it controls, from the cache', async () => {
    const owner = {
      apiVersion: 'airunway.ai/v1alpha1',
      kind: 'ModelDeployment',
      name: 'observed',
      uid: mdUid,
      controller: true,
    };
    const meta = (name: string) => ({
      name,
      namespace: ns,
      labels: { 'app.kubernetes.io/managed-by': 'airunway', 'airunway.ai/model-deployment': 'observed' },
      ownerReferences: [owner],
    });
    await cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('observed'),
        spec: {
          selector: { 'airunway.ai/model-deployment': 'observed' },
          ports: [{ port: 8000, name: 'http' }],
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta('observed'),
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'observed' } },
          template: {
            metadata: { labels: { app: 'observed' } },
            spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] },
          },
        },
      },
      // Not ours (no controller reference): not part of the manifest.
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta('unrelated'), ownerReferences: [] } },
    ]);
    await eventually(async () => {
      const { status, body } = await api.request('/api/deployments/observed/manifest');
      expect(status).toBe(200);
      const manifest = ManifestResponseSchema.parse(body);
      expect(manifest.primaryResource).toEqual({
        kind: 'ModelDeployment',
        apiVersion: 'airunway.ai/v1alpha1',
      });
      expect(manifest.resources.map((r) => `${r.kind}/${r.name}`)).toEqual([
        'ModelDeployment/observed',
        'Deployment/observed',
        'Service/observed',
      ]);
      expect(manifest.resources[1]?.manifest).toMatchObject({
        spec: { replicas: 0 },
        metadata: { ownerReferences: [owner] },
      });
    });
  });
});

describe('gateway', () => {
  it('no Gateway: not available, and why; with one (and an address), its endpoint', async () => {
    const none = await api.request('/api/gateway/status');
    expect(none.status).toBe(200);
    if (none.body.available === false) expect(none.body.message).toBeTruthy();

    await cluster.apply([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: {
          name: gatewayName,
          namespace: 'default',
          labels: { 'airunway.ai/inference-gateway': 'true' },
        },
        spec: { gatewayClassName: 'test', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
      },
    ]);
    await patchStatus(
      'gateway',
      gatewayName,
      { addresses: [{ type: 'IPAddress', value: '10.0.0.1' }] },
      'default',
    );
    await eventually(async () => {
      const { body } = await api.request('/api/gateway/status');
      expect(GatewayStatusResponseSchema.parse(body)).toEqual({
        available: true,
        endpoint: 'http://10.0.0.1',
        gateway: { name: gatewayName, namespace: 'default' },
      });
    }, 10_000);
  });

  it('models: deployments the operator routed, with their GatewayReady condition', async () => {
    await patchStatus(
      'modeldeployment',
      'observed',
      {
        phase: 'Running',
        provider: { name: 'vllm' },
        gateway: { endpoint: 'http://10.0.0.1', modelName: 'Qwen3-0.6B' },
        conditions: [
          {
            type: 'GatewayReady',
            status: 'True',
            reason: 'RouteAccepted',
            message: 'routed',
            lastTransitionTime: new Date().toISOString(),
          },
        ],
      },
      ns,
    );
    await eventually(async () => {
      const { status, body } = await api.request('/api/gateway/models');
      expect(status).toBe(200);
      expect(GatewayModelsResponseSchema.parse(body)).toContainEqual({
        name: 'Qwen3-0.6B',
        deploymentName: 'observed',
        namespace: ns,
        provider: 'vllm',
        ready: true,
      });
    });
  });
});
