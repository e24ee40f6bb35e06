// GET /health and GET /health/version.
import { z } from 'zod';
import { TimestampSchema } from './common.js';

export const HealthResponseSchema = z.object({
  status: z.literal('healthy'),
  timestamp: TimestampSchema,
});
export type HealthResponse = z.output<typeof HealthResponseSchema>;

export const VersionResponseSchema = z.object({
  version: z.string().describe('Release of the API, e.g. v0.1.0.'),
  buildTime: z.string().describe('When the build was made (RFC 3339), or "unknown".'),
  gitCommit: z.string().describe('Commit the build was made from, or "unknown".'),
});
export type VersionResponse = z.output<typeof VersionResponseSchema>;
