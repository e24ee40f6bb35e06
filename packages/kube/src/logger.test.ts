import { describe, expect, it } from 'vitest';
import { KubeApiError } from './errors.js';
import { createLogger } from './logger.js';

function capture(level: 'debug' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level,
    name: 'test',
    write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>),
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  return { lines, logger };
}

describe('logger', () => {
  it('writes one JSON object per line with level, message, bound and given fields', () => {
    const { lines, logger } = capture();
    logger.child({ controller: 'md' }).info('reconciled', { key: 'ns/a', ms: 12 });
    logger.debug('hidden');
    expect(lines).toEqual([
      {
        time: '2026-01-01T00:00:00.000Z',
        level: 'info',
        msg: 'reconciled',
        logger: 'test',
        controller: 'md',
        key: 'ns/a',
        ms: 12,
      },
    ]);
  });

  it('never writes tokens or Authorization headers', () => {
    const { lines, logger } = capture();
    logger.warn('request failed with Authorization: Bearer abc.def-ghi', {
      headers: { Authorization: 'Bearer s3cr3t', 'user-agent': 'x' },
      token: 's3cr3t',
      hfToken: 'hf_s3cr3t',
      nested: { password: 'pw', note: 'sent Bearer s3cr3t' },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('abc.def-ghi');
    expect(text).not.toContain('"pw"');
    expect(lines[0]).toMatchObject({ headers: { 'user-agent': 'x' } });
  });

  it('expands errors with their typed fields', () => {
    const { lines, logger } = capture();
    const err = new KubeApiError({
      status: 409,
      reason: 'Conflict',
      message: 'stale',
      method: 'PUT',
      path: '/x',
    });
    logger.error('failed', { err });
    expect(lines[0]?.err).toMatchObject({
      name: 'KubeApiError',
      message: 'stale',
      status: 409,
      reason: 'Conflict',
    });
  });
});
