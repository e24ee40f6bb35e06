// Adding and removing a finalizer safely. The list is changed with a merge patch that
// carries the resourceVersion we read: if anyone changed the object since (another
// controller adding or removing its own finalizer), the apiserver answers 409 Conflict
// instead of us overwriting their change — the race that a blind JSON-Patch `replace` of
// the whole array loses. A conflict is a normal retry for the work queue. Nothing is sent
// when the finalizer is already as wanted, so steady-state reconciles stay write-free.
import type { KubeClient } from './client.js';
import type { KubeObject } from './objects.js';
import type { ResourceDescriptor } from './resources.js';

export interface FinalizerOptions {
  /** Skip discovery when the caller knows the resource. */
  readonly resource?: ResourceDescriptor;
  readonly fieldManager?: string;
  readonly signal?: AbortSignal;
}

export interface FinalizerOutcome<T> {
  /** False when no request was needed. */
  readonly changed: boolean;
  readonly object: T;
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

async function patchFinalizers<T extends KubeObject>(
  client: KubeClient,
  obj: T,
  finalizers: string[],
  options: FinalizerOptions,
): Promise<T> {
  const { name, namespace, resourceVersion } = obj.metadata;
  if (!name || !resourceVersion)
    throw new Error(
      'finalizers: the object needs metadata.name and metadata.resourceVersion (read it first)',
    );
  const resource = options.resource ?? (await client.resourceFor(obj));
  return client.patch<T>(
    resource,
    name,
    { metadata: { resourceVersion, finalizers } },
    {
      type: 'merge',
      namespace,
      ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
}

/** Adds `finalizer` unless present (409 Conflict if `obj` is stale). */
export async function addFinalizer<T extends KubeObject>(
  client: KubeClient,
  obj: T,
  finalizer: string,
  options: FinalizerOptions = {},
): Promise<FinalizerOutcome<T>> {
  if (hasFinalizer(obj, finalizer)) return { changed: false, object: obj };
  const object = await patchFinalizers(client, obj, [...(obj.metadata.finalizers ?? []), finalizer], options);
  return { changed: true, object };
}

/** Removes `finalizer` if present (409 Conflict if `obj` is stale). */
export async function removeFinalizer<T extends KubeObject>(
  client: KubeClient,
  obj: T,
  finalizer: string,
  options: FinalizerOptions = {},
): Promise<FinalizerOutcome<T>> {
  if (!hasFinalizer(obj, finalizer)) return { changed: false, object: obj };
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  const object = await patchFinalizers(client, obj, rest, options);
  return { changed: true, object };
}
