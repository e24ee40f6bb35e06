import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateDeploymentRequestSchema, parseModelDeployment } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  defaultDeployForm,
  formFieldOf,
  formToRequest,
  modelDeploymentToRequest,
  parseEngineArgs,
  requestToForm,
  servedNameOf,
  suggestName,
} from './deploy-form';

function example(name: string) {
  const path = fileURLToPath(new URL(`../../../../packages/schema/src/examples/${name}`, import.meta.url));
  const parsed = parseModelDeployment(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

describe('deploy form', () => {
  it('suggests a valid name from a model id', () => {
    expect(suggestName('Qwen/Qwen3-0.6B')).toBe('qwen3-0-6b');
    expect(suggestName('meta-llama/Llama-3.1-8B-Instruct')).toBe('llama-3-1-8b-instruct');
    expect(suggestName('org/7b')).toBe('b');
  });

  it('sends only what differs from the defaults', () => {
    const request = formToRequest(defaultDeployForm('Qwen/Qwen3-0.6B', 'team-a'));
    expect(request).toEqual({
      name: 'qwen3-0-6b',
      namespace: 'team-a',
      modelId: 'Qwen/Qwen3-0.6B',
      replicas: 1,
      resources: { gpu: 1 },
    });
    expect(CreateDeploymentRequestSchema.safeParse(request).success).toBe(true);
  });

  it('builds disaggregated and CPU requests the shared schema accepts', () => {
    const base = defaultDeployForm('meta-llama/Llama-3.1-70B-Instruct', 'default');
    const pd = formToRequest({
      ...base,
      mode: 'disaggregated',
      prefill: { replicas: 2, gpus: 4 },
      decode: { replicas: 4, gpus: 2 },
      routerMode: 'kv',
      engineArgs: '--gpu-memory-utilization 0.85\nenable-chunked-prefill',
    });
    expect(pd).toMatchObject({
      mode: 'disaggregated',
      prefill: { replicas: 2, gpu: 4 },
      decode: { replicas: 4, gpu: 2 },
      routerMode: 'kv',
      engineArgs: { 'gpu-memory-utilization': '0.85', 'enable-chunked-prefill': '' },
    });
    expect(pd).not.toHaveProperty('replicas');
    expect(CreateDeploymentRequestSchema.safeParse(pd).success).toBe(true);
    const cpu = formToRequest({ ...base, gpus: 0 });
    expect(cpu).toMatchObject({ computeType: 'cpu', resources: { gpu: 0 } });
  });

  it('reports lines of engine args that are not flags', () => {
    expect(parseEngineArgs('max-num-seqs=64\n\n# comment\n=oops')).toEqual({
      args: { 'max-num-seqs': '64' },
      badLines: [4],
    });
  });

  it('lets an invalid context length reach the schema, which names the field', () => {
    const request = formToRequest({ ...defaultDeployForm('Qwen/Qwen3-0.6B', 'a'), contextLength: 'lots' });
    const result = CreateDeploymentRequestSchema.safeParse(request);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['contextLength']);
  });

  it('turns an edited ModelDeployment back into the request, keeping what the form cannot show', () => {
    const result = modelDeploymentToRequest(example('llama-70b-pd.yaml'));
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.request).toEqual({
      name: 'llama-70b-pd',
      modelId: 'meta-llama/Llama-3.1-70B-Instruct',
      provider: 'dynamo',
      routerMode: 'kv',
      providerOverrides: { frontend: { replicas: 2 } },
      engine: 'vllm',
      mode: 'disaggregated',
      prefill: { replicas: 2, gpu: 4, memory: '128Gi' },
      decode: { replicas: 4, gpu: 2, memory: '64Gi' },
      hfTokenSecret: 'hf-token',
    });
    expect(CreateDeploymentRequestSchema.safeParse(result.request).success).toBe(true);
    const form = requestToForm(result.request, defaultDeployForm('x/y', 'default'));
    expect(form.extra).toEqual({ providerOverrides: { frontend: { replicas: 2 } } });
    expect(formToRequest(form)).toMatchObject({
      providerOverrides: { frontend: { replicas: 2 } },
      routerMode: 'kv',
    });
  });

  it('leaves Gateway routing to the operator unless the form turns it on or off', () => {
    const base = defaultDeployForm('Qwen/Qwen3-0.6B', 'team-a');
    expect(base.gateway).toBe('auto');
    expect(formToRequest({ ...base, gatewayModelName: ' chat ' })).toMatchObject({
      gatewayModelName: 'chat',
    });
    expect(formToRequest(base)).not.toHaveProperty('gatewayEnabled');
    const on = formToRequest({ ...base, gateway: 'on', gatewayModelName: 'chat' });
    expect(on).toMatchObject({ gatewayEnabled: true, gatewayModelName: 'chat' });
    expect(CreateDeploymentRequestSchema.safeParse(on).success).toBe(true);
    // The model name field is hidden while routing is off, so its value is not sent.
    const off = formToRequest({ ...base, gateway: 'off', gatewayModelName: 'chat' });
    expect(off.gatewayEnabled).toBe(false);
    expect(off).not.toHaveProperty('gatewayModelName');
    expect(formFieldOf('gatewayModelName')).toBe('gatewayModelName');
    expect(formFieldOf('gatewayEnabled')).toBe('gateway');
  });

  it('suggests the served name as the name at the Gateway', () => {
    expect(servedNameOf(defaultDeployForm('Qwen/Qwen3-0.6B', 'a'))).toBe('Qwen3-0.6B');
    expect(servedNameOf({ modelId: 'Qwen/Qwen3-0.6B', servedModelName: ' qwen ' })).toBe('qwen');
  });

  it('carries spec.gateway from an edited YAML into the form and back', () => {
    const demo = example('qwen-demo.yaml');
    const withGateway = (gateway: object) =>
      modelDeploymentToRequest({ ...demo, spec: { ...demo.spec, gateway } });
    const base = defaultDeployForm('x/y', 'default');

    const routed = withGateway({ enabled: true, modelName: 'chat' });
    if (!routed.ok) throw new Error(routed.errors.join());
    const routedForm = requestToForm(routed.request, base);
    expect(routedForm).toMatchObject({ gateway: 'on', gatewayModelName: 'chat', extra: {} });
    expect(formToRequest(routedForm)).toMatchObject({ gatewayEnabled: true, gatewayModelName: 'chat' });

    const off = withGateway({ enabled: false });
    if (!off.ok) throw new Error(off.errors.join());
    const offForm = requestToForm(off.request, base);
    expect(offForm.gateway).toBe('off');
    expect(formToRequest(offForm).gatewayEnabled).toBe(false);

    // A name with routing off would not be sent: the screen is told it is not kept.
    const offNamed = withGateway({ enabled: false, modelName: 'chat' });
    if (!offNamed.ok) throw new Error(offNamed.errors.join());
    expect(offNamed.ignored).toEqual(['spec.gateway.modelName (not used while routing is off)']);
    expect(offNamed.request).not.toHaveProperty('gatewayModelName');

    // No spec.gateway: back to Automatic, even from a form that had chosen On.
    const auto = modelDeploymentToRequest(demo);
    if (!auto.ok) throw new Error(auto.errors.join());
    const autoForm = requestToForm(auto.request, routedForm);
    expect(autoForm).toMatchObject({ gateway: 'auto', gatewayModelName: '' });
    expect(formToRequest(autoForm)).not.toHaveProperty('gatewayEnabled');
  });

  it('round-trips every documented example through the form', () => {
    for (const file of ['qwen-demo.yaml', 'llama-8b.yaml', 'gemma-cpu.yaml', 'llama-70b-pd.yaml']) {
      const result = modelDeploymentToRequest(example(file));
      if (!result.ok) throw new Error(`${file}: ${result.errors.join()}`);
      const again = formToRequest(requestToForm(result.request, defaultDeployForm('x/y', '')));
      expect(CreateDeploymentRequestSchema.safeParse(again).success, file).toBe(true);
      expect(again.modelId, file).toBe(result.request.modelId);
      expect(again.engine, file).toBe(result.request.engine);
    }
  });
});
