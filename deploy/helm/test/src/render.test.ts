// The chart as rendered by the real helm: lint, the objects and their settings, the values
// schema, and the operator's flags — checked by running the built operator's own parser, not by
// restating it here (service-accounts.test.ts runs both programs with what the chart renders).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@airunway/testenv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartDir, find, helm, render, run, valuesFile, type K8sObject } from './chart.js';
import { EVERYTHING_ON } from './fixtures.js';

const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
const runtime = JSON.parse(readFileSync(join(repoRoot, 'apps', 'operator', 'runtime.json'), 'utf8'));

const containerOf = (deployment: K8sObject) => deployment.spec.template.spec.containers[0];
const deploymentOf = (objects: K8sObject[], component: string) =>
  find(objects, 'Deployment', `-${component}`);

describe('helm lint', () => {
  it('passes --strict with the default values and with every option on', async () => {
    for (const args of [[], ['-f', valuesFile(EVERYTHING_ON)]]) {
      const res = await helm(['lint', '--strict', chartDir, ...args]);
      expect(res.stdout + res.stderr, `helm lint ${args.join(' ')}`).toContain('0 chart(s) failed');
      expect(res.code).toBe(0);
    }
  });

  it('rejects what the values schema forbids: unknown keys, a malformed gateway, an unknown log level', async () => {
    const cases: [object, RegExp][] = [
      [{ operater: { replicas: 1 } }, /additional properties 'operater' not allowed/],
      [{ gateway: 'just-a-name' }, /\/gateway/],
      [{ api: { logLevel: 'verbose' } }, /\/api\/logLevel/],
      [{ operator: { image: { digest: 'latest' } } }, /\/operator\/image\/digest/],
      [{ web: { secureCookies: 'sometimes' } }, /\/web\/secureCookies/],
      [{ web: { sessionMaxAge: 30 } }, /\/web\/sessionMaxAge/],
    ];
    for (const [values, message] of cases) {
      const res = await helm(['lint', chartDir, '-f', valuesFile(values)]);
      expect(res.code, JSON.stringify(values)).not.toBe(0);
      expect(res.stdout + res.stderr).toMatch(message);
    }
  });
});

