import { describe, expect, it } from 'vitest';
import { factsWith } from './testing/fixtures.js';
import { operatorProbes, readyOperators, usableProviders, type PodLike } from './usability.js';

const ready = [{ type: 'Ready', status: 'True' }];
const pod = (namespace: string, labels: Record<string, string>, conditions = ready): PodLike => ({
  metadata: { namespace, labels },
  status: { conditions },
});

describe('usableProviders', () => {
  it('needs nothing for Direct vLLM', () => {
    expect(usableProviders({ establishedCrds: [], readyOperators: [] }).vllm).toEqual({
      usable: true,
      state: 'usable',
      reason: 'needs no CRD or operator',
    });
  });

  it('reports each missing piece', () => {
    const usability = usableProviders({
      establishedCrds: ['workspaces.kaito.sh', 'rayservices.ray.io'],
      readyOperators: ['kuberay'],
    });
    expect(usability).toEqual({
      dynamo: {
        usable: false,
        state: 'not-installed',
        reason: 'CRD dynamographdeployments.nvidia.com not found',
      },
      kaito: { usable: false, state: 'not-ready', reason: 'operator not running in kaito-workspace' },
      kuberay: { usable: false, state: 'not-installed', reason: 'CRD rayclusters.ray.io not found' },
      llmd: {
        usable: false,
        state: 'not-installed',
        reason: 'CRD inferencepools.inference.networking.k8s.io not found',
      },
      vllm: { usable: true, state: 'usable', reason: 'needs no CRD or operator' },
    });
  });

  it('makes every provider usable when everything is installed', () => {
    const usability = usableProviders(factsWith('dynamo', 'kaito', 'kuberay', 'llmd', 'vllm'));
    expect(Object.values(usability).every((u) => u.usable)).toBe(true);
    expect(usability.dynamo.reason).toBe(
      'CRD dynamographdeployments.nvidia.com established, operator running',
    );
    expect(usability.llmd.reason).toBe('CRD inferencepools.inference.networking.k8s.io established');
  });
});

describe('operator detection from pods', () => {
  it('finds ready operator pods by namespace and labels', () => {
    const pods = [
      pod('dynamo-system', {
        'app.kubernetes.io/name': 'dynamo-operator',
        'control-plane': 'controller-manager',
      }),
      pod('kube-system', { app: 'ai-toolchain-operator' }),
      pod('ray', { 'app.kubernetes.io/name': 'kuberay-operator' }, [{ type: 'Ready', status: 'False' }]),
    ];
    expect(readyOperators(pods)).toEqual(['dynamo', 'kaito']);
  });

  it('ignores the right labels in the wrong namespace, and pods being deleted', () => {
    const elsewhere = pod('default', {
      'app.kubernetes.io/name': 'dynamo-operator',
      'control-plane': 'controller-manager',
    });
    const running = pod('kaito-workspace', {
      'app.kubernetes.io/name': 'workspace',
      'app.kubernetes.io/instance': 'kaito-workspace',
    });
    const leaving = {
      ...running,
      metadata: { ...running.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
    };
    expect(readyOperators([elsewhere, leaving])).toEqual([]);
  });

  it('lists the label selectors to watch', () => {
    expect(operatorProbes()).toEqual([
      {
        provider: 'dynamo',
        namespace: 'dynamo-system',
        labelSelector: 'app.kubernetes.io/name=dynamo-operator,control-plane=controller-manager',
      },
      {
        provider: 'kaito',
        namespace: 'kaito-workspace',
        labelSelector: 'app.kubernetes.io/instance=kaito-workspace,app.kubernetes.io/name=workspace',
      },
      { provider: 'kaito', namespace: undefined, labelSelector: 'app=ai-toolchain-operator' },
      { provider: 'kuberay', namespace: undefined, labelSelector: 'app.kubernetes.io/name=kuberay-operator' },
    ]);
  });
});
