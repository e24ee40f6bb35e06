// The tRPC router: the REST API's operations as typed procedures, each one call of the same
// service the REST route calls, with the same contract schemas as inputs. `AppRouter` is the
// type the dashboard and @airunway/client import (type-only).
import {
  CreateDeploymentRequestSchema,
  DeploymentLookupSchema,
  DeploymentPermissionsQuerySchema,
  DeploymentRefSchema,
  ListDeploymentsQuerySchema,
  LogsRequestSchema,
  ModelParamsSchema,
  UpdateDeploymentCallSchema,
  UpdateSettingsRequestSchema,
  type DeploymentChange,
  type DeploymentEventsResponse,
} from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import type { Services } from '../services/index.js';
import { createTrpc, type TrpcOptions } from './init.js';
import { input } from './input.js';

export function createAppRouter(options: TrpcOptions) {
  const { router, publicProcedure: open, protectedProcedure: call } = createTrpc(options);
  /** A query about one deployment; its namespace defaults as in the REST routes. */
  const aboutDeployment = <T>(
    read: (services: Services, user: Caller, namespace: string, name: string) => Promise<T>,
  ) =>
    call
      .input(input(DeploymentLookupSchema))
      .query(({ ctx, input }) =>
        read(ctx.services, ctx.user, ctx.services.deployments.namespaceOr(input.namespace), input.name),
      );

  return router({
    health: router({
      status: open.query(({ ctx }) => ctx.services.health.health()),
      version: open.query(({ ctx }) => ctx.services.health.version()),
    }),
    cluster: router({
      status: call.query(({ ctx }) => ctx.services.cluster.status(ctx.user)),
      nodes: call.query(({ ctx }) => ctx.services.cluster.nodes(ctx.user)),
    }),
    settings: router({
      get: call.query(({ ctx }) => ctx.services.settings.get(ctx.user)),
      update: call
        .input(input(UpdateSettingsRequestSchema))
        .mutation(({ ctx, input }) => ctx.services.settings.update(ctx.user, input)),
    }),
    runtimes: router({
      status: call.query(({ ctx }) => ctx.services.runtimes.status(ctx.user)),
    }),
    capacity: router({
      summary: call.query(({ ctx }) => ctx.services.capacity.summary(ctx.user)),
      detailed: call.query(({ ctx }) => ctx.services.capacity.detailed(ctx.user)),
    }),
    autoscaler: router({
      detection: call.query(({ ctx }) => ctx.services.autoscaler.detection(ctx.user)),
      status: call.query(({ ctx }) => ctx.services.autoscaler.status(ctx.user)),
    }),
    models: router({
      list: call.query(({ ctx }) => ctx.services.models.list()),
      get: call.input(input(ModelParamsSchema)).query(({ ctx, input }) => ctx.services.models.get(input.id)),
    }),
    deployments: router({
      list: call
        .input(input(ListDeploymentsQuerySchema))
        .query(({ ctx, input }) => ctx.services.deployments.list(ctx.user, input)),
      get: call
        .input(input(DeploymentRefSchema))
        .query(({ ctx, input }) => ctx.services.deployments.get(ctx.user, input.namespace, input.name)),
      permissions: call
        .input(input(DeploymentPermissionsQuerySchema))
        .query(({ ctx, input }) =>
          ctx.services.deployments.permissions(
            ctx.user,
            ctx.services.deployments.namespaceOr(input.namespace),
          ),
        ),
      create: call
        .input(input(CreateDeploymentRequestSchema))
        .mutation(({ ctx, input }) => ctx.services.deployments.create(ctx.user, input)),
      dryRun: call
        .input(input(CreateDeploymentRequestSchema))
        .mutation(({ ctx, input }) => ctx.services.deployments.dryRun(ctx.user, input)),
      update: call
        .input(input(UpdateDeploymentCallSchema))
        .mutation(({ ctx, input }) =>
          ctx.services.deployments.update(ctx.user, input.namespace, input.name, input.changes, input.dryRun),
        ),
      delete: call
        .input(input(DeploymentRefSchema))
        .mutation(({ ctx, input }) => ctx.services.deployments.delete(ctx.user, input.namespace, input.name)),
      pods: call
        .input(input(DeploymentLookupSchema))
        .query(({ ctx, input }) =>
          ctx.services.deployments.pods(
            ctx.user,
            ctx.services.deployments.namespaceOr(input.namespace),
            input.name,
          ),
        ),
      logs: call.input(input(LogsRequestSchema)).query(({ ctx, input }) =>
        ctx.services.logs.logs(ctx.user, ctx.services.deployments.namespaceOr(input.namespace), input.name, {
          ...input,
          follow: false,
        }),
      ),
      metrics: aboutDeployment((services, user, namespace, name) =>
        services.metrics.metrics(user, namespace, name),
      ),
      pendingReasons: aboutDeployment((services, user, namespace, name) =>
        services.pendingReasons.reasons(user, namespace, name),
      ),
      events: aboutDeployment((services, user, namespace, name) =>
        services.deploymentEvents.events(user, namespace, name),
      ),
      /** The deployment's events, then the whole list again after each change to them. */
      eventChanges: call.input(input(DeploymentLookupSchema)).subscription(async function* ({
        ctx,
        input,
        signal,
      }): AsyncGenerator<DeploymentEventsResponse, void, undefined> {
        const stop = AbortSignal.any([ctx.closing, ...(signal ? [signal] : [])]);
        const namespace = ctx.services.deployments.namespaceOr(input.namespace);
        yield* await ctx.services.deploymentEvents.watch(ctx.user, namespace, input.name, stop);
      }),
      manifest: aboutDeployment((services, user, namespace, name) =>
        services.manifests.manifest(user, namespace, name),
      ),
      /** A snapshot of the visible deployments, then every change, until unsubscribed. */
      changes: call.input(input(ListDeploymentsQuerySchema)).subscription(async function* ({
        ctx,
        input,
        signal,
      }): AsyncGenerator<DeploymentChange, void, undefined> {
        const stop = AbortSignal.any([ctx.closing, ...(signal ? [signal] : [])]);
        yield* await ctx.services.deploymentFeed.subscribe(ctx.user, input.namespace, stop);
      }),
    }),
    gateway: router({
      status: call.query(({ ctx }) => ctx.services.gateway.status(ctx.user)),
      models: call.query(({ ctx }) => ctx.services.gateway.models(ctx.user)),
    }),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
