// The ModelDeployment resource: apiVersion, kind, metadata, spec and status, plus the parse
// helpers the REST API and the operator use.
import { z } from 'zod';
import { API_GROUP_VERSION, MODEL_DEPLOYMENT_KIND } from './constants.js';
import { parseWithFieldErrors, type ParseResult } from './field-errors.js';
import { ObjectMetaSchema } from './kubernetes.js';
import { ModelDeploymentSpecSchema, type ModelDeploymentSpec } from './model-deployment-spec.js';
import { ModelDeploymentStatusSchema } from './model-deployment-status.js';
import { withRules } from './validation-rule.js';
import { nameIsServiceName } from './validation-rules.js';

export const ModelDeploymentSchema = withRules(
  z.strictObject({
    apiVersion: z.literal(API_GROUP_VERSION).describe(`API version of the object: ${API_GROUP_VERSION}.`),
    kind: z.literal(MODEL_DEPLOYMENT_KIND).describe(`Kind of the object: ${MODEL_DEPLOYMENT_KIND}.`),
    metadata: ObjectMetaSchema.describe('Standard object metadata.'),
    spec: ModelDeploymentSpecSchema.describe(
      'What to serve and how: model, engine, provider, serving mode, scaling and resources.',
    ),
    status: ModelDeploymentStatusSchema.optional().describe(
      'What the operator observed: phase, conditions, selected provider and engine, replicas and endpoints.',
    ),
  }),
  [nameIsServiceName],
).describe(
  'A ModelDeployment serves one LLM for inference through an OpenAI-compatible API. The operator picks a ' +
    'provider (NVIDIA Dynamo, KAITO, KubeRay, llm-d or vLLM) and an engine when they are not given, creates ' +
    "the provider's objects, and reports progress in status.",
);

export type ModelDeployment = z.output<typeof ModelDeploymentSchema>;
/** A ModelDeployment as a user writes it: every defaulted field optional. */
export type ModelDeploymentInput = z.input<typeof ModelDeploymentSchema>;

/** Parses a whole ModelDeployment; error paths start at the root (`spec.model.id`). */
export function parseModelDeployment(input: unknown): ParseResult<ModelDeployment> {
  return parseWithFieldErrors(ModelDeploymentSchema, input);
}

/** Parses a spec alone; error paths start with `spec.`, as they would for the whole object. */
export function parseModelDeploymentSpec(input: unknown): ParseResult<ModelDeploymentSpec> {
  return parseWithFieldErrors(ModelDeploymentSpecSchema, input, ['spec']);
}
