// A bounded cache of answers that are valid for a short while (token and access reviews).
// Concurrent lookups of the same key share one computation, so a burst of requests with a new
// token costs the apiserver one review, not one per request. Failures are not cached.
export interface TtlCacheOptions {
  /** Most entries kept; the least recently used go first. */
  readonly maxEntries: number;
  readonly now?: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, or undefined when absent or expired. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * The cached value, or the result of `compute` (shared with concurrent callers), kept for
   * `ttlMs(value)` milliseconds; a ttl of 0 is not kept.
   */
  async getOrCompute(key: string, compute: () => Promise<V>, ttlMs: (value: V) => number): Promise<V> {
    const cached = this.peek(key);
    if (cached !== undefined) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = compute().then(
        (value) => {
          this.inFlight.delete(key);
          const ttl = ttlMs(value);
          if (ttl > 0) this.set(key, value, ttl);
          return value;
        },
        (err: unknown) => {
          this.inFlight.delete(key);
          throw err;
        },
      );
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
