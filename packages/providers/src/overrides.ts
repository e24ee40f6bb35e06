// provider.overrides: the provider-specific settings a ModelDeployment may carry. Two kinds:
//
// - typed keys that each provider documents (Dynamo `routerMode`, `frontend.replicas`, …),
//   checked here against the provider's declaration so a typo or a wrong type is an error that
//   names the key, never a silently ignored setting;
// - `patch`, an escape hatch deep-merged into the provider's main object after rendering, for
//   fields the ModelDeployment API does not model. Objects merge key by key, arrays and scalars
//   replace, and null removes a key (JSON merge patch, RFC 7396). Fields that widen what the
//   model server may do on its node (security contexts, host namespaces, service accounts,
//   host paths, …) are refused wherever they appear: overrides must never be a way around the
//   cluster's policies or the operator's hardening.
import type { FieldError, ModelDeploymentSpec, ProviderName } from '@airunway/schema';
import { byCodePoint } from './engine-args.js';
import { orList } from './text.js';

/** One documented key of provider.overrides. */
export interface OverrideField {
  /** Dotted path under provider.overrides: `routerMode`, `frontend.replicas`. */
  readonly path: string;
  readonly type: 'string' | 'integer' | 'boolean';
  /** Allowed values of a string key. */
  readonly values?: readonly string[];
  /** Smallest allowed value of an integer key. */
  readonly minimum?: number;
  readonly description: string;
}

export type OverrideValue = string | number | boolean;

export type OverridesResult =
  | {
      readonly ok: true;
      /** The typed keys that are set, by dotted path. */
      readonly values: ReadonlyMap<string, OverrideValue>;
      /** The escape hatch, checked; undefined when not set. */
      readonly patch: Readonly<Record<string, unknown>> | undefined;
    }
  | { readonly ok: false; readonly errors: FieldError[] };

/** The key of the escape hatch under provider.overrides. */
export const OVERRIDE_PATCH_KEY = 'patch';

/**
 * Keys refused anywhere in a patch. Each one lets a pod do more than the operator grants it:
 * run privileged or as another user, share the node's namespaces, mount the node's disk, or act
 * with a service account's Kubernetes permissions.
 */
export const REFUSED_PATCH_KEYS: readonly string[] = [
  'securityContext',
  'podSecurityContext',
  'privileged',
  'allowPrivilegeEscalation',
  'capabilities',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'hostUsers',
  'hostPath',
  'hostPort',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'procMount',
];

/** Fields of the object's identity, which the operator owns. */
const REFUSED_TOP_LEVEL = ['apiVersion', 'kind', 'status'];
const REFUSED_METADATA = ['name', 'namespace', 'ownerReferences', 'finalizers', 'generateName'];

const OVERRIDES_PATH = 'spec.provider.overrides';

/**
 * Reads provider.overrides against `fields`, the provider's documented keys. Unknown keys,
 * values of the wrong type and refused patch fields are errors with the path of the key.
 */
export function readOverrides(
  spec: ModelDeploymentSpec,
  provider: ProviderName,
  fields: readonly OverrideField[],
): OverridesResult {
  const overrides: Record<string, unknown> = spec.provider?.overrides ?? {};
  const errors: FieldError[] = [];
  const values = new Map<string, OverrideValue>();
  let patch: Record<string, unknown> | undefined;

  const byPath = new Map(fields.map((f) => [f.path, f]));
  const prefixes = new Set(fields.flatMap((f) => ancestors(f.path)));
  const known = () =>
    orList([...fields.map((f) => f.path), OVERRIDE_PATCH_KEY].sort(byCodePoint).map((p) => `"${p}"`));

  const visit = (value: unknown, path: string) => {
    const field = byPath.get(path);
    if (field) {
      const problem = typeProblem(field, value);
      if (problem) errors.push({ path: `${OVERRIDES_PATH}.${path}`, message: problem });
      else values.set(path, value as OverrideValue);
      return;
    }
    if (prefixes.has(path) && isPlainObject(value)) {
      for (const key of Object.keys(value).sort(byCodePoint)) visit(value[key], `${path}.${key}`);
      return;
    }
    errors.push({
      path: `${OVERRIDES_PATH}.${path}`,
      message: `provider ${provider} has no override "${path}"; the overrides it knows are ${known()}`,
    });
  };

  for (const key of Object.keys(overrides).sort(byCodePoint)) {
    const value = overrides[key];
    if (key === OVERRIDE_PATCH_KEY) {
      if (!isPlainObject(value)) {
        errors.push({
          path: `${OVERRIDES_PATH}.${OVERRIDE_PATCH_KEY}`,
          message: `overrides.${OVERRIDE_PATCH_KEY} must be an object merged into the ${provider} object`,
        });
        continue;
      }
      const patchErrors = refusedPatchFields(value, `${OVERRIDES_PATH}.${OVERRIDE_PATCH_KEY}`);
      errors.push(...patchErrors);
      if (patchErrors.length === 0) patch = value;
      continue;
    }
    visit(value, key);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values, patch };
}

/**
 * `target` with `patch` merged in (RFC 7396): objects merge key by key, arrays and scalars
 * replace, null removes. Neither argument is modified.
 */
export function mergePatch<T extends object>(
  target: T,
  patch: Readonly<Record<string, unknown>> | undefined,
): T {
  if (patch === undefined) return target;
  return mergeValue(target, patch) as T;
}

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const base = new Map(Object.entries(isPlainObject(target) ? target : {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) base.delete(key);
    else base.set(key, mergeValue(base.get(key), value));
  }
  return Object.fromEntries(base);
}

function refusedPatchFields(patch: Record<string, unknown>, root: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of REFUSED_TOP_LEVEL) {
    if (key in patch) {
      errors.push({
        path: `${root}.${key}`,
        message: `overrides.patch cannot set ${key}: the operator owns it; remove it`,
      });
    }
  }
  const metadata = patch.metadata;
  if (isPlainObject(metadata)) {
    for (const key of REFUSED_METADATA) {
      if (key in metadata) {
        errors.push({
          path: `${root}.metadata.${key}`,
          message: `overrides.patch cannot set metadata.${key}: the operator owns it; remove it`,
        });
      }
    }
  }
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        walk(item, `${path}[${index}]`);
      });
      return;
    }
    if (!isPlainObject(value)) return;
    for (const key of Object.keys(value).sort(byCodePoint)) {
      const at = `${path}.${key}`;
      if (REFUSED_PATCH_KEYS.includes(key)) {
        errors.push({
          path: at,
          message:
            `overrides.patch cannot set ${key}: it would give the model server more privileges than ` +
            'AI Runway grants; ask a cluster administrator to change the policy instead, and remove it',
        });
        continue;
      }
      walk(value[key], at);
    }
  };
  walk(patch, root);
  return errors;
}

function typeProblem(field: OverrideField, value: unknown): string | undefined {
  const name = `overrides.${field.path}`;
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${name} must be true or false`;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${name} must be an integer`;
      if (field.minimum !== undefined && value < field.minimum) {
        return `${name} must be at least ${field.minimum}`;
      }
      return undefined;
    case 'string':
      if (typeof value !== 'string') return `${name} must be a string`;
      if (field.values && !field.values.includes(value)) {
        return `${name} must be ${orList(field.values.map((v) => `"${v}"`))}, not "${value}"`;
      }
      return undefined;
  }
}

function ancestors(path: string): string[] {
  const parts = path.split('.');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
