import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ENGINE_TYPES, PROVIDER_NAMES } from '../constants.js';
import { validateAgainstSchema } from '../testing/structural-validator.js';
import { buildModelDeploymentCrd, CRD_FILE, CRD_FILE_HEADER, renderCrdYaml } from './crd.js';
import { REPO_ROOT } from './repo-root.js';
import type { StructuralSchema } from './structural-schema.js';

const crd = buildModelDeploymentCrd();
const version = crd.spec.versions[0];
const root = version?.schema.openAPIV3Schema;
if (!version || !root) throw new Error('the CRD has no version schema');

interface VisitedNode {
  path: string;
  node: StructuralSchema;
  /** True for object properties (as opposed to list items, map values and the root). */
  isProperty: boolean;
}

function allNodes(): VisitedNode[] {
  const nodes: VisitedNode[] = [];
  const visit = (node: StructuralSchema, path: string, isProperty: boolean) => {
    nodes.push({ path, node, isProperty });
    for (const [name, property] of Object.entries(node.properties ?? {}))
      visit(property, `${path}.${name}`, true);
    if (node.items) visit(node.items, `${path}[]`, false);
    if (node.additionalProperties) visit(node.additionalProperties, `${path}[*]`, false);
  };
  if (root) visit(root, '', false);
  return nodes;
}

/** Root metadata is special: only name/generateName, and nothing else, not even a description. */
const isRootMetadata = (path: string) => path === '.metadata' || path.startsWith('.metadata.');

describe('generated CRD file', () => {
  it('is up to date with the Zod schema (run `npm run generate` if this fails)', () => {
    const committed = readFileSync(join(REPO_ROOT, CRD_FILE), 'utf8');
    const fresh = renderCrdYaml(buildModelDeploymentCrd());
    expect(committed === fresh, `${CRD_FILE} is stale: run \`npm run generate\` and commit the result`).toBe(
      true,
    );
  });

  it('starts with the generated-code header and parses back to the same object', () => {
    const text = renderCrdYaml(crd);
    expect(text.split('\n')[0]).toBe(CRD_FILE_HEADER);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(crd)));
  });

  it('renders identically every time', () => {
    expect(renderCrdYaml(buildModelDeploymentCrd())).toBe(renderCrdYaml(buildModelDeploymentCrd()));
  });
});

describe('CRD definition', () => {
  it('names the resource', () => {
    expect(crd.metadata.name).toBe('modeldeployments.airunway.ai');
    expect(crd.spec).toMatchObject({
      group: 'airunway.ai',
      scope: 'Namespaced',
      names: {
        kind: 'ModelDeployment',
        listKind: 'ModelDeploymentList',
        plural: 'modeldeployments',
        singular: 'modeldeployment',
        shortNames: ['md'],
        categories: ['airunway'],
      },
    });
  });

  it('serves and stores one version with a status subresource', () => {
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({
      name: 'v1alpha1',
      served: true,
      storage: true,
      subresources: { status: {} },
    });
  });

  it('prints model, provider, engine, phase, replicas and age', () => {
    expect(
      version.additionalPrinterColumns.map(({ name, type, jsonPath }) => [name, type, jsonPath]),
    ).toEqual([
      ['Model', 'string', '.spec.model.id'],
      ['Provider', 'string', '.status.provider.name'],
      ['Engine', 'string', '.status.engine.type'],
      ['Phase', 'string', '.status.phase'],
      ['Ready', 'integer', '.status.replicas.ready'],
      ['Desired', 'integer', '.status.replicas.desired'],
      ['Age', 'date', '.metadata.creationTimestamp'],
    ]);
  });

  it('has the resource root Kubernetes expects', () => {
    expect(Object.keys(root.properties ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(root.required).toEqual(['spec']);
    expect(root.properties?.metadata).toEqual({
      type: 'object',
      properties: {
        generateName: { type: 'string', maxLength: 253 },
        name: { type: 'string', maxLength: 253 },
      },
    });
  });

  it('carries the enums and defaults of the API reference', () => {
    const spec = root.properties?.spec;
    expect(spec?.properties?.engine?.properties?.type?.enum).toEqual([...ENGINE_TYPES]);
    expect(spec?.properties?.provider?.properties?.name?.enum).toEqual([...PROVIDER_NAMES]);
    expect(spec?.properties?.serving?.default).toEqual({ mode: 'aggregated' });
    expect(spec?.properties?.scaling?.default).toEqual({ replicas: 1 });
    expect(spec?.properties?.resources?.default).toEqual({ gpu: { count: 0, type: 'nvidia.com/gpu' } });
    expect(spec?.properties?.gateway?.properties?.enabled?.default).toBeUndefined();
  });

  it('keeps the Kubernetes list semantics of env and conditions', () => {
    expect(root.properties?.spec?.properties?.env).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(root.properties?.status?.properties?.conditions).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    });
  });

  it('keeps the full EnvVar and Toleration item schemas', () => {
    const spec = root.properties?.spec?.properties;
    expect(Object.keys(spec?.env?.items?.properties ?? {})).toEqual(['name', 'value', 'valueFrom']);
    expect(Object.keys(spec?.env?.items?.properties?.valueFrom?.properties ?? {})).toEqual([
      'configMapKeyRef',
      'fieldRef',
      'resourceFieldRef',
      'secretKeyRef',
    ]);
    expect(Object.keys(spec?.tolerations?.items?.properties ?? {})).toEqual([
      'effect',
      'key',
      'operator',
      'tolerationSeconds',
      'value',
    ]);
  });
});

