import { describe, expect, it } from 'vitest';
import { manifestHeads, parseManifests } from './manifest.js';

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
spec:
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          description: |
            ---
            kind: Deployment
`;

const rendered = `---
# Source: x/templates/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: x
  namespace: ns
---
${crd}---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: a }
`;

describe('manifests', () => {
  it('parses every object, flattening Lists and skipping empty documents', () => {
    expect(parseManifests(rendered).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/x',
      'CustomResourceDefinition/things.example.com',
      'ConfigMap/a',
    ]);
  });

  it('heads: CRDs recognised without parsing their schema (indented separators are content)', () => {
    expect(manifestHeads(rendered)).toEqual([
      expect.objectContaining({ kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'ns' } }),
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {} },
      expect.objectContaining({ kind: 'ConfigMap' }),
    ]);
  });
});