describe('helm template with the default values', () => {
  it('renders exactly the product objects, none of them marked as the operator’s own children', async () => {
    const objects = await render();
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        'ClusterRole/rel-airunway-api',
        'ClusterRole/rel-airunway-modeldeployments-edit',
        'ClusterRole/rel-airunway-modeldeployments-view',
        'ClusterRole/rel-airunway-operator',
        'ClusterRoleBinding/rel-airunway-api',
        'ClusterRoleBinding/rel-airunway-operator',
        'CustomResourceDefinition/modeldeployments.airunway.ai',
        'Deployment/rel-airunway-api',
        'Deployment/rel-airunway-operator',
        'Deployment/rel-airunway-web',
        'PodDisruptionBudget/rel-airunway-api',
        'PodDisruptionBudget/rel-airunway-operator',
        'PodDisruptionBudget/rel-airunway-web',
        'Role/rel-airunway-operator-leader-election',
        'RoleBinding/rel-airunway-operator-leader-election',
        'Secret/rel-airunway-api-oauth-state',
        'Service/rel-airunway-api',
        'Service/rel-airunway-web',
        'ServiceAccount/rel-airunway-api',
        'ServiceAccount/rel-airunway-operator',
        'ServiceAccount/rel-airunway-web',
      ].sort(),
    );
    for (const o of objects) {
      // The operator watches objects labelled managed-by=airunway as its children.
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by'], o.metadata.name).toBe('Helm');
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('airunway');
      if (o.kind !== 'CustomResourceDefinition' && !o.kind.startsWith('Cluster'))
        expect(o.metadata.namespace, o.metadata.name).toBe('airunway-system');
    }
  });

  it('runs every pod as non-root with a read-only root filesystem, no capabilities and RuntimeDefault seccomp', async () => {
    const objects = await render();
    for (const component of ['operator', 'api', 'web']) {
      const pod = deploymentOf(objects, component).spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      // The ServiceAccount does not mount a token by default; only the operator and the API ask
      // for one (the dashboard reaches Kubernetes only through the API, with the user's token).
      expect(pod.automountServiceAccountToken).toBe(component !== 'web');
      expect(find(objects, 'ServiceAccount', `-${component}`).automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        // Requests for scheduling and a memory limit; no CPU limit (throttling hurts latency).
        expect(c.resources.requests.cpu).toBeTruthy();
        expect(c.resources.requests.memory).toBeTruthy();
        expect(c.resources.limits.memory).toBeTruthy();
        expect(c.resources.limits.cpu).toBeUndefined();
        // The dashboard has no health route: its sign-in page needs neither a session nor the API.
        expect(c.livenessProbe.httpGet.path).toBe(component === 'web' ? '/login' : '/healthz');
        expect(c.readinessProbe.httpGet.path).toBe(component === 'web' ? '/login' : '/readyz');
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      }
    }
  });

  it('uses images tagged with the appVersion, never a moving tag', async () => {
    const objects = await render();
    for (const component of ['operator', 'api', 'web']) {
      const image: string = containerOf(deploymentOf(objects, component)).image;
      expect(image).toBe(`ghcr.io/airunway/${component}:${chart.appVersion}`);
    }
  });

  it('runs two operator replicas with leader election on a Lease in the release namespace, and a PDB', async () => {
    const objects = await render();
    const deployment = deploymentOf(objects, 'operator');
    expect(deployment.spec.replicas).toBe(2);
    const args: string[] = containerOf(deployment).args;
    expect(args).toEqual(
      expect.arrayContaining([
        '--leader-elect=true',
        '--leader-election-namespace=airunway-system',
        '--lease-name=rel-airunway-operator',
      ]),
    );
    const role = find(objects, 'Role', '-leader-election');
    expect(role.rules).toContainEqual({
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: ['rel-airunway-operator'],
      verbs: ['get', 'update'],
    });
    expect(find(objects, 'PodDisruptionBudget', '-operator').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
  });

  it('starts the operator with the Node.js flags and environment of apps/operator/runtime.json', async () => {
    const container = containerOf(deploymentOf(await render(), 'operator'));
    expect(container.command).toEqual([
      '/usr/local/bin/node',
      ...runtime.nodeArgs,
      '/app/apps/operator/dist/main.js',
    ]);
    for (const [name, value] of Object.entries(runtime.env))
      expect(container.env).toContainEqual({ name, value });
  });

  it('turns API authentication on and exposes the API on a ClusterIP Service', async () => {
    const objects = await render();
    const container = containerOf(deploymentOf(objects, 'api'));
    expect(container.env).toContainEqual({ name: 'AUTH_ENABLED', value: 'true' });
    expect(container.command).toEqual(['/usr/local/bin/node', '/app/apps/api/dist/main.js']);
    const service = find(objects, 'Service', '-api');
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 3001, targetPort: 'http' }],
    });
    expect(service.spec.selector).toEqual(deploymentOf(objects, 'api').spec.selector.matchLabels);
    expect(find(objects, 'PodDisruptionBudget', '-api').spec.maxUnavailable).toBe(1);
    // Helm's homes and downloaded charts go to a writable cache, the root filesystem being read-only.
    expect(container.env).toContainEqual({ name: 'AIRUNWAY_CACHE_DIR', value: '/var/cache/airunway' });
    expect(container.volumeMounts).toContainEqual({ name: 'cache', mountPath: '/var/cache/airunway' });
  });

  it('starts the dashboard with `next start`, pointed at the API’s Service, with a writable Next.js cache', async () => {
    const objects = await render();
    const deployment = deploymentOf(objects, 'web');
    const container = containerOf(deployment);
    expect(container.command).toEqual(['/usr/local/bin/node', '/app/node_modules/next/dist/bin/next']);
    expect(container.args).toEqual(['start', '--port', '3000']);
    expect(container.workingDir).toBe('/app/apps/web');
    const api = find(objects, 'Service', '-api');
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'AIRUNWAY_API_URL', value: `http://${api.metadata.name}.airunway-system.svc:3001` },
        { name: 'AIRUNWAY_SECURE_COOKIES', value: 'auto' },
        { name: 'AIRUNWAY_SESSION_MAX_AGE', value: '28800' },
      ]),
    );
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    // Next.js writes its caches under .next/cache; the root filesystem is read-only.
    expect(container.volumeMounts).toContainEqual({ name: 'cache', mountPath: '/app/apps/web/.next/cache' });
    expect(deployment.spec.template.spec.volumes).toContainEqual({
      name: 'cache',
      emptyDir: { sizeLimit: '128Mi' },
    });
    expect(deployment.spec.replicas).toBe(2);
    const service = find(objects, 'Service', '-web');
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 3000, targetPort: 'http' }],
    });
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(find(objects, 'PodDisruptionBudget', '-web').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    // No rights: no binding names the dashboard's ServiceAccount.
    const bound = objects
      .filter((o) => o.kind.endsWith('RoleBinding'))
      .flatMap((o) => (o.subjects ?? []).map((s: { name: string }) => s.name));
    expect(bound).not.toContain('rel-airunway-web');
  });
});

