// GET /settings and PUT /settings.
import { z } from 'zod';
import { PROVIDER_NAMES } from '../constants.js';
import { NamespaceNameSchema } from './common.js';
import { PermissionSchema } from './permissions.js';

export const AppConfigSchema = z.object({
  defaultNamespace: NamespaceNameSchema.describe('Namespace new deployments go to unless one is chosen.'),
});
export type AppConfig = z.output<typeof AppConfigSchema>;

export const SettingsProviderSchema = z.object({
  id: z.enum(PROVIDER_NAMES),
  name: z.string(),
  description: z.string(),
});

export const SettingsResponseSchema = z.object({
  config: AppConfigSchema,
  auth: z.object({ enabled: z.boolean().describe('Whether requests need a Kubernetes bearer token.') }),
  providers: z.array(SettingsProviderSchema).describe('The providers AI Runway can deploy with.'),
  permissions: z
    .object({
      update: PermissionSchema.describe(
        'Whether the caller may change the settings (PUT /settings): write the ConfigMap airunway-config in the product namespace.',
      ),
    })
    .describe('What the caller may do with the settings, asked of Kubernetes with their own token.'),
});
export type SettingsResponse = z.output<typeof SettingsResponseSchema>;

/** PUT /settings replaces the whole configuration. */
export const UpdateSettingsRequestSchema = z.strictObject({
  defaultNamespace: NamespaceNameSchema.describe('Namespace new deployments go to unless one is chosen.'),
});
export type UpdateSettingsRequest = z.input<typeof UpdateSettingsRequestSchema>;

export const UpdateSettingsResponseSchema = SettingsResponseSchema.extend({ message: z.string() });
export type UpdateSettingsResponse = z.output<typeof UpdateSettingsResponseSchema>;
