// Kubernetes shapes the ModelDeployment API reuses: quantities, label maps, EnvVar,
// Toleration, Condition and object metadata. They follow the core/v1 and meta/v1 types,
// with length and size bounds added so CEL cost estimates stay small.
//
// Regular expressions here are used by Zod (JavaScript) and, through `pattern`, by the
// apiserver (Go RE2): they are anchored and use no lookaround or backreference.
import { z } from 'zod';
import {
  CONDITION_STATUSES,
  TAINT_EFFECTS,
  TOLERATION_OPERATORS,
  MAX_MODEL_DEPLOYMENT_NAME_LENGTH,
} from './constants.js';
import { boundedRecord, intOrString, listMap } from './kubernetes-extensions.js';
import {
  envValueFromOneSource,
  envValueOrValueFrom,
  tolerationExistsHasNoValue,
  tolerationSecondsNeedsNoExecute,
  tolerationWithoutKeyIsExists,
} from './validation-rules.js';
import { withRules } from './validation-rule.js';

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** An extended resource name such as `nvidia.com/gpu`: a DNS subdomain, "/", a name. */
export const EXTENDED_RESOURCE_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** The Kubernetes quantity grammar without a sign: requests are never negative. */
export const QUANTITY =
  /^\+?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
export const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
export const CONDITION_TYPE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
export const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** A resource quantity: `16Gi`, `512Mi`, `500m`, `8`. */
export const QuantitySchema = intOrString(QUANTITY, {
  maxLength: 64,
  message: 'must be a Kubernetes quantity such as 16Gi, 512Mi, 500m or 8',
});

/** Name of an object (Secret, ConfigMap) in the same namespace. */
export const ObjectNameSchema = z
  .string()
  .max(253)
  .regex(DNS1123_SUBDOMAIN, 'must be a Kubernetes object name: lowercase letters, digits, "-" and "."');

export const LabelValueSchema = z
  .string()
  .max(63)
  .regex(
    LABEL_VALUE,
    'must be a label value: letters, digits, "-", "_" and ".", starting and ending alphanumeric',
  );

export const LabelsSchema = boundedRecord(LabelValueSchema, 64);
export const AnnotationsSchema = boundedRecord(z.string().max(65536), 64);

// ── EnvVar ──────────────────────────────────────────────────────────────────────────────

function keySelector(kind: 'Secret' | 'ConfigMap') {
  return z.strictObject({
    name: ObjectNameSchema.describe(`Name of the ${kind}, in the namespace of the ModelDeployment.`),
    key: z
      .string()
      .min(1)
      .max(253)
      .regex(CONFIG_KEY, 'must be a key name: letters, digits, "-", "_" and "."')
      .describe(`Key within the ${kind} whose value is used.`),
    optional: z
      .boolean()
      .optional()
      .describe(`If true, the variable is left unset when the ${kind} or the key does not exist.`),
  });
}

export const EnvVarSourceSchema = withRules(
  z.strictObject({
    secretKeyRef: keySelector('Secret').optional().describe('Takes the value from a key of a Secret.'),
    configMapKeyRef: keySelector('ConfigMap')
      .optional()
      .describe('Takes the value from a key of a ConfigMap.'),
    fieldRef: z
      .strictObject({
        apiVersion: z
          .string()
          .max(64)
          .optional()
          .describe('API version the fieldPath is written in; defaults to "v1".'),
        fieldPath: z
          .string()
          .min(1)
          .max(256)
          .describe('Field of the pod to read, e.g. metadata.name, metadata.namespace or status.podIP.'),
      })
      .optional()
      .describe('Takes the value from a field of the pod, e.g. its name or IP.'),
    resourceFieldRef: z
      .strictObject({
        containerName: z
          .string()
          .max(63)
          .optional()
          .describe('Container whose resource is read; defaults to the model server container.'),
        resource: z
          .string()
          .min(1)
          .max(253)
          .describe(
            'Resource to read: limits or requests of cpu, memory or ephemeral-storage, e.g. limits.cpu or requests.memory.',
          ),
        divisor: QuantitySchema.optional().describe(
          'Unit the value is expressed in, e.g. 1Mi; defaults to 1.',
        ),
      })
      .optional()
      .describe("Takes the value from the container's resource requests or limits."),
  }),
  [envValueFromOneSource],
);

