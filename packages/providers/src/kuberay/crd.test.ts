// Does the real RayService CRD (KubeRay 1.7.0, installed in the test control plane) accept what
// render produces on every path? A server-side dry-run apply runs the CRD's schema with strict
// field validation, so an unknown or mistyped field is refused as it would be in a cluster.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelDeploymentInput } from '@airunway/schema';
import type { KubernetesObject } from '../kubernetes.js';
import { dryRunNamespace, serverDryRun } from '../testing/cluster.js';
import { example, md } from '../testing/fixtures.js';
import { renderKuberay } from './render.js';

type Spec = ModelDeploymentInput['spec'];
const base = {
  model: { id: 'Qwen/Qwen3-0.6B' },
  engine: { type: 'vllm' },
  provider: { name: 'kuberay' },
  resources: { gpu: { count: 1 } },
} satisfies Spec;

function rendered(name: string, spec: Partial<Spec>): KubernetesObject[] {
  const result = renderKuberay(md({ metadata: { name, namespace: 'default' }, spec: { ...base, ...spec } }), {
    engine: 'vllm',
  });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.objects;
}

const PATHS: [string, KubernetesObject[]][] = [
  [
    'the quick start',
    (() => {
      const result = renderKuberay(example('qwen-demo'), { engine: 'vllm' });
      if (!result.ok) throw new Error('render failed');
      return result.objects;
    })(),
  ],
  [
    'every field of the spec',
    rendered('rich', {
      model: { id: 'meta-llama/Llama-3.3-70B-Instruct', servedName: 'llama-70b' },
      engine: {
        type: 'vllm',
        image: 'registry.example.com/ray-llm:2.58.0-custom',
        contextLength: 32768,
        trustRemoteCode: true,
        enablePrefixCaching: false,
        enforceEager: true,
        args: { quantization: 'fp8', 'hf-overrides': '{"rope_scaling": {"factor": 4}}' },
        extraArgs: ['--enable-chunked-prefill'],
      },
      scaling: { replicas: 2 },
      resources: { gpu: { count: 4, type: 'amd.com/gpu' }, memory: '256Gi', cpu: '16' },
      env: [
        { name: 'RAY_SERVE_THROUGHPUT_OPTIMIZED', value: '1' },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'MEMORY_BYTES', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: 1 } } },
        { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key', optional: true } } },
        { name: 'TUNING', valueFrom: { configMapKeyRef: { name: 'tuning', key: 'profile' } } },
      ],
      secrets: { huggingFaceToken: 'hf-token' },
      podTemplate: { metadata: { labels: { team: 'research' }, annotations: { 'example.com/owner': 'ml' } } },
      nodeSelector: { 'node.kubernetes.io/instance-type': 'mi300x' },
      tolerations: [
        { key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        {
          key: 'dedicated',
          operator: 'Equal',
          value: 'inference',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    }),
  ],
  ['zero replicas (suspended)', rendered('zero', { scaling: { replicas: 0 } })],
  [
    'autoscaling and a sized head',
    rendered('autoscaled', {
      provider: {
        name: 'kuberay',
        overrides: {
          head: { cpu: '500m', memory: '4Gi' },
          autoscaling: { minReplicas: 0, maxReplicas: 8, targetOngoingRequests: 16 },
        },
      },
    }),
  ],
  [
    'a custom image with its Ray version and a patch',
    rendered('patched', {
      image: 'rayproject/ray-llm:2.55.0-py311-cu128',
      provider: {
        name: 'kuberay',
        overrides: {
          rayVersion: '2.55.0',
          patch: {
            metadata: { annotations: { 'ray.io/initializing-timeout': '30m' } },
            spec: { rayClusterDeletionDelaySeconds: 10, excludeHeadPodFromServeSvc: true },
          },
        },
      },
    }),
  ],
];

describe('the RayService CRD accepts every render path', () => {
  let namespace: string;
  beforeAll(async () => {
    namespace = await dryRunNamespace('kuberay');
  });

  for (const [title, objects] of PATHS) {
    it(title, async () => {
      const result = await serverDryRun(objects, namespace);
      expect(result.errors).toBe('');
      expect(result.accepted).toBe(true);
      const [stored] = result.objects as any[];
      expect(stored.kind).toBe('RayService');
      // Nothing was pruned: what the apiserver would store still holds the rendered spec.
      expect(stored.spec.serveConfigV2).toBe((objects[0] as any).spec.serveConfigV2);
      expect(stored.spec.rayClusterConfig.workerGroupSpecs[0].template.spec.containers[0]).toMatchObject(
        (objects[0] as any).spec.rayClusterConfig.workerGroupSpecs[0].template.spec.containers[0],
      );
    });
  }

  it('refuses an unknown field', async () => {
    const [rayService] = rendered('unknown-field', {}) as any[];
    rayService.spec.rayClusterConfig.workerGroupSpecs[0].gpuCount = 1;
    const result = await serverDryRun([rayService], namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toMatch(
      /unknown field "gpuCount" in io\.ray\.v1\.RayService\.spec\.rayClusterConfig\.workerGroupSpecs/,
    );
  });

  it('refuses a mistyped field', async () => {
    const [rayService] = rendered('mistyped-field', {}) as any[];
    rayService.spec.rayClusterConfig.workerGroupSpecs[0].replicas = 'two';
    const result = await serverDryRun([rayService], namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toMatch(/workerGroupSpecs\[0\]\.replicas/);
  });

  it('refuses a patch that names a field RayService does not have', async () => {
    const objects = rendered('bad-patch', {
      provider: { name: 'kuberay', overrides: { patch: { spec: { serveConfig: 'applications: []' } } } },
    });
    const result = await serverDryRun(objects, namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toMatch(/unknown field "serveConfig" in io\.ray\.v1\.RayService\.spec/);
  });
});
