import { describe, expect, it } from 'vitest';
import type { Deployment, Service } from '../kubernetes.js';
import type { RenderResult } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { vllmProvider } from './index.js';
import { DEFAULT_VLLM_IMAGE, renderVllm, shmSizeLimit } from './render.js';

function rendered(result: RenderResult): { deployment: Deployment; service: Service } {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  const [deployment, service] = result.objects as [Deployment, Service];
  return { deployment, service };
}

const LABELS = {
  'airunway.ai/engine': 'vllm',
  'airunway.ai/model-deployment': 'qwen-demo',
  'airunway.ai/provider': 'vllm',
  'app.kubernetes.io/component': 'model-server',
  'app.kubernetes.io/instance': 'qwen-demo',
  'app.kubernetes.io/managed-by': 'airunway',
  'app.kubernetes.io/name': 'vllm',
};
const HEALTH = { httpGet: { path: '/health', port: 'http' } };

describe('Direct vLLM render: the qwen-demo quick start', () => {
  const result = renderVllm(example('qwen-demo'), { engine: 'vllm' });

  it('renders a Deployment and a Service, in apply order, with no notes', () => {
    expect(result.ok && result.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'apps/v1 Deployment qwen-demo',
      'v1 Service qwen-demo',
    ]);
    expect(result.ok && result.notes).toEqual([]);
  });

  it('renders the Deployment', () => {
    expect(rendered(result).deployment).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'qwen-demo', namespace: 'default', labels: LABELS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'airunway.ai/model-deployment': 'qwen-demo' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        progressDeadlineSeconds: 3600,
        revisionHistoryLimit: 3,
        template: {
          metadata: { labels: LABELS },
          spec: {
            containers: [
              {
                name: 'vllm',
                image: DEFAULT_VLLM_IMAGE,
                args: [
                  '--host',
                  '0.0.0.0',
                  '--port',
                  '8000',
                  '--model',
                  'Qwen/Qwen3-0.6B',
                  '--served-model-name',
                  'Qwen3-0.6B',
                  '--enable-prefix-caching',
                  '--gpu-memory-utilization',
                  '0.9',
                ],
                env: [{ name: 'HF_HOME', value: '/model-cache/huggingface' }],
                ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
                resources: { limits: { 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '1' } },
                volumeMounts: [{ name: 'model-cache', mountPath: '/model-cache' }],
                startupProbe: { ...HEALTH, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 180 },
                readinessProbe: { ...HEALTH, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
                livenessProbe: { ...HEALTH, periodSeconds: 10, timeoutSeconds: 10, failureThreshold: 6 },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                terminationMessagePolicy: 'FallbackToLogsOnError',
              },
            ],
            volumes: [{ name: 'model-cache', emptyDir: {} }],
            terminationGracePeriodSeconds: 60,
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          },
        },
      },
    });
  });

  it('renders the Service', () => {
    expect(rendered(result).service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'qwen-demo', namespace: 'default', labels: LABELS },
      spec: {
        type: 'ClusterIP',
        selector: { 'airunway.ai/model-deployment': 'qwen-demo' },
        ports: [{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
      },
    });
  });

  it('sets no ownerReferences (the operator adds them)', () => {
    for (const object of result.ok ? result.objects : []) {
      expect(object.metadata).not.toHaveProperty('ownerReferences');
    }
  });
});

