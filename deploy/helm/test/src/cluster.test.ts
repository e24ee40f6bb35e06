// The chart against a real control plane: the apiserver accepts what it renders (server-side dry
// run: admission, schemas and RBAC escalation checks included), helm installs, upgrades and
// uninstalls it, and each ServiceAccount may do what the product needs and nothing more — asked
// of the apiserver's authorizer with `kubectl auth can-i`, and shown by applying, as the
// operator, every object the providers render. Pods are not expected to run (the images are not
// built here); objects must be accepted.
import { productCrdFiles } from '@airunway/testenv';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartDir, helm, helmOk, parseObjects, renderText, valuesFile } from './chart.js';
import { EVERYTHING_ON } from './fixtures.js';
import { renderedProviderObjects } from './provider-objects.js';

const cluster = testCluster();
const CRD = 'customresourcedefinition/modeldeployments.airunway.ai';
const INSTALL_NAMESPACES = ['dynamo-system', 'kaito-workspace', 'ray-system', 'gpu-operator'];

const serviceAccount = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/** `kubectl auth can-i` as `user`: the apiserver's own authorization decision. */
async function canI(user: string, args: readonly string[]): Promise<boolean> {
  const namespace = user.split(':')[2] ?? '';
  const groups = user.startsWith('system:serviceaccount:')
    ? ['--as-group=system:serviceaccounts', `--as-group=system:serviceaccounts:${namespace}`]
    : [];
  const res = await cluster.kubectl(['auth', 'can-i', ...args, `--as=${user}`, ...groups]);
  if (res.code !== 0 && res.stdout.trim() !== 'no')
    throw new Error(`kubectl auth can-i failed: ${res.stderr}`);
  return res.code === 0;
}

/** Asserts each line ("verb resource [flags…]") is allowed (or denied) for `user`. */
async function expectAccess(user: string, allowed: boolean, checks: readonly string[]): Promise<void> {
  const wrong: string[] = [];
  for (const check of checks) if ((await canI(user, check.split(' '))) !== allowed) wrong.push(check);
  expect(wrong, `${user} should ${allowed ? '' : 'not '}be allowed`).toEqual([]);
}

async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const helmIn = (namespace: string, args: readonly string[]) =>
  helm([...args, '--namespace', namespace], { kubeconfig: cluster.kubeconfigPath });
const helmInOk = (namespace: string, args: readonly string[]) =>
  helmOk([...args, '--namespace', namespace], { kubeconfig: cluster.kubeconfigPath });

async function ensureProductCrd(): Promise<void> {
  if ((await cluster.kubectl(['get', CRD])).code !== 0)
    await cluster.installCrdFiles(await productCrdFiles());
}

beforeAll(async () => {
  // The opt-in installer rights are bound in these namespaces, which must exist.
  for (const ns of INSTALL_NAMESPACES) await cluster.createNamespace(ns);
});

// Whatever happens here, later test files find the CRD in place.
afterAll(ensureProductCrd);

describe('helm template, applied with a server-side dry run', { timeout: 120_000 }, () => {
  it.each([
    ['the default values', {}],
    ['every option on', EVERYTHING_ON],
  ])('is accepted by the apiserver with %s', async (_name, values) => {
    const namespace = uniqueNamespace('dry-run');
    await cluster.createNamespace(namespace);
    const manifest = await renderText(values, { release: 'dry', namespace });
    const out = await cluster.kubectlOk(
      ['apply', '--server-side', '--dry-run=server', '--field-manager=helm-chart-test', '-f', '-'],
      { input: manifest },
    );
    // One line per object, each accepted.
    expect(out.trim().split('\n')).toHaveLength(parseObjects(manifest).length);
    expect(out).toContain('deployment.apps/dry-airunway-operator serverside-applied (server dry run)');
  });
});

