// The real Gateway API and Inference Extension CRDs accept every routing object: a server-side
// dry-run apply into the test control plane runs their OpenAPI schemas, CEL rules and defaults.
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../kubernetes.js';
import { dryRunNamespace, serverDryRun } from '../testing/cluster.js';
import { example, md } from '../testing/fixtures.js';
import type { HTTPRoute, InferencePool } from './objects.js';
import { gatewayObjects, type GatewayObjectsOptions } from './render.js';

const OPTIONS: GatewayObjectsOptions = {
  gateway: { name: 'inference-gateway', namespace: 'gateway-system', listener: 'http' },
  modelService: { name: 'qwen-demo', port: 8000 },
  poolManagedByProvider: false,
};

const renamed = md({
  metadata: { name: 'llama', namespace: 'default' },
  spec: {
    model: { id: 'meta-llama/Llama-3.1-8B-Instruct' },
    engine: { type: 'vllm' },
    resources: { gpu: { count: 1 } },
    gateway: { modelName: 'team/llama-8b' },
  },
});

interface Kinds {
  InferencePool: InferencePool;
  HTTPRoute: HTTPRoute;
}

function only<K extends keyof Kinds>(objects: KubernetesObject[], kind: K): Kinds[K] {
  const object = objects.find((o) => o.kind === kind);
  if (!object) throw new Error(`no ${kind}`);
  return object as Kinds[K];
}

describe('gateway objects against the real control plane', () => {
  let namespace = '';
  beforeAll(async () => {
    namespace = await dryRunNamespace('gateway');
  });

  it('accepts the endpoint picker, pool and route of a provider without its own pool', async () => {
    const result = await serverDryRun(gatewayObjects(example('qwen-demo'), OPTIONS), namespace);
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/qwen-demo-epp',
      'Role/qwen-demo-epp',
      'RoleBinding/qwen-demo-epp',
      'Deployment/qwen-demo-epp',
      'Service/qwen-demo-epp',
      'InferencePool/qwen-demo',
      'HTTPRoute/qwen-demo',
    ]);
    // The apiserver fills the defaults the rendering leaves out.
    expect(only(result.objects, 'InferencePool').spec.endpointPickerRef.group).toBe('');
    expect(only(result.objects, 'HTTPRoute').spec.rules[0]?.backendRefs?.[0]).toMatchObject({
      kind: 'InferencePool',
      weight: 1,
    });
  });

  it('accepts the route and model rewrite of a provider that manages its pool', async () => {
    const result = await serverDryRun(
      gatewayObjects(renamed, { ...OPTIONS, poolManagedByProvider: true }),
      namespace,
    );
    expect(result.errors).toBe('');
    expect(result.accepted).toBe(true);
    expect(result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'InferenceModelRewrite/llama',
      'HTTPRoute/llama',
    ]);
  });

  it('refuses a route whose model header is empty', async () => {
    const route = only(gatewayObjects(example('qwen-demo'), OPTIONS), 'HTTPRoute');
    const rule = route.spec.rules[0];
    if (!rule) throw new Error('no rule');
    const wrong: HTTPRoute = {
      ...route,
      spec: {
        ...route.spec,
        rules: [
          { ...rule, matches: [{ headers: [{ type: 'Exact', name: 'X-Gateway-Model-Name', value: '' }] }] },
        ],
      },
    };
    const result = await serverDryRun([wrong], namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toContain('spec.rules[0].matches[0].headers[0].value');
  });

  it('refuses a pool whose endpoint picker Service has no port', async () => {
    const pool = only(gatewayObjects(example('qwen-demo'), OPTIONS), 'InferencePool');
    const { port: _port, ...ref } = pool.spec.endpointPickerRef;
    const wrong: InferencePool = { ...pool, spec: { ...pool.spec, endpointPickerRef: ref } };
    const result = await serverDryRun([wrong], namespace);
    expect(result.accepted).toBe(false);
    expect(result.errors).toContain("port is required when kind is 'Service'");
  });
});
