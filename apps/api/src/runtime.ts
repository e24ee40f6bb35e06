// Assembles the API's parts from a cluster connection and the configuration: the client, the
// watch cache, authentication, the services and metrics. main.ts and the tests both use it.
import { KubeClient, type ClusterConnection, type Logger } from '@airunway/kube';
import { createApp, type App, type AppDeps } from './app.js';
import { AccessReviewer } from './auth/access-review.js';
import { Authenticator } from './auth/authenticator.js';
import { TokenReviewer } from './auth/token-review.js';
import { ClusterCache } from './cache/cluster-cache.js';
import { API_VERSION, type ApiConfig } from './env.js';
import { createApiMetrics } from './http/metrics.js';
import { createServices } from './services/index.js';

export type RuntimeConfig = Pick<
  ApiConfig,
  'authEnabled' | 'productNamespace' | 'defaultNamespace' | 'build'
> &
  Partial<Pick<ApiConfig, 'inCluster' | 'gateway' | 'huggingface' | 'installation' | 'integrations'>>;

export interface ApiRuntimeOptions {
  readonly connection: ClusterConnection;
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  readonly userAgent?: string;
  /** Clock of the services (tests move it). */
  readonly now?: () => Date;
  /** How long a request waits for a cache that has not synced (default 5 s). */
  readonly syncWaitMs?: number;
  /** Interval of heartbeats on live streams (default 15 s). */
  readonly heartbeatMs?: number;
}

export interface ApiRuntime {
  readonly client: KubeClient;
  readonly cache: ClusterCache;
  readonly deps: AppDeps;
  readonly app: App;
  /** Starts the watches; the app answers at once and /readyz turns ready when they have synced. */
  start(): void;
  stop(): Promise<void>;
}

export function createApiRuntime(options: ApiRuntimeOptions): ApiRuntime {
  const { config, logger } = options;
  const metrics = createApiMetrics();
  const client = new KubeClient({
    connection: options.connection,
    userAgent: options.userAgent ?? `airunway-api/${API_VERSION}`,
    logger,
    observer: metrics.kube.requestObserver,
  });
  const cache = new ClusterCache({
    client,
    productNamespace: config.productNamespace,
    logger,
    observer: metrics.kube.informerObserver,
    ...(options.syncWaitMs !== undefined ? { syncWaitMs: options.syncWaitMs } : {}),
  });
  for (const informer of cache.all) metrics.kube.trackInformer(informer);
  const authenticator = new Authenticator({
    enabled: config.authEnabled,
    client,
    tokens: new TokenReviewer({ client, onReview: metrics.tokenReviewed }),
    access: new AccessReviewer({ onReview: metrics.accessReviewed }),
  });
  const services = createServices({
    cache,
    client,
    build: config.build,
    productNamespace: config.productNamespace,
    defaultNamespace: config.defaultNamespace,
    authEnabled: config.authEnabled,
    inCluster: config.inCluster ?? false,
    gateway: config.gateway,
    huggingface: config.huggingface,
    installation: config.installation,
    integrations: config.integrations,
    logger,
    now: options.now,
  });
  // Aborted first on stop: live streams end cleanly before the caches go away.
  const closing = new AbortController();
  const deps: AppDeps = {
    services,
    authenticator,
    cache,
    metrics,
    logger,
    streaming: { heartbeatMs: options.heartbeatMs ?? 15_000, closing: closing.signal },
    version: config.build.version,
  };
  return {
    client,
    cache,
    deps,
    app: createApp(deps),
    start: () => {
      cache.start();
      services.installation.start();
    },
    stop: async () => {
      closing.abort();
      await services.installation.stop();
      await cache.stop();
      await client.close();
    },
  };
}
