// /installation/*: Helm, the Gateway API and Inference Extension CRDs, provider operators and
// the NVIDIA GPU Operator. What gets installed is pinned in the product (the provider
// catalogue, GPU_OPERATOR_CHART, the versions file), never read from the cluster. Every
// install acts as the caller — Helm with the caller's credentials, CRDs applied with the
// caller's client — after the caller's permissions for all of it were reviewed. Status reads
// come from the watch caches, with the same detection the operator uses.
import { isNotFound, Resources, type KubeClient, type Logger } from '@airunway/kube';
import { PROVIDER_CATALOGUE, type GatewayRef, type ProviderInfo } from '@airunway/providers';
import {
  PROVIDER_NAMES,
  gaieManifestUrl,
  gatewayApiManifestUrl,
  type GatewayCrdInstallResponse,
  type GatewayCrdStatusResponse,
  type GpuOperatorInstallResponse,
  type GpuOperatorStatusResponse,
  type HelmStatusResponse,
  type InstallationPermissionsResponse,
  type InstallationStatus,
  type ProviderCommandsResponse,
  type ProviderInstallResponse,
  type ProviderInstallStatusResponse,
  type ProviderName,
} from '@airunway/schema';
import { permission, type Caller, type ResourceAttributes } from '../auth/caller.js';
import { TtlCache } from '../auth/ttl-cache.js';
import type { ClusterCache } from '../cache/cluster-cache.js';
import { ApiError } from '../errors.js';
import { manualCommands, type ChartSpec } from '../helm/charts.js';
import { HelmRunner, HelmUnavailableError } from '../helm/runner.js';
import { ChartReleases } from '../installation/chart-release.js';
import type { InstallationConfig } from '../installation/config.js';
import {
  applyCrds,
  fetchManifest,
  GATEWAY_API_GROUP,
  INFERENCE_GROUPS,
  selectCrds,
} from '../installation/gateway-crds.js';
import { gatewayCrdStatus } from '../installation/gateway-status.js';
import {
  CLUSTER_POLICY_CRD,
  GPU_OPERATOR_CHART,
  GpuOperatorPods,
  gpuOperatorState,
} from '../installation/gpu-operator.js';
import { OperationLocks } from '../installation/locks.js';
import { operation, waitUntil, withSteps, type Operation, type StepLog } from '../installation/operation.js';
import { authorizeAll } from '../installation/permissions.js';
import type { RuntimeService } from './runtimes.js';

export interface InstallationServiceOptions {
  readonly cache: ClusterCache;
  /** The API's own client (its connection is what Helm reaches the cluster through). */
  readonly client: KubeClient;
  readonly runtimes: RuntimeService;
  readonly config: InstallationConfig;
  readonly logger?: Logger | undefined;
  /** The Gateway the operator is told to use, when it is. */
  readonly gateway?: GatewayRef | undefined;
}

/** How long the caches get to show the result of a finished Helm run. */
const DETECTION_WAIT_MS = 60_000;
const CRD_CREATE: ResourceAttributes = {
  verb: 'create',
  group: 'apiextensions.k8s.io',
  resource: 'customresourcedefinitions',
};

/** Allowed when every one of `needed` is; else the first refusal. */
async function firstRefusal(caller: Caller, needed: readonly ResourceAttributes[]) {
  const answers = await Promise.all(needed.map((a) => permission(caller, a)));
  return answers.find((a) => !a.allowed) ?? { allowed: true };
}

function chartOf(info: ProviderInfo): ChartSpec | undefined {
  return info.install ? { displayName: info.displayName, ...info.install } : undefined;
}

/** Why a provider has no chart, and what to do instead. */
function nothingToInstall(info: ProviderInfo): ApiError {
  const message =
    info.detection.crds.length > 0
      ? `${info.displayName} has no operator to install: it needs the Gateway API Inference Extension CRDs, ` +
        'installed with POST /installation/gateway/install-crds'
      : `${info.displayName} needs nothing installed`;
  return ApiError.validation([{ path: 'id', message }], message);
}

export class InstallationService {
  private readonly helm: HelmRunner;
  private readonly charts: ChartReleases;
  private readonly locks = new OperationLocks();
  private readonly helmStatusCache = new TtlCache<HelmStatusResponse>({ maxEntries: 1 });
  readonly gpuOperatorPods: GpuOperatorPods;

