import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formatFieldPath, formatIssues, parseWithFieldErrors } from './field-errors.js';

describe('formatFieldPath', () => {
  it.each([
    [[], ''],
    [['spec', 'scaling', 'prefill'], 'spec.scaling.prefill'],
    [['spec', 'env', 0, 'name'], 'spec.env[0].name'],
    [['spec', 'nodeSelector', 'kubernetes.io/os'], 'spec.nodeSelector[kubernetes.io/os]'],
    [['spec', 'engine', 'args', 'max-num-seqs'], 'spec.engine.args[max-num-seqs]'],
    [[3], '[3]'],
  ] as const)('%j → %s', (path, expected) => {
    expect(formatFieldPath(path)).toBe(expected);
  });
});

describe('formatIssues', () => {
  const Schema = z.strictObject({ name: z.string(), tags: z.array(z.string().max(3)).optional() });

  it('prefixes paths with the base path', () => {
    const issues = Schema.safeParse({ name: 'a', tags: ['toolong'] }).error?.issues ?? [];
    expect(formatIssues(issues, ['spec'])).toEqual([
      { path: 'spec.tags[0]', message: 'Too big: expected string to have <=3 characters' },
    ]);
  });

  it('reports each unknown key on its own path', () => {
    const issues = Schema.safeParse({ name: 'a', colour: 'red', size: 2 }).error?.issues ?? [];
    expect(formatIssues(issues)).toEqual([
      { path: 'colour', message: 'unknown field "colour"' },
      { path: 'size', message: 'unknown field "size"' },
    ]);
  });
});

describe('parseWithFieldErrors', () => {
  const Schema = z.strictObject({ name: z.string(), replicas: z.int().default(1) });

  it('returns the parsed value with defaults', () => {
    expect(parseWithFieldErrors(Schema, { name: 'a' })).toEqual({
      success: true,
      data: { name: 'a', replicas: 1 },
    });
  });

  it('words a missing field "Required value" and keeps other messages', () => {
    expect(parseWithFieldErrors(Schema, { replicas: 'x' }, ['spec'])).toEqual({
      success: false,
      errors: [
        { path: 'spec.name', message: 'Required value' },
        { path: 'spec.replicas', message: 'Invalid input: expected number, received string' },
      ],
    });
  });
});
