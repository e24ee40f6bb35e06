// Label selectors and the informer cache: pure logic, no cluster.
import { describe, expect, it } from 'vitest';
import { formatLabelSelector, labelMatcher, parseLabelSelector } from './label-selector.js';
import { ObjectStore, byLabel, byOwnerUid } from './store.js';
import type { KubeObject } from './objects.js';

describe('label selectors', () => {
  it('parses every term of the string syntax', () => {
    expect(
      parseLabelSelector('app=web, tier!=db,env in (prod, stage),!legacy,team,x==y,k notin (a)'),
    ).toEqual([
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'tier', operator: 'NotIn', values: ['db'] },
      { key: 'env', operator: 'In', values: ['prod', 'stage'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'team', operator: 'Exists' },
      { key: 'x', operator: 'In', values: ['y'] },
      { key: 'k', operator: 'NotIn', values: ['a'] },
    ]);
    expect(() => parseLabelSelector('a=b=c')).toThrow(/cannot parse/);
  });

  it('matches as the apiserver does ("!=" and notin match a missing label)', () => {
    const m = labelMatcher('app=web,tier!=db');
    expect(m({ app: 'web' })).toBe(true);
    expect(m({ app: 'web', tier: 'db' })).toBe(false);
    expect(m({ app: 'api' })).toBe(false);
    expect(m(undefined)).toBe(false);
    expect(labelMatcher('')(undefined)).toBe(true);
    const obj = labelMatcher({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'gpu', operator: 'Exists' }],
    });
    expect(obj({ app: 'web', gpu: 'h100' })).toBe(true);
    expect(obj({ app: 'web' })).toBe(false);
    expect(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'old', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,env in (a,b),!old');
  });
});

describe('ObjectStore', () => {
  const obj = (
    ns: string,
    name: string,
    rv: string,
    extra: Partial<KubeObject['metadata']> = {},
  ): KubeObject => ({
    metadata: { namespace: ns, name, resourceVersion: rv, uid: `${ns}-${name}`, ...extra },
  });

  it('lists by namespace and label, and keeps indexes current', () => {
    const store = new ObjectStore<KubeObject>();
    store.addIndex('owner', byOwnerUid);
    store.upsert(obj('a', 'x', '1', { labels: { app: 'web' }, ownerReferences: [ref('p1')] }));
    store.upsert(obj('a', 'y', '1', { labels: { app: 'db' }, ownerReferences: [ref('p1')] }));
    store.upsert(obj('b', 'x', '1', { labels: { app: 'web' } }));
    store.addIndex('app', byLabel('app')); // built from what is already cached
    expect(store.list({ namespace: 'a' }).map((o) => o.metadata.name)).toEqual(['x', 'y']);
    expect(store.list({ labelSelector: 'app=web' })).toHaveLength(2);
    expect(store.byIndex('owner', 'p1')).toHaveLength(2);
    store.upsert(obj('a', 'y', '2', { labels: { app: 'web' } })); // owner dropped, label changed
    expect(store.byIndex('owner', 'p1').map((o) => o.metadata.name)).toEqual(['x']);
    expect(store.byIndex('app', 'web')).toHaveLength(3);
    expect(store.byIndex('app', 'db')).toHaveLength(0);
    store.remove('a/x');
    expect(store.byIndex('owner', 'p1')).toHaveLength(0);
    expect(store.get('a', 'x')).toBeUndefined();
  });

  it('freezes cached objects so no reader can corrupt them', () => {
    const store = new ObjectStore<KubeObject>();
    store.upsert(obj('a', 'x', '1', { labels: { app: 'web' } }));
    const cached = store.get('a', 'x');
    expect(() => {
      if (cached?.metadata.labels) cached.metadata.labels.app = 'changed';
    }).toThrow(TypeError);
  });

  it('replace() reports adds, real updates and deletes, not unchanged objects', () => {
    const store = new ObjectStore<KubeObject>();
    store.upsert(obj('a', 'same', '1'));
    store.upsert(obj('a', 'changed', '1'));
    store.upsert(obj('a', 'gone', '1'));
    const diff = store.replace([obj('a', 'same', '1'), obj('a', 'changed', '2'), obj('a', 'new', '3')]);
    expect(diff.added.map((o) => o.metadata.name)).toEqual(['new']);
    expect(
      diff.updated.map((u) => [u.oldObject.metadata.resourceVersion, u.object.metadata.resourceVersion]),
    ).toEqual([['1', '2']]);
    expect(diff.deleted.map((o) => o.metadata.name)).toEqual(['gone']);
    expect(store.keys().sort()).toEqual(['a/changed', 'a/new', 'a/same']);
  });

  it('replace() reports a name re-created with a new uid as a delete and an add', () => {
    const store = new ObjectStore<KubeObject>();
    store.upsert(obj('a', 'x', '1'));
    const recreated = { metadata: { ...obj('a', 'x', '5').metadata, uid: 'other-uid' } };
    const diff = store.replace([recreated]);
    expect(diff.deleted.map((o) => o.metadata.uid)).toEqual(['a-x']);
    expect(diff.added.map((o) => o.metadata.uid)).toEqual(['other-uid']);
    expect(diff.updated).toEqual([]);
  });
});

function ref(uid: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, controller: true };
}