  constructor(private readonly options: InstallationServiceOptions) {
    const { config, client } = options;
    this.helm = new HelmRunner({
      helmPath: config.helmPath,
      homeDir: config.helmHome,
      baseEnv: config.helmEnv,
      defaultTimeoutMs: (config.helmTimeoutSeconds + 60) * 1000,
    });
    this.charts = new ChartReleases({
      helm: this.helm,
      client,
      mirror: config.chartMirror,
      timeoutSeconds: config.helmTimeoutSeconds,
    });
    this.gpuOperatorPods = new GpuOperatorPods({ client, logger: options.logger });
  }

  start(): void {
    this.gpuOperatorPods.informer.start();
  }

  async stop(): Promise<void> {
    await this.gpuOperatorPods.informer.stop();
  }

  // ── Helm ────────────────────────────────────────────────────────────────────────────────

  /** Whether Helm runs (asked at most every 10 s: status pages poll). */
  helmStatus(_caller: Caller): Promise<HelmStatusResponse> {
    return this.helmStatusCache.getOrCompute(
      'helm',
      async () => {
        try {
          return { available: true, version: await this.helm.version() };
        } catch (err) {
          const message = err instanceof HelmUnavailableError ? err.message : `helm failed: ${String(err)}`;
          return { available: false, message };
        }
      },
      () => 10_000,
    );
  }

  private async requireHelm(caller: Caller): Promise<void> {
    const status = await this.helmStatus(caller);
    if (!status.available)
      throw new ApiError('INSTALL_FAILED', `Helm is not available: ${status.message ?? 'unknown error'}`, {
        helmPath: this.options.config.helmPath,
      });
  }

  /**
   * Takes the lock of `target`, checks with `prepare`, and returns the work; the lock is held
   * until the work has finished (or the checks failed).
   */
  private async guarded<P, T>(
    target: string,
    what: string,
    prepare: () => Promise<P>,
    work: (log: StepLog, prepared: P) => Promise<T>,
    cleanup?: (prepared: P) => Promise<void>,
  ): Promise<Operation<T>> {
    const release = this.locks.acquire(target, what);
    let prepared: P;
    try {
      prepared = await prepare();
    } catch (err) {
      release();
      throw err;
    }
    return operation(async (emit) => {
      try {
        return await withSteps(emit, (log) => work(log, prepared));
      } finally {
        await cleanup?.(prepared);
        release();
      }
    });
  }

  // ── Gateway API and Inference Extension ───────────────────────────────────────────────────

  async gatewayStatus(_caller: Caller): Promise<GatewayCrdStatusResponse> {
    const { cache, config } = this.options;
    const gateways = cache.providerObjects.gatewayWatch();
    await cache.whenSynced(cache.crds, ...(gateways ? [gateways] : []));
    return gatewayCrdStatus({
      crds: cache.crds.list(),
      gateways: cache.providerObjects.gateways(),
      ...(this.options.gateway ? { configured: this.options.gateway } : {}),
      gatewayApiReleasesUrl: config.gatewayApiReleasesUrl,
      inferenceExtensionReleasesUrl: config.inferenceExtensionReleasesUrl,
    });
  }

  /** Applies the pinned Gateway API (standard channel) and Inference Extension CRDs as the caller. */
  installGatewayCrds(caller: Caller): Promise<Operation<GatewayCrdInstallResponse>> {
    const { config, cache } = this.options;
    const bundles = [
      {
        step: 'gateway-api-crds',
        url: gatewayApiManifestUrl(config.gatewayApiReleasesUrl),
        groups: [GATEWAY_API_GROUP],
      },
      {
        step: 'inference-extension-crds',
        url: gaieManifestUrl(config.inferenceExtensionReleasesUrl),
        groups: INFERENCE_GROUPS,
      },
    ];
    return this.guarded(
      'gateway-crds',
      'An install of the Gateway API CRDs',
      () =>
        authorizeAll(
          caller,
          [CRD_CREATE, { ...CRD_CREATE, verb: 'patch' }],
          'needed to install the Gateway API and Inference Extension CRDs',
        ),
      async (log) => {
        for (const bundle of bundles) {
          await log.step(bundle.step, async (print) => {
            const { crds, skipped } = selectCrds(await fetchManifest(bundle.url), bundle.groups);
            for (const item of skipped) print(`skipped ${item}: not a CRD of ${bundle.groups.join(' or ')}`);
            const before = (name: string) => cache.crds.get(undefined, name)?.metadata.resourceVersion;
            const names = await applyCrds(caller, crds, before, print);
            const established = () => {
              const ready = new Set(cache.establishedCrds());
              return names.every((n) => ready.has(n));
            };
            if (!(await waitUntil(established, DETECTION_WAIT_MS)))
              throw new ApiError('INSTALL_FAILED', `The CRDs of ${bundle.url} did not become Established`);
          });
        }
        return {
          success: true,
          message: 'Gateway API and Inference Extension CRDs installed successfully',
          results: log.results,
        };
      },
    );
  }

