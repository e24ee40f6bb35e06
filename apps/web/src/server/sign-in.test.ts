import { describe, expect, it } from 'vitest';
import { isPlausibleToken } from './session';
import { safeReturnPath } from './sign-in';

describe('sign-in', () => {
  it('returns only to paths of this site', () => {
    expect(safeReturnPath('/deployments?phase=Failed')).toBe('/deployments?phase=Failed');
    expect(safeReturnPath('https://evil.example/')).toBe('/');
    expect(safeReturnPath('//evil.example/')).toBe('/');
    expect(safeReturnPath('/\\evil.example')).toBe('/');
    expect(safeReturnPath('/login?next=/x')).toBe('/');
    expect(safeReturnPath(undefined)).toBe('/');
  });

  it('takes tokens that fit in a header and nothing else', () => {
    expect(isPlausibleToken('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln')).toBe(true);
    expect(isPlausibleToken('abc==')).toBe(true);
    expect(isPlausibleToken('')).toBe(false);
    expect(isPlausibleToken('two words')).toBe(false);
    expect(isPlausibleToken('line\nbreak')).toBe(false);
    expect(isPlausibleToken('x'.repeat(20_000))).toBe(false);
  });
});
