import { describe, expect, it } from 'vitest';
import type { RenderResult } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { kaitoProvider } from './index.js';
import {
  DEFAULT_LLAMACPP_IMAGE,
  KAITO_INFERENCE_CONFIG_KEY,
  kaitoPodSelector,
  renderKaito,
  validateKaito,
  workspaceRecreateKey,
  type InferenceConfigMap,
  type Workspace,
} from './render.js';

function objects(result: RenderResult): { workspace: Workspace; configMap?: InferenceConfigMap } {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  const workspace = result.objects.find((o) => o.kind === 'Workspace') as Workspace;
  const configMap = result.objects.find((o) => o.kind === 'ConfigMap') as InferenceConfigMap | undefined;
  return configMap ? { workspace, configMap } : { workspace };
}

function notes(result: RenderResult): string[] {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.notes;
}

function errors(result: RenderResult) {
  if (result.ok) throw new Error('render succeeded');
  return result.errors;
}

/** The vLLM flags of a preset, as KAITO reads them from the ConfigMap. */
function vllmFlags(configMap: InferenceConfigMap | undefined): [string, string][] {
  const yaml = configMap?.data[KAITO_INFERENCE_CONFIG_KEY] ?? '';
  return yaml
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => {
      const [key, value] = line.trim().split(/: (?=")/) as [string, string];
      return [JSON.parse(key) as string, JSON.parse(value) as string];
    });
}

const labels = (name: string, engine: string) => ({
  'airunway.ai/engine': engine,
  'airunway.ai/model-deployment': name,
  'airunway.ai/provider': 'kaito',
  'app.kubernetes.io/component': 'model-server',
  'app.kubernetes.io/instance': name,
  'app.kubernetes.io/managed-by': 'airunway',
  'app.kubernetes.io/name': engine,
});

describe('KAITO render: the gemma-cpu example of the API reference', () => {
  const result = renderKaito(example('gemma-cpu'), { engine: 'llamacpp' });

  it('renders one Workspace named after the ModelDeployment, with no notes', () => {
    expect(result.ok && result.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'kaito.sh/v1beta1 Workspace gemma-cpu',
    ]);
    expect(notes(result)).toEqual([]);
  });

  it('runs the llama.cpp image of the example, CPU-only, on Linux nodes', () => {
    const LABELS = labels('gemma-cpu', 'llamacpp');
    expect(objects(result).workspace).toEqual({
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: { name: 'gemma-cpu', labels: LABELS },
      resource: { count: 1, labelSelector: { matchLabels: { 'kubernetes.io/os': 'linux' } } },
      inference: {
        template: {
          metadata: { labels: LABELS },
          spec: {
            containers: [
              {
                name: 'llamacpp',
                image: 'ghcr.io/sozercan/llama-cpp-runner:latest',
                args: ['huggingface://google/gemma-3-1b-it-qat-q8_0-gguf', '--address=:5000'],
                ports: [{ name: 'http', containerPort: 5000, protocol: 'TCP' }],
                resources: { limits: { memory: '16Gi' }, requests: { cpu: '8', memory: '16Gi' } },
                readinessProbe: {
                  tcpSocket: { port: 'http' },
                  periodSeconds: 10,
                  timeoutSeconds: 5,
                  failureThreshold: 3,
                },
                securityContext: { allowPrivilegeEscalation: false },
                terminationMessagePolicy: 'FallbackToLogsOnError',
              },
            ],
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          },
        },
      },
    });
  });

  it('labels the pods so the operator and the gateway find them; KAITO adds kaito.sh/workspace', () => {
    const pod = objects(result).workspace.inference.template?.metadata;
    expect(pod?.labels['airunway.ai/model-deployment']).toBe('gemma-cpu');
    expect(kaitoPodSelector(example('gemma-cpu'))).toEqual({ 'kaito.sh/workspace': 'gemma-cpu' });
  });

  it('sets no ownerReferences (the operator adds them) and validates clean', () => {
    expect(objects(result).workspace.metadata).not.toHaveProperty('ownerReferences');
    expect(validateKaito(example('gemma-cpu'), { engine: 'llamacpp' })).toEqual([]);
    expect(kaitoProvider.validate(example('gemma-cpu'), { engine: 'llamacpp' })).toEqual([]);
    expect(JSON.stringify(kaitoProvider.render(example('gemma-cpu'), { engine: 'llamacpp' }))).toBe(
      JSON.stringify(result),
    );
  });
});

