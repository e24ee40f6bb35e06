// Routing a ModelDeployment through an inference Gateway (Gateway API + Inference Extension):
// the objects to apply, and which Gateway to use. Pure functions; the operator finds the CRDs
// and the Gateways, applies the objects (adding ownerReferences) and reports gatewayStatus.
//
// How a request finds the model. The Gateway runs the Inference Extension's body-based router
// (BBR), which copies the `model` field of the JSON body into the header X-Gateway-Model-Name.
// Each ModelDeployment gets an HTTPRoute `<md>` on the Gateway that matches that header exactly
// against its gateway model name and sends the request to its InferencePool; the pool's endpoint
// picker chooses the pod. So one Gateway address serves every model, and a request naming no
// deployed model matches no route (404 from the Gateway). This assumes BBR is installed in
// front of the routes, as the Inference Extension's multi-model guides set it up.
//
// The gateway model name is gateway.modelName, else the name the model server serves
// (model.servedName, else the last segment of model.id). When gateway.modelName differs from the
// served name, an InferenceModelRewrite makes the endpoint picker rewrite the body's model to
// the served name, so the model server recognises the request.
import type { ModelDeployment } from '@airunway/schema';
import { servedModelName } from '../engine-args.js';
import type { KubernetesObject } from '../kubernetes.js';
import {
  defined,
  LABEL_COMPONENT,
  LABEL_INSTANCE,
  LABEL_MANAGED_BY,
  LABEL_MODEL_DEPLOYMENT,
  LABEL_NAME,
  MANAGED_BY,
  sortedMap,
} from '../pod-spec.js';
import type { Provider } from '../provider.js';
import { RENDERED_KINDS, kindKey } from '../rendered-kinds.js';
import { orList } from '../text.js';
import {
  DEFAULT_EPP_CONFIG,
  DEFAULT_EPP_IMAGE,
  endpointPickerObjects,
  inferencePool,
  inferencePoolName,
} from './epp.js';
import {
  GATEWAY_GROUP,
  INFERENCE_GROUP,
  type Gateway,
  type HTTPRoute,
  type InferenceModelRewrite,
} from './objects.js';

/** The header the body-based router sets from the request body's `model`. */
export const MODEL_NAME_HEADER = 'X-Gateway-Model-Name';
/** Generation can stream for minutes; the Gateway's default (often 15 s) would cut it off. */
export const ROUTE_REQUEST_TIMEOUT = '300s';
/** Chooses among several Gateways: the one labelled `airunway.ai/inference-gateway: "true"`. */
export const LABEL_INFERENCE_GATEWAY = 'airunway.ai/inference-gateway';

export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
  /** Listener (sectionName) to attach to; all listeners that allow the route when unset. */
  readonly listener?: string;
}

export interface GatewayObjectsOptions {
  readonly gateway: GatewayRef;
  /**
   * The Service in front of the model server pods. The pool targets pod ports, so `targetPort`
   * is the numeric container port behind `port` (defaults to `port`, as for vLLM's 8000).
   */
  readonly modelService: { readonly name: string; readonly port: number; readonly targetPort?: number };
  /** The model server pods of the pool; defaults to `airunway.ai/model-deployment: <md>`. */
  readonly poolSelector?: Readonly<Record<string, string>>;
  /**
   * True when the provider renders the InferencePool `<md>` and its EPP itself (llm-d): then
   * only the HTTPRoute (and a model rewrite) are rendered here.
   */
  readonly poolManagedByProvider: boolean;
  /**
   * The name the model server answers to, when the provider does not serve model.servedName
   * (e.g. a runner that ignores it); defaults to servedModelName(spec).
   */
  readonly servedModelName?: string;
  /** Replaces DEFAULT_EPP_IMAGE, e.g. with a registry mirror. */
  readonly endpointPickerImage?: string;
}

/** The name clients send as `model` through the Gateway. */
export function gatewayModelName(md: ModelDeployment): string {
  return md.spec.gateway?.modelName ?? servedModelName(md.spec) ?? md.metadata.name;
}

/** Labels of the routing objects (not tied to one provider or engine). */
export function gatewayLabels(md: ModelDeployment, component: string): Record<string, string> {
  return sortedMap({
    [LABEL_NAME]: 'inference-gateway',
    [LABEL_INSTANCE]: md.metadata.name,
    [LABEL_COMPONENT]: component,
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_MODEL_DEPLOYMENT]: md.metadata.name,
  });
}

/**
 * The objects routing `md` through `options.gateway`, in apply order: the EPP (ServiceAccount,
 * Role, RoleBinding, Deployment, Service) and the InferencePool unless the provider manages
 * them, the InferenceModelRewrite when gateway.modelName differs from the served name, and the
 * HTTPRoute last, so it never points at a pool that is not there.
 */
