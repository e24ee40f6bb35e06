// Kubernetes Events (events.k8s.io/v1) for the objects a controller manages, built so a
// hot loop cannot flood the apiserver — the approach of client-go's tools/events:
//  - the first occurrence of an event creates it;
//  - repeats of the same event (same object, reason, action, type and note) within the
//    series window only bump a counter in memory; the Event's `series` (count,
//    lastObservedTime) is patched at most once per flush interval per event;
//  - a token bucket per object (burst 25, one token per 5 min, as client-go's spam filter)
//    caps how many distinct events one object can create; over the limit they are dropped
//    (and counted) rather than queued without bound;
//  - recording never throws and never blocks a reconcile: writes happen in the background
//    and failures are logged. flush() waits for them (tests, shutdown).
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { KubeClient } from './client.js';
import { isNotFound } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { microTime, type EventsV1Event, type KubeObject, type ObjectReference } from './objects.js';
import { Resources } from './resources.js';

export interface EventInit {
  readonly type: 'Normal' | 'Warning';
  /** Why, in CamelCase (e.g. "ProviderSelected"); ≤ 128 characters. */
  readonly reason: string;
  /** What was done or failed, in CamelCase (e.g. "Reconcile", "Apply"); ≤ 128 characters. */
  readonly action: string;
  /** Human-readable; truncated to 1 kB as the API requires. */
  readonly note?: string;
  /** A second object involved (e.g. the provider object that failed). */
  readonly related?: KubeObject;
}

export interface EventRecorderOptions {
  readonly client: KubeClient;
  /** A qualified name, e.g. "airunway.ai/operator". */
  readonly reportingController: string;
  /** This replica, e.g. the pod name; ≤ 128 characters. */
  readonly reportingInstance: string;
  /** Repeats within this window join the event's series (default 6 min, as client-go). */
  readonly seriesWindowMs?: number;
  /** Minimum time between two series updates of one event (default 30 s). */
  readonly flushIntervalMs?: number;
  /** Distinct events one object may create in a burst (default 25). */
  readonly burstPerObject?: number;
  /** One more event per object every this many ms (default 5 min). */
  readonly refillPerObjectMs?: number;
  /** Events remembered for aggregation (default 4096; least recent forgotten first). */
  readonly maxTracked?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Called with "created", "series-updated", "aggregated", "dropped" or "failed". */
  readonly observer?: (outcome: 'created' | 'series-updated' | 'aggregated' | 'dropped' | 'failed') => void;
}

interface Tracked {
  name: string;
  namespace: string;
  /** Occurrences so far (1 = created without series). */
  count: number;
  /** Count last written to the apiserver. */
  writtenCount: number;
  lastObserved: Date;
  lastObservedAt: number;
  /** Monotonic time of the last write of this event. */
  lastWriteAt: number;
  flushTimer: TimerHandle | undefined;
  /** Set once the create request settled. */
  created: Promise<boolean>;
  body: EventsV1Event;
}

interface Bucket {
  tokens: number;
  at: number;
}

const NOTE_MAX = 1024;

