// Reads of namespaced objects from the watch cache, filtered to what the caller could read with
// kubectl. The cache holds every namespace (it is filled with the API's own identity), so a
// list must never return it unfiltered: a user who may list cluster-wide gets everything; any
// other user gets the namespaces where a review says they may list, and only those.
import { parseKey, type KubeObject, type ReadableStore } from '@airunway/kube';
import { ApiError } from '../errors.js';
import type { Caller } from './caller.js';

export interface ResourceRef {
  /** "" for the core group. */
  readonly group: string;
  readonly resource: string;
}

/** At most this many access reviews of one request in flight. */
const REVIEW_CONCURRENCY = 16;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Objects of `store` the caller may list: in `namespace` (FORBIDDEN if not allowed), or in every namespace they may read. */
export async function listVisible<T extends KubeObject>(
  caller: Caller,
  store: ReadableStore<T>,
  ref: ResourceRef,
  namespace?: string,
): Promise<T[]> {
  const scope = await visibleScope(caller, store, ref, namespace);
  return scope === ALL_NAMESPACES ? store.list() : scope.flatMap((ns) => store.list({ namespace: ns }));
}

export const ALL_NAMESPACES = '*';

/**
 * Where the caller may list: every namespace, or these (only `namespace` when given, FORBIDDEN
 * if not allowed there). Callers with the same scope see the same objects.
 */
export async function visibleScope(
  caller: Caller,
  store: ReadableStore<KubeObject>,
  ref: ResourceRef,
  namespace?: string,
): Promise<typeof ALL_NAMESPACES | string[]> {
  if (namespace !== undefined) {
    await caller.authorize({ verb: 'list', ...ref, namespace });
    return [namespace];
  }
  if (await caller.can({ verb: 'list', ...ref })) return ALL_NAMESPACES;
  const namespaces = [...new Set(store.keys().map((key) => parseKey(key).namespace ?? ''))].sort();
  const allowed = await mapLimit(namespaces, REVIEW_CONCURRENCY, (ns) =>
    caller.can({ verb: 'list', ...ref, namespace: ns }),
  );
  return namespaces.filter((_, i) => allowed[i]);
}

/** One object the caller may get; FORBIDDEN or NOT_FOUND otherwise (FORBIDDEN first: existence is not revealed). */
export async function getVisible<T extends KubeObject>(
  caller: Caller,
  store: ReadableStore<T>,
  ref: ResourceRef,
  namespace: string,
  name: string,
): Promise<T> {
  await caller.authorize({ verb: 'get', ...ref, namespace, name });
  const obj = store.get(namespace, name);
  if (!obj)
    throw ApiError.notFound(`${ref.resource} "${name}" not found in namespace ${namespace}`, {
      namespace,
      name,
    });
  return obj;
}
