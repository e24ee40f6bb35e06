import type { EngineType, ModelDeploymentSpecInput } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import type { RenderResult } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { dynamoProvider } from './index.js';
import {
  DEFAULT_DYNAMO_IMAGES,
  DYNAMO_VERSION,
  dynamoEndpoint,
  hasDynamoVersionTag,
  dynamoImageTag,
  renderDynamo,
  type DynamoComponent,
  type DynamoGraphDeployment,
} from './render.js';

function rendered(result: RenderResult): DynamoGraphDeployment {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  expect(result.objects).toHaveLength(1);
  return result.objects[0] as DynamoGraphDeployment;
}

function component(dgd: DynamoGraphDeployment, name: string): DynamoComponent {
  const found = dgd.spec.components.find((c) => c.name === name);
  if (!found) throw new Error(`no component ${name} in ${dgd.spec.components.map((c) => c.name).join(', ')}`);
  return found;
}

function mainContainer(c: DynamoComponent) {
  const container = c.podTemplate.spec.containers[0];
  if (!container) throw new Error(`component ${c.name} has no container`);
  return container;
}

function labels(name: string, component: string, engine = 'vllm') {
  return {
    'airunway.ai/engine': engine,
    'airunway.ai/model-deployment': name,
    'airunway.ai/provider': 'dynamo',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/managed-by': 'airunway',
    'app.kubernetes.io/name': engine,
  };
}

const HF_TOKEN = { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } };
const HF_HOME = { name: 'HF_HOME', value: '/model-cache/huggingface' };
const VLLM_IMAGE = `nvcr.io/nvidia/ai-dynamo/vllm-runtime:${DYNAMO_VERSION}`;
const CACHE = {
  volumeMounts: [{ name: 'model-cache', mountPath: '/model-cache' }],
  terminationMessagePolicy: 'FallbackToLogsOnError',
};
const FRONTEND_RESOURCES = { requests: { cpu: '1', memory: '2Gi' } };

describe('Dynamo render: llama-8b (API reference, GPU deployment → Dynamo)', () => {
  const result = renderDynamo(example('llama-8b'), { engine: 'vllm' });

  it('renders one DynamoGraphDeployment with a Frontend and a VllmWorker (1 GPU, 32Gi)', () => {
    expect(rendered(result)).toEqual({
      apiVersion: 'nvidia.com/v1beta1',
      kind: 'DynamoGraphDeployment',
      metadata: { name: 'llama-8b', labels: labels('llama-8b', 'inference-graph') },
      spec: {
        backendFramework: 'vllm',
        components: [
          {
            name: 'Frontend',
            type: 'frontend',
            replicas: 1,
            podTemplate: {
              metadata: { labels: labels('llama-8b', 'frontend') },
              spec: {
                containers: [
                  {
                    name: 'main',
                    image: VLLM_IMAGE,
                    env: [HF_TOKEN, { name: 'DYN_ROUTER_MODE', value: 'round-robin' }],
                    resources: FRONTEND_RESOURCES,
                    terminationMessagePolicy: 'FallbackToLogsOnError',
                  },
                ],
                enableServiceLinks: false,
              },
            },
          },
          {
            name: 'VllmWorker',
            type: 'worker',
            replicas: 1,
            podTemplate: {
              metadata: { labels: labels('llama-8b', 'worker') },
              spec: {
                containers: [
                  {
                    name: 'main',
                    image: VLLM_IMAGE,
                    command: ['python3', '-m', 'dynamo.vllm'],
                    args: [
                      '--model',
                      'meta-llama/Llama-3.1-8B-Instruct',
                      '--served-model-name',
                      'Llama-3.1-8B-Instruct',
                      '--max-model-len',
                      '8192',
                      '--enable-prefix-caching',
                      '--gpu-memory-utilization',
                      '0.9',
                    ],
                    env: [HF_TOKEN, HF_HOME],
                    resources: {
                      limits: { memory: '32Gi', 'nvidia.com/gpu': '1' },
                      requests: { memory: '32Gi', 'nvidia.com/gpu': '1' },
                    },
                    ...CACHE,
                  },
                ],
                volumes: [{ name: 'model-cache', emptyDir: {} }],
                enableServiceLinks: false,
              },
            },
          },
        ],
      },
    });
    expect(result.ok && result.notes).toEqual([]);
  });

  it('is served by the Service llama-8b-frontend on port 8000', () => {
    expect(dynamoEndpoint(example('llama-8b'))).toEqual({ service: 'llama-8b-frontend', port: 8000 });
  });

  it('sets no ownerReferences (the operator adds them)', () => {
    expect(rendered(result).metadata).not.toHaveProperty('ownerReferences');
  });
});