export function gatewayObjects(md: ModelDeployment, options: GatewayObjectsOptions): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  if (!options.poolManagedByProvider) {
    objects.push(
      ...endpointPickerObjects(md, {
        labels: gatewayLabels(md, 'endpoint-picker'),
        image: options.endpointPickerImage ?? DEFAULT_EPP_IMAGE,
        config: DEFAULT_EPP_CONFIG,
      }),
      inferencePool(md, {
        labels: gatewayLabels(md, 'inference-pool'),
        targetPort: options.modelService.targetPort ?? options.modelService.port,
        ...(options.poolSelector ? { selector: options.poolSelector } : {}),
      }),
    );
  }
  const rewrite = modelRewrite(md, options.servedModelName ?? servedModelName(md.spec));
  if (rewrite) objects.push(rewrite);
  objects.push(httpRoute(md, options.gateway));
  return objects;
}

function httpRoute(md: ModelDeployment, gateway: GatewayRef): HTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: defined({
      name: md.metadata.name,
      namespace: md.metadata.namespace,
      labels: gatewayLabels(md, 'route'),
    }),
    spec: {
      parentRefs: [
        defined({
          group: GATEWAY_GROUP,
          kind: 'Gateway',
          namespace: gateway.namespace,
          name: gateway.name,
          sectionName: gateway.listener,
        }),
      ],
      rules: [
        {
          matches: [
            {
              path: { type: 'PathPrefix', value: '/' },
              headers: [{ type: 'Exact', name: MODEL_NAME_HEADER, value: gatewayModelName(md) }],
            },
          ],
          backendRefs: [{ group: INFERENCE_GROUP, kind: 'InferencePool', name: inferencePoolName(md) }],
          timeouts: { request: ROUTE_REQUEST_TIMEOUT },
        },
      ],
    },
  };
}

function modelRewrite(md: ModelDeployment, served: string | undefined): InferenceModelRewrite | undefined {
  const requested = md.spec.gateway?.modelName;
  if (requested === undefined || served === undefined || requested === served) return undefined;
  return {
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferenceModelRewrite',
    metadata: defined({
      name: md.metadata.name,
      namespace: md.metadata.namespace,
      labels: gatewayLabels(md, 'model-rewrite'),
    }),
    spec: {
      poolRef: { group: INFERENCE_GROUP, kind: 'InferencePool', name: inferencePoolName(md) },
      rules: [
        { matches: [{ model: { type: 'Exact', value: requested } }], targets: [{ modelRewrite: served }] },
      ],
    },
  };
}

// ── which Gateway, and whether to route at all ──────────────────────────────────────────

export type GatewaySelection =
  | { readonly ok: true; readonly gateway: GatewayRef }
  | {
      readonly ok: false;
      readonly reason: 'NoGateway' | 'GatewayNotLabelled' | 'AmbiguousGateway' | 'GatewayNotFound';
      readonly message: string;
    };

/**
 * The Gateway to route through: the configured one (operator setting) if given, else the only
 * Gateway in the cluster, else the only one labelled `airunway.ai/inference-gateway: "true"`.
 */
export function selectGateway(
  gateways: readonly Pick<Gateway, 'metadata'>[],
  configured?: GatewayRef,
): GatewaySelection {
  const key = (g: Pick<Gateway, 'metadata'>) => `${g.metadata.namespace ?? ''}/${g.metadata.name}`;
  const sorted = [...gateways].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (configured) {
    const found = sorted.some(
      (g) => g.metadata.name === configured.name && g.metadata.namespace === configured.namespace,
    );
    return found
      ? { ok: true, gateway: configured }
      : {
          ok: false,
          reason: 'GatewayNotFound',
          message: `the configured Gateway ${configured.namespace}/${configured.name} does not exist`,
        };
  }
  const ref = (g: Pick<Gateway, 'metadata'>): GatewayRef => ({
    name: g.metadata.name,
    namespace: g.metadata.namespace ?? 'default',
  });
  const only = sorted.length === 1 ? sorted[0] : undefined;
  if (only) return { ok: true, gateway: ref(only) };
  if (sorted.length === 0) {
    return { ok: false, reason: 'NoGateway', message: 'no Gateway exists in the cluster' };
  }
  const labelled = sorted.filter((g) => g.metadata.labels?.[LABEL_INFERENCE_GATEWAY] === 'true');
  const chosen = labelled.length === 1 ? labelled[0] : undefined;
  if (chosen) return { ok: true, gateway: ref(chosen) };
  const names = orList((labelled.length > 0 ? labelled : sorted).map(key));
  return labelled.length === 0
    ? {
        ok: false,
        reason: 'GatewayNotLabelled',
        message: `${sorted.length} Gateways exist (${names}) and none is labelled ${LABEL_INFERENCE_GATEWAY}: "true"; label the one to use`,
      }
    : {
        ok: false,
        reason: 'AmbiguousGateway',
        message: `${labelled.length} Gateways are labelled ${LABEL_INFERENCE_GATEWAY}: "true" (${names}); label only one`,
      };
}

