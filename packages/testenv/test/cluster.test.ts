// Proves the test control plane is a real cluster: real versions, real scheduling of
// GPU resources, real authentication and authorization.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testCluster, uniqueNamespace } from '../src/vitest.js';
import { UPSTREAM_CRD_SETS, upstreamCrdFiles } from '../src/crds.js';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

const cluster = testCluster();
const ns = uniqueNamespace('cluster');

beforeAll(async () => {
  await cluster.createNamespace(ns);
});

describe('versions', () => {
  it('reports the pinned Kubernetes release, not v0.0.0', async () => {
    const out = JSON.parse(await cluster.kubectlOk(['version', '-o', 'json'])) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string; major: string; minor: string };
    };
    expect(out.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(out.clientVersion.gitVersion).toBe(out.serverVersion.gitVersion);
    expect(`v${out.serverVersion.major}.${out.serverVersion.minor}.`).toBe(
      out.serverVersion.gitVersion.replace(/\d+$/, ''),
    );
  });
});

describe('nodes', () => {
  it('has Ready GPU nodes with nvidia.com/gpu capacity and GPU feature-discovery labels', async () => {
    const nodes = JSON.parse(
      await cluster.kubectlOk(['get', 'nodes', '-l', 'nvidia.com/gpu.present=true', '-o', 'json']),
    ) as {
      items: {
        metadata: { labels: Record<string, string> };
        status: { allocatable: Record<string, string>; conditions: { type: string; status: string }[] };
      }[];
    };
    expect(nodes.items.length).toBeGreaterThanOrEqual(2);
    for (const node of nodes.items) {
      expect(Number(node.status.allocatable['nvidia.com/gpu'])).toBeGreaterThan(0);
      expect(node.metadata.labels['nvidia.com/gpu.product']).toMatch(/^NVIDIA-/);
      expect(Number(node.metadata.labels['nvidia.com/gpu.memory'])).toBeGreaterThan(10_000);
      expect(node.metadata.labels.agentpool).toBeTruthy();
      expect(node.metadata.labels['node.kubernetes.io/instance-type']).toBeTruthy();
      expect(node.metadata.labels['topology.kubernetes.io/region']).toBeTruthy();
      expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });
});

describe('scheduling GPU workloads', () => {
  it('places a Deployment that asks for 1 GPU on a GPU node and it becomes Available', async () => {
    await cluster.apply([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'one-gpu', namespace: ns },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'one-gpu' } },
          template: {
            metadata: { labels: { app: 'one-gpu' } },
            spec: {
              containers: [
                {
                  name: 'server',
                  image: 'vllm/vllm-openai:latest',
                  resources: { limits: { 'nvidia.com/gpu': '1' } },
                },
              ],
            },
          },
        },
      },
    ]);
    await cluster.kubectlOk([
      'wait',
      '-n',
      ns,
      '--for=condition=Available',
      '--timeout=60s',
      'deployment/one-gpu',
    ]);
    const pods = JSON.parse(
      await cluster.kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=one-gpu', '-o', 'json']),
    ) as {
      items: { spec: { nodeName: string }; status: { phase: string } }[];
    };
    const [pod] = pods.items;
    expect(pods.items).toHaveLength(1);
    if (!pod) return;
    expect(pod.status.phase).toBe('Running');
    const nodeLabels = JSON.parse(
      await cluster.kubectlOk(['get', 'node', pod.spec.nodeName, '-o', 'jsonpath={.metadata.labels}']),
    ) as Record<string, string>;
    expect(nodeLabels['nvidia.com/gpu.present']).toBe('true');
  });

  it('leaves a pod that asks for more GPUs than any node has Pending with the scheduler reason', async () => {
    await cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'too-many-gpus', namespace: ns },
        spec: {
          containers: [
            {
              name: 'server',
              image: 'vllm/vllm-openai:latest',
              resources: { limits: { 'nvidia.com/gpu': '9' } },
            },
          ],
        },
      },
    ]);
    await cluster.kubectlOk([
      'wait',
      '-n',
      ns,
      '--for=jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}=Unschedulable',
      '--timeout=60s',
      'pod/too-many-gpus',
    ]);
    expect(
      await cluster.kubectlOk(['get', 'pod', 'too-many-gpus', '-n', ns, '-o', 'jsonpath={.status.phase}']),
    ).toBe('Pending');
    // The event is recorded asynchronously; retry until the scheduler's reason is there.
    await vi.waitFor(
      async () => {
        const events = await cluster.kubectlOk([
          'get',
          'events',
          '-n',
          ns,
          '--field-selector',
          'involvedObject.name=too-many-gpus,reason=FailedScheduling',
          '-o',
          'jsonpath={.items[*].message}',
        ]);
        expect(events).toContain('Insufficient nvidia.com/gpu');
      },
      { timeout: 30_000, interval: 250 },
    );
  });
});

describe('authentication and authorization', () => {
  it('answers a TokenReview with the user a token belongs to', async () => {
    const review = JSON.parse(
      await cluster.kubectlOk(['create', '-o', 'json', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          spec: { token: cluster.users.editor.token },
        }),
      }),
    ) as { status: { authenticated: boolean; user: { username: string; groups: string[] } } };
    expect(review.status.authenticated).toBe(true);
    expect(review.status.user.username).toBe(cluster.users.editor.name);
    expect(review.status.user.groups).toContain('system:authenticated');
  });

  it('rejects a token it does not know', async () => {
    const review = JSON.parse(
      await cluster.kubectlOk(['create', '-o', 'json', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          spec: { token: 'not-a-token' },
        }),
      }),
    ) as { status: { authenticated?: boolean } };
    expect(review.status.authenticated ?? false).toBe(false);
  });

  it('lets the editor write in its namespace only', async () => {
    const { editor } = cluster.users;
    const cm = (namespace: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace } });
    const inOwn = await cluster.kubectl(['create', '-f', '-'], {
      input: cm(cluster.editorNamespace),
      user: editor,
    });
    expect(inOwn.code, inOwn.stderr).toBe(0);
    const elsewhere = await cluster.kubectl(['create', '-f', '-'], { input: cm(ns), user: editor });
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/forbidden: User "alice" cannot create resource "configmaps"/);
  });

  it('lets the viewer read but not write', async () => {
    const { viewer } = cluster.users;
    const list = await cluster.kubectl(['get', 'pods', '-n', ns], { user: viewer });
    expect(list.code, list.stderr).toBe(0);
    const create = await cluster.kubectl(['create', 'configmap', 'nope', '-n', ns], { user: viewer });
    expect(create.stderr).toMatch(/forbidden: User "bob" cannot create resource "configmaps"/);
    const secrets = await cluster.kubectl(['auth', 'can-i', 'get', 'secrets', '-n', ns], { user: viewer });
    expect(secrets.stdout.trim()).toBe('no');
  });
});

describe('upstream provider CRDs', () => {
  it.each(UPSTREAM_CRD_SETS)('installs and serves the %s CRDs', async (set) => {
    const files = await upstreamCrdFiles(set);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
        const crd = doc.toJS() as { kind: string; metadata: { name: string } } | null;
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        const established = await cluster.kubectlOk([
          'get',
          'crd',
          crd.metadata.name,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Established")].status}',
        ]);
        expect(established, crd.metadata.name).toBe('True');
      }
    }
  });
});
