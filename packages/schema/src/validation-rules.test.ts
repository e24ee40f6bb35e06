import { describe, expect, it } from 'vitest';
import { buildModelDeploymentCrd } from './generate/crd.js';
import type { StructuralSchema } from './generate/structural-schema.js';
import { parseModelDeployment } from './model-deployment.js';
import { manifest, RULE_VIOLATIONS, VALID_SPECS } from './testing/rule-violations.js';
import { celFieldPath, toCrdValidationRule, type CrdValidationRule } from './validation-rule.js';
import {
  argsNotRepeatedInExtraArgs,
  engineArgNames,
  envValueFromOneSource,
  nameIsServiceName,
  VALIDATION_RULES,
} from './validation-rules.js';

const openApiSchema = buildModelDeploymentCrd().spec.versions[0]?.schema.openAPIV3Schema;

/** Every x-kubernetes-validations entry of the CRD with the dotted path of its node (`[]` = items). */
function crdValidations(): { scope: string; validation: CrdValidationRule }[] {
  const found: { scope: string; validation: CrdValidationRule }[] = [];
  const visit = (node: StructuralSchema, scope: string) => {
    for (const validation of node['x-kubernetes-validations'] ?? []) {
      found.push({ scope, validation: validation as CrdValidationRule });
    }
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      visit(property, scope ? `${scope}.${name}` : name);
    }
    if (node.items) visit(node.items, `${scope}[]`);
    if (node.additionalProperties) visit(node.additionalProperties, `${scope}[*]`);
  };
  if (!openApiSchema) throw new Error('CRD has no schema');
  visit(openApiSchema, '');
  return found;
}

describe('validation rules', () => {
  it('have unique ids and messages', () => {
    expect(new Set(VALIDATION_RULES.map((rule) => rule.id)).size).toBe(VALIDATION_RULES.length);
    expect(new Set(VALIDATION_RULES.map((rule) => rule.message)).size).toBe(VALIDATION_RULES.length);
  });

  it('each have at least one violating example', () => {
    const covered = new Set(RULE_VIOLATIONS.map((violation) => violation.rule));
    expect(VALIDATION_RULES.filter((rule) => !covered.has(rule)).map((rule) => rule.id)).toEqual([]);
  });

  it.each(RULE_VIOLATIONS.map((violation) => [violation.rule.id, violation] as const))(
    '%s: Zod reports the rule message at the rule field path, and nothing else',
    (_id, violation) => {
      const result = parseModelDeployment(violation.manifest);
      expect(result).toEqual({
        success: false,
        errors: [{ path: violation.path, message: violation.rule.message }],
      });
    },
  );

  it('the error path is the place the rule is attached plus its fieldPath', () => {
    for (const violation of RULE_VIOLATIONS) {
      const attachedAt = violation.path.replace(/\[\d+\]/g, '[]');
      const expected = `${violation.scope}${celFieldPath(violation.rule.fieldPath ?? [])}`.replace(/^\./, '');
      expect(attachedAt, violation.rule.id).toBe(expected);
    }
  });

  it('accept the valid starting points of the violations', () => {
    expect(parseModelDeployment(manifest(VALID_SPECS.aggregated)).success).toBe(true);
    expect(parseModelDeployment(manifest(VALID_SPECS.disaggregated)).success).toBe(true);
  });
});

describe('validation rules in the CRD', () => {
  const validations = crdValidations();

  it.each(RULE_VIOLATIONS.map((violation) => [violation.rule.id, violation] as const))(
    '%s appears, with its CEL, message and fieldPath, exactly once and where it is expected',
    (_id, violation) => {
      const expected = toCrdValidationRule(violation.rule);
      const matches = validations.filter(({ validation }) => validation.rule === expected.rule);
      expect(matches).toEqual([{ scope: violation.scope, validation: expected }]);
    },
  );

  it('contain no CEL rule that Zod does not also check', () => {
    const known = new Set(VALIDATION_RULES.map((rule) => rule.cel));
    expect(validations.map(({ validation }) => validation.rule).filter((rule) => !known.has(rule))).toEqual(
      [],
    );
  });
});

describe('rule predicates', () => {
  it('name: accepts DNS-1035 labels up to 48 characters', () => {
    const holds = (name: string) => nameIsServiceName.holds({ metadata: { name } });
    expect(['qwen-demo', 'a', 'llama-3-70b', `a${'b'.repeat(47)}`].every(holds)).toBe(true);
    expect(['7b-model', 'qwen-', 'Qwen', 'llama.8b', 'a_b', `a${'b'.repeat(48)}`].some(holds)).toBe(false);
  });

  it('args vs extraArgs: only the same flag counts, with or without a value', () => {
    const holds = (args: Record<string, string>, extraArgs: string[]) =>
      argsNotRepeatedInExtraArgs.holds({ trustRemoteCode: false, args, extraArgs });
    expect(holds({ 'max-num-seqs': '64' }, ['--max-num-seqs-per-batch=1', '--enforce-eager'])).toBe(true);
    expect(holds({ 'max-num-seqs': '64' }, ['--max-num-seqs', '128'])).toBe(false);
    expect(holds({ quantization: 'awq' }, ['--quantization=fp8'])).toBe(false);
    // A bare value that happens to spell the flag name is not a flag.
    expect(holds({ quantization: 'awq' }, ['quantization'])).toBe(true);
  });

  it('args keys: flag names without dashes', () => {
    expect(
      engineArgNames.holds({
        'gpu-memory-utilization': '0.9',
        max_num_seqs: '1',
        'tensor-parallel-size': '2',
      }),
    ).toBe(true);
    expect(engineArgNames.holds({ '-q': 'awq' })).toBe(false);
    expect(engineArgNames.holds({ 'max num seqs': '1' })).toBe(false);
  });

  it('env valueFrom: exactly one source', () => {
    expect(envValueFromOneSource.holds({ fieldRef: {} })).toBe(true);
    expect(envValueFromOneSource.holds({})).toBe(false);
    expect(envValueFromOneSource.holds({ fieldRef: {}, resourceFieldRef: {} })).toBe(false);
  });
});