export interface GatewayFacts {
  /** InferencePool (inference.networking.k8s.io/v1) and HTTPRoute (gateway.networking.k8s.io/v1) are served. */
  readonly crdsInstalled: boolean;
  /** selectGateway's answer; undefined when the CRDs are missing. */
  readonly selection?: GatewaySelection;
}

export type GatewayRouting =
  | { readonly route: true; readonly gateway: GatewayRef }
  | {
      readonly route: false;
      /** GatewayReady=False with this reason and message; undefined when nothing is worth saying. */
      readonly condition?: { readonly reason: string; readonly message: string };
    };

/**
 * Whether to route `md` through a Gateway: gateway.enabled false turns it off; unset, it is on
 * when the CRDs exist and a Gateway is selected; true, a missing piece is reported.
 */
export function gatewayRouting(md: ModelDeployment, facts: GatewayFacts): GatewayRouting {
  const enabled = md.spec.gateway?.enabled;
  if (enabled === false) {
    return { route: false, condition: { reason: 'GatewayDisabled', message: 'gateway.enabled is false' } };
  }
  if (!facts.crdsInstalled) {
    return enabled === true
      ? {
          route: false,
          condition: {
            reason: 'CRDsNotInstalled',
            message:
              'gateway.enabled is true, but the Gateway API (HTTPRoute v1) and Inference Extension ' +
              '(InferencePool v1) CRDs are not installed',
          },
        }
      : { route: false };
  }
  const selection = facts.selection;
  if (selection?.ok) return { route: true, gateway: selection.gateway };
  // A cluster without any Gateway simply does not route; only a request for routing is owed an answer.
  if (selection?.reason === 'NoGateway' && enabled !== true) return { route: false };
  return {
    route: false,
    condition: {
      reason: selection?.reason ?? 'NoGateway',
      message: selection?.message ?? 'no Gateway is selected',
    },
  };
}

// ── the whole plan, for the operator and for previews ───────────────────────────────────

/** Routing through a Gateway needs both: HTTPRoute (Gateway API) and InferencePool (Inference Extension). */
export const GATEWAY_CRDS = [
  'httproutes.gateway.networking.k8s.io',
  'inferencepools.inference.networking.k8s.io',
] as const;

export interface RoutingFacts {
  /** Names of the CRDs established in the cluster. */
  readonly establishedCrds: readonly string[];
  /** The cluster's Gateways (metadata is enough). */
  readonly gateways: readonly Pick<Gateway, 'metadata'>[];
  /** The Gateway the operator was told to use, if any. */
  readonly configured?: GatewayRef | undefined;
}

export interface RoutingPlan {
  /** The objects to apply for routing (empty when not routed). */
  readonly objects: KubernetesObject[];
  /** The Gateway routed through, when routed. */
  readonly gateway: GatewayRef | undefined;
  /** GatewayReady=False with this reason and message, when something is worth saying. */
  readonly condition?: { readonly reason: string; readonly message: string };
}

/**
 * Whether and how `md`, served by `provider`, is routed through a Gateway, and the objects
 * that does it. Objects whose CRD the cluster lacks (the model-name rewrite needs the
 * Inference Extension's full install) are left out and named in the condition.
 */
export function routingPlan(md: ModelDeployment, provider: Provider, facts: RoutingFacts): RoutingPlan {
  const crdsInstalled = GATEWAY_CRDS.every((crd) => facts.establishedCrds.includes(crd));
  const decision = gatewayRouting(md, {
    crdsInstalled,
    ...(crdsInstalled ? { selection: selectGateway(facts.gateways, facts.configured) } : {}),
  });
  if (!decision.route) {
    return {
      objects: [],
      gateway: undefined,
      ...(decision.condition ? { condition: decision.condition } : {}),
    };
  }
  const endpoint = provider.status(md, { objects: [], pods: [] }).endpoint;
  const backend = provider.gatewayBackend?.(md);
  const objects = gatewayObjects(md, {
    gateway: decision.gateway,
    modelService: {
      name: endpoint.service,
      port: endpoint.port,
      ...(backend ? { targetPort: backend.targetPort } : {}),
    },
    ...(backend ? { poolSelector: backend.selector } : {}),
    poolManagedByProvider: provider.id === 'llmd',
  });
  const crdOf = (o: KubernetesObject) =>
    RENDERED_KINDS.find((k) => kindKey(o.apiVersion, o.kind) === `${k.group}/${k.kind}`)?.crd;
  const missing = [
    ...new Set(objects.map(crdOf).filter((crd) => crd !== undefined && !facts.establishedCrds.includes(crd))),
  ];
  return {
    objects: objects.filter((o) => {
      const crd = crdOf(o);
      return crd === undefined || facts.establishedCrds.includes(crd);
    }),
    gateway: decision.gateway,
    ...(missing.length > 0
      ? {
          condition: {
            reason: 'CRDsNotInstalled',
            message: `gateway.modelName needs ${missing.join(', ')}, which is not installed`,
          },
        }
      : {}),
  };
}
