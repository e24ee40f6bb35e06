// Converts the JSON Schema that `z.toJSONSchema(…, { target: 'openapi-3.0', io: 'input' })`
// emits into a Kubernetes *structural* schema (KEP-1002 / the apiextensions.k8s.io/v1 rules):
// every node has a `type`; no `$ref`, `anyOf`/`oneOf`/`allOf`/`not` outside the int-or-string
// form; no `additionalProperties: false`; no `properties` next to `additionalProperties`.
//
// Anything the converter does not understand is an error, not a silent omission: a new Zod
// construct that has no structural form must fail generation, not produce a CRD that the
// apiserver rejects or that validates less than Zod does.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A node of an `openAPIV3Schema` as the apiextensions.k8s.io/v1 API defines it (the subset used here). */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  default?: JsonValue;
  enum?: JsonValue[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  nullable?: boolean;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  anyOf?: [{ type: 'integer' }, { type: 'string' }];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: { rule: string; message?: string; fieldPath?: string; reason?: string }[];
}

type JsonObject = Record<string, unknown>;

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** Keywords copied unchanged when present. */
const COPIED = [
  'description',
  'default',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
] as const;

/** Keywords handled explicitly below. */
const HANDLED = new Set<string>([
  ...COPIED,
  '$schema',
  'type',
  'minimum',
  'maximum',
  'required',
  'nullable',
  'properties',
  'additionalProperties',
  'items',
]);

/** z.int() emits the safe-integer range as bounds; they say nothing a Kubernetes integer needs. */
function isSafeIntegerBound(value: unknown): boolean {
  return value === Number.MAX_SAFE_INTEGER || value === Number.MIN_SAFE_INTEGER;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, problem: string): never {
  throw new Error(`openAPIV3Schema${path}: ${problem}`);
}

function copyKeywords(from: JsonObject, to: StructuralSchema, keywords: readonly string[]): void {
  const target = to as JsonObject;
  for (const keyword of keywords) {
    if (from[keyword] !== undefined) target[keyword] = from[keyword];
  }
}

function copyBounds(from: JsonObject, to: StructuralSchema): void {
  for (const bound of ['minimum', 'maximum'] as const) {
    const value = from[bound];
    if (typeof value === 'number' && !isSafeIntegerBound(value)) to[bound] = value;
  }
}

/**
 * `x-kubernetes-int-or-string` nodes (quantities): Zod emits `anyOf: [integer, string]` with the
 * constraints inside each branch, but the only `anyOf` a structural schema allows is the bare
 * `[{type: integer}, {type: string}]`. Constraints move up to the node, where the apiserver
 * applies `pattern`/`maxLength` to strings and `minimum` to integers, as controller-gen does
 * for resource.Quantity.
 */
function convertIntOrString(node: JsonObject, path: string): StructuralSchema {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2)
    fail(path, 'int-or-string needs anyOf [integer, string]');
  const integer = branches.find((branch) => isObject(branch) && branch.type === 'integer') as
    JsonObject | undefined;
  const string = branches.find((branch) => isObject(branch) && branch.type === 'string') as
    JsonObject | undefined;
  if (!integer || !string) fail(path, 'int-or-string needs one integer and one string branch');
  const allowedOutside = new Set(['anyOf', 'description', 'default', 'x-kubernetes-int-or-string']);
  for (const key of Object.keys(node)) {
    if (!allowedOutside.has(key))
      fail(path, `keyword "${key}" is not supported next to x-kubernetes-int-or-string`);
  }
  const result: StructuralSchema = {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  };
  copyKeywords(node, result, ['description', 'default']);
  copyKeywords(string, result, ['pattern', 'minLength', 'maxLength']);
  copyBounds(integer, result);
  return result;
}

/** Free-form objects: the apiserver keeps their content as is and validates nothing inside. */
function convertPreserveUnknownFields(node: JsonObject, path: string): StructuralSchema {
  if (node.type !== 'object') fail(path, 'x-kubernetes-preserve-unknown-fields is only used on objects');
  if (node.properties !== undefined) fail(path, 'a free-form object cannot declare properties');
  const result: StructuralSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  copyKeywords(node, result, ['description', 'default', 'maxProperties', 'x-kubernetes-validations']);
  return result;
}

