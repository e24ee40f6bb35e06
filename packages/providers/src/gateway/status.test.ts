import { describe, expect, it } from 'vitest';
import { example, md } from '../testing/fixtures.js';
import type { Gateway, HTTPRoute, InferencePool, ParentStatus, RouteCondition } from './objects.js';
import { gatewayObjects } from './render.js';
import { gatewayEndpoint, gatewayStatus } from './status.js';

const qwen = example('qwen-demo');
const GATEWAY_REF = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  namespace: 'gateway-system',
  name: 'inference-gateway',
};

const rendered = gatewayObjects(qwen, {
  gateway: { name: 'inference-gateway', namespace: 'gateway-system' },
  modelService: { name: 'qwen-demo', port: 8000 },
  poolManagedByProvider: false,
});
const renderedRoute = rendered.find((o): o is HTTPRoute => o.kind === 'HTTPRoute');
const renderedPool = rendered.find((o): o is InferencePool => o.kind === 'InferencePool');
if (!renderedRoute || !renderedPool) throw new Error('route and pool expected');

const condition = (
  type: string,
  status: 'True' | 'False',
  reason: string,
  message = '',
  observedGeneration = 1,
): RouteCondition => ({
  type,
  status,
  reason,
  message,
  observedGeneration,
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

function route(parents: ParentStatus[] | undefined, generation = 1): HTTPRoute {
  return {
    ...renderedRoute!,
    metadata: { ...renderedRoute!.metadata, generation },
    ...(parents ? { status: { parents } } : {}),
  };
}

const accepted: ParentStatus = {
  parentRef: GATEWAY_REF,
  controllerName: 'istio.io/gateway-controller',
  conditions: [condition('Accepted', 'True', 'Accepted'), condition('ResolvedRefs', 'True', 'ResolvedRefs')],
};

function gateway(
  status: Gateway['status'],
  listeners = [{ name: 'http', port: 80, protocol: 'HTTP' }],
): Gateway {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'inference-gateway', namespace: 'gateway-system' },
    spec: { gatewayClassName: 'istio', listeners },
    ...(status ? { status } : {}),
  };
}

const programmed = gateway({
  addresses: [{ type: 'IPAddress', value: '10.0.0.50' }],
  conditions: [condition('Programmed', 'True', 'Programmed')],
});