export const EnvVarSchema = withRules(
  z.strictObject({
    name: z
      .string()
      .min(1)
      .max(256)
      .regex(ENV_VAR_NAME, 'must be an environment variable name: letters, digits, "_", "-" and "."')
      .describe('Name of the environment variable, e.g. HF_HUB_OFFLINE.'),
    value: z
      .string()
      .max(32768)
      .optional()
      .describe('Literal value. $(VAR) references to variables defined earlier in the list are expanded.'),
    valueFrom: EnvVarSourceSchema.optional().describe(
      'Takes the value from a Secret, a ConfigMap or the pod instead of a literal. Cannot be used with value.',
    ),
  }),
  [envValueOrValueFrom],
);

/** A container environment as Kubernetes defines it: names are unique. */
export const EnvVarListSchema = listMap(EnvVarSchema.array().max(128), ['name']);

// ── Toleration ──────────────────────────────────────────────────────────────────────────

export const TolerationSchema = withRules(
  z.strictObject({
    key: z
      .string()
      .max(316)
      .optional()
      .describe(
        'Taint key the toleration applies to. Empty matches every key; operator must then be Exists.',
      ),
    operator: z
      .enum(TOLERATION_OPERATORS)
      .optional()
      .describe(
        'How the taint value is compared: Equal (the default) requires value to match, Exists matches any value.',
      ),
    value: z
      .string()
      .max(63)
      .optional()
      .describe('Taint value the toleration matches with operator Equal; empty with Exists.'),
    effect: z
      .enum(TAINT_EFFECTS)
      .optional()
      .describe(
        'Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute. Empty matches all effects.',
      ),
    tolerationSeconds: z
      .int()
      .optional()
      .describe(
        'With effect NoExecute: how many seconds the pod stays bound after the taint appears; unset means forever.',
      ),
  }),
  [tolerationExistsHasNoValue, tolerationWithoutKeyIsExists, tolerationSecondsNeedsNoExecute],
);

// ── Condition (meta/v1) ─────────────────────────────────────────────────────────────────

export const ConditionSchema = z.strictObject({
  type: z
    .string()
    .min(1)
    .max(316)
    .regex(CONDITION_TYPE, 'must be a condition type in CamelCase, optionally with a domain prefix')
    .describe('Kind of condition, in CamelCase, e.g. Ready, Validated, ProviderSelected or ResourceCreated.'),
  status: z.enum(CONDITION_STATUSES).describe('Whether the condition holds: True, False or Unknown.'),
  observedGeneration: z
    .int()
    .min(0)
    .optional()
    .describe('metadata.generation of the ModelDeployment the condition was computed from.'),
  lastTransitionTime: z.iso
    .datetime({ offset: true })
    .describe('When the condition last changed status, in RFC 3339 format.'),
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(CONDITION_REASON, 'must be a CamelCase reason')
    .describe('Machine-readable reason for the last transition, in CamelCase, e.g. DeploymentReady.'),
  message: z.string().max(32768).describe('Human-readable details about the last transition; may be empty.'),
});

export const ConditionListSchema = listMap(ConditionSchema.array().max(32), ['type']);

// ── ObjectMeta ──────────────────────────────────────────────────────────────────────────

/**
 * The parts of metadata the API reads; every other field (uid, resourceVersion, labels,
 * managedFields, …) passes through untouched. The name rule lives on the root object,
 * where the CRD can express it.
 */
export const ObjectMetaSchema = z.looseObject({
  name: z
    .string()
    .min(1)
    .max(253)
    .describe(
      `Name of the ModelDeployment: a DNS-1035 label of at most ${MAX_MODEL_DEPLOYMENT_NAME_LENGTH} characters.`,
    ),
  generateName: z.string().max(253).optional().describe('Prefix for a name the apiserver generates.'),
  namespace: z
    .string()
    .max(63)
    .regex(DNS1123_LABEL, 'must be a namespace name: lowercase letters, digits and "-"')
    .optional()
    .describe('Namespace of the ModelDeployment.'),
  labels: LabelsSchema.optional().describe('Labels of the ModelDeployment.'),
  annotations: AnnotationsSchema.optional().describe('Annotations of the ModelDeployment.'),
});
