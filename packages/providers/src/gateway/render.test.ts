import { describe, expect, it } from 'vitest';
import type { Deployment, KubernetesObject } from '../kubernetes.js';
import { example, md } from '../testing/fixtures.js';
import {
  DEFAULT_EPP_CONFIG,
  DEFAULT_EPP_IMAGE,
  endpointPickerPodLabels,
  LABEL_ENDPOINT_PICKER,
} from './epp.js';
import type { ExtendedPodSpec, HTTPRoute, InferenceModelRewrite, InferencePool } from './objects.js';
import {
  gatewayModelName,
  gatewayObjects,
  gatewayRouting,
  MODEL_NAME_HEADER,
  selectGateway,
  type GatewayObjectsOptions,
} from './render.js';

const qwen = example('qwen-demo');
const GATEWAY = { name: 'inference-gateway', namespace: 'gateway-system' };
const OPTIONS: GatewayObjectsOptions = {
  gateway: GATEWAY,
  modelService: { name: 'qwen-demo', port: 8000 },
  poolManagedByProvider: false,
};

interface Kinds {
  Deployment: Deployment;
  InferencePool: InferencePool;
  HTTPRoute: HTTPRoute;
  InferenceModelRewrite: InferenceModelRewrite;
}

function find<K extends keyof Kinds>(objects: KubernetesObject[], kind: K): Kinds[K] {
  const object = objects.find((o) => o.kind === kind);
  if (!object) throw new Error(`no ${kind}`);
  return object as Kinds[K];
}

const named = (gatewayName?: string, servedName?: string) =>
  md({
    metadata: { name: 'llama', namespace: 'models' },
    spec: {
      model: { id: 'meta-llama/Llama-3.1-8B-Instruct', ...(servedName ? { servedName } : {}) },
      engine: { type: 'vllm' },
      resources: { gpu: { count: 1 } },
      ...(gatewayName ? { gateway: { modelName: gatewayName } } : {}),
    },
  });

describe('gatewayObjects: a provider without its own pool', () => {
  const objects = gatewayObjects(qwen, OPTIONS);

  it('renders the endpoint picker, the pool and the route, in apply order', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 ServiceAccount qwen-demo-epp',
      'rbac.authorization.k8s.io/v1 Role qwen-demo-epp',
      'rbac.authorization.k8s.io/v1 RoleBinding qwen-demo-epp',
      'apps/v1 Deployment qwen-demo-epp',
      'v1 Service qwen-demo-epp',
      'inference.networking.k8s.io/v1 InferencePool qwen-demo',
      'gateway.networking.k8s.io/v1 HTTPRoute qwen-demo',
    ]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe('default');
      expect(object.metadata.labels).toMatchObject({
        'airunway.ai/model-deployment': 'qwen-demo',
        'app.kubernetes.io/managed-by': 'airunway',
      });
    }
  });

  it('routes requests whose body names the model to the pool', () => {
    expect(find(objects, 'HTTPRoute').spec).toEqual({
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          namespace: 'gateway-system',
          name: 'inference-gateway',
        },
      ],
      rules: [
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/' },
              headers: [{ type: 'Exact', name: 'X-Gateway-Model-Name', value: 'Qwen3-0.6B' }],
            },
          ],
          backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen-demo' }],
          timeouts: { request: '300s' },
        },
      ],
    });
    expect(MODEL_NAME_HEADER).toBe('X-Gateway-Model-Name');
  });

  it('pools the model server pods on the pod port behind the Service', () => {
    expect(find(objects, 'InferencePool').spec).toEqual({
      selector: { matchLabels: { 'airunway.ai/model-deployment': 'qwen-demo' } },
      targetPorts: [{ number: 8000 }],
      appProtocol: 'http',
      endpointPickerRef: {
        kind: 'Service',
        name: 'qwen-demo-epp',
        port: { number: 9002 },
        failureMode: 'FailOpen',
      },
    });
    const kaito = gatewayObjects(qwen, {
      ...OPTIONS,
      modelService: { name: 'qwen-demo', port: 80, targetPort: 5000 },
    });
    expect(find(kaito, 'InferencePool').spec.targetPorts).toEqual([{ number: 5000 }]);
  });

  it('runs the reference endpoint picker, outside the model pods selector', () => {
    const epp = find(objects, 'Deployment');
    const pod = epp.spec.template.spec as ExtendedPodSpec;
    const container = pod.containers[0];
    expect(container?.image).toBe(DEFAULT_EPP_IMAGE);
    expect(DEFAULT_EPP_IMAGE).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(container?.args).toEqual([
      '--pool-name',
      'qwen-demo',
      '--pool-group',
      'inference.networking.k8s.io',
      '--grpc-port',
      '9002',
      '--grpc-health-port',
      '9003',
      '--metrics-port',
      '9090',
      '--zap-encoder',
      'json',
      '--tracing=false',
      '--config-text',
      DEFAULT_EPP_CONFIG,
    ]);
    expect(container?.env).toEqual([
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(container?.readinessProbe).toEqual({
      grpc: { port: 9003, service: 'readiness' },
      periodSeconds: 2,
    });
    expect(pod.serviceAccountName).toBe('qwen-demo-epp');
    expect(epp.spec.strategy).toEqual({ type: 'Recreate' });
    expect(epp.spec.template.metadata.labels).not.toHaveProperty('airunway.ai/model-deployment');
    expect(epp.spec.selector.matchLabels).toEqual({ [LABEL_ENDPOINT_PICKER]: 'qwen-demo' });
  });

  it('takes another endpoint picker image and a listener', () => {
    const objects = gatewayObjects(qwen, {
      ...OPTIONS,
      gateway: { ...GATEWAY, listener: 'http' },
      endpointPickerImage: 'mirror.local/epp:v1.5.0',
    });
    expect(find(objects, 'Deployment').spec.template.spec.containers[0]?.image).toBe(
      'mirror.local/epp:v1.5.0',
    );
    expect(find(objects, 'HTTPRoute').spec.parentRefs[0]?.sectionName).toBe('http');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(gatewayObjects(qwen, OPTIONS))).toBe(JSON.stringify(objects));
  });
});

