// `npm start` as a newcomer runs it: a fresh HOME with no kubeconfig, so the product starts the
// embedded control plane, then the operator, the API and the dashboard. A deployment created
// through the API reaches Running; Ctrl-C (SIGINT) stops everything and leaves no process and
// no working directory behind. And as a platform engineer runs it: with a kubeconfig of a
// cluster that answers, the product runs against it. (Binaries come from the shared cache.)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '@airunway/testenv';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 600_000 });

const root = join(import.meta.dirname, '..', '..');

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

/** Command lines of every running process that mention `text`. */
async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ').slice(0, 200)}`);
  }
  return found;
}

let child: ChildProcess | undefined;
let home: string | undefined;
let cluster: ControlPlane | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (home) await rm(home, { recursive: true, force: true });
  await cluster?.stop();
});

interface Started {
  readonly output: () => string;
  readonly api: string;
  readonly webPort: number;
}

/** Runs `node scripts/start.mjs` as `npm start` does, with a fresh HOME, and waits for its banner. */
async function startProduct(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Started> {
  home = await mkdtemp(join(tmpdir(), 'airunway-home-'));
  const [apiPort, webPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  };
  delete env.KUBECONFIG;
  child = spawn(
    process.execPath,
    [
      'scripts/start.mjs',
      `--api-port=${apiPort}`,
      `--web-port=${webPort}`,
      `--operator-health-port=${healthPort}`,
      ...args,
    ],
    { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await vi.waitFor(
    () => {
      expect(output).toContain(`Dashboard: http://127.0.0.1:${webPort}`);
    },
    { timeout: 240_000, interval: 500 },
  );
  return { output: () => output, api: `http://127.0.0.1:${apiPort}/api`, webPort };
}

/** The dashboard answers, and a deployment created through the API reaches Running. */
async function deployThroughApi({ api, webPort }: Started, name: string) {
  await vi.waitFor(
    async () => {
      expect((await fetch(`${api}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${webPort}/deployments`)).status).toBe(200);
    },
    { timeout: 120_000, interval: 500 },
  );
  const created = await fetch(`${api}/deployments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, namespace: 'default', modelId: 'Qwen/Qwen3-0.6B' }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  await vi.waitFor(
    async () => {
      const detail = await (await fetch(`${api}/deployments/${name}?namespace=default`)).text();
      expect(detail).toContain('"phase":"Running"');
    },
    { timeout: 120_000, interval: 1000 },
  );
}

/** Ctrl-C: the command exits 0. */
async function stopProduct() {
  const exited = new Promise<number | null>((resolve) => {
    child?.once('exit', (code) => {
      resolve(code);
    });
  });
  child?.kill('SIGINT');
  expect(await exited).toBe(0);
}

describe('npm start on a machine without a cluster', () => {
  it('runs the whole product on the embedded control plane and stops cleanly', async () => {
    const started = await startProduct([]);
    const workDir = /Logs: (\S+)\/\*\.log/.exec(started.output())?.[1];
    expect(workDir, started.output()).toBeDefined();
    expect(started.output()).toContain(join(home ?? '', '.airunway', 'kubeconfig'));
    await deployThroughApi(started, 'smoke');
    await stopProduct();
    expect(await processesMentioning(workDir ?? '')).toEqual([]);
    expect(existsSync(workDir ?? '')).toBe(false);
  });
});

describe('npm start with a reachable cluster in the kubeconfig', () => {
  it('uses that cluster, installs the CRD when allowed, and leaves the cluster running', async () => {
    cluster = await startControlPlane({
      productCrds: false,
      nodes: [{ kind: 'gpu', name: 'gpu-0', gpu: 'H100-80GB', gpuCount: 8, pool: 'h100' }],
    });
    const started = await startProduct(['--yes'], { KUBECONFIG: cluster.kubeconfigPath });
    expect(started.output()).toContain('installed modeldeployments.airunway.ai');
    expect(started.output()).not.toContain('Logs: ');
    await deployThroughApi(started, 'on-my-cluster');
    await stopProduct();
    // The user's cluster is theirs: it still answers after the product stopped.
    await cluster.kubectlOk(['get', 'md', 'on-my-cluster', '-n', 'default']);
  });
});
