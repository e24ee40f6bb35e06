// What the API keeps of each kind it watches. Each informer stores a slim copy made by its
// transform: the few fields the services read, so memory follows the number of objects, not
// their size (a Dynamo CRD is 1.6 MB of schema; a pod spec is mostly containers we never read).
import type {
  Condition,
  CustomResourceDefinition,
  KubeObject,
  ObjectMeta,
  ResourceDescriptor,
} from '@airunway/kube';
import { parseQuantity } from '@airunway/providers';
import {
  API_GROUP,
  API_VERSION,
  MODEL_DEPLOYMENT_KIND,
  MODEL_DEPLOYMENT_PLURAL,
  type ModelDeployment,
} from '@airunway/schema';

export type ModelDeploymentObject = ModelDeployment & KubeObject;

export const ModelDeploymentResource: ResourceDescriptor = {
  group: API_GROUP,
  version: API_VERSION,
  resource: MODEL_DEPLOYMENT_PLURAL,
  kind: MODEL_DEPLOYMENT_KIND,
  namespaced: true,
};

function slimMeta(meta: ObjectMeta, keep: { labels?: boolean; annotations?: boolean } = {}): ObjectMeta {
  return {
    name: meta.name,
    namespace: meta.namespace,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
    creationTimestamp: meta.creationTimestamp,
    ...(meta.deletionTimestamp ? { deletionTimestamp: meta.deletionTimestamp } : {}),
    ...(keep.labels && meta.labels ? { labels: meta.labels } : {}),
    ...(keep.annotations && meta.annotations ? { annotations: meta.annotations } : {}),
  };
}

// ── nodes ─────────────────────────────────────────────────────────────────────────────────

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface CachedNode extends KubeObject {
  spec: { unschedulable?: boolean; providerID?: string; taints?: Taint[] };
  status: {
    allocatable: Record<string, string>;
    capacity: Record<string, string>;
    /** Only the Ready condition is kept. */
    conditions: Condition[];
  };
}

interface WireNode extends KubeObject {
  spec?: { unschedulable?: boolean; providerID?: string; taints?: Taint[] };
  status?: {
    allocatable?: Record<string, string>;
    capacity?: Record<string, string>;
    conditions?: Condition[];
  };
}

export function slimNode(node: KubeObject): CachedNode {
  const { spec = {}, status = {} } = node as WireNode;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: slimMeta(node.metadata, { labels: true }),
    spec: { unschedulable: spec.unschedulable, providerID: spec.providerID, taints: spec.taints },
    status: {
      allocatable: status.allocatable ?? {},
      capacity: status.capacity ?? {},
      conditions: (status.conditions ?? []).filter((c) => c.type === 'Ready'),
    },
  };
}

export function nodeReady(node: CachedNode): boolean {
  return node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

// ── pods, for capacity ────────────────────────────────────────────────────────────────────

/** A pod as capacity sees it: where it runs, its phase, and what it takes from the node. */
export interface CapacityPod extends KubeObject {
  spec: { nodeName?: string };
  status: { phase?: string };
  /**
   * Effective requests as the scheduler counts them (see effectiveRequests): cpu in
   * millicores, memory and ephemeral-storage in bytes, extended resources (nvidia.com/gpu) as
   * counts.
   */
  requests: Record<string, number>;
}

interface WireContainer {
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  restartPolicy?: string;
}

interface WirePod extends KubeObject {
  spec?: { nodeName?: string; containers?: WireContainer[]; initContainers?: WireContainer[] };
  status?: { phase?: string };
}

/**
 * A quantity in the unit capacity arithmetic uses for `resource`: millicores for cpu (so
 * "500m" stays an integer), bytes for memory, counts for the rest. 0 when unparseable.
 */
export function resourceAmount(resource: string, quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const value = parseQuantity(quantity);
  if (value === undefined || !Number.isFinite(value) || value <= 0) return 0;
  return resource === 'cpu' ? Math.ceil(value * 1000) : Math.ceil(value);
}

/** A container's requests; a limit without a request is the request (as the apiserver defaults it). */
function containerRequests(container: WireContainer): Map<string, number> {
  const out = new Map<string, number>();
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  for (const name of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
    const value = resourceAmount(name, requests[name] ?? limits[name]);
    if (value > 0) out.set(name, value);
  }
  return out;
}

function addInto(target: Map<string, number>, source: Map<string, number>): void {
  for (const [k, v] of source) target.set(k, (target.get(k) ?? 0) + v);
}

/**
 * What a pod takes from its node, as the scheduler counts it: the larger of the app
 * containers' sum (with sidecars) and the largest init container. `pod` may be a Pod or
 * anything with a pod spec under `spec` (a rendered pod template).
 */
export function effectiveRequests(pod: object): Record<string, number> {
  const spec = (pod as WirePod).spec ?? {};
  const running = new Map<string, number>();
  for (const c of spec.containers ?? []) addInto(running, containerRequests(c));
  // Sidecars (restartable init containers) run alongside the app containers; each ordinary
  // init container runs alone, next to the sidecars started before it.
  const sidecars = new Map<string, number>();
  const peak = new Map<string, number>();
  for (const c of spec.initContainers ?? []) {
    const own = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, own);
      continue;
    }
    const during = new Map(sidecars);
    addInto(during, own);
    for (const [k, v] of during) peak.set(k, Math.max(peak.get(k) ?? 0, v));
  }
  addInto(running, sidecars);
  for (const [k, v] of peak) running.set(k, Math.max(running.get(k) ?? 0, v));
  return Object.fromEntries(running);
}

