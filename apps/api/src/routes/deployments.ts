// /deployments: list, live changes, create (and dry run), read, update, delete. Live changes
// live at /deployments/-/events: "-" can never be a deployment's name, so the path cannot
// shadow a deployment called "events".
import {
  CreateDeploymentRequestSchema,
  DeploymentParamsSchema,
  DeploymentPermissionsQuerySchema,
  DryRunQuerySchema,
  ListDeploymentsQuerySchema,
  RequiredNamespaceQuerySchema,
  UpdateDeploymentRequestSchema,
} from '@airunway/schema';
import { Hono } from 'hono';
import { callerOf, type AppEnv } from '../http/context.js';
import { sse, type SseOptions } from '../http/sse.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services/index.js';

export const DEPLOYMENT_EVENTS_PATH = '/deployments/-/events';
export const DEPLOYMENT_PERMISSIONS_PATH = '/deployments/-/permissions';

export function deploymentRoutes(services: Services, streaming: SseOptions) {
  const { deployments } = services;
  return new Hono<AppEnv>()
    .get('/deployments', validate('query', ListDeploymentsQuerySchema), async (c) =>
      c.body(await deployments.listJson(callerOf(c), c.req.valid('query')), 200, {
        'content-type': 'application/json',
      }),
    )
    .get(DEPLOYMENT_PERMISSIONS_PATH, validate('query', DeploymentPermissionsQuerySchema), async (c) =>
      c.json(
        await deployments.permissions(callerOf(c), deployments.namespaceOr(c.req.valid('query').namespace)),
      ),
    )
    .get(DEPLOYMENT_EVENTS_PATH, validate('query', ListDeploymentsQuerySchema), async (c) => {
      const caller = callerOf(c);
      const { namespace } = c.req.valid('query');
      // Subscribed (and authorized) before the stream opens, so a refusal is a plain 403.
      const subscription = new AbortController();
      const changes = await services.deploymentFeed.subscribe(caller, namespace, subscription.signal);
      return sse(
        c,
        (signal) => {
          signal.addEventListener('abort', () => {
            subscription.abort();
          });
          return (async function* () {
            for await (const change of changes) yield { event: change.type, data: change };
          })();
        },
        streaming,
      );
    })
    .post(
      '/deployments',
      validate('query', DryRunQuerySchema),
      validate('json', CreateDeploymentRequestSchema),
      async (c) => {
        const caller = callerOf(c);
        const body = c.req.valid('json');
        if (c.req.valid('query').dryRun === true) return c.json(await deployments.dryRun(caller, body));
        return c.json(await deployments.create(caller, body), 201);
      },
    )
    .get(
      '/deployments/:name',
      validate('param', DeploymentParamsSchema),
      validate('query', RequiredNamespaceQuerySchema),
      async (c) =>
        c.json(await deployments.get(callerOf(c), c.req.valid('query').namespace, c.req.valid('param').name)),
    )
    .patch(
      '/deployments/:name',
      validate('param', DeploymentParamsSchema),
      validate('query', RequiredNamespaceQuerySchema.extend(DryRunQuerySchema.shape)),
      validate('json', UpdateDeploymentRequestSchema),
      async (c) => {
        const { namespace, dryRun } = c.req.valid('query');
        return c.json(
          await deployments.update(
            callerOf(c),
            namespace,
            c.req.valid('param').name,
            c.req.valid('json'),
            dryRun === true,
          ),
        );
      },
    )
    .delete(
      '/deployments/:name',
      validate('param', DeploymentParamsSchema),
      validate('query', RequiredNamespaceQuerySchema),
      async (c) =>
        c.json(
          await deployments.delete(callerOf(c), c.req.valid('query').namespace, c.req.valid('param').name),
        ),
    );
}
