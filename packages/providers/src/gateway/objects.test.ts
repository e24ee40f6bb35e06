import { describe, expect, it } from 'vitest';
import { slimGateway } from './objects.js';

describe('slimGateway', () => {
  it('keeps what choosing and addressing a Gateway needs, and drops the rest', () => {
    // As the apiserver sends it: resourceVersion and annotations included.
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: 'inference',
        namespace: 'gateways',
        uid: 'u-1',
        resourceVersion: '42',
        labels: { 'airunway.ai/inference-gateway': 'true' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: {
        gatewayClassName: 'istio',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
      },
      status: { addresses: [{ type: 'IPAddress', value: '10.0.0.50' }] },
    };
    expect(slimGateway(gateway)).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: 'inference',
        namespace: 'gateways',
        uid: 'u-1',
        resourceVersion: '42',
        labels: { 'airunway.ai/inference-gateway': 'true' },
      },
      spec: { listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      status: { addresses: [{ type: 'IPAddress', value: '10.0.0.50' }] },
    });
  });
});
