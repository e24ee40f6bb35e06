// Every cross-field rule of the ModelDeployment API. Each is attached (with `withRules`) to
// the narrowest object that holds all the fields it reads, so the CEL stays cheap and the
// error lands next to the field the user has to change.
//
// Each rule declares the shape it reads as its type parameter. CEL runs after defaulting,
// and so do the predicates (Zod applies the same defaults first), so a field with a default
// is read without a `has()` guard on both sides.
import {
  MAX_MODEL_DEPLOYMENT_NAME_LENGTH,
  REMOTE_CODE_ENGINES,
  type EngineType,
  type ModelSource,
  type ServingMode,
  type TaintEffect,
  type TolerationOperator,
} from './constants.js';
import type { ValidationRule } from './validation-rule.js';

/** DNS-1035 label: what a Service name must be. RE2- and JS-compatible. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** An `engine.args` key: a flag name without its leading dashes. */
export const ENGINE_ARG_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

// ── ModelDeployment (root) ──────────────────────────────────────────────────────────────

export const nameIsServiceName: ValidationRule<{ metadata: { name: string } }> = {
  id: 'name-is-service-name',
  cel:
    `self.metadata.name.size() <= ${MAX_MODEL_DEPLOYMENT_NAME_LENGTH}` +
    ` && self.metadata.name.matches('${DNS1035_LABEL.source}')`,
  message:
    `metadata.name must be at most ${MAX_MODEL_DEPLOYMENT_NAME_LENGTH} characters of lowercase letters, ` +
    'digits and "-", start with a letter and end with a letter or digit (it names the Services of the deployment)',
  fieldPath: ['metadata', 'name'],
  holds: ({ metadata }) =>
    metadata.name.length <= MAX_MODEL_DEPLOYMENT_NAME_LENGTH && DNS1035_LABEL.test(metadata.name),
};

// ── spec.model ──────────────────────────────────────────────────────────────────────────

export const modelIdRequired: ValidationRule<{ id?: string | undefined; source: ModelSource }> = {
  id: 'model-id-required',
  cel: "has(self.id) || self.source != 'huggingface'",
  message: 'model.id is required when model.source is huggingface',
  fieldPath: ['id'],
  reason: 'FieldValueRequired',
  holds: (model) => model.id !== undefined || model.source !== 'huggingface',
};

// ── spec: serving mode against scaling and resources ────────────────────────────────────

interface ServingLayout {
  serving: { mode: ServingMode };
  scaling: { prefill?: object | undefined; decode?: object | undefined };
  resources: { gpu: { count: number } };
}

export const disaggregatedRequiresPrefill: ValidationRule<ServingLayout> = {
  id: 'disaggregated-requires-prefill',
  cel: "self.serving.mode != 'disaggregated' || has(self.scaling.prefill)",
  message: 'disaggregated mode requires scaling.prefill (replicas and GPUs of the prefill workers)',
  fieldPath: ['scaling', 'prefill'],
  reason: 'FieldValueRequired',
  holds: (spec) => spec.serving.mode !== 'disaggregated' || spec.scaling.prefill !== undefined,
};

export const disaggregatedRequiresDecode: ValidationRule<ServingLayout> = {
  id: 'disaggregated-requires-decode',
  cel: "self.serving.mode != 'disaggregated' || has(self.scaling.decode)",
  message: 'disaggregated mode requires scaling.decode (replicas and GPUs of the decode workers)',
  fieldPath: ['scaling', 'decode'],
  reason: 'FieldValueRequired',
  holds: (spec) => spec.serving.mode !== 'disaggregated' || spec.scaling.decode !== undefined,
};

export const prefillDecodeOnlyWhenDisaggregated: ValidationRule<ServingLayout> = {
  id: 'prefill-decode-only-when-disaggregated',
  cel: "self.serving.mode == 'disaggregated' || (!has(self.scaling.prefill) && !has(self.scaling.decode))",
  message:
    'scaling.prefill and scaling.decode are only used in disaggregated mode: set serving.mode to disaggregated, ' +
    'or use scaling.replicas and resources.gpu',
  fieldPath: ['scaling'],
  reason: 'FieldValueForbidden',
  holds: (spec) =>
    spec.serving.mode === 'disaggregated' ||
    (spec.scaling.prefill === undefined && spec.scaling.decode === undefined),
};

