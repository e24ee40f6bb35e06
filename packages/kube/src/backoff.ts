// Exponential backoff with jitter for reconnect loops. "Equal jitter" (half fixed, half
// random) keeps a floor under each delay — full jitter can draw ~0 ms and turn a broken
// apiserver into a hot loop — while still spreading the reconnects of many informers
// (or many replicas) so they do not hit a recovering apiserver in lockstep.

export interface BackoffOptions {
  /** First delay (default 500 ms). */
  readonly initialMs?: number;
  /** Cap (default 30 s, as client-go's reflector). */
  readonly maxMs?: number;
  /** Growth per failure (default 2). */
  readonly factor?: number;
  /** Random source in [0, 1) (tests pass a constant). */
  readonly random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly random: () => number;
  private failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.random = options.random ?? Math.random;
  }

  /** Number of delays handed out since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** The delay before the next attempt; each call grows the following one. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.failures);
    this.failures++;
    return base / 2 + (this.random() * base) / 2;
  }

  reset(): void {
    this.failures = 0;
  }
}