describe('KAITO render: a vLLM preset', () => {
  const qwen = md({
    metadata: { name: 'qwen', namespace: 'models' },
    spec: {
      model: { id: 'Qwen/Qwen3-0.6B' },
      engine: { type: 'vllm' },
      provider: { name: 'kaito' },
      resources: { gpu: { count: 1 } },
    },
  });
  const result = renderKaito(qwen, { engine: 'vllm' });
  const { workspace, configMap } = objects(result);

  it('renders the inference ConfigMap first, then the Workspace that names it', () => {
    expect(result.ok && result.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'v1 ConfigMap',
      'kaito.sh/v1beta1 Workspace',
    ]);
    expect(workspace.inference.config).toBe(configMap?.metadata.name);
    expect(configMap?.metadata.name).toMatch(/^qwen-vllm-[0-9a-f]{8}$/);
    expect(notes(result)).toEqual([]);
  });

  it('renders the Workspace: the preset named by model.id on NVIDIA GPU nodes', () => {
    expect(workspace).toEqual({
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: { name: 'qwen', namespace: 'models', labels: labels('qwen', 'vllm') },
      resource: {
        labelSelector: { matchLabels: { 'kubernetes.io/os': 'linux', 'nvidia.com/gpu.present': 'true' } },
      },
      inference: { preset: { name: 'Qwen/Qwen3-0.6B' }, config: configMap?.metadata.name },
    });
  });

  it('writes the engine flags KAITO leaves to the user, with the served name of the API reference', () => {
    expect(configMap).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMap?.metadata.name, namespace: 'models', labels: labels('qwen', 'vllm') },
      data: {
        'inference_config.yaml':
          '# vLLM flags of the ModelDeployment. KAITO passes each entry to the server as "--name value";\n' +
          '# a flag without a value has itself as value ("--flag --flag" sets it).\n' +
          'vllm:\n' +
          '  "served-model-name": "Qwen3-0.6B"\n' +
          '  "enable-prefix-caching": "--enable-prefix-caching"\n',
      },
    });
  });

  it('maps every engine field; KAITO keeps the model, tensor parallelism and GPU memory', () => {
    const rich = md({
      metadata: { name: 'llama', namespace: 'models' },
      spec: {
        model: { id: 'meta-llama/Llama-3.1-8B-Instruct', servedName: 'llama-8b' },
        engine: {
          type: 'vllm',
          contextLength: 8192,
          trustRemoteCode: true,
          enablePrefixCaching: false,
          enforceEager: true,
          args: { quantization: 'fp8', 'max-num-seqs': '64', 'disable-log-requests': '' },
          extraArgs: [
            '--enable-chunked-prefill',
            '--kv-cache-dtype=fp8',
            '--seed',
            '-1',
            '--max-num-batched-tokens',
            '2048',
          ],
        },
        resources: { gpu: { count: 1 } },
        secrets: { huggingFaceToken: 'hf-token' },
        tolerations: [
          { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'sku', value: 'gpu', effect: 'NoSchedule' },
        ],
        nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
      },
    });
    const rendered = renderKaito(rich, { engine: 'vllm' });
    const { workspace: ws, configMap: cm } = objects(rendered);
    expect(vllmFlags(cm)).toEqual([
      ['served-model-name', 'llama-8b'],
      ['max-model-len', '8192'],
      ['trust-remote-code', '--trust-remote-code'],
      ['no-enable-prefix-caching', '--no-enable-prefix-caching'],
      ['enforce-eager', '--enforce-eager'],
      ['disable-log-requests', '--disable-log-requests'],
      ['max-num-seqs', '64'],
      ['quantization', 'fp8'],
      ['enable-chunked-prefill', '--enable-chunked-prefill'],
      ['kv-cache-dtype', 'fp8'],
      ['seed', '-1'],
      ['max-num-batched-tokens', '2048'],
    ]);
    expect(ws.inference.preset).toEqual({
      name: 'meta-llama/Llama-3.1-8B-Instruct',
      presetOptions: { modelAccessSecret: 'hf-token' },
    });
    expect(ws.resource.labelSelector.matchLabels).toEqual({
      'kubernetes.io/os': 'linux',
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    });
    expect(notes(rendered)).toEqual([]);
  });

  it('lets engine.args replace the served name and context length', () => {
    const spec = {
      model: { id: 'a/b' },
      engine: {
        type: 'vllm' as const,
        contextLength: 4096,
        args: { 'served-model-name': 'x' },
        extraArgs: ['--max-model-len=2048'],
      },
      resources: { gpu: { count: 1 } },
    };
    const rendered = renderKaito(md({ metadata: { name: 'm' }, spec }), { engine: 'vllm' });
    expect(vllmFlags(objects(rendered).configMap)).toEqual([
      ['enable-prefix-caching', '--enable-prefix-caching'],
      ['served-model-name', 'x'],
      ['max-model-len', '2048'],
    ]);
    expect(notes(rendered)).toEqual([
      '--max-model-len in engine.args or engine.extraArgs overrides engine.contextLength',
    ]);
  });

  it('gives the ConfigMap a new name when the flags change, so KAITO restarts the server', () => {
    const name = (contextLength?: number) =>
      objects(
        renderKaito(
          md({
            metadata: { name: 'm' },
            spec: {
              model: { id: 'a/b' },
              engine: { type: 'vllm', contextLength },
              resources: { gpu: { count: 1 } },
            },
          }),
          { engine: 'vllm' },
        ),
      ).configMap?.metadata.name;
    expect(name(4096)).toBe(name(4096));
    expect(name(4096)).not.toBe(name(8192));
    expect(name()).not.toBe(name(4096));
  });

  it('quotes every key and value, escaping what YAML readers could misread', () => {
    const rendered = renderKaito(
      md({
        metadata: { name: 'm' },
        spec: {
          model: { id: 'a/b', servedName: 'naïve: "model"\u2028#1 😀' },
          engine: { type: 'vllm' },
          resources: { gpu: { count: 1 } },
        },
      }),
      { engine: 'vllm' },
    );
    const yaml = objects(rendered).configMap?.data[KAITO_INFERENCE_CONFIG_KEY] ?? '';
    expect(yaml).toContain('  "served-model-name": "na\\u00efve: \\"model\\"\\u2028#1 \\U0001f600"\n');
    expect(yaml).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('notes what KAITO decides itself: GPUs per pod, memory, CPU and pod metadata', () => {
    const rendered = renderKaito(
      md({
        metadata: { name: 'm' },
        spec: {
          model: { id: 'a/b' },
          engine: { type: 'vllm' },
          resources: { gpu: { count: 4 }, memory: '64Gi', cpu: '8' },
          podTemplate: { metadata: { labels: { team: 'ml' } } },
          tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'PreferNoSchedule' }],
        },
      }),
      { engine: 'vllm' },
    );
    expect(notes(rendered)).toEqual([
      'tolerations[0] (dedicated:PreferNoSchedule) has no effect with KAITO vLLM presets; a PreferNoSchedule ' +
        'taint only makes the scheduler avoid the node',
      'resources.memory and resources.cpu have no effect with KAITO vLLM presets: KAITO requests only GPUs for ' +
        'the model server',
      'KAITO gives a vLLM preset pod every GPU of its node and picks tensor parallelism itself, so ' +
        'resources.gpu.count 4 only asks for GPU nodes; to get nodes with that many GPUs, set nodeSelector ' +
        'nvidia.com/gpu.count: "4"',
      'podTemplate.metadata has no effect with KAITO vLLM presets: KAITO builds their pods and labels them ' +
        'kaito.sh/workspace: m only',
    ]);
    // No --tensor-parallel-size or --gpu-memory-utilization: KAITO sets both from the node.
    expect(vllmFlags(objects(rendered).configMap).map(([k]) => k)).toEqual([
      'served-model-name',
      'enable-prefix-caching',
    ]);
  });
});

