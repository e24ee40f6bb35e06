// The chart's RBAC, read from the rendered ClusterRoles and Roles: the operator can apply,
// watch and delete everything providers render and can create the Roles they render (Kubernetes
// refuses a Role granting rights its creator lacks); the API only reads; neither touches
// Secrets, uses a wildcard, or can escalate; the opt-in installer rights stay opt-in.
import { PROVIDER_CATALOGUE, RENDERED_KINDS } from '@airunway/providers';
import { PROVIDER_NAMES } from '@airunway/schema';
import { describe, expect, it } from 'vitest';
import { allows, find, render, type K8sObject, type PolicyRule } from './chart.js';
import { EVERYTHING_ON } from './fixtures.js';
import { renderedProviderObjects } from './provider-objects.js';

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
const rulesOf = (objects: K8sObject[], kind: string, suffix: string): PolicyRule[] =>
  find(objects, kind, suffix).rules;

/** "group/resource: verbs" lines, sorted: the whole grant at a glance. */
function grants(rules: readonly PolicyRule[]): string[] {
  return rules
    .flatMap((r) =>
      (r.apiGroups ?? []).flatMap((g) =>
        (r.resources ?? []).map(
          (res) =>
            `${g || 'core'}/${res}${r.resourceNames ? `[${r.resourceNames.join(',')}]` : ''}: ${[...r.verbs].sort().join(',')}`,
        ),
      ),
    )
    .sort();
}

describe('operator RBAC', () => {
  it('grants exactly what the operator does, and nothing else', async () => {
    const objects = await render();
    expect(grants(rulesOf(objects, 'ClusterRole', '-operator'))).toEqual([
      'airunway.ai/modeldeployments/finalizers: update',
      'airunway.ai/modeldeployments/status: patch',
      'airunway.ai/modeldeployments: list,watch',
      'apiextensions.k8s.io/customresourcedefinitions: list,watch',
      'apps/deployments: create,delete,list,patch,watch',
      'apps/replicasets: list,watch',
      'core/configmaps: create,delete,list,patch,watch',
      'core/pods: get,list,watch',
      'core/serviceaccounts: create,delete,list,patch,watch',
      'core/services: create,delete,list,patch,watch',
      'events.k8s.io/events: create,patch',
      'gateway.networking.k8s.io/gateways: list,watch',
      'gateway.networking.k8s.io/httproutes: create,delete,list,patch,watch',
      'inference.networking.k8s.io/inferencepools: create,delete,get,list,patch,watch',
      'inference.networking.x-k8s.io/inferencemodelrewrites: create,delete,get,list,patch,watch',
      'inference.networking.x-k8s.io/inferenceobjectives: get,list,watch',
      'kaito.sh/workspaces: create,delete,list,patch,watch',
      'nvidia.com/dynamographdeployments: create,delete,list,patch,watch',
      'ray.io/rayservices: create,delete,list,patch,watch',
      'rbac.authorization.k8s.io/rolebindings: create,delete,list,patch,watch',
      'rbac.authorization.k8s.io/roles: create,delete,list,patch,watch',
    ]);
    expect(grants(rulesOf(objects, 'Role', '-operator-leader-election'))).toEqual([
      'coordination.k8s.io/leases: create',
      'coordination.k8s.io/leases[rel-airunway-operator]: get,update',
    ]);
  });

  it('can watch, apply and delete every kind a provider renders (RENDERED_KINDS)', async () => {
    const rules = rulesOf(await render(), 'ClusterRole', '-operator');
    for (const kind of RENDERED_KINDS)
      for (const verb of ['list', 'watch', 'create', 'patch', 'delete'])
        expect(allows(rules, kind.group, kind.plural, verb), `${verb} ${kind.plural}.${kind.group}`).toBe(
          true,
        );
  });

  it('renders only kinds in RENDERED_KINDS, and holds every right of every Role a provider renders', async () => {
    const rules = rulesOf(await render(), 'ClusterRole', '-operator');
    const cases = renderedProviderObjects('models');
    // Every provider renders something for at least one of the specs.
    expect(new Set(cases.map((c) => c.provider))).toEqual(new Set(PROVIDER_NAMES));
    const known = new Set(RENDERED_KINDS.map((k) => `${k.group}/${k.kind}`));
    let roleRules = 0;
    for (const { provider, objects } of cases) {
      for (const obj of objects) {
        expect(known.has(`${groupOf(obj.apiVersion)}/${obj.kind}`), `${provider}: ${obj.kind}`).toBe(true);
        if (obj.kind !== 'Role') continue;
        for (const rule of (obj as unknown as { rules: PolicyRule[] }).rules) {
          roleRules++;
          for (const group of rule.apiGroups ?? [])
            for (const resource of rule.resources ?? [])
              for (const verb of rule.verbs)
                expect(
                  allows(rules, group, resource, verb),
                  `${provider} Role: ${verb} ${resource}.${group}`,
                ).toBe(true);
        }
      }
    }
    expect(roleRules).toBeGreaterThan(0);
  });
});

