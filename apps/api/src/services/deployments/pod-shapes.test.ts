import { PROVIDER_IMPLEMENTATIONS } from '@airunway/providers';
import { parseModelDeployment } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { podShapes } from './pod-shapes.js';

function md(spec: object) {
  const parsed = parseModelDeployment({
    apiVersion: 'airunway.ai/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name: 'q', namespace: 'ns' },
    spec,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

function render(
  provider: 'vllm' | 'dynamo' | 'kuberay' | 'kaito',
  m: ReturnType<typeof md>,
  engine = 'vllm' as const,
) {
  const result = PROVIDER_IMPLEMENTATIONS[provider].render(m, { engine });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.objects;
}

describe('podShapes', () => {
  const aggregated = md({
    model: { id: 'Qwen/Qwen3-0.6B' },
    resources: { gpu: { count: 2 }, memory: '32Gi' },
    scaling: { replicas: 3 },
  });

  it('Direct vLLM: the Deployment template, its replicas', () => {
    const [shape] = podShapes(aggregated, render('vllm', aggregated));
    expect(shape).toMatchObject({ role: 'Deployment q', replicas: 3 });
    expect(shape?.requests['nvidia.com/gpu']).toBe(2);
    expect(shape?.requests.memory).toBe(32 * 2 ** 30);
  });

  it('Dynamo: each component with its own replicas', () => {
    const shapes = podShapes(aggregated, render('dynamo', aggregated));
    expect(shapes.map((s) => [s.role, s.replicas, s.requests['nvidia.com/gpu'] ?? 0])).toEqual([
      ['DynamoGraphDeployment q: Frontend', 1, 0],
      ['DynamoGraphDeployment q: VllmWorker', 3, 2],
    ]);
  });

  it('KubeRay: head and worker groups', () => {
    const shapes = podShapes(aggregated, render('kuberay', aggregated));
    expect(shapes.find((s) => (s.requests['nvidia.com/gpu'] ?? 0) > 0)).toMatchObject({ replicas: 3 });
    expect(shapes.length).toBeGreaterThanOrEqual(2);
  });

  it('without pod templates, the spec says what the pods need', () => {
    const single = md({
      model: { id: 'microsoft/phi-4' },
      resources: { gpu: { count: 1 } },
      provider: { name: 'kaito' },
    });
    expect(podShapes(single, [])).toEqual([
      { role: 'q: model server', replicas: 1, requests: { 'nvidia.com/gpu': 1 } },
    ]);
  });
});
