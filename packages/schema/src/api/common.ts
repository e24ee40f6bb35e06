// Small shapes shared by several routes of the REST contract.
import { z } from 'zod';
import { DNS1123_LABEL } from '../kubernetes.js';

/** A namespace name: an RFC 1123 label (what the apiserver accepts for a Namespace). */
export const NamespaceNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(
    DNS1123_LABEL,
    'must be a namespace name: lowercase letters, digits and "-", starting and ending alphanumeric',
  );

/** An RFC 3339 timestamp as JSON carries it. */
export const TimestampSchema = z.iso.datetime({ offset: true });
