import { describe, expect, it } from 'vitest';
import type { ModelDeploymentInput } from '@airunway/schema';
import {
  DEFAULT_EPP_IMAGE,
  LABEL_ENDPOINT_PICKER,
  type ExtendedPodSpec,
  type InferencePool,
  type Role,
  type RoleBinding,
  type ServiceAccount,
} from '../gateway/index.js';
import type { Deployment, KubernetesObject, Service } from '../kubernetes.js';
import type { RenderResult } from '../provider.js';
import { example, md } from '../testing/fixtures.js';
import { DEFAULT_VLLM_IMAGE } from '../vllm/render.js';
import { llmdProvider } from './index.js';
import {
  KV_TRANSFER_CONFIG,
  LLMD_AGGREGATED_EPP_CONFIG,
  LLMD_OVERRIDE_FIELDS,
  LLMD_ROUTING_SIDECAR_IMAGE,
  LLMD_SCHEDULER_IMAGE,
  llmdDisaggregatedEppConfig,
  renderLlmd,
  validateLlmd,
} from './render.js';

type Spec = Omit<ModelDeploymentInput, 'apiVersion' | 'kind'>['spec'];

function objectsOf(result: RenderResult): KubernetesObject[] {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.objects;
}

interface Kinds {
  Deployment: Deployment;
  Service: Service;
  ServiceAccount: ServiceAccount;
  Role: Role;
  RoleBinding: RoleBinding;
  InferencePool: InferencePool;
}