describe('Dynamo render: llama-70b-pd (API reference, disaggregated P/D → Dynamo)', () => {
  const dgd = rendered(renderDynamo(example('llama-70b-pd'), { engine: 'vllm' }));
  const kvTransfer = ['--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'];
  const kvEvents = [
    '--kv-events-config',
    '{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:20080","enable_kv_cache_events":true}',
  ];
  const model = [
    '--model',
    'meta-llama/Llama-3.1-70B-Instruct',
    '--served-model-name',
    'Llama-3.1-70B-Instruct',
  ];

  it('renders Frontend ×2 with KV routing, VllmPrefillWorker 2 × 4 GPUs, VllmDecodeWorker 4 × 2 GPUs', () => {
    expect(dgd.spec.components.map((c) => [c.name, c.type, c.replicas])).toEqual([
      ['Frontend', 'frontend', 2],
      ['VllmPrefillWorker', 'prefill', 2],
      ['VllmDecodeWorker', 'decode', 4],
    ]);
    expect(mainContainer(component(dgd, 'Frontend')).env).toEqual([
      HF_TOKEN,
      { name: 'DYN_ROUTER_MODE', value: 'kv' },
    ]);
  });

  it('renders the prefill workers: 4 GPUs, 128Gi, NIXL KV transfer, KV events for the router', () => {
    expect(component(dgd, 'VllmPrefillWorker')).toEqual({
      name: 'VllmPrefillWorker',
      type: 'prefill',
      replicas: 2,
      sharedMemorySize: '16Gi',
      podTemplate: {
        metadata: { labels: labels('llama-70b-pd', 'prefill-worker') },
        spec: {
          containers: [
            {
              name: 'main',
              image: VLLM_IMAGE,
              command: ['python3', '-m', 'dynamo.vllm'],
              args: [
                '--disaggregation-mode',
                'prefill',
                ...kvTransfer,
                ...kvEvents,
                ...model,
                '--enable-prefix-caching',
                '--tensor-parallel-size',
                '4',
                '--gpu-memory-utilization',
                '0.9',
              ],
              env: [HF_TOKEN, HF_HOME],
              resources: {
                limits: { memory: '128Gi', 'nvidia.com/gpu': '4' },
                requests: { memory: '128Gi', 'nvidia.com/gpu': '4' },
              },
              ...CACHE,
            },
          ],
          volumes: [{ name: 'model-cache', emptyDir: {} }],
          enableServiceLinks: false,
        },
      },
    });
  });

  it('renders the decode workers: 2 GPUs, 64Gi, NIXL KV transfer, no KV events', () => {
    const decode = component(dgd, 'VllmDecodeWorker');
    expect(decode.sharedMemorySize).toBe('16Gi');
    expect(mainContainer(decode).args).toEqual([
      '--disaggregation-mode',
      'decode',
      ...kvTransfer,
      ...model,
      '--enable-prefix-caching',
      '--tensor-parallel-size',
      '2',
      '--gpu-memory-utilization',
      '0.9',
    ]);
    expect(mainContainer(decode).resources).toEqual({
      limits: { memory: '64Gi', 'nvidia.com/gpu': '2' },
      requests: { memory: '64Gi', 'nvidia.com/gpu': '2' },
    });
  });

  it('is served by the Service llama-70b-pd-frontend on port 8000', () => {
    expect(dynamoEndpoint(example('llama-70b-pd'))).toEqual({ service: 'llama-70b-pd-frontend', port: 8000 });
  });
});

// ── engines ─────────────────────────────────────────────────────────────────────────────

const aggregated = (engine: EngineType, extra: Partial<ModelDeploymentSpecInput> = {}) =>
  md({
    metadata: { name: 'qwen', namespace: 'models' },
    spec: {
      model: { id: 'Qwen/Qwen3-8B' },
      engine: { type: engine, contextLength: 16384 },
      provider: { name: 'dynamo' },
      resources: { gpu: { count: 2 }, memory: '48Gi', cpu: '8' },
      ...extra,
    },
  });

