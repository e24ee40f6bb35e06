// status.gateway and the GatewayReady condition of a routed ModelDeployment, from the
// HTTPRoute, the InferencePool and the Gateway as observed. Routing problems never fail the
// deployment: the model stays reachable through its Service, so this only ever yields a
// condition, and the operator keeps the phase the provider reported.
import type { ModelDeployment } from '@airunway/schema';
import type { ProviderCondition } from '../provider.js';
import { inferencePoolName } from './epp.js';
import type { Gateway, HTTPRoute, InferencePool, ParentReference, RouteCondition } from './objects.js';
import { gatewayModelName, type GatewayRef } from './render.js';

/**
 * An object as the operator's cache holds it: metadata and status whole, the spec possibly
 * reduced to a few fields.
 */
export type Observed<T extends { spec: object }> = Omit<T, 'spec'> & { spec?: Partial<T['spec']> };

export interface GatewayStatusResult {
  /** For status.gateway: endpoint once the Gateway has an address. */
  readonly status: { readonly endpoint?: string; readonly modelName: string };
  readonly condition: ProviderCondition & { readonly type: 'GatewayReady' };
}

/**
 * status.gateway and GatewayReady from the observed HTTPRoute `<md>`, InferencePool `<md>` and
 * Gateway. `ref` is the Gateway passed to gatewayObjects; without it the Gateway object (or the
 * route's parentRef) names it.
 */
export function gatewayStatus(
  md: ModelDeployment,
  route: Observed<HTTPRoute> | undefined,
  pool: Observed<InferencePool> | undefined,
  gateway: Gateway | undefined,
  ref: GatewayRef | undefined = gatewayRefOf(route, gateway),
): GatewayStatusResult {
  const modelName = gatewayModelName(md);
  const gatewayName = ref ? `Gateway ${ref.namespace}/${ref.name}` : 'the inference Gateway';
  const endpoint = gateway ? gatewayEndpoint(gateway, ref?.listener) : undefined;
  const result = (ready: boolean, reason: string, message: string): GatewayStatusResult => ({
    status: endpoint === undefined ? { modelName } : { endpoint, modelName },
    condition: { type: 'GatewayReady', status: ready ? 'True' : 'False', reason, message },
  });

  if (gateway === undefined) {
    return result(false, 'GatewayNotFound', `${gatewayName} does not exist`);
  }
  if (route === undefined) {
    return result(false, 'RouteNotCreated', `HTTPRoute ${md.metadata.name} is not created yet`);
  }
  const routeName = `HTTPRoute ${route.metadata.name}`;
  if (pool === undefined) {
    return result(
      false,
      'InferencePoolNotFound',
      `InferencePool ${inferencePoolName(md)} does not exist yet`,
    );
  }

  const parents = (route.status?.parents ?? []).filter((p) => sameParent(p.parentRef, ref, route));
  const generation = route.metadata.generation;
  const current = (c: RouteCondition) =>
    generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= generation;
  const conditionOf = (type: string) =>
    parents.map((p) => p.conditions?.find((c) => c.type === type)).find((c) => c !== undefined && current(c));
  const accepted = conditionOf('Accepted');
  if (accepted === undefined) {
    return result(
      false,
      'RoutePending',
      `the controller of ${gatewayName} has not processed ${routeName} yet; check that its GatewayClass's ` +
        'controller is running',
    );
  }
  if (accepted.status !== 'True') {
    return result(
      false,
      'RouteNotAccepted',
      `${gatewayName} did not accept ${routeName}${detail(accepted)}` +
        (accepted.reason === 'NotAllowedByListeners'
          ? `; allow routes from namespace ${md.metadata.namespace ?? 'default'} on its listeners (allowedRoutes)`
          : ''),
    );
  }
  const resolved = conditionOf('ResolvedRefs');
  if (resolved !== undefined && resolved.status !== 'True') {
    return result(
      false,
      'BackendNotResolved',
      `${gatewayName} cannot resolve the InferencePool of ${routeName}${detail(resolved)}` +
        (resolved.reason === 'InvalidKind'
          ? '; its implementation must support the Gateway API Inference Extension'
          : ''),
    );
  }
  const poolProblem = (pool.status?.parents ?? [])
    .filter((p) => sameParent(p.parentRef, ref, pool))
    .flatMap((p) => p.conditions ?? [])
    .find((c) => (c.type === 'Accepted' || c.type === 'ResolvedRefs') && c.status === 'False');
  if (poolProblem) {
    return result(
      false,
      'InferencePoolNotAccepted',
      `${gatewayName} reports InferencePool ${pool.metadata.name} ${poolProblem.type}=False${detail(poolProblem)}`,
    );
  }
  const programmed = gateway.status?.conditions?.find((c) => c.type === 'Programmed');
  if (programmed?.status === 'False') {
    return result(false, 'GatewayNotProgrammed', `${gatewayName} is not programmed${detail(programmed)}`);
  }
  if (endpoint === undefined) {
    return result(false, 'GatewayAddressPending', `${gatewayName} has no address yet`);
  }
  return result(
    true,
    'RouteAccepted',
    `requests with "model": "${modelName}" sent to ${endpoint} are routed to this deployment`,
  );
}

/** The Gateway's URL: scheme and port of the listener, first address. */
export function gatewayEndpoint(gateway: Gateway, listenerName?: string): string | undefined {
  const address = gateway.status?.addresses?.find((a) => a.value !== '')?.value;
  if (address === undefined) return undefined;
  const listeners = gateway.spec?.listeners ?? [];
  const listener =
    (listenerName === undefined ? undefined : listeners.find((l) => l.name === listenerName)) ??
    listeners.find((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS');
  const scheme = listener?.protocol === 'HTTPS' ? 'https' : 'http';
  const defaultPort = scheme === 'https' ? 443 : 80;
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  const port = listener === undefined || listener.port === defaultPort ? '' : `:${listener.port}`;
  return `${scheme}://${host}${port}`;
}

function gatewayRefOf(
  route: Observed<HTTPRoute> | undefined,
  gateway: Gateway | undefined,
): GatewayRef | undefined {
  const parent = route?.spec?.parentRefs?.[0];
  const name = gateway?.metadata.name ?? parent?.name;
  if (name === undefined) return undefined;
  const namespace =
    gateway?.metadata.namespace ?? parent?.namespace ?? route?.metadata.namespace ?? 'default';
  const listener = parent?.sectionName;
  return listener === undefined ? { name, namespace } : { name, namespace, listener };
}

function sameParent(
  parent: ParentReference,
  ref: GatewayRef | undefined,
  owner: { metadata: { namespace?: string } },
): boolean {
  if (ref === undefined) return true;
  return (
    (parent.kind ?? 'Gateway') === 'Gateway' &&
    parent.name === ref.name &&
    (parent.namespace ?? owner.metadata.namespace ?? 'default') === ref.namespace &&
    (ref.listener === undefined || parent.sectionName === undefined || parent.sectionName === ref.listener)
  );
}

function detail(condition: RouteCondition): string {
  const reason = condition.reason ? ` (${condition.reason})` : '';
  return condition.message ? `${reason}: ${condition.message}` : reason;
}
