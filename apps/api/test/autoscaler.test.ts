// Autoscaler detection from what a cluster autoscaler really leaves in kube-system: its status
// ConfigMap (YAML since 1.30, text before), its Deployment, and AKS's node labels.
import { AutoscalerDetectionResponseSchema, AutoscalerStatusResponseSchema } from '@airunway/schema';
import { testCluster } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
let api: TestApi;
/** The API's clock runs this far ahead of the real one. */
let skewMs = 0;

/** Go's time.Time.String(), as the autoscaler writes it. */
function goTime(date: Date): string {
  return `${date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.(\d{3})Z$/, '.$1000000')} +0000 UTC`;
}

function yamlStatus(at: Date, health = 'Healthy'): string {
  return `time: ${goTime(at)}
autoscalerStatus: Running
clusterWide:
  health:
    status: ${health}
    nodeCounts:
      registered:
        total: 5
        ready: 5
        notStarted: 0
      longUnregistered: 0
      unregistered: 0
    lastProbeTime: "${at.toISOString()}"
    lastTransitionTime: "2026-01-01T00:00:00Z"
  scaleUp:
    status: NoActivity
    lastProbeTime: "${at.toISOString()}"
  scaleDown:
    status: NoCandidates
    lastProbeTime: "${at.toISOString()}"
nodeGroups:
- name: aks-gpu-31415926-vmss
  health:
    status: Healthy
    nodeCounts:
      registered:
        total: 2
        ready: 2
        notStarted: 0
      longUnregistered: 0
      unregistered: 0
    cloudProviderTarget: 2
    minSize: 1
    maxSize: 10
    lastProbeTime: "${at.toISOString()}"
  scaleUp:
    status: NoActivity
  scaleDown:
    status: NoCandidates
- name: aks-system-27182818-vmss
  health:
    status: Unhealthy
    nodeCounts:
      registered:
        total: 1
        ready: 0
        notStarted: 0
      longUnregistered: 0
      unregistered: 0
    cloudProviderTarget: 3
    minSize: 1
    maxSize: 3
`;
}

async function setStatus(text: string) {
  await cluster.apply([
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cluster-autoscaler-status', namespace: 'kube-system' },
      data: { status: text },
    },
  ]);
}

async function detection() {
  const { status, body } = await api.request('/api/autoscaler/detection');
  expect(status).toBe(200);
  return AutoscalerDetectionResponseSchema.parse(body);
}

beforeAll(async () => {
  api = await startTestApi(cluster, { now: () => new Date(Date.now() + skewMs) });
});

afterAll(async () => {
  await api.stop();
  await cluster.kubectl([
    'delete',
    'configmap',
    'cluster-autoscaler-status',
    '-n',
    'kube-system',
    '--ignore-not-found',
  ]);
  await cluster.kubectl([
    'delete',
    'deployment',
    'cluster-autoscaler',
    '-n',
    'kube-system',
    '--ignore-not-found',
  ]);
  await cluster.kubectl(['label', 'node', 'cpu-0', 'kubernetes.azure.com/cluster-']);
});

