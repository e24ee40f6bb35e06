// Server-side apply for controllers: children applied under the controller's field manager
// and owned by their parent (ownerReference controller=true, blockOwnerDeletion=true, so
// garbage collection removes them with the parent), status applied to the status
// subresource, and every write skipped when it would change nothing (see
// managed-fields.ts for how that is decided without a GET).
import type { FieldsV1 } from './objects.js';
import type { ApplyOptions, KubeClient } from './client.js';
import {
  canonicalJson,
  compareFieldSet,
  compareValues,
  hashOf,
  managedFieldsEntry,
} from './managed-fields.js';
import type { KubeObject, ObjectMeta, OwnerReference } from './objects.js';

/** Annotation holding the hash of the desired state last applied (owned by our manager). */
export const DESIRED_HASH_ANNOTATION = 'airunway.ai/desired-hash';

export interface ApplyDecision {
  readonly needed: boolean;
  /** Why (for logs and tests): what differs, or why nothing does. */
  readonly reason: string;
}

export interface ApplyOutcome<T> {
  /** False when the write was skipped because nothing would change. */
  readonly applied: boolean;
  /** The server's answer, or the live object when skipped. */
  readonly object: T;
  readonly reason: string;
}

export interface ApplyIfChangedOptions<T> extends Pick<ApplyOptions, 'resource' | 'signal' | 'dryRun'> {
  readonly fieldManager: string;
  /** Take fields over from other managers (default true: a controller owns what it sends). */
  readonly force?: boolean;
  /**
   * What the cache holds for this object: compared before writing. `null` = known absent
   * (apply). Omitted = unknown (apply without comparing). The cache must keep the
   * managedFields of `fieldManager` (Informer option keepManagedFieldsOf).
   */
  readonly live?: T | null;
  /** Annotation for the desired-state hash; false to not use one (default DESIRED_HASH_ANNOTATION). */
  readonly hashAnnotation?: string | false;
}

/**
 * The parts of `desired` that field ownership is tracked for: identity (apiVersion, kind,
 * name, namespace) is not a field anyone owns.
 */
function comparable(desired: KubeObject, subresource: string): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = desired as KubeObject & Record<string, unknown>;
  if (subresource) return subresource in rest ? { [subresource]: rest[subresource] } : {};
  const {
    name: _n,
    namespace: _ns,
    uid: _u,
    resourceVersion: _rv,
    generation: _g,
    creationTimestamp: _c,
    managedFields: _m,
    ...meta
  } = metadata;
  return Object.keys(meta).length > 0 ? { metadata: meta, ...rest } : rest;
}

/**
 * Would applying `desired` as `fieldManager` change `live`? False only when our manager
 * owns exactly the fields of `desired` and their values are as desired (or the
 * desired-state hash annotation says this exact desired state was applied).
 */
export function needsApply(
  live: KubeObject | null | undefined,
  desired: KubeObject,
  options: { fieldManager: string; subresource?: string; hashAnnotation?: string | false },
): ApplyDecision {
  if (!live) return { needed: true, reason: 'the object does not exist' };
  const subresource = options.subresource ?? '';
  const entry = managedFieldsEntry(live, options.fieldManager, subresource);
  if (!entry) {
    const hint = live.metadata.managedFields
      ? ''
      : ' (the cached object has no managedFields: keep them with keepManagedFieldsOf)';
    return {
      needed: true,
      reason: `${options.fieldManager} has applied no fields${subresource ? ` of ${subresource}` : ''} yet${hint}`,
    };
  }
  const view = comparable(desired, subresource);
  const fields =
    typeof entry.fieldsV1 === 'string' ? (JSON.parse(entry.fieldsV1) as FieldsV1) : entry.fieldsV1;
  const ownership = compareFieldSet(view, fields ?? {});
  if (!ownership.equal)
    return {
      needed: true,
      reason: `fields of ${options.fieldManager} differ at ${ownership.path ?? '.'}: ${ownership.detail ?? ''}`,
    };
  const hashKey = options.hashAnnotation ?? DESIRED_HASH_ANNOTATION;
  if (!subresource && hashKey !== false) {
    const wanted = desired.metadata.annotations?.[hashKey];
    if (wanted !== undefined && live.metadata.annotations?.[hashKey] === wanted)
      return { needed: false, reason: 'all fields still owned and the desired-state hash is unchanged' };
  }
  // The hash annotation is compared last: a reason naming the field that really changed
  // (`.spec.replicas`) tells a reader of the operator's events more than two hashes do.
  const fieldValues = compareValues(withoutAnnotation(view, hashKey), withoutAnnotation(live, hashKey));
  const values = fieldValues.equal ? compareValues(view, live) : fieldValues;
  if (!values.equal)
    return { needed: true, reason: `value differs at ${values.path ?? '.'}: ${values.detail ?? ''}` };
  return { needed: false, reason: 'all fields owned and equal' };
}

function withoutAnnotation<T extends Partial<KubeObject>>(obj: T, key: string | false): T {
  const annotations = obj.metadata?.annotations;
  if (key === false || !annotations || !(key in annotations)) return obj;
  const { [key]: _hash, ...rest } = annotations;
  return { ...obj, metadata: { ...obj.metadata, annotations: rest } };
}