  // ── providers ─────────────────────────────────────────────────────────────────────────────

  /**
   * Whether the caller may install and uninstall each provider's chart, as far as it can be told
   * without downloading the chart: the rights every install checks first (the release Secrets,
   * and CRDs, which every provider chart brings). The install itself still reviews each object
   * of the rendered chart.
   */
  async permissions(caller: Caller): Promise<InstallationPermissionsResponse> {
    const providers = PROVIDER_NAMES.flatMap((id) => {
      const chart = chartOf(PROVIDER_CATALOGUE[id]);
      return chart ? [{ id, namespace: chart.namespace }] : [];
    });
    return {
      providers: await Promise.all(
        providers.map(async ({ id, namespace }) => {
          const secrets = (verb: string) => ({ verb, resource: 'secrets', namespace });
          return {
            id,
            install: await firstRefusal(caller, [CRD_CREATE, secrets('create')]),
            uninstall: await firstRefusal(caller, ['get', 'list', 'delete'].map(secrets)),
          };
        }),
      ),
    };
  }

  async providerStatus(caller: Caller, id: ProviderName): Promise<ProviderInstallStatusResponse> {
    const { runtimes } = await this.options.runtimes.status(caller);
    const runtime = runtimes.find((r) => r.id === id);
    if (!runtime) throw ApiError.notFound(`Provider ${id} not found`, { id });
    return {
      providerId: id,
      providerName: runtime.name,
      installed: runtime.installed,
      crdFound: runtime.crdFound,
      operatorRunning: runtime.operatorRunning,
      ...(runtime.version ? { version: runtime.version } : {}),
      message: runtime.message,
    };
  }

  providerCommands(_caller: Caller, id: ProviderName): ProviderCommandsResponse {
    const info = PROVIDER_CATALOGUE[id];
    const chart = chartOf(info);
    if (!chart) return { commands: [], message: nothingToInstall(info).message };
    return { commands: manualCommands(chart, this.options.config.chartMirror) };
  }

  private async installationStatus(caller: Caller, id: ProviderName): Promise<InstallationStatus> {
    const { installed, crdFound, operatorRunning } = await this.providerStatus(caller, id);
    return { installed, crdFound, operatorRunning };
  }

  async installProvider(caller: Caller, id: ProviderName): Promise<Operation<ProviderInstallResponse>> {
    const info = PROVIDER_CATALOGUE[id];
    const chart = chartOf(info);
    if (!chart) throw nothingToInstall(info);
    await this.requireHelm(caller);
    const { runtimes } = this.options;
    return this.guarded(
      `provider/${id}`,
      `An install or uninstall of ${info.displayName}`,
      () => this.charts.prepareInstall(caller, chart, `needed to install ${info.displayName}`),
      async (log, prepared) => {
        await this.charts.install(log, caller, chart, prepared);
        await log.step(`Wait for ${info.displayName} to be ready`, async (print) => {
          const usable = () => runtimes.currentUsability()[id].usable;
          if (!(await waitUntil(usable, DETECTION_WAIT_MS)))
            throw new ApiError(
              'INSTALL_FAILED',
              `Helm installed ${chart.release}, but ${info.displayName} is not ready: ${runtimes.currentUsability()[id].reason}`,
            );
          print((await this.providerStatus(caller, id)).message);
        });
        return {
          success: true,
          message: 'Provider installed successfully',
          installationStatus: await this.installationStatus(caller, id),
          results: log.results,
        };
      },
      (prepared) => prepared.dispose(),
    );
  }

  /** Removes the Helm release; the provider's CRDs (and so its objects) stay. */
  async uninstallProvider(caller: Caller, id: ProviderName): Promise<Operation<ProviderInstallResponse>> {
    const info = PROVIDER_CATALOGUE[id];
    const chart = chartOf(info);
    if (!chart) throw nothingToInstall(info);
    await this.requireHelm(caller);
    const { runtimes } = this.options;
    return this.guarded(
      `provider/${id}`,
      `An install or uninstall of ${info.displayName}`,
      () => this.charts.prepareUninstall(caller, chart, `needed to uninstall ${info.displayName}`),
      async (log, prepared) => {
        await this.charts.uninstall(log, caller, chart, prepared);
        await waitUntil(() => runtimes.currentUsability()[id].state !== 'usable', DETECTION_WAIT_MS);
        return {
          success: true,
          message: "Provider uninstalled (CRDs preserved - use 'Uninstall CRDs' for complete removal)",
          installationStatus: await this.installationStatus(caller, id),
          results: log.results,
        };
      },
    );
  }

