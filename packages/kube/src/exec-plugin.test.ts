// Exec credential plugins without a cluster: a small Node script stands in for
// aws/gke/kubelogin plugins, logs what it received (argv, KUBERNETES_EXEC_INFO, env) and
// prints an ExecCredential whose shape and expiry each test chooses.
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { KubeConfigError } from './errors.js';
import { loadClusterConnection, type ClusterConnection } from './kubeconfig.js';

const PLUGIN = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const log = process.env.PLUGIN_LOG;
const run = (existsSync(log) ? readFileSync(log, 'utf8').split('\\n').filter(Boolean).length : 0) + 1;
const stdin = readFileSync(0, 'utf8'); // never interactive: stdin is at its end at once
appendFileSync(log, JSON.stringify({
  run, args: process.argv.slice(2), stdin, fromEnv: process.env.FROM_KUBECONFIG,
  info: JSON.parse(process.env.KUBERNETES_EXEC_INFO),
}) + '\\n');
const mode = process.env.PLUGIN_MODE;
if (mode === 'fail' || (mode === 'fail-after-first' && run > 1)) {
  process.stdout.write(JSON.stringify({ status: { token: 'leaked-from-stdout' } }));
  process.stderr.write('error: the identity provider said no to exec-token-1 (Authorization: Bearer leaked-bearer)\\n');
  process.exit(3);
}
if (mode === 'garbage') {
  console.log('token=leaked-from-stdout');
  process.exit(0);
}
const status = mode === 'cert'
  ? { clientCertificateData: 'CERT-' + run, clientKeyData: 'KEY-' + run }
  : { token: 'exec-token-' + run };
