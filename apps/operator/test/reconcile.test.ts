// The operator end to end on a real control plane: a ModelDeployment becomes a Deployment
// and a Service (Direct vLLM), pods are scheduled onto simulated GPU nodes, and status
// follows what really happens.
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningOperator } from '../src/operator.js';
import { eventually, getJson, modelDeployment, startTestOperator } from './helpers.js';

vi.setConfig({ testTimeout: 90_000 });
const cluster = testCluster();
const ns = uniqueNamespace('reconcile');
let operator: RunningOperator;

const qwen = (name: string, extra: Record<string, unknown> = {}) =>
  modelDeployment(name, ns, {
    model: { id: 'Qwen/Qwen3-0.6B' },
    engine: { type: 'vllm' },
    resources: { gpu: { count: 1 } },
    ...extra,
  });

/** Merge-patches the spec of a ModelDeployment, as `kubectl patch --type=merge` does. */
async function patchSpec(name: string, spec: object) {
  await cluster.kubectlOk(['patch', 'md', name, '-n', ns, '--type=merge', '-p', JSON.stringify({ spec })]);
}

async function md(name: string) {
  return getJson(cluster, ['get', 'md', name, '-n', ns]);
}

async function waitForPhase(name: string, phase: string, timeout = 60_000) {
  return eventually(async () => {
    const obj = await md(name);
    expect(obj.status?.phase, JSON.stringify(obj.status)).toBe(phase);
    expect(obj.status.observedGeneration).toBe(obj.metadata.generation);
    return obj;
  }, timeout);
}

beforeAll(async () => {
  await cluster.createNamespace(ns);
  operator = await startTestOperator(cluster);
});

afterAll(async () => {
  await operator.stop();
});

describe('a ModelDeployment with one GPU', () => {
  const name = 'qwen';

  it('reaches Running with a Deployment, a Service and a truthful status', async () => {
    await cluster.apply([qwen(name)]);
    const obj = await waitForPhase(name, 'Running');
    expect(obj.status.provider).toMatchObject({
      name: 'vllm',
      resourceKind: 'Deployment',
      resourceName: name,
    });
    // Dynamo's CRD is installed in the test cluster but its operator is not running.
    expect(obj.status.provider.selectedReason).toMatch(/^default → vllm \(dynamo not ready/);
    expect(obj.status.engine).toEqual({ type: 'vllm', selectedReason: 'explicit engine selection' });
    expect(obj.status.replicas).toEqual({ desired: 1, ready: 1, available: 1 });
    expect(obj.status.endpoint).toEqual({ service: name, port: 8000 });
    const conditions = Object.fromEntries(obj.status.conditions.map((c: any) => [c.type, c.status]));
    expect(conditions).toEqual({
      Validated: 'True',
      EngineSelected: 'True',
      ProviderSelected: 'True',
      ResourcesCreated: 'True',
      Ready: 'True',
    });

    const deployment = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.args).toEqual(expect.arrayContaining(['--model', 'Qwen/Qwen3-0.6B', '--port', '8000']));
    expect(container.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(deployment.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ModelDeployment', name, controller: true, uid: obj.metadata.uid }),
    ]);
    const service = await getJson(cluster, ['get', 'service', name, '-n', ns]);
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 8000, name: 'http' })]);
    expect(service.metadata.ownerReferences[0].uid).toBe(obj.metadata.uid);
  });

  it('scales 1 → 3 → 1 in place', async () => {
    const before = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
    await patchSpec(name, { scaling: { replicas: 3 } });
    await eventually(async () => {
      const o = await waitForPhase(name, 'Running');
      expect(o.status.replicas).toEqual({ desired: 3, ready: 3, available: 3 });
    });
    await patchSpec(name, { scaling: { replicas: 1 } });
    const obj = await eventually(async () => {
      const o = await waitForPhase(name, 'Running');
      expect(o.status.replicas).toEqual({ desired: 1, ready: 1, available: 1 });
      return o;
    });
    const after = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(obj.status.phase).toBe('Running');
  });

  it('rolls out an engine argument change', async () => {
    const before = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
    await patchSpec(name, { engine: { args: { 'max-num-seqs': '64' } } });
    await eventually(async () => {
      const d = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
      expect(d.spec.template.spec.containers[0].args).toEqual(
        expect.arrayContaining(['--max-num-seqs', '64']),
      );
      expect(d.metadata.generation).toBeGreaterThan(before.metadata.generation);
    });
    await waitForPhase(name, 'Running');
    const after = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
    expect(after.metadata.uid).toBe(before.metadata.uid);
  });

  it('puts back a Deployment edited by hand', async () => {
    await cluster.kubectlOk(['scale', 'deployment', name, '-n', ns, '--replicas=2']);
    await eventually(async () => {
      const d = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
      expect(d.spec.replicas).toBe(1);
    });
  });

  it('recreates the provider objects when model.id changes', async () => {
    const before = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
    await patchSpec(name, { model: { id: 'Qwen/Qwen3-1.7B' } });
    await eventually(async () => {
      const d = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
      expect(d.metadata.uid).not.toBe(before.metadata.uid);
      expect(d.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['Qwen/Qwen3-1.7B']));
    });
    await waitForPhase(name, 'Running');
  });

  it('pauses while airunway.ai/reconcile-paused is "true"', async () => {
    await cluster.kubectlOk(['annotate', 'md', name, '-n', ns, 'airunway.ai/reconcile-paused=true']);
    await patchSpec(name, { scaling: { replicas: 2 } });
    // Resume and watch the change arrive: proves the paused reconcile wrote nothing meanwhile.
    const paused = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
    expect(paused.spec.replicas).toBe(1);
    await cluster.kubectlOk(['annotate', 'md', name, '-n', ns, 'airunway.ai/reconcile-paused-']);
    await eventually(async () => {
      const d = await getJson(cluster, ['get', 'deployment', name, '-n', ns]);
      expect(d.spec.replicas).toBe(2);
    });
  });

  it('leaves nothing behind when deleted', async () => {
    await cluster.kubectlOk(['delete', 'md', name, '-n', ns, '--wait=true']);
    await eventually(async () => {
      const left = await cluster.kubectlOk([
        'get',
        'deployments,services,replicasets,pods',
        '-n',
        ns,
        '-l',
        `airunway.ai/model-deployment=${name}`,
        '-o',
        'name',
      ]);
      expect(left.trim()).toBe('');
    });
  });
});

describe('a ModelDeployment that asks for more GPUs than any node has', () => {
  it('stays Pending with the scheduler reason in status', async () => {
    await cluster.apply([qwen('too-big', { resources: { gpu: { count: 16 } } })]);
    const obj = await eventually(async () => {
      const o = await md('too-big');
      expect(o.status?.phase).toBe('Pending');
      expect(o.status.message).toContain('Insufficient nvidia.com/gpu');
      return o;
    });
    const ready = obj.status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(ready.message).toContain('Insufficient nvidia.com/gpu');
  });
});

describe('selection failures', () => {
  it('fails with a message that says what to change when the named provider is not usable', async () => {
    await cluster.apply([qwen('on-kaito', { provider: { name: 'kaito' } })]);
    const obj = await eventually(async () => {
      const o = await md('on-kaito');
      expect(o.status?.phase).toBe('Failed');
      return o;
    });
    const selected = obj.status.conditions.find((c: any) => c.type === 'ProviderSelected');
    expect(selected.status).toBe('False');
    expect(obj.status.message).toMatch(/kaito/);
  });
});
