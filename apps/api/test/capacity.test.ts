// GPU capacity with real pods placed by the real scheduler on kwok GPU nodes: allocation from
// running and scheduled pods (init containers and limits-only requests included), unschedulable
// and finished pods ignored, cordoned nodes offering nothing, memory from labels or product
// names, pools grouped.
import { DetailedGpuCapacityResponseSchema, GpuCapacityResponseSchema } from '@airunway/schema';
import type { NodeSpec } from '@airunway/testenv';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApi, type TestApi } from './helpers.js';

const cluster = testCluster();
const ns = uniqueNamespace('capacity');
let api: TestApi;

const NODES: NodeSpec[] = [
  {
    kind: 'gpu',
    name: 'gpu-l4-0',
    gpu: 'L4-24GB',
    gpuCount: 2,
    pool: 'l4',
    instanceType: 'Standard_NC16as_L4',
  },
  {
    kind: 'gpu',
    name: 'gpu-l4-1',
    gpu: 'L4-24GB',
    gpuCount: 2,
    pool: 'l4',
    instanceType: 'Standard_NC16as_L4',
  },
  // No memory label: the memory comes from the product name (Tesla-T4 → 16 GB).
  {
    kind: 'gpu',
    name: 'gpu-t4-0',
    gpu: 'T4-16GB',
    gpuCount: 1,
    pool: 't4',
    labels: { 'nvidia.com/gpu.memory': '' },
  },
];

function gpuPod(
  name: string,
  node: string | undefined,
  resources: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      ...(node ? { nodeSelector: { 'kubernetes.io/hostname': node } } : {}),
      containers: [{ name: 'model', image: 'vllm/vllm-openai:v0.11.0', resources }],
      ...extra,
    },
  };
}

const gpus = (n: number) => ({ 'nvidia.com/gpu': String(n) });

async function capacity() {
  const { status, body } = await api.request('/api/installation/gpu-capacity');
  expect(status).toBe(200);
  return GpuCapacityResponseSchema.parse(body);
}

beforeAll(async () => {
  await cluster.addNodes(NODES);
  await cluster.kubectlOk(['cordon', 'gpu-l4-1']);
  await cluster.createNamespace(ns);
  await cluster.apply([
    gpuPod('on-a100', 'gpu-a100-0', { requests: gpus(3), limits: gpus(3) }),
    // Limits alone set the request of an extended resource.
    gpuPod('on-h100', 'gpu-h100-0', { limits: gpus(2) }),
    // The init container needs 2 GPUs while it runs: the pod holds 2, not 1.
    gpuPod(
      'on-l4',
      'gpu-l4-0',
      { limits: gpus(1) },
      {
        initContainers: [{ name: 'warm-up', image: 'busybox', resources: { limits: gpus(2) } }],
      },
    ),
    // No node has 16 GPUs: it stays Pending without a node and holds nothing.
    gpuPod('too-big', undefined, { limits: gpus(16) }),
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'finished', namespace: ns },
      spec: {
        template: {
          spec: gpuPod('finished', 'gpu-h100-0', { limits: gpus(1) }, { restartPolicy: 'Never' }).spec,
        },
      },
    },
  ]);
  await cluster.kubectlOk([
    'wait',
    '--for=jsonpath={.status.phase}=Running',
    '--timeout=60s',
    '-n',
    ns,
    'pod/on-a100',
    'pod/on-h100',
    'pod/on-l4',
  ]);
  await cluster.kubectlOk([
    'wait',
    '--for=condition=PodScheduled=false',
    '--timeout=60s',
    '-n',
    ns,
    'pod/too-big',
  ]);
  await cluster.kubectlOk(['wait', '--for=condition=Complete', '--timeout=60s', '-n', ns, 'job/finished']);
  api = await startTestApi(cluster);
});

afterAll(async () => {
  await api.stop();
  await cluster.kubectl(['delete', 'namespace', ns, '--wait=false']);
  await cluster.kubectl(['delete', 'node', ...NODES.map((n) => n.name), '--wait=false']);
});