  /**
   * Deletes the CRDs that make the provider installed (and with them every object of their
   * kinds). Refused while its operator runs: uninstall it first. llm-d's CRD belongs to the
   * Inference Extension every provider routes through, so it is not deleted here.
   */
  async uninstallProviderCrds(caller: Caller, id: ProviderName): Promise<Operation<ProviderInstallResponse>> {
    const info = PROVIDER_CATALOGUE[id];
    if (!chartOf(info)) throw nothingToInstall(info);
    const crds = info.detection.crds;
    const { cache, runtimes } = this.options;
    return this.guarded(
      `provider/${id}`,
      `An install or uninstall of ${info.displayName}`,
      async () => {
        await authorizeAll(
          caller,
          crds.map((name) => ({ ...CRD_CREATE, verb: 'delete', name })),
          `needed to delete the CRDs of ${info.displayName}`,
        );
        await runtimes.usability();
        const status = await this.installationStatus(caller, id);
        if (status.operatorRunning && info.detection.operator.length > 0)
          throw new ApiError(
            'CONFLICT',
            `The ${info.displayName} operator is still running: uninstall the provider first, then its CRDs`,
            { provider: id },
          );
      },
      async (log) => {
        for (const name of crds) {
          await log.step(`Delete CRD: ${name}`, async (print) => {
            try {
              await caller.kube.delete(Resources.CustomResourceDefinition, name);
            } catch (err) {
              if (!isNotFound(err)) throw err;
              print(`CRD ${name} not found`);
              return;
            }
            print(`CRD ${name} deleted`);
          });
        }
        const established = () => new Set(cache.establishedCrds());
        await waitUntil(() => crds.every((n) => !established().has(n)), DETECTION_WAIT_MS);
        return {
          success: true,
          message: 'Provider CRDs uninstalled',
          installationStatus: await this.installationStatus(caller, id),
          results: log.results,
        };
      },
    );
  }

  // ── NVIDIA GPU Operator ───────────────────────────────────────────────────────────────────

  private async gpuState() {
    const { cache } = this.options;
    await cache.whenSynced(cache.nodes, cache.crds, this.gpuOperatorPods.informer);
    const crdFound = cache.establishedCrds().includes(CLUSTER_POLICY_CRD);
    return gpuOperatorState(crdFound, this.gpuOperatorPods.running(), cache.nodes.list());
  }

  /** Node-level information: takes `list nodes`, like GPU capacity. */
  async gpuOperatorStatus(caller: Caller): Promise<GpuOperatorStatusResponse> {
    await caller.authorize({ verb: 'list', resource: 'nodes' });
    return {
      ...(await this.gpuState()),
      helmCommands: manualCommands(GPU_OPERATOR_CHART, this.options.config.chartMirror),
    };
  }

  async installGpuOperator(caller: Caller): Promise<Operation<GpuOperatorInstallResponse>> {
    await this.requireHelm(caller);
    const chart = GPU_OPERATOR_CHART;
    return this.guarded(
      'gpu-operator',
      'An install of the NVIDIA GPU Operator',
      () => this.charts.prepareInstall(caller, chart, 'needed to install the NVIDIA GPU Operator'),
      async (log, prepared) => {
        await this.charts.install(log, caller, chart, prepared);
        await log.step(`Wait for the ${chart.displayName} to be ready`, async (print) => {
          const { cache } = this.options;
          const ready = () =>
            this.gpuOperatorPods.running() && cache.establishedCrds().includes(CLUSTER_POLICY_CRD);
          if (!(await waitUntil(ready, DETECTION_WAIT_MS)))
            throw new ApiError(
              'INSTALL_FAILED',
              `Helm installed ${chart.release}, but its operator is not running`,
            );
          print((await this.gpuState()).message);
        });
        return {
          success: true,
          message: 'NVIDIA GPU Operator installed successfully',
          status: await this.gpuState(),
          results: log.results,
        };
      },
      (prepared) => prepared.dispose(),
    );
  }
}
