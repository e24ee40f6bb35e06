// A small validator for the OpenAPI part of a structural schema (types, enums, bounds,
// patterns, required, maps, lists), for tests that check values against the generated CRD
// without an apiserver. CEL rules are not evaluated here.
import type { JsonValue, StructuralSchema } from '../generate/structural-schema.js';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: StructuralSchema['type'], value: unknown): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

/** The problems of `value` against `schema`, each prefixed with its path; empty when valid. */
export function validateAgainstSchema(schema: StructuralSchema, value: unknown, path = ''): string[] {
  const problems: string[] = [];
  const report = (problem: string) => problems.push(`${path || '<root>'}: ${problem}`);

  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'string') {
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        report(`does not match ${schema.pattern}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) report('too long');
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      if (schema.minimum !== undefined && value < schema.minimum) report('too small');
    } else {
      report(`expected integer or string, got ${typeOf(value)}`);
    }
    return problems;
  }

  if (!typeMatches(schema.type, value)) {
    report(`expected ${String(schema.type)}, got ${typeOf(value)}`);
    return problems;
  }
  if (schema.enum && !schema.enum.includes(value as JsonValue))
    report(`not one of ${JSON.stringify(schema.enum)}`);

  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) report(`does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) report('too short');
    if (schema.maxLength !== undefined && value.length > schema.maxLength) report('too long');
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) report('too small');
    if (schema.maximum !== undefined && value > schema.maximum) report('too big');
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) report('too many items');
    const items = schema.items;
    if (items)
      value.forEach((item, index) =>
        problems.push(...validateAgainstSchema(items, item, `${path}[${index}]`)),
      );
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties)
      report('too many properties');
    for (const name of schema.required ?? []) {
      if (!(name in object)) report(`missing required ${name}`);
    }
    if (schema['x-kubernetes-preserve-unknown-fields']) return problems;
    for (const key of keys) {
      const property = schema.properties?.[key] ?? schema.additionalProperties;
      if (!property) report(`unknown field ${key}`);
      else problems.push(...validateAgainstSchema(property, object[key], path ? `${path}.${key}` : key));
    }
  }
  return problems;
}