/** Returns `obj` with the hash of its desired state in `annotation` (the hash excludes itself). */
export function withDesiredHash<T extends KubeObject>(obj: T, annotation = DESIRED_HASH_ANNOTATION): T {
  const { [annotation]: _old, ...annotations } = obj.metadata.annotations ?? {};
  const base = { ...obj, metadata: { ...obj.metadata, annotations } };
  const hash = hashOf(base);
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [annotation]: hash } } };
}

/**
 * Server-side applies `desired` unless the cached `live` object shows it would change
 * nothing. The desired-state hash annotation is added first (unless disabled).
 */
export async function applyIfChanged<T extends KubeObject>(
  client: KubeClient,
  desired: T,
  options: ApplyIfChangedOptions<T>,
): Promise<ApplyOutcome<T>> {
  const hashAnnotation = options.hashAnnotation ?? DESIRED_HASH_ANNOTATION;
  const body = hashAnnotation === false ? desired : withDesiredHash(desired, hashAnnotation);
  let reason = 'no cached object to compare with';
  if (options.live !== undefined) {
    const decision = needsApply(options.live, body, { fieldManager: options.fieldManager, hashAnnotation });
    if (!decision.needed && options.live)
      return { applied: false, object: options.live, reason: decision.reason };
    reason = decision.reason;
  }
  const object = await client.apply(body, {
    fieldManager: options.fieldManager,
    force: options.force ?? true,
    ...(options.resource ? { resource: options.resource } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  return { applied: true, object, reason };
}

/** An ownerReference to `owner` as its controller (the owner as read from the cluster). */
export function controllerReference(owner: KubeObject): OwnerReference {
  const { name, uid } = owner.metadata;
  const { apiVersion, kind } = owner;
  if (!name || !uid || !apiVersion || !kind)
    throw new Error(
      'the owner needs apiVersion, kind, metadata.name and metadata.uid (read it from the cluster)',
    );
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** Thrown when an object already has a different controller. */
export class AlreadyOwnedError extends Error {
  override readonly name = 'AlreadyOwnedError';
}

/**
 * `obj` with `owner` as its controller reference (other owner references kept). An object
 * may have one controller only; a different existing controller is an error, as in
 * controller-runtime. Namespaced owners must be in the object's namespace.
 */
export function setControllerReference<T extends KubeObject>(obj: T, owner: KubeObject): T {
  const ref = controllerReference(owner);
  const ownerNs = owner.metadata.namespace;
  if (ownerNs && ownerNs !== obj.metadata.namespace)
    throw new Error(
      `cross-namespace owner: ${ref.kind} ${ownerNs}/${ref.name} cannot own an object in ${obj.metadata.namespace ?? 'the cluster scope'}`,
    );
  const refs = obj.metadata.ownerReferences ?? [];
  const other = refs.find((r) => r.controller === true && r.uid !== ref.uid);
  if (other)
    throw new AlreadyOwnedError(
      `${obj.metadata.name ?? '?'} is already controlled by ${other.kind} ${other.name} (${other.uid})`,
    );
  const meta: ObjectMeta = {
    ...obj.metadata,
    ownerReferences: [...refs.filter((r) => r.uid !== ref.uid), ref],
  };
  return { ...obj, metadata: meta };
}

/** Applies `obj` owned by `owner` (controller reference), skipping writes that change nothing. */
export async function applyOwned<T extends KubeObject>(
  client: KubeClient,
  obj: T,
  owner: KubeObject,
  options: ApplyIfChangedOptions<T>,
): Promise<ApplyOutcome<T>> {
  return applyIfChanged(client, setControllerReference(obj, owner), options);
}

export interface ApplyStatusOptions<T> extends Pick<ApplyOptions, 'resource' | 'signal'> {
  readonly fieldManager: string;
  /** Default true: status has one writer, us. */
  readonly force?: boolean;
  /** The cached object, compared before writing (its status managedFields entry included). */
  readonly live?: T | null;
}

/**
 * Server-side applies `status` to the status subresource of `target` (apiVersion, kind,
 * name, namespace are taken from it), unless the cached object shows nothing would change.
 */
export async function applyStatus<T extends KubeObject>(
  client: KubeClient,
  target: KubeObject,
  status: unknown,
  options: ApplyStatusOptions<T>,
): Promise<ApplyOutcome<T>> {
  const { apiVersion, kind } = target;
  const { name, namespace } = target.metadata;
  if (!apiVersion || !kind || !name)
    throw new Error('applyStatus: apiVersion, kind and metadata.name are required');
  const desired = {
    apiVersion,
    kind,
    metadata: namespace ? { name, namespace } : { name },
    status,
  } as KubeObject as T;
  let reason = 'no cached object to compare with';
  if (options.live !== undefined) {
    const decision = needsApply(options.live, desired, {
      fieldManager: options.fieldManager,
      subresource: 'status',
    });
    if (!decision.needed && options.live)
      return { applied: false, object: options.live, reason: decision.reason };
    reason = decision.reason;
  }
  const object = await client.applyStatus(desired, {
    fieldManager: options.fieldManager,
    force: options.force ?? true,
    ...(options.resource ? { resource: options.resource } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { applied: true, object, reason };
}

export { canonicalJson, hashOf };
