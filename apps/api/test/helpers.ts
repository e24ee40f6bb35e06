import { createLogger, loadClusterConnection } from '@airunway/kube';
import type { ClusterClient, TestUser } from '@airunway/testenv';
import { vi } from 'vitest';
import { createApiRuntime, type ApiRuntime } from '../src/runtime.js';

export interface TestApi {
  readonly runtime: ApiRuntime;
  /** A request to the app in memory (no port); JSON in and out. */
  request(
    path: string,
    init?: { method?: string; token?: string | TestUser; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startTestApi(
  cluster: ClusterClient,
  options: {
    authEnabled?: boolean;
    productNamespace?: string;
    defaultNamespace?: string;
    now?: () => Date;
  } = {},
): Promise<TestApi> {
  const runtime = createApiRuntime({
    connection: loadClusterConnection({ kubeconfigPath: cluster.kubeconfigPath }),
    config: {
      authEnabled: options.authEnabled ?? false,
      productNamespace: options.productNamespace ?? 'airunway-system',
      defaultNamespace: options.defaultNamespace ?? 'airunway-system',
      build: { version: 'v0.1.0-test', buildTime: '2026-01-01T00:00:00Z', gitCommit: 'abc1234' },
    },
    logger: createLogger({ level: process.env.API_LOG === '1' ? 'debug' : 'error', name: 'api' }),
    now: options.now,
  });
  runtime.start();
  await Promise.all(runtime.cache.all.map((i) => i.synced));
  return {
    runtime,
    async request(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = typeof init.token === 'string' ? init.token : init.token?.token;
      if (token !== undefined) headers.Authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await runtime.app.request(path, {
        method: init.method ?? 'GET',
        headers,
        body:
          init.body === undefined
            ? undefined
            : typeof init.body === 'string'
              ? init.body
              : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: unknown = text;
      if (res.headers.get('content-type')?.includes('application/json')) body = JSON.parse(text);
      return { status: res.status, body, headers: res.headers };
    },
    stop: () => runtime.stop(),
  };
}

export async function getJson<T = any>(cluster: ClusterClient, args: string[]): Promise<T> {
  return JSON.parse(await cluster.kubectlOk([...args, '-o', 'json'])) as T;
}

/** Waits (polling, test-side only) until `check` stops throwing. */
export function eventually<T>(check: () => Promise<T> | T, timeout = 30_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 100 });
}
