// An informer: list, then watch from the list's resourceVersion, keeping a local cache and
// telling handlers what changed. Built against the ways TypeScript watch clients are known
// to fail (research/peers.md §4):
//  - silent stops: an inactivity timer (no event or bookmark for N s) aborts and re-watches,
//    and the server is asked to close each watch after timeoutSeconds; bookmarks (about
//    one a minute from the watch cache) keep a healthy but quiet watch alive and move the
//    resourceVersion forward, so a reconnect resumes without a relist;
//  - 410 Gone (HTTP or ERROR event): relist and emit the difference to the cache as
//    synthetic add/update/delete — once each, never a replay of what handlers already saw;
//  - any other failure: retry with capped, jittered exponential backoff, forever. The
//    informer never stops by itself; `status()` exposes lastError for probes and logs;
//  - ordering: events are applied to the cache in stream order and delivered to each
//    handler in that order, one at a time (see SerialExecutor);
//  - memory: metadata.managedFields are dropped before caching (except the entries of
//    managers the caller names, which compare-before-write needs).
import { Backoff, type BackoffOptions } from './backoff.js';
import { sleep, systemClock, type Clock, type TimerHandle } from './clock.js';
import type { KubeClient } from './client.js';
import { KubeApiError, errorReason, isGone } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { objectKey, type KubeObject, type ObjectKey } from './objects.js';
import { groupResourceOf, type ResourceDescriptor } from './resources.js';
import { SerialExecutor } from './serial-executor.js';
import { ObjectStore, type IndexFunc, type ListFilter, type ReadableStore } from './store.js';

export interface InformerHandlers<T> {
  onAdd?(obj: T): void | Promise<void>;
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  /** finalStateUnknown: the delete was inferred by a relist; `obj` is the last cached state. */
  onDelete?(obj: T, info: { finalStateUnknown: boolean }): void | Promise<void>;
}

/** What an informer reports to metrics. */
export type InformerSignal =
  | { readonly kind: 'list'; readonly informer: string; readonly items: number; readonly durationMs: number }
  | {
      readonly kind: 'watch-ended';
      readonly informer: string;
      readonly reason: 'closed' | 'inactivity' | 'gone' | 'error';
    }
  | { readonly kind: 'event'; readonly informer: string; readonly type: string }
  | { readonly kind: 'handler-error'; readonly informer: string };

export interface InformerOptions<T extends KubeObject> {
  readonly client: KubeClient;
  readonly resource: ResourceDescriptor;
  /** Watch one namespace only (default: all). */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Items per list page (default 500). */
  readonly pageSize?: number;
  /** Server-side watch timeout; default a random 300–600 s per watch (as client-go). */
  readonly watchTimeoutSeconds?: number;
  /** Abort and re-watch after this long without any event or bookmark (default 120 s). */
  readonly inactivityTimeoutMs?: number;
  /** Reconnect backoff (default 500 ms doubling to 30 s, jittered). */
  readonly backoff?: BackoffOptions;
  /** Applied to every object before it is cached (after managedFields are dropped). */
  readonly transform?: (obj: T) => T;
  /** Keep managedFields entries of these managers (e.g. the operator's own, for needsApply). */
  readonly keepManagedFieldsOf?: readonly string[];
  /** Re-deliver every cached object as an update this often (default: never). */
  readonly resyncPeriodMs?: number;
  /** For logs and metrics (default: resource[.group][/namespace]). */
  readonly name?: string;
  readonly logger?: Logger;
  readonly observer?: (signal: InformerSignal) => void;
  readonly clock?: Clock;
}

export interface InformerStatus {
  readonly name: string;
  readonly synced: boolean;
  readonly watching: boolean;
  readonly stopped: boolean;
  /** The resourceVersion the next watch would resume from. */
  readonly resourceVersion: string;
  readonly lastError: { readonly message: string; readonly reason: string; readonly at: Date } | undefined;
  readonly lastEventAt: Date | undefined;
  /** Completed lists (the first one included). */
  readonly lists: number;
  /** Watches that ended and were re-established. */
  readonly watchRestarts: number;
  readonly bookmarks: number;
}

/** Aborts a watch that has gone quiet for longer than the inactivity timeout. */
export class WatchInactivityError extends Error {
  override readonly name = 'WatchInactivityError';
}

