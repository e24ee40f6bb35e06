import type { CustomResourceDefinition } from '@airunway/kube';
import type { Gateway } from '@airunway/providers';
import { describe, expect, it } from 'vitest';
import { selectCrds } from './gateway-crds.js';
import { gatewayCrdStatus } from './gateway-status.js';
import { gpuOperatorState } from './gpu-operator.js';

function crd(
  name: string,
  annotations: Record<string, string> = {},
  established = true,
): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name, annotations },
    spec: {
      group: name.split('.').slice(1).join('.'),
      names: { kind: 'X', plural: 'xs' },
      scope: 'Namespaced',
      versions: [],
    },
    status: { conditions: [{ type: 'Established', status: established ? 'True' : 'False' }] },
  };
}

const urls = {
  gatewayApiReleasesUrl: 'https://gw/releases',
  inferenceExtensionReleasesUrl: 'https://gaie/releases',
};
const gatewayApi = [
  crd('gateways.gateway.networking.k8s.io'),
  crd('httproutes.gateway.networking.k8s.io', { 'gateway.networking.k8s.io/bundle-version': 'v1.2.1' }),
];

describe('gatewayCrdStatus', () => {
  it('pins the install commands and reports what is missing', () => {
    const status = gatewayCrdStatus({ crds: gatewayApi, gateways: [], ...urls });
    expect(status).toMatchObject({
      gatewayApiInstalled: true,
      inferenceExtInstalled: false,
      gatewayApiVersion: 'v1.2.1',
      pinnedVersion: 'v1.5.0',
      gatewayAvailable: false,
      message:
        'Inference Extension CRDs are not installed; install them with POST /installation/gateway/install-crds.',
      installCommands: [
        'kubectl apply --server-side -f https://gw/releases/v1.5.1/standard-install.yaml',
        'kubectl apply --server-side -f https://gaie/releases/v1.5.0/manifests.yaml',
      ],
    });
  });

  it('an older Inference Extension is named; a Gateway gives the endpoint', () => {
    const pool = crd('inferencepools.inference.networking.k8s.io', {
      'inference.networking.k8s.io/bundle-version': 'v1.0.0',
    });
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'infra' },
      status: { addresses: [{ value: '10.0.0.50' }] },
    } as Gateway;
    const status = gatewayCrdStatus({ crds: [...gatewayApi, pool], gateways: [gateway], ...urls });
    expect(status).toMatchObject({
      inferenceExtVersion: 'v1.0.0',
      gatewayAvailable: true,
      gatewayEndpoint: '10.0.0.50',
    });
    expect(status.message).toContain(
      'The installed Inference Extension is v1.0.0; AI Runway is built against v1.5.0',
    );
  });
});

describe('selectCrds', () => {
  it('keeps only CRDs of the expected groups', () => {
    const manifest = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: a.gateway.networking.k8s.io }
spec: { group: gateway.networking.k8s.io }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: b.evil.example.com }
spec: { group: evil.example.com }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: everyone-admin }
`;
    const { crds, skipped } = selectCrds(manifest, ['gateway.networking.k8s.io']);
    expect(crds.map((c) => c.metadata.name)).toEqual(['a.gateway.networking.k8s.io']);
    expect(skipped).toEqual([
      'CustomResourceDefinition/b.evil.example.com',
      'ClusterRoleBinding/everyone-admin',
    ]);
    expect(() => selectCrds('kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n', ['x'])).toThrow(
      /has no CRD of x/,
    );
  });
});

describe('gpuOperatorState', () => {
  const node = (name: string, gpus?: string) =>
    ({ metadata: { name }, status: { allocatable: gpus ? { 'nvidia.com/gpu': gpus } : {} } }) as never;

  it('counts allocatable GPUs and says what is missing', () => {
    expect(gpuOperatorState(true, true, [node('b', '2'), node('a', '2'), node('cpu')])).toEqual({
      installed: true,
      crdFound: true,
      operatorRunning: true,
      gpusAvailable: true,
      totalGPUs: 4,
      gpuNodes: ['a', 'b'],
      message: 'GPUs enabled: 4 GPU(s) on 2 node(s)',
    });
    expect(gpuOperatorState(true, true, []).message).toBe(
      'GPU Operator installed but no GPUs detected on nodes',
    );
    expect(gpuOperatorState(true, false, []).message).toBe(
      'GPU Operator CRD found, but the operator is not running in gpu-operator',
    );
  });
});