describe('API RBAC', () => {
  it('creates TokenReviews, reads namespaces by name, and otherwise only lists and watches what its caches hold', async () => {
    const rules = rulesOf(await render(), 'ClusterRole', '-api');
    expect(grants(rules)).toEqual([
      'airunway.ai/modeldeployments: list,watch',
      'apiextensions.k8s.io/customresourcedefinitions: list,watch',
      'apps/deployments: list,watch',
      'authentication.k8s.io/tokenreviews: create',
      'core/configmaps: list,watch',
      'core/events: list,watch',
      'core/namespaces: get',
      'core/nodes: list,watch',
      'core/pods: list,watch',
      'core/serviceaccounts: list,watch',
      'core/services: list,watch',
      'gateway.networking.k8s.io/gateways: list,watch',
      'gateway.networking.k8s.io/httproutes: list,watch',
      'inference.networking.k8s.io/inferencepools: list,watch',
      'inference.networking.x-k8s.io/inferencemodelrewrites: list,watch',
      'kaito.sh/workspaces: list,watch',
      'nvidia.com/dynamographdeployments: list,watch',
      'ray.io/rayservices: list,watch',
      'rbac.authorization.k8s.io/rolebindings: list,watch',
      'rbac.authorization.k8s.io/roles: list,watch',
    ]);
  });

  it('can watch every kind the operator creates, to show it with its ModelDeployment', async () => {
    const rules = rulesOf(await render(), 'ClusterRole', '-api');
    for (const kind of RENDERED_KINDS)
      for (const verb of ['list', 'watch'])
        expect(allows(rules, kind.group, kind.plural, verb), `${verb} ${kind.plural}.${kind.group}`).toBe(
          true,
        );
  });
});

describe('every rule of the default install', () => {
  it('names its groups, resources and verbs (no wildcard), and none touches Secrets or grants escalation', async () => {
    const objects = await render();
    const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
    expect(roles).toHaveLength(5);
    for (const role of roles) {
      for (const rule of role.rules as PolicyRule[]) {
        const all = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs];
        expect(all, role.metadata.name).not.toContain('*');
        expect(rule.resources, role.metadata.name).not.toContain('secrets');
        for (const verb of ['escalate', 'bind', 'impersonate'])
          expect(rule.verbs, role.metadata.name).not.toContain(verb);
      }
    }
  });

  it('adds ModelDeployment rights to view/edit/admin without status, and only when asked', async () => {
    const objects = await render();
    const view = find(objects, 'ClusterRole', '-modeldeployments-view');
    const edit = find(objects, 'ClusterRole', '-modeldeployments-edit');
    expect(view.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-view']).toBe('true');
    expect(edit.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-view']).toBeUndefined();
    expect(edit.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-edit']).toBe('true');
    expect(grants([...view.rules, ...edit.rules])).toEqual([
      'airunway.ai/modeldeployments: create,delete,deletecollection,patch,update',
      'airunway.ai/modeldeployments: get,list,watch',
    ]);
    const without = await render({ rbac: { aggregateToDefaultRoles: false } });
    expect(without.some((o) => o.metadata.name.includes('modeldeployments-'))).toBe(false);
  });
});

describe('provider installs (opt-in)', () => {
  it('adds nothing by default', async () => {
    expect((await render()).some((o) => o.metadata.name.includes('installer'))).toBe(false);
  });

  it('covers every namespace a provider is installed into by default', async () => {
    const objects = await render({ api: { providerInstalls: { enabled: true } } });
    const bound = objects
      .filter((o) => o.kind === 'RoleBinding' && o.metadata.name.endsWith('-api-installer'))
      .map((o) => o.metadata.namespace);
    for (const provider of PROVIDER_NAMES) {
      const install = PROVIDER_CATALOGUE[provider].install;
      if (install) expect(bound, provider).toContain(install.namespace);
    }
  });

  it('grants Secrets only through RoleBindings in the install namespaces, and adds the extra rules', async () => {
    const objects = await render(EVERYTHING_ON);
    const cluster = find(objects, 'ClusterRole', '-api-installer');
    expect(cluster.rules.flatMap((r: PolicyRule) => r.resources)).not.toContain('secrets');
    expect(cluster.rules).toContainEqual(EVERYTHING_ON.api.providerInstalls.extraClusterRules[0]);
    const namespaced = find(objects, 'ClusterRole', '-api-installer-namespaced');
    expect(allows(namespaced.rules, '', 'secrets', 'get')).toBe(true);
    // Bound with RoleBindings (namespace-scoped), never with a ClusterRoleBinding.
    const bindings = objects.filter(
      (o) => o.kind.endsWith('Binding') && o.roleRef?.name === namespaced.metadata.name,
    );
    expect(bindings.map((b) => b.kind)).toEqual(['RoleBinding', 'RoleBinding', 'RoleBinding', 'RoleBinding']);
  });
});
