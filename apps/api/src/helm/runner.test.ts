// The runner with a stand-in helm (a shell script): argument arrays, the isolated environment,
// line streaming, redaction, timeouts and a missing binary. The real Helm runs in
// test/installation.test.ts.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterConnection } from '@airunway/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTempKubeconfig } from './kubeconfig.js';
import { HelmRunner, HelmUnavailableError } from './runner.js';

let dir: string;
let fakeHelm: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'helm-runner-'));
  fakeHelm = join(dir, 'helm');
  // Prints its arguments one per line, or a few variables; `sleep` hangs.
  await writeFile(
    fakeHelm,
    `#!/bin/sh
case "$1" in
  sleep) sleep 30 ;;
  env) echo "KUBECONFIG=$KUBECONFIG"; echo "HELM_CACHE_HOME=$HELM_CACHE_HOME"; echo "SECRET=$SECRET"; echo "HOME=$HOME" ;;
  *) for a in "$@"; do echo "arg:$a"; done ;;
esac
`,
  );
  await chmod(fakeHelm, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runner(helmPath = fakeHelm) {
  return new HelmRunner({
    helmPath,
    homeDir: join(dir, 'home'),
    baseEnv: { PATH: process.env.PATH ?? '' },
    defaultTimeoutMs: 10_000,
  });
}

describe('HelmRunner', () => {
  it('passes arguments as they are (no shell), line by line as printed', async () => {
    const lines: string[] = [];
    const result = await runner().run({
      args: ['x; rm -rf /', '$(id)', 'a b'],
      onLine: (l) => lines.push(l),
    });
    expect(result.code).toBe(0);
    expect(lines).toEqual(['arg:x; rm -rf /', 'arg:$(id)', 'arg:a b']);
  });

  it('gives Helm its own homes and nothing of the API environment but what it is given', async () => {
    process.env.SECRET = 'from-the-api';
    try {
      const { stdout } = await runner().run({ args: ['env'] });
      expect(stdout).toContain(`HELM_CACHE_HOME=${join(dir, 'home', 'cache')}`);
      expect(stdout).toContain(`HOME=${join(dir, 'home', 'home')}`);
      expect(stdout).toContain('KUBECONFIG=\n');
      expect(stdout).toContain('SECRET=\n');
    } finally {
      delete process.env.SECRET;
    }
  });

  it('scrubs secrets from every line and from the captured output', async () => {
    const lines: string[] = [];
    const result = await runner().run({
      args: ['top-secret-token'],
      secrets: ['secret-token'],
      onLine: (l) => lines.push(l),
    });
    expect(lines).toEqual(['arg:top-[redacted]']);
    expect(result.stdout).not.toContain('secret-token');
    expect(result.transcript).not.toContain('secret-token');
  });

  it('stops Helm at its deadline', async () => {
    const started = Date.now();
    const result = await runner().run({ args: ['sleep'], timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.timedOut).toBe(true);
    expect(result.transcript).toContain('helm did not finish within 0.3 s and was stopped');
  });

  it('reports a missing binary clearly', async () => {
    await expect(runner(join(dir, 'no-helm')).run({ args: ['version'] })).rejects.toThrow(
      HelmUnavailableError,
    );
    await expect(runner(join(dir, 'no-helm')).version()).rejects.toThrow(
      /Helm was not found at ".*no-helm" \(ENOENT\)/,
    );
  });
});

describe('writeTempKubeconfig', () => {
  const connection: ClusterConnection = {
    server: 'https://127.0.0.1:6443',
    tls: { ca: 'CA-PEM', cert: 'API-CERT', key: 'API-KEY', rejectUnauthorized: true },
    namespace: 'default',
    authHeaders: () => Promise.resolve({}),
    source: 'test',
  };

  it("writes the caller's token only (not the API's certificate), private, and removes it", async () => {
    const kubeconfig = await writeTempKubeconfig(dir, connection, 'user-token');
    expect((await stat(kubeconfig.path)).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(kubeconfig.path, 'utf8'));
    expect(config.users[0].user).toEqual({ token: 'user-token' });
    expect(config.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:6443',
      'certificate-authority-data': Buffer.from('CA-PEM').toString('base64'),
    });
    expect(kubeconfig.secrets).toEqual(['user-token']);
    await kubeconfig.dispose();
    await expect(stat(kubeconfig.path)).rejects.toThrow();
  });

  it("without a caller token: the API's own credentials", async () => {
    const kubeconfig = await writeTempKubeconfig(dir, {
      ...connection,
      authHeaders: () => Promise.resolve({ Authorization: 'Bearer sa-token' }),
    });
    const config = JSON.parse(await readFile(kubeconfig.path, 'utf8'));
    expect(config.users[0].user).toEqual({
      token: 'sa-token',
      'client-certificate-data': Buffer.from('API-CERT').toString('base64'),
      'client-key-data': Buffer.from('API-KEY').toString('base64'),
    });
    expect(kubeconfig.secrets).toEqual(['sa-token']);
    await kubeconfig.dispose();
  });
});
