// The work queue's contract, checked with a manual clock (no real waiting).
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import {
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiter.js';
import { WorkQueue, runWorkers } from './work-queue.js';

function queue(clock = new ManualClock()) {
  return { clock, q: new WorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter(5, 1_000) }) };
}

/** Resolves pending promise callbacks (queue hand-offs are microtasks). */
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('de-duplicates keys that are already queued', async () => {
    const { q } = queue();
    q.add('ns/a');
    q.add('ns/a');
    q.add('ns/b');
    q.add('ns/a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('ns/a');
    expect(await q.get()).toBe('ns/b');
    expect(q.length).toBe(0);
  });

  it('never hands a key being processed to a second worker; re-queues it once when done', async () => {
    const { q } = queue();
    q.add('a');
    const key = await q.get();
    expect(key).toBe('a');
    q.add('a');
    q.add('a');
    q.add('a');
    expect(q.length).toBe(0); // dirty, not ready: a worker still has it
    q.add('b');
    expect(await q.get()).toBe('b');
    q.done('a');
    expect(q.length).toBe(1); // re-queued exactly once
    expect(await q.get()).toBe('a');
    q.done('a');
    q.done('b');
    expect(q.length).toBe(0);
    expect(q.inFlight).toBe(0);
  });

  it('hands keys to workers waiting in get()', async () => {
    const { q } = queue();
    const waiting = q.get();
    let got: string | undefined;
    void waiting.then((k) => (got = k));
    await flush();
    expect(got).toBeUndefined();
    q.add('x');
    expect(await waiting).toBe('x');
    expect(q.inFlight).toBe(1);
  });

  it('addAfter: the key is ready at its deadline, and the earlier of two deadlines wins', async () => {
    const { q, clock } = queue();
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('b', 10);
    q.addAfter('b', 200); // later: ignored
    expect(q.length).toBe(0);
    expect(q.delayed).toBe(2);
    clock.advance(9);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('b');
    q.done('b');
    clock.advance(40);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    clock.advance(1_000); // the superseded deadlines (100, 200) add nothing
    expect(q.length).toBe(0);
    expect(q.delayed).toBe(0);
  });

  it('addAfter with a delay of 0 adds at once', () => {
    const { q } = queue();
    q.addAfter('a', 0);
    expect(q.length).toBe(1);
  });

  it('retries with per-item exponential backoff, reset by forget()', () => {
    const { q, clock } = queue();
    const readyAfter = (key: string): number => {
      q.addRateLimited(key);
      let waited = 0;
      while (q.length === 0) {
        clock.advance(1);
        waited++;
      }
      return waited;
    };
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      delays.push(readyAfter('a'));
      void q.get(); // takes 'a' at once (it is ready)
      q.done('a');
    }
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(q.numRequeues('a')).toBe(5);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('caps per-item backoff at the maximum', () => {
    const limiter = new ItemExponentialRateLimiter(5, 1_000_000);
    const delays = Array.from({ length: 40 }, () => limiter.when('x'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(Math.max(...delays)).toBe(1_000_000);
    expect(delays.at(-1)).toBe(1_000_000);
    expect(limiter.when('other')).toBe(5); // per item
  });

  it('limits retries overall with a token bucket (burst, then qps)', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucketRateLimiter(10, 3, clock);
    expect([bucket.when('a'), bucket.when('b'), bucket.when('c')]).toEqual([0, 0, 0]);
    expect(bucket.when('d')).toBeCloseTo(100);
    expect(bucket.when('e')).toBeCloseTo(200);
    clock.advance(1_000); // refills 10 tokens, capped at burst 3, minus the 2 borrowed
    expect(bucket.when('f')).toBe(0);
  });

  it('the default controller limiter is the max of per-item backoff and the bucket', () => {
    const clock = new ManualClock();
    const limiter = defaultControllerRateLimiter({ clock });
    // Within the burst, the per-item backoff decides.
    expect(limiter.when('a')).toBe(5);
    expect(limiter.when('a')).toBe(10);
    // Exhaust the bucket (100) with distinct items: then the bucket decides.
    for (let i = 0; i < 98; i++) limiter.when(`k${i}`);
    expect(limiter.when('fresh')).toBeCloseTo(100);
    const max = new MaxOfRateLimiter(
      new ItemExponentialRateLimiter(1, 10),
      new ItemExponentialRateLimiter(3, 10),
    );
    expect(max.when('x')).toBe(3);
    expect(max.numRequeues('x')).toBe(1);
  });

  it('runs N workers concurrently and one worker per key at a time', async () => {
    const { q } = queue();
    let running = 0;
    let maxRunning = 0;
    const active = new Set<string>();
    const processed: string[] = [];
    const release: (() => void)[] = [];
    const workers = runWorkers(q, 3, async (key) => {
      expect(active.has(key)).toBe(false);
      active.add(key);
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => release.push(r));
      running--;
      active.delete(key);
      processed.push(key);
    });
    for (const k of ['a', 'b', 'c', 'd', 'e']) q.add(k);
    await flush();
    expect(running).toBe(3);
    q.add('a'); // in flight: must wait for the first 'a' to finish
    while (processed.length < 6) {
      release.shift()?.();
      await flush();
    }
    expect(maxRunning).toBe(3);
    expect(processed.filter((k) => k === 'a')).toHaveLength(2);
    const stopped = q.shutDown();
    await stopped;
    await workers;
  });

  it('shutDown drains queued and in-flight keys, refuses new ones and drops delayed ones', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    q.addAfter('later', 1_000);
    const first = await q.get();
    const done = q.shutDown();
    q.add('c'); // refused
    let drained = false;
    void done.then(() => (drained = true));
    expect(q.delayed).toBe(0);
    expect(await q.get()).toBe('b'); // queued keys are still handed out
    q.done('b');
    await flush();
    expect(drained).toBe(false); // 'a' is still in flight
    q.done(first ?? '');
    await done;
    expect(drained).toBe(true);
    expect(await q.get()).toBeUndefined();
  });

  it('shutDown without drain drops queued keys and waits only for in-flight ones', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    const key = await q.get();
    const done = q.shutDown({ drain: false });
    expect(q.length).toBe(0);
    expect(await q.get()).toBeUndefined();
    q.done(key ?? '');
    await done;
  });

  it('reports metrics through its hooks', async () => {
    const clock = new ManualClock();
    const seen = {
      added: 0,
      depth: [] as number[],
      latency: [] as number[],
      work: [] as number[],
      retried: 0,
    };
    const q = new WorkQueue({
      clock,
      metrics: {
        added: () => seen.added++,
        depth: (n) => seen.depth.push(n),
        queueLatency: (ms) => seen.latency.push(ms),
        workDuration: (ms) => seen.work.push(ms),
        retried: () => seen.retried++,
      },
    });
    q.add('a');
    q.add('a');
    clock.advance(7);
    const key = await q.get();
    clock.advance(3);
    expect(q.longestRunningMs()).toBe(3);
    expect(q.unfinishedWorkMs()).toBe(3);
    q.done(key ?? '');
    q.addRateLimited('a');
    expect(seen).toMatchObject({ added: 1, latency: [7], work: [3], retried: 1 });
    expect(seen.depth).toEqual([1, 0]);
  });
});
