import { describe, expect, it } from 'vitest';
import { changedPaths, mergePatch } from './merge-patch.js';

describe('mergePatch', () => {
  it('sends only what changed; removed keys become null; lists are replaced whole', () => {
    const before = {
      scaling: { replicas: 1 },
      engine: { args: { a: '1' }, extraArgs: ['--x'] },
      secrets: { t: 's' },
    };
    const after = { scaling: { replicas: 2 }, engine: { args: { a: '1' }, extraArgs: ['--x', '--y'] } };
    expect(mergePatch(before, after)).toEqual({
      scaling: { replicas: 2 },
      engine: { extraArgs: ['--x', '--y'] },
      secrets: null,
    });
    expect(changedPaths(before, after)).toEqual(['engine.extraArgs', 'scaling.replicas', 'secrets']);
    expect(mergePatch(before, structuredClone(before))).toBeUndefined();
  });
});