const lifetime = Number(process.env.PLUGIN_LIFETIME_MS ?? '0');
if (lifetime > 0) status.expirationTimestamp = new Date(Date.now() + lifetime).toISOString();
const apiVersion = process.env.PLUGIN_API_VERSION ?? JSON.parse(process.env.KUBERNETES_EXEC_INFO).apiVersion;
console.log(JSON.stringify({ apiVersion, kind: 'ExecCredential', status }));
`;

const savedEnv = { ...process.env };
let dir: string;
let script: string;
let log: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-exec-'));
  script = join(dir, 'plugin.mjs');
  log = join(dir, 'runs.log');
  await writeFile(script, PLUGIN);
});

afterEach(() => {
  vi.useRealTimers();
  process.env = { ...savedEnv };
});

interface Run {
  run: number;
  args: string[];
  stdin: string;
  fromEnv?: string;
  info: {
    apiVersion: string;
    kind: string;
    spec: { interactive: boolean; cluster?: Record<string, unknown> };
  };
}

async function runs(): Promise<Run[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Run);
}

interface PluginOptions {
  mode?: 'token' | 'cert' | 'fail' | 'fail-after-first' | 'garbage';
  lifetimeMs?: number;
  apiVersion?: string;
  pluginApiVersion?: string;
  command?: string;
  installHint?: string;
  interactiveMode?: string;
  provideClusterInfo?: boolean;
  extraEnv?: { name: string; value: string }[];
}

async function connect(options: PluginOptions = {}): Promise<ClusterConnection> {
  const env = [
    { name: 'PLUGIN_LOG', value: log },
    { name: 'PLUGIN_MODE', value: options.mode ?? 'token' },
    { name: 'PLUGIN_LIFETIME_MS', value: String(options.lifetimeMs ?? 0) },
    { name: 'FROM_KUBECONFIG', value: 'yes' },
    ...(options.pluginApiVersion ? [{ name: 'PLUGIN_API_VERSION', value: options.pluginApiVersion }] : []),
    ...(options.extraEnv ?? []),
  ];
  const command = options.command ?? process.execPath;
  const path = join(dir, 'config');
  await writeFile(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: 'https://c.example:6443/',
            'certificate-authority-data': Buffer.from('CA PEM').toString('base64'),
            'tls-server-name': 'c.internal',
            extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'aud', n: 3 } }],
          },
        },
      ],
      users: [
        {
          name: 'u',
          user: {
            as: 'jane',
            exec: {
              apiVersion: options.apiVersion ?? 'client.authentication.k8s.io/v1',
              command,
              args: command === process.execPath ? [script, 'arg-1'] : ['arg-1'],
              env,
              interactiveMode: options.interactiveMode ?? 'Never',
              provideClusterInfo: options.provideClusterInfo ?? true,
              ...(options.installHint ? { installHint: options.installHint } : {}),
            },
          },
        },
      ],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return loadClusterConnection({ kubeconfigPath: path });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KubeConfigError);
  return (err as Error).message;
}

describe('exec credential plugins', () => {
  it('runs the command with its args, env and KUBERNETES_EXEC_INFO, and sends the token', async () => {
    const c = await connect();
    expect(await c.authHeaders()).toEqual({
      Authorization: 'Bearer exec-token-1',
      'Impersonate-User': 'jane',
    });
    const [first] = await runs();
    expect(first).toEqual({
      run: 1,
      args: ['arg-1'],
      stdin: '',
      fromEnv: 'yes',
      info: {
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        spec: {
          interactive: false,
          cluster: {
            server: 'https://c.example:6443',
            'tls-server-name': 'c.internal',
            'certificate-authority-data': Buffer.from('CA PEM').toString('base64'),
            config: { audience: 'aud', n: 3 },
          },
        },
      },
    });
    expect(await c.clientCertificate?.()).toBeUndefined();
  });

  it('gives no cluster info unless asked, and speaks v1beta1 too', async () => {
    const c = await connect({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      provideClusterInfo: false,
    });
    expect((await c.authHeaders()).Authorization).toBe('Bearer exec-token-1');
    expect((await runs())[0]?.info).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
  });

  it('caches the credential until shortly before it expires, with one run for concurrent callers', async () => {
    const c = await connect({ lifetimeMs: 2_000 });
    const all = await Promise.all([c.authHeaders(), c.authHeaders(), c.authHeaders()]);
    expect(all.map((h) => h.Authorization)).toEqual(Array(3).fill('Bearer exec-token-1'));
    expect((await c.authHeaders()).Authorization).toBe('Bearer exec-token-1');
    expect(await runs()).toHaveLength(1);
    // A 2 s credential is replaced after about half its lifetime (the margin is at most 10 s).
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await c.authHeaders()).Authorization).toBe('Bearer exec-token-2');
    expect(await runs()).toHaveLength(2);
  });

  it('replaces a long-lived credential once it expires, and keeps one without expiry', async () => {
    const expiring = await connect({ lifetimeMs: 3_600_000 });
    expect((await expiring.authHeaders()).Authorization).toBe('Bearer exec-token-1');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_595_000); // within the 10 s margin
    expect((await expiring.authHeaders()).Authorization).toBe('Bearer exec-token-2');
    vi.useRealTimers();

    await writeFile(log, '');
    const forever = await connect();
    expect((await forever.authHeaders()).Authorization).toBe('Bearer exec-token-1');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 365 * 24 * 3_600_000);
    expect((await forever.authHeaders()).Authorization).toBe('Bearer exec-token-1');
    expect(await runs()).toHaveLength(1);
  });

  it('hands out client certificates, the same object until the plugin issues a new one', async () => {
    const c = await connect({ mode: 'cert', lifetimeMs: 3_600_000 });
    const first = await c.clientCertificate?.();
    expect(first).toEqual({ cert: 'CERT-1', key: 'KEY-1' });
    expect(await c.authHeaders()).toEqual({ 'Impersonate-User': 'jane' });
    expect(await c.clientCertificate?.()).toBe(first);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_600_000);
    expect(await c.clientCertificate?.()).toEqual({ cert: 'CERT-2', key: 'KEY-2' });
  });

  it('reports a failing plugin with its exit code and stderr, but no token', async () => {
    const c = await connect({ mode: 'fail' });
    const message = await failure(c.authHeaders());
    expect(message).toBe(
      `exec plugin "${process.execPath}" of user "u" failed with exit code 3: ` +
        'error: the identity provider said no to exec-token-1 (Authorization: Bearer [redacted])',
    );
    // A plugin that fails later may print the token it had issued: that one is removed too.
    await writeFile(log, '');
    const later = await connect({ mode: 'fail-after-first', lifetimeMs: 60_000 });
    expect((await later.authHeaders()).Authorization).toBe('Bearer exec-token-1');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    const second = await failure(later.authHeaders());
    expect(second).toContain('the identity provider said no to [redacted]');
    expect(second).not.toContain('exec-token-1');
    expect(second).not.toContain('leaked');
  });

  it('rejects output that is not a matching ExecCredential without quoting it', async () => {
    const garbage = await failure((await connect({ mode: 'garbage' })).authHeaders());
    expect(garbage).toContain('did not print an ExecCredential (no JSON on stdout)');
    expect(garbage).not.toContain('leaked');
    const mismatch = await failure(
      (await connect({ pluginApiVersion: 'client.authentication.k8s.io/v1beta1' })).authHeaders(),
    );
    expect(mismatch).toContain(
      'printed an ExecCredential of apiVersion "client.authentication.k8s.io/v1beta1", but the kubeconfig asks for client.authentication.k8s.io/v1',
    );
  });

  it('says when the command is missing, with the install hint', async () => {
    const c = await connect({
      command: join(dir, 'no-such-plugin'),
      installHint: 'brew install no-such-plugin',
    });
    expect(await failure(c.authHeaders())).toBe(
      `exec plugin "${join(dir, 'no-such-plugin')}" of user "u" failed: command not found (brew install no-such-plugin)`,
    );
  });

  it('refuses unsupported apiVersions and interactive-only plugins at load time', async () => {
    await expect(connect({ apiVersion: 'client.authentication.k8s.io/v1alpha1' })).rejects.toThrow(
      'apiVersion "client.authentication.k8s.io/v1alpha1" is not supported',
    );
    await expect(connect({ interactiveMode: 'Always' })).rejects.toThrow(
      'needs a terminal (interactiveMode: Always), and this process has none',
    );
  });

  it('runs a command given relative to the kubeconfig directory', async () => {
    await mkdir(join(dir, 'bin'));
    const wrapper = join(dir, 'bin', 'plugin.sh');
    await writeFile(wrapper, '#!/bin/sh\nexec "$NODE" "$PLUGIN_JS" "$@"\n');
    await chmod(wrapper, 0o755);
    const c = await connect({
      command: './bin/plugin.sh',
      extraEnv: [
        { name: 'NODE', value: process.execPath },
        { name: 'PLUGIN_JS', value: script },
      ],
    });
    expect((await c.authHeaders()).Authorization).toBe('Bearer exec-token-1');
    expect((await runs())[0]?.args).toEqual(['arg-1']);
  });
});