describe('Direct vLLM render: a spec using every field', () => {
  const rich = md({
    metadata: { name: 'llama-70b', namespace: 'models' },
    spec: {
      model: { id: 'meta-llama/Llama-3.3-70B-Instruct', servedName: 'llama-70b' },
      engine: {
        type: 'vllm',
        image: 'registry.example.com/vllm-openai:v0.28.0-custom',
        contextLength: 32768,
        trustRemoteCode: true,
        enablePrefixCaching: false,
        enforceEager: true,
        args: { quantization: 'fp8', 'max-num-seqs': '64', 'disable-log-requests': '' },
        extraArgs: ['--enable-chunked-prefill', '--kv-cache-dtype=fp8'],
      },
      provider: { name: 'vllm' },
      scaling: { replicas: 2 },
      resources: { gpu: { count: 4, type: 'amd.com/gpu' }, memory: '256Gi', cpu: '16' },
      env: [
        { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' },
        { name: 'HF_TOKEN', value: 'hf_user_literal' },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        {
          name: 'MEMORY_BYTES',
          valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: 1 } },
        },
        {
          name: 'API_KEY',
          valueFrom: { secretKeyRef: { name: 'vllm-api', key: 'key', optional: true } },
        },
        { name: 'TUNING', valueFrom: { configMapKeyRef: { name: 'tuning', key: 'profile' } } },
      ],
      secrets: { huggingFaceToken: 'hf-token' },
      podTemplate: {
        metadata: {
          labels: { team: 'research', 'airunway.ai/model-deployment': 'spoofed' },
          annotations: { 'prometheus.io/scrape': 'true', 'example.com/owner': 'ml' },
        },
      },
      nodeSelector: { 'node.kubernetes.io/instance-type': 'mi300x', 'amd.com/gpu.present': 'true' },
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
    },
  });
  const { deployment, service } = rendered(renderVllm(rich, { engine: 'vllm' }));
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0]!;

  it('maps every engine field to flags, user args sorted, extraArgs last', () => {
    expect(container.args).toEqual([
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
      '--model',
      'meta-llama/Llama-3.3-70B-Instruct',
      '--served-model-name',
      'llama-70b',
      '--max-model-len',
      '32768',
      '--trust-remote-code',
      '--no-enable-prefix-caching',
      '--enforce-eager',
      '--tensor-parallel-size',
      '4',
      '--gpu-memory-utilization',
      '0.9',
      '--disable-log-requests',
      '--max-num-seqs',
      '64',
      '--quantization',
      'fp8',
      '--enable-chunked-prefill',
      '--kv-cache-dtype=fp8',
    ]);
  });

  it('uses engine.image', () => {
    expect(container.image).toBe('registry.example.com/vllm-openai:v0.28.0-custom');
  });

  it('gives a tensor-parallel pod a memory-backed /dev/shm', () => {
    expect(pod.spec.volumes).toEqual([
      { name: 'model-cache', emptyDir: {} },
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } },
    ]);
    expect(container.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
  });

  it('passes the environment through, HF token from the Secret first', () => {
    expect(container.env).toEqual([
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } },
      { name: 'HF_HOME', value: '/model-cache/huggingface' },
      { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      {
        name: 'MEMORY_BYTES',
        valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1' } },
      },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'vllm-api', key: 'key', optional: true } } },
      { name: 'TUNING', valueFrom: { configMapKeyRef: { name: 'tuning', key: 'profile' } } },
    ]);
  });

  it('requests the GPUs of resources.gpu.type, memory and CPU', () => {
    expect(container.resources).toEqual({
      limits: { 'amd.com/gpu': '4', memory: '256Gi' },
      requests: { 'amd.com/gpu': '4', cpu: '16', memory: '256Gi' },
    });
  });

  it('schedules with nodeSelector and tolerations', () => {
    expect(pod.spec.nodeSelector).toEqual({
      'amd.com/gpu.present': 'true',
      'node.kubernetes.io/instance-type': 'mi300x',
    });
    expect(Object.keys(pod.spec.nodeSelector ?? {})).toEqual([
      'amd.com/gpu.present',
      'node.kubernetes.io/instance-type',
    ]);
    expect(pod.spec.tolerations).toEqual([
      { key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      {
        key: 'dedicated',
        operator: 'Equal',
        value: 'inference',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
  });

  it('adds pod template labels and annotations, keeping the selector labels', () => {
    expect(pod.metadata.labels).toMatchObject({
      team: 'research',
      'airunway.ai/model-deployment': 'llama-70b',
    });
    expect(pod.metadata.annotations).toEqual({ 'example.com/owner': 'ml', 'prometheus.io/scrape': 'true' });
    expect(deployment.metadata.labels).not.toHaveProperty('team');
    expect(deployment.spec.selector.matchLabels).toEqual({ 'airunway.ai/model-deployment': 'llama-70b' });
    expect(service.spec.selector).toEqual({ 'airunway.ai/model-deployment': 'llama-70b' });
    expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels ?? {});
  });

  it('runs the requested replicas in the namespace of the ModelDeployment', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.metadata.namespace).toBe('models');
    expect(service.metadata.namespace).toBe('models');
  });
});

