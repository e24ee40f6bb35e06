// The product running with exactly the chart's rights: the built operator and API are started as
// processes with the command, flags and environment the chart renders, authenticated with tokens
// of the ServiceAccounts the chart creates, and the built dashboard (`next start`, which needs no
// Kubernetes rights) in front of the API (the images cannot be built here, so this is as close
// to the pods as this machine gets). A missing list or watch right keeps a cache from syncing and
// /readyz from answering 200; a missing write right fails a reconcile.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { productCrdFiles, repoRoot } from '@airunway/testenv';
import { testCluster, uniqueNamespace } from '@airunway/testenv/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartDir, find, helmOk, parseObjects, type K8sObject } from './chart.js';

const cluster = testCluster();
const ns = uniqueNamespace('airunway-sa');
const models = uniqueNamespace('models');
const RELEASE = 'sa';

interface Program {
  readonly child: ChildProcess;
  output(): string;
}

const started: Program[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The container's environment as the kubelet would set it (downward API resolved). */
function podEnv(container: any, pod: { name: string; namespace: string }): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const e of container.env as { name: string; value?: string; valueFrom?: any }[]) {
    const field: string | undefined = e.valueFrom?.fieldRef?.fieldPath;
    env[e.name] =
      field === 'metadata.name' ? pod.name : field === 'metadata.namespace' ? pod.namespace : (e.value ?? '');
  }
  return env;
}

/**
 * Starts a container's program on this machine: node from the image is this Node.js, and /app
 * is the repository (the image holds the same built files at the same relative paths).
 */
function startContainer(container: any, extraArgs: string[], env: Record<string, string>): Program {
  const [node, ...nodeArgs] = container.command as string[];
  expect(node).toBe('/usr/local/bin/node');
  const script = join(repoRoot, relative('/app', nodeArgs.pop()!));
  const child = spawn(
    process.execPath,
    [...nodeArgs, script, ...((container.args ?? []) as string[]), ...extraArgs],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The image's working directory, at the same relative path in the repository.
      ...(container.workingDir
        ? { cwd: join(repoRoot, relative('/app', container.workingDir as string)) }
        : {}),
    },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const program = { child, output: () => out };
  started.push(program);
  return program;
}

