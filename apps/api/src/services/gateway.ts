// The inference Gateway: whether models can be reached through one shared address, and which
// models are. Availability follows the operator's own rule (the Gateway API and Inference
// Extension CRDs, and a Gateway chosen by selectGateway), read from the watch caches.
import { gatewayEndpoint, selectGateway, type GatewayRef } from '@airunway/providers';
import type { GatewayModelsResponse, GatewayStatusResponse } from '@airunway/schema';
import type { Caller } from '../auth/caller.js';
import { listVisible } from '../auth/visibility.js';
import type { ClusterCache } from '../cache/cluster-cache.js';
import { GATEWAY_CRDS } from '@airunway/providers';
import { MODEL_DEPLOYMENT_REF } from './deployments/service.js';

const GATEWAY_CRD = 'gateways.gateway.networking.k8s.io';

export class GatewayService {
  constructor(
    private readonly cache: ClusterCache,
    private readonly configured: GatewayRef | undefined,
  ) {}

  /** Needs only a valid token: CRDs are public through discovery, and the address is the product's. */
  async status(_caller: Caller): Promise<GatewayStatusResponse> {
    await this.cache.whenSynced(this.cache.crds);
    const established = new Set(this.cache.establishedCrds());
    const missing = [GATEWAY_CRD, ...GATEWAY_CRDS].filter((crd) => !established.has(crd));
    if (missing.length > 0) return { available: false, message: `Not installed: ${missing.join(', ')}` };
    const watch = this.cache.providerObjects.gatewayWatch();
    if (watch) await this.cache.whenSynced(watch);
    const gateways = this.cache.providerObjects.gateways();
    const selection = selectGateway(gateways, this.configured);
    if (!selection.ok) return { available: false, message: selection.message };
    const { name, namespace, listener } = selection.gateway;
    const gateway = gateways.find((g) => g.metadata.name === name && g.metadata.namespace === namespace);
    const endpoint = gateway && gatewayEndpoint(gateway, listener);
    return {
      available: true,
      ...(endpoint ? { endpoint } : { message: `Gateway ${namespace}/${name} has no address yet` }),
      gateway: { name, namespace },
    };
  }

  /** Deployments routed through the Gateway, in every namespace the caller may list. */
  async models(caller: Caller): Promise<GatewayModelsResponse> {
    await this.cache.whenSynced(this.cache.modelDeployments);
    const visible = await listVisible(caller, this.cache.modelDeployments, MODEL_DEPLOYMENT_REF);
    return visible
      .filter((md) => md.status?.gateway?.modelName)
      .map((md) => ({
        name: md.status?.gateway?.modelName ?? '',
        deploymentName: md.metadata.name,
        namespace: md.metadata.namespace ?? '',
        ...(md.status?.provider?.name ? { provider: md.status.provider.name } : {}),
        ready: md.status?.conditions?.some((c) => c.type === 'GatewayReady' && c.status === 'True') === true,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace));
  }
}
