// Time to a usable Deployments page with 1,000 ModelDeployments: a real control plane holding
// them, the API serving them from its watch cache, the production dashboard (`next start`),
// and Debian's Chromium loading the page cold. Measured in the page: from navigation start to
// the list showing all 1,000 (first snapshot of the live stream rendered), and the time a
// keystroke in the search box takes to re-render the filtered list.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot, startControlPlane } from '@airunway/testenv';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RenderRun {
  /** Navigation start → "1000 deployments" on screen (server-rendered: first paint). */
  readonly listedMs: number;
  /** Navigation start → hydrated: rows listed and every control responds. */
  readonly interactiveMs: number;
  /** Navigation start → the live stream open: changes in the cluster show up from here on. */
  readonly liveMs: number;
  /** Navigation start → DOMContentLoaded. */
  readonly domContentLoadedMs: number;
  /** Sum of main-thread long tasks (over 50 ms) beyond 50 ms each, until listed. */
  readonly blockingMs: number;
  /** A keystroke in the search box → the filtered count shown. */
  readonly filterMs: number;
  /** Table rows in the DOM with 1,000 listed (the rest are virtual). */
  readonly domRows: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('no port'));
        return;
      }
      server.close(() => {
        resolve(address.port);
      });
    });
  });
}

function start(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): ChildProcess {
  const child = spawn(command, args, {
    cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  process.once('exit', () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  // A server waiting for an open stream to finish would wait for ever.
  const kill = setTimeout(() => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(kill);
}

async function waitFor(
  url: string,
  check: (r: Response) => Promise<boolean> | boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      if (await check(response)) return;
    } catch {
      // Not up yet.
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

function modelDeployments(count: number, namespace: string): object[] {
  const models = ['Qwen/Qwen3-0.6B', 'Qwen/Qwen3-8B', 'meta-llama/Llama-3.1-8B-Instruct', 'microsoft/phi-4'];
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'airunway.ai/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name: `bench-${String(i).padStart(4, '0')}`, namespace: `${namespace}-${i % 4}` },
    spec: { model: { id: models[i % models.length] }, resources: { gpu: { count: 1 + (i % 2) } } },
  }));
}

export async function measureRenderTime(options: {
  deployments: number;
  runs: number;
  log: (m: string) => void;
}): Promise<RenderRun[]> {
  const { log } = options;
  const cluster = await startControlPlane({ nodes: [] });
  const children: ChildProcess[] = [];
  let browser: Browser | undefined;
  try {
    for (let n = 0; n < 4; n++) await cluster.createNamespace(`bench-${n}`);
    await cluster.createNamespace('airunway-system');
    const objects = modelDeployments(options.deployments, 'bench');
    for (let i = 0; i < objects.length; i += 250) await cluster.apply(objects.slice(i, i + 250));
    log(`applied ${objects.length} ModelDeployments`);

    const env = { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: cluster.kubeconfigPath };
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    children.push(
      start(process.execPath, [join(repoRoot, 'apps/api/dist/main.js')], repoRoot, {
        ...env,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        AIRUNWAY_NAMESPACE: 'airunway-system',
        LOG_LEVEL: 'warn',
      }),
    );
    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    children.push(
      start(
        process.execPath,
        [
          join(repoRoot, 'node_modules/next/dist/bin/next'),
          'start',
          '-p',
          String(webPort),
          '-H',
          '127.0.0.1',
        ],
        join(repoRoot, 'apps/web'),
        {
          ...env,
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          AIRUNWAY_API_URL: apiUrl,
        },
      ),
    );
    await waitFor(
      `${apiUrl}/api/deployments`,
      async (r) =>
        r.ok && ((await r.json()) as { deployments: unknown[] }).deployments.length === options.deployments,
    );
    await waitFor(`${webUrl}/deployments`, (r) => r.ok);
    log(`API and dashboard up with ${options.deployments} deployments`);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      // launch() gives the browser a fresh, temporary profile of its own.
      args: CHROMIUM_ARGS,
    });
    const expected = `${options.deployments} deployments`;
    const measureScript = `
      window.__bench = { blocking: 0, listed: 0 };
      new PerformanceObserver((list) => {
        const done = performance.getEntriesByName('deployments:interactive').length > 0;
        for (const e of list.getEntries()) if (!done) window.__bench.blocking += Math.max(0, e.duration - 50);
      }).observe({ type: 'longtask', buffered: true });
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="deployment-count"]');
        if (!window.__bench.listed && el && el.textContent === ${JSON.stringify(expected)}) window.__bench.listed = performance.now();
      }).observe(document, { subtree: true, childList: true, characterData: true });
    `;
    const runs: RenderRun[] = [];
    // One warm-up load (the server's first render, the OS's file cache), then measured loads,
    // each in a fresh browser context: nothing in the HTTP cache, as for a first visit.
    for (let run = 0; run <= options.runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
      await context.addInitScript(measureScript);
      const page = await context.newPage();
      await page.goto(`${webUrl}/deployments`, { waitUntil: 'commit' });
      await page.waitForFunction(
        () => performance.getEntriesByName('deployments:live').length > 0,
        undefined,
        { timeout: 60_000 },
      );
      const measured = await page.evaluate(() => {
        const bench = (window as unknown as { __bench: { listed: number; blocking: number } }).__bench;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        // No helper functions in here: tsx would wrap them in a __name() the page does not have.
        return {
          listedMs: bench.listed,
          interactiveMs: Math.max(
            bench.listed,
            performance.getEntriesByName('deployments:interactive')[0]?.startTime ?? NaN,
          ),
          liveMs: performance.getEntriesByName('deployments:live')[0]?.startTime ?? NaN,
          domContentLoadedMs: nav.domContentLoadedEventEnd,
          blockingMs: bench.blocking,
          domRows: document.querySelectorAll('tr[data-deployment]').length,
        };
      });
      const search = page.getByRole('searchbox');
      const before = await page.evaluate(() => performance.now());
      await search.fill(`bench-${String(options.deployments - 1).padStart(4, '0')}`);
      await page.waitForFunction(
        (t) => document.querySelector('[data-testid="deployment-count"]')?.textContent === t,
        `1 of ${options.deployments} deployments`,
      );
      const filterMs = (await page.evaluate(() => performance.now())) - before;
      await context.close();
      if (run === 0) continue;
      runs.push({ ...measured, filterMs });
      log(
        `run ${run}: listed ${Math.round(measured.listedMs)} ms, interactive ${Math.round(measured.interactiveMs)} ms, live ${Math.round(measured.liveMs)} ms, ${measured.domRows} rows in the DOM`,
      );
    }
    return runs;
  } finally {
    // The browser first: its open event streams would keep the servers from stopping.
    await browser?.close();
    for (const child of children.reverse()) await stop(child);
    await cluster.stop();
  }
}
