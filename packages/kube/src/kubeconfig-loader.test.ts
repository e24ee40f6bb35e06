// The kubeconfig loader without a cluster: sources and KUBECONFIG merging, paths relative to
// the kubeconfig, data vs file, contexts, errors that name what is missing (and never a
// secret), basic auth, impersonation, the in-cluster mount and token-file rotation.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManualClock } from './clock.js';
import { KubeConfigError } from './errors.js';
import { parseKubeConfig } from './kubeconfig-file.js';
import { loadClusterConnection, type ClusterConnection } from './kubeconfig.js';

const savedEnv = { ...process.env };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-kubeconfig-'));
  // No ambient kubeconfig or service account may leak into these tests.
  delete process.env.KUBECONFIG;
  delete process.env.KUBERNETES_SERVICE_HOST;
  delete process.env.KUBERNETES_SERVICE_PORT;
  process.env.HOME = join(dir, 'home');
});

afterEach(() => {
  process.env = { ...savedEnv };
});

const SECRET = 'sekr1t-t0ken-value';
const PEM = (label: string) => `-----BEGIN CERTIFICATE-----\n${label}\n-----END CERTIFICATE-----\n`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

interface Entry {
  name: string;
  [key: string]: unknown;
}

function kubeconfig(parts: {
  clusters?: Entry[];
  users?: Entry[];
  contexts?: Entry[];
  current?: string;
}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: parts.clusters ?? [],
    users: parts.users ?? [],
    contexts: parts.contexts ?? [],
    ...(parts.current ? { 'current-context': parts.current } : {}),
  });
}

/** A kubeconfig with one context "ctx" (cluster "c", user "u"). */
function simple(
  cluster: Record<string, unknown>,
  user?: Record<string, unknown>,
  namespace?: string,
): string {
  return kubeconfig({
    clusters: [{ name: 'c', cluster: { server: 'https://c.example:6443', ...cluster } }],
    users: user ? [{ name: 'u', user }] : [],
    contexts: [{ name: 'ctx', context: { cluster: 'c', ...(user ? { user: 'u' } : {}), namespace } }],
    current: 'ctx',
  });
}

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function load(content: string, options: { context?: string } = {}): Promise<ClusterConnection> {
  return loadClusterConnection({ kubeconfigPath: await file('config', content), ...options });
}

function loadError(fn: () => unknown): KubeConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KubeConfigError);
    return err as KubeConfigError;
  }
  throw new Error('expected a KubeConfigError');
}

async function loadErrorAsync(content: string, options: { context?: string } = {}): Promise<string> {
  const path = await file('config', content);
  const message = loadError(() => loadClusterConnection({ kubeconfigPath: path, ...options })).message;
  expect(message).not.toContain(SECRET);
  return message;
}

