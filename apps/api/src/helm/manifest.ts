// Multi-document YAML (a rendered chart, a release's manifest, a CRD bundle) as objects.
import type { KubeObject } from '@airunway/kube';
import { parseAllDocuments } from 'yaml';

/** Every object of `text`; `kind: List` documents are flattened. Throws on invalid YAML. */
export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message ?? 'parse error'}`);
    const value = doc.toJS({ maxAliasCount: 100 }) as { kind?: unknown; items?: unknown } | null;
    if (value?.kind === 'List' && Array.isArray(value.items)) objects.push(...value.items.filter(isObject));
    else if (isObject(value)) objects.push(value);
  }
  return objects;
}

// A document separator is `---` at the start of a line; inside block scalars every line is
// indented, so a separator cannot be mistaken for content.
const SEPARATOR = /^---[ \t]*(?:#.*)?$/m;
const TOP_LEVEL_KIND = /^kind:[ \t]*["']?CustomResourceDefinition["']?[ \t]*$/m;
const TOP_LEVEL_API_VERSION = /^apiVersion:[ \t]*["']?([^"'\s#]+)/m;

/**
 * The objects of a manifest as far as a permission check needs them (apiVersion, kind,
 * namespace). CustomResourceDefinitions are megabytes of schema that a YAML parser takes
 * seconds over, and are cluster-scoped: they are recognised by their top-level keys and not
 * parsed. Everything else is parsed in full.
 */
export function manifestHeads(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of text.split(SEPARATOR)) {
    if (TOP_LEVEL_KIND.test(doc)) {
      const apiVersion = TOP_LEVEL_API_VERSION.exec(doc)?.[1] ?? 'apiextensions.k8s.io/v1';
      objects.push({ apiVersion, kind: 'CustomResourceDefinition', metadata: {} });
    } else {
      objects.push(...parseManifests(doc));
    }
  }
  return objects;
}

function isObject(value: unknown): value is KubeObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    'apiVersion' in value &&
    typeof (value as { metadata?: unknown }).metadata === 'object'
  );
}
