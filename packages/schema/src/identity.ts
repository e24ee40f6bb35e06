// Identity fields (API reference, "Update Semantics"): changing one means the provider objects
// must be deleted and recreated; every other field is applied in place.
import type { ModelDeploymentSpec } from './model-deployment-spec.js';

export const IDENTITY_FIELDS = [
  'model.id',
  'model.source',
  'engine.type',
  'provider.name',
  'serving.mode',
] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/**
 * Identity fields that count as changed only when both the old and the new value are set:
 * setting engine.type for the first time pins the engine the operator had selected, which
 * the operator compares against status.engine.type instead.
 */
export const IDENTITY_FIELDS_COMPARED_ONCE_SET: readonly IdentityField[] = ['engine.type'];

export function identityFieldValue(spec: ModelDeploymentSpec, field: IdentityField): string | undefined {
  switch (field) {
    case 'model.id':
      return spec.model.id;
    case 'model.source':
      return spec.model.source;
    case 'engine.type':
      return spec.engine.type;
    case 'provider.name':
      return spec.provider?.name;
    case 'serving.mode':
      return spec.serving.mode;
  }
}

/** The identity fields whose value differs between two specs, in IDENTITY_FIELDS order. */
export function changedIdentityFields(
  previous: ModelDeploymentSpec,
  next: ModelDeploymentSpec,
): IdentityField[] {
  return IDENTITY_FIELDS.filter((field) => {
    const before = identityFieldValue(previous, field);
    const after = identityFieldValue(next, field);
    if (IDENTITY_FIELDS_COMPARED_ONCE_SET.includes(field) && (before === undefined || after === undefined)) {
      return false;
    }
    return before !== after;
  });
}