function find<K extends keyof Kinds>(objects: KubernetesObject[], kind: K, name: string): Kinds[K] {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) {
    throw new Error(
      `no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    );
  }
  return object as Kinds[K];
}

function podSpec(deployment: Deployment): ExtendedPodSpec {
  return deployment.spec.template.spec;
}

const qwen = (spec: Partial<Spec> = {}, name = 'qwen') =>
  md({
    metadata: { name, namespace: 'models' },
    spec: {
      model: { id: 'Qwen/Qwen3-0.6B' },
      provider: { name: 'llmd' },
      engine: { type: 'vllm' },
      resources: { gpu: { count: 1 } },
      ...spec,
    },
  });

const pd = example('llama-70b-pd');
const disaggregated = {
  ...pd,
  metadata: { ...pd.metadata, namespace: 'models' },
  spec: { ...pd.spec, provider: { name: 'llmd' as const, overrides: {} } },
};

const LABELS = (component: string, name = 'qwen') => ({
  'airunway.ai/engine': 'vllm',
  'airunway.ai/model-deployment': name,
  'airunway.ai/provider': 'llmd',
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/instance': name,
  'app.kubernetes.io/managed-by': 'airunway',
  'app.kubernetes.io/name': 'vllm',
});

describe('llm-d render: aggregated', () => {
  const result = renderLlmd(qwen(), { engine: 'vllm' });
  const objects = objectsOf(result);

  it('renders the scheduler, the pool, the model server and its Service, in apply order', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 ServiceAccount qwen-epp',
      'rbac.authorization.k8s.io/v1 Role qwen-epp',
      'rbac.authorization.k8s.io/v1 RoleBinding qwen-epp',
      'apps/v1 Deployment qwen-epp',
      'v1 Service qwen-epp',
      'inference.networking.k8s.io/v1 InferencePool qwen',
      'apps/v1 Deployment qwen',
      'v1 Service qwen',
    ]);
    expect(result.ok && result.notes).toEqual([]);
  });

  it('labels every object and sets no ownerReferences', () => {
    for (const object of objects) {
      expect(object.metadata.namespace).toBe('models');
      expect(object.metadata.labels).toMatchObject({
        'airunway.ai/model-deployment': 'qwen',
        'airunway.ai/provider': 'llmd',
      });
      expect(object.metadata).not.toHaveProperty('ownerReferences');
    }
  });

  it('renders the model server like Direct vLLM, labelled as an llm-d decode pod', () => {
    const deployment = find(objects, 'Deployment', 'qwen');
    expect(deployment.metadata.labels).toEqual(LABELS('model-server'));
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector.matchLabels).toEqual({
      'airunway.ai/model-deployment': 'qwen',
      'llm-d.ai/role': 'decode',
    });
    expect(deployment.spec.template.metadata.labels).toEqual({
      ...LABELS('model-server'),
      'inference.networking.k8s.io/engine-type': 'vllm',
      'llm-d.ai/role': 'decode',
    });
    const pod = podSpec(deployment);
    expect(pod.initContainers).toBeUndefined();
    expect(pod.serviceAccountName).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    const container = pod.containers[0];
    expect(container?.image).toBe(DEFAULT_VLLM_IMAGE);
    expect(container?.args).toEqual([
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
    ]);
    expect(container?.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(container?.readinessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container?.env).toEqual([{ name: 'HF_HOME', value: '/model-cache/huggingface' }]);
  });

  it('pools every model server pod on port 8000, picked by the scheduler', () => {
    const pool = find(objects, 'InferencePool', 'qwen');
    expect(pool.metadata.labels).toEqual(LABELS('inference-pool'));
    expect(pool.spec).toEqual({
      selector: { matchLabels: { 'airunway.ai/model-deployment': 'qwen' } },
      targetPorts: [{ number: 8000 }],
      appProtocol: 'http',
      endpointPickerRef: {
        kind: 'Service',
        name: 'qwen-epp',
        port: { number: 9002 },
        failureMode: 'FailOpen',
      },
    });
  });

  it('runs the llm-d scheduler with the prefix-cache aware configuration', () => {
    const epp = find(objects, 'Deployment', 'qwen-epp');
    const container = podSpec(epp).containers[0];
    expect(container?.image).toBe(LLMD_SCHEDULER_IMAGE);
    expect(LLMD_SCHEDULER_IMAGE).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(container?.args?.slice(0, 2)).toEqual(['--pool-name', 'qwen']);
    expect(container?.args?.at(-2)).toBe('--config-text');
    expect(container?.args?.at(-1)).toBe(LLMD_AGGREGATED_EPP_CONFIG);
    expect(LLMD_AGGREGATED_EPP_CONFIG).toContain('- type: prefix-cache-scorer');
    expect(LLMD_AGGREGATED_EPP_CONFIG).toContain('- type: single-profile-handler');
    expect(podSpec(epp).serviceAccountName).toBe('qwen-epp');
  });

  it('keeps the scheduler out of every selector of model pods', () => {
    const epp = find(objects, 'Deployment', 'qwen-epp');
    const labels = epp.spec.template.metadata.labels;
    expect(labels).not.toHaveProperty('airunway.ai/model-deployment');
    expect(labels).toMatchObject({
      [LABEL_ENDPOINT_PICKER]: 'qwen',
      'app.kubernetes.io/component': 'endpoint-picker',
    });
    expect(epp.spec.selector.matchLabels).toEqual({ [LABEL_ENDPOINT_PICKER]: 'qwen' });
    expect(find(objects, 'Service', 'qwen-epp').spec.selector).toEqual({
      [LABEL_ENDPOINT_PICKER]: 'qwen',
    });
  });

  it('lets the scheduler read pods and its pool, nothing more', () => {
    expect(find(objects, 'Role', 'qwen-epp').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['inference.networking.k8s.io'],
        resources: ['inferencepools'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['inference.networking.x-k8s.io'],
        resources: ['inferencemodelrewrites', 'inferenceobjectives'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    expect(find(objects, 'RoleBinding', 'qwen-epp')).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'qwen-epp', namespace: 'models' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'qwen-epp' },
    });
  });

  it('serves the model in-cluster through the Service qwen:8000', () => {
    expect(find(objects, 'Service', 'qwen').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'airunway.ai/model-deployment': 'qwen', 'llm-d.ai/role': 'decode' },
      ports: [{ name: 'http', port: 8000, targetPort: 8000, protocol: 'TCP', appProtocol: 'http' }],
    });
  });

  it('renders byte-identical JSON for the same spec', () => {
    expect(JSON.stringify(renderLlmd(qwen(), { engine: 'vllm' }))).toBe(JSON.stringify(result));
  });
});

describe('llm-d render: disaggregated prefill/decode', () => {
  const objects = objectsOf(renderLlmd(disaggregated, { engine: 'vllm' }));
  const prefill = find(objects, 'Deployment', 'llama-70b-pd-prefill');
  const decode = find(objects, 'Deployment', 'llama-70b-pd-decode');

  it('renders prefill and decode workers', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/llama-70b-pd-epp',
      'Role/llama-70b-pd-epp',
      'RoleBinding/llama-70b-pd-epp',
      'Deployment/llama-70b-pd-epp',
      'Service/llama-70b-pd-epp',
      'InferencePool/llama-70b-pd',
      'Deployment/llama-70b-pd-prefill',
      'Deployment/llama-70b-pd-decode',
      'Service/llama-70b-pd',
    ]);
  });

  it('sizes each role from scaling.prefill and scaling.decode', () => {
    expect(prefill.spec.replicas).toBe(2);
    expect(decode.spec.replicas).toBe(4);
    expect(prefill.spec.template.spec.containers[0]?.resources).toEqual({
      limits: { memory: '128Gi', 'nvidia.com/gpu': '4' },
      requests: { memory: '128Gi', 'nvidia.com/gpu': '4' },
    });
    expect(decode.spec.template.spec.containers[0]?.resources).toEqual({
      limits: { memory: '64Gi', 'nvidia.com/gpu': '2' },
      requests: { memory: '64Gi', 'nvidia.com/gpu': '2' },
    });
    const tp = (d: Deployment) => {
      const args = d.spec.template.spec.containers[0]?.args ?? [];
      return args[args.indexOf('--tensor-parallel-size') + 1];
    };
    expect(tp(prefill)).toBe('4');
    expect(tp(decode)).toBe('2');
  });

  it('selects each role by llm-d.ai/role, which the scheduler filters on', () => {
    expect(prefill.spec.selector.matchLabels).toEqual({
      'airunway.ai/model-deployment': 'llama-70b-pd',
      'llm-d.ai/role': 'prefill',
    });
    expect(prefill.spec.template.metadata.labels).toMatchObject({
      'llm-d.ai/role': 'prefill',
      'app.kubernetes.io/component': 'prefill-worker',
    });
    expect(decode.spec.template.metadata.labels).toMatchObject({
      'llm-d.ai/role': 'decode',
      'app.kubernetes.io/component': 'decode-worker',
    });
    expect(find(objects, 'Service', 'llama-70b-pd').spec.selector).toEqual({
      'airunway.ai/model-deployment': 'llama-70b-pd',
      'llm-d.ai/role': 'decode',
    });
  });

  it('connects both vLLMs with the NIXL connector and their pod IP', () => {
    for (const deployment of [prefill, decode]) {
      const container = deployment.spec.template.spec.containers[0];
      const args = container?.args ?? [];
      expect(args[args.indexOf('--kv-transfer-config') + 1]).toBe(KV_TRANSFER_CONFIG);
      expect(JSON.parse(KV_TRANSFER_CONFIG)).toEqual({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });
      expect(container?.env).toContainEqual({
        name: 'VLLM_NIXL_SIDE_CHANNEL_HOST',
        valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
      });
      expect(container?.ports).toContainEqual({ name: 'nixl', containerPort: 5600, protocol: 'TCP' });
    }
  });

  it('puts prefill vLLM on 8000 and decode vLLM on 8200 behind the routing sidecar on 8000', () => {
    const portOf = (d: Deployment) => {
      const args = d.spec.template.spec.containers[0]?.args ?? [];
      return args[args.indexOf('--port') + 1];
    };
    expect(portOf(prefill)).toBe('8000');
    expect(portOf(decode)).toBe('8200');
    expect(decode.spec.template.spec.containers[0]?.readinessProbe?.httpGet?.port).toBe('vllm');
    expect(podSpec(prefill).initContainers).toBeUndefined();

    const sidecar = podSpec(decode).initContainers?.[0];
    expect(sidecar).toMatchObject({
      name: 'routing-sidecar',
      image: LLMD_ROUTING_SIDECAR_IMAGE,
      restartPolicy: 'Always',
      args: ['--port=8000', '--vllm-port=8200', '--kv-connector=nixlv2', '--secure-proxy=false'],
      ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
    });
  });

  it('leaves model server pods without Kubernetes credentials', () => {
    for (const deployment of [prefill, decode]) {
      expect(podSpec(deployment).serviceAccountName).toBeUndefined();
      expect(podSpec(deployment).automountServiceAccountToken).toBe(false);
    }
  });

  it('runs the scheduler with the P/D profile handler', () => {
    const args = podSpec(find(objects, 'Deployment', 'llama-70b-pd-epp')).containers[0]?.args ?? [];
    const config = args.at(-1) ?? '';
    expect(config).toBe(llmdDisaggregatedEppConfig(16));
    expect(config).toContain('- type: disagg-profile-handler');
    expect(config).toContain('prefill: prefix-based-pd-decider');
    expect(config).toContain('nonCachedTokens: 16');
    expect(config).toContain('- name: prefill');
    expect(config).toContain('- name: decode');
  });
});

describe('llm-d render: overrides', () => {
  it('declares its typed overrides', () => {
    expect(LLMD_OVERRIDE_FIELDS.map((f) => f.path)).toEqual([
      'endpointPicker.image',
      'routingSidecar.image',
      'disaggregation.nonCachedTokens',
    ]);
  });

  it('replaces the scheduler and sidecar images and the P/D threshold', () => {
    const overridden = {
      ...disaggregated,
      spec: {
        ...disaggregated.spec,
        provider: {
          name: 'llmd' as const,
          overrides: {
            endpointPicker: { image: 'mirror.local/scheduler:v0.8.0' },
            routingSidecar: { image: 'mirror.local/sidecar:v0.8.0' },
            disaggregation: { nonCachedTokens: 256 },
          },
        },
      },
    };
    const objects = objectsOf(renderLlmd(overridden, { engine: 'vllm' }));
    const epp = podSpec(find(objects, 'Deployment', 'llama-70b-pd-epp')).containers[0];
    expect(epp?.image).toBe('mirror.local/scheduler:v0.8.0');
    expect(epp?.args?.at(-1)).toContain('nonCachedTokens: 256');
    expect(podSpec(find(objects, 'Deployment', 'llama-70b-pd-decode')).initContainers?.[0]?.image).toBe(
      'mirror.local/sidecar:v0.8.0',
    );
  });

  it('merges overrides.patch into the decode Deployment only', () => {
    const patch = { spec: { template: { spec: { priorityClassName: 'inference' } } } };
    const objects = objectsOf(
      renderLlmd(
        {
          ...disaggregated,
          spec: { ...disaggregated.spec, provider: { name: 'llmd', overrides: { patch } } },
        },
        { engine: 'vllm' },
      ),
    );
    const priority = (name: string) =>
      (find(objects, 'Deployment', name).spec.template.spec as { priorityClassName?: string })
        .priorityClassName;
    expect(priority('llama-70b-pd-decode')).toBe('inference');
    expect(priority('llama-70b-pd-prefill')).toBeUndefined();
    expect(podSpec(find(objects, 'Deployment', 'llama-70b-pd-decode')).containers[0]?.name).toBe('vllm');
  });

  it('notes disaggregation overrides that have no effect in aggregated mode', () => {
    const result = renderLlmd(
      qwen({ provider: { name: 'llmd', overrides: { disaggregation: { nonCachedTokens: 8 } } } }),
      { engine: 'vllm' },
    );
    expect(result.ok && result.notes).toEqual([
      'provider.overrides.disaggregation.nonCachedTokens has no effect in aggregated mode',
    ]);
  });

  it('refuses unknown keys, wrong types and privileged patches', () => {
    const errors = validateLlmd(
      qwen({
        provider: {
          name: 'llmd',
          overrides: {
            routerMode: 'kv',
            disaggregation: { nonCachedTokens: 0 },
            patch: { spec: { template: { spec: { hostNetwork: true } } } },
          },
        },
      }),
      { engine: 'vllm' },
    );
    expect(errors.map((e) => e.path)).toEqual([
      'spec.provider.overrides.disaggregation.nonCachedTokens',
      'spec.provider.overrides.patch.spec.template.spec.hostNetwork',
      'spec.provider.overrides.routerMode',
    ]);
  });
});

describe('llm-d validate', () => {
  it('accepts the examples it can run', () => {
    expect(validateLlmd(qwen(), { engine: 'vllm' })).toEqual([]);
    expect(validateLlmd(disaggregated, { engine: 'vllm' })).toEqual([]);
  });

  it('runs vLLM only, on GPUs', () => {
    expect(validateLlmd(qwen({ engine: { type: 'sglang' } }), { engine: 'sglang' })).toEqual([
      {
        path: 'spec.engine.type',
        message: expect.stringContaining('provider llmd does not support engine sglang'),
      },
    ]);
    expect(validateLlmd(qwen({ resources: { gpu: { count: 0 } } }), { engine: 'vllm' })).toEqual([
      { path: 'spec.resources.gpu.count', message: expect.stringContaining('only on GPUs') },
    ]);
  });

  it('reserves host and port, and the KV connector in disaggregated mode', () => {
    expect(
      validateLlmd(
        qwen({ engine: { type: 'vllm', args: { port: '9000' }, extraArgs: ['--host=127.0.0.1'] } }),
        {
          engine: 'vllm',
        },
      ).map((e) => e.path),
    ).toEqual(['spec.engine.extraArgs[0]', 'spec.engine.args.port']);
    expect(
      validateLlmd(qwen({ engine: { type: 'vllm', args: { 'kv-transfer-config': '{}' } } }), {
        engine: 'vllm',
      }),
    ).toEqual([]);
    const pdArgs = {
      ...disaggregated,
      spec: {
        ...disaggregated.spec,
        engine: { ...disaggregated.spec.engine, args: { 'kv-transfer-config': '{}' } },
      },
    };
    expect(validateLlmd(pdArgs, { engine: 'vllm' })).toEqual([
      { path: 'spec.engine.args.kv-transfer-config', message: expect.stringContaining('NIXL') },
    ]);
    expect(renderLlmd(pdArgs, { engine: 'vllm' }).ok).toBe(false);
  });

  it('needs a model, and an image for a custom model', () => {
    expect(
      validateLlmd(qwen({ model: { source: 'custom' } }), { engine: 'vllm' }).map((e) => e.path),
    ).toEqual(['spec.model.id', 'spec.engine.image']);
  });

  it('is the provider the catalogue describes', () => {
    expect(llmdProvider.id).toBe('llmd');
    expect(llmdProvider.detection.crds).toEqual(['inferencepools.inference.networking.k8s.io']);
    expect(llmdProvider.capabilities.engines.map((e) => [e.engine, e.servingModes])).toEqual([
      ['vllm', ['aggregated', 'disaggregated']],
    ]);
    expect(DEFAULT_EPP_IMAGE).not.toBe(LLMD_SCHEDULER_IMAGE);
  });
});
