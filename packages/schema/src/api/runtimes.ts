// GET /runtimes/status: each provider as the operator's own detection sees it.
import { z } from 'zod';
import { PROVIDER_NAMES } from '../constants.js';

export const RuntimeStatusSchema = z.object({
  id: z.enum(PROVIDER_NAMES),
  name: z.string().describe('Display name.'),
  installed: z
    .boolean()
    .describe('Ready to use: its CRDs are Established and its operator (if it has one) has a Ready pod.'),
  healthy: z.boolean().describe('Installed, and no pod of its operator is failing its readiness check.'),
  version: z.string().optional().describe("Detected version: the operator's version label or image tag."),
  message: z.string(),
  crdFound: z.boolean().describe('Every CRD the provider needs is Established (true when it needs none).'),
  operatorRunning: z.boolean().describe('Its operator has a Ready pod (true when it has no operator).'),
});
export type RuntimeStatus = z.output<typeof RuntimeStatusSchema>;

export const RuntimesStatusResponseSchema = z.object({ runtimes: z.array(RuntimeStatusSchema) });
export type RuntimesStatusResponse = z.output<typeof RuntimesStatusResponseSchema>;
