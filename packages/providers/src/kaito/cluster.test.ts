// The real KAITO CRD (kaito.sh_workspaces.yaml of KAITO v0.12.0, installed by the testenv
// global setup) accepts what the KAITO provider renders. Its `inference.template` is not
// checked by the CRD (x-kubernetes-preserve-unknown-fields) although KAITO copies it into a
// StatefulSet, so the pod template is also checked as a Pod.
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../kubernetes.js';
import type { RenderResult } from '../provider.js';
import { dryRunNamespace, serverDryRun } from '../testing/cluster.js';
import { example, md } from '../testing/fixtures.js';
import { renderKaito, type Workspace } from './render.js';

let namespace = '';
beforeAll(async () => {
  namespace = await dryRunNamespace('kaito');
});

function rendered(result: RenderResult): KubernetesObject[] {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.objects;
}

function workspaceOf(objects: readonly KubernetesObject[]): Workspace {
  const workspace = objects.find((o) => o.kind === 'Workspace');
  if (!workspace) throw new Error('no Workspace');
  return workspace as Workspace;
}

/** The pod KAITO would create from a Workspace's template. */
function podOf(workspace: Workspace): KubernetesObject {
  const template = workspace.inference.template;
  if (!template) throw new Error('no pod template');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${workspace.metadata.name}-0`, labels: template.metadata.labels },
    spec: template.spec,
  } as KubernetesObject;
}

const vllmPreset = md({
  metadata: { name: 'llama-8b' },
  spec: {
    model: { id: 'meta-llama/Llama-3.1-8B-Instruct', servedName: 'llama-8b' },
    engine: {
      type: 'vllm',
      contextLength: 8192,
      enforceEager: true,
      args: { quantization: 'fp8', 'max-num-seqs': '64' },
      extraArgs: ['--enable-chunked-prefill', '--kv-cache-dtype=fp8'],
    },
    provider: { name: 'kaito', overrides: { performanceMode: 'throughput', disableBenchmark: true } },
    resources: { gpu: { count: 1 } },
    secrets: { huggingFaceToken: 'hf-token' },
    nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  },
});

const llamaCppGpu = md({
  metadata: { name: 'phi-gpu' },
  spec: {
    model: { id: 'bartowski/Phi-3.5-mini-instruct-GGUF' },
    engine: {
      type: 'llamacpp',
      image: 'registry.example.com/llama-cpp-runner:cuda-1',
      contextLength: 16384,
      args: { 'n-gpu-layers': '99' },
      extraArgs: ['--mlock'],
    },
    provider: {
      name: 'kaito',
      overrides: {
        instanceType: 'Standard_NC24ads_A100_v4',
        patch: { resource: { preferredNodes: ['gpu-a100-0'] } },
      },
    },
    scaling: { replicas: 2 },
    resources: { gpu: { count: 1 }, memory: '32Gi', cpu: '4' },
    env: [
      { name: 'LLAMA_LOG', value: 'debug' },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    ],
    secrets: { huggingFaceToken: 'hf-token' },
    podTemplate: { metadata: { labels: { team: 'edge' }, annotations: { 'prometheus.io/scrape': 'true' } } },
    nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
    tolerations: [
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ],
  },
});

describe('KAITO objects against the real CRD (server-side dry run)', () => {
  it('accepts the gemma-cpu Workspace and its pod template', async () => {
    const objects = rendered(renderKaito(example('gemma-cpu'), { engine: 'llamacpp' }));
    const result = await serverDryRun(objects, namespace);
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    const stored = workspaceOf(result.objects);
    expect(stored.resource).toEqual({
      count: 1,
      labelSelector: { matchLabels: { 'kubernetes.io/os': 'linux' } },
    });
    const pod = await serverDryRun([podOf(workspaceOf(objects))], namespace);
    expect(pod.errors).toBe('');
    expect(pod.accepted).toBe(true);
  });

  it('accepts a vLLM preset with its ConfigMap, and stores it as v1beta1 with the defaults filled in', async () => {
    const objects = rendered(renderKaito(vllmPreset, { engine: 'vllm' }));
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Workspace']);
    const result = await serverDryRun(objects, namespace);
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    const stored = workspaceOf(result.objects);
    expect(stored.apiVersion).toBe('kaito.sh/v1beta1');
    expect(stored.inference.preset).toEqual({
      name: 'meta-llama/Llama-3.1-8B-Instruct',
      accessMode: 'public',
      presetOptions: { modelAccessSecret: 'hf-token' },
    });
    expect(stored.resource.count).toBe(1);
    expect(stored.metadata.annotations).toMatchObject({
      'kaito.sh/disable-benchmark': 'true',
      'kaito.sh/performance-mode': 'throughput',
    });
  });

  it('accepts llama.cpp on GPUs with every mapped field and overrides, and its pod template', async () => {
    const objects = rendered(renderKaito(llamaCppGpu, { engine: 'llamacpp' }));
    const result = await serverDryRun(objects, namespace);
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    expect(workspaceOf(result.objects).resource).toMatchObject({
      count: 2,
      instanceType: 'Standard_NC24ads_A100_v4',
      preferredNodes: ['gpu-a100-0'],
    });
    const pod = await serverDryRun([podOf(workspaceOf(objects))], namespace);
    expect(pod.errors).toBe('');
    expect(pod.accepted).toBe(true);
  });

  it('refuses a deliberately wrong Workspace field, so the checks above mean something', async () => {
    const workspace = workspaceOf(rendered(renderKaito(example('gemma-cpu'), { engine: 'llamacpp' })));
    const wrongType = await serverDryRun(
      [{ ...workspace, resource: { ...workspace.resource, count: 'two' } } as unknown as KubernetesObject],
      namespace,
    );
    expect(wrongType.accepted).toBe(false);
    expect(wrongType.errors).toContain('resource.count');
    const unknownField = await serverDryRun(
      [{ ...workspace, resource: { ...workspace.resource, replicas: 2 } } as unknown as KubernetesObject],
      namespace,
    );
    expect(unknownField.accepted).toBe(false);
    expect(unknownField.errors).toContain('replicas');
  });

  it('refuses a wrong pod template field as a Pod, which the CRD alone would let through', async () => {
    const workspace = workspaceOf(rendered(renderKaito(example('gemma-cpu'), { engine: 'llamacpp' })));
    const template = workspace.inference.template;
    if (!template) throw new Error('no template');
    const broken = {
      ...workspace,
      inference: {
        template: {
          ...template,
          spec: {
            ...template.spec,
            containers: [{ ...template.spec.containers[0], ports: [{ containerPort: 'http' }] }],
          },
        },
      },
    } as unknown as Workspace;
    expect((await serverDryRun([broken], namespace)).accepted).toBe(true);
    const pod = await serverDryRun([podOf(broken)], namespace);
    expect(pod.accepted).toBe(false);
    expect(pod.errors).toContain('containerPort');
  });
});
