// The informer's local cache: objects by key, plus secondary indexes (namespace always;
// owner UID, a label, or anything else on request) so that "children of this
// ModelDeployment" is a map lookup rather than a scan. Cached objects are deep-frozen:
// they are shared by every reader, and a reconciler that mutated one in place would
// corrupt what every other reader sees (clone with structuredClone before editing).
import { labelMatcher, type LabelSelector } from './label-selector.js';
import { objectKey, keyOf, type KubeObject, type ObjectKey } from './objects.js';

/** Values under which an object is indexed (zero, one or several). */
export type IndexFunc<T> = (obj: T) => readonly string[];

export interface ListFilter {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | LabelSelector | undefined;
}

export interface StoreDiff<T> {
  readonly added: T[];
  readonly updated: { readonly oldObject: T; readonly object: T }[];
  readonly deleted: T[];
}

const NAMESPACE_INDEX = '__namespace';

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Read access to a cache (what informers hand to reconcilers). */
export interface ReadableStore<T extends KubeObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  getByKey(key: ObjectKey): T | undefined;
  list(filter?: ListFilter): T[];
  byIndex(indexName: string, value: string): T[];
  keys(): ObjectKey[];
  readonly size: number;
}

export class ObjectStore<T extends KubeObject> implements ReadableStore<T> {
  private readonly items = new Map<ObjectKey, T>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indexes = new Map<string, Map<string, Set<ObjectKey>>>();

  constructor() {
    this.addIndex(NAMESPACE_INDEX, (obj) => [obj.metadata.namespace ?? '']);
  }

  get size(): number {
    return this.items.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(keyOf(namespace, name));
  }

  getByKey(key: ObjectKey): T | undefined {
    return this.items.get(key);
  }

  keys(): ObjectKey[] {
    return [...this.items.keys()];
  }

  /** Objects in a namespace (or all), optionally matching a label selector. */
  list(filter: ListFilter = {}): T[] {
    const matches = labelMatcher(filter.labelSelector);
    const candidates =
      filter.namespace === undefined ? this.items.values() : this.byIndex(NAMESPACE_INDEX, filter.namespace);
    const out: T[] = [];
    for (const obj of candidates) if (matches(obj.metadata.labels)) out.push(obj);
    return out;
  }

  /** Adds an index and fills it from the current contents. Names are unique. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexFuncs.has(name)) throw new Error(`index "${name}" already exists`);
    this.indexFuncs.set(name, fn);
    const index = new Map<string, Set<ObjectKey>>();
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) for (const value of fn(obj)) addTo(index, value, key);
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indexes.get(indexName);
    if (!index) throw new Error(`no index named "${indexName}"`);
    const keys = index.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.items.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** Inserts or replaces; returns the previous object. The object is frozen. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    deepFreeze(obj);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes by key; returns the removed object. */
  remove(key: ObjectKey): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /**
   * Replaces the whole contents with a fresh list and reports what changed. An object whose
   * resourceVersion is unchanged is not an update: a relist after a broken watch must not
   * replay events the handlers already saw. Report deletes before adds (a re-created name
   * appears in both).
   */
  replace(objects: readonly T[]): StoreDiff<T> {
    const diff: StoreDiff<T> = { added: [], updated: [], deleted: [] };
    const seen = new Set<ObjectKey>();
    for (const obj of objects) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.items.get(key);
      if (!old) {
        this.upsert(obj);
        diff.added.push(obj);
      } else if (old.metadata.uid !== obj.metadata.uid) {
        // Deleted and re-created under the same name while we were not watching: two
        // different objects, so a delete and an add (handlers tracking UIDs need both).
        this.upsert(obj);
        diff.deleted.push(old);
        diff.added.push(obj);
      } else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        this.upsert(obj);
        diff.updated.push({ oldObject: old, object: obj });
      }
    }
    for (const [key, obj] of [...this.items]) {
      if (seen.has(key)) continue;
      this.remove(key);
      diff.deleted.push(obj);
    }
    return diff;
  }

  clear(): void {
    this.items.clear();
    for (const index of this.indexes.values()) index.clear();
  }

  private index(key: ObjectKey, obj: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indexes.get(name);
      if (index) for (const value of fn(obj)) addTo(index, value, key);
    }
  }

  private unindex(key: ObjectKey, obj: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indexes.get(name);
      if (!index) continue;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

function addTo(index: Map<string, Set<ObjectKey>>, value: string, key: ObjectKey): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}

/** Index function: UIDs of all owners (children of an object: byIndex('owner', uid)). */
export const byOwnerUid: IndexFunc<KubeObject> = (obj) =>
  obj.metadata.ownerReferences?.map((r) => r.uid) ?? [];

/** Index function: UID of the controller owner only. */
export const byControllerUid: IndexFunc<KubeObject> = (obj) => {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref ? [ref.uid] : [];
};

/** Index function factory: the value of one label. */
export function byLabel(label: string): IndexFunc<KubeObject> {
  return (obj) => {
    const value = obj.metadata.labels?.[label];
    return value === undefined ? [] : [value];
  };
}
