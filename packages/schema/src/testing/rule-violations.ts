// One ModelDeployment per validation rule that breaks that rule and nothing else, with the
// error path both validators must report. Used by the Zod tests here, and usable by any suite
// that sends the same objects to a real apiserver.
import type { ValidationRule } from '../validation-rule.js';
import * as rules from '../validation-rules.js';

export interface RuleViolation {
  readonly rule: ValidationRule<never>;
  /** Where the rule is attached in the CRD schema: dotted path, `[]` for list items. */
  readonly scope: string;
  /** The offending manifest (input form: defaults omitted). */
  readonly manifest: Record<string, unknown>;
  /** Path of the error, as the apiserver and `formatIssues` print it. */
  readonly path: string;
}

const validSpec = {
  model: { id: 'Qwen/Qwen3-0.6B' },
  engine: { type: 'vllm' },
  resources: { gpu: { count: 1 } },
};

const disaggregatedSpec = {
  model: { id: 'meta-llama/Llama-3.1-70B-Instruct' },
  engine: { type: 'vllm' },
  serving: { mode: 'disaggregated' },
  scaling: { prefill: { gpu: { count: 4 } }, decode: { gpu: { count: 2 } } },
};

/** A complete manifest named `name` with `spec`. */
export function manifest(spec: Record<string, unknown>, name = 'rule-check'): Record<string, unknown> {
  return { apiVersion: 'airunway.ai/v1alpha1', kind: 'ModelDeployment', metadata: { name }, spec };
}

/** The valid starting points of the cases below, for tests that need a passing object. */
export const VALID_SPECS = { aggregated: validSpec, disaggregated: disaggregatedSpec } as const;

export const RULE_VIOLATIONS: readonly RuleViolation[] = [
  {
    rule: rules.nameIsServiceName,
    scope: '',
    manifest: manifest(validSpec, 'llama.8b'),
    path: 'metadata.name',
  },
  {
    rule: rules.nameIsServiceName,
    scope: '',
    manifest: manifest(validSpec, `a${'b'.repeat(48)}`),
    path: 'metadata.name',
  },
  {
    rule: rules.modelIdRequired,
    scope: 'spec.model',
    manifest: manifest({ ...validSpec, model: { source: 'huggingface' } }),
    path: 'spec.model.id',
  },
  {
    rule: rules.disaggregatedRequiresPrefill,
    scope: 'spec',
    manifest: manifest({ ...disaggregatedSpec, scaling: { decode: { gpu: { count: 2 } } } }),
    path: 'spec.scaling.prefill',
  },
  {
    rule: rules.disaggregatedRequiresDecode,
    scope: 'spec',
    manifest: manifest({ ...disaggregatedSpec, scaling: { prefill: { gpu: { count: 4 } } } }),
    path: 'spec.scaling.decode',
  },
  {
    rule: rules.prefillDecodeOnlyWhenDisaggregated,
    scope: 'spec',
    manifest: manifest({ ...disaggregatedSpec, serving: { mode: 'aggregated' } }),
    path: 'spec.scaling',
  },
  {
    rule: rules.noResourcesGpuWhenDisaggregated,
    scope: 'spec',
    manifest: manifest({ ...disaggregatedSpec, resources: { gpu: { count: 1 } } }),
    path: 'spec.resources.gpu.count',
  },
  {
    rule: rules.imageMatchesEngineImage,
    scope: 'spec',
    manifest: manifest({
      ...validSpec,
      image: 'vllm/vllm-openai:v0.11.0',
      engine: { type: 'vllm', image: 'vllm/vllm-openai:v0.12.0' },
    }),
    path: 'spec.image',
  },
  {
    rule: rules.replicasExcludesPrefillDecode,
    scope: 'spec.scaling',
    manifest: manifest({ ...disaggregatedSpec, scaling: { ...disaggregatedSpec.scaling, replicas: 2 } }),
    path: 'spec.scaling.replicas',
  },
  {
    rule: rules.prefillNeedsGpu,
    scope: 'spec.scaling',
    manifest: manifest({
      ...disaggregatedSpec,
      scaling: { ...disaggregatedSpec.scaling, prefill: { replicas: 2 } },
    }),
    path: 'spec.scaling.prefill.gpu.count',
  },
  {
    rule: rules.decodeNeedsGpu,
    scope: 'spec.scaling',
    manifest: manifest({
      ...disaggregatedSpec,
      scaling: { ...disaggregatedSpec.scaling, decode: { gpu: { count: 0 } } },
    }),
    path: 'spec.scaling.decode.gpu.count',
  },
  {
    rule: rules.trustRemoteCodeNeedsCapableEngine,
    scope: 'spec.engine',
    manifest: manifest({ ...validSpec, engine: { type: 'llamacpp', trustRemoteCode: true } }),
    path: 'spec.engine.trustRemoteCode',
  },
  {
    rule: rules.trustRemoteCodeNeedsCapableEngine,
    scope: 'spec.engine',
    manifest: manifest({ ...validSpec, engine: { trustRemoteCode: true } }),
    path: 'spec.engine.trustRemoteCode',
  },
  {
    rule: rules.argsNotRepeatedInExtraArgs,
    scope: 'spec.engine',
    manifest: manifest({
      ...validSpec,
      engine: { type: 'vllm', args: { 'max-num-seqs': '64' }, extraArgs: ['--max-num-seqs=128'] },
    }),
    path: 'spec.engine.extraArgs',
  },
  {
    rule: rules.argsNotRepeatedInExtraArgs,
    scope: 'spec.engine',
    manifest: manifest({
      ...validSpec,
      engine: {
        type: 'vllm',
        args: { 'enable-chunked-prefill': '' },
        extraArgs: ['--enable-chunked-prefill'],
      },
    }),
    path: 'spec.engine.extraArgs',
  },
  {
    rule: rules.engineArgNames,
    scope: 'spec.engine.args',
    manifest: manifest({ ...validSpec, engine: { type: 'vllm', args: { '--max-num-seqs': '64' } } }),
    path: 'spec.engine.args',
  },
  {
    rule: rules.envValueOrValueFrom,
    scope: 'spec.env[]',
    manifest: manifest({
      ...validSpec,
      env: [
        { name: 'HF_TOKEN', value: 'x', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } },
      ],
    }),
    path: 'spec.env[0].valueFrom',
  },
  {
    rule: rules.envValueFromOneSource,
    scope: 'spec.env[].valueFrom',
    manifest: manifest({
      ...validSpec,
      env: [
        { name: 'A', value: '1' },
        {
          name: 'B',
          valueFrom: {
            secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' },
            configMapKeyRef: { name: 'settings', key: 'b' },
          },
        },
      ],
    }),
    path: 'spec.env[1].valueFrom',
  },
  {
    rule: rules.tolerationExistsHasNoValue,
    scope: 'spec.tolerations[]',
    manifest: manifest({ ...validSpec, tolerations: [{ key: 'gpu', operator: 'Exists', value: 'true' }] }),
    path: 'spec.tolerations[0].value',
  },
  {
    rule: rules.tolerationWithoutKeyIsExists,
    scope: 'spec.tolerations[]',
    manifest: manifest({ ...validSpec, tolerations: [{ operator: 'Equal', value: 'true' }] }),
    path: 'spec.tolerations[0].operator',
  },
  {
    rule: rules.tolerationSecondsNeedsNoExecute,
    scope: 'spec.tolerations[]',
    manifest: manifest({
      ...validSpec,
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }],
    }),
    path: 'spec.tolerations[0].tolerationSeconds',
  },
];