describe('gatewayObjects: a provider that manages its pool', () => {
  it('renders only the route to the pool <md>', () => {
    const objects = gatewayObjects(qwen, { ...OPTIONS, poolManagedByProvider: true });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['HTTPRoute/qwen-demo']);
    expect(find(objects, 'HTTPRoute').spec.rules[0]?.backendRefs?.[0]?.name).toBe('qwen-demo');
  });
});

describe('gateway model name', () => {
  it('defaults to the served name: model.servedName, else the basename of model.id', () => {
    expect(gatewayModelName(named())).toBe('Llama-3.1-8B-Instruct');
    expect(gatewayModelName(named(undefined, 'llama'))).toBe('llama');
    expect(gatewayModelName(named('team/llama', 'llama'))).toBe('team/llama');
  });

  it('has the endpoint picker rewrite gateway.modelName to the served name', () => {
    const objects = gatewayObjects(named('team/llama'), OPTIONS);
    expect(objects.map((o) => o.kind).slice(-2)).toEqual(['InferenceModelRewrite', 'HTTPRoute']);
    expect(find(objects, 'InferenceModelRewrite')).toMatchObject({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      metadata: { name: 'llama', namespace: 'models' },
      spec: {
        poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama' },
        rules: [
          {
            matches: [{ model: { type: 'Exact', value: 'team/llama' } }],
            targets: [{ modelRewrite: 'Llama-3.1-8B-Instruct' }],
          },
        ],
      },
    });
    expect(find(objects, 'HTTPRoute').spec.rules[0]?.matches?.[0]?.headers?.[0]?.value).toBe('team/llama');
  });

  it('needs no rewrite when the names agree, and rewrites to the name the provider serves', () => {
    expect(gatewayObjects(named('llama', 'llama'), OPTIONS).map((o) => o.kind)).not.toContain(
      'InferenceModelRewrite',
    );
    const objects = gatewayObjects(named('llama'), {
      ...OPTIONS,
      poolManagedByProvider: true,
      servedModelName: 'model',
    });
    expect(find(objects, 'InferenceModelRewrite').spec.rules[0]?.targets).toEqual([
      { modelRewrite: 'model' },
    ]);
  });
});

