import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ModelDeploymentInput } from '@airunway/schema';
import type { RenderResult } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { kuberayProvider } from './index.js';
import type { RayService } from './ray-service.js';
import { DEFAULT_KUBERAY_IMAGE, renderKuberay, validateKuberay } from './render.js';

const VLLM = { engine: 'vllm' } as const;

function rendered(result: RenderResult): RayService {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  expect(result.objects).toHaveLength(1);
  return result.objects[0] as RayService;
}

/** The single LLM config of the Serve application. */
function llmConfig(rayService: RayService): any {
  const config = parse(rayService.spec.serveConfigV2);
  return config.applications[0].args.llm_configs[0];
}

function errorsOf(result: RenderResult) {
  if (result.ok) throw new Error('render succeeded');
  return result.errors;
}

type Spec = ModelDeploymentInput['spec'];
const qwenSpec = {
  model: { id: 'Qwen/Qwen3-0.6B' },
  engine: { type: 'vllm' },
  provider: { name: 'kuberay' },
  resources: { gpu: { count: 1 } },
} satisfies Spec;
function qwen(spec: Partial<Spec> = {}, name = 'qwen') {
  return md({ metadata: { name, namespace: 'models' }, spec: { ...qwenSpec, ...spec } });
}

const labels = (component: string) => ({
  'airunway.ai/engine': 'vllm',
  'airunway.ai/model-deployment': 'qwen-demo',
  'airunway.ai/provider': 'kuberay',
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/instance': 'qwen-demo',
  'app.kubernetes.io/managed-by': 'airunway',
  'app.kubernetes.io/name': 'vllm',
});
const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const POD_SECURITY = { seccompProfile: { type: 'RuntimeDefault' } };

describe('KubeRay render: the qwen-demo quick start', () => {
  const result = renderKuberay(example('qwen-demo'), VLLM);

  it('renders one RayService named after the ModelDeployment, with no notes', () => {
    expect(result.ok && result.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'ray.io/v1 RayService qwen-demo',
    ]);
    expect(result.ok && result.notes).toEqual([]);
  });

  it('renders the RayService', () => {
    expect(rendered(result)).toEqual({
      apiVersion: 'ray.io/v1',
      kind: 'RayService',
      metadata: { name: 'qwen-demo', namespace: 'default', labels: labels('model-server') },
      spec: {
        serveConfigV2: [
          'applications:',
          '  - name: "llm"',
          '    route_prefix: "/"',
          '    import_path: "ray.serve.llm:build_openai_app"',
          '    args:',
          '      llm_configs:',
          '        - model_loading_config:',
          '            model_id: "Qwen3-0.6B"',
          '            model_source: "Qwen/Qwen3-0.6B"',
          '          engine_kwargs:',
          '            enable_prefix_caching: true',
          '            gpu_memory_utilization: 0.9',
          '          deployment_config:',
          '            num_replicas: 1',
          '',
        ].join('\n'),
        upgradeStrategy: { type: 'NewCluster' },
        rayClusterConfig: {
          rayVersion: '2.58.0',
          headGroupSpec: {
            rayStartParams: { 'num-cpus': '0', 'num-gpus': '0' },
            template: {
              metadata: { labels: labels('ray-head') },
              spec: {
                containers: [
                  {
                    name: 'ray-head',
                    image: DEFAULT_KUBERAY_IMAGE,
                    ports: [
                      { name: 'gcs-server', containerPort: 6379, protocol: 'TCP' },
                      { name: 'dashboard', containerPort: 8265, protocol: 'TCP' },
                      { name: 'client', containerPort: 10001, protocol: 'TCP' },
                      { name: 'serve', containerPort: 8000, protocol: 'TCP' },
                    ],
                    resources: { limits: { memory: '8Gi' }, requests: { cpu: '2', memory: '8Gi' } },
                    securityContext: CONTAINER_SECURITY,
                    terminationMessagePolicy: 'FallbackToLogsOnError',
                  },
                ],
                enableServiceLinks: false,
                automountServiceAccountToken: false,
                securityContext: POD_SECURITY,
              },
            },
          },
          workerGroupSpecs: [
            {
              groupName: 'gpu-workers',
              replicas: 1,
              minReplicas: 1,
              maxReplicas: 1,
              rayStartParams: { 'num-gpus': '1' },
              template: {
                metadata: { labels: labels('model-server') },
                spec: {
                  containers: [
                    {
                      name: 'ray-worker',
                      image: DEFAULT_KUBERAY_IMAGE,
                      env: [{ name: 'HF_HOME', value: '/model-cache/huggingface' }],
                      resources: { limits: { 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '1' } },
                      volumeMounts: [{ name: 'model-cache', mountPath: '/model-cache' }],
                      securityContext: CONTAINER_SECURITY,
                      terminationMessagePolicy: 'FallbackToLogsOnError',
                    },
                  ],
                  volumes: [{ name: 'model-cache', emptyDir: {} }],
                  enableServiceLinks: false,
                  automountServiceAccountToken: false,
                  securityContext: POD_SECURITY,
                },
              },
            },
          ],
        },
      },
    });
  });

  it('pins the default image to a Ray release, never latest', () => {
    expect(DEFAULT_KUBERAY_IMAGE).toMatch(/^rayproject\/ray-llm:\d+\.\d+\.\d+-py\d+-cu\d+$/);
  });

  it('sets no ownerReferences (the operator adds them)', () => {
    expect(rendered(result).metadata).not.toHaveProperty('ownerReferences');
  });

  it('renders byte-identical JSON every time', () => {
    expect(JSON.stringify(renderKuberay(example('qwen-demo'), VLLM))).toBe(JSON.stringify(result));
  });
});