describe('GET /api/installation/gpu-capacity', () => {
  it('counts the GPUs that running and scheduled pods hold, node by node', async () => {
    const cap = await capacity();
    expect({ ...cap, nodes: undefined }).toEqual({
      totalGpus: 17,
      allocatedGpus: 7,
      // h100 6 + a100 1 + t4 1; gpu-l4-0 is full and gpu-l4-1 is cordoned.
      availableGpus: 8,
      maxContiguousAvailable: 6,
      maxNodeGpuCapacity: 8,
      gpuNodeCount: 5,
      totalMemoryGb: 80,
      nodes: undefined,
    });
    expect(cap.nodes).toEqual([
      {
        nodeName: 'gpu-a100-0',
        totalGpus: 4,
        allocatedGpus: 3,
        availableGpus: 1,
        pool: 'a100',
        ready: true,
        schedulable: true,
        gpuModel: 'NVIDIA-A100-SXM4-80GB',
        gpuMemoryGb: 80,
      },
      {
        nodeName: 'gpu-h100-0',
        totalGpus: 8,
        allocatedGpus: 2,
        availableGpus: 6,
        pool: 'h100',
        ready: true,
        schedulable: true,
        gpuModel: 'NVIDIA-H100-80GB-HBM3',
        gpuMemoryGb: 79.6,
      },
      expect.objectContaining({
        nodeName: 'gpu-l4-0',
        totalGpus: 2,
        allocatedGpus: 2,
        availableGpus: 0,
        gpuMemoryGb: 22.5,
      }),
      expect.objectContaining({
        nodeName: 'gpu-l4-1',
        totalGpus: 2,
        allocatedGpus: 0,
        availableGpus: 0,
        schedulable: false,
      }),
      expect.objectContaining({
        nodeName: 'gpu-t4-0',
        totalGpus: 1,
        availableGpus: 1,
        gpuModel: 'Tesla-T4',
        gpuMemoryGb: 16,
      }),
    ]);
  });

  it('follows the cluster: a deleted pod frees its GPUs', async () => {
    await cluster.kubectlOk(['delete', 'pod', 'on-a100', '-n', ns, '--grace-period=0', '--force']);
    await eventually(async () => {
      const cap = await capacity();
      expect(cap.nodes.find((n) => n.nodeName === 'gpu-a100-0')).toMatchObject({
        allocatedGpus: 0,
        availableGpus: 4,
      });
      expect(cap).toMatchObject({ allocatedGpus: 4, availableGpus: 11 });
    });
  });
});

describe('GET /api/installation/gpu-capacity/detailed', () => {
  it('groups GPU nodes by pool', async () => {
    const { status, body } = await api.request('/api/installation/gpu-capacity/detailed');
    expect(status).toBe(200);
    const detailed = DetailedGpuCapacityResponseSchema.parse(body);
    expect(detailed).toMatchObject({
      totalGpus: 17,
      gpuNodeCount: 5,
      maxNodeGpuCapacity: 8,
      totalMemoryGb: 80,
    });
    expect(detailed.nodePools).toEqual([
      {
        name: 'a100',
        gpuCount: 4,
        nodeCount: 1,
        availableGpus: 4,
        allocatedGpus: 0,
        maxContiguousAvailable: 4,
        gpuModel: 'NVIDIA-A100-SXM4-80GB',
        gpuMemoryGb: 80,
        instanceType: 'Standard_NC96ads_A100_v4',
        region: 'eastus',
      },
      expect.objectContaining({
        name: 'h100',
        gpuCount: 8,
        nodeCount: 1,
        availableGpus: 6,
        allocatedGpus: 2,
      }),
      {
        name: 'l4',
        gpuCount: 4,
        nodeCount: 2,
        availableGpus: 0,
        allocatedGpus: 2,
        maxContiguousAvailable: 0,
        gpuModel: 'NVIDIA-L4',
        gpuMemoryGb: 22.5,
        instanceType: 'Standard_NC16as_L4',
        region: 'eastus',
      },
      expect.objectContaining({
        name: 't4',
        gpuCount: 1,
        nodeCount: 1,
        gpuModel: 'Tesla-T4',
        gpuMemoryGb: 16,
      }),
    ]);
    expect('nodes' in detailed).toBe(false);
  });
});