describe('selectGateway', () => {
  const gateway = (namespace: string, name: string, labels?: Record<string, string>) => ({
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
  });

  it('uses the configured Gateway when it exists', () => {
    expect(selectGateway([gateway('gw', 'a'), gateway('gw', 'b')], { name: 'b', namespace: 'gw' })).toEqual({
      ok: true,
      gateway: { name: 'b', namespace: 'gw' },
    });
    expect(selectGateway([gateway('gw', 'a')], { name: 'b', namespace: 'gw' })).toMatchObject({
      ok: false,
      reason: 'GatewayNotFound',
    });
  });

  it('uses the only Gateway, else the only labelled one', () => {
    expect(selectGateway([gateway('gw', 'a')])).toEqual({
      ok: true,
      gateway: { name: 'a', namespace: 'gw' },
    });
    expect(
      selectGateway([gateway('gw', 'a'), gateway('gw', 'b', { 'airunway.ai/inference-gateway': 'true' })]),
    ).toEqual({ ok: true, gateway: { name: 'b', namespace: 'gw' } });
  });

  it('explains when none or several could be meant', () => {
    expect(selectGateway([])).toEqual({
      ok: false,
      reason: 'NoGateway',
      message: 'no Gateway exists in the cluster',
    });
    expect(selectGateway([gateway('x', 'b'), gateway('gw', 'a')])).toEqual({
      ok: false,
      reason: 'GatewayNotLabelled',
      message:
        '2 Gateways exist (gw/a or x/b) and none is labelled airunway.ai/inference-gateway: "true"; label the one to use',
    });
    const labelled = { 'airunway.ai/inference-gateway': 'true' };
    expect(selectGateway([gateway('gw', 'a', labelled), gateway('gw', 'b', labelled)])).toMatchObject({
      ok: false,
      reason: 'AmbiguousGateway',
    });
  });
});

describe('gatewayRouting', () => {
  const withGateway = (enabled?: boolean) =>
    md({
      metadata: { name: 'm' },
      spec: {
        model: { id: 'Qwen/Qwen3-0.6B' },
        resources: { gpu: { count: 1 } },
        ...(enabled === undefined ? {} : { gateway: { enabled } }),
      },
    });
  const selected = { ok: true as const, gateway: GATEWAY };

  it('routes when the CRDs exist and a Gateway is selected, unless disabled', () => {
    expect(gatewayRouting(withGateway(), { crdsInstalled: true, selection: selected })).toEqual({
      route: true,
      gateway: GATEWAY,
    });
    expect(gatewayRouting(withGateway(false), { crdsInstalled: true, selection: selected })).toEqual({
      route: false,
      condition: { reason: 'GatewayDisabled', message: 'gateway.enabled is false' },
    });
  });

  it('stays quiet without the CRDs unless routing was asked for', () => {
    expect(gatewayRouting(withGateway(), { crdsInstalled: false })).toEqual({ route: false });
    expect(gatewayRouting(withGateway(true), { crdsInstalled: false })).toMatchObject({
      route: false,
      condition: { reason: 'CRDsNotInstalled' },
    });
  });

  it('passes on why no Gateway was selected', () => {
    const unlabelled = 'Gateways exist and none is labelled';
    expect(
      gatewayRouting(withGateway(), {
        crdsInstalled: true,
        selection: { ok: false, reason: 'GatewayNotLabelled', message: unlabelled },
      }),
    ).toEqual({ route: false, condition: { reason: 'GatewayNotLabelled', message: unlabelled } });
  });

  it('stays quiet without any Gateway unless routing was asked for', () => {
    const none = {
      ok: false as const,
      reason: 'NoGateway' as const,
      message: 'no Gateway exists in the cluster',
    };
    expect(gatewayRouting(withGateway(), { crdsInstalled: true, selection: none })).toEqual({ route: false });
    expect(gatewayRouting(withGateway(true), { crdsInstalled: true, selection: none })).toEqual({
      route: false,
      condition: { reason: 'NoGateway', message: 'no Gateway exists in the cluster' },
    });
  });
});

describe('endpoint picker pod labels', () => {
  it('drop airunway.ai/model-deployment and add airunway.ai/endpoint-picker', () => {
    expect(
      endpointPickerPodLabels(qwen, {
        'airunway.ai/model-deployment': 'qwen-demo',
        'app.kubernetes.io/component': 'x',
      }),
    ).toEqual({ 'airunway.ai/endpoint-picker': 'qwen-demo', 'app.kubernetes.io/component': 'x' });
  });
});
