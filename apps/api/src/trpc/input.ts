// tRPC inputs validated with the contract's Zod schemas the way the REST edge validates them:
// one field error per offending field, paths as the client wrote them. Exposed as a Standard
// Schema so the client's input type is the schema's input (defaults optional).
import { parseWithFieldErrors } from '@airunway/schema';
import type { z } from 'zod';

interface StandardIssue {
  readonly message: string;
  readonly path?: readonly PropertyKey[];
}

export interface FieldValidated<In, Out> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => { readonly value: Out } | { readonly issues: readonly StandardIssue[] };
    readonly types?: { readonly input: In; readonly output: Out };
  };
}

export function input<S extends z.ZodType>(schema: S): FieldValidated<z.input<S>, z.output<S>> {
  return {
    '~standard': {
      version: 1,
      vendor: 'airunway',
      validate: (value) => {
        const result = parseWithFieldErrors(schema, value);
        if (result.success) return { value: result.data };
        // The path is already formatted ("resources.gpu", "env[0].name"): one segment.
        return { issues: result.errors.map((e) => ({ message: e.message, path: e.path ? [e.path] : [] })) };
      },
    },
  };
}
