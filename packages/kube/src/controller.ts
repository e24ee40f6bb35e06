// Ties informers to a reconcile function through a work queue, as controller-runtime does:
// informer events → key (the object's, or its owner's) → WorkQueue → N workers →
// reconcile(key). Reconcile is level-triggered: it gets a key, reads current state from
// caches, and converges; it never sees the event. Outcomes:
//  - resolves with nothing        → forget the key's failures; done
//  - resolves {requeueAfter: ms}  → forget failures; look again after ms (periodic checks)
//  - resolves {requeue: true}     → retry with rate-limited backoff, without an error
//  - throws                       → retry with rate-limited backoff; counted by reason
//  - throws TerminalError         → no retry (the object must change first); counted
import { silentLogger, type Logger } from './logger.js';
import { errorReason } from './errors.js';
import type { Informer } from './informer.js';
import { controllerOf, objectKey, parseKey, type KubeObject, type ObjectKey } from './objects.js';
import type { Clock } from './clock.js';
import type { RateLimiter } from './rate-limiter.js';
import { runWorkers, WorkQueue, type WorkQueueMetrics } from './work-queue.js';

export interface ReconcileRequest {
  readonly key: ObjectKey;
  readonly namespace: string | undefined;
  readonly name: string;
}

export interface ReconcileResult {
  /** Look at the key again after this many ms (the failure count is reset). */
  readonly requeueAfter?: number;
  /** Retry with backoff, without counting an error. */
  readonly requeue?: boolean;
}

export interface ReconcileContext {
  /** Aborts when the controller stops (e.g. leadership lost): stop writing, return. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** How many times this key has been retried since it last succeeded. */
  readonly retries: number;
}

/** Resolves with a ReconcileResult, or with nothing when the key is done. */
export type Reconciler = (
  request: ReconcileRequest,
  context: ReconcileContext,
) => Promise<ReconcileResult | undefined> | Promise<void>;

/** An error that retrying cannot fix; the key is not requeued. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

/** Metric hooks for reconciles (see metrics.ts). */
export interface ControllerMetrics {
  reconciled?(result: 'success' | 'error' | 'requeue' | 'requeue_after', durationMs: number): void;
  reconcileError?(reason: string): void;
  activeWorkers?(delta: 1 | -1): void;
}

export interface ControllerOptions {
  /** Names the controller in logs and metrics, e.g. "modeldeployment". */
  readonly name: string;
  readonly reconcile: Reconciler;
  /** Concurrent reconciles of different keys (default 2). */
  readonly workers?: number;
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: ControllerMetrics;
  readonly queueMetrics?: WorkQueueMetrics;
}

/** Maps an object seen by an informer to the keys to reconcile. */
export type KeyMapper<T extends KubeObject> = (obj: T) => Iterable<ObjectKey>;

/** The object's own key (for the primary resource). */
export const ownKey: KeyMapper<KubeObject> = (obj) => [objectKey(obj)];

/**
 * For owned objects: the key of the controller owner, if it is of `kind` (and of `group`,
 * when given). Owners live in the child's namespace (cross-namespace owners are invalid).
 */
export function controllerOwnerKey(kind: string, group?: string): KeyMapper<KubeObject> {
  return (obj) => {
    const ref = controllerOf(obj);
    if (!ref || ref.kind !== kind) return [];
    if (group !== undefined) {
      const refGroup = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
      if (refGroup !== group) return [];
    }
    return [obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name];
  };
}

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly options: ControllerOptions;
  private readonly logger: Logger;
  private readonly informers: Informer<KubeObject>[] = [];
  private readonly unregister: (() => Promise<void>)[] = [];
  private running = false;

  constructor(options: ControllerOptions) {
    this.options = options;
    this.name = options.name;
    this.logger = (options.logger ?? silentLogger).child({ controller: options.name });
    this.queue = new WorkQueue({
      name: options.name,
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.queueMetrics ? { metrics: options.queueMetrics } : {}),
    });
  }

  /**
   * Enqueues keys for every add, update and delete the informer sees. Updates that change
   * nothing but the resourceVersion still enqueue (a resync is such an update); the queue
   * collapses duplicates. Call before run().
   */
  watch<T extends KubeObject>(informer: Informer<T>, toKeys: KeyMapper<T> = ownKey): this {
    const enqueue = (obj: T) => {
      for (const key of toKeys(obj)) this.queue.add(key);
    };
    this.informers.push(informer as unknown as Informer<KubeObject>);
    this.unregister.push(
      informer.addEventHandler({
        onAdd: enqueue,
        onUpdate: (oldObj, newObj) => {
          // An owner change moves a child from one parent to another: both must look.
          enqueue(oldObj);
          enqueue(newObj);
        },
        onDelete: enqueue,
      }),
    );
    return this;
  }

  /** Enqueues a key directly (e.g. from a non-informer source). */
  enqueue(key: ObjectKey): void {
    this.queue.add(key);
  }

  /**
   * Waits for the watched informers to sync, then reconciles until `signal` aborts; then
   * stops taking keys, lets in-flight reconciles finish (their signal is aborted) and
   * resolves. Starting the informers is the caller's job (they may be shared).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`controller ${this.name} is already running`);
    this.running = true;
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else
        signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
    });
    await Promise.race([Promise.all(this.informers.map((i) => i.synced)), stopped]);
    if (signal.aborted) {
      await this.shutDown();
      return;
    }
    const workers = this.options.workers ?? 2;
    this.logger.info('caches synced; starting workers', { workers });
    void stopped.then(() => this.queue.shutDown({ drain: false }));
    await runWorkers(
      this.queue,
      workers,
      (key) => this.process(key, signal),
      (key, err) => {
        this.logger.error('worker failed', { key, err });
      },
    );
    await this.shutDown();
    this.logger.info('stopped');
  }

  private async shutDown(): Promise<void> {
    await this.queue.shutDown({ drain: false });
    await Promise.all(this.unregister.map((u) => u()));
    this.running = false;
  }

  private async process(key: ObjectKey, signal: AbortSignal): Promise<void> {
    const { namespace, name } = parseKey(key);
    const metrics = this.options.metrics;
    const logger = this.logger.child({ key });
    const started = performance.now();
    metrics?.activeWorkers?.(1);
    try {
      const result = (await this.options.reconcile(
        { key, namespace, name },
        { signal, logger, retries: this.queue.numRequeues(key) },
      )) as ReconcileResult | undefined;
      const elapsed = performance.now() - started;
      if (result?.requeueAfter !== undefined && result.requeueAfter > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, result.requeueAfter);
        metrics?.reconciled?.('requeue_after', elapsed);
      } else if (result?.requeue) {
        this.queue.addRateLimited(key);
        metrics?.reconciled?.('requeue', elapsed);
      } else {
        this.queue.forget(key);
        metrics?.reconciled?.('success', elapsed);
      }
    } catch (err) {
      const elapsed = performance.now() - started;
      metrics?.reconciled?.('error', elapsed);
      metrics?.reconcileError?.(errorReason(err));
      if (signal.aborted) {
        logger.debug('reconcile ended by shutdown', { err });
      } else if (err instanceof TerminalError) {
        this.queue.forget(key);
        logger.error('reconcile failed permanently; not retrying', { err });
      } else {
        this.queue.addRateLimited(key);
        logger.warn('reconcile failed; retrying with backoff', {
          err,
          retries: this.queue.numRequeues(key),
        });
      }
    } finally {
      metrics?.activeWorkers?.(-1);
    }
  }
}
