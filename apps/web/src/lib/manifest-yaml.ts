// Kubernetes objects as YAML for people to read: without what the apiserver adds for itself.
import { stringify } from 'yaml';

/** The object without uid, resourceVersion, timestamps and managed fields (and status, unless kept). */
export function cleanManifest(object: Record<string, unknown>, keepStatus = false): Record<string, unknown> {
  const { metadata, status, ...rest } = object as { metadata?: Record<string, unknown>; status?: unknown };
  if (!metadata) return rest;
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _ct,
    managedFields: _mf,
    generation: _gen,
    ...kept
  } = metadata;
  // kubectl's order: apiVersion, kind, metadata, then the rest.
  const { apiVersion, kind, ...body } = rest as { apiVersion?: unknown; kind?: unknown };
  return {
    apiVersion,
    kind,
    metadata: kept,
    ...body,
    ...(keepStatus && status !== undefined ? { status } : {}),
  };
}

export function toYaml(object: unknown): string {
  return stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
}