describe('KAITO render: llama.cpp with every field', () => {
  const rich = md({
    metadata: { name: 'phi', namespace: 'edge' },
    spec: {
      model: { id: 'bartowski/Phi-3.5-mini-instruct-GGUF', servedName: 'phi' },
      engine: {
        type: 'llamacpp',
        image: 'registry.example.com/llama-cpp-runner:cuda-1',
        contextLength: 16384,
        args: { threads: '8', 'n-gpu-layers': '99', 'flash-attn': '' },
        extraArgs: ['--mlock'],
      },
      provider: {
        name: 'kaito',
        overrides: {
          instanceType: 'Standard_NC24ads_A100_v4',
          patch: { metadata: { annotations: { 'kaito.sh/node-image-family': 'ubuntu' } } },
        },
      },
      scaling: { replicas: 2 },
      resources: { gpu: { count: 1 }, memory: '32Gi', cpu: '4' },
      env: [
        { name: 'LLAMA_LOG', value: 'debug' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      secrets: { huggingFaceToken: 'hf' },
      podTemplate: {
        metadata: {
          labels: { team: 'edge', 'airunway.ai/model-deployment': 'spoofed' },
          annotations: { 'prometheus.io/scrape': 'true' },
        },
      },
      nodeSelector: { 'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'llm', effect: 'NoSchedule' },
        { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      ],
    },
  });
  const result = renderKaito(rich, { engine: 'llamacpp' });
  const { workspace } = objects(result);
  const template = workspace.inference.template;
  const container = template?.spec.containers[0];

  it('passes the model, the KAITO port, --ctx-size, sorted args and extraArgs', () => {
    expect(container?.args).toEqual([
      'huggingface://bartowski/Phi-3.5-mini-instruct-GGUF',
      '--address=:5000',
      '--ctx-size',
      '16384',
      '--flash-attn',
      '--n-gpu-layers',
      '99',
      '--threads',
      '8',
      '--mlock',
    ]);
    expect(container?.image).toBe('registry.example.com/llama-cpp-runner:cuda-1');
  });

  it('passes the environment, HuggingFace token first', () => {
    expect(container?.env).toEqual([
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'HF_TOKEN' } } },
      { name: 'LLAMA_LOG', value: 'debug' },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
  });

  it('requests the GPUs, memory and CPU', () => {
    expect(container?.resources).toEqual({
      limits: { memory: '32Gi', 'nvidia.com/gpu': '1' },
      requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
    });
  });

  it('selects nodes through KAITO: Linux, NVIDIA GPUs and nodeSelector; one node per replica', () => {
    expect(workspace.resource).toEqual({
      count: 2,
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: {
        matchLabels: {
          'kubernetes.io/os': 'linux',
          'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4',
          'nvidia.com/gpu.present': 'true',
        },
      },
    });
  });

  it('keeps the tolerations in the pod template, where KAITO appends its own', () => {
    expect(template?.spec.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'llm', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ]);
  });

  it('labels and annotates the pods, keeping our labels; the Workspace keeps its own labels', () => {
    expect(template?.metadata).toEqual({
      labels: { ...labels('phi', 'llamacpp'), team: 'edge' },
      annotations: { 'prometheus.io/scrape': 'true' },
    });
    expect(workspace.metadata).toEqual({
      name: 'phi',
      namespace: 'edge',
      labels: labels('phi', 'llamacpp'),
      annotations: { 'kaito.sh/node-image-family': 'ubuntu' },
    });
  });

  it('notes that llama.cpp names the model itself and how KAITO spreads replicas', () => {
    expect(notes(result)).toEqual([
      'model.servedName has no effect with llama.cpp on KAITO: the runner names the model itself ' +
        '(GET /v1/models lists it); set the name with engine.args if the image supports it',
      "KAITO's Service phi sends traffic to pod phi-0 only; all 2 replicas serve through the inference " +
        'Gateway, and KAITO waits for as many Ready nodes as replicas',
    ]);
  });
});

describe('KAITO render: llama.cpp defaults', () => {
  const base = { model: { id: 'a/b-GGUF' }, engine: { type: 'llamacpp' as const } };
  const container = (spec: object, defaultImage?: string) =>
    objects(
      renderKaito(md({ metadata: { name: 'm' }, spec: { ...base, ...spec } }), {
        engine: 'llamacpp',
        ...(defaultImage ? { defaultImage } : {}),
      }),
    ).workspace.inference.template?.spec.containers[0];

  it('takes the image from engine.image, else the legacy image, else the context default, else the runner', () => {
    expect(container({ engine: { type: 'llamacpp', image: 'a:1' }, image: 'a:1' })?.image).toBe('a:1');
    expect(container({ image: 'legacy:2' })?.image).toBe('legacy:2');
    expect(container({}, 'mirror.local/runner:3')?.image).toBe('mirror.local/runner:3');
    expect(container({})?.image).toBe(DEFAULT_LLAMACPP_IMAGE);
  });

  it('passes no model argument for a model built into the image', () => {
    const c = container({ model: { source: 'custom' }, engine: { type: 'llamacpp', image: 'mine:1' } });
    expect(c?.args).toEqual(['--address=:5000']);
  });

  it('leaves out env and resources when there are none', () => {
    expect(container({})).not.toHaveProperty('env');
    expect(container({})).not.toHaveProperty('resources');
  });

  it('requests other GPU kinds without the NVIDIA node label', () => {
    const rendered = objects(
      renderKaito(
        md({
          metadata: { name: 'm' },
          spec: { ...base, resources: { gpu: { count: 1, type: 'amd.com/gpu' } } },
        }),
        { engine: 'llamacpp' },
      ),
    ).workspace;
    expect(rendered.resource.labelSelector.matchLabels).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(rendered.inference.template?.spec.containers[0]?.resources).toEqual({
      limits: { 'amd.com/gpu': '1' },
      requests: { 'amd.com/gpu': '1' },
    });
  });

  it('lets nodeSelector replace the labels KAITO selects by default', () => {
    const rendered = objects(
      renderKaito(
        md({
          metadata: { name: 'm' },
          spec: {
            ...base,
            resources: { gpu: { count: 1 } },
            nodeSelector: { 'nvidia.com/gpu.present': 'yes' },
          },
        }),
        { engine: 'llamacpp' },
      ),
    ).workspace;
    expect(rendered.resource.labelSelector.matchLabels).toEqual({
      'kubernetes.io/os': 'linux',
      'nvidia.com/gpu.present': 'yes',
    });
  });
});

describe('KAITO render: provider.overrides', () => {
  const preset = (overrides: Record<string, unknown>, engine: 'vllm' | 'llamacpp' = 'vllm') =>
    renderKaito(
      md({
        metadata: { name: 'm' },
        spec: {
          model: { id: 'a/b' },
          engine: { type: engine },
          provider: { name: 'kaito', overrides },
          resources: { gpu: { count: 1 } },
        },
      }),
      { engine },
    );

  it('turns the typed keys of a preset into KAITO annotations', () => {
    const { workspace } = objects(preset({ performanceMode: 'throughput', disableBenchmark: true }));
    expect(workspace.metadata.annotations).toEqual({
      'kaito.sh/disable-benchmark': 'true',
      'kaito.sh/performance-mode': 'throughput',
    });
    expect(objects(preset({ disableBenchmark: false })).workspace.metadata).not.toHaveProperty('annotations');
  });

  it('notes that the preset-only keys do nothing for llama.cpp', () => {
    const rendered = preset({ performanceMode: 'interactivity', disableBenchmark: true }, 'llamacpp');
    expect(objects(rendered).workspace.metadata).not.toHaveProperty('annotations');
    expect(notes(rendered)).toEqual([
      "provider.overrides.performanceMode has no effect with llama.cpp: it tunes KAITO's vLLM presets",
      'provider.overrides.disableBenchmark has no effect with llama.cpp: KAITO benchmarks vLLM presets only',
    ]);
  });

  it('merges patch into the Workspace; null removes a field', () => {
    const { workspace } = objects(
      preset({
        patch: {
          resource: {
            preferredNodes: ['gpu-0'],
            labelSelector: { matchLabels: { 'kubernetes.io/os': null } },
          },
          inference: { adapters: [{ source: { name: 'a', image: 'adapter:1' }, strength: '0.5' }] },
        },
      }),
    );
    expect(workspace.resource).toEqual({
      labelSelector: { matchLabels: { 'nvidia.com/gpu.present': 'true' } },
      preferredNodes: ['gpu-0'],
    });
    expect(workspace.inference).toMatchObject({ adapters: [{ source: { name: 'a', image: 'adapter:1' } }] });
  });

  it('refuses unknown keys, wrong types and fields that widen privileges', () => {
    expect(
      errors(
        preset({
          instancetype: 'x',
          performanceMode: 'fast',
          patch: { inference: { template: { spec: { hostNetwork: true } } } },
        }),
      ),
    ).toEqual([
      {
        path: 'spec.provider.overrides.instancetype',
        message:
          'provider kaito has no override "instancetype"; the overrides it knows are "disableBenchmark", ' +
          '"instanceType", "patch" or "performanceMode"',
      },
      {
        path: 'spec.provider.overrides.patch.inference.template.spec.hostNetwork',
        message:
          'overrides.patch cannot set hostNetwork: it would give the model server more privileges than AI Runway ' +
          'grants; ask a cluster administrator to change the policy instead, and remove it',
      },
      {
        path: 'spec.provider.overrides.performanceMode',
        message: 'overrides.performanceMode must be "balanced", "interactivity" or "throughput", not "fast"',
      },
    ]);
  });
});

describe('KAITO render: tolerations on a vLLM preset', () => {
  const render = (tolerations: object[]) =>
    renderKaito(
      md({
        metadata: { name: 'm' },
        spec: {
          model: { id: 'a/b' },
          engine: { type: 'vllm' },
          resources: { gpu: { count: 1 } },
          tolerations,
        },
      }),
      { engine: 'vllm' },
    );

  it('accepts the tolerations KAITO gives its pods anyway', () => {
    const result = render([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' },
      { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' },
    ]);
    expect(result.ok).toBe(true);
    expect(notes(result)).toEqual([]);
  });

  it('refuses tolerations KAITO would drop, since the pods could not schedule', () => {
    expect(
      errors(
        render([
          { key: 'nvidia.com/gpu', operator: 'Exists' },
          { key: 'sku', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' },
          { operator: 'Exists' },
          { key: 'dedicated', operator: 'Equal', value: 'llm', effect: 'NoExecute' },
        ]),
      ).map((e) => e.path),
    ).toEqual(['spec.tolerations[0]', 'spec.tolerations[1]', 'spec.tolerations[2]', 'spec.tolerations[3]']);
    expect(
      errors(render([{ key: 'dedicated', operator: 'Equal', value: 'llm', effect: 'NoSchedule' }])),
    ).toEqual([
      {
        path: 'spec.tolerations[0]',
        message:
          'KAITO vLLM preset pods tolerate only nvidia.com/gpu:NoSchedule, sku=gpu:NoSchedule or ' +
          'kubernetes.azure.com/scalesetpriority=spot:NoSchedule (the last on Azure), not dedicated=llm:NoSchedule: ' +
          'remove tolerations[0] and the taint from the GPU nodes, or use provider vllm, which applies tolerations',
      },
    ]);
  });
});

describe('KAITO render: what it refuses', () => {
  const refuse = (spec: object, engine: 'vllm' | 'llamacpp' | 'sglang', name = 'm') => {
    const model = md({ metadata: { name }, spec: spec as never });
    const result = errors(renderKaito(model, { engine }));
    expect(validateKaito(model, { engine })).toEqual(result);
    return result;
  };
  const gpu = { resources: { gpu: { count: 1 } } };

  it.each<[string, object, 'vllm' | 'llamacpp' | 'sglang', { path: string; message: string }[]]>([
    [
      'an engine KAITO does not run',
      { model: { id: 'a/b' }, engine: { type: 'sglang' }, ...gpu },
      'sglang',
      [
        {
          path: 'spec.engine.type',
          message:
            'provider kaito does not support engine sglang; use dynamo for sglang, or set engine.type to vllm or ' +
            'llamacpp',
        },
      ],
    ],
    [
      'vLLM without GPUs',
      { model: { id: 'a/b' }, engine: { type: 'vllm' } },
      'vllm',
      [
        {
          path: 'spec.resources.gpu.count',
          message:
            'provider kaito runs vllm only on GPUs; set resources.gpu.count to 1 or more, or for CPU inference use ' +
            'engine llamacpp on provider kaito',
        },
      ],
    ],
    [
      'disaggregated serving',
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
            'provider kaito does not support disaggregated mode for engine vllm; use dynamo or llmd, or set ' +
            'serving.mode: aggregated',
        },
      ],
    ],
    [
      'several replicas of a preset',
      { model: { id: 'a/b' }, engine: { type: 'vllm' }, scaling: { replicas: 2 }, ...gpu },
      'vllm',
      [
        {
          path: 'spec.scaling.replicas',
          message:
            'provider kaito serves a vLLM preset as one model server per Workspace (spread over as many nodes as ' +
            'the model needs), so it cannot run 2 replicas: set scaling.replicas to 1, or use provider vllm or ' +
            'dynamo for several replicas',
        },
      ],
    ],
    [
      'a preset of a model built into an image',
      { model: { id: 'a/b', source: 'custom' }, engine: { type: 'vllm', image: 'mine:1' }, ...gpu },
      'vllm',
      [
        {
          path: 'spec.model.source',
          message:
            'KAITO vLLM presets download the model from HuggingFace: set model.source to huggingface, or serve a ' +
            'model built into an image with engine.type llamacpp or provider vllm',
        },
        {
          path: 'spec.engine.image',
          message:
            "provider kaito runs vLLM presets in KAITO's own image: remove engine.image, or use provider vllm for " +
            'a custom vLLM image',
        },
      ],
    ],
    [
      'a preset on non-NVIDIA GPUs, with environment variables',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm' },
        resources: { gpu: { count: 1, type: 'amd.com/gpu' } },
        env: [
          { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG' },
          { name: 'HF_TOKEN', value: 'hf_literal' },
        ],
        image: 'legacy:1',
      },
      'vllm',
      [
        {
          path: 'spec.image',
          message:
            "provider kaito runs vLLM presets in KAITO's own image: remove image, or use provider vllm for a custom " +
            'vLLM image',
        },
        {
          path: 'spec.resources.gpu.type',
          message:
            'KAITO vLLM presets run on NVIDIA GPUs only: set resources.gpu.type to nvidia.com/gpu, or use provider ' +
            'vllm for amd.com/gpu',
        },
        {
          path: 'spec.env[0]',
          message:
            'KAITO builds the pods of vLLM presets itself and passes them no environment variables: remove env[0] ' +
            '(VLLM_LOGGING_LEVEL), or use provider vllm',
        },
        {
          path: 'spec.env[1]',
          message:
            'KAITO vLLM presets read the HuggingFace token from a Secret only: set secrets.huggingFaceToken and ' +
            'remove env[1]',
        },
      ],
    ],
    [
      'flags KAITO sets for a preset',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm', args: { port: '8000' }, extraArgs: ['--model=x'] },
        ...gpu,
      },
      'vllm',
      [
        {
          path: 'spec.engine.extraArgs[0]',
          message:
            '"--model=x" cannot be used: provider kaito serves the preset named by model.id; remove it',
        },
        {
          path: 'spec.engine.args.port',
          message:
            "engine.args.port cannot be set: KAITO's Service and probes expect the server on port 5000; remove it",
        },
      ],
    ],
    [
      'extraArgs a preset cannot take as name/value pairs',
      {
        model: { id: 'a/b' },
        engine: { type: 'vllm', extraArgs: ['-tp', '--lora-modules', 'a=/a', '--lora-modules', 'b=/b'] },
        ...gpu,
      },
      'vllm',
      [
        {
          path: 'spec.engine.extraArgs[0]',
          message:
            '"-tp" cannot be passed to a KAITO vLLM preset, which takes flags as name/value pairs: write it as a ' +
            'long flag ("--name value" or "--name=value"), or move it to engine.args',
        },
        {
          path: 'spec.engine.extraArgs[3]',
          message:
            '--lora-modules appears twice; a KAITO vLLM preset takes each flag once: keep one (for a list, give it ' +
            'a JSON value if vLLM accepts one)',
        },
      ],
    ],
    [
      'flags KAITO sets for llama.cpp',
      {
        model: { id: 'a/b' },
        engine: { type: 'llamacpp', args: { port: '8080' }, extraArgs: ['--address=:80'] },
      },
      'llamacpp',
      [
        {
          path: 'spec.engine.extraArgs[0]',
          message:
            '"--address=:80" cannot be used: provider kaito sets --address=:5000, where KAITO\'s Service sends ' +
            'traffic; remove it',
        },
        {
          path: 'spec.engine.args.port',
          message: "engine.args.port cannot be set: KAITO's Service sends traffic to port 5000; remove it",
        },
      ],
    ],
    [
      'llama.cpp scaled to zero',
      { model: { id: 'a/b' }, engine: { type: 'llamacpp' }, scaling: { replicas: 0 } },
      'llamacpp',
      [
        {
          path: 'spec.scaling.replicas',
          message:
            'KAITO cannot scale a Workspace to zero pods: set scaling.replicas to 1 or more, or delete the ' +
            'ModelDeployment to stop serving',
        },
      ],
    ],
    [
      'llama.cpp serving a model built into no image',
      { model: { source: 'custom' }, engine: { type: 'llamacpp' } },
      'llamacpp',
      [
        {
          path: 'spec.engine.image',
          message:
            'model.source custom serves a model built into the image, but no image is set: set engine.image to an ' +
            'image with the model and a llama.cpp server',
        },
      ],
    ],
    [
      'node labels KAITO reserves, and an environment variable reading the GPU limit',
      {
        model: { id: 'a/b' },
        engine: { type: 'llamacpp' },
        nodeSelector: {
          'kaito.sh/workspace': 'other',
          'karpenter.kaito.sh/workspace-name': 'other',
          'x.io/kaito.sh': 'ok',
        },
        env: [{ name: 'G', valueFrom: { resourceFieldRef: { resource: 'limits.nvidia.com/gpu' } } }],
      },
      'llamacpp',
      [
        {
          path: 'spec.nodeSelector.kaito.sh/workspace',
          message:
            'KAITO reserves node labels under kaito.sh for its own nodes and ignores them in a selector: remove ' +
            'nodeSelector.kaito.sh/workspace',
        },
        {
          path: 'spec.nodeSelector.karpenter.kaito.sh/workspace-name',
          message:
            'KAITO reserves node labels under kaito.sh for its own nodes and ignores them in a selector: remove ' +
            'nodeSelector.karpenter.kaito.sh/workspace-name',
        },
        {
          path: 'spec.env[0].valueFrom.resourceFieldRef.resource',
          message:
            '"limits.nvidia.com/gpu" cannot be read into an environment variable: use limits.cpu, limits.memory, ' +
            'limits.ephemeral-storage, their requests.* forms, or hugepages',
        },
      ],
    ],
  ])('%s', (_, spec, engine, expected) => {
    expect(refuse(spec, engine)).toEqual(expected);
  });
});

