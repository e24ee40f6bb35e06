import { describe, expect, it } from 'vitest';
import type { CachedEvent } from '../../cache/objects.js';
import { deploymentEvent, newestFirst } from './events.js';

const cached = (fields: Partial<CachedEvent>): CachedEvent => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'e', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' },
  involvedObject: { kind: 'Pod', name: 'p-0' },
  ...fields,
});

describe('deploymentEvent', () => {
  it('maps type, reason, message, count, last seen and object', () => {
    expect(
      deploymentEvent(
        cached({
          type: 'Warning',
          reason: 'BackOff',
          message: 'Back-off',
          count: 4,
          firstTimestamp: '2026-01-01T00:01:00Z',
          lastTimestamp: '2026-01-01T00:05:00Z',
        }),
      ),
    ).toEqual({
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off',
      count: 4,
      lastSeen: '2026-01-01T00:05:00Z',
      object: { kind: 'Pod', name: 'p-0' },
    });
  });

  it('defaults: Normal, counted once, seen when created', () => {
    expect(deploymentEvent(cached({ count: 0 }))).toEqual({
      type: 'Normal',
      reason: '',
      message: '',
      count: 1,
      lastSeen: '2026-01-01T00:00:00Z',
      object: { kind: 'Pod', name: 'p-0' },
    });
  });

  it('sorts newest first, events without a time last', () => {
    const at = (lastSeen?: string) => ({ ...deploymentEvent(cached({})), lastSeen });
    const sorted = [at('2026-01-01T00:01:00Z'), at(undefined), at('2026-01-01T00:09:00Z')].sort(newestFirst);
    expect(sorted.map((e) => e.lastSeen)).toEqual([
      '2026-01-01T00:09:00Z',
      '2026-01-01T00:01:00Z',
      undefined,
    ]);
  });
});
