// The work queue of a level-triggered controller, with client-go's semantics:
//  - keyed (namespace/name): an event says "look at this object", not what changed, so many
//    events for one object collapse into one reconcile;
//  - de-duplicated: adding a key that is already queued is a no-op;
//  - serialised per key: a key being processed is never handed to a second worker; if it is
//    added meanwhile it is marked dirty and queued again once, when the worker is done
//    (so the change that arrived mid-reconcile is not lost);
//  - delayed adds (requeue-after: the earlier deadline wins) and rate-limited adds
//    (per-item exponential backoff × global token bucket) for retries;
//  - graceful shutdown: no new adds, delayed items dropped, queued and in-flight items
//    finish (or only in-flight ones, with drain: false).
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/** Hooks for metrics (see metrics.ts); every one is optional. */
export interface WorkQueueMetrics {
  /** A key was added (not counting no-op duplicates). */
  added?(): void;
  /** Number of keys waiting to be processed (not counting in-flight or delayed ones). */
  depth?(depth: number): void;
  /** Time a key spent queued before a worker took it. */
  queueLatency?(ms: number): void;
  /** Time a worker spent on a key. */
  workDuration?(ms: number): void;
  /** A rate-limited retry was scheduled. */
  retried?(): void;
}

export interface WorkQueueOptions {
  readonly name?: string;
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  readonly metrics?: WorkQueueMetrics;
}

interface Delayed {
  readonly key: string;
  readonly at: number;
}

export class WorkQueue {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private readonly metrics: WorkQueueMetrics;

  /** FIFO of keys ready for a worker (a deque: head index instead of shift()). */
  private ready: string[] = [];
  private head = 0;
  /** Keys that need processing: queued, or added again while in flight. */
  private readonly dirty = new Set<string>();
  /** In-flight keys → when the worker took them. */
  private readonly processing = new Map<string, number>();
  /** When each dirty key was added (for the queue-latency metric). */
  private readonly addedAt = new Map<string, number>();
  /** Delayed keys → due time; the heap orders them, stale heap entries are skipped. */
  private readonly waiting = new Map<string, number>();
  private heap: Delayed[] = [];
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  /** Workers blocked in get(). */
  private readonly getters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;
  private drained: (() => void)[] = [];

  constructor(options: WorkQueueOptions = {}) {
    this.name = options.name ?? 'queue';
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter({ clock: this.clock });
    this.metrics = options.metrics ?? {};
  }

  /** Keys ready for a worker. */
  get length(): number {
    return this.ready.length - this.head;
  }

  /** Keys being processed right now. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Keys scheduled for later (addAfter / addRateLimited). */
  get delayed(): number {
    return this.waiting.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.addedAt.set(key, this.clock.now());
    this.metrics.added?.();
    if (this.processing.has(key)) return; // re-queued by done()
    this.enqueue(key);
  }

  /** Adds `key` after `delayMs`; if it is already scheduled, the earlier time wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing !== undefined && existing <= at) return;
    this.waiting.set(key, at);
    this.heapPush({ key, at });
    this.armTimer();
  }

  /** Adds `key` after the rate limiter's delay for it (one more failure counted). */
  addRateLimited(key: string): void {
    if (this.shuttingDown) return;
    this.metrics.retried?.();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets the failure count of `key` (call after a successful reconcile). */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /**
   * The next key to process; waits while the queue is empty. Resolves undefined once the
   * queue is shut down and has nothing left. Every key obtained must be given to done().
   */
  get(): Promise<string | undefined> {
    if (this.length > 0) return Promise.resolve(this.take(this.dequeue()));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker finished `key`: it may be handed out again (now, if it was added meanwhile). */
  done(key: string): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    this.metrics.workDuration?.(this.clock.now() - started);
    if (this.dirty.has(key)) this.enqueue(key);
    this.checkDrained();
  }

  /** Sum of the time in-flight keys have been processed so far (ms). */
  unfinishedWorkMs(): number {
    const now = this.clock.now();
    let total = 0;
    for (const started of this.processing.values()) total += now - started;
    return total;
  }

  /** How long the longest-running in-flight key has been processed (ms). */
  longestRunningMs(): number {
    const now = this.clock.now();
    let longest = 0;
    for (const started of this.processing.values()) longest = Math.max(longest, now - started);
    return longest;
  }

  /**
   * Stops accepting keys and drops delayed ones. Resolves when workers have finished what is
   * in flight and — with drain (default) — what is queued; with drain: false queued keys
   * are dropped too.
   */
  shutDown(options: { drain?: boolean } = {}): Promise<void> {
    this.shuttingDown = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.waiting.clear();
    this.heap = [];
    if (options.drain === false) {
      for (let i = this.head; i < this.ready.length; i++) {
        const key = this.ready[i];
        if (key !== undefined) {
          this.dirty.delete(key);
          this.addedAt.delete(key);
        }
      }
      this.ready = [];
      this.head = 0;
      this.metrics.depth?.(0);
    }
    if (this.length === 0) for (const resolve of this.getters.splice(0)) resolve(undefined);
    const done = new Promise<void>((resolve) => this.drained.push(resolve));
    this.checkDrained();
    return done;
  }

  private checkDrained(): void {
    if (!this.shuttingDown || this.length > 0 || this.processing.size > 0) return;
    for (const resolve of this.getters.splice(0)) resolve(undefined);
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private enqueue(key: string): void {
    const getter = this.getters.shift();
    if (getter) {
      getter(this.take(key));
      return;
    }
    this.ready.push(key);
    this.metrics.depth?.(this.length);
  }

  private dequeue(): string {
    const key = this.ready[this.head] as string;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    this.metrics.depth?.(this.length);
    return key;
  }

  private take(key: string): string {
    const now = this.clock.now();
    this.dirty.delete(key);
    this.processing.set(key, now);
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.metrics.queueLatency?.(now - added);
    return key;
  }

  // --- delayed keys -----------------------------------------------------------------------

  private armTimer(): void {
    const next = this.peekValid();
    if (!next) return;
    if (this.timer !== undefined && this.timerAt <= next.at) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = next.at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.fireDue();
    }, next.at - this.clock.now());
  }

  private fireDue(): void {
    const now = this.clock.now();
    for (let next = this.peekValid(); next && next.at <= now; next = this.peekValid()) {
      this.heapPop();
      this.waiting.delete(next.key);
      this.add(next.key);
    }
    this.armTimer();
  }

  /** The earliest heap entry that is still current (drops superseded ones). */
  private peekValid(): Delayed | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top) return undefined;
      if (this.waiting.get(top.key) === top.at) return top;
      this.heapPop();
    }
  }

  private heapPush(item: Delayed): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Delayed;
      if (p.at <= item.at) break;
      h[i] = p;
      i = parent;
    }
    h[i] = item;
  }

  private heapPop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      let smallestAt = last.at;
      const left = h[l];
      const right = h[r];
      if (left && left.at < smallestAt) {
        smallest = l;
        smallestAt = left.at;
      }
      if (right && right.at < smallestAt) smallest = r;
      if (smallest === i) break;
      h[i] = h[smallest] as Delayed;
      i = smallest;
    }
    h[i] = last;
  }
}

/**
 * Runs `workers` loops that take keys from `queue` and call `process`, until the queue is
 * shut down and drained. `process` must not throw; a throw is reported to `onError`.
 */
export async function runWorkers(
  queue: WorkQueue,
  workers: number,
  process: (key: string) => Promise<void>,
  onError: (key: string, err: unknown) => void = () => undefined,
): Promise<void> {
  const worker = async () => {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      try {
        await process(key);
      } catch (err) {
        onError(key, err);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
}
