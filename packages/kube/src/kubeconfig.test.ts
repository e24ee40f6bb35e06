// Loading a connection the three ways the operator and the API will run: a kubeconfig file,
// KUBECONFIG / default locations, and the in-cluster service account (here: a mount
// prepared in a temp directory with a real bound service-account token).
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { uniqueNamespace } from '@airunway/testenv/vitest';
import { KubeClient } from './client.js';
import { KubeConfigError, loadClusterConnection } from './kubeconfig.js';
import type { KubeObject } from './objects.js';
import { cluster } from './test-helpers.js';

const ns = uniqueNamespace('kube-config');
const savedEnv = { ...process.env };

beforeAll(async () => {
  await cluster.createNamespace(ns);
});

afterEach(() => {
  process.env = { ...savedEnv };
});

interface SelfSubjectReview extends KubeObject {
  status?: { userInfo?: { username?: string; groups?: string[] } };
}

async function userInfo(client: KubeClient): Promise<{ username?: string; groups?: string[] }> {
  const review = await client.request<SelfSubjectReview>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return review.status?.userInfo ?? {};
}

/** Who the apiserver thinks we are. */
async function whoami(client: KubeClient): Promise<string | undefined> {
  const { username } = await userInfo(client);
  await client.close();
  return username;
}

/** A client certificate for `user` signed by the test cluster's CA (files in `dir`). */
async function clientCert(dir: string, user: string, group: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${user}.crt`);
  const key = join(dir, `${user}.key`);
  const csr = join(dir, `${user}.csr`);
  const openssl = (args: string[]) => promisify(execFile)('openssl', args);
  await openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    csr,
    '-subj',
    `/O=${group}/CN=${user}`,
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(cluster.workDir, 'ca.crt'),
    '-CAkey',
    join(cluster.workDir, 'ca.key'),
    '-set_serial',
    String(randomInt(1, 2 ** 40)),
    '-days',
    '1',
    '-out',
    cert,
  ]);
  return { cert, key };
}

/** A kubeconfig for the test cluster with `user` as its only user. */
async function writeKubeconfig(dir: string, user: Record<string, unknown>): Promise<string> {
  const path = join(dir, 'config');
  await writeFile(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'test', cluster: { server: `${cluster.server}/`, 'certificate-authority': 'ca.crt' } },
      ],
      users: [{ name: 'me', user }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'me' } }],
      'current-context': 'test',
    }),
  );
  await writeFile(join(dir, 'ca.crt'), cluster.caCert);
  return path;
}

/** Prints an ExecCredential: the token in $TOKEN, or the nth run's certificate of $CERTS. */
const PLUGIN = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const log = process.env.PLUGIN_LOG;
const run = (existsSync(log) ? readFileSync(log, 'utf8').split('\\n').filter(Boolean).length : 0) + 1;
appendFileSync(log, run + '\\n');
const status = {};
if (process.env.TOKEN) status.token = process.env.TOKEN;
if (process.env.CERTS) {
  const certs = JSON.parse(process.env.CERTS);
  const pair = certs[Math.min(run, certs.length) - 1];
  status.clientCertificateData = readFileSync(pair.cert, 'utf8');
  status.clientKeyData = readFileSync(pair.key, 'utf8');
  status.expirationTimestamp = new Date(Date.now() + Number(process.env.LIFETIME_MS)).toISOString();
}
const { apiVersion } = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
console.log(JSON.stringify({ apiVersion, kind: 'ExecCredential', status }));
`;

function execUser(dir: string, env: Record<string, string>): Record<string, unknown> {
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [join(dir, 'plugin.mjs')],
      env: Object.entries({ PLUGIN_LOG: join(dir, 'runs.log'), ...env }).map(([name, value]) => ({
        name,
        value,
      })),
      interactiveMode: 'Never',
    },
  };
}

