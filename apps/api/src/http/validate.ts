// Request validation at the edge with the contract's Zod schemas. A failure becomes
// VALIDATION_ERROR with one entry per offending field, paths as the client wrote them
// (`defaultNamespace`, `id`), instead of Zod's own error shape.
import { parseWithFieldErrors } from '@airunway/schema';
import type { ValidationTargets } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { ApiError } from '../errors.js';

type Target = keyof ValidationTargets;

/** Validator middleware: the handler reads the parsed value with `c.req.valid(target)`. */
export function validate<T extends Target, S extends z.ZodType>(target: T, schema: S) {
  return validator(target, (value): z.output<S> => {
    const result = parseWithFieldErrors(schema, value);
    if (!result.success) throw ApiError.validation(result.errors);
    return result.data;
  });
}
