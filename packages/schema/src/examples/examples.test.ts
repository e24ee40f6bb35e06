// The example manifests of the API reference, kept as apply-able YAML: each must parse, must
// satisfy the generated CRD schema, and must be defaulted identically by Zod and by the CRD.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildModelDeploymentCrd } from '../generate/crd.js';
import { applyStructuralDefaults, type JsonValue } from '../generate/structural-schema.js';
import { parseModelDeployment } from '../model-deployment.js';
import { validateAgainstSchema } from '../testing/structural-validator.js';

const examplesDir = fileURLToPath(new URL('.', import.meta.url));
const exampleFiles = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.yaml'))
  .sort();

function loadExample(file: string): JsonValue {
  return parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as JsonValue;
}

const crdSchema = buildModelDeploymentCrd().spec.versions[0]?.schema.openAPIV3Schema;

describe('API reference examples', () => {
  it('covers the four examples of the API reference', () => {
    expect(exampleFiles).toEqual(['gemma-cpu.yaml', 'llama-70b-pd.yaml', 'llama-8b.yaml', 'qwen-demo.yaml']);
  });

  it.each(exampleFiles)('%s parses, named after its file', (file) => {
    const result = parseModelDeployment(loadExample(file));
    expect(result).toMatchObject({ success: true, data: { metadata: { name: file.replace('.yaml', '') } } });
  });

  // The spec subtree: root metadata is checked by the apiserver's ObjectMeta rules, not the schema.
  it.each(exampleFiles)(
    '%s has a spec valid against the generated CRD, before and after defaulting',
    (file) => {
      const specSchema = crdSchema?.properties?.spec;
      if (!specSchema) throw new Error('CRD has no spec schema');
      const { spec } = loadExample(file) as { spec: JsonValue };
      expect(validateAgainstSchema(specSchema, spec, 'spec')).toEqual([]);
      expect(validateAgainstSchema(specSchema, applyStructuralDefaults(specSchema, spec), 'spec')).toEqual(
        [],
      );
    },
  );

  it.each(exampleFiles)('%s gets the same defaults from the CRD as from Zod', (file) => {
    if (!crdSchema) throw new Error('CRD has no schema');
    const example = loadExample(file);
    const result = parseModelDeployment(example);
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    expect(applyStructuralDefaults(crdSchema, example)).toEqual(result.data);
  });

  it('keeps the disaggregated example free of aggregated-only fields after defaulting', () => {
    const result = parseModelDeployment(loadExample('llama-70b-pd.yaml'));
    if (!result.success) throw new Error(JSON.stringify(result.errors));
    const { scaling, resources, provider } = result.data.spec;
    expect(scaling).toEqual({
      prefill: { replicas: 2, gpu: { count: 4, type: 'nvidia.com/gpu' }, memory: '128Gi' },
      decode: { replicas: 4, gpu: { count: 2, type: 'nvidia.com/gpu' }, memory: '64Gi' },
    });
    expect(resources.gpu.count).toBe(0);
    expect(provider?.overrides).toEqual({ routerMode: 'kv', frontend: { replicas: 2 } });
  });
});
