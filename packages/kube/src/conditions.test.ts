import { describe, expect, it } from 'vitest';
import { isConditionTrue, removeCondition, setCondition } from './conditions.js';

describe('conditions', () => {
  const t0 = new Date('2026-01-01T00:00:00.123Z');
  const t1 = new Date('2026-01-01T00:05:00Z');

  it('keeps lastTransitionTime while the status is unchanged, and moves it on a transition', () => {
    const ready = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'Deploying' }, t0);
    expect(ready).toEqual([
      { type: 'Ready', status: 'False', reason: 'Deploying', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ]);
    const progressing = setCondition(ready, { type: 'Ready', status: 'False', reason: 'Pulling' }, t1);
    expect(progressing[0]).toMatchObject({ reason: 'Pulling', lastTransitionTime: '2026-01-01T00:00:00Z' });
    const done = setCondition(progressing, { type: 'Ready', status: 'True', reason: 'Running' }, t1);
    expect(done[0]).toMatchObject({ status: 'True', lastTransitionTime: '2026-01-01T00:05:00Z' });
    expect(isConditionTrue(done, 'Ready')).toBe(true);
    expect(ready[0]?.reason).toBe('Deploying'); // inputs are not modified
  });

  it('adds, replaces by type and removes', () => {
    let list = setCondition(undefined, { type: 'A', status: 'True' }, t0);
    list = setCondition(list, { type: 'B', status: 'False' }, t0);
    list = setCondition(list, { type: 'A', status: 'False' }, t1);
    expect(list.map((c) => `${c.type}=${c.status}`)).toEqual(['A=False', 'B=False']);
    expect(removeCondition(list, 'A').map((c) => c.type)).toEqual(['B']);
  });
});