describe('autoscaler', () => {
  it('detects none in a cluster without an autoscaler; its status is NOT_FOUND', async () => {
    expect(await detection()).toEqual({
      detected: false,
      type: 'none',
      healthy: false,
      message: 'No cluster autoscaler detected',
      nodeGroupCount: 0,
    });
    const { status, body } = await api.request('/api/autoscaler/status');
    expect(status).toBe(404);
    expect(body.code).toBe('NOT_FOUND');
  });

  it('falls back to the cluster-autoscaler Deployment, healthy once it is ready', async () => {
    await cluster.apply([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'cluster-autoscaler',
          namespace: 'kube-system',
          labels: { app: 'cluster-autoscaler' },
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'cluster-autoscaler' } },
          template: {
            metadata: { labels: { app: 'cluster-autoscaler' } },
            spec: {
              containers: [
                {
                  name: 'cluster-autoscaler',
                  image: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0',
                },
              ],
            },
          },
        },
      },
    ]);
    await eventually(async () => {
      expect(await detection()).toEqual({
        detected: true,
        type: 'cluster-autoscaler',
        healthy: true,
        message:
          'Cluster Autoscaler Deployment cluster-autoscaler is ready (it has not written its status yet)',
        nodeGroupCount: 0,
      });
    });
  });

  it('reads the status ConfigMap: healthy while updated less than 5 minutes ago', async () => {
    const at = new Date();
    await setStatus(yamlStatus(at));
    await eventually(async () => {
      expect((await detection()).nodeGroupCount).toBe(2);
    });
    expect(await detection()).toEqual({
      detected: true,
      type: 'cluster-autoscaler',
      healthy: true,
      message: 'Cluster Autoscaler running on 2 node group(s)',
      nodeGroupCount: 2,
      lastUpdated: at.toISOString(),
    });
    const { status, body } = await api.request('/api/autoscaler/status');
    expect(status).toBe(200);
    expect(AutoscalerStatusResponseSchema.parse(body)).toEqual({
      health: 'Healthy',
      lastUpdated: at.toISOString(),
      nodeGroups: [
        { name: 'aks-gpu-31415926-vmss', health: 'Healthy', minSize: 1, maxSize: 10, currentSize: 2 },
        { name: 'aks-system-27182818-vmss', health: 'Unhealthy', minSize: 1, maxSize: 3, currentSize: 1 },
      ],
      stale: false,
    });
  });

  it('a status older than 5 minutes is stale and unhealthy', async () => {
    skewMs = 6 * 60_000;
    try {
      expect(await detection()).toMatchObject({
        detected: true,
        healthy: false,
        message: 'Cluster Autoscaler status is stale: last updated 6 minute(s) ago',
      });
      expect((await api.request('/api/autoscaler/status')).body.stale).toBe(true);
    } finally {
      skewMs = 0;
    }
  });

  it('an autoscaler that reports the cluster Unhealthy is not healthy', async () => {
    await setStatus(yamlStatus(new Date(), 'Unhealthy'));
    await eventually(async () => {
      expect(await detection()).toMatchObject({
        healthy: false,
        message: 'Cluster Autoscaler reports the cluster Unhealthy',
      });
    });
  });

  it('on AKS, a status without a Deployment is the managed autoscaler', async () => {
    await cluster.kubectlOk(['delete', 'deployment', 'cluster-autoscaler', '-n', 'kube-system']);
    await cluster.kubectlOk([
      'label',
      'node',
      'cpu-0',
      'kubernetes.azure.com/cluster=MC_rg_aks_eastus',
      '--overwrite',
    ]);
    await setStatus(yamlStatus(new Date()));
    await eventually(async () => {
      expect(await detection()).toMatchObject({ detected: true, type: 'aks-managed', healthy: true });
    });
  });

  it('reads the text format of autoscalers before 1.30', async () => {
    const at = new Date();
    await setStatus(`Cluster-autoscaler status at ${goTime(at)}:
Cluster-wide:
  Health:      Healthy (ready=3 unready=0 notStarted=0 longNotStarted=0 registered=3 longUnregistered=0)
               LastProbeTime:      ${goTime(at)}
               LastTransitionTime: 2026-01-01 00:00:00 +0000 UTC
  ScaleUp:     NoActivity (ready=3 registered=3)

NodeGroups:
  Name:        gpu-pool
  Health:      Healthy (ready=2 unready=0 notStarted=0 longNotStarted=0 registered=2 longUnregistered=0 cloudProviderTarget=2 (minSize=0, maxSize=8))
               LastProbeTime:      ${goTime(at)}
  ScaleUp:     NoActivity (ready=2 cloudProviderTarget=2)
`);
    await eventually(async () => {
      const { body } = await api.request('/api/autoscaler/status');
      expect(body).toEqual({
        health: 'Healthy',
        lastUpdated: at.toISOString(),
        nodeGroups: [{ name: 'gpu-pool', health: 'Healthy', minSize: 0, maxSize: 8, currentSize: 2 }],
        stale: false,
      });
    });
  });
});