describe('loadClusterConnection', () => {
  it('reads a kubeconfig file, its context namespace and credentials', async () => {
    const path = await cluster.kubeconfigFor(cluster.users.editor, cluster.editorNamespace);
    const connection = loadClusterConnection({ kubeconfigPath: path });
    expect(connection.server).toBe(cluster.server);
    expect(connection.namespace).toBe(cluster.editorNamespace);
    expect(connection.tls.rejectUnauthorized).toBe(true);
    expect(await whoami(new KubeClient({ connection }))).toBe(cluster.users.editor.name);
  });

  it('follows KUBECONFIG when no path is given', async () => {
    process.env.KUBECONFIG = cluster.kubeconfigPath;
    const connection = loadClusterConnection();
    expect(connection.source).toContain(cluster.kubeconfigPath);
    expect(await whoami(new KubeClient({ connection }))).toBe(cluster.users.admin.name);
  });

  it('uses the in-cluster service account (token file, CA, namespace)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kube-sa-'));
    const mount = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    await mkdir(mount, { recursive: true });
    const token = (
      await cluster.kubectlOk(['create', 'token', 'default', '-n', ns, '--duration=10m'])
    ).trim();
    await writeFile(join(mount, 'token'), `${token}\n`);
    await writeFile(join(mount, 'ca.crt'), cluster.caCert);
    await writeFile(join(mount, 'namespace'), ns);
    const url = new URL(cluster.server);
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
    const connection = loadClusterConnection({ inCluster: true, inClusterPathPrefix: root });
    expect(connection.namespace).toBe(ns);
    expect(connection.source).toContain('in-cluster');
    // The file ends with a newline, as mounted tokens may; it must not reach the header.
    expect(await whoami(new KubeClient({ connection }))).toBe(`system:serviceaccount:${ns}:default`);
  });

  it('authenticates with client certificate files given relative to the kubeconfig', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-cert-'));
    await clientCert(dir, 'carol', 'airunway:testers');
    const path = await writeKubeconfig(dir, {
      'client-certificate': 'carol.crt',
      'client-key': './carol.key',
    });
    const connection = loadClusterConnection({ kubeconfigPath: path });
    expect(connection.server).toBe(cluster.server);
    expect(await whoami(new KubeClient({ connection }))).toBe('carol');
  });

  it('authenticates with a token from an exec plugin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-exec-'));
    await writeFile(join(dir, 'plugin.mjs'), PLUGIN);
    const path = await writeKubeconfig(dir, execUser(dir, { TOKEN: cluster.users.viewer.token }));
    const connection = loadClusterConnection({ kubeconfigPath: path });
    expect(await whoami(new KubeClient({ connection }))).toBe(cluster.users.viewer.name);
  });

  it('presents the client certificate an exec plugin issues, and its replacement once it expires', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-exec-cert-'));
    await writeFile(join(dir, 'plugin.mjs'), PLUGIN);
    const certs = [
      await clientCert(dir, 'carol', 'airunway:testers'),
      await clientCert(dir, 'erin', 'airunway:testers'),
    ];
    const path = await writeKubeconfig(
      dir,
      execUser(dir, { CERTS: JSON.stringify(certs), LIFETIME_MS: '2000' }),
    );
    const client = new KubeClient({ connection: loadClusterConnection({ kubeconfigPath: path }) });
    expect((await userInfo(client)).username).toBe('carol');
    expect((await userInfo(client)).username).toBe('carol');
    // Half of the 2 s lifetime later the plugin runs again and issues erin's certificate.
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await userInfo(client)).username).toBe('erin');
    await client.close();
    expect((await readFile(join(dir, 'runs.log'), 'utf8')).trim().split('\n')).toEqual(['1', '2']);
  });

  it('impersonates a user with several groups, one header line each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-as-'));
    const path = await writeKubeconfig(dir, {
      token: cluster.users.admin.token,
      as: 'dave',
      'as-groups': ['airunway:a', 'airunway:b, with comma'],
    });
    const client = new KubeClient({ connection: loadClusterConnection({ kubeconfigPath: path }) });
    const info = await userInfo(client);
    await client.close();
    expect(info.username).toBe('dave');
    expect(info.groups).toEqual(expect.arrayContaining(['airunway:a', 'airunway:b, with comma']));
  });

  it('says so when there is no kubeconfig and no service account', () => {
    process.env.KUBECONFIG = '';
    process.env.HOME = join(tmpdir(), 'no-such-home');
    delete process.env.KUBERNETES_SERVICE_HOST;
    expect(() => loadClusterConnection()).toThrow(KubeConfigError);
  });
});
