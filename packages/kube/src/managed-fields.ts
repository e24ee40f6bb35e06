// Does applying `desired` change anything? Answered from the live object alone, so a
// steady-state reconcile makes zero writes. Two questions, both needed:
//
// 1. Ownership — does our field manager own exactly the fields we would send now? Compared
//    structurally against our managedFields entry (FieldsV1). A mismatch means a write is
//    due: we would newly claim a field, or drop one we own (server-side apply removes
//    fields a manager stops sending — a plain "desired ⊆ live" check misses that), or
//    another writer took one of our fields from us (kubectl edit, another controller),
//    which is drift to correct. FieldsV1 encodes how each list merges (k: keyed, v: set,
//    leaf: atomic), so no schema is needed.
// 2. Values — given we own exactly those fields, are their values the ones we want?
//    Compared desired ⊆ live. The server may normalise values ("1000m" → "1"), which would
//    make this say "changed" forever; a hash of the desired object stored in an annotation
//    we own settles it: if we still own every field (1) and the hash matches, the values
//    are what the server made of this very desired state.
import { createHash } from 'node:crypto';
import type { FieldsV1, KubeObject, ManagedFieldsEntry } from './objects.js';

export interface Comparison {
  readonly equal: boolean;
  /** Where the first difference is, e.g. ".spec.template.spec.containers[{"name":"x"}].image". */
  readonly path?: string;
  readonly detail?: string;
}

const EQUAL: Comparison = { equal: true };
const differ = (path: string, detail: string): Comparison => ({
  equal: false,
  path: path || '.',
  detail,
});

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function present(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).filter((k) => obj[k] !== undefined && obj[k] !== null);
}

/** The Apply entry of `manager` for the main resource ("") or a subresource ("status"). */
export function managedFieldsEntry(
  obj: KubeObject,
  manager: string,
  subresource = '',
): ManagedFieldsEntry | undefined {
  return obj.metadata.managedFields?.find(
    (e) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === subresource,
  );
}

/** Does `fields` (one manager's FieldsV1) cover exactly the fields set in `desired`? */
export function compareFieldSet(desired: unknown, fields: FieldsV1, path = ''): Comparison {
  const entries = Object.keys(fields).filter((k) => k !== '.');
  if (isObject(desired)) {
    // No children: an atomic struct or map is owned as a whole (e.g. a Deployment selector).
    if (entries.length === 0) return EQUAL;
    if (entries.some((k) => !k.startsWith('f:'))) return differ(path, 'unexpected field set encoding');
    const keys = present(desired);
    for (const k of keys)
      if (!(`f:${k}` in fields)) return differ(`${path}.${k}`, 'not owned by the field manager');
    for (const entry of entries) {
      const k = entry.slice(2);
      if (!keys.includes(k)) return differ(`${path}.${k}`, 'owned but no longer desired');
    }
    for (const k of keys) {
      const r = compareFieldSet(desired[k], fields[`f:${k}`] ?? {}, `${path}.${k}`);
      if (!r.equal) return r;
    }
    return EQUAL;
  }
  if (Array.isArray(desired)) {
    if (entries.length === 0) return EQUAL; // atomic list: owned as a whole
    if (entries.every((e) => e.startsWith('k:'))) return compareKeyedList(desired, fields, entries, path);
    if (entries.every((e) => e.startsWith('v:'))) {
      const owned = entries.map((e) => e.slice(2)).sort();
      const wanted = desired.map((v) => JSON.stringify(v)).sort();
      return owned.length === wanted.length && owned.every((v, i) => sameJson(v, wanted[i]))
        ? EQUAL
        : differ(path, 'set members differ');
    }
    return differ(path, 'unsupported list encoding');
  }
  return entries.length === 0 ? EQUAL : differ(path, 'a scalar where an object is owned');
}

function compareKeyedList(desired: unknown[], fields: FieldsV1, entries: string[], path: string): Comparison {
  if (entries.length !== desired.length)
    return differ(path, `owns ${entries.length} list entries, ${desired.length} desired`);
  const used = new Set<number>();
  for (const entry of entries) {
    let key: Record<string, unknown>;
    try {
      key = JSON.parse(entry.slice(2)) as Record<string, unknown>;
    } catch {
      return differ(path, `unparseable list key ${entry}`);
    }
    const index = desired.findIndex(
      (item, i) =>
        !used.has(i) &&
        isObject(item) &&
        // A key field the desired item leaves out was defaulted by the server (a port's
        // protocol: TCP appears in the key although we never sent it).
        Object.entries(key).every(
          ([k, v]) => item[k] === undefined || JSON.stringify(item[k]) === JSON.stringify(v),
        ),
    );
    if (index < 0) return differ(`${path}[${entry.slice(2)}]`, 'owned but no longer desired');
    used.add(index);
    const r = compareFieldSet(desired[index], fields[entry] ?? {}, `${path}[${entry.slice(2)}]`);
    if (!r.equal) return r;
  }
  return EQUAL;
}

function sameJson(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** Is every value set in `desired` equal in `live`? (Fields only in `live` are ignored.) */
export function compareValues(desired: unknown, live: unknown, path = ''): Comparison {
  if (desired === undefined || desired === null) return EQUAL;
  if (isObject(desired)) {
    if (!isObject(live)) return differ(path, 'missing in the live object');
    for (const k of present(desired)) {
      const r = compareValues(desired[k], live[k], `${path}.${k}`);
      if (!r.equal) return r;
    }
    return EQUAL;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length)
      return differ(
        path,
        `list of ${desired.length} desired, live has ${Array.isArray(live) ? live.length : 'none'}`,
      );
    for (let i = 0; i < desired.length; i++) {
      const r = compareValues(desired[i], live[i], `${path}[${i}]`);
      if (!r.equal) return r;
    }
    return EQUAL;
  }
  return desired === live
    ? EQUAL
    : differ(path, `${JSON.stringify(desired)} desired, live ${JSON.stringify(live)}`);
}

/** JSON with sorted keys and no undefined members: equal objects give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (isObject(value)) {
    const parts = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`);
    return `{${parts.join(',')}}`;
  }
  // JSON.stringify(undefined) is undefined at run time, whatever its type says.
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** A short stable hash of a desired object (sha256 of its canonical JSON, 32 hex digits). */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}