describe('KAITO render: what needs a new Workspace', () => {
  const key = (spec: object, engine: 'vllm' | 'llamacpp') =>
    workspaceRecreateKey(
      objects(renderKaito(md({ metadata: { name: 'm' }, spec: spec as never }), { engine })).workspace,
    );
  const preset = { model: { id: 'a/b' }, engine: { type: 'vllm' }, resources: { gpu: { count: 1 } } };
  const llama = { model: { id: 'a/b' }, engine: { type: 'llamacpp' } };

  it('keeps the key when only the inference ConfigMap changes, which KAITO rolls out itself', () => {
    expect(key({ ...preset, engine: { type: 'vllm', contextLength: 4096 } }, 'vllm')).toBe(
      key(preset, 'vllm'),
    );
  });

  it('changes the key for what KAITO refuses or ignores on a live Workspace', () => {
    const base = key(llama, 'llamacpp');
    expect(key({ ...llama, scaling: { replicas: 2 } }, 'llamacpp')).not.toBe(base);
    expect(key({ ...llama, nodeSelector: { pool: 'cpu' } }, 'llamacpp')).not.toBe(base);
    expect(key({ ...llama, engine: { type: 'llamacpp', contextLength: 4096 } }, 'llamacpp')).not.toBe(base);
    expect(key({ ...llama, env: [{ name: 'A', value: '1' }] }, 'llamacpp')).not.toBe(base);
    expect(key({ ...preset, provider: { overrides: { performanceMode: 'throughput' } } }, 'vllm')).not.toBe(
      key(preset, 'vllm'),
    );
  });
});