const disaggregated = (engine: EngineType, extra: Partial<ModelDeploymentSpecInput> = {}) =>
  md({
    metadata: { name: 'qwen-pd', namespace: 'models' },
    spec: {
      model: { id: 'Qwen/Qwen3-8B' },
      engine: { type: engine },
      provider: { name: 'dynamo' },
      serving: { mode: 'disaggregated' },
      scaling: {
        prefill: { replicas: 1, gpu: { count: 1 }, memory: '40Gi' },
        decode: { replicas: 3, gpu: { count: 2 } },
      },
      resources: { memory: '32Gi' },
      ...extra,
    },
  });

describe('Dynamo render: SGLang', () => {
  it('runs an aggregated SGLangWorker with SGLang flags and tokenization in the Frontend', () => {
    const dgd = rendered(renderDynamo(aggregated('sglang'), { engine: 'sglang' }));
    expect(dgd.spec.backendFramework).toBe('sglang');
    expect(dgd.spec.components.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Frontend:frontend',
      'SGLangWorker:worker',
    ]);
    const worker = mainContainer(component(dgd, 'SGLangWorker'));
    expect(worker.image).toBe(DEFAULT_DYNAMO_IMAGES.sglang);
    expect(worker.command).toEqual(['python3', '-m', 'dynamo.sglang']);
    expect(worker.args).toEqual([
      '--skip-tokenizer-init',
      '--model-path',
      'Qwen/Qwen3-8B',
      '--served-model-name',
      'Qwen3-8B',
      '--context-length',
      '16384',
      '--tp-size',
      '2',
      '--mem-fraction-static',
      '0.88',
    ]);
    expect(worker.resources).toEqual({
      limits: { memory: '48Gi', 'nvidia.com/gpu': '2' },
      requests: { cpu: '8', memory: '48Gi', 'nvidia.com/gpu': '2' },
    });
    expect(component(dgd, 'SGLangWorker').sharedMemorySize).toBe('16Gi');
    expect(mainContainer(component(dgd, 'Frontend')).image).toBe(DEFAULT_DYNAMO_IMAGES.sglang);
  });

  it('runs disaggregated prefill and decode workers with NIXL transfer and a reachable bootstrap server', () => {
    const dgd = rendered(renderDynamo(disaggregated('sglang'), { engine: 'sglang' }));
    expect(dgd.spec.components.map((c) => [c.name, c.type, c.replicas])).toEqual([
      ['Frontend', 'frontend', 1],
      ['SGLangPrefillWorker', 'prefill', 1],
      ['SGLangDecodeWorker', 'decode', 3],
    ]);
    const flags = (role: string) => [
      '--disaggregation-mode',
      role,
      '--skip-tokenizer-init',
      '--disaggregation-transfer-backend',
      'nixl',
      '--host',
      '0.0.0.0',
    ];
    expect(mainContainer(component(dgd, 'SGLangPrefillWorker')).args).toEqual([
      ...flags('prefill'),
      '--model-path',
      'Qwen/Qwen3-8B',
      '--served-model-name',
      'Qwen3-8B',
      '--mem-fraction-static',
      '0.88',
    ]);
    expect(mainContainer(component(dgd, 'SGLangDecodeWorker')).args).toEqual([
      ...flags('decode'),
      '--model-path',
      'Qwen/Qwen3-8B',
      '--served-model-name',
      'Qwen3-8B',
      '--tp-size',
      '2',
      '--mem-fraction-static',
      '0.88',
    ]);
  });

  it('takes per-role memory from scaling, else resources.memory', () => {
    const dgd = rendered(renderDynamo(disaggregated('sglang'), { engine: 'sglang' }));
    expect(mainContainer(component(dgd, 'SGLangPrefillWorker')).resources?.limits?.memory).toBe('40Gi');
    expect(mainContainer(component(dgd, 'SGLangDecodeWorker')).resources?.limits?.memory).toBe('32Gi');
    expect(component(dgd, 'SGLangPrefillWorker').sharedMemorySize).toBeUndefined();
    expect(component(dgd, 'SGLangDecodeWorker').sharedMemorySize).toBe('16Gi');
  });

  it('publishes KV events from the workers the router places by cache overlap', () => {
    const kv = { provider: { name: 'dynamo' as const, overrides: { routerMode: 'kv' } } };
    const events = [
      '--kv-events-config',
      '{"publisher":"zmq","topic":"kv-events","endpoint":"tcp://*:5557"}',
    ];
    const agg = rendered(renderDynamo(aggregated('sglang', kv), { engine: 'sglang' }));
    expect(mainContainer(component(agg, 'SGLangWorker')).args?.slice(0, 3)).toEqual([
      '--skip-tokenizer-init',
      ...events,
    ]);
    const pd = rendered(renderDynamo(disaggregated('sglang', kv), { engine: 'sglang' }));
    expect(mainContainer(component(pd, 'SGLangPrefillWorker')).args).toEqual(expect.arrayContaining(events));
    expect(mainContainer(component(pd, 'SGLangDecodeWorker')).args).not.toContain('--kv-events-config');
  });
});