describe('Direct vLLM render: defaults and overrides', () => {
  const base = {
    model: { id: 'Qwen/Qwen3-0.6B' },
    engine: { type: 'vllm' as const },
    resources: { gpu: { count: 1 } },
  };

  it('takes the image from engine.image, else the legacy image, else the context default, else the pin', () => {
    const image = (spec: object, defaultImage?: string) => {
      const result = renderVllm(md({ metadata: { name: 'm' }, spec: { ...base, ...spec } }), {
        engine: 'vllm',
        ...(defaultImage ? { defaultImage } : {}),
      });
      return rendered(result).deployment.spec.template.spec.containers[0]?.image;
    };
    expect(image({ engine: { type: 'vllm', image: 'a:1' }, image: 'a:1' })).toBe('a:1');
    expect(image({ image: 'legacy:2' })).toBe('legacy:2');
    expect(image({}, 'mirror.local/vllm:3')).toBe('mirror.local/vllm:3');
    expect(image({})).toBe(DEFAULT_VLLM_IMAGE);
    expect(DEFAULT_VLLM_IMAGE).toMatch(/^vllm\/vllm-openai:v\d+\.\d+\.\d+/);
    expect(DEFAULT_VLLM_IMAGE).not.toMatch(/latest|nightly/);
  });

  it('treats an absent scaling.replicas as 1 and honours 0', () => {
    const replicas = (scaling: object) =>
      rendered(renderVllm(md({ metadata: { name: 'm' }, spec: { ...base, scaling } }), { engine: 'vllm' }))
        .deployment.spec.replicas;
    expect(replicas({})).toBe(1);
    expect(replicas({ replicas: 0 })).toBe(0);
  });

  it('derives /dev/shm from memory: half of it, at most 16Gi', () => {
    const shm = (memory?: string) =>
      shmSizeLimit(
        md({ metadata: { name: 'm' }, spec: { ...base, resources: { gpu: { count: 2 }, memory } } }).spec,
      );
    expect(shm()).toBe('16Gi');
    expect(shm('64Gi')).toBe('16Gi');
    expect(shm('16Gi')).toBe('8Gi');
    expect(shm('10G')).toBe('4768Mi');
  });

  it('leaves out /dev/shm for a single GPU', () => {
    const { deployment } = rendered(
      renderVllm(md({ metadata: { name: 'm' }, spec: base }), { engine: 'vllm' }),
    );
    expect(deployment.spec.template.spec.volumes?.map((v) => v.name)).toEqual(['model-cache']);
  });

  it('lets engine.args replace the defaults it also sets', () => {
    const spec = {
      ...base,
      resources: { gpu: { count: 4 } },
      engine: {
        type: 'vllm' as const,
        contextLength: 4096,
        args: { 'gpu-memory-utilization': '0.8', 'tensor-parallel-size': '2', 'pipeline-parallel-size': '2' },
        extraArgs: ['--max-model-len=8192'],
      },
    };
    const result = renderVllm(md({ metadata: { name: 'm' }, spec }), { engine: 'vllm' });
    const args = rendered(result).deployment.spec.template.spec.containers[0]?.args ?? [];
    expect(
      args.filter(
        (a) => a.startsWith('--gpu-memory') || a.startsWith('--tensor') || a.startsWith('--max-model'),
      ),
    ).toEqual(['--gpu-memory-utilization', '--tensor-parallel-size', '--max-model-len=8192']);
    expect(result.ok && result.notes).toEqual([
      '--max-model-len in engine.args or engine.extraArgs overrides engine.contextLength',
    ]);
  });
});