function reference(obj: KubeObject): ObjectReference {
  const { name, namespace, uid, resourceVersion } = obj.metadata;
  return {
    ...(obj.apiVersion ? { apiVersion: obj.apiVersion } : {}),
    ...(obj.kind ? { kind: obj.kind } : {}),
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    ...(uid ? { uid } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
  };
}

export class EventRecorder {
  private readonly options: EventRecorderOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly tracked = new Map<string, Tracked>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly pending = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(options: EventRecorderOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'events' });
  }

  /** Records an event about `regarding`. Never throws; the write happens in the background. */
  record(regarding: KubeObject, init: EventInit): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const wall = new Date();
    const note =
      init.note && init.note.length > NOTE_MAX ? `${init.note.slice(0, NOTE_MAX - 1)}…` : init.note;
    const objectId =
      regarding.metadata.uid ??
      `${regarding.kind ?? ''}/${regarding.metadata.namespace ?? ''}/${regarding.metadata.name ?? ''}`;
    const relatedId = init.related?.metadata.uid ?? init.related?.metadata.name ?? '';
    const key = JSON.stringify([objectId, relatedId, init.type, init.reason, init.action, note ?? '']);

    const existing = this.tracked.get(key);
    if (existing && now - existing.lastObservedAt < (this.options.seriesWindowMs ?? 6 * 60_000)) {
      existing.count++;
      existing.lastObserved = wall;
      existing.lastObservedAt = now;
      // Most recently used last: eviction takes the least recently observed.
      this.tracked.delete(key);
      this.tracked.set(key, existing);
      this.options.observer?.('aggregated');
      this.scheduleFlush(existing);
      return;
    }
    if (existing) this.forget(key, existing);

    if (!this.takeToken(objectId, now)) {
      this.options.observer?.('dropped');
      this.logger.debug('event dropped by the per-object rate limit', { reason: init.reason, objectId });
      return;
    }
    const namespace = regarding.metadata.namespace ?? 'default';
    const name = `${regarding.metadata.name ?? 'object'}.${Date.now().toString(16)}${randomBytes(3).toString('hex')}`;
    const body: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTime(wall),
      reportingController: this.options.reportingController,
      reportingInstance: this.options.reportingInstance,
      action: init.action,
      reason: init.reason,
      type: init.type,
      regarding: reference(regarding),
      ...(init.related ? { related: reference(init.related) } : {}),
      ...(note ? { note } : {}),
    };
    const tracked: Tracked = {
      name,
      namespace,
      count: 1,
      writtenCount: 1,
      lastObserved: wall,
      lastObservedAt: now,
      lastWriteAt: now,
      flushTimer: undefined,
      created: Promise.resolve(false),
      body,
    };
    tracked.created = this.track(this.create(tracked));
    this.tracked.set(key, tracked);
    this.evict();
  }

  /** Waits for every write started so far (including due series updates, sent now). */
  async flush(): Promise<void> {
    for (const t of this.tracked.values()) {
      if (t.count > t.writtenCount) {
        if (t.flushTimer !== undefined) this.clock.clearTimeout(t.flushTimer);
        t.flushTimer = undefined;
        void this.track(this.writeSeries(t));
      }
    }
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Flushes and stops recording. */
  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
    for (const t of this.tracked.values())
      if (t.flushTimer !== undefined) this.clock.clearTimeout(t.flushTimer);
    this.tracked.clear();
  }

  private track<P>(promise: Promise<P>): Promise<P> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  private async create(t: Tracked): Promise<boolean> {
    try {
      await this.options.client.create(Resources.EventV1, t.body, { namespace: t.namespace });
      this.options.observer?.('created');
      return true;
    } catch (err) {
      this.options.observer?.('failed');
      this.logger.warn('could not record event', { reason: t.body.reason, err });
      return false;
    }
  }

  private scheduleFlush(t: Tracked): void {
    if (t.flushTimer !== undefined || this.stopped) return;
    const interval = this.options.flushIntervalMs ?? 30_000;
    const wait = Math.max(0, t.lastWriteAt + interval - this.clock.now());
    t.flushTimer = this.clock.setTimeout(() => {
      t.flushTimer = undefined;
      void this.track(this.writeSeries(t));
    }, wait);
  }

  private async writeSeries(t: Tracked): Promise<void> {
    if (!(await t.created)) return;
    const count = t.count;
    if (count <= t.writtenCount) return;
    t.lastWriteAt = this.clock.now();
    const series = { count, lastObservedTime: microTime(t.lastObserved) };
    try {
      await this.options.client.patch(
        Resources.EventV1,
        t.name,
        { series },
        { namespace: t.namespace, type: 'merge' },
      );
      t.writtenCount = Math.max(t.writtenCount, count);
      this.options.observer?.('series-updated');
    } catch (err) {
      if (isNotFound(err)) {
        // The Event expired (apiserver --event-ttl, 1 h by default): start a new one.
        t.created = this.create({ ...t, body: { ...t.body, series } });
        if (await t.created) t.writtenCount = count;
        return;
      }
      this.options.observer?.('failed');
      this.logger.warn('could not update event series', { reason: t.body.reason, err });
    }
  }

  private takeToken(objectId: string, now: number): boolean {
    const burst = this.options.burstPerObject ?? 25;
    const refill = this.options.refillPerObjectMs ?? 5 * 60_000;
    const bucket = this.buckets.get(objectId) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / refill);
    bucket.at = now;
    this.buckets.delete(objectId);
    this.buckets.set(objectId, bucket);
    if (this.buckets.size > (this.options.maxTracked ?? 4096)) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private forget(key: string, t: Tracked): void {
    if (t.flushTimer !== undefined) this.clock.clearTimeout(t.flushTimer);
    if (t.count > t.writtenCount) void this.track(this.writeSeries(t));
    this.tracked.delete(key);
  }

  private evict(): void {
    const max = this.options.maxTracked ?? 4096;
    while (this.tracked.size > max) {
      const first = this.tracked.entries().next().value;
      if (!first) break;
      this.forget(first[0], first[1]);
    }
  }
}
