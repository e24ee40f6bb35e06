// Turns Zod issues into the flat `{ path, message }` list that API responses carry
// (`{ error, code: "VALIDATION_ERROR", details }`). Paths are written the way the
// kube-apiserver writes them (`spec.env[0].name`, `spec.nodeSelector[kubernetes.io/os]`), so
// an error reads the same whether it came from the REST API or from kubectl.
import type { z } from 'zod';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `spec.scaling.prefill`; empty for the whole object. */
  readonly path: string;
  readonly message: string;
}

export type ParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly errors: readonly FieldError[] };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let formatted = '';
  for (const segment of path) {
    if (typeof segment === 'number') formatted += `[${segment}]`;
    else if (typeof segment === 'symbol') formatted += `[${segment.description ?? ''}]`;
    else if (IDENTIFIER.test(segment)) formatted += formatted === '' ? segment : `.${segment}`;
    else formatted += `[${segment}]`;
  }
  return formatted;
}

/**
 * Turns Zod issues into field errors under `basePath`. An unknown key becomes one error on
 * that key (`unknown field "replica"`), as kubectl's strict field validation reports it.
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  basePath: readonly PropertyKey[] = [],
): FieldError[] {
  return issues.flatMap((issue) => {
    const path = [...basePath, ...issue.path];
    // A missing field is worded as the apiserver words it. Needs issues parsed with
    // `reportInput: true` (parseWithFieldErrors does); without `input` the Zod message stays.
    if (issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined) {
      return [{ path: formatFieldPath(path), message: 'Required value' }];
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatFieldPath([...path, key]),
        message: `unknown field ${JSON.stringify(key)}`,
      }));
    }
    return [{ path: formatFieldPath(path), message: issue.message }];
  });
}

/** Parses `input` with `schema`, reporting failures as field errors under `basePath`. */
export function parseWithFieldErrors<S extends z.ZodType>(
  schema: S,
  input: unknown,
  basePath: readonly PropertyKey[] = [],
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { success: true, data: result.data };
  return { success: false, errors: formatIssues(result.error.issues, basePath) };
}
