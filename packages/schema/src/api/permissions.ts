// What the caller may do, so that a screen offers only actions that can succeed and says why the
// others are not offered. Each answer is Kubernetes' own: a SelfSubjectAccessReview sent with
// the caller's token (with authentication off every answer is yes). A refusal carries the words
// of the 403 the request itself would get.
import { z } from 'zod';
import { PROVIDER_NAMES } from '../constants.js';
import { NamespaceNameSchema } from './common.js';

export const PermissionSchema = z.object({
  allowed: z.boolean(),
  reason: z
    .string()
    .optional()
    .describe(
      'When not allowed: the refusal, as the 403 would say it ("User \\"alice\\" cannot create modeldeployments.airunway.ai in namespace team-b").',
    ),
});
export type Permission = z.output<typeof PermissionSchema>;

// ── GET /deployments/-/permissions ──────────────────────────────────────────────────────

export const DeploymentPermissionsQuerySchema = z.object({
  namespace: NamespaceNameSchema.optional().describe('Default: the default namespace (see settings).'),
});
export type DeploymentPermissionsQuery = z.output<typeof DeploymentPermissionsQuerySchema>;

export const DeploymentPermissionsResponseSchema = z.object({
  namespace: z.string().describe('The namespace the answers are about.'),
  create: PermissionSchema.describe('Deploy: create ModelDeployments (and dry-run them).'),
  update: PermissionSchema.describe('Scale and edit: patch ModelDeployments.'),
  delete: PermissionSchema.describe('Delete ModelDeployments.'),
});
export type DeploymentPermissionsResponse = z.output<typeof DeploymentPermissionsResponseSchema>;

// ── GET /installation/permissions ───────────────────────────────────────────────────────

export const ProviderPermissionsSchema = z.object({
  id: z.enum(PROVIDER_NAMES),
  install: PermissionSchema.describe(
    'The rights every install of the chart needs: CRDs (cluster-wide) and the release Secrets in its namespace. The install reviews every object of the rendered chart as well, so it can still be refused for one of those.',
  ),
  uninstall: PermissionSchema.describe('Reading and deleting the release Secrets in its namespace.'),
});
export type ProviderPermissions = z.output<typeof ProviderPermissionsSchema>;

export const InstallationPermissionsResponseSchema = z.object({
  providers: z
    .array(ProviderPermissionsSchema)
    .describe('Every provider that has an operator chart to install.'),
});
export type InstallationPermissionsResponse = z.output<typeof InstallationPermissionsResponseSchema>;
