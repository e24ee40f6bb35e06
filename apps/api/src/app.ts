// The API as a Hono app: Web-standard Request → Response, so tests call app.request() and
// only main.ts binds a port. Public routes are mounted before the authentication middleware
// (Hono runs handlers in registration order, so it never runs for them); every error becomes
// `{ error, code, details }` in onError, and nowhere else.
import type { Logger } from '@airunway/kube';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Authenticator } from './auth/authenticator.js';
import type { ClusterCache } from './cache/cluster-cache.js';
import { ApiError, toApiError } from './errors.js';
import type { AppEnv } from './http/context.js';
import type { ApiMetrics } from './http/metrics.js';
import { aiConfiguratorRoutes } from './routes/aiconfigurator.js';
import { aikitRoutes } from './routes/aikit.js';
import { autoscalerRoutes } from './routes/autoscaler.js';
import { clusterRoutes } from './routes/cluster.js';
import { costRoutes } from './routes/costs.js';
import { deploymentObservabilityRoutes } from './routes/deployment-observability.js';
import { deploymentRoutes } from './routes/deployments.js';
import { gatewayRoutes } from './routes/gateway.js';
import { healthRoutes } from './routes/health.js';
import { huggingFaceRoutes } from './routes/huggingface.js';
import { installRoutes } from './routes/install.js';
import { installationRoutes } from './routes/installation.js';
import { modelRoutes } from './routes/models.js';
import { openApiRoutes } from './routes/openapi.js';
import { probeRoutes } from './routes/probes.js';
import { runtimeRoutes } from './routes/runtimes.js';
import { settingsRoutes } from './routes/settings.js';
import type { Services } from './services/index.js';
import { TRPC_ENDPOINT, trpcHandler } from './trpc/handler.js';

export interface AppDeps {
  readonly services: Services;
  readonly authenticator: Authenticator;
  readonly cache: Pick<ClusterCache, 'notSynced' | 'all'>;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
  /** Live streams (SSE, subscriptions): heartbeat interval, and a signal that ends them at shutdown. */
  readonly streaming: { readonly heartbeatMs: number; readonly closing: AbortSignal };
  /** Release shown by the OpenAPI document. */
  readonly version: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const { services, logger, metrics } = deps;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // Unmatched paths share one label: raw paths would make the label set unbounded.
    const pattern = routePath(c as Context);
    const route = c.res.status === 404 && (pattern === '*' || pattern.endsWith('/*')) ? 'unmatched' : pattern;
    metrics.observeRequest(c.req.method, route, c.res.status, seconds);
    const caller = c.get('caller') as { username?: string } | undefined;
    logger.debug('request', {
      method: c.req.method,
      route,
      status: c.res.status,
      durationMs: Math.round(seconds * 1000),
      ...(caller?.username ? { user: caller.username } : {}),
    });
  });

  app.route(
    '/',
    probeRoutes({
      notSynced: () => deps.cache.notSynced(),
      informers: () => deps.cache.all,
      registry: metrics.kube.registry,
    }),
  );
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError('PAYLOAD_TOO_LARGE', `Request body larger than ${MAX_BODY_BYTES} bytes`);
    },
  });
  app.use('/api/*', limitBody);
  app.use(`${TRPC_ENDPOINT}/*`, limitBody);
  app.route('/api', healthRoutes(services));
  app.route('/api', openApiRoutes(deps.version));
  // tRPC authenticates in its context, per procedure (health is public there too).
  const trpc = trpcHandler({
    services,
    authenticator: deps.authenticator,
    logger,
    closing: deps.streaming.closing,
    heartbeatMs: deps.streaming.heartbeatMs,
  });
  app.on(['GET', 'POST'], `${TRPC_ENDPOINT}/*`, (c) => trpc(c));

  app.use('/api/*', async (c, next) => {
    c.set('caller', await deps.authenticator.authenticate(c.req.header('Authorization')));
    await next();
  });
  app.route('/api', clusterRoutes(services));
  app.route('/api', settingsRoutes(services));
  app.route('/api', runtimeRoutes(services));
  app.route('/api', installationRoutes(services));
  app.route('/api', installRoutes(services));
  app.route('/api', autoscalerRoutes(services));
  app.route('/api', huggingFaceRoutes(services)); // before modelRoutes: /models/search, /models/:id/gguf-files
  app.route('/api', modelRoutes(services));
  app.route('/api', deploymentRoutes(services, deps.streaming));
  app.route('/api', deploymentObservabilityRoutes(services, deps.streaming));
  app.route('/api', gatewayRoutes(services));
  app.route('/api', costRoutes(services));
  app.route('/api', aiConfiguratorRoutes(services));
  app.route('/api', aikitRoutes(services));

  app.notFound((c) => {
    const err = ApiError.notFound(`No route for ${c.req.method} ${c.req.path}`, { path: c.req.path });
    return c.json(err.toBody(), 404);
  });

  app.onError((thrown, c) => {
    const err = toApiError(thrown);
    if (err.status >= 500)
      logger.error('request failed', { method: c.req.method, path: c.req.path, err: thrown });
    else
      logger.debug('request refused', {
        method: c.req.method,
        path: c.req.path,
        code: err.code,
        error: err.message,
      });
    if (err.code === 'UNAUTHORIZED') c.header('WWW-Authenticate', 'Bearer');
    return c.json(err.toBody(), err.status as ContentfulStatusCode);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