describe('kubeconfig sources', () => {
  it('merges KUBECONFIG files: the first to set an entry or current-context wins, entries whole', async () => {
    const a = await file(
      'a/config',
      kubeconfig({
        clusters: [{ name: 'shared', cluster: { server: 'https://a.example' } }],
        users: [{ name: 'u', user: { token: 'token-a' } }],
        contexts: [{ name: 'ctx-a', context: { cluster: 'shared', user: 'u', namespace: 'from-a' } }],
        current: 'ctx-a',
      }),
    );
    const b = await file(
      'b/config',
      kubeconfig({
        // Same name: dropped whole, tls-server-name included (never merged into a's entry).
        clusters: [
          { name: 'shared', cluster: { server: 'https://b.example', 'tls-server-name': 'b-name' } },
          { name: 'only-b', cluster: { server: 'https://only-b.example' } },
        ],
        users: [{ name: 'u', user: { token: 'token-b' } }],
        contexts: [
          { name: 'ctx-b', context: { cluster: 'only-b', user: 'u' } },
          { name: 'ctx-a', context: { cluster: 'only-b', user: 'u', namespace: 'from-b' } },
        ],
        current: 'ctx-b',
      }),
    );
    process.env.KUBECONFIG = [a, join(dir, 'missing/config'), b].join(':');
    const first = loadClusterConnection();
    expect(first.server).toBe('https://a.example');
    expect(first.namespace).toBe('from-a');
    expect(first.tls.servername).toBeUndefined();
    expect(await first.authHeaders()).toEqual({ Authorization: 'Bearer token-a' });
    expect(first.source).toBe(`kubeconfig ${a}:${join(dir, 'missing/config')}:${b} context ctx-a`);
    // A context only b has, with the user of a.
    const onlyB = loadClusterConnection({ context: 'ctx-b' });
    expect(onlyB.server).toBe('https://only-b.example');
    expect(await onlyB.authHeaders()).toEqual({ Authorization: 'Bearer token-a' });

    process.env.KUBECONFIG = [b, a].join(':');
    const reversed = loadClusterConnection();
    expect(reversed.server).toBe('https://only-b.example');
    expect(await reversed.authHeaders()).toEqual({ Authorization: 'Bearer token-b' });
    expect(loadClusterConnection({ context: 'ctx-a' }).namespace).toBe('from-b');
  });

  it('reads ~/.kube/config when KUBECONFIG is unset or empty', async () => {
    await file('home/.kube/config', simple({}, { token: 'home-token' }));
    process.env.KUBECONFIG = '';
    const connection = loadClusterConnection();
    expect(connection.source).toBe(`kubeconfig ${join(dir, 'home/.kube/config')} context ctx`);
    expect(await connection.authHeaders()).toEqual({ Authorization: 'Bearer home-token' });
  });

  it('prefers an explicit path, then KUBECONFIG, over ~/.kube/config', async () => {
    await file('home/.kube/config', simple({ server: 'https://home.example' }));
    const env = await file('env', simple({ server: 'https://env.example' }));
    const explicit = await file('explicit', simple({ server: 'https://explicit.example' }));
    process.env.KUBECONFIG = env;
    expect(loadClusterConnection().server).toBe('https://env.example');
    expect(loadClusterConnection({ kubeconfigPath: explicit }).server).toBe('https://explicit.example');
  });

  it('says so when nothing is found, and when an explicit file is missing', () => {
    expect(loadError(() => loadClusterConnection()).message).toBe(
      'no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster',
    );
    process.env.KUBECONFIG = join(dir, 'nope');
    expect(loadError(() => loadClusterConnection()).message).toContain(
      'none of the KUBECONFIG files exists: ' + join(dir, 'nope'),
    );
    expect(loadError(() => loadClusterConnection({ kubeconfigPath: join(dir, 'gone') })).message).toBe(
      `cannot read kubeconfig ${join(dir, 'gone')}: ENOENT`,
    );
  });
});

