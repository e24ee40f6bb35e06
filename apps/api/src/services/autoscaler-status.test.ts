import { describe, expect, it } from 'vitest';
import { parseAutoscalerStatus, parseAutoscalerTime } from './autoscaler-status.js';

describe('parseAutoscalerTime', () => {
  it.each([
    ['2024-01-15 10:30:00.123456789 +0000 UTC', '2024-01-15T10:30:00.123Z'],
    ['2024-01-15 10:30:00.123456789 +0000 UTC m=+3600.000000001', '2024-01-15T10:30:00.123Z'],
    ['2024-01-15 11:30:00 +0100 CET', '2024-01-15T10:30:00.000Z'],
    ['2024-01-15T10:30:00Z', '2024-01-15T10:30:00.000Z'],
  ])('%s', (text, iso) => {
    expect(parseAutoscalerTime(text)?.toISOString()).toBe(iso);
  });

  it('is undefined for anything else', () => {
    expect(parseAutoscalerTime('yesterday')).toBeUndefined();
    expect(parseAutoscalerTime(undefined)).toBeUndefined();
  });
});

describe('parseAutoscalerStatus', () => {
  it('falls back to the last-updated annotation, and to the cloud target for the size', () => {
    const parsed = parseAutoscalerStatus({
      metadata: {
        name: 'cluster-autoscaler-status',
        annotations: { 'cluster-autoscaler.kubernetes.io/last-updated': '2024-01-15 10:30:00.5 +0000 UTC' },
      },
      data: {
        status:
          'autoscalerStatus: Running\nnodeGroups:\n- name: pool-a\n  health:\n    status: Healthy\n    cloudProviderTarget: 3\n    minSize: 1\n    maxSize: 5\n',
      },
    });
    expect(parsed).toEqual({
      health: 'Unknown',
      lastUpdated: new Date('2024-01-15T10:30:00.500Z'),
      nodeGroups: [{ name: 'pool-a', health: 'Healthy', minSize: 1, maxSize: 5, currentSize: 3 }],
    });
  });

  it('an empty status has no groups and no time', () => {
    expect(parseAutoscalerStatus({ metadata: { name: 'x' } })).toEqual({
      health: 'Unknown',
      lastUpdated: undefined,
      nodeGroups: [],
    });
  });
});