describe('KAITO render: determinism', () => {
  it('renders byte-identical JSON for the same spec, whatever the key order of the input', () => {
    for (const engine of ['vllm', 'llamacpp'] as const) {
      const a = md({
        metadata: { name: 'm', namespace: 'ns' },
        spec: {
          model: { id: 'a/b' },
          engine: { type: engine, args: { b: '1', a: '2' }, contextLength: 2048 },
          resources: { gpu: { count: 1 } },
          nodeSelector: { z: '1', a: '2' },
          ...(engine === 'llamacpp'
            ? {
                podTemplate: { metadata: { labels: { y: '1', x: '2' }, annotations: { q: '1', p: '2' } } },
                env: [{ value: 'v', name: 'N' }],
                tolerations: [{ effect: 'NoSchedule' as const, operator: 'Exists' as const, key: 'k' }],
              }
            : {}),
          provider: {
            overrides: {
              performanceMode: 'balanced',
              disableBenchmark: true,
              patch: { resource: { preferredNodes: ['n'] }, metadata: { annotations: { z: '1', a: '2' } } },
            },
          },
        },
      });
      const b = md({
        metadata: { namespace: 'ns', name: 'm' },
        spec: {
          provider: {
            overrides: {
              patch: { metadata: { annotations: { a: '2', z: '1' } }, resource: { preferredNodes: ['n'] } },
              disableBenchmark: true,
              performanceMode: 'balanced',
            },
          },
          ...(engine === 'llamacpp'
            ? {
                tolerations: [{ key: 'k', operator: 'Exists' as const, effect: 'NoSchedule' as const }],
                env: [{ name: 'N', value: 'v' }],
                podTemplate: { metadata: { annotations: { p: '2', q: '1' }, labels: { x: '2', y: '1' } } },
              }
            : {}),
          nodeSelector: { a: '2', z: '1' },
          resources: { gpu: { count: 1 } },
          engine: { contextLength: 2048, args: { a: '2', b: '1' }, type: engine },
          model: { id: 'a/b' },
        },
      });
      const json = (x: typeof a) => JSON.stringify(renderKaito(x, { engine }));
      expect(json(a)).toBe(json(b));
    }
  });
});
