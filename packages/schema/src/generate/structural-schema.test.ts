import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { intOrString, listMap, preserveUnknownFields } from '../kubernetes-extensions.js';
import { applyStructuralDefaults, sortKeysDeep, toStructuralSchema } from './structural-schema.js';

const convert = (schema: z.ZodType) =>
  toStructuralSchema(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }));

describe('toStructuralSchema', () => {
  it('keeps types, bounds, enums, descriptions and defaults, and drops additionalProperties: false', () => {
    const schema = convert(
      z.strictObject({
        replicas: z.int().min(0).max(32).default(1).describe('Replicas.'),
        mode: z.enum(['a', 'b']).describe('Mode.'),
      }),
    );
    expect(schema).toEqual({
      type: 'object',
      required: ['mode'],
      properties: {
        replicas: { type: 'integer', minimum: 0, maximum: 32, default: 1, description: 'Replicas.' },
        mode: { type: 'string', enum: ['a', 'b'], description: 'Mode.' },
      },
    });
  });

  it('drops the safe-integer bounds that z.int() emits', () => {
    expect(convert(z.int())).toEqual({ type: 'integer' });
  });

  it('writes maps as additionalProperties with a value schema', () => {
    expect(convert(z.record(z.string(), z.string().max(8)))).toEqual({
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 8 },
    });
  });

  it('writes quantities in the int-or-string form with the string constraints on the node', () => {
    expect(
      convert(intOrString(/^[0-9]+Gi$/, { maxLength: 16, message: 'quantity' }).describe('Memory.')),
    ).toEqual({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
      description: 'Memory.',
      pattern: '^[0-9]+Gi$',
      maxLength: 16,
      minimum: 0,
    });
  });

  it('writes free-form objects with x-kubernetes-preserve-unknown-fields', () => {
    expect(convert(preserveUnknownFields(4).default({}))).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      maxProperties: 4,
      default: {},
    });
  });

  it('keeps list-map markers', () => {
    expect(convert(listMap(z.array(z.strictObject({ name: z.string() })), ['name']))).toMatchObject({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { type: 'object', required: ['name'] },
    });
  });

  it('keeps nullable, for fields where null means something', () => {
    expect(convert(z.string().nullable())).toEqual({ type: 'string', nullable: true });
  });

  it('drops the date-time regex Zod adds, keeping the format', () => {
    expect(convert(z.iso.datetime({ offset: true }))).toEqual({ type: 'string', format: 'date-time' });
  });

  it('spells out nested defaults inside an object default', () => {
    const schema = convert(
      z.strictObject({
        engine: z
          .strictObject({
            eager: z.boolean().default(false),
            args: z.record(z.string(), z.string()).default({}),
          })
          .prefault({}),
      }),
    );
    expect(schema.properties?.engine?.default).toEqual({ eager: false, args: {} });
  });

  it.each([
    ['a union', z.union([z.string(), z.boolean()]), /keyword "anyOf"/],
    [
      'an open object with known fields',
      z.looseObject({ a: z.string() }),
      /properties and additionalProperties/,
    ],
    ['a map of unknown values', z.record(z.string(), z.unknown()), /preserve-unknown-fields/],
    ['a string with two patterns', z.string().regex(/a/).regex(/b/), /keyword "allOf"/],
    ['a tuple', z.tuple([z.string()]), /keyword "anyOf"/],
  ])('refuses %s instead of emitting a non-structural schema', (_case, schema, problem) => {
    expect(() => convert(schema)).toThrow(problem);
  });
});

describe('applyStructuralDefaults', () => {
  const schema = convert(
    z.strictObject({
      serving: z
        .strictObject({ mode: z.enum(['aggregated', 'disaggregated']).default('aggregated') })
        .prefault({}),
      pools: z.array(z.strictObject({ replicas: z.int().default(1) })).optional(),
      given: z.string().default('x'),
    }),
  );

  it('fills missing fields, inside objects and list items, without touching given values', () => {
    expect(applyStructuralDefaults(schema, { pools: [{}, { replicas: 3 }], given: 'y' })).toEqual({
      serving: { mode: 'aggregated' },
      pools: [{ replicas: 1 }, { replicas: 3 }],
      given: 'y',
    });
  });
});

describe('sortKeysDeep', () => {
  it('orders keys at every level and keeps array order', () => {
    const sorted = sortKeysDeep({ b: 1, a: { d: [{ z: 1, y: 2 }, 'c'], c: 2 } });
    expect(JSON.stringify(sorted)).toBe('{"a":{"c":2,"d":[{"y":2,"z":1},"c"]},"b":1}');
  });
});