describe('gatewayStatus', () => {
  it('is ready once the route is accepted and the Gateway has an address', () => {
    expect(gatewayStatus(qwen, route([accepted]), renderedPool, programmed)).toEqual({
      status: { endpoint: 'http://10.0.0.50', modelName: 'Qwen3-0.6B' },
      condition: {
        type: 'GatewayReady',
        status: 'True',
        reason: 'RouteAccepted',
        message: 'requests with "model": "Qwen3-0.6B" sent to http://10.0.0.50 are routed to this deployment',
      },
    });
  });

  it('reports the model name even when nothing is in place', () => {
    expect(gatewayStatus(qwen, undefined, undefined, undefined)).toEqual({
      status: { modelName: 'Qwen3-0.6B' },
      condition: {
        type: 'GatewayReady',
        status: 'False',
        reason: 'GatewayNotFound',
        message: 'the inference Gateway does not exist',
      },
    });
    expect(gatewayStatus(qwen, route([accepted]), renderedPool, undefined).condition).toMatchObject({
      reason: 'GatewayNotFound',
      message: 'Gateway gateway-system/inference-gateway does not exist',
    });
  });

  it('waits for the route and the pool', () => {
    expect(gatewayStatus(qwen, undefined, renderedPool, programmed).condition).toMatchObject({
      status: 'False',
      reason: 'RouteNotCreated',
    });
    expect(gatewayStatus(qwen, route([accepted]), undefined, programmed).condition).toMatchObject({
      status: 'False',
      reason: 'InferencePoolNotFound',
      message: 'InferencePool qwen-demo does not exist yet',
    });
  });

  it('is pending until the Gateway controller reports on the current generation', () => {
    expect(gatewayStatus(qwen, route(undefined), renderedPool, programmed).condition.reason).toBe(
      'RoutePending',
    );
    expect(gatewayStatus(qwen, route([accepted], 2), renderedPool, programmed).condition.reason).toBe(
      'RoutePending',
    );
    const otherGateway = { ...accepted, parentRef: { ...GATEWAY_REF, name: 'other' } };
    expect(gatewayStatus(qwen, route([otherGateway]), renderedPool, programmed).condition.reason).toBe(
      'RoutePending',
    );
  });

  it('explains a route the Gateway refuses', () => {
    const refused: ParentStatus = {
      parentRef: GATEWAY_REF,
      conditions: [
        condition(
          'Accepted',
          'False',
          'NotAllowedByListeners',
          'no listener allows routes from namespace default',
        ),
      ],
    };
    expect(gatewayStatus(qwen, route([refused]), renderedPool, programmed).condition).toEqual({
      type: 'GatewayReady',
      status: 'False',
      reason: 'RouteNotAccepted',
      message:
        'Gateway gateway-system/inference-gateway did not accept HTTPRoute qwen-demo (NotAllowedByListeners): ' +
        'no listener allows routes from namespace default; allow routes from namespace default on its listeners (allowedRoutes)',
    });
  });

  it('explains a Gateway that cannot resolve the InferencePool', () => {
    const unresolved: ParentStatus = {
      parentRef: GATEWAY_REF,
      conditions: [
        condition('Accepted', 'True', 'Accepted'),
        condition('ResolvedRefs', 'False', 'InvalidKind', 'unsupported backend kind InferencePool'),
      ],
    };
    const result = gatewayStatus(qwen, route([unresolved]), renderedPool, programmed);
    expect(result.condition).toMatchObject({ status: 'False', reason: 'BackendNotResolved' });
    expect(result.condition.message).toContain('must support the Gateway API Inference Extension');
  });

  it('passes on a pool the Gateway does not accept', () => {
    const pool: InferencePool = {
      ...renderedPool,
      status: {
        parents: [
          {
            parentRef: GATEWAY_REF,
            conditions: [
              condition('ResolvedRefs', 'False', 'InvalidExtensionRef', 'Service qwen-demo-epp not found'),
            ],
          },
        ],
      },
    };
    expect(gatewayStatus(qwen, route([accepted]), pool, programmed).condition).toMatchObject({
      reason: 'InferencePoolNotAccepted',
      message:
        'Gateway gateway-system/inference-gateway reports InferencePool qwen-demo ResolvedRefs=False (InvalidExtensionRef): Service qwen-demo-epp not found',
    });
  });

  it('waits for the Gateway to be programmed and to get an address', () => {
    const notProgrammed = gateway({
      conditions: [condition('Programmed', 'False', 'Pending', 'waiting for a load balancer')],
    });
    expect(gatewayStatus(qwen, route([accepted]), renderedPool, notProgrammed).condition).toMatchObject({
      reason: 'GatewayNotProgrammed',
      message:
        'Gateway gateway-system/inference-gateway is not programmed (Pending): waiting for a load balancer',
    });
    const result = gatewayStatus(qwen, route([accepted]), renderedPool, gateway({}));
    expect(result.condition.reason).toBe('GatewayAddressPending');
    expect(result.status).toEqual({ modelName: 'Qwen3-0.6B' });
  });

  it('works from the cached form of the route and pool, whose spec may be gone', () => {
    const { spec: _routeSpec, ...slimRoute } = route([accepted]);
    const { spec: _poolSpec, ...slimPool } = renderedPool;
    expect(gatewayStatus(qwen, slimRoute, slimPool, programmed).condition.reason).toBe('RouteAccepted');
    expect(gatewayStatus(qwen, slimRoute, slimPool, undefined).condition).toMatchObject({
      reason: 'GatewayNotFound',
      message: 'the inference Gateway does not exist',
    });
    expect(
      gatewayStatus(qwen, slimRoute, slimPool, undefined, {
        name: 'inference-gateway',
        namespace: 'gateway-system',
      }).condition.message,
    ).toBe('Gateway gateway-system/inference-gateway does not exist');
  });

  it('names the gateway model name of the spec', () => {
    const named = md({
      metadata: { name: 'llama', namespace: 'default' },
      spec: {
        model: { id: 'meta-llama/Llama-3.1-8B-Instruct' },
        resources: { gpu: { count: 1 } },
        gateway: { modelName: 'llama' },
      },
    });
    expect(gatewayStatus(named, undefined, undefined, programmed).status.modelName).toBe('llama');
  });
});

describe('gatewayEndpoint', () => {
  it('builds a URL from the first address and the listener', () => {
    expect(gatewayEndpoint(programmed)).toBe('http://10.0.0.50');
    const https = gateway({ addresses: [{ value: '' }, { type: 'Hostname', value: 'llm.example.com' }] }, [
      { name: 'https', port: 8443, protocol: 'HTTPS' },
    ]);
    expect(gatewayEndpoint(https)).toBe('https://llm.example.com:8443');
    const v6 = gateway({ addresses: [{ type: 'IPAddress', value: 'fd00::10' }] }, [
      { name: 'a', port: 8080, protocol: 'HTTP' },
      { name: 'b', port: 443, protocol: 'HTTPS' },
    ]);
    expect(gatewayEndpoint(v6)).toBe('http://[fd00::10]:8080');
    expect(gatewayEndpoint(v6, 'b')).toBe('https://[fd00::10]');
    expect(gatewayEndpoint(gateway(undefined))).toBeUndefined();
  });
});
