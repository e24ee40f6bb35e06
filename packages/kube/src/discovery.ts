// apiVersion + kind → resource, so callers can apply arbitrary objects (provider CRs whose
// plural they do not hard-code). One GET of /api/v1 or /apis/<group>/<version> per group
// version, cached. A miss refetches — a CRD may have been installed since — but at most
// once per `missRefreshMs`, so a reconcile loop asking for an absent kind cannot turn into
// a discovery storm.
import { UnknownKindError, isNotFound } from './errors.js';
import { groupOf } from './objects.js';
import type { ResourceDescriptor } from './resources.js';

export interface ApiResource {
  readonly name: string;
  readonly singularName?: string;
  readonly namespaced: boolean;
  readonly kind: string;
  readonly verbs?: readonly string[];
}

export interface ApiResourceList {
  readonly groupVersion: string;
  readonly resources: readonly ApiResource[];
}

interface Entry {
  readonly fetchedAt: number;
  /** kind → descriptor; undefined when the group version is not served at all. */
  readonly byKind: Promise<Map<string, ResourceDescriptor> | undefined>;
}

export interface DiscoveryOptions {
  /** Minimum time between two fetches of the same group version after a miss (default 2 s). */
  readonly missRefreshMs?: number;
  readonly now?: () => number;
}

export class Discovery {
  private readonly cache = new Map<string, Entry>();
  private readonly missRefreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly fetchGroupVersion: (apiVersion: string) => Promise<ApiResourceList>,
    options: DiscoveryOptions = {},
  ) {
    this.missRefreshMs = options.missRefreshMs ?? 2_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** The resource serving `kind` in `apiVersion`; throws UnknownKindError if none does. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceDescriptor> {
    let entry = this.entry(apiVersion, false);
    let found = (await entry.byKind)?.get(kind);
    if (!found && this.now() - entry.fetchedAt >= this.missRefreshMs) {
      entry = this.entry(apiVersion, true);
      found = (await entry.byKind)?.get(kind);
    }
    if (!found) throw new UnknownKindError(apiVersion, kind, 'is its CustomResourceDefinition installed?');
    return found;
  }

  /** All kinds currently served by a group version (empty when it is not served). */
  async kinds(apiVersion: string): Promise<ResourceDescriptor[]> {
    return [...((await this.entry(apiVersion, false).byKind)?.values() ?? [])];
  }

  /** Forget one group version (e.g. after its CRD changed), or everything. */
  invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.cache.clear();
    else this.cache.delete(apiVersion);
  }

  private entry(apiVersion: string, refresh: boolean): Entry {
    const cached = this.cache.get(apiVersion);
    if (cached && !refresh) return cached;
    const byKind = this.load(apiVersion);
    const entry: Entry = { fetchedAt: this.now(), byKind };
    this.cache.set(apiVersion, entry);
    // A failed fetch (network, 5xx) must not stick: drop it so the next call retries.
    byKind.catch(() => {
      if (this.cache.get(apiVersion) === entry) this.cache.delete(apiVersion);
    });
    return entry;
  }

  private async load(apiVersion: string): Promise<Map<string, ResourceDescriptor> | undefined> {
    let list: ApiResourceList;
    try {
      list = await this.fetchGroupVersion(apiVersion);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const group = groupOf(apiVersion);
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    const byKind = new Map<string, ResourceDescriptor>();
    for (const r of list.resources) {
      if (r.name.includes('/')) continue; // subresources (pods/status, deployments/scale)
      if (!byKind.has(r.kind))
        byKind.set(r.kind, { group, version, resource: r.name, namespaced: r.namespaced, kind: r.kind });
    }
    return byKind;
  }
}