describe('Dynamo render: TensorRT-LLM', () => {
  it('runs an aggregated TRTLLMWorker; the context length is fixed when the engine is built', () => {
    const result = renderDynamo(aggregated('trtllm'), { engine: 'trtllm' });
    const dgd = rendered(result);
    expect(dgd.spec.backendFramework).toBe('trtllm');
    const worker = mainContainer(component(dgd, 'TRTLLMWorker'));
    expect(worker.image).toBe(DEFAULT_DYNAMO_IMAGES.trtllm);
    expect(worker.command).toEqual(['python3', '-m', 'dynamo.trtllm']);
    expect(worker.args).toEqual([
      '--model-path',
      'Qwen/Qwen3-8B',
      '--served-model-name',
      'Qwen3-8B',
      '--tensor-parallel-size',
      '2',
    ]);
    expect(result.ok && result.notes).toEqual([
      'engine.contextLength is ignored for trtllm: the context length is fixed when the engine is built',
    ]);
  });

  it('runs disaggregated workers with a KV-cache transceiver, prefill without the overlap scheduler', () => {
    const dgd = rendered(renderDynamo(disaggregated('trtllm'), { engine: 'trtllm' }));
    expect(dgd.spec.components.map((c) => [c.name, c.type, c.replicas])).toEqual([
      ['Frontend', 'frontend', 1],
      ['TRTLLMPrefillWorker', 'prefill', 1],
      ['TRTLLMDecodeWorker', 'decode', 3],
    ]);
    expect(mainContainer(component(dgd, 'TRTLLMPrefillWorker')).args?.slice(0, 4)).toEqual([
      '--disaggregation-mode',
      'prefill',
      '--override-engine-args',
      '{"cache_transceiver_config":{"backend":"DEFAULT"},"disable_overlap_scheduler":true}',
    ]);
    expect(mainContainer(component(dgd, 'TRTLLMDecodeWorker')).args).toEqual([
      '--disaggregation-mode',
      'decode',
      '--override-engine-args',
      '{"cache_transceiver_config":{"backend":"DEFAULT"}}',
      '--model-path',
      'Qwen/Qwen3-8B',
      '--served-model-name',
      'Qwen3-8B',
      '--tensor-parallel-size',
      '2',
    ]);
  });

  it('publishes KV events with --publish-kv-events when the router routes by KV cache', () => {
    const kv = { provider: { name: 'dynamo' as const, overrides: { routerMode: 'kv' } } };
    const agg = rendered(renderDynamo(aggregated('trtllm', kv), { engine: 'trtllm' }));
    expect(mainContainer(component(agg, 'TRTLLMWorker')).args?.[0]).toBe('--publish-kv-events');
    const pd = rendered(renderDynamo(disaggregated('trtllm', kv), { engine: 'trtllm' }));
    expect(mainContainer(component(pd, 'TRTLLMPrefillWorker')).args).toContain('--publish-kv-events');
    expect(mainContainer(component(pd, 'TRTLLMDecodeWorker')).args).not.toContain('--publish-kv-events');
  });
});

// ── every other field ───────────────────────────────────────────────────────────────────

