// Field-set comparison against FieldsV1 as the apiserver writes it (the shapes below are
// copied from real managedFields entries of Deployments and ConfigMaps).
import { describe, expect, it } from 'vitest';
import { canonicalJson, compareFieldSet, compareValues, hashOf } from './managed-fields.js';

/** A mutable FieldsV1 tree, so tests can take fields away. */
interface Fields {
  [key: string]: Fields;
}

interface TestDeployment {
  metadata: { labels: Record<string, string> };
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: {
          name: string;
          image: string;
          ports: { containerPort: number }[];
          args: string[];
          env?: { name: string; value: string }[];
          terminationMessagePath?: string;
        }[];
      };
    };
  };
  status?: { replicas: number };
}

const deploymentFields: Fields = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"server"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":8000,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            'f:args': {},
          },
        },
      },
    },
  },
};

const deployment: TestDeployment = {
  metadata: { labels: { app: 'x' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'x' } },
    template: {
      metadata: { labels: { app: 'x' } },
      spec: {
        containers: [
          { name: 'server', image: 'vllm:1', ports: [{ containerPort: 8000 }], args: ['--a', '--b'] },
        ],
      },
    },
  },
};

describe('compareFieldSet', () => {
  it('accepts exactly the owned fields, across keyed lists, atomic lists and atomic structs', () => {
    expect(compareFieldSet(deployment, deploymentFields)).toEqual({ equal: true });
  });

  it('sees a field we would newly claim', () => {
    const desired = structuredClone(deployment);
    desired.spec.template.spec.containers[0]!.env = [{ name: 'A', value: '1' }];
    expect(compareFieldSet(desired, deploymentFields)).toMatchObject({
      equal: false,
      path: '.spec.template.spec.containers[{"name":"server"}].env',
      detail: 'not owned by the field manager',
    });
  });

  it('sees a field we own but no longer send (apply would remove it)', () => {
    const desired = structuredClone(deployment);
    delete desired.spec.replicas;
    expect(compareFieldSet(desired, deploymentFields)).toMatchObject({
      equal: false,
      path: '.spec.replicas',
    });
  });

  it('sees a field another manager took from us', () => {
    const fields = structuredClone(deploymentFields);
    delete fields['f:spec']!['f:template']!['f:spec']!['f:containers']!['k:{"name":"server"}']!['f:image'];
    expect(compareFieldSet(deployment, fields)).toMatchObject({
      equal: false,
      detail: 'not owned by the field manager',
    });
  });

  it('matches keyed list entries by key, not position, and set members as sets', () => {
    const fields = {
      'f:list': { 'k:{"name":"b"}': { '.': {}, 'f:name': {} }, 'k:{"name":"a"}': { 'f:name': {} } },
    };
    expect(compareFieldSet({ list: [{ name: 'a' }, { name: 'b' }] }, fields).equal).toBe(true);
    expect(compareFieldSet({ list: [{ name: 'a' }, { name: 'c' }] }, fields).equal).toBe(false);
    const set = { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"x/y"': {}, 'v:"z"': {} } } };
    expect(compareFieldSet({ metadata: { finalizers: ['z', 'x/y'] } }, set).equal).toBe(true);
    expect(compareFieldSet({ metadata: { finalizers: ['z'] } }, set).equal).toBe(false);
  });
});

describe('compareValues', () => {
  it('compares desired values against live ones, ignoring fields only the server set', () => {
    const live = structuredClone(deployment);
    live.spec.template.spec.containers[0]!.terminationMessagePath = '/dev/termination-log';
    live.status = { replicas: 1 };
    expect(compareValues(deployment, live)).toEqual({ equal: true });
    live.spec.template.spec.containers[0]!.image = 'vllm:2';
    expect(compareValues(deployment, live)).toMatchObject({
      equal: false,
      path: '.spec.template.spec.containers[0].image',
    });
  });
});

describe('hashOf', () => {
  it('is independent of key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 2 }] })).toBe('{"a":[1,{"c":2}],"b":1}');
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1, c: undefined }));
    expect(hashOf({ a: 1 })).not.toBe(hashOf({ a: 2 }));
  });
});
