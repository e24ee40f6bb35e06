// The cluster as a whole: is it reachable, which provider a deployment would get, and its
// nodes.
import type { KubeClient } from '@airunway/kube';
import { selectProvider } from '@airunway/providers';
import {
  DEFAULT_GPU_RESOURCE,
  ModelDeploymentSpecSchema,
  type ClusterNodesResponse,
  type ClusterStatusResponse,
} from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import type { ClusterCache } from '../cache/cluster-cache.js';
import { nodeReady } from '../cache/objects.js';
import { GPU_PRODUCT_LABEL, nodePoolOf } from './gpu-hardware.js';
import type { RuntimeService } from './runtimes.js';
import type { SettingsService } from './settings.js';

/** The spec of "a model on one GPU, nothing else chosen": what the default provider serves. */
const DEFAULT_GPU_SPEC = ModelDeploymentSpecSchema.parse({
  model: { id: 'default/model' },
  resources: { gpu: { count: 1 } },
});

export interface ClusterServiceOptions {
  readonly cache: ClusterCache;
  /** The API's own client, for the reachability probe. */
  readonly client: KubeClient;
  readonly runtimes: RuntimeService;
  readonly settings: SettingsService;
  /** How long a reachability answer is reused (default 5 s). */
  readonly probeTtlMs?: number;
  readonly probeTimeoutMs?: number;
}

interface Reachability {
  readonly connected: boolean;
  readonly message?: string;
}

export class ClusterService {
  private probe: { at: number; result: Promise<Reachability> } | undefined;

  constructor(private readonly options: ClusterServiceOptions) {}

  /**
   * Whether the apiserver answers now. Watches only notice a dead server when a stream breaks,
   * so this asks (GET /version), at most once per TTL however many callers ask.
   */
  private reachability(): Promise<Reachability> {
    const now = Date.now();
    if (this.probe && now - this.probe.at < (this.options.probeTtlMs ?? 5_000)) return this.probe.result;
    const result = this.options.client
      .request({ path: '/version', verb: 'get', timeoutMs: this.options.probeTimeoutMs ?? 3_000 })
      .then(
        () => ({ connected: true }),
        (err: unknown) => ({
          connected: false,
          message: `Kubernetes API server unreachable: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
    this.probe = { at: now, result };
    return result;
  }

  async status(_caller: Caller): Promise<ClusterStatusResponse> {
    const reach = await this.reachability();
    // Answers even when disconnected: from what the cache last saw.
    const selection = selectProvider(DEFAULT_GPU_SPEC, 'vllm', this.options.runtimes.currentUsability());
    return {
      connected: reach.connected,
      namespace: this.options.settings.current().defaultNamespace,
      providerId: selection.ok ? selection.provider : 'dynamo',
      providerInstalled: selection.ok,
      ...(reach.message ? { message: reach.message } : {}),
    };
  }

  async nodes(caller: Caller): Promise<ClusterNodesResponse> {
    await caller.authorize({ verb: 'list', resource: 'nodes' });
    await this.options.cache.whenSynced(this.options.cache.nodes);
    const nodes = this.options.cache.nodes
      .list()
      .map((node) => {
        const labels = node.metadata.labels;
        const product = labels?.[GPU_PRODUCT_LABEL];
        return {
          name: node.metadata.name ?? '',
          ready: nodeReady(node),
          gpuCount: Math.max(
            0,
            Number.parseInt(node.status.allocatable[DEFAULT_GPU_RESOURCE] ?? '0', 10) || 0,
          ),
          schedulable: node.spec.unschedulable !== true,
          pool: nodePoolOf(labels),
          ...(product ? { gpuModel: product } : {}),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    return { nodes };
  }
}
