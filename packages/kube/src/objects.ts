// The JSON shape of Kubernetes objects as they travel over the wire. These types are
// our own rather than @kubernetes/client-node's models on purpose: the generated models
// declare timestamps as `Date`, but a client that parses JSON (as this one does) gets
// RFC 3339 strings, and a type that lies about that invites `.getTime()` on a string.

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** The field set of one manager, in FieldsV1 encoding ("f:spec": {"f:replicas": {}}, "k:{…}", "v:…"). */
export interface FieldsV1 {
  readonly [key: string]: FieldsV1;
}

export interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: 'Apply' | 'Update' | (string & {});
  readonly apiVersion?: string;
  readonly time?: string;
  readonly fieldsType?: string;
  /** As the API sends it, or as its JSON text (how informers cache it, to save memory). */
  readonly fieldsV1?: FieldsV1 | string;
  /** "" or absent for the main resource, "status" / "scale" for subresources. */
  readonly subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

/** Anything with Kubernetes object metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface ListMeta {
  readonly resourceVersion?: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export interface KubeList<T> {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ListMeta;
  readonly items: T[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | (string & {});
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** coordination.k8s.io/v1 Lease. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** events.k8s.io/v1 Event. */
export interface EventsV1Event extends KubeObject {
  eventTime: string;
  series?: { count: number; lastObservedTime: string };
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  regarding?: ObjectReference;
  related?: ObjectReference;
  note?: string;
  type: 'Normal' | 'Warning';
}

/** apiextensions.k8s.io/v1 CustomResourceDefinition (the fields this package reads). */
export interface CustomResourceDefinition extends KubeObject {
  spec: {
    group: string;
    names: { kind: string; plural: string; singular?: string; listKind?: string };
    scope: 'Namespaced' | 'Cluster';
    versions: { name: string; served: boolean; storage: boolean }[];
  };
  status?: {
    conditions?: Condition[];
    acceptedNames?: { kind?: string; plural?: string };
    storedVersions?: string[];
  };
}

/** "namespace/name" for namespaced objects, "name" for cluster-scoped ones (as client-go). */
export type ObjectKey = string;

export function objectKey(obj: KubeObject): ObjectKey {
  const { namespace, name } = obj.metadata;
  if (!name) throw new Error('object has no metadata.name');
  return namespace ? `${namespace}/${name}` : name;
}

export function keyOf(namespace: string | undefined, name: string): ObjectKey {
  return namespace ? `${namespace}/${name}` : name;
}

export function parseKey(key: ObjectKey): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The ownerReference with controller=true, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string) {
  return conditions?.find((c) => c.type === type);
}

/** Group of an apiVersion: "apps/v1" → "apps", "v1" → "". */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Kubernetes MicroTime (RFC 3339 with microseconds), as Leases and Events require. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The annotation in which kubectl's client-side apply keeps a second copy of the whole object. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** `obj` without kubectl's last-applied copy: what watch caches keep, to halve their memory. */
export function withoutLastApplied<T extends KubeObject>(obj: T): T {
  const annotations = obj.metadata.annotations;
  if (!annotations || !(LAST_APPLIED_ANNOTATION in annotations)) return obj;
  const { [LAST_APPLIED_ANNOTATION]: _dropped, ...rest } = annotations;
  return { ...obj, metadata: { ...obj.metadata, annotations: rest } };
}