// resources.gpu defaults to {count: 0}, so "not set" cannot be told from "set to zero" once
// the apiserver has defaulted the object. Zero GPUs is what the rule needs anyway.
export const noResourcesGpuWhenDisaggregated: ValidationRule<ServingLayout> = {
  id: 'no-resources-gpu-when-disaggregated',
  cel: "self.serving.mode != 'disaggregated' || self.resources.gpu.count == 0",
  message:
    'resources.gpu cannot be used in disaggregated mode: set scaling.prefill.gpu and scaling.decode.gpu instead',
  fieldPath: ['resources', 'gpu', 'count'],
  reason: 'FieldValueForbidden',
  holds: (spec) => spec.serving.mode !== 'disaggregated' || spec.resources.gpu.count === 0,
};

// ── spec: image overrides ───────────────────────────────────────────────────────────────

export const imageMatchesEngineImage: ValidationRule<{
  image?: string | undefined;
  engine: { image?: string | undefined };
}> = {
  id: 'image-matches-engine-image',
  cel: '!has(self.image) || !has(self.engine.image) || self.image == self.engine.image',
  message: 'image and engine.image must be equal when both are set; set only engine.image',
  fieldPath: ['image'],
  holds: (spec) =>
    spec.image === undefined || spec.engine.image === undefined || spec.image === spec.engine.image,
};

// ── spec.scaling ────────────────────────────────────────────────────────────────────────

interface WorkerScaling {
  gpu?: { count: number } | undefined;
}
interface Scaling {
  replicas?: number | undefined;
  prefill?: WorkerScaling | undefined;
  decode?: WorkerScaling | undefined;
}

// This is why scaling.replicas carries no default of its own (the default 1 sits on
// `scaling` instead): a defaulted replicas field would make every disaggregated spec fail.
export const replicasExcludesPrefillDecode: ValidationRule<Scaling> = {
  id: 'replicas-excludes-prefill-decode',
  cel: '!has(self.replicas) || (!has(self.prefill) && !has(self.decode))',
  message:
    'scaling.replicas cannot be combined with scaling.prefill or scaling.decode: ' +
    'in disaggregated mode set scaling.prefill.replicas and scaling.decode.replicas',
  fieldPath: ['replicas'],
  reason: 'FieldValueForbidden',
  holds: (scaling) =>
    scaling.replicas === undefined || (scaling.prefill === undefined && scaling.decode === undefined),
};

export const prefillNeedsGpu: ValidationRule<Scaling> = {
  id: 'prefill-needs-gpu',
  cel: '!has(self.prefill) || (has(self.prefill.gpu) && self.prefill.gpu.count > 0)',
  message: 'scaling.prefill.gpu.count must be at least 1: prefill workers run on GPUs',
  fieldPath: ['prefill', 'gpu', 'count'],
  holds: (scaling) => scaling.prefill === undefined || (scaling.prefill.gpu?.count ?? 0) > 0,
};

export const decodeNeedsGpu: ValidationRule<Scaling> = {
  id: 'decode-needs-gpu',
  cel: '!has(self.decode) || (has(self.decode.gpu) && self.decode.gpu.count > 0)',
  message: 'scaling.decode.gpu.count must be at least 1: decode workers run on GPUs',
  fieldPath: ['decode', 'gpu', 'count'],
  holds: (scaling) => scaling.decode === undefined || (scaling.decode.gpu?.count ?? 0) > 0,
};

// ── spec.engine ─────────────────────────────────────────────────────────────────────────

interface Engine {
  type?: EngineType | undefined;
  trustRemoteCode: boolean;
  args: Record<string, string>;
  extraArgs: string[];
}

// An explicit engine.type is required because with auto-selection the flag could silently
// be dropped (llamacpp) — running a model's own code should be a deliberate choice.
export const trustRemoteCodeNeedsCapableEngine: ValidationRule<Engine> = {
  id: 'trust-remote-code-needs-capable-engine',
  cel:
    '!self.trustRemoteCode || (has(self.type) && self.type in [' +
    REMOTE_CODE_ENGINES.map((engine) => `'${engine}'`).join(', ') +
    '])',
  message: `engine.trustRemoteCode is supported only by the ${REMOTE_CODE_ENGINES.join(' and ')} engines: set engine.type to one of them`,
  fieldPath: ['trustRemoteCode'],
  holds: (engine) =>
    !engine.trustRemoteCode ||
    (engine.type !== undefined && (REMOTE_CODE_ENGINES as readonly string[]).includes(engine.type)),
};

/** Flags the user passes in `extraArgs` as `--flag` or `--flag=value`. */
function extraArgsSetFlag(extraArgs: readonly string[], flag: string): boolean {
  return extraArgs.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
}

export const argsNotRepeatedInExtraArgs: ValidationRule<Engine> = {
  id: 'args-not-repeated-in-extra-args',
  cel: "self.args.all(k, !self.extraArgs.exists(a, a == '--' + k || a.startsWith('--' + k + '=')))",
  message: 'a flag set in engine.args must not be repeated in engine.extraArgs; set it in one place',
  fieldPath: ['extraArgs'],
  holds: (engine) => Object.keys(engine.args).every((flag) => !extraArgsSetFlag(engine.extraArgs, flag)),
};