describe('Direct vLLM render: what it refuses', () => {
  const refuse = (spec: object, engine: 'vllm' | 'sglang' = 'vllm') => {
    const result = renderVllm(md({ metadata: { name: 'm' }, spec: spec as never }), { engine });
    if (result.ok) throw new Error('render succeeded');
    return result.errors;
  };

  it.each<[string, object, 'vllm' | 'sglang', { path: string; message: string }[]]>([
    [
      'no GPU',
      { model: { id: 'a/b' }, engine: { type: 'vllm' } },
      'vllm',
      [
        {
          path: 'spec.resources.gpu.count',
          message:
            'provider vllm runs vllm only on GPUs; set resources.gpu.count to 1 or more, or for CPU inference use ' +
            'engine llamacpp on provider kaito',
        },
      ],
    ],
    [
      'disaggregated',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm' },
        serving: { mode: 'disaggregated' },
        scaling: { prefill: { gpu: { count: 1 } }, decode: { gpu: { count: 1 } } },
      },
      'vllm',
      [
        {
          path: 'spec.serving.mode',
          message:
            'provider vllm does not support disaggregated mode; use dynamo or llmd, or set serving.mode: aggregated',
        },
      ],
    ],
    [
      'another engine',
      { model: { id: 'a/b' }, engine: { type: 'sglang' }, resources: { gpu: { count: 1 } } },
      'sglang',
      [
        {
          path: 'spec.engine.type',
          message:
            'provider vllm does not support engine sglang; use dynamo for sglang, or set engine.type to vllm',
        },
      ],
    ],
    [
      'reserved --host and --port',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm', args: { port: '9000' }, extraArgs: ['--host=127.0.0.1'] },
        resources: { gpu: { count: 1 } },
      },
      'vllm',
      [
        {
          path: 'spec.engine.extraArgs[0]',
          message:
            '"--host=127.0.0.1" cannot be used: provider vllm listens on 0.0.0.0 so the Service can reach the ' +
            'server; remove it',
        },
        {
          path: 'spec.engine.args.port',
          message:
            'engine.args.port cannot be set: provider vllm serves on port 8000, which its Service and probes use; ' +
            'remove it',
        },
      ],
    ],
    [
      'an environment variable reading the GPU limit',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm' },
        resources: { gpu: { count: 1 } },
        env: [{ name: 'GPUS', valueFrom: { resourceFieldRef: { resource: 'limits.nvidia.com/gpu' } } }],
      },
      'vllm',
      [
        {
          path: 'spec.env[0].valueFrom.resourceFieldRef.resource',
          message:
            '"limits.nvidia.com/gpu" cannot be read into an environment variable: use limits.cpu, limits.memory, ' +
            'limits.ephemeral-storage, their requests.* forms, or hugepages',
        },
      ],
    ],
    [
      'a custom model without an image',
      {
        model: { source: 'custom', id: '/models/llama' },
        engine: { type: 'vllm' },
        resources: { gpu: { count: 1 } },
      },
      'vllm',
      [
        {
          path: 'spec.engine.image',
          message:
            `model.source custom serves a model built into the image, but no image is set and ${DEFAULT_VLLM_IMAGE} ` +
            'contains none: set engine.image',
        },
      ],
    ],
    [
      'no model at all',
      {
        model: { source: 'custom' },
        engine: { type: 'vllm', image: 'mine:1' },
        resources: { gpu: { count: 1 } },
      },
      'vllm',
      [
        {
          path: 'spec.model.id',
          message:
            'provider vllm needs the model to serve: set model.id (with source custom, the path of the model in the ' +
            'image) or engine.args.model',
        },
      ],
    ],
  ])('%s', (_, spec, engine, errors) => {
    expect(refuse(spec, engine)).toEqual(errors);
  });

  it('serves a custom model named in engine.args', () => {
    const spec = {
      model: { source: 'custom' as const, servedName: 'mine' },
      engine: { type: 'vllm' as const, image: 'mine:1', args: { model: '/models/mine' } },
      resources: { gpu: { count: 1 } },
    };
    const { deployment } = rendered(renderVllm(md({ metadata: { name: 'm' }, spec }), { engine: 'vllm' }));
    expect(deployment.spec.template.spec.containers[0]?.args).toEqual([
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
      '--served-model-name',
      'mine',
      '--enable-prefix-caching',
      '--gpu-memory-utilization',
      '0.9',
      '--model',
      '/models/mine',
    ]);
  });
});