export function slimCapacityPod(pod: KubeObject): CapacityPod {
  const wire = pod as WirePod;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: slimMeta(pod.metadata),
    spec: { nodeName: wire.spec?.nodeName || undefined },
    status: { phase: wire.status?.phase },
    requests: effectiveRequests(pod),
  };
}

// ── provider operator pods ────────────────────────────────────────────────────────────────

export interface OperatorPod extends KubeObject {
  spec: { containers: { name: string; image?: string }[] };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

export function slimOperatorPod(pod: KubeObject): OperatorPod {
  const wire = pod as KubeObject & {
    spec?: { containers?: { name: string; image?: string }[] };
    status?: OperatorPod['status'];
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: slimMeta(pod.metadata, { labels: true }),
    spec: { containers: (wire.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image })) },
    status: { phase: wire.status?.phase, conditions: wire.status?.conditions },
  };
}

// ── CRDs ──────────────────────────────────────────────────────────────────────────────────

/** A CRD without its schemas (all that detection and discovery of kinds need). */
export function slimCrd(crd: CustomResourceDefinition): CustomResourceDefinition {
  return {
    apiVersion: crd.apiVersion,
    kind: crd.kind,
    metadata: slimMeta(crd.metadata, { labels: true, annotations: true }),
    spec: {
      group: crd.spec.group,
      names: crd.spec.names,
      scope: crd.spec.scope,
      versions: crd.spec.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage })),
    },
    status: { conditions: crd.status?.conditions },
  };
}

export function crdEstablished(crd: CustomResourceDefinition): boolean {
  return (
    !crd.metadata.deletionTimestamp &&
    crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true
  );
}

// ── events ────────────────────────────────────────────────────────────────────────────────

export interface CachedEvent extends KubeObject {
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
  reportingComponent?: string;
}

export function slimEvent(event: KubeObject): CachedEvent {
  const e = event as CachedEvent & { series?: { count?: number; lastObservedTime?: string } };
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: slimMeta(event.metadata),
    involvedObject: {
      kind: e.involvedObject.kind,
      name: e.involvedObject.name,
      namespace: e.involvedObject.namespace,
      uid: e.involvedObject.uid,
    },
    reason: e.reason,
    message: e.message,
    type: e.type,
    // Events written through events.k8s.io/v1 count repeats in series, not in count.
    count: e.series?.count ?? e.count,
    firstTimestamp: e.firstTimestamp ?? e.eventTime,
    lastTimestamp: e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime,
    source: e.source?.component ? { component: e.source.component } : undefined,
    reportingComponent: e.reportingComponent,
  };
}

/** Index of events by the object they are about: "<namespace>/<kind>/<name>". */
export const BY_INVOLVED_OBJECT = 'involved-object';
export const involvedObjectKey = (namespace: string, kind: string, name: string) =>
  `${namespace}/${kind}/${name}`;
export const byInvolvedObject = (e: CachedEvent): string[] =>
  e.involvedObject.kind && e.involvedObject.name
    ? [involvedObjectKey(e.involvedObject.namespace ?? '', e.involvedObject.kind, e.involvedObject.name)]
    : [];

// ── deployments (kube-system), config maps, model deployments ─────────────────────────────

export interface CachedDeployment extends KubeObject {
  spec: { replicas?: number };
  status: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export function slimDeployment(deployment: KubeObject): CachedDeployment {
  const d = deployment as Partial<CachedDeployment>;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: slimMeta(deployment.metadata, { labels: true }),
    spec: { replicas: d.spec?.replicas },
    status: {
      replicas: d.status?.replicas,
      readyReplicas: d.status?.readyReplicas,
      availableReplicas: d.status?.availableReplicas,
    },
  };
}

export interface CachedConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export function slimConfigMap(cm: KubeObject): CachedConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: slimMeta(cm.metadata, { labels: true, annotations: true }),
    data: (cm as CachedConfigMap).data,
  };
}
