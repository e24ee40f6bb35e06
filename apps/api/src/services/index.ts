// Every service of the API, built once per process. REST routes and the tRPC router both
// call these; neither reaches the cache or the cluster any other way.
import type { KubeClient } from '@airunway/kube';
import type { ClusterCache } from '../cache/cluster-cache.js';
import type { BuildInfo } from '../env.js';
import { AutoscalerService } from './autoscaler.js';
import { ClusterService } from './cluster.js';
import { CapacityService } from './gpu-capacity.js';
import { HealthService } from './health.js';
import { ModelService } from './models.js';
import { RuntimeService } from './runtimes.js';
import { SettingsService } from './settings.js';

export interface Services {
  readonly health: HealthService;
  readonly cluster: ClusterService;
  readonly settings: SettingsService;
  readonly runtimes: RuntimeService;
  readonly capacity: CapacityService;
  readonly autoscaler: AutoscalerService;
  readonly models: ModelService;
}

export interface ServicesOptions {
  readonly cache: ClusterCache;
  /** The API's own client. */
  readonly client: KubeClient;
  readonly build: BuildInfo;
  readonly productNamespace: string;
  readonly defaultNamespace: string;
  readonly authEnabled: boolean;
  readonly now?: () => Date;
}

export function createServices(options: ServicesOptions): Services {
  const { cache, client } = options;
  const runtimes = new RuntimeService(cache);
  const settings = new SettingsService({
    cache,
    productNamespace: options.productNamespace,
    defaults: { defaultNamespace: options.defaultNamespace },
    authEnabled: options.authEnabled,
  });
  return {
    health: new HealthService(options.build, options.now),
    cluster: new ClusterService({ cache, client, runtimes, settings }),
    settings,
    runtimes,
    capacity: new CapacityService(cache),
    autoscaler: new AutoscalerService(cache, options.now),
    models: new ModelService(),
  };
}