describe('Dynamo render: a spec using every field', () => {
  const rich = md({
    metadata: { name: 'llama-70b', namespace: 'models' },
    spec: {
      model: { id: 'meta-llama/Llama-3.3-70B-Instruct', servedName: 'llama-70b' },
      engine: {
        type: 'vllm',
        image: 'registry.example.com/ai-dynamo/vllm-runtime:1.4.0-custom',
        contextLength: 32768,
        trustRemoteCode: true,
        args: { quantization: 'fp8', 'max-num-seqs': '64' },
        extraArgs: ['--enable-chunked-prefill'],
      },
      provider: { name: 'dynamo', overrides: { frontend: { replicas: 3, cpu: '4', memory: '8Gi' } } },
      scaling: { replicas: 2 },
      resources: { gpu: { count: 4, type: 'nvidia.com/mig-3g.40gb' }, memory: '10G', cpu: '16' },
      env: [
        { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' },
        { name: 'HF_TOKEN', value: 'hf_literal_dropped' },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      ],
      secrets: { huggingFaceToken: 'hf-token' },
      podTemplate: {
        metadata: {
          labels: { team: 'research', 'airunway.ai/model-deployment': 'spoofed' },
          annotations: { 'prometheus.io/scrape': 'true' },
        },
      },
      nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    },
  });
  const dgd = rendered(renderDynamo(rich, { engine: 'vllm' }));
  const frontend = component(dgd, 'Frontend');
  const worker = component(dgd, 'VllmWorker');

  it('maps engine settings to flags, user args sorted, extraArgs last', () => {
    expect(mainContainer(worker).args).toEqual([
      '--model',
      'meta-llama/Llama-3.3-70B-Instruct',
      '--served-model-name',
      'llama-70b',
      '--max-model-len',
      '32768',
      '--trust-remote-code',
      '--enable-prefix-caching',
      '--tensor-parallel-size',
      '4',
      '--gpu-memory-utilization',
      '0.9',
      '--max-num-seqs',
      '64',
      '--quantization',
      'fp8',
      '--enable-chunked-prefill',
    ]);
  });

  it('runs engine.image in every component', () => {
    for (const c of dgd.spec.components) {
      expect(mainContainer(c).image).toBe('registry.example.com/ai-dynamo/vllm-runtime:1.4.0-custom');
    }
    expect(dgd.spec.components.every((c) => c.runtimeVersionOverride === undefined)).toBe(true);
  });

  it('passes env to every component, HF token from the Secret first', () => {
    const user = [
      { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ];
    expect(mainContainer(worker).env).toEqual([HF_TOKEN, HF_HOME, ...user]);
    expect(mainContainer(frontend).env).toEqual([
      HF_TOKEN,
      { name: 'DYN_ROUTER_MODE', value: 'round-robin' },
      ...user,
    ]);
  });

  it('requests resources.gpu.type GPUs, memory and CPU; /dev/shm is half the memory', () => {
    expect(mainContainer(worker).resources).toEqual({
      limits: { memory: '10G', 'nvidia.com/mig-3g.40gb': '4' },
      requests: { cpu: '16', memory: '10G', 'nvidia.com/mig-3g.40gb': '4' },
    });
    expect(worker.sharedMemorySize).toBe('4768Mi');
    expect(worker.replicas).toBe(2);
  });

  it('sizes the Frontend from overrides', () => {
    expect(frontend.replicas).toBe(3);
    expect(mainContainer(frontend).resources).toEqual({ requests: { cpu: '4', memory: '8Gi' } });
  });

  it('labels every pod with our labels over the pod template labels, and annotates it', () => {
    for (const c of dgd.spec.components) {
      expect(c.podTemplate.metadata.labels).toMatchObject({
        team: 'research',
        'airunway.ai/model-deployment': 'llama-70b',
      });
      expect(c.podTemplate.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    }
    expect(dgd.metadata.labels).not.toHaveProperty('team');
  });

  it('pins workers with nodeSelector; tolerations apply to every pod', () => {
    expect(worker.podTemplate.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    });
    expect(frontend.podTemplate.spec.nodeSelector).toBeUndefined();
    for (const c of dgd.spec.components) {
      expect(c.podTemplate.spec.tolerations).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]);
    }
  });

  it('renders into the namespace of the ModelDeployment', () => {
    expect(dgd.metadata.namespace).toBe('models');
  });

  it('renders byte-identical JSON whatever the key order of the input', () => {
    const reversed = md({
      metadata: { namespace: 'models', name: 'llama-70b' },
      spec: Object.fromEntries(Object.entries(rich.spec).reverse()) as ModelDeploymentSpecInput,
    });
    expect(JSON.stringify(renderDynamo(reversed, { engine: 'vllm' }))).toBe(
      JSON.stringify(renderDynamo(rich, { engine: 'vllm' })),
    );
  });
});