// ── spec.engine.args (the map itself) ───────────────────────────────────────────────────

export const engineArgNames: ValidationRule<Record<string, string>> = {
  id: 'engine-arg-names',
  cel: `self.all(k, k.matches('${ENGINE_ARG_NAME.source}'))`,
  message:
    'engine.args keys must be flag names without leading dashes, made of letters, digits, "-" and "_" ' +
    '(e.g. max-num-seqs)',
  holds: (args) => Object.keys(args).every((key) => ENGINE_ARG_NAME.test(key)),
};

// ── spec.env[] ──────────────────────────────────────────────────────────────────────────

export const envValueOrValueFrom: ValidationRule<{
  value?: string | undefined;
  valueFrom?: object | undefined;
}> = {
  id: 'env-value-or-value-from',
  cel: "!has(self.valueFrom) || !has(self.value) || self.value == ''",
  message: 'env[].value and env[].valueFrom are mutually exclusive',
  fieldPath: ['valueFrom'],
  reason: 'FieldValueForbidden',
  holds: (env) => env.valueFrom === undefined || env.value === undefined || env.value === '',
};

export const envValueFromOneSource: ValidationRule<{
  secretKeyRef?: object | undefined;
  configMapKeyRef?: object | undefined;
  fieldRef?: object | undefined;
  resourceFieldRef?: object | undefined;
}> = {
  id: 'env-value-from-one-source',
  cel:
    '[has(self.secretKeyRef), has(self.configMapKeyRef), has(self.fieldRef), has(self.resourceFieldRef)]' +
    '.exists_one(set, set)',
  message:
    'env[].valueFrom must set exactly one of secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef',
  holds: (source) =>
    [source.secretKeyRef, source.configMapKeyRef, source.fieldRef, source.resourceFieldRef].filter(
      (ref) => ref !== undefined,
    ).length === 1,
};

// ── spec.tolerations[] (the checks Kubernetes applies to pod tolerations) ───────────────

interface Toleration {
  key?: string | undefined;
  operator?: TolerationOperator | undefined;
  value?: string | undefined;
  effect?: TaintEffect | undefined;
  tolerationSeconds?: number | undefined;
}

export const tolerationExistsHasNoValue: ValidationRule<Toleration> = {
  id: 'toleration-exists-has-no-value',
  cel: "!has(self.operator) || self.operator != 'Exists' || !has(self.value) || self.value == ''",
  message: 'tolerations[].value must be empty when operator is Exists',
  fieldPath: ['value'],
  reason: 'FieldValueForbidden',
  holds: (toleration) =>
    toleration.operator !== 'Exists' || toleration.value === undefined || toleration.value === '',
};

export const tolerationWithoutKeyIsExists: ValidationRule<Toleration> = {
  id: 'toleration-without-key-is-exists',
  cel: "(has(self.key) && self.key != '') || (has(self.operator) && self.operator == 'Exists')",
  message: 'tolerations[].operator must be Exists when key is empty (it then tolerates every taint)',
  fieldPath: ['operator'],
  holds: (toleration) =>
    (toleration.key !== undefined && toleration.key !== '') || toleration.operator === 'Exists',
};

export const tolerationSecondsNeedsNoExecute: ValidationRule<Toleration> = {
  id: 'toleration-seconds-needs-no-execute',
  cel: "!has(self.tolerationSeconds) || (has(self.effect) && self.effect == 'NoExecute')",
  message: 'tolerations[].tolerationSeconds is only allowed with effect NoExecute',
  fieldPath: ['tolerationSeconds'],
  reason: 'FieldValueForbidden',
  holds: (toleration) => toleration.tolerationSeconds === undefined || toleration.effect === 'NoExecute',
};

/** Every rule above, for documentation and tests. */
export const VALIDATION_RULES = [
  nameIsServiceName,
  modelIdRequired,
  disaggregatedRequiresPrefill,
  disaggregatedRequiresDecode,
  prefillDecodeOnlyWhenDisaggregated,
  noResourcesGpuWhenDisaggregated,
  imageMatchesEngineImage,
  replicasExcludesPrefillDecode,
  prefillNeedsGpu,
  decodeNeedsGpu,
  trustRemoteCodeNeedsCapableEngine,
  argsNotRepeatedInExtraArgs,
  engineArgNames,
  envValueOrValueFrom,
  envValueFromOneSource,
  tolerationExistsHasNoValue,
  tolerationWithoutKeyIsExists,
  tolerationSecondsNeedsNoExecute,
] as const;
