// Every service of the API, built once per process. REST routes and the tRPC router both
// call these; neither reaches the cache or the cluster any other way.
import type { KubeClient, Logger } from '@airunway/kube';
import type { GatewayRef } from '@airunway/providers';
import type { ClusterCache } from '../cache/cluster-cache.js';
import type { BuildInfo } from '../env.js';
import type { HuggingFaceConfig } from '../huggingface/config.js';
import { resolveIntegrations, type IntegrationOverrides } from '../integrations.js';
import { AiConfiguratorService } from './aiconfigurator.js';
import { AikitService } from './aikit.js';
import { AutoscalerService } from './autoscaler.js';
import { ClusterService } from './cluster.js';
import { createCostService, type CostService } from './costs.js';
import { DeploymentEventService } from './deployments/events.js';
import { DeploymentFeed } from './deployments/feed.js';
import { LogService } from './deployments/logs.js';
import { ManifestService } from './deployments/manifest.js';
import { MetricsService } from './deployments/metrics.js';
import { PendingReasonService } from './deployments/pending-reasons.js';
import { DeploymentService, MODEL_DEPLOYMENT_REF } from './deployments/service.js';
import { GatewayService } from './gateway.js';
import { CapacityService } from './gpu-capacity.js';
import { HealthService } from './health.js';
import { InstallationService } from './installation.js';
import { defaultInstallationConfig, type InstallationConfig } from '../installation/config.js';
import { createHuggingFaceServices, type HuggingFaceServices } from './huggingface/index.js';
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
  readonly deployments: DeploymentService;
  readonly deploymentFeed: DeploymentFeed;
  readonly logs: LogService;
  readonly metrics: MetricsService;
  readonly pendingReasons: PendingReasonService;
  readonly deploymentEvents: DeploymentEventService;
  readonly manifests: ManifestService;
  readonly gateway: GatewayService;
  readonly huggingface: HuggingFaceServices;
  readonly installation: InstallationService;
  readonly costs: CostService;
  readonly aiConfigurator: AiConfiguratorService;
  readonly aikit: AikitService;
}

export interface ServicesOptions {
  readonly cache: ClusterCache;
  /** The API's own client. */
  readonly client: KubeClient;
  readonly build: BuildInfo;
  readonly productNamespace: string;
  readonly defaultNamespace: string;
  readonly authEnabled: boolean;
  /** Whether model pods are reachable directly (the API runs in the cluster). */
  readonly inCluster?: boolean;
  /** The Gateway the operator routes through, when configured. */
  readonly gateway?: GatewayRef | undefined;
  readonly now?: () => Date;
  /** The HuggingFace Hub and sign-in (default: huggingface.co). */
  readonly huggingface?: HuggingFaceConfig | undefined;
  /** Helm and the CRD release URLs (default: helm on PATH, the pinned upstream releases). */
  readonly installation?: InstallationConfig | undefined;
  /** For the watches services own (the GPU Operator's pods). */
  readonly logger?: Logger | undefined;
  /** Azure prices, the AI Configurator CLI, AIKit builds (integrations.ts has the defaults). */
  readonly integrations?: IntegrationOverrides | undefined;
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
  const capacity = new CapacityService(cache);
  const integrations = resolveIntegrations(options.integrations, {
    productNamespace: options.productNamespace,
    inCluster: options.inCluster ?? false,
  });
  const deployments = new DeploymentService({
    cache,
    runtimes,
    capacity,
    settings,
    gateway: options.gateway,
  });
  return {
    health: new HealthService(options.build, options.now),
    cluster: new ClusterService({ cache, client, runtimes, settings }),
    settings,
    runtimes,
    capacity,
    autoscaler: new AutoscalerService(cache, options.now),
    models: new ModelService(),
    deployments,
    deploymentFeed: new DeploymentFeed({
      informer: cache.modelDeployments,
      ref: MODEL_DEPLOYMENT_REF,
      whenSynced: () => cache.whenSynced(cache.modelDeployments),
    }),
    logs: new LogService(deployments),
    metrics: new MetricsService({ deployments, inCluster: options.inCluster ?? false, now: options.now }),
    pendingReasons: new PendingReasonService(deployments, cache),
    deploymentEvents: new DeploymentEventService(deployments, cache),
    manifests: new ManifestService(deployments, cache),
    gateway: new GatewayService(cache, options.gateway),
    huggingface: createHuggingFaceServices(options.huggingface),
    installation: new InstallationService({
      cache,
      client,
      runtimes,
      config: options.installation ?? defaultInstallationConfig(),
      logger: options.logger,
      gateway: options.gateway,
    }),
    costs: createCostService(capacity, integrations.pricing, options.now),
    aiConfigurator: new AiConfiguratorService(integrations.aiconfigurator),
    aikit: new AikitService(integrations.aikit, options.now),
  };
}