describe('clusters and TLS material', () => {
  it('resolves relative certificate, key and token paths against the kubeconfig directory', async () => {
    await file('cfg/pki/ca.pem', PEM('ca'));
    await file('cfg/pki/client.pem', PEM('client'));
    await file('cfg/pki/client.key', 'KEY');
    await file('cfg/token', `file-token\n`);
    const path = await file(
      'cfg/config',
      simple(
        { 'certificate-authority': 'pki/ca.pem' },
        { 'client-certificate': 'pki/client.pem', 'client-key': './pki/client.key', tokenFile: 'token' },
      ),
    );
    // The working directory is not the kubeconfig's.
    expect(process.cwd()).not.toBe(join(dir, 'cfg'));
    const connection = loadClusterConnection({ kubeconfigPath: path });
    expect(connection.tls.ca?.toString()).toBe(PEM('ca'));
    expect(connection.tls.cert?.toString()).toBe(PEM('client'));
    expect(connection.tls.key?.toString()).toBe('KEY');
    expect(await connection.authHeaders()).toEqual({ Authorization: 'Bearer file-token' });
  });

  it('takes -data fields (base64) over files, and files alone', async () => {
    const both = await load(
      simple(
        { 'certificate-authority': '/nonexistent/ca.pem', 'certificate-authority-data': b64(PEM('ca-data')) },
        {
          'client-certificate': '/nonexistent/c.pem',
          'client-certificate-data': b64(PEM('cert-data')),
          'client-key': '/nonexistent/c.key',
          'client-key-data': b64('key-data'),
        },
      ),
    );
    expect(both.tls.ca?.toString()).toBe(PEM('ca-data'));
    expect(both.tls.cert?.toString()).toBe(PEM('cert-data'));
    expect(both.tls.key?.toString()).toBe('key-data');
    const ca = await file('ca.pem', PEM('ca-file'));
    expect((await load(simple({ 'certificate-authority': ca }))).tls.ca?.toString()).toBe(PEM('ca-file'));
    const none = await load(simple({}));
    expect(none.tls).toEqual({ rejectUnauthorized: true });
  });

  it('keeps the server path prefix, trims the trailing slash, and honours TLS options', async () => {
    const c = await load(
      simple({
        server: 'https://proxy.example/k8s/clusters/c-1/',
        'insecure-skip-tls-verify': true,
        'tls-server-name': 'kubernetes.default',
        'proxy-url': 'http://proxy:3128',
      }),
    );
    expect(c.server).toBe('https://proxy.example/k8s/clusters/c-1');
    expect(c.tls.rejectUnauthorized).toBe(false);
    expect(c.tls.servername).toBe('kubernetes.default');
    expect((await load(simple({ server: '10.0.0.1:6443' }))).server).toBe('https://10.0.0.1:6443');
  });

  it('uses the context namespace, "default" otherwise', async () => {
    expect((await load(simple({}, undefined, 'team-a'))).namespace).toBe('team-a');
    expect((await load(simple({}))).namespace).toBe('default');
  });

  it('keeps numeric-looking values as written', () => {
    const parsed = parseKubeConfig(
      [
        'users:',
        '- name: u',
        '  user: {token: 0123, password: 1e5, username: 0x1F}',
        'clusters:',
        '- name: c',
        '  cluster:',
        '    server: https://x',
        '    insecure-skip-tls-verify: yes',
        '    extensions:',
        '    - name: client.authentication.k8s.io/exec',
        '      extension: {audience: aud, retries: 3}',
      ].join('\n'),
      '/kc/config',
    );
    expect(parsed.users.get('u')).toMatchObject({ token: '0123', password: '1e5', username: '0x1F' });
    const cluster = parsed.clusters.get('c');
    expect(cluster?.insecureSkipTlsVerify).toBe(true);
    expect(cluster?.extensions.get('client.authentication.k8s.io/exec')).toEqual({
      audience: 'aud',
      retries: 3,
    });
  });
});

