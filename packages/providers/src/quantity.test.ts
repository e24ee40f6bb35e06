import { describe, expect, it } from 'vitest';
import { formatBytes, parseQuantity } from './quantity.js';

describe('quantities', () => {
  it.each<[string | number, number | undefined]>([
    ['16Gi', 16 * 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['10G', 1e10],
    ['500m', 0.5],
    ['1e3', 1000],
    ['2E', 2e18],
    [8, 8],
    ['8', 8],
    ['lots', undefined],
  ])('parseQuantity(%s) = %s', (quantity, value) => {
    expect(parseQuantity(quantity)).toBe(value);
  });

  it('formats whole Gi, else whole Mi', () => {
    expect(formatBytes(16 * 2 ** 30)).toBe('16Gi');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1536Mi');
  });
});
