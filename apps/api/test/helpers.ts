import { createLogger, loadClusterConnection } from '@airunway/kube';
import type { ClusterClient, TestUser } from '@airunway/testenv';
import { expect, vi } from 'vitest';
import type { IntegrationOverrides } from '../src/integrations.js';
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
    /** Model pods reachable directly (as when the API runs in a pod). */
    inCluster?: boolean;
    heartbeatMs?: number;
    /** Azure prices, AI Configurator, AIKit settings (src/integrations.ts). */
    integrations?: IntegrationOverrides;
  } = {},
): Promise<TestApi> {
  const runtime = createApiRuntime({
    connection: loadClusterConnection({ kubeconfigPath: cluster.kubeconfigPath }),
    config: {
      authEnabled: options.authEnabled ?? false,
      productNamespace: options.productNamespace ?? 'airunway-system',
      defaultNamespace: options.defaultNamespace ?? 'airunway-system',
      build: { version: 'v0.1.0-test', buildTime: '2026-01-01T00:00:00Z', gitCommit: 'abc1234' },
      inCluster: options.inCluster ?? false,
      integrations: options.integrations,
    },
    heartbeatMs: options.heartbeatMs,
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

/** ClusterRoles that put ModelDeployments into the built-in view and edit roles, as the product's chart does. */
const AGGREGATED_ROLES = [
  ['airunway-test-deployments-view', 'view', ['get', 'list', 'watch']],
  ['airunway-test-deployments-edit', 'edit', ['create', 'update', 'patch', 'delete']],
] as const;

/** Lets alice (edit in her namespace) and bob (view) use ModelDeployments; returns the cleanup. */
export async function aggregateModelDeploymentRoles(cluster: ClusterClient): Promise<() => Promise<void>> {
  await cluster.apply(
    AGGREGATED_ROLES.map(([name, role, verbs]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels: { [`rbac.authorization.k8s.io/aggregate-to-${role}`]: 'true' } },
      rules: [{ apiGroups: ['airunway.ai'], resources: ['modeldeployments'], verbs: [...verbs] }],
    })),
  );
  const { editor, viewer } = cluster.users;
  await eventually(async () => {
    const create = await cluster.kubectl(
      ['auth', 'can-i', 'create', 'modeldeployments.airunway.ai', '-n', cluster.editorNamespace],
      { user: editor },
    );
    const list = await cluster.kubectl(['auth', 'can-i', 'list', 'modeldeployments.airunway.ai', '-A'], {
      user: viewer,
    });
    expect([create.stdout.trim(), list.stdout.trim()]).toEqual(['yes', 'yes']);
  });
  return async () => {
    await cluster.kubectl([
      'delete',
      'clusterrole',
      ...AGGREGATED_ROLES.map(([name]) => name),
      '--ignore-not-found',
    ]);
  };
}