function convertNode(node: unknown, path: string): StructuralSchema {
  if (!isObject(node)) fail(path, 'expected a schema object');
  if (node['x-kubernetes-int-or-string'] === true) return convertIntOrString(node, path);
  if (node['x-kubernetes-preserve-unknown-fields'] === true) return convertPreserveUnknownFields(node, path);

  for (const key of Object.keys(node)) {
    if (!HANDLED.has(key)) fail(path, `keyword "${key}" has no structural-schema form`);
  }
  const type = node.type;
  if (typeof type !== 'string' || !TYPES.has(type))
    fail(path, `every node needs a single type, got ${String(type)}`);

  const result: StructuralSchema = { type: type as StructuralSchema['type'] };
  copyKeywords(node, result, COPIED);
  copyBounds(node, result);
  // The date-time format is checked by the apiserver itself; Zod's equivalent regex would only
  // repeat it in a form nobody can read.
  if (result.format === 'date-time') delete result.pattern;
  if (node.nullable === true) result.nullable = true;
  if (Array.isArray(node.required) && node.required.length > 0)
    result.required = [...(node.required as string[])];

  if (node.properties !== undefined) {
    if (type !== 'object' || !isObject(node.properties)) fail(path, 'properties needs type object');
    result.properties = Object.fromEntries(
      Object.entries(node.properties).map(([name, property]) => [
        name,
        convertNode(property, `${path}.${name}`),
      ]),
    );
  }

  const additional = node.additionalProperties;
  if (additional !== undefined && additional !== false) {
    // Objects are open in Kubernetes anyway: unknown fields are pruned, so `false` is dropped.
    if (result.properties) fail(path, 'properties and additionalProperties cannot be combined');
    if (!isObject(additional) || Object.keys(additional).length === 0) {
      fail(
        path,
        'a map needs a value schema; use x-kubernetes-preserve-unknown-fields for free-form objects',
      );
    }
    result.additionalProperties = convertNode(additional, `${path}[*]`);
  }

  if (node.items !== undefined) {
    if (type !== 'array') fail(path, 'items needs type array');
    result.items = convertNode(node.items, `${path}[]`);
  } else if (type === 'array') {
    fail(path, 'an array needs an items schema');
  }

  // The apiserver checks a default, CEL rules included, as written, without first filling in
  // the defaults of its fields. So `default: {}` on an object with defaulted fields is spelled
  // out in full here (children were converted first, their defaults are complete already).
  if (result.default !== undefined) result.default = applyStructuralDefaults(result, result.default);
  return result;
}

/**
 * Fills in defaults the way the apiserver does when it decodes an object: a missing property
 * with a default gets a copy of it, then defaulting continues inside every property and item.
 */
export function applyStructuralDefaults(schema: StructuralSchema, value: JsonValue): JsonValue {
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.map((item) => applyStructuralDefaults(items, item)) : value;
  }
  if (!isObject(value)) return value;
  const result: Record<string, JsonValue> = { ...(value as Record<string, JsonValue>) };
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (result[name] === undefined && property.default !== undefined) {
      result[name] = structuredClone(property.default);
    }
  }
  for (const [name, item] of Object.entries(result)) {
    const property = schema.properties?.[name] ?? schema.additionalProperties;
    if (property) result[name] = applyStructuralDefaults(property, item);
  }
  return result;
}

/** Recursively orders object keys so the rendered YAML is stable across runs and Zod versions. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => sortKeysDeep(item)) as T;
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeysDeep(value[key])]),
  ) as T;
}

/** Converts a Zod-emitted OpenAPI 3.0 schema into a structural schema with sorted keys. */
export function toStructuralSchema(jsonSchema: unknown): StructuralSchema {
  return sortKeysDeep(convertNode(jsonSchema, ''));
}
