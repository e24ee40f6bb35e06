// What the operator would create for a ModelDeployment right now: the same selection over the
// same provider usability, the provider's render, and the Gateway routing objects when a
// Gateway would be used — pure functions of @airunway/providers fed from the API's caches.
import {
  PROVIDER_IMPLEMENTATIONS,
  routingPlan,
  select,
  type Gateway,
  type GatewayRef,
  type KubernetesObject,
  type PreviousSelection,
  type ProviderUsability,
} from '@airunway/providers';
import type { FieldError, ModelDeployment, SelectionResult } from '@airunway/schema';

export interface ClusterView {
  readonly usability: ProviderUsability;
  readonly establishedCrds: readonly string[];
  readonly gateways: readonly Gateway[];
  /** The Gateway the operator is configured with, if any. */
  readonly gateway: GatewayRef | undefined;
}

export interface Preview {
  readonly selection: SelectionResult;
  /** In apply order, with namespaces; empty when selection or render failed. */
  readonly objects: KubernetesObject[];
  readonly notes: string[];
  /** Why the chosen provider cannot run this spec (render refused it). */
  readonly renderErrors: FieldError[];
  /** When selection failed: because of the spec, or of what the cluster has installed. */
  readonly failureCause?: 'spec' | 'cluster';
}

/** `previous`: the choice recorded in status, which the operator keeps (see select()). */
export function preview(md: ModelDeployment, cluster: ClusterView, previous?: PreviousSelection): Preview {
  const selection = select(md.spec, cluster.usability, previous);
  if (!selection.ok)
    return {
      selection: { ok: false, stage: selection.stage, reason: selection.reason, message: selection.message },
      objects: [],
      notes: [],
      renderErrors: [],
      failureCause: selection.cause,
    };
  const chosen: SelectionResult = {
    ok: true,
    provider: selection.provider,
    engine: selection.engine,
    providerReason: selection.providerReason,
    engineReason: selection.engineReason,
  };
  const provider = PROVIDER_IMPLEMENTATIONS[selection.provider];
  const render = provider.render(md, { engine: selection.engine });
  if (!render.ok) return { selection: chosen, objects: [], notes: [], renderErrors: render.errors };
  const namespace = md.metadata.namespace;
  const objects = [
    ...render.objects,
    ...routingPlan(md, provider, {
      establishedCrds: cluster.establishedCrds,
      gateways: cluster.gateways,
      configured: cluster.gateway,
    }).objects,
  ].map((o) => ({
    ...o,
    metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace },
  }));
  return { selection: chosen, objects, notes: render.notes, renderErrors: [] };
}