describe('Dynamo render: images', () => {
  const base = {
    model: { id: 'Qwen/Qwen3-0.6B' },
    engine: { type: 'vllm' as const },
    resources: { gpu: { count: 1 } },
  };
  const image = (spec: Partial<ModelDeploymentSpecInput>, defaultImage?: string) => {
    const dgd = rendered(
      renderDynamo(md({ metadata: { name: 'm' }, spec: { ...base, ...spec } }), {
        engine: 'vllm',
        ...(defaultImage ? { defaultImage } : {}),
      }),
    );
    return dgd.spec.components.map((c) => mainContainer(c).image);
  };

  it('takes engine.image, else the legacy image, else the context default, else the pinned release', () => {
    expect(image({ engine: { type: 'vllm', image: 'a/vllm-runtime:1.4.1' } })).toEqual([
      'a/vllm-runtime:1.4.1',
      'a/vllm-runtime:1.4.1',
    ]);
    expect(image({ image: 'legacy/vllm-runtime:v1.3.0' })[1]).toBe('legacy/vllm-runtime:v1.3.0');
    expect(image({}, 'mirror.local/vllm-runtime:1.4.0')[1]).toBe('mirror.local/vllm-runtime:1.4.0');
    expect(image({})[1]).toBe(VLLM_IMAGE);
  });

  it('pins every default image to a Dynamo release, never latest', () => {
    for (const pinned of Object.values(DEFAULT_DYNAMO_IMAGES)) {
      expect(pinned).toMatch(/^nvcr\.io\/nvidia\/ai-dynamo\/[a-z]+-runtime:\d+\.\d+\.\d+$/);
      expect(hasDynamoVersionTag(pinned)).toBe(true);
    }
  });

  it('sets the runtime version of an image without a version tag from overrides.runtimeVersion', () => {
    const dgd = rendered(
      renderDynamo(
        md({
          metadata: { name: 'm' },
          spec: {
            ...base,
            engine: { type: 'vllm', image: 'registry.example.com/dynamo@sha256:' + 'a'.repeat(64) },
            provider: { name: 'dynamo', overrides: { runtimeVersion: '1.4.0' } },
          },
        }),
        { engine: 'vllm' },
      ),
    );
    expect(dgd.spec.components.map((c) => c.runtimeVersionOverride)).toEqual(['1.4.0', '1.4.0']);
  });

  it('reads tags the way the Dynamo operator does', () => {
    expect(dynamoImageTag('localhost:5000/dynamo/vllm-runtime')).toBeUndefined();
    expect(dynamoImageTag('localhost:5000/dynamo/vllm-runtime:1.4.0@sha256:abc')).toBe('1.4.0');
    expect(hasDynamoVersionTag('x/y:v1.4.0-rc1+build.7')).toBe(true);
    expect(hasDynamoVersionTag('x/y:latest')).toBe(false);
    expect(hasDynamoVersionTag('x/y:1.4')).toBe(false);
  });
});

