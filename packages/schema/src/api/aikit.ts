// /aikit/*: container images for GGUF models served with llama.cpp (KAITO's AIKit). Pre-made
// images are referenced as published; an image for a GGUF file from HuggingFace is built in the
// cluster by BuildKit and pushed to a registry there (POST /aikit/infrastructure/setup).
import { z } from 'zod';
import { ModelIdSchema } from './models.js';

export const AikitModelSchema = z.object({
  id: z.string().describe('e.g. llama3.2-1b.'),
  modelName: z.string(),
  image: z.string().describe('The published image reference.'),
  license: z.string(),
  servedModelName: z
    .string()
    .describe('The model name the image serves under (`model` of an OpenAI request).'),
});
export type AikitModel = z.output<typeof AikitModelSchema>;

export const AikitModelsResponseSchema = z.object({
  models: z.array(AikitModelSchema),
  total: z.int().nonnegative(),
});
export type AikitModelsResponse = z.output<typeof AikitModelsResponseSchema>;

export const AikitModelParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be a pre-made model id such as llama3.2-1b'),
});

/** An image repository name as OCI distribution allows it (lowercase, `/`-separated components). */
const ImageNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    'must be an image name: lowercase letters, digits and single . _ - or / between them',
  );

const ImageTagSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    'must be an image tag: letters, digits, _ . - (not starting with . or -)',
  );

/** A file of the repository, sub-folders allowed; never `..`. */
const GgufFileSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*\.gguf$/i,
    'must be a .gguf file of the repository',
  )
  .refine((f) => !f.split('/').includes('..'), 'must not contain ".."');

export const AikitBuildRequestSchema = z.discriminatedUnion('modelSource', [
  z.strictObject({
    modelSource: z.literal('premade'),
    premadeModel: AikitModelParamsSchema.shape.id.describe('The id of a pre-made model (GET /aikit/models).'),
  }),
  z.strictObject({
    modelSource: z.literal('huggingface'),
    modelId: ModelIdSchema.describe('The HuggingFace repository holding the GGUF file.'),
    ggufFile: GgufFileSchema,
    imageName: ImageNameSchema.optional().describe('Default: aikit-<repository name>.'),
    imageTag: ImageTagSchema.optional().describe(
      'Default: the quantization in the file name (q8_0, …) or "custom".',
    ),
  }),
]);
export type AikitBuildRequest = z.input<typeof AikitBuildRequestSchema>;
export type AikitBuildInput = z.output<typeof AikitBuildRequestSchema>;

export const AikitBuildResponseSchema = z.object({
  success: z.boolean().describe('True once the image exists; false while its build is still running.'),
  imageRef: z.string(),
  buildTime: z.number().nonnegative().describe('Seconds the build took (so far, while running).'),
  wasPremade: z.boolean(),
  message: z.string(),
  buildJob: z
    .string()
    .optional()
    .describe('The build Job in the product namespace; the same request again waits for it.'),
});
export type AikitBuildResponse = z.output<typeof AikitBuildResponseSchema>;

export const AikitBuildPreviewResponseSchema = z.object({
  imageRef: z.string(),
  wasPremade: z.boolean(),
  requiresBuild: z.boolean(),
  registryUrl: z.string(),
});
export type AikitBuildPreviewResponse = z.output<typeof AikitBuildPreviewResponseSchema>;

export const BuildInfrastructureStatusSchema = z.object({
  ready: z.boolean().describe('Registry and builder both ready: GGUF images can be built.'),
  registry: z.object({ ready: z.boolean(), url: z.string(), message: z.string() }),
  builder: z.object({
    exists: z.boolean(),
    ready: z.boolean(),
    running: z.boolean(),
    message: z.string(),
  }),
});
export type BuildInfrastructureStatus = z.output<typeof BuildInfrastructureStatusSchema>;

export const BuildInfrastructureSetupResponseSchema = z.object({
  success: z.boolean().describe('The objects were applied; `ready` parts may still be starting.'),
  message: z.string(),
  registry: z.object({ url: z.string(), ready: z.boolean() }),
  builder: z.object({ name: z.string(), ready: z.boolean() }),
  applied: z.array(z.string()).describe('The objects applied, as kind/name.'),
});
export type BuildInfrastructureSetupResponse = z.output<typeof BuildInfrastructureSetupResponseSchema>;
