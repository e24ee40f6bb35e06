// /healthz, /readyz and /metrics on one port, for kubelet probes and Prometheus. Checks are
// named functions; the answer lists them the way the apiserver's own endpoints do
// ("[+]informers ok", "[-]leader failed: …" with ?verbose, or on failure). Readiness is
// typically "informers synced"; liveness should stay cheap and only fail when a restart
// would help (e.g. a stuck event loop), never because the apiserver is down.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Informer } from './informer.js';
import { silentLogger, type Logger } from './logger.js';
import type { KubeObject } from './objects.js';

/** true = healthy; false or a string (the reason) = unhealthy. May be async. */
export type CheckResult = boolean | string;

export interface HealthCheck {
  readonly name: string;
  check(): CheckResult | Promise<CheckResult>;
}

export interface HealthServerOptions {
  /** 0 = any free port (tests). */
  readonly port: number;
  /** Default 0.0.0.0 (probes come from the kubelet, not loopback). */
  readonly host?: string;
  readonly registry?: Registry;
  readonly liveness?: readonly HealthCheck[];
  readonly readiness?: readonly HealthCheck[];
  readonly logger?: Logger;
}

export interface HealthServer {
  readonly port: number;
  readonly url: string;
  addLivenessCheck(check: HealthCheck): void;
  addReadinessCheck(check: HealthCheck): void;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 5_000;

/** Ready once every informer has completed its first list. */
export function informersSyncedCheck(
  informers: readonly Informer<KubeObject>[],
  name = 'informers-synced',
): HealthCheck {
  return {
    name,
    check: () => {
      const waiting = informers.filter((i) => !i.hasSynced()).map((i) => i.name);
      return waiting.length === 0 ? true : `not synced: ${waiting.join(', ')}`;
    },
  };
}

async function runCheck(check: HealthCheck): Promise<{ name: string; ok: boolean; reason: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => {
        resolve(`timed out after ${CHECK_TIMEOUT_MS} ms`);
      }, CHECK_TIMEOUT_MS);
    });
    const result = await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
    return { name: check.name, ok: result === true, reason: typeof result === 'string' ? result : 'failed' };
  } catch (err) {
    return { name: check.name, ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const liveness = [...(options.liveness ?? [])];
  const readiness = [...(options.readiness ?? [])];
  const logger = options.logger ?? silentLogger;

  const probe = async (checks: HealthCheck[], req: IncomingMessage, res: ServerResponse, url: URL) => {
    const excluded = new Set(url.searchParams.getAll('exclude'));
    const results = await Promise.all(checks.filter((c) => !excluded.has(c.name)).map(runCheck));
    const failed = results.filter((r) => !r.ok);
    const verbose = url.searchParams.has('verbose') || failed.length > 0;
    const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: ${r.reason}`));
    const body = verbose
      ? `${lines.join('\n')}\n${url.pathname.slice(1)} check ${failed.length ? 'failed' : 'passed'}\n`
      : 'ok';
    if (failed.length)
      logger.debug('probe failed', { path: url.pathname, failed: failed.map((f) => f.name) });
    res.writeHead(failed.length ? 500 : 200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      switch (url.pathname) {
        case '/healthz':
        case '/livez':
          await probe(liveness, req, res, url);
          return;
        case '/readyz':
          await probe(readiness, req, res, url);
          return;
        case '/metrics':
          if (!options.registry) break;
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(await options.registry.metrics());
          return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    };
    handle().catch((err: unknown) => {
      logger.error('health endpoint failed', { path: url.pathname, err });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '0.0.0.0';
  return {
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    addLivenessCheck: (c) => liveness.push(c),
    addReadinessCheck: (c) => readiness.push(c),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