describe('Dynamo render: provider.overrides', () => {
  const base = {
    model: { id: 'Qwen/Qwen3-0.6B' },
    engine: { type: 'vllm' as const },
    resources: { gpu: { count: 1 } },
  };
  const render = (overrides: Record<string, unknown>, extra: Partial<ModelDeploymentSpecInput> = {}) =>
    renderDynamo(
      md({ metadata: { name: 'm' }, spec: { ...base, provider: { name: 'dynamo', overrides }, ...extra } }),
      { engine: 'vllm' },
    );
  const errors = (result: RenderResult) => {
    if (result.ok) throw new Error('render succeeded');
    return result.errors;
  };

  it.each(['round-robin', 'random', 'power-of-two', 'least-loaded', 'kv'])('sets router mode %s', (mode) => {
    const dgd = rendered(render({ routerMode: mode }));
    expect(mainContainer(component(dgd, 'Frontend')).env).toContainEqual({
      name: 'DYN_ROUTER_MODE',
      value: mode,
    });
  });

  it('notes that KV routing finds no cache hits without prefix caching, and publishes no KV events', () => {
    const result = render({ routerMode: 'kv' }, { engine: { type: 'vllm', enablePrefixCaching: false } });
    expect(mainContainer(component(rendered(result), 'VllmWorker')).args).not.toContain('--kv-events-config');
    expect(result.ok && result.notes).toEqual([
      'provider.overrides.routerMode kv routes requests by KV-cache overlap, which engine.enablePrefixCaching: ' +
        'false turns off: the Frontend routes without cache hits',
    ]);
  });

  it('lets engine.args replace a flag the provider sets for a role', () => {
    const result = render(
      { routerMode: 'kv' },
      {
        engine: {
          type: 'vllm',
          args: { 'kv-events-config': '{"publisher":"zmq","endpoint":"tcp://*:5600"}' },
        },
      },
    );
    const args = mainContainer(component(rendered(result), 'VllmWorker')).args ?? [];
    expect(args.filter((a) => a === '--kv-events-config')).toHaveLength(1);
    expect(args).toContain('{"publisher":"zmq","endpoint":"tcp://*:5600"}');
  });

  it('merges patch into the object, and patch.spec.components by component name', () => {
    const dgd = rendered(
      render({
        patch: {
          metadata: { annotations: { 'nvidia.com/enable-grove': 'false' } },
          spec: {
            components: {
              VllmWorker: {
                multinode: { nodeCount: 2 },
                podTemplate: { spec: { priorityClassName: 'gpu' } },
              },
            },
          },
        },
      }),
    );
    expect(dgd.metadata.annotations).toEqual({ 'nvidia.com/enable-grove': 'false' });
    const worker = component(dgd, 'VllmWorker') as DynamoComponent & { multinode?: unknown };
    expect(worker.multinode).toEqual({ nodeCount: 2 });
    expect(worker.podTemplate.spec).toMatchObject({ priorityClassName: 'gpu', enableServiceLinks: false });
    expect(mainContainer(worker).command).toEqual(['python3', '-m', 'dynamo.vllm']);
    expect(dgd.spec.components.map((c) => c.name)).toEqual(['Frontend', 'VllmWorker']);
  });

  it('replaces the components with a list, as a JSON merge patch does', () => {
    const replacement = [{ name: 'Frontend', type: 'frontend', replicas: 1 }];
    expect(rendered(render({ patch: { spec: { components: replacement } } })).spec.components).toEqual(
      replacement,
    );
  });

  it.each<[string, Record<string, unknown>, { path: string; message: string }[]]>([
    [
      'an unknown router mode',
      { routerMode: 'kv-aware' },
      [
        {
          path: 'spec.provider.overrides.routerMode',
          message:
            'overrides.routerMode must be "round-robin", "random", "power-of-two", "least-loaded" or "kv", not "kv-aware"',
        },
      ],
    ],
    [
      'an unknown key',
      { frontend: { replica: 2 } },
      [
        {
          path: 'spec.provider.overrides.frontend.replica',
          message:
            'provider dynamo has no override "frontend.replica"; the overrides it knows are "frontend.cpu", ' +
            '"frontend.memory", "frontend.replicas", "patch", "routerMode" or "runtimeVersion"',
        },
      ],
    ],
    [
      'no Frontend',
      { frontend: { replicas: 0 } },
      [
        {
          path: 'spec.provider.overrides.frontend.replicas',
          message: 'overrides.frontend.replicas must be at least 1',
        },
      ],
    ],
    [
      'a Frontend memory that is no quantity',
      { frontend: { memory: '4 GB' } },
      [
        {
          path: 'spec.provider.overrides.frontend.memory',
          message: 'overrides.frontend.memory must be a Kubernetes quantity such as 2Gi, not "4 GB"',
        },
      ],
    ],
    [
      'a runtime version that is no release',
      { runtimeVersion: 'latest' },
      [
        {
          path: 'spec.provider.overrides.runtimeVersion',
          message: `overrides.runtimeVersion must be a Dynamo release such as "${DYNAMO_VERSION}", not "latest"`,
        },
      ],
    ],
    [
      'a patch of a component that does not exist',
      { patch: { spec: { components: { VllmDecodeWorker: { replicas: 2 } } } } },
      [
        {
          path: 'spec.provider.overrides.patch.spec.components.VllmDecodeWorker',
          message:
            'this deployment has no component "VllmDecodeWorker"; its components are "Frontend" or "VllmWorker"',
        },
      ],
    ],
    [
      'a privileged patch',
      { patch: { spec: { components: { VllmWorker: { podTemplate: { spec: { hostNetwork: true } } } } } } },
      [
        {
          path: 'spec.provider.overrides.patch.spec.components.VllmWorker.podTemplate.spec.hostNetwork',
          message:
            'overrides.patch cannot set hostNetwork: it would give the model server more privileges than AI Runway ' +
            'grants; ask a cluster administrator to change the policy instead, and remove it',
        },
      ],
    ],
  ])('refuses %s', (_, overrides, expected) => {
    expect(errors(render(overrides))).toEqual(expected);
  });
});