describe('Direct vLLM render: determinism', () => {
  it('renders byte-identical JSON for the same spec, whatever the key order of the input', () => {
    const a = md({
      metadata: { name: 'm', namespace: 'ns' },
      spec: {
        model: { id: 'a/b' },
        engine: { type: 'vllm', args: { b: '1', a: '2' } },
        resources: { gpu: { count: 2 }, memory: '64Gi' },
        nodeSelector: { z: '1', a: '2' },
        podTemplate: { metadata: { labels: { y: '1', x: '2' }, annotations: { q: '1', p: '2' } } },
        env: [{ value: 'v', name: 'N' }],
        tolerations: [{ effect: 'NoSchedule', operator: 'Exists', key: 'k' }],
      },
    });
    const b = md({
      metadata: { namespace: 'ns', name: 'm' },
      spec: {
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
        env: [{ name: 'N', value: 'v' }],
        podTemplate: { metadata: { annotations: { p: '2', q: '1' }, labels: { x: '2', y: '1' } } },
        nodeSelector: { a: '2', z: '1' },
        resources: { memory: '64Gi', gpu: { count: 2 } },
        engine: { args: { a: '2', b: '1' }, type: 'vllm' },
        model: { id: 'a/b' },
      },
    });
    const json = (x: typeof a) => JSON.stringify(renderVllm(x, { engine: 'vllm' }));
    expect(json(a)).toBe(json(b));
    expect(json(a)).toBe(json(a));
  });

  it('returns fresh objects: changing one render does not change the next', () => {
    const qwen = example('qwen-demo');
    const first = rendered(renderVllm(qwen, { engine: 'vllm' }));
    first.deployment.metadata.labels!.x = 'y';
    first.service.metadata.labels!.z = 'w';
    const second = rendered(renderVllm(qwen, { engine: 'vllm' }));
    expect(second.deployment.metadata.labels).not.toHaveProperty('x');
    expect(second.service.metadata.labels).not.toHaveProperty('x');
    expect(second.deployment.metadata.labels).not.toHaveProperty('z');
  });
});

describe('the vllm Provider object', () => {
  it('wires catalogue, validate, render and status', () => {
    const qwen = example('qwen-demo');
    expect(vllmProvider.id).toBe('vllm');
    expect(vllmProvider.detection).toEqual({ crds: [], operator: [] });
    expect(vllmProvider.validate(qwen, { engine: 'vllm' })).toEqual([]);
    expect(vllmProvider.render(qwen, { engine: 'vllm' }).ok).toBe(true);
    expect(vllmProvider.status(qwen, { objects: [], pods: [] })).toMatchObject({
      phase: 'Pending',
      endpoint: { service: 'qwen-demo', port: 8000 },
      resourceKind: 'Deployment',
      resourceName: 'qwen-demo',
    });
  });
});
