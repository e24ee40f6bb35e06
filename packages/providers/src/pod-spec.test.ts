import { describe, expect, it } from 'vitest';
import {
  containerEnv,
  containerResources,
  HF_TOKEN_SECRET_KEY,
  nodeSelector,
  objectLabels,
  podAnnotations,
  podLabels,
  tolerations,
} from './pod-spec.js';
import { md, spec } from './testing/fixtures.js';

const model = { id: 'a/b' };

describe('containerEnv', () => {
  it('passes spec.env through in order, with every valueFrom source', () => {
    const env = [
      { name: 'A', value: '1' },
      { name: 'B', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'C', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: false } } },
      {
        name: 'D',
        valueFrom: {
          resourceFieldRef: { containerName: 'vllm', resource: 'requests.memory', divisor: '1Mi' },
        },
      },
      { name: 'E', value: '$(A)-x' },
      { name: 'F' },
    ];
    expect(containerEnv(spec({ model, env }))).toEqual(env);
  });

  it('adds HF_TOKEN from the Secret first and drops a user HF_TOKEN', () => {
    const result = containerEnv(
      spec({
        model,
        secrets: { huggingFaceToken: 'hf' },
        env: [
          { name: 'HF_TOKEN', value: 'literal' },
          { name: 'X', value: '$(HF_TOKEN)' },
        ],
      }),
    );
    expect(result).toEqual([
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: HF_TOKEN_SECRET_KEY } } },
      { name: 'X', value: '$(HF_TOKEN)' },
    ]);
    expect(HF_TOKEN_SECRET_KEY).toBe('HF_TOKEN');
  });

  it('keeps a user HF_TOKEN when no Secret is named', () => {
    expect(containerEnv(spec({ model, env: [{ name: 'HF_TOKEN', value: 'literal' }] }))).toEqual([
      { name: 'HF_TOKEN', value: 'literal' },
    ]);
  });

  it('puts provider defaults before user variables, and lets the user override them', () => {
    const defaults = [
      { name: 'HF_HOME', value: '/cache' },
      { name: 'OMP_NUM_THREADS', value: '1' },
    ];
    expect(containerEnv(spec({ model, env: [{ name: 'HF_HOME', value: '/mine' }] }), defaults)).toEqual([
      { name: 'OMP_NUM_THREADS', value: '1' },
      { name: 'HF_HOME', value: '/mine' },
    ]);
  });
});

describe('labels, annotations and scheduling', () => {
  const deployment = md({
    metadata: { name: 'm' },
    spec: {
      model,
      podTemplate: {
        metadata: { labels: { b: '1', 'app.kubernetes.io/name': 'mine' }, annotations: { z: '1', a: '2' } },
      },
      nodeSelector: { 'b.io/x': '1', 'a.io/y': '2' },
    },
  });
  const labels = objectLabels(deployment, { provider: 'vllm', engine: 'vllm', component: 'model-server' });

  it('labels objects for the ModelDeployment, the provider and the engine', () => {
    expect(labels).toEqual({
      'airunway.ai/engine': 'vllm',
      'airunway.ai/model-deployment': 'm',
      'airunway.ai/provider': 'vllm',
      'app.kubernetes.io/component': 'model-server',
      'app.kubernetes.io/instance': 'm',
      'app.kubernetes.io/managed-by': 'airunway',
      'app.kubernetes.io/name': 'vllm',
    });
  });

  it('merges pod template labels under ours, sorted', () => {
    const pod = podLabels(deployment.spec, labels);
    expect(pod['app.kubernetes.io/name']).toBe('vllm');
    expect(pod.b).toBe('1');
    expect(Object.keys(pod)).toEqual([...Object.keys(pod)].sort());
  });

  it('sorts annotations and node selectors, and omits empty ones', () => {
    expect(Object.keys(podAnnotations(deployment.spec) ?? {})).toEqual(['a', 'z']);
    expect(Object.keys(nodeSelector(deployment.spec) ?? {})).toEqual(['a.io/y', 'b.io/x']);
    expect(podAnnotations(spec({ model }))).toBeUndefined();
    expect(nodeSelector(spec({ model, nodeSelector: {} }))).toBeUndefined();
    expect(tolerations(spec({ model, tolerations: [] }))).toBeUndefined();
  });
});

describe('containerResources', () => {
  it('sets GPUs as limits and requests, memory as both, CPU as request', () => {
    expect(containerResources({ gpuCount: 2, gpuType: 'nvidia.com/gpu', memory: '32Gi', cpu: 8 })).toEqual({
      limits: { memory: '32Gi', 'nvidia.com/gpu': '2' },
      requests: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '2' },
    });
  });

  it('is empty without resources', () => {
    expect(containerResources({ gpuCount: 0, gpuType: 'nvidia.com/gpu' })).toEqual({});
  });
});
