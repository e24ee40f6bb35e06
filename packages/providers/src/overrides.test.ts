import { describe, expect, it } from 'vitest';
import { mergePatch, readOverrides, type OverrideField } from './overrides.js';
import { spec } from './testing/fixtures.js';

const FIELDS: OverrideField[] = [
  { path: 'routerMode', type: 'string', values: ['round-robin', 'kv'], description: 'routing' },
  { path: 'frontend.replicas', type: 'integer', minimum: 1, description: 'frontends' },
  { path: 'debug', type: 'boolean', description: 'debug' },
];

const withOverrides = (overrides: Record<string, unknown>) =>
  spec({ model: { id: 'Qwen/Qwen3-0.6B' }, provider: { name: 'dynamo', overrides } });

describe('readOverrides', () => {
  it('reads typed keys, nested ones by their dotted path', () => {
    const result = readOverrides(
      withOverrides({ routerMode: 'kv', frontend: { replicas: 2 }, debug: true }),
      'dynamo',
      FIELDS,
    );
    expect(result).toEqual({
      ok: true,
      values: new Map<string, unknown>([
        ['debug', true],
        ['frontend.replicas', 2],
        ['routerMode', 'kv'],
      ]),
      patch: undefined,
    });
  });

  it('names unknown keys and lists the known ones', () => {
    const result = readOverrides(
      withOverrides({ routermode: 'kv', frontend: { replica: 2 } }),
      'dynamo',
      FIELDS,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        path: 'spec.provider.overrides.frontend.replica',
        message:
          'provider dynamo has no override "frontend.replica"; the overrides it knows are "debug", ' +
          '"frontend.replicas", "patch" or "routerMode"',
      },
      expect.objectContaining({ path: 'spec.provider.overrides.routermode' }),
    ]);
  });

  it('checks types, allowed values and minimums', () => {
    const result = readOverrides(
      withOverrides({ routerMode: 'fastest', frontend: { replicas: 0 }, debug: 'yes' }),
      'dynamo',
      FIELDS,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'overrides.debug must be true or false',
      'overrides.frontend.replicas must be at least 1',
      'overrides.routerMode must be "round-robin" or "kv", not "fastest"',
    ]);
  });

  it('refuses privilege-widening fields anywhere in a patch, and the identity of the object', () => {
    const result = readOverrides(
      withOverrides({
        patch: {
          kind: 'Other',
          metadata: { name: 'x', labels: { team: 'a' } },
          spec: {
            template: {
              spec: {
                hostNetwork: true,
                containers: [{ name: 'main', securityContext: { privileged: true } }],
              },
            },
          },
        },
      }),
      'dynamo',
      FIELDS,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([
      'spec.provider.overrides.patch.kind',
      'spec.provider.overrides.patch.metadata.name',
      'spec.provider.overrides.patch.spec.template.spec.containers[0].securityContext',
      'spec.provider.overrides.patch.spec.template.spec.hostNetwork',
    ]);
  });

  it('returns an acceptable patch', () => {
    const patch = { spec: { services: { Frontend: { annotations: { a: 'b' } } } } };
    const result = readOverrides(withOverrides({ patch }), 'dynamo', FIELDS);
    expect(result).toEqual({ ok: true, values: new Map(), patch });
  });
});

describe('mergePatch', () => {
  it('merges objects key by key, replaces arrays and scalars, and removes on null', () => {
    const target = { a: { b: 1, c: [1, 2], d: 'x' }, e: 1 };
    const merged = mergePatch(target, { a: { c: [3], d: null, f: true }, g: 'new' });
    expect(merged).toEqual({ a: { b: 1, c: [3], f: true }, e: 1, g: 'new' });
    expect(target).toEqual({ a: { b: 1, c: [1, 2], d: 'x' }, e: 1 });
  });

  it('returns the target unchanged without a patch', () => {
    const target = { a: 1 };
    expect(mergePatch(target, undefined)).toBe(target);
  });
});
