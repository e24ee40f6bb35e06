// /healthz, /readyz and /metrics, outside /api and without authentication: for the kubelet
// and Prometheus. Ready means every watch cache has completed its first list; liveness only
// says the event loop answers (a restart would not bring a missing apiserver back).
import type { Informer, KubeObject } from '@airunway/kube';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { AppEnv } from '../http/context.js';

export interface ProbeDeps {
  readonly notSynced: () => string[];
  readonly informers: () => readonly Informer<KubeObject>[];
  readonly registry: Registry;
}

export function probeRoutes(deps: ProbeDeps) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.text('ok'))
    .get('/readyz', (c) => {
      const waiting = deps.notSynced();
      if (waiting.length === 0)
        return c.text(
          c.req.query('verbose') !== undefined ? '[+]informers-synced ok\nreadyz check passed\n' : 'ok',
        );
      const errors = deps
        .informers()
        .filter((i) => !i.hasSynced() && i.status().lastError)
        .map((i) => `  ${i.name}: ${i.status().lastError?.message ?? ''}`);
      return c.text(
        `[-]informers-synced failed: not synced: ${waiting.join(', ')}\n${errors.join('\n')}${errors.length ? '\n' : ''}readyz check failed\n`,
        503,
      );
    })
    .get('/metrics', async (c) =>
      c.body(await deps.registry.metrics(), 200, { 'Content-Type': deps.registry.contentType }),
    );
}