describe('contexts and errors', () => {
  const two = kubeconfig({
    clusters: [
      { name: 'prod', cluster: { server: 'https://prod.example' } },
      { name: 'dev', cluster: { server: 'https://dev.example' } },
    ],
    users: [
      { name: 'prod-user', user: { token: SECRET } },
      { name: 'dev-user', user: { token: 'dev-token' } },
    ],
    contexts: [
      { name: 'prod', context: { cluster: 'prod', user: 'prod-user', namespace: 'p' } },
      { name: 'dev', context: { cluster: 'dev', user: 'dev-user', namespace: 'd' } },
      { name: 'no-cluster', context: { cluster: 'gone', user: 'dev-user' } },
      { name: 'no-user', context: { cluster: 'dev', user: 'ghost' } },
      { name: 'anonymous', context: { cluster: 'dev' } },
    ],
    current: 'prod',
  });

  it('uses current-context unless a context is given', async () => {
    const prod = await load(two);
    expect([prod.server, prod.namespace, prod.source.endsWith('context prod')]).toEqual([
      'https://prod.example',
      'p',
      true,
    ]);
    const dev = await load(two, { context: 'dev' });
    expect([dev.server, dev.namespace]).toEqual(['https://dev.example', 'd']);
    expect(await dev.authHeaders()).toEqual({ Authorization: 'Bearer dev-token' });
    expect(await (await load(two, { context: 'anonymous' })).authHeaders()).toEqual({});
  });

  it('names the missing context, cluster or user', async () => {
    const path = join(dir, 'config');
    expect(await loadErrorAsync(two, { context: 'staging' })).toBe(
      `context "staging" not found in kubeconfig ${path} (contexts: "prod", "dev", "no-cluster", "no-user", "anonymous")`,
    );
    expect(await loadErrorAsync(two, { context: 'no-cluster' })).toBe(
      `context "no-cluster" refers to cluster "gone", which is not in kubeconfig ${path}`,
    );
    expect(await loadErrorAsync(two, { context: 'no-user' })).toBe(
      `context "no-user" refers to user "ghost", which is not in kubeconfig ${path}`,
    );
    const noCurrent = two.replace(/current-context: prod\n/, '');
    expect(await loadErrorAsync(noCurrent)).toContain('has no current-context');
    expect(await loadErrorAsync(simple({ server: '' }, { token: SECRET }))).toBe('cluster "c" has no server');
  });

  it('explains broken files and credentials without quoting secrets', async () => {
    expect(await loadErrorAsync(`users:\n- name: u\n  user: {token: ${SECRET}\n`)).toMatch(
      /config: not valid YAML \(line \d+: [A-Z_]+\)$/,
    );
    expect(await loadErrorAsync(`users:\n- name: u\n  user:\n    token: [${SECRET}]\n`)).toContain(
      'users["u"].user.token must be a string',
    );
    expect(await loadErrorAsync(`users:\n- user: {token: ${SECRET}}\n`)).toContain('users[0] has no name');
    const dup = kubeconfig({
      users: [
        { name: 'u', user: { token: SECRET } },
        { name: 'u', user: {} },
      ],
    });
    expect(await loadErrorAsync(dup)).toContain('users has two entries named "u"');
    expect(
      await loadErrorAsync(simple({ 'certificate-authority': 'missing-ca.pem' }, { token: SECRET })),
    ).toBe(`cannot read cluster "c" CA ${join(dir, 'missing-ca.pem')}: ENOENT`);
    expect(
      await loadErrorAsync(simple({}, { token: SECRET, 'client-certificate-data': b64('x') })),
    ).toContain('user "u" in kubeconfig');
    expect(await loadErrorAsync(simple({}, { token: SECRET, username: 'me', password: SECRET }))).toContain(
      'has more than one authentication method (token, basic auth)',
    );
    expect(await loadErrorAsync(simple({}, { tokenFile: join(dir, 'no-token') }))).toBe(
      `cannot use token file ${join(dir, 'no-token')}: ENOENT`,
    );
  });

  it('supports the oidc auth-provider with an id-token and points elsewhere for the rest', async () => {
    const oidc = await load(
      simple({}, { 'auth-provider': { name: 'oidc', config: { 'id-token': 'id.tok.en' } } }),
    );
    expect(await oidc.authHeaders()).toEqual({ Authorization: 'Bearer id.tok.en' });
    expect(
      await loadErrorAsync(
        simple(
          {},
          { 'auth-provider': { name: 'oidc', config: { 'refresh-token': SECRET, 'client-secret': SECRET } } },
        ),
      ),
    ).toContain(
      'oidc auth-provider without an id-token; refreshing OIDC tokens is not supported: use an exec',
    );
    expect(
      await loadErrorAsync(
        simple({}, { 'auth-provider': { name: 'gcp', config: { 'access-token': SECRET } } }),
      ),
    ).toContain(
      '"gcp" auth-provider, which is not supported (kubectl removed it): use an exec credential plugin',
    );
  });
});

describe('credentials', () => {
  it('sends basic auth', async () => {
    const c = await load(simple({}, { username: 'admin', password: 'p@ss:word' }));
    expect(await c.authHeaders()).toEqual({ Authorization: `Basic ${b64('admin:p@ss:word')}` });
  });

  it('adds impersonation headers; several values are also offered as separate header lines', async () => {
    const c = await load(
      simple(
        {},
        {
          token: 'tok',
          as: 'jane',
          'as-uid': 'uid-1',
          'as-groups': ['devs', 'ops'],
          'as-user-extra': { 'reason/why': ['debug'], scopes: ['a', 'b'] },
        },
      ),
    );
    expect(await c.authHeaders()).toEqual({
      Authorization: 'Bearer tok',
      'Impersonate-User': 'jane',
      'Impersonate-Uid': 'uid-1',
      'Impersonate-Group': 'devs, ops',
      'Impersonate-Extra-reason%2Fwhy': 'debug',
      'Impersonate-Extra-scopes': 'a, b',
    });
    expect(c.repeatedHeaders).toEqual({
      'Impersonate-Group': ['devs', 'ops'],
      'Impersonate-Extra-scopes': ['a', 'b'],
    });
    const one = await load(simple({}, { as: 'jane', 'as-groups': ['devs'] }));
    expect(await one.authHeaders()).toEqual({ 'Impersonate-User': 'jane', 'Impersonate-Group': 'devs' });
    expect(one.repeatedHeaders).toBeUndefined();
  });

  it('re-reads a tokenFile (falling back to token while it cannot be read)', async () => {
    const clock = new ManualClock();
    const tokenPath = join(dir, 'token');
    await writeFile(tokenPath, 'first\n');
    const path = await file('config', simple({}, { tokenFile: tokenPath, token: 'fallback' }));
    const c = loadClusterConnection({ kubeconfigPath: path, clock });
    expect(await c.authHeaders()).toEqual({ Authorization: 'Bearer first' });
    await writeFile(tokenPath, 'second\n');
    clock.advance(9_000);
    expect(await c.authHeaders()).toEqual({ Authorization: 'Bearer first' });
    clock.advance(1_000);
    expect(await c.authHeaders()).toEqual({ Authorization: 'Bearer second' });

    const fallback = await file('config2', simple({}, { tokenFile: join(dir, 'absent'), token: 'fallback' }));
    expect(await loadClusterConnection({ kubeconfigPath: fallback }).authHeaders()).toEqual({
      Authorization: 'Bearer fallback',
    });
  });
});

