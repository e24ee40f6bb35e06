// How long a failed item waits before it is retried — client-go's workqueue rate limiters.
// The controller default is the maximum of a per-item exponential backoff (a persistently
// failing object backs off to minutes, without slowing others) and a global token bucket
// (when everything fails at once — apiserver down — total retries stay at ~10/s).
import { systemClock, type Clock } from './clock.js';

export interface RateLimiter {
  /** Delay (ms) before `item` may be retried; each call counts as one more failure. */
  when(item: string): number;
  /** The item succeeded: reset its failure count. */
  forget(item: string): void;
  /** Failures counted for `item` since it was last forgotten. */
  numRequeues(item: string): number;
}

/** base · 2^failures, capped (client-go default: 5 ms … 1000 s). */
export class ItemExponentialRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  when(item: string): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 2^n overflows to Infinity long before n matters; min() caps it.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A token bucket shared by all items (client-go default: 10 qps, burst 100). `when`
 * reserves a token; if none is left, the delay is the time until the reservation matures,
 * so a burst of failures is spread out instead of dropped.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: string): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: string): void {
    // The bucket is global: nothing per item to forget.
  }

  numRequeues(_item: string): number {
    return 0;
  }
}

/** The longest delay of several limiters; every limiter counts every failure. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(item: string): number {
    let delay = 0;
    for (const l of this.limiters) delay = Math.max(delay, l.when(item));
    return delay;
  }

  forget(item: string): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: string): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(item));
    return n;
  }
}

export interface ControllerRateLimiterOptions {
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly qps?: number;
  readonly burst?: number;
  readonly clock?: Clock;
}

/** client-go's DefaultControllerRateLimiter: max(5 ms·2^n ≤ 1000 s, bucket 10 qps / 100 burst). */
export function defaultControllerRateLimiter(options: ControllerRateLimiterOptions = {}): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialRateLimiter(options.baseDelayMs ?? 5, options.maxDelayMs ?? 1_000_000),
    new TokenBucketRateLimiter(options.qps ?? 10, options.burst ?? 100, options.clock ?? systemClock),
  );
}
