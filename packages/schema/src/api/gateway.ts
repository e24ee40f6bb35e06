// GET /gateway/status and GET /gateway/models: the inference Gateway every routed model shares.
import { z } from 'zod';
import { PROVIDER_NAMES } from '../constants.js';

export const GatewayStatusResponseSchema = z.object({
  available: z
    .boolean()
    .describe('The Gateway API and Inference Extension CRDs are installed and a Gateway is selected.'),
  endpoint: z
    .string()
    .optional()
    .describe('URL of the Gateway, from its first address, e.g. http://10.0.0.1.'),
  gateway: z.object({ name: z.string(), namespace: z.string() }).optional().describe('The selected Gateway.'),
  message: z.string().optional().describe('Why it is not available.'),
});
export type GatewayStatusResponse = z.output<typeof GatewayStatusResponseSchema>;

export const GatewayModelSchema = z.object({
  name: z.string().describe('The model name to send to the Gateway ("model" of the request body).'),
  deploymentName: z.string(),
  namespace: z.string(),
  provider: z.enum(PROVIDER_NAMES).optional(),
  ready: z.boolean().describe('Its GatewayReady condition is True.'),
});
export type GatewayModel = z.output<typeof GatewayModelSchema>;

export const GatewayModelsResponseSchema = z.array(GatewayModelSchema);
export type GatewayModelsResponse = z.output<typeof GatewayModelsResponseSchema>;