describe('in-cluster service account', () => {
  async function mount(token = 'sa-token-1\n'): Promise<{ root: string; sa: string }> {
    const root = join(dir, 'root');
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    await mkdir(sa, { recursive: true });
    await writeFile(join(sa, 'token'), token);
    await writeFile(join(sa, 'ca.crt'), PEM('cluster-ca'));
    await writeFile(join(sa, 'namespace'), 'airunway-system\n');
    process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    return { root, sa };
  }

  it('reads token, CA and namespace from the mount', async () => {
    const { root } = await mount();
    const c = loadClusterConnection({ inCluster: true, inClusterPathPrefix: root });
    expect(c.server).toBe('https://10.96.0.1:443');
    expect(c.namespace).toBe('airunway-system');
    expect(c.tls).toEqual({ ca: Buffer.from(PEM('cluster-ca')), rejectUnauthorized: true });
    expect(c.source).toBe('in-cluster service account');
    expect(await c.authHeaders()).toEqual({ Authorization: 'Bearer sa-token-1' });
    process.env.KUBERNETES_SERVICE_HOST = 'fd00::1';
    expect(loadClusterConnection({ inCluster: true, inClusterPathPrefix: root }).server).toBe(
      'https://[fd00::1]:443',
    );
  });

  it('is the fallback when there is no kubeconfig, and explains what is missing', async () => {
    const { root } = await mount();
    expect(loadClusterConnection({ inClusterPathPrefix: root }).source).toBe('in-cluster service account');
    expect(loadError(() => loadClusterConnection({ inClusterPathPrefix: root, context: 'x' })).message).toBe(
      'context "x" requested, but no kubeconfig was found',
    );
    delete process.env.KUBERNETES_SERVICE_PORT;
    expect(loadError(() => loadClusterConnection({ inClusterPathPrefix: root })).message).toBe(
      'no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster',
    );
    expect(
      loadError(() => loadClusterConnection({ inCluster: true, inClusterPathPrefix: root })).message,
    ).toBe('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
  });

  it('picks up a rotated token within the re-read interval', async () => {
    const { root, sa } = await mount();
    const clock = new ManualClock();
    const c = loadClusterConnection({ inCluster: true, inClusterPathPrefix: root, clock });
    expect(await c.authHeaders()).toEqual({ Authorization: 'Bearer sa-token-1' });
    // kubelet swaps the file; a re-read is at most ~10 s away.
    await writeFile(join(sa, 'token'), 'sa-token-2\n');
    clock.advance(5_000);
    expect(await c.authHeaders()).toEqual({ Authorization: 'Bearer sa-token-1' });
    clock.advance(5_000);
    const [h1, h2] = await Promise.all([c.authHeaders(), c.authHeaders()]);
    expect([h1, h2]).toEqual([
      { Authorization: 'Bearer sa-token-2' },
      { Authorization: 'Bearer sa-token-2' },
    ]);
    // A token file that disappears for a moment keeps the last token.
    await writeFile(join(sa, 'token'), '');
    clock.advance(10_000);
    expect(await c.authHeaders()).toEqual({ Authorization: 'Bearer sa-token-2' });
  });
});
