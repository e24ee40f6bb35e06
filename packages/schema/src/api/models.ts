// GET /models and GET /models/:id: the curated catalog. HuggingFace search results share the
// model shape and fill the HF-only fields.
import { z } from 'zod';
import { ENGINE_TYPES } from '../constants.js';

/** A HuggingFace repository id: `org/name` or `name`; no `..`, no leading punctuation. */
export const HF_MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

export const ModelIdSchema = z
  .string()
  .min(1)
  .max(96)
  .regex(HF_MODEL_ID, 'must be a HuggingFace model id such as Qwen/Qwen3-0.6B')
  .refine((id) => !id.includes('..'), 'must not contain ".."');

export const MODEL_TASKS = ['text-generation', 'chat', 'fill-mask'] as const;

const GB = /^\d+(\.\d+)?GB$/;

export const CatalogModelSchema = z.object({
  id: ModelIdSchema.describe('HuggingFace model id.'),
  name: z.string().describe('Display name.'),
  description: z.string(),
  size: z.string().describe('Parameter count, e.g. "0.6B".'),
  task: z.enum(MODEL_TASKS),
  contextLength: z.int().positive().describe('Maximum context length, in tokens.'),
  supportedEngines: z.array(z.enum(ENGINE_TYPES)).min(1),
  minGpuMemory: z
    .string()
    .regex(GB)
    .describe('GPU memory needed to serve it, e.g. "16GB" ("0GB": runs on CPU).'),
  minGpus: z.int().nonnegative().describe('Fewest GPUs to serve it with (0: runs on CPU).'),
  gated: z
    .boolean()
    .describe('Whether HuggingFace requires accepting a license (and a token) to download it.'),
  estimatedGpuMemory: z
    .string()
    .regex(GB)
    .optional()
    .describe('Estimated memory of the weights plus 20%, e.g. "19.2GB".'),
  estimatedGpuMemoryGb: z.number().nonnegative().optional().describe('estimatedGpuMemory as a number.'),
  parameterCount: z
    .int()
    .positive()
    .optional()
    .describe('Parameters, as the safetensors metadata counts them.'),
  fromHfSearch: z
    .boolean()
    .optional()
    .describe('True for HuggingFace search results, false for the catalog.'),
});
export type CatalogModel = z.output<typeof CatalogModelSchema>;

export const ModelsResponseSchema = z.object({ models: z.array(CatalogModelSchema) });
export type ModelsResponse = z.output<typeof ModelsResponseSchema>;

export const ModelParamsSchema = z.object({ id: ModelIdSchema });
