import { describe, expect, it } from 'vitest';
import { LAST_APPLIED_ANNOTATION, withoutLastApplied, type KubeObject } from './objects.js';

describe('withoutLastApplied', () => {
  const object = (annotations?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  });

  it("drops kubectl's copy and keeps every other annotation", () => {
    expect(withoutLastApplied(object({ [LAST_APPLIED_ANNOTATION]: '{"big":"copy"}', keep: 'me' }))).toEqual(
      object({ keep: 'me' }),
    );
  });

  it('returns the same object when there is nothing to drop', () => {
    const plain = object({ keep: 'me' });
    expect(withoutLastApplied(plain)).toBe(plain);
    const bare = object();
    expect(withoutLastApplied(bare)).toBe(bare);
  });
});