async function stop(program: Program): Promise<void> {
  if (program.child.exitCode !== null || program.child.signalCode !== null) return;
  const exited = new Promise((r) => program.child.once('exit', r));
  program.child.kill('SIGTERM');
  const timer = setTimeout(() => program.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Waits for GET url to answer 200; the failure names the last answer and the program's output. */
async function until200(url: string, program: Program, timeoutMs = 60_000): Promise<void> {
  let last = '';
  try {
    await eventually(async () => {
      if (program.child.exitCode !== null) throw new Error(`exited with ${program.child.exitCode}`);
      const res = await fetch(url).catch((err: unknown) => {
        last = String(err);
        throw err;
      });
      last = `${res.status} ${await res.text()}`;
      if (res.status !== 200) throw new Error(last);
    }, timeoutMs);
  } catch (err) {
    throw new Error(`${url}: ${String(err)} (last: ${last})\n--- output ---\n${program.output()}`, {
      cause: err,
    });
  }
}

async function kubeconfigOf(serviceAccount: string): Promise<string> {
  const token = (
    await cluster.kubectlOk(['create', 'token', serviceAccount, '-n', ns, '--duration=1h'])
  ).trim();
  return cluster.kubeconfigFor({ name: serviceAccount, token, groups: [] }, ns);
}

let objects: K8sObject[] = [];
let healthPort = 0;
let apiPort = 0;
let webPort = 0;

beforeAll(async () => {
  // The CRD is the chart's business in cluster.test.ts; here it is simply present.
  if ((await cluster.kubectl(['get', 'crd', 'modeldeployments.airunway.ai'])).code !== 0)
    await cluster.installCrdFiles(await productCrdFiles());
  await cluster.createNamespace(models);
  [healthPort, apiPort, webPort] = await Promise.all([freePort(), freePort(), freePort()]);
  await helmOk(
    [
      'install',
      RELEASE,
      chartDir,
      '--namespace',
      ns,
      '--create-namespace',
      '--set',
      'crds.install=false',
      '--set',
      `operator.healthPort=${healthPort}`,
      '--set',
      `api.port=${apiPort}`,
      '--set',
      `api.service.port=${apiPort}`,
      '--set',
      `web.port=${webPort}`,
    ],
    { kubeconfig: cluster.kubeconfigPath },
  );
  objects = parseObjects(
    await helmOk(['get', 'manifest', RELEASE, '--namespace', ns], { kubeconfig: cluster.kubeconfigPath }),
  );
});

afterAll(async () => {
  await Promise.all(started.map(stop));
  await helmOk(['uninstall', RELEASE, '--namespace', ns, '--wait'], { kubeconfig: cluster.kubeconfigPath });
});

describe('the operator, as its ServiceAccount', { timeout: 120_000 }, () => {
  let operator: Program;
  const podName = `${RELEASE}-airunway-operator-test-0`;

  beforeAll(async () => {
    const deployment = find(objects, 'Deployment', '-operator');
    const container = deployment.spec.template.spec.containers[0];
    const kubeconfig = await kubeconfigOf(deployment.spec.template.spec.serviceAccountName);
    operator = startContainer(
      container,
      [`--kubeconfig=${kubeconfig}`],
      podEnv(container, { name: podName, namespace: ns }),
    );
  });

  it('syncs every watch cache (/readyz)', async () => {
    await until200(`http://127.0.0.1:${healthPort}/readyz`, operator);
  });

  it('leads through its Lease', async () => {
    const lease = await eventually(async () => {
      const l = JSON.parse(
        await cluster.kubectlOk(['get', 'lease', `${RELEASE}-airunway-operator`, '-n', ns, '-o', 'json']),
      );
      expect(l.spec.holderIdentity).toBe(podName);
      return l;
    });
    expect(lease.spec.leaseDurationSeconds).toBeGreaterThan(0);
  });

  it.each([
    ['vllm', 'Deployment', ''],
    // llm-d renders a Role and RoleBinding for its endpoint picker: the escalation check passes.
    ['llmd', 'Role', '-epp'],
  ])(
    'brings a %s ModelDeployment to Running, with its objects, status and Events',
    async (provider, kind, suffix) => {
      const name = `qwen-${provider}`;
      await cluster.apply([
        {
          apiVersion: 'airunway.ai/v1alpha1',
          kind: 'ModelDeployment',
          metadata: { name, namespace: models },
          spec: {
            model: { id: 'Qwen/Qwen3-0.6B' },
            provider: { name: provider },
            resources: { gpu: { count: 1 } },
          },
        },
      ]);
      try {
        await eventually(async () => {
          const md = JSON.parse(await cluster.kubectlOk(['get', 'md', name, '-n', models, '-o', 'json']));
          expect(md.status?.phase, JSON.stringify(md.status)).toBe('Running');
        }, 90_000);
      } catch (err) {
        throw new Error(`${String(err)}\n--- operator output ---\n${operator.output()}`, { cause: err });
      }
      await cluster.kubectlOk(['get', kind.toLowerCase(), `${name}${suffix}`, '-n', models]);
      const events = JSON.parse(
        await cluster.kubectlOk(['get', 'events.events.k8s.io', '-n', models, '-o', 'json']),
      ).items as any[];
      expect(
        events.some((e) => e.regarding?.name === name && e.reportingController === 'airunway.ai/operator'),
      ).toBe(true);
    },
  );

  it('releases the Lease when it stops', async () => {
    await stop(operator);
    const lease = JSON.parse(
      await cluster.kubectlOk(['get', 'lease', `${RELEASE}-airunway-operator`, '-n', ns, '-o', 'json']),
    );
    expect(lease.spec.holderIdentity ?? '').toBe('');
  });
});

describe('the API, as its ServiceAccount', { timeout: 120_000 }, () => {
  let api: Program;

  beforeAll(async () => {
    const deployment = find(objects, 'Deployment', '-api');
    const container = deployment.spec.template.spec.containers[0];
    const kubeconfig = await kubeconfigOf(deployment.spec.template.spec.serviceAccountName);
    const env = podEnv(container, { name: `${RELEASE}-airunway-api-test-0`, namespace: ns });
    // The pod's emptyDir, here a directory of the test's own.
    env.AIRUNWAY_CACHE_DIR = mkdtempSync(join(tmpdir(), 'airunway-api-cache-'));
    api = startContainer(container, [], { ...env, KUBECONFIG: kubeconfig });
  });

  it('starts with the rendered environment and syncs every watch cache (/readyz)', async () => {
    await until200(`http://127.0.0.1:${apiPort}/readyz`, api);
  });

  it('checks bearer tokens with TokenReviews: none or a bad one is refused, a user’s is accepted', async () => {
    const url = `http://127.0.0.1:${apiPort}/api/cluster/nodes`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer not-a-token' } })).status).toBe(401);
    const admin = await fetch(url, { headers: { Authorization: `Bearer ${cluster.users.admin.token}` } });
    expect(admin.status, await admin.clone().text()).toBe(200);
  });
});

describe('the dashboard, in front of the API', { timeout: 120_000 }, () => {
  let web: Program;

  beforeAll(() => {
    expect(
      existsSync(join(repoRoot, 'apps', 'web', '.next', 'BUILD_ID')),
      'the dashboard is built (turbo builds it before these tests)',
    ).toBe(true);
    const deployment = find(objects, 'Deployment', '-web');
    const container = deployment.spec.template.spec.containers[0];
    // No token is mounted: the dashboard gets no Kubernetes credentials at all.
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    const env = podEnv(container, { name: `${RELEASE}-airunway-web-test-0`, namespace: ns });
    // The API's Service, by the name and port the chart rendered; here the Service's DNS name
    // resolves to nothing, so the same port on this machine stands in for it.
    const apiUrl = new URL(env.AIRUNWAY_API_URL ?? '');
    expect(apiUrl.hostname).toBe(`${find(objects, 'Service', '-api').metadata.name}.${ns}.svc`);
    expect(apiUrl.port).toBe(String(apiPort));
    env.AIRUNWAY_API_URL = `http://127.0.0.1:${apiPort}`;
    web = startContainer(container, ['--hostname', '127.0.0.1'], { ...env, NODE_ENV: 'production' });
  });

  it('starts with the rendered command, arguments and environment, and answers its probe path', async () => {
    const deployment = find(objects, 'Deployment', '-web');
    const probe = deployment.spec.template.spec.containers[0].readinessProbe.httpGet.path as string;
    await until200(`http://127.0.0.1:${webPort}${probe}`, web);
  });

  it('forwards to the API: a signed-out visit is sent to sign in, and the API’s 401 comes through', async () => {
    // The API (started above) must be up for the dashboard to learn that it wants tokens.
    await until200(`http://127.0.0.1:${apiPort}/readyz`, web);
    const page = await fetch(`http://127.0.0.1:${webPort}/deployments`, { redirect: 'manual' });
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.status).toBeLessThan(400);
    expect(page.headers.get('location')).toContain('/login?next=%2Fdeployments');
    const forwarded = await fetch(`http://127.0.0.1:${webPort}/api/cluster/nodes`);
    expect(forwarded.status).toBe(401);
  });
});