describe('helm install, upgrade and uninstall', { timeout: 120_000 }, () => {
  const ns = uniqueNamespace('airunway');
  const operator = serviceAccount(ns, 'airunway-operator');
  const api = serviceAccount(ns, 'airunway-api');
  const web = serviceAccount(ns, 'airunway-web');
  const models = uniqueNamespace('models');

  beforeAll(async () => {
    await cluster.createNamespace(models);
    // A fresh cluster: no CRD yet, so the release installs (and owns) it.
    await cluster.kubectlOk(['delete', CRD, '--wait=true']);
    await helmInOk(ns, ['install', 'airunway', chartDir, '--create-namespace']);
  });

  it('installs into a fresh namespace: every object accepted, the CRD established', async () => {
    const status = JSON.parse(await helmInOk(ns, ['status', 'airunway', '-o', 'json']));
    expect(status.info.status).toBe('deployed');
    await cluster.kubectlOk(['wait', '--for=condition=Established', '--timeout=30s', CRD]);
    const crd = JSON.parse(await cluster.kubectlOk(['get', CRD, '-o', 'json']));
    expect(crd.metadata.annotations['meta.helm.sh/release-name']).toBe('airunway');
    const names = (
      await cluster.kubectlOk([
        'get',
        'deployments,services,serviceaccounts,pdb,roles,rolebindings',
        '-n',
        ns,
        '-o',
        'name',
      ])
    )
      .trim()
      .split('\n');
    expect(names).toEqual(
      expect.arrayContaining([
        'deployment.apps/airunway-operator',
        'deployment.apps/airunway-api',
        'deployment.apps/airunway-web',
        'service/airunway-api',
        'service/airunway-web',
        'serviceaccount/airunway-operator',
        'serviceaccount/airunway-api',
        'serviceaccount/airunway-web',
        'poddisruptionbudget.policy/airunway-operator',
        'poddisruptionbudget.policy/airunway-api',
        'poddisruptionbudget.policy/airunway-web',
        'role.rbac.authorization.k8s.io/airunway-operator-leader-election',
      ]),
    );
  });

  it('lets the operator do what reconciling needs', async () => {
    await expectAccess(operator, true, [
      'list modeldeployments.airunway.ai -A',
      'watch modeldeployments.airunway.ai -A',
      `patch modeldeployments.airunway.ai --subresource=status -n ${models}`,
      `update modeldeployments.airunway.ai --subresource=finalizers -n ${models}`,
      ...[
        'deployments.apps',
        'services',
        'configmaps',
        'serviceaccounts',
        'roles.rbac.authorization.k8s.io',
        'rolebindings.rbac.authorization.k8s.io',
        'workspaces.kaito.sh',
        'dynamographdeployments.nvidia.com',
        'rayservices.ray.io',
        'httproutes.gateway.networking.k8s.io',
        'inferencepools.inference.networking.k8s.io',
        'inferencemodelrewrites.inference.networking.x-k8s.io',
      ].flatMap((r) => [
        `create ${r} -n ${models}`,
        `patch ${r} -n ${models}`,
        `delete ${r} -n ${models}`,
        `watch ${r} -A`,
      ]),
      'list pods -A',
      'watch replicasets.apps -A',
      'list customresourcedefinitions.apiextensions.k8s.io',
      'watch gateways.gateway.networking.k8s.io -A',
      `create events.events.k8s.io -n ${models}`,
      `patch events.events.k8s.io -n ${models}`,
      `create leases.coordination.k8s.io -n ${ns}`,
      `get leases.coordination.k8s.io/airunway-operator -n ${ns}`,
      `update leases.coordination.k8s.io/airunway-operator -n ${ns}`,
    ]);
  });

  it('denies the operator everything else', async () => {
    await expectAccess(operator, false, [
      'get secrets -A',
      'list secrets -A',
      `get secrets -n ${ns}`,
      `get secrets -n ${models}`,
      `create modeldeployments.airunway.ai -n ${models}`,
      `update modeldeployments.airunway.ai -n ${models}`,
      `delete modeldeployments.airunway.ai -n ${models}`,
      `create leases.coordination.k8s.io -n ${models}`,
      `update leases.coordination.k8s.io/someone-else -n ${ns}`,
      `update deployments.apps -n ${models}`,
      `create pods -n ${models}`,
      `create pods --subresource=exec -n ${models}`,
      'delete nodes',
      'create namespaces',
      'create clusterroles.rbac.authorization.k8s.io',
      'create clusterrolebindings.rbac.authorization.k8s.io',
      `escalate roles.rbac.authorization.k8s.io -n ${models}`,
      `bind roles.rbac.authorization.k8s.io -n ${models}`,
      'impersonate users',
      'update customresourcedefinitions.apiextensions.k8s.io',
      'create tokenreviews.authentication.k8s.io',
    ]);
  });

  it('lets the API review tokens and watch what it shows', async () => {
    await expectAccess(api, true, [
      'create tokenreviews.authentication.k8s.io',
      'get namespaces/kaito-workspace',
      'list nodes',
      'watch pods -A',
      'watch events -A',
      'watch modeldeployments.airunway.ai -A',
      'watch customresourcedefinitions.apiextensions.k8s.io',
      'watch configmaps -A',
      'watch deployments.apps -A',
      'watch workspaces.kaito.sh -A',
      'watch httproutes.gateway.networking.k8s.io -A',
      'watch gateways.gateway.networking.k8s.io -A',
    ]);
  });

  it('denies the API every write and every Secret: users act with their own token', async () => {
    await expectAccess(api, false, [
      'get secrets -A',
      'list secrets -A',
      `list secrets -n ${ns}`,
      `create modeldeployments.airunway.ai -n ${models}`,
      `patch modeldeployments.airunway.ai -n ${models}`,
      `delete modeldeployments.airunway.ai -n ${models}`,
      `patch configmaps -n ${ns}`,
      `create configmaps -n ${ns}`,
      `get pods --subresource=log -n ${models}`,
      `create pods --subresource=exec -n ${models}`,
      `get services --subresource=proxy -n ${models}`,
      'create subjectaccessreviews.authorization.k8s.io',
      'create customresourcedefinitions.apiextensions.k8s.io',
      'create namespaces',
      'delete nodes',
      'create clusterrolebindings.rbac.authorization.k8s.io',
    ]);
  });

  it('gives the dashboard’s ServiceAccount nothing: it reaches Kubernetes only through the API', async () => {
    await expectAccess(web, false, [
      'get secrets -A',
      `list secrets -n ${ns}`,
      'list nodes',
      'list pods -A',
      'watch modeldeployments.airunway.ai -A',
      `create modeldeployments.airunway.ai -n ${models}`,
      `get configmaps -n ${ns}`,
      'create tokenreviews.authentication.k8s.io',
      'list customresourcedefinitions.apiextensions.k8s.io',
    ]);
  });

  it('points the dashboard at the API’s Service, by the name the Service was installed under', async () => {
    const deployment = JSON.parse(
      await cluster.kubectlOk(['get', 'deployment/airunway-web', '-n', ns, '-o', 'json']),
    );
    const container = deployment.spec.template.spec.containers[0];
    const apiUrl = container.env.find((e: { name: string }) => e.name === 'AIRUNWAY_API_URL')?.value;
    const service = JSON.parse(
      await cluster.kubectlOk(['get', 'service/airunway-api', '-n', ns, '-o', 'json']),
    );
    expect(apiUrl).toBe(`http://airunway-api.${ns}.svc:${service.spec.ports[0].port}`);
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('lets the operator apply, then delete, every object the providers render (as its ServiceAccount)', async () => {
    const objects = renderedProviderObjects(models).flatMap((c) => c.objects);
    // Kinds a provider renders, all of them. The Roles pass RBAC's escalation check only because
    // the operator holds every right they grant; a RoleBinding is checked against its Role, so
    // this is a real apply (in apply order, Role first), not a dry run.
    expect(new Set(objects.map((o) => o.kind))).toEqual(
      new Set([
        'ConfigMap',
        'Deployment',
        'DynamoGraphDeployment',
        'HTTPRoute',
        'InferenceModelRewrite',
        'InferencePool',
        'RayService',
        'Role',
        'RoleBinding',
        'Service',
        'ServiceAccount',
        'Workspace',
      ]),
    );
    const input = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
    const applied = await cluster.kubectl(
      [
        'apply',
        '--server-side',
        '--field-manager=airunway-operator',
        // Whether a provider's objects match the upstream schemas is the providers' tests' business.
        '--validate=false',
        `--as=${operator}`,
        '-f',
        '-',
      ],
      { input },
    );
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim().split('\n')).toHaveLength(objects.length);
    const deleted = await cluster.kubectl(['delete', '--wait=false', `--as=${operator}`, '-f', '-'], {
      input,
    });
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
  });

  it('lets users who may edit a namespace manage its ModelDeployments, and viewers read them', async () => {
    const { editor, viewer } = cluster.users;
    // The controller-manager aggregates the chart's roles into edit and view.
    await eventually(() =>
      expectAccess(editor.name, true, [`create modeldeployments.airunway.ai -n ${cluster.editorNamespace}`]),
    );
    await expectAccess(editor.name, true, [
      `delete modeldeployments.airunway.ai -n ${cluster.editorNamespace}`,
      `list modeldeployments.airunway.ai -n ${cluster.editorNamespace}`,
    ]);
    await expectAccess(editor.name, false, [
      `create modeldeployments.airunway.ai -n ${models}`,
      `patch modeldeployments.airunway.ai --subresource=status -n ${cluster.editorNamespace}`,
    ]);
    await eventually(() => expectAccess(viewer.name, true, ['list modeldeployments.airunway.ai -A']));
    await expectAccess(viewer.name, false, [
      `create modeldeployments.airunway.ai -n ${cluster.editorNamespace}`,
    ]);
    // And the editor's create goes through admission with the chart's CRD.
    const md = {
      apiVersion: 'airunway.ai/v1alpha1',
      kind: 'ModelDeployment',
      metadata: { name: 'qwen', namespace: cluster.editorNamespace },
      spec: { model: { id: 'Qwen/Qwen3-0.6B' }, resources: { gpu: { count: 1 } } },
    };
    await cluster.kubectlOk(['create', '--dry-run=server', '-f', '-'], {
      input: JSON.stringify(md),
      user: editor,
    });
  });

  it('upgrades in place', async () => {
    const oauthKey = () =>
      cluster.kubectlOk(['get', 'secret/airunway-api-oauth-state', '-n', ns, '-o', 'jsonpath={.data.key}']);
    const keyBefore = await oauthKey();
    // 48 random characters, base64: what the API replicas seal sign-in flows with.
    expect(Buffer.from(keyBefore, 'base64').toString()).toMatch(/^[A-Za-z0-9]{48}$/);
    await helmInOk(ns, ['upgrade', 'airunway', chartDir, '--reuse-values', '--set', 'operator.workers=8']);
    // Kept on upgrade: a sign-in under way while the API rolls still finishes.
    expect(await oauthKey()).toBe(keyBefore);
    const deployment = JSON.parse(
      await cluster.kubectlOk(['get', 'deployment/airunway-operator', '-n', ns, '-o', 'json']),
    );
    expect(deployment.spec.template.spec.containers[0].args).toContain('--workers=8');
    // --reuse-values keeps what the previous release had, and takes the dashboard's change.
    await helmInOk(ns, [
      'upgrade',
      'airunway',
      chartDir,
      '--reuse-values',
      '--set',
      'web.sessionMaxAge=3600',
    ]);
    const web = JSON.parse(
      await cluster.kubectlOk(['get', 'deployment/airunway-web', '-n', ns, '-o', 'json']),
    );
    expect(web.spec.template.spec.containers[0].env).toContainEqual({
      name: 'AIRUNWAY_SESSION_MAX_AGE',
      value: '3600',
    });
    const status = JSON.parse(await helmInOk(ns, ['status', 'airunway', '-o', 'json']));
    expect(status.version).toBe(3);
  });

  it('runs beside a second release that leaves the CRD to the first', async () => {
    const other = uniqueNamespace('airunway-b');
    await helmInOk(other, [
      'install',
      'second',
      chartDir,
      '--create-namespace',
      '--set',
      'crds.install=false',
    ]);
    await expectAccess(serviceAccount(other, 'second-airunway-operator'), true, [
      'list modeldeployments.airunway.ai -A',
    ]);
    await helmInOk(other, ['uninstall', 'second', '--wait']);
  });

  it('uninstalls, keeping the CRD and with it every ModelDeployment', async () => {
    await helmInOk(ns, ['uninstall', 'airunway', '--wait']);
    expect((await cluster.kubectl(['get', CRD])).code).toBe(0);
    expect((await cluster.kubectl(['get', 'clusterrole/airunway-operator'])).code).not.toBe(0);
    expect(await canI(operator, ['list', 'modeldeployments.airunway.ai', '-A'])).toBe(false);
  });

  it('adopts a CRD it does not own only when told to (--take-ownership)', async () => {
    const next = uniqueNamespace('airunway-c');
    const refused = await helmIn(next, ['install', 'airunway', chartDir, '--create-namespace']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/cannot be imported|exists/i);
    await helmInOk(next, ['install', 'airunway', chartDir, '--create-namespace', '--take-ownership']);
    const crd = JSON.parse(await cluster.kubectlOk(['get', CRD, '-o', 'json']));
    expect(crd.metadata.annotations['meta.helm.sh/release-namespace']).toBe(next);
    await helmInOk(next, ['uninstall', 'airunway', '--wait']);
  });
});

describe('provider installs (opt-in)', { timeout: 120_000 }, () => {
  it('grants Helm-install rights only in the listed namespaces, and never Secrets elsewhere', async () => {
    const ns = uniqueNamespace('airunway-d');
    await helmInOk(ns, [
      'install',
      'installer',
      chartDir,
      '--create-namespace',
      '-f',
      valuesFile({
        crds: { install: false },
        rbac: { aggregateToDefaultRoles: false },
        api: { providerInstalls: { enabled: true } },
      }),
    ]);
    const api = serviceAccount(ns, 'installer-airunway-api');
    await expectAccess(api, true, [
      'create customresourcedefinitions.apiextensions.k8s.io',
      'create namespaces',
      'create clusterroles.rbac.authorization.k8s.io',
      ...INSTALL_NAMESPACES.flatMap((n) => [`create secrets -n ${n}`, `create deployments.apps -n ${n}`]),
    ]);
    await expectAccess(api, false, [
      'get secrets -A',
      `get secrets -n ${ns}`,
      'get secrets -n kube-system',
      'create deployments.apps -n default',
      'delete namespaces',
      `create modeldeployments.airunway.ai -n ${INSTALL_NAMESPACES[0]}`,
    ]);
    await helmInOk(ns, ['uninstall', 'installer', '--wait']);
  });
});
