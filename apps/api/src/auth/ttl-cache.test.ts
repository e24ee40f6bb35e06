import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('shares one computation between concurrent callers and keeps the answer for its TTL', async () => {
    let now = 0;
    let calls = 0;
    const cache = new TtlCache<number>({ maxEntries: 10, now: () => now });
    const compute = () => Promise.resolve(++calls);
    const results = await Promise.all([1, 2, 3].map(() => cache.getOrCompute('k', compute, () => 1000)));
    expect(results).toEqual([1, 1, 1]);
    now = 999;
    expect(await cache.getOrCompute('k', compute, () => 1000)).toBe(1);
    now = 1000;
    expect(await cache.getOrCompute('k', compute, () => 1000)).toBe(2);
  });

  it('does not keep failures, nor answers with a TTL of 0', async () => {
    const cache = new TtlCache<string>({ maxEntries: 10 });
    await expect(
      cache.getOrCompute(
        'k',
        () => Promise.reject(new Error('down')),
        () => 1000,
      ),
    ).rejects.toThrow('down');
    expect(
      await cache.getOrCompute(
        'k',
        () => Promise.resolve('up'),
        () => 0,
      ),
    ).toBe('up');
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new TtlCache<string>({ maxEntries: 2 });
    const put = (k: string) =>
      cache.getOrCompute(
        k,
        () => Promise.resolve(k),
        () => 60_000,
      );
    await put('a');
    await put('b');
    expect(cache.peek('a')).toBe('a'); // a is now the most recently used
    await put('c');
    expect(cache.peek('b')).toBeUndefined();
    expect(cache.peek('a')).toBe('a');
    expect(cache.peek('c')).toBe('c');
  });
});