describe('helm template with options', () => {
  it('renders every option where it belongs', async () => {
    const objects = await render(EVERYTHING_ON);
    const operator = deploymentOf(objects, 'operator');
    const op = containerOf(operator);
    expect(op.image).toBe(`registry.example.com/airunway/operator@sha256:${'a'.repeat(64)}`);
    // A later V8 flag wins: the override comes after runtime.json's.
    expect(op.command.slice(-2)).toEqual(['--max-old-space-size=512', '/app/apps/operator/dist/main.js']);
    expect(op.args).toEqual(
      expect.arrayContaining([
        '--gateway=gateway-system/inference/http',
        '--lease-name=airunway-leader',
        '--namespace=models',
      ]),
    );
    expect(operator.spec.template.spec).toMatchObject({
      imagePullSecrets: [{ name: 'regcred' }],
      priorityClassName: 'system-cluster-critical',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      topologySpreadConstraints: EVERYTHING_ON.operator.topologySpreadConstraints,
    });
    expect(operator.spec.template.metadata.labels.tier).toBe('control');
    expect(operator.metadata.labels?.team).toBe('ml-platform');

    const api = containerOf(deploymentOf(objects, 'api'));
    expect(api.image).toBe('other.example.com/airunway-api:0.1.0-rc.1');
    expect(api.env).toEqual(
      expect.arrayContaining([
        { name: 'GATEWAY', value: 'gateway-system/inference/http' },
        { name: 'DEFAULT_NAMESPACE', value: 'models' },
        { name: 'AIRUNWAY_VERSION', value: '0.1.0-rc.1' },
        { name: 'EXTRA', value: '1' },
      ]),
    );
    expect(find(objects, 'Service', '-api').spec.type).toBe('LoadBalancer');

    const webDeployment = deploymentOf(objects, 'web');
    const web = containerOf(webDeployment);
    expect(web.image).toBe('registry.example.com/airunway/web:0.1.0-rc.1');
    expect(web.command).toEqual([
      '/usr/local/bin/node',
      '--max-old-space-size=384',
      '/app/node_modules/next/dist/bin/next',
    ]);
    expect(web.args).toEqual(['start', '--port', '8080']);
    expect(web.ports[0].containerPort).toBe(8080);
    expect(web.env).toEqual(
      expect.arrayContaining([
        // The API's Service port as configured, not the default.
        { name: 'AIRUNWAY_API_URL', value: 'http://rel-airunway-api.airunway-system.svc:80' },
        { name: 'AIRUNWAY_SECURE_COOKIES', value: 'always' },
        { name: 'AIRUNWAY_SESSION_MAX_AGE', value: '3600' },
        { name: 'EXTRA', value: '1' },
      ]),
    );
    expect(webDeployment.spec.replicas).toBe(3);
    expect(webDeployment.spec.template.metadata.labels.tier).toBe('frontend');
    expect(webDeployment.spec.template.spec.volumes).toContainEqual({
      name: 'cache',
      emptyDir: { sizeLimit: '512Mi' },
    });
    expect(find(objects, 'Service', '-web').spec).toMatchObject({
      type: 'NodePort',
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    });
    expect(find(objects, 'PodDisruptionBudget', '-web').spec.maxUnavailable).toBe('50%');
  });

  it('refuses several operator replicas without leader election', async () => {
    const res = await helm([
      'template',
      'rel',
      chartDir,
      '-f',
      valuesFile({ operator: { leaderElection: { enabled: false } } }),
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('operator.replicas > 1 needs operator.leaderElection.enabled');
  });

  it('runs a single operator without leader election, a Lease or a PDB', async () => {
    const objects = await render({ operator: { replicas: 1, leaderElection: { enabled: false } } });
    expect(containerOf(deploymentOf(objects, 'operator')).args).toContain('--leader-elect=false');
    expect(
      objects
        .filter((o) => o.kind === 'Role' || o.kind === 'PodDisruptionBudget')
        .map((o) => o.metadata.name),
    ).toEqual(['rel-airunway-api', 'rel-airunway-web']);
  });

  it('leaves the CRD out with crds.install=false, and drops the keep policy with crds.keep=false', async () => {
    expect(
      (await render({ crds: { install: false } })).some((o) => o.kind === 'CustomResourceDefinition'),
    ).toBe(false);
    const crd = find(await render({ crds: { keep: false } }), 'CustomResourceDefinition');
    expect(crd.metadata.annotations?.['helm.sh/resource-policy']).toBeUndefined();
  });

  it('uses an existing ServiceAccount by name, and insists on one', async () => {
    const objects = await render({ api: { serviceAccount: { create: false, name: 'byo' } } });
    expect(deploymentOf(objects, 'api').spec.template.spec.serviceAccountName).toBe('byo');
    expect(find(objects, 'ClusterRoleBinding', '-api').subjects[0].name).toBe('byo');
    expect(objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'byo')).toBe(false);
    const res = await helm([
      'template',
      'rel',
      chartDir,
      '-f',
      valuesFile({ api: { serviceAccount: { create: false } } }),
    ]);
    expect(res.stderr).toContain('api.serviceAccount.name is required');
  });
});

describe('the operator accepts what the chart starts it with', () => {
  it('the operator parses the rendered flags (its own parser, through --help)', async () => {
    for (const values of [{}, EVERYTHING_ON]) {
      const container = containerOf(deploymentOf(await render(values), 'operator'));
      const main = join(repoRoot, 'apps', 'operator', 'dist', 'main.js');
      // Strict flag parsing runs before --help is honoured: an unknown flag fails here.
      const res = await run(process.execPath, [main, ...container.args, '--help']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('Usage: airunway-operator');
    }
  });
});