describe('KubeRay render: a spec using every field', () => {
  const rich = md({
    metadata: { name: 'llama-70b', namespace: 'models' },
    spec: {
      model: { id: 'meta-llama/Llama-3.3-70B-Instruct', servedName: 'llama-70b' },
      engine: {
        type: 'vllm',
        image: 'registry.example.com/ray-llm:2.58.0-custom',
        contextLength: 32768,
        trustRemoteCode: true,
        enablePrefixCaching: false,
        enforceEager: true,
        args: { quantization: 'fp8', 'max-num-seqs': '64', 'disable-log-requests': '' },
        extraArgs: ['--enable-chunked-prefill', '--kv-cache-dtype=fp8'],
      },
      provider: { name: 'kuberay' },
      scaling: { replicas: 2 },
      resources: { gpu: { count: 4, type: 'amd.com/gpu' }, memory: '256Gi', cpu: '16' },
      env: [
        { name: 'RAY_SERVE_THROUGHPUT_OPTIMIZED', value: '1' },
        { name: 'HF_TOKEN', value: 'hf_user_literal' },
      ],
      secrets: { huggingFaceToken: 'hf-token' },
      podTemplate: {
        metadata: {
          labels: { team: 'research', 'airunway.ai/model-deployment': 'spoofed' },
          annotations: { 'prometheus.io/scrape': 'true' },
        },
      },
      nodeSelector: { 'node.kubernetes.io/instance-type': 'mi300x' },
      tolerations: [{ key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    },
  });
  const rayService = rendered(renderKuberay(rich, VLLM));
  const cluster = rayService.spec.rayClusterConfig;
  const head = cluster.headGroupSpec.template;
  const workers = cluster.workerGroupSpecs[0]!;
  const worker = workers.template;
  const TOKEN = { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } };

  it('maps every engine field to vLLM engine arguments, in engineArgs order', () => {
    const config = llmConfig(rayService);
    expect(config.model_loading_config).toEqual({
      model_id: 'llama-70b',
      model_source: 'meta-llama/Llama-3.3-70B-Instruct',
    });
    expect(Object.entries(config.engine_kwargs)).toEqual([
      ['max_model_len', 32768],
      ['trust_remote_code', true],
      ['enable_prefix_caching', false],
      ['enforce_eager', true],
      ['tensor_parallel_size', 4],
      ['gpu_memory_utilization', 0.9],
      ['disable_log_requests', true],
      ['max_num_seqs', 64],
      ['quantization', 'fp8'],
      ['enable_chunked_prefill', true],
      ['kv_cache_dtype', 'fp8'],
    ]);
    expect(config.deployment_config).toEqual({ num_replicas: 2 });
  });

  it('sizes one GPU worker per replica from resources', () => {
    expect(workers).toMatchObject({
      replicas: 2,
      minReplicas: 2,
      maxReplicas: 2,
      rayStartParams: { 'num-gpus': '4' },
    });
    expect(worker.spec.containers[0]!.resources).toEqual({
      limits: { 'amd.com/gpu': '4', memory: '256Gi' },
      requests: { 'amd.com/gpu': '4', cpu: '16', memory: '256Gi' },
    });
  });

  it('puts the token, the environment and the scheduling constraints on the GPU workers', () => {
    expect(worker.spec.containers[0]!.env).toEqual([
      TOKEN,
      { name: 'HF_HOME', value: '/model-cache/huggingface' },
      { name: 'RAY_SERVE_THROUGHPUT_OPTIMIZED', value: '1' },
    ]);
    expect(worker.spec.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'mi300x' });
    expect(worker.spec.tolerations).toEqual([
      { key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  it('gives the head the token, the environment and the tolerations, but no GPU and no node selector', () => {
    const container = head.spec.containers[0]!;
    expect(container.env).toEqual([TOKEN, { name: 'RAY_SERVE_THROUGHPUT_OPTIMIZED', value: '1' }]);
    expect(head.spec.tolerations).toEqual(worker.spec.tolerations);
    expect(head.spec.nodeSelector).toBeUndefined();
    expect(JSON.stringify(container.resources)).not.toContain('gpu');
    expect(cluster.headGroupSpec.rayStartParams).toEqual({ 'num-cpus': '0', 'num-gpus': '0' });
  });

  it('labels and annotates head and worker pods; our labels win over the pod template', () => {
    for (const template of [head, worker]) {
      expect(template.metadata.labels).toMatchObject({
        team: 'research',
        'airunway.ai/model-deployment': 'llama-70b',
        'airunway.ai/provider': 'kuberay',
      });
      expect(template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    }
    expect(head.metadata.labels['app.kubernetes.io/component']).toBe('ray-head');
    expect(worker.metadata.labels['app.kubernetes.io/component']).toBe('model-server');
  });

  it('runs engine.image on head and workers, and leaves the Ray version of a custom image unset', () => {
    expect(head.spec.containers[0]!.image).toBe('registry.example.com/ray-llm:2.58.0-custom');
    expect(worker.spec.containers[0]!.image).toBe('registry.example.com/ray-llm:2.58.0-custom');
    expect(cluster).not.toHaveProperty('rayVersion');
  });
});

describe('KubeRay render: images', () => {
  const imageOf = (rayService: RayService) =>
    rayService.spec.rayClusterConfig.workerGroupSpecs[0]!.template.spec.containers[0]!.image;

  it('takes the legacy image when engine.image is unset', () => {
    const rayService = rendered(renderKuberay(qwen({ image: 'example.com/ray-llm:1' }), VLLM));
    expect(imageOf(rayService)).toBe('example.com/ray-llm:1');
  });

  it("keeps the default's Ray version for a mirror of the default image", () => {
    const rayService = rendered(
      renderKuberay(qwen(), { ...VLLM, defaultImage: 'mirror.example.com/ray-llm:2.58.0' }),
    );
    expect(imageOf(rayService)).toBe('mirror.example.com/ray-llm:2.58.0');
    expect(rayService.spec.rayClusterConfig.rayVersion).toBe('2.58.0');
  });

  it('takes the Ray version of a custom image from overrides.rayVersion', () => {
    const rayService = rendered(
      renderKuberay(
        qwen({
          engine: { type: 'vllm', image: 'rayproject/ray-llm:2.55.0-py311-cu128' },
          provider: { name: 'kuberay', overrides: { rayVersion: '2.55.0' } },
        }),
        VLLM,
      ),
    );
    expect(rayService.spec.rayClusterConfig.rayVersion).toBe('2.55.0');
  });
});

describe('KubeRay render: engine arguments', () => {
  it('takes the model from engine.args.model into the model loading config', () => {
    const config = llmConfig(
      rendered(renderKuberay(qwen({ engine: { type: 'vllm', args: { model: 'org/other' } } }), VLLM)),
    );
    expect(config.model_loading_config).toEqual({ model_id: 'Qwen3-0.6B', model_source: 'org/other' });
    expect(config.engine_kwargs).not.toHaveProperty('model');
  });

  it('serves a custom-source model from its path in the image', () => {
    const config = llmConfig(
      rendered(
        renderKuberay(
          qwen({
            model: { id: '/models/llama', source: 'custom' },
            engine: { type: 'vllm', image: 'example.com/with-model:1' },
          }),
          VLLM,
        ),
      ),
    );
    expect(config.model_loading_config).toEqual({ model_id: 'llama', model_source: '/models/llama' });
  });

  it('passes on the notes of engineArgs', () => {
    const result = renderKuberay(
      qwen({ engine: { type: 'vllm', contextLength: 8192, args: { 'max-model-len': '4096' } } }),
      VLLM,
    );
    expect(result.ok && result.notes).toEqual([
      '--max-model-len in engine.args or engine.extraArgs overrides engine.contextLength',
    ]);
    expect(llmConfig(rendered(result)).engine_kwargs.max_model_len).toBe(4096);
  });

  it('accepts an explicit tensor-parallel size equal to the GPUs of a worker', () => {
    const config = llmConfig(
      rendered(
        renderKuberay(
          qwen({
            engine: { type: 'vllm', extraArgs: ['-tp', '2'] },
            resources: { gpu: { count: 2 } },
          }),
          VLLM,
        ),
      ),
    );
    expect(config.engine_kwargs.tensor_parallel_size).toBe(2);
  });
});

describe('KubeRay render: scaling', () => {
  it('suspends the RayService at zero replicas', () => {
    const rayService = rendered(renderKuberay(qwen({ scaling: { replicas: 0 } }), VLLM));
    expect(rayService.spec.suspend).toBe(true);
    expect(rayService.spec.rayClusterConfig.workerGroupSpecs[0]).toMatchObject({
      replicas: 0,
      minReplicas: 0,
      maxReplicas: 0,
    });
    expect(llmConfig(rayService).deployment_config).toEqual({ num_replicas: 0 });
  });

  it('leaves suspend out otherwise', () => {
    expect(rendered(renderKuberay(qwen({ scaling: { replicas: 3 } }), VLLM)).spec).not.toHaveProperty(
      'suspend',
    );
  });

  it('autoscales with overrides.autoscaling: Serve replicas and Ray worker pods together', () => {
    const result = renderKuberay(
      qwen({
        scaling: { replicas: 1 },
        provider: {
          name: 'kuberay',
          overrides: { autoscaling: { minReplicas: 2, maxReplicas: 6, targetOngoingRequests: 32 } },
        },
      }),
      VLLM,
    );
    const rayService = rendered(result);
    expect(result.ok && result.notes).toEqual([
      'scaling.replicas 1 is outside overrides.autoscaling [2, 6]; autoscaling starts at 2',
    ]);
    expect(rayService.spec.rayClusterConfig.enableInTreeAutoscaling).toBe(true);
    expect(rayService.spec.rayClusterConfig.workerGroupSpecs[0]).toMatchObject({
      replicas: 2,
      minReplicas: 2,
      maxReplicas: 6,
    });
    expect(llmConfig(rayService).deployment_config).toEqual({
      autoscaling_config: {
        min_replicas: 2,
        initial_replicas: 2,
        max_replicas: 6,
        target_ongoing_requests: 32,
      },
    });
    // The autoscaler runs beside the head and calls the Kubernetes API.
    expect(rayService.spec.rayClusterConfig.headGroupSpec.template.spec).not.toHaveProperty(
      'automountServiceAccountToken',
    );
  });
});

describe('KubeRay render: overrides', () => {
  it('sizes the head', () => {
    const rayService = rendered(
      renderKuberay(
        qwen({ provider: { name: 'kuberay', overrides: { head: { cpu: '4', memory: '16Gi' } } } }),
        VLLM,
      ),
    );
    expect(rayService.spec.rayClusterConfig.headGroupSpec.template.spec.containers[0]!.resources).toEqual({
      limits: { memory: '16Gi' },
      requests: { cpu: '4', memory: '16Gi' },
    });
  });

  it('merges overrides.patch into the RayService', () => {
    const rayService = rendered(
      renderKuberay(
        qwen({
          provider: {
            name: 'kuberay',
            overrides: {
              patch: {
                metadata: { annotations: { 'ray.io/initializing-timeout': '30m' } },
                spec: {
                  rayClusterDeletionDelaySeconds: 10,
                  rayClusterConfig: {
                    headGroupSpec: { template: { spec: { nodeSelector: { pool: 'cpu' } } } },
                  },
                },
              },
            },
          },
        }),
        VLLM,
      ),
    ) as any;
    expect(rayService.metadata.annotations).toEqual({ 'ray.io/initializing-timeout': '30m' });
    expect(rayService.spec.rayClusterDeletionDelaySeconds).toBe(10);
    expect(rayService.spec.rayClusterConfig.headGroupSpec.template.spec.nodeSelector).toEqual({
      pool: 'cpu',
    });
    expect(rayService.spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].name).toBe('ray-head');
  });
});

describe('KubeRay validation: errors that say what to change', () => {
  const cases: [string, ReturnType<typeof qwen>, { path: string; message: RegExp }[]][] = [
    [
      'a CPU-only spec',
      qwen({ resources: { gpu: { count: 0 } } }),
      [
        {
          path: 'spec.resources.gpu.count',
          message: /runs vllm only on GPUs; set resources.gpu.count to 1 or more/,
        },
      ],
    ],
    [
      'disaggregated serving',
      md({
        metadata: { name: 'pd', namespace: 'models' },
        spec: {
          model: { id: 'org/m' },
          engine: { type: 'vllm' },
          serving: { mode: 'disaggregated' },
          scaling: { prefill: { gpu: { count: 1 } }, decode: { gpu: { count: 1 } } },
        },
      }),
      [
        {
          path: 'spec.serving.mode',
          message: /does not support disaggregated mode; use .*set serving.mode: aggregated/,
        },
      ],
    ],
    [
      'a name KubeRay cannot use',
      qwen({}, `q${'x'.repeat(47)}`),
      [{ path: 'metadata.name', message: /at most 47 characters/ }],
    ],
    [
      'a custom model without an image',
      qwen({ model: { id: '/models/x', source: 'custom' } }),
      [{ path: 'spec.engine.image', message: /set engine.image/ }],
    ],
    [
      'flags Ray Serve owns',
      qwen({ engine: { type: 'vllm', args: { port: '9000' }, extraArgs: ['--host=0.0.0.0'] } }),
      [
        { path: 'spec.engine.extraArgs[0]', message: /"--host=0.0.0.0" cannot be used: .*remove it/ },
        { path: 'spec.engine.args.port', message: /engine.args.port cannot be set: .*port 8000; remove it/ },
      ],
    ],
    [
      'a short flag',
      qwen({ engine: { type: 'vllm', extraArgs: ['--enforce-eager', '-O3'] } }),
      [
        {
          path: 'spec.engine.extraArgs[1]',
          message: /"-O3" has no keyword-argument form.*use the long flag/,
        },
      ],
    ],
    [
      'a tensor-parallel size that does not fill a worker',
      qwen({
        engine: { type: 'vllm', args: { 'tensor-parallel-size': '2' } },
        resources: { gpu: { count: 4 } },
      }),
      [
        {
          path: 'spec.resources.gpu.count',
          message: /must equal resources.gpu.count, but it is 2: set resources.gpu.count to 2/,
        },
      ],
    ],
    [
      'pipeline parallelism on top of the default tensor parallelism',
      qwen({
        engine: { type: 'vllm', args: { 'pipeline-parallel-size': '2' } },
        resources: { gpu: { count: 4 } },
      }),
      [{ path: 'spec.resources.gpu.count', message: /but it is 8/ }],
    ],
    [
      'an unknown override',
      qwen({ provider: { name: 'kuberay', overrides: { routerMode: 'kv' } } }),
      [
        {
          path: 'spec.provider.overrides.routerMode',
          message: /provider kuberay has no override "routerMode"/,
        },
      ],
    ],
    [
      'one autoscaling bound',
      qwen({ provider: { name: 'kuberay', overrides: { autoscaling: { maxReplicas: 4 } } } }),
      [{ path: 'spec.provider.overrides.autoscaling', message: /set both/ }],
    ],
    [
      'inverted autoscaling bounds',
      qwen({
        provider: { name: 'kuberay', overrides: { autoscaling: { minReplicas: 50, maxReplicas: 40 } } },
      }),
      [
        { path: 'spec.provider.overrides.autoscaling.maxReplicas', message: /at most 32/ },
        { path: 'spec.provider.overrides.autoscaling.minReplicas', message: /must not exceed/ },
      ],
    ],
    [
      'a bad head size and Ray version',
      qwen({ provider: { name: 'kuberay', overrides: { rayVersion: 'latest', head: { memory: 'lots' } } } }),
      [
        { path: 'spec.provider.overrides.rayVersion', message: /must be a Ray release such as 2.58.0/ },
        { path: 'spec.provider.overrides.head.memory', message: /must be a Kubernetes quantity such as 8Gi/ },
      ],
    ],
    [
      'a refused patch field',
      qwen({
        provider: {
          name: 'kuberay',
          overrides: {
            patch: {
              spec: { rayClusterConfig: { headGroupSpec: { template: { spec: { hostNetwork: true } } } } },
            },
          },
        },
      }),
      [
        {
          path: 'spec.provider.overrides.patch.spec.rayClusterConfig.headGroupSpec.template.spec.hostNetwork',
          message: /cannot set hostNetwork/,
        },
      ],
    ],
  ];

  for (const [title, spec, expected] of cases) {
    it(`refuses ${title}`, () => {
      const errors = errorsOf(renderKuberay(spec, VLLM));
      expect(errors.map((e) => e.path)).toEqual(expected.map((e) => e.path));
      errors.forEach((error, index) => {
        expect(error.message).toMatch(expected[index]!.message);
      });
      expect(validateKuberay(spec, VLLM)).toEqual(errors);
    });
  }

  it('refuses engines other than vLLM', () => {
    expect(validateKuberay(qwen({ engine: { type: 'sglang' } }), { engine: 'sglang' })).toEqual([
      {
        path: 'spec.engine.type',
        message: expect.stringMatching(/provider kuberay does not support engine sglang/),
      },
    ]);
  });

  it('finds nothing wrong with a valid spec', () => {
    expect(validateKuberay(example('qwen-demo'), VLLM)).toEqual([]);
  });
});

describe('kuberayProvider', () => {
  it('is the KubeRay entry of the catalogue', () => {
    expect(kuberayProvider.id).toBe('kuberay');
    expect(kuberayProvider.capabilities.engines).toEqual([
      { engine: 'vllm', servingModes: ['aggregated'], gpu: true, cpu: false },
    ]);
    expect(kuberayProvider.detection.crds).toContain('rayservices.ray.io');
  });
});