class InformerStoppedError extends Error {
  override readonly name = 'InformerStoppedError';
}

interface Registration<T> {
  readonly handlers: InformerHandlers<T>;
  readonly executor: SerialExecutor;
}

export class Informer<T extends KubeObject> implements ReadableStore<T> {
  readonly name: string;
  private readonly store = new ObjectStore<T>();
  private readonly registrations = new Set<Registration<T>>();
  private readonly options: InformerOptions<T>;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly keepManagers: ReadonlySet<string>;

  private rv = '';
  private started = false;
  private stopped = false;
  private isSynced = false;
  private watching = false;
  private lists = 0;
  private watchRestarts = 0;
  private bookmarks = 0;
  /** Events (bookmarks included) delivered by the current or last watch. */
  private watchEvents = 0;
  private lastError: InformerStatus['lastError'];
  private lastEventAt: Date | undefined;
  private current: AbortController | undefined;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private resyncTimer: TimerHandle | undefined;
  private resolveSynced!: () => void;
  private rejectSynced!: (err: unknown) => void;
  /** Resolves once the first list is cached and every handler has seen its adds. */
  readonly synced: Promise<void>;

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.name =
      options.name ??
      `${groupResourceOf(options.resource)}${options.namespace ? `/${options.namespace}` : ''}`;
    this.logger = (options.logger ?? silentLogger).child({ informer: this.name });
    this.clock = options.clock ?? systemClock;
    this.backoff = new Backoff(options.backoff);
    this.keepManagers = new Set(options.keepManagedFieldsOf ?? []);
    this.synced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    // Nobody may be waiting; stopping before the first sync must not be an unhandled rejection.
    this.synced.catch(() => undefined);
  }

  get resource(): ResourceDescriptor {
    return this.options.resource;
  }

  get resourceVersion(): string {
    return this.rv;
  }

  hasSynced(): boolean {
    return this.isSynced;
  }

  status(): InformerStatus {
    return {
      name: this.name,
      synced: this.isSynced,
      watching: this.watching,
      stopped: this.stopped,
      resourceVersion: this.rv,
      lastError: this.lastError,
      lastEventAt: this.lastEventAt,
      lists: this.lists,
      watchRestarts: this.watchRestarts,
      bookmarks: this.bookmarks,
    };
  }

  // --- cache access -----------------------------------------------------------------------

  get size(): number {
    return this.store.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace, name);
  }

  getByKey(key: ObjectKey): T | undefined {
    return this.store.getByKey(key);
  }

  list(filter?: ListFilter): T[] {
    return this.store.list(filter);
  }

  keys(): ObjectKey[] {
    return this.store.keys();
  }

  addIndex(name: string, fn: IndexFunc<T>): this {
    this.store.addIndex(name, fn);
    return this;
  }

  byIndex(indexName: string, value: string): T[] {
    return this.store.byIndex(indexName, value);
  }

  // --- handlers ---------------------------------------------------------------------------

  /**
   * Registers handlers. Objects already cached are delivered to them as adds first (as a
   * shared informer does), so registering late never misses state. Returns an unregister
   * function.
   */
  addEventHandler(handlers: InformerHandlers<T>): () => Promise<void> {
    const registration: Registration<T> = {
      handlers,
      executor: new SerialExecutor((err) => {
        this.options.observer?.({ kind: 'handler-error', informer: this.name });
        this.logger.error('event handler failed', { err });
      }),
    };
    this.registrations.add(registration);
    if (this.isSynced) {
      for (const obj of this.store.list()) registration.executor.push(() => handlers.onAdd?.(obj));
    }
    return async () => {
      this.registrations.delete(registration);
      await registration.executor.stop();
    };
  }

  private notify(call: (h: InformerHandlers<T>) => unknown): void {
    for (const r of this.registrations) r.executor.push(() => call(r.handlers));
  }

  // --- lifecycle --------------------------------------------------------------------------

  /** Starts listing and watching (idempotent). Await `synced` to know the cache is full. */
  start(): this {
    if (this.started || this.stopped) return this;
    this.started = true;
    this.loop = this.run();
    return this;
  }

  /** Stops watching; handlers receive nothing more. Optionally drops the cache. */
  async stop(options: { clearCache?: boolean } = {}): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.stopController.abort(new InformerStoppedError(`informer ${this.name} stopped`));
      this.current?.abort(new InformerStoppedError(`informer ${this.name} stopped`));
      if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
      if (!this.isSynced) this.rejectSynced(new InformerStoppedError(`informer ${this.name} stopped`));
    }
    await this.loop;
    await Promise.all([...this.registrations].map((r) => r.executor.stop()));
    if (options.clearCache) this.store.clear();
  }

  private async run(): Promise<void> {
    let needList = true;
    let consecutiveGone = 0;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.listAndReplace();
          needList = false;
        }
        const { events, durationMs } = await this.watchOnce();
        this.watchRestarts++;
        this.options.observer?.({ kind: 'watch-ended', informer: this.name, reason: 'closed' });
        consecutiveGone = 0;
        // A watch the server closes at once, again and again, must not become a hot loop.
        if (events === 0 && durationMs < 1_000) await this.pause(this.backoff.next());
        else this.backoff.reset();
      } catch (err) {
        if (this.isStopped()) break;
        if (err instanceof WatchInactivityError) {
          this.watchRestarts++;
          this.options.observer?.({ kind: 'watch-ended', informer: this.name, reason: 'inactivity' });
          this.logger.warn('watch silent for too long; re-watching', {
            resourceVersion: this.rv,
            inactivityTimeoutMs: this.inactivityTimeoutMs,
          });
          this.recordError(err);
          await this.pause(this.backoff.next());
          continue;
        }
        this.recordError(err);
        if (isGone(err)) {
          // The resourceVersion is no longer available: relist. Back off only if relisting
          // keeps ending in 410, so a server that rejects every RV cannot spin us (the
          // "410 loop").
          this.options.observer?.({ kind: 'watch-ended', informer: this.name, reason: 'gone' });
          this.logger.info('resourceVersion expired; relisting', { resourceVersion: this.rv });
          needList = true;
          if (this.watchEvents > 0) consecutiveGone = 0; // that watch worked for a while
          if (++consecutiveGone > 1) await this.pause(this.backoff.next());
          continue;
        }
        if (!needList) this.watchRestarts++;
        this.options.observer?.({ kind: 'watch-ended', informer: this.name, reason: 'error' });
        const retryAfterMs = err instanceof KubeApiError ? (err.retryAfterSeconds ?? 0) * 1000 : 0;
        const delay = Math.max(this.backoff.next(), retryAfterMs);
        this.logger.warn(needList ? 'list failed; retrying' : 'watch failed; re-watching', {
          err,
          delayMs: Math.round(delay),
          resourceVersion: this.rv,
        });
        await this.pause(delay);
      }
    }
  }

  /** A method, not the field: TypeScript keeps narrowing fields across awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private get inactivityTimeoutMs(): number {
    return this.options.inactivityTimeoutMs ?? 120_000;
  }

  private pause(ms: number): Promise<void> {
    return sleep(ms, this.stopController.signal, this.clock);
  }

  private recordError(err: unknown): void {
    this.lastError = {
      message: err instanceof Error ? err.message : String(err),
      reason: errorReason(err),
      at: new Date(),
    };
  }

  /** Drops managedFields (except kept managers) and applies the caller's transform. */
  private prepare(obj: T): T {
    const meta = obj.metadata;
    if (meta.managedFields) {
      const kept = meta.managedFields.filter(
        (e) => e.manager !== undefined && this.keepManagers.has(e.manager),
      );
      // A field set is a deep tree of small objects; as its JSON text it takes a fraction of
      // the memory, and needsApply parses it only when it compares.
      if (kept.length > 0)
        meta.managedFields = kept.map((e) =>
          e.fieldsV1 === undefined || typeof e.fieldsV1 === 'string'
            ? e
            : { ...e, fieldsV1: JSON.stringify(e.fieldsV1) },
        );
      else delete meta.managedFields;
    }
    return this.options.transform ? this.options.transform(obj) : obj;
  }

  private async listAndReplace(): Promise<void> {
    const started = this.clock.now();
    const controller = new AbortController();
    this.current = controller;
    // A fresh (consistent) list: it must be no older than anything handlers have seen.
    const { items, resourceVersion } = await this.options.client.listAll<T>(this.options.resource, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      pageSize: this.options.pageSize ?? 500,
      signal: controller.signal,
    });
    if (this.isStopped()) return;
    const diff = this.store.replace(items.map((o) => this.prepare(o)));
    this.rv = resourceVersion;
    this.lists++;
    this.options.observer?.({
      kind: 'list',
      informer: this.name,
      items: items.length,
      durationMs: this.clock.now() - started,
    });
    // Deletes first: a name deleted and re-created meanwhile is a delete, then an add.
    for (const obj of diff.deleted) this.notify((h) => h.onDelete?.(obj, { finalStateUnknown: true }));
    for (const obj of diff.added) this.notify((h) => h.onAdd?.(obj));
    for (const { oldObject, object } of diff.updated) this.notify((h) => h.onUpdate?.(oldObject, object));
    if (this.lists > 1) {
      this.logger.info('relisted', {
        added: diff.added.length,
        updated: diff.updated.length,
        deleted: diff.deleted.length,
        resourceVersion,
      });
    }
    if (!this.isSynced) {
      const markers = [...this.registrations].map(
        (r) =>
          new Promise<void>((resolve) => {
            r.executor.push(resolve);
          }),
      );
      this.isSynced = true;
      this.scheduleResync();
      void Promise.all(markers).then(() => {
        this.resolveSynced();
      });
      this.logger.debug('synced', { items: items.length, resourceVersion });
    }
  }

  private async watchOnce(): Promise<{ events: number; durationMs: number }> {
    const controller = new AbortController();
    this.current = controller;
    const started = this.clock.now();
    let events = 0;
    this.watchEvents = 0;
    let timer: TimerHandle | undefined;
    const arm = () => {
      if (timer !== undefined) this.clock.clearTimeout(timer);
      timer = this.clock.setTimeout(() => {
        controller.abort(
          new WatchInactivityError(`no watch event or bookmark for ${this.inactivityTimeoutMs} ms`),
        );
      }, this.inactivityTimeoutMs);
    };
    arm();
    try {
      const stream = await this.options.client.openWatch<T>(this.options.resource, {
        namespace: this.options.namespace,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
        resourceVersion: this.rv,
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.watchTimeoutSeconds ?? Math.floor(300 + Math.random() * 300),
        signal: controller.signal,
      });
      this.watching = true;
      for await (const event of stream) {
        arm();
        events++;
        this.watchEvents = events;
        this.lastEventAt = new Date();
        this.options.observer?.({ kind: 'event', informer: this.name, type: event.type });
        if (event.type === 'BOOKMARK') {
          this.bookmarks++;
          if (event.object.metadata.resourceVersion) this.rv = event.object.metadata.resourceVersion;
          continue;
        }
        this.apply(event.type, this.prepare(event.object));
        // A healthy stream resets the backoff: the next failure starts small again.
        if (events === 1) this.backoff.reset();
      }
      return { events, durationMs: this.clock.now() - started };
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
      this.watching = false;
    }
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void {
    if (obj.metadata.resourceVersion) this.rv = obj.metadata.resourceVersion;
    const key = objectKey(obj);
    if (type === 'DELETED') {
      const old = this.store.remove(key);
      // Not in the cache: a relist already reported this delete. Never report it twice.
      if (old) this.notify((h) => h.onDelete?.(obj, { finalStateUnknown: false }));
      return;
    }
    const old = this.store.getByKey(key);
    if (
      old &&
      old.metadata.resourceVersion === obj.metadata.resourceVersion &&
      old.metadata.uid === obj.metadata.uid
    )
      return; // a replay of what we already have
    this.store.upsert(obj);
    if (old && old.metadata.uid !== obj.metadata.uid) {
      this.notify((h) => h.onDelete?.(old, { finalStateUnknown: true }));
      this.notify((h) => h.onAdd?.(obj));
    } else if (old) this.notify((h) => h.onUpdate?.(old, obj));
    else this.notify((h) => h.onAdd?.(obj));
  }

  private scheduleResync(): void {
    const period = this.options.resyncPeriodMs;
    if (!period || this.stopped) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      for (const obj of this.store.list()) this.notify((h) => h.onUpdate?.(obj, obj));
      this.scheduleResync();
    }, period);
  }
}