describe('Dynamo render: what it refuses', () => {
  const refuse = (spec: object, engine: EngineType = 'vllm', name = 'm') => {
    const result = renderDynamo(md({ metadata: { name }, spec: spec as ModelDeploymentSpecInput }), {
      engine,
    });
    if (result.ok) throw new Error('render succeeded');
    return result.errors;
  };
  const gpu = { resources: { gpu: { count: 1 } } };

  it.each<[string, object, EngineType, { path: string; message: string }[]]>([
    [
      'llama.cpp',
      { model: { id: 'a/b' }, engine: { type: 'llamacpp' }, ...gpu },
      'llamacpp',
      [
        {
          path: 'spec.engine.type',
          message:
            'provider dynamo does not support engine llamacpp; use kaito for llamacpp, or set engine.type to vllm, ' +
            'sglang or trtllm',
        },
      ],
    ],
    [
      'no GPU',
      { model: { id: 'a/b' }, engine: { type: 'vllm' } },
      'vllm',
      [
        {
          path: 'spec.resources.gpu.count',
          message:
            'provider dynamo runs vllm only on GPUs; set resources.gpu.count to 1 or more, or for CPU inference use ' +
            'engine llamacpp on provider kaito',
        },
      ],
    ],
    [
      'a worker role set by hand',
      {
        model: { id: 'a/b' },
        engine: { type: 'sglang', extraArgs: ['--disaggregation-mode=prefill'] },
        ...gpu,
      },
      'sglang',
      [
        {
          path: 'spec.engine.extraArgs[0]',
          message:
            '"--disaggregation-mode=prefill" cannot be used: provider dynamo sets each worker role (aggregated, ' +
            'prefill or decode) from serving.mode and scaling; remove it',
        },
      ],
    ],
    [
      'a custom model without an image',
      { model: { source: 'custom', id: '/models/llama' }, engine: { type: 'trtllm' }, ...gpu },
      'trtllm',
      [
        {
          path: 'spec.engine.image',
          message:
            'model.source custom serves a model built into the image, but no image is set and ' +
            `${DEFAULT_DYNAMO_IMAGES.trtllm} contains none: set engine.image`,
        },
      ],
    ],
    [
      'an image without a version tag',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm', image: 'registry.example.com/vllm-runtime:latest' },
        ...gpu,
      },
      'vllm',
      [
        {
          path: 'spec.engine.image',
          message:
            'image "registry.example.com/vllm-runtime:latest" has no version tag, and the Dynamo operator needs the ' +
            `Dynamo release it is built from: tag it with that release (e.g. :${DYNAMO_VERSION}) or set ` +
            'provider.overrides.runtimeVersion',
        },
      ],
    ],
    [
      'an environment variable reading GPUs',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm' },
        ...gpu,
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
  ])('refuses %s', (_, spec, engine, expected) => {
    expect(refuse(spec, engine)).toEqual(expected);
  });

  it('refuses a name too long for the Services the Dynamo operator names after it', () => {
    const spec = {
      model: { id: 'a/b' },
      engine: { type: 'vllm' },
      serving: { mode: 'disaggregated' },
      scaling: { prefill: { gpu: { count: 1 } }, decode: { gpu: { count: 1 } } },
    };
    expect(refuse(spec, 'vllm', 'a'.repeat(36 + 1))).toEqual([
      {
        path: 'metadata.name',
        message:
          `the Dynamo operator names the Service of worker VllmPrefillWorker "${'a'.repeat(37)}-vllmprefillworker-<hash>", ` +
          'which must fit in 63 characters: use a name of at most 36 characters',
      },
    ]);
    expect(
      renderDynamo(md({ metadata: { name: 'a'.repeat(36) }, spec: spec as ModelDeploymentSpecInput }), {
        engine: 'vllm',
      }).ok,
    ).toBe(true);
  });

  it('validates through the provider as render does', () => {
    const spec = md({ metadata: { name: 'm' }, spec: { model: { id: 'a/b' }, engine: { type: 'vllm' } } });
    expect(dynamoProvider.validate(spec, { engine: 'vllm' })).toEqual(refuse(spec.spec, 'vllm'));
    expect(dynamoProvider.validate(example('llama-70b-pd'), { engine: 'vllm' })).toEqual([]);
  });
});
