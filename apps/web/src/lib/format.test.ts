import { describe, expect, it } from 'vitest';
import { age, contextLabel } from './format';

describe('format', () => {
  it('prints ages as kubectl does', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(age('2026-01-10T11:59:15Z', now)).toBe('45s');
    expect(age('2026-01-10T11:48:00Z', now)).toBe('12m');
    expect(age('2026-01-09T09:00:00Z', now)).toBe('27h');
    expect(age('2026-01-01T12:00:00Z', now)).toBe('9d');
    expect(age(undefined, now)).toBe('—');
  });

  it('prints context lengths in K', () => {
    expect(contextLabel(32768)).toBe('32K');
    expect(contextLabel(131072)).toBe('128K');
    expect(contextLabel(8000)).toBe('8K');
    expect(contextLabel(undefined)).toBe('—');
  });
});