describe('openAPIV3Schema is structural', () => {
  const nodes = allNodes();
  const FORBIDDEN = [
    '$ref',
    '$schema',
    '$defs',
    'definitions',
    'oneOf',
    'allOf',
    'not',
    'const',
    'id',
    'title',
  ];

  it('gives every node a type, except the int-or-string form', () => {
    const untyped = nodes.filter(
      ({ node }) => node.type === undefined && !node['x-kubernetes-int-or-string'],
    );
    expect(untyped.map(({ path }) => path)).toEqual([]);
  });

  it('uses anyOf only as the exact int-or-string form', () => {
    for (const { path, node } of nodes) {
      if (node.anyOf === undefined) continue;
      expect(node.anyOf, path).toEqual([{ type: 'integer' }, { type: 'string' }]);
      expect(node['x-kubernetes-int-or-string'], path).toBe(true);
      expect(node.type, path).toBeUndefined();
    }
  });

  it('uses no keyword that a structural schema forbids or that the API has no use for', () => {
    for (const { path, node } of nodes) {
      for (const keyword of FORBIDDEN) expect(node, `${path} has ${keyword}`).not.toHaveProperty([keyword]);
      expect(node, `${path} is nullable`).not.toHaveProperty(['nullable']);
      expect(node, `${path} has uniqueItems`).not.toHaveProperty(['uniqueItems']);
    }
  });

  it('never combines properties with additionalProperties, nor closes an object', () => {
    for (const { path, node } of nodes) {
      const additional: unknown = node.additionalProperties;
      expect(additional === false || additional === true, path).toBe(false);
      expect(node.properties !== undefined && additional !== undefined, path).toBe(false);
    }
  });

  it('declares object-only keywords on objects and items on arrays', () => {
    for (const { path, node } of nodes) {
      if (node.properties || node.additionalProperties || node['x-kubernetes-preserve-unknown-fields']) {
        expect(node.type, path).toBe('object');
      }
      if (node.type === 'array') expect(node.items, path).toBeDefined();
      if (node.type === 'array') expect(node.maxItems, `${path} needs maxItems (CEL cost)`).toBeDefined();
      if (node.additionalProperties)
        expect(node.maxProperties, `${path} needs maxProperties (CEL cost)`).toBeDefined();
      // apiVersion and kind are never read by a rule; the apiserver sets their meaning.
      const isTypeMeta = path === '.apiVersion' || path === '.kind';
      if (node.type === 'string' && !node.enum && !node.format && !isTypeMeta) {
        expect(node.maxLength, `${path} needs maxLength (CEL cost)`).toBeDefined();
      }
    }
  });

  it('describes every property, so `kubectl explain` has something to say', () => {
    const undescribed = nodes.filter(
      ({ path, node, isProperty }) => isProperty && !isRootMetadata(path) && !node.description?.trim(),
    );
    expect(undescribed.map(({ path }) => path)).toEqual([]);
    expect(root.description).toBeTruthy();
  });

  it('has defaults that are valid values of their own node', () => {
    const defaulted = nodes.filter(({ node }) => node.default !== undefined);
    expect(defaulted.length).toBeGreaterThan(10);
    for (const { path, node } of defaulted) {
      expect(validateAgainstSchema(node, node.default, path), path).toEqual([]);
    }
  });

  it('keys list-maps by fields that are required or defaulted', () => {
    for (const { path, node } of nodes.filter(({ node }) => node['x-kubernetes-list-type'] === 'map')) {
      for (const key of node['x-kubernetes-list-map-keys'] ?? []) {
        const item = node.items;
        const keyed =
          item?.required?.includes(key) === true || item?.properties?.[key]?.default !== undefined;
        expect(keyed, `${path}: list-map key ${key}`).toBe(true);
      }
    }
  });

  it('gives every CEL rule a message, and a fieldPath only if it names a declared field', () => {
    for (const { path, node } of nodes) {
      for (const validation of node['x-kubernetes-validations'] ?? []) {
        expect(validation.message, path).toBeTruthy();
        if (validation.fieldPath === undefined) continue;
        let target: StructuralSchema | undefined = node;
        for (const segment of validation.fieldPath.split('.').slice(1))
          target = target?.properties?.[segment];
        expect(target, `${path}: fieldPath ${validation.fieldPath}`).toBeDefined();
      }
    }
  });
});
