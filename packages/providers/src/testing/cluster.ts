// Test helper: does the real control plane (with the upstream CRDs installed by the testenv
// global setup) accept rendered objects? A server-side dry-run apply runs the CRD's OpenAPI
// schema, CEL rules and defaulting without storing anything.
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import type { KubernetesObject } from '../kubernetes.js';

export interface DryRunResult {
  readonly accepted: boolean;
  /** kubectl's stderr: the apiserver's reasons when it refused. */
  readonly errors: string;
  /** The objects as the apiserver would store them (defaults filled in). */
  readonly objects: KubernetesObject[];
}

const namespaces = new Map<string, Promise<void>>();

/** A namespace for dry runs, created once per test file and prefix. */
export function dryRunNamespace(prefix = 'dry-run'): Promise<string> {
  const name = uniqueNamespace(prefix);
  const created = testCluster().createNamespace(name);
  namespaces.set(name, created);
  return created.then(() => name);
}

/** Server-side dry-run apply of `objects` into `namespace`. */
export async function serverDryRun(
  objects: readonly KubernetesObject[],
  namespace: string,
): Promise<DryRunResult> {
  const items = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
  const result = await testCluster().kubectl(
    [
      'apply',
      '--server-side',
      '--dry-run=server',
      '--field-manager=airunway-operator',
      '-o',
      'json',
      '-f',
      '-',
    ],
    { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) },
  );
  if (result.code !== 0) return { accepted: false, errors: result.stderr.trim(), objects: [] };
  const out = JSON.parse(result.stdout) as { items?: KubernetesObject[] } & KubernetesObject;
  return { accepted: true, errors: '', objects: out.items ?? [out] };
}
