// Zod helpers for the parts of a Kubernetes structural schema that JSON Schema cannot say on
// its own (`x-kubernetes-*` extensions, `maxProperties`). Each helper puts the marker into the
// schema's metadata, which `z.toJSONSchema` copies into the CRD, and makes Zod enforce what the
// apiserver will enforce, so both validators accept the same objects.
import { z } from 'zod';

/**
 * A Kubernetes quantity (`16Gi`, `500m`, `8`): a string matching `pattern`, or an integer.
 * The CRD marks it `x-kubernetes-int-or-string`, as the built-in resource fields are.
 */
export function intOrString(pattern: RegExp, options: { maxLength: number; message: string }) {
  return z
    .union(
      [
        z.int().min(0, options.message),
        z.string().max(options.maxLength, options.message).regex(pattern, options.message),
      ],
      { error: options.message },
    )
    .meta({ 'x-kubernetes-int-or-string': true });
}

/** A string → value map with at most `maxProperties` entries. */
export function boundedRecord<V extends z.ZodType>(value: V, maxProperties: number) {
  return z
    .record(z.string(), value)
    .refine((map) => Object.keys(map).length <= maxProperties, {
      error: `must have at most ${maxProperties} entries`,
    })
    .meta({ maxProperties });
}

/**
 * A free-form object whose content the apiserver keeps as is
 * (`x-kubernetes-preserve-unknown-fields`), limited to `maxProperties` top-level keys.
 */
export function preserveUnknownFields(maxProperties: number) {
  return boundedRecord(z.unknown(), maxProperties).meta({ 'x-kubernetes-preserve-unknown-fields': true });
}

/**
 * A list whose items are identified by `keys` (`x-kubernetes-list-type: map`): the apiserver
 * rejects two items with the same keys, and server-side apply merges items by key.
 */
export function listMap<I extends z.ZodType<Record<string, unknown>>>(
  list: z.ZodArray<I>,
  keys: readonly [string, ...string[]],
) {
  return list
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const identity = JSON.stringify(keys.map((key) => item[key]));
        if (seen.has(identity)) {
          const described = keys.map((key) => `${key} ${JSON.stringify(item[key])}`).join(', ');
          ctx.addIssue({
            code: 'custom',
            message: `duplicate entry: another item already has ${described}`,
            path: [index, keys[0]],
          });
        }
        seen.add(identity);
      });
    })
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [...keys] });
}
