import { createLogger, loadClusterConnection } from '@airunway/kube';
import type { ClusterClient } from '@airunway/testenv';
import { vi } from 'vitest';
import { startOperator, type RunningOperator } from '../src/operator.js';

export function startTestOperator(
  cluster: ClusterClient,
  options: {
    namespace?: string;
    leaderElection?: { namespace: string; name: string; identity: string };
  } = {},
): Promise<RunningOperator> {
  return startOperator({
    connection: loadClusterConnection({ kubeconfigPath: cluster.kubeconfigPath }),
    logger: createLogger({ level: process.env.OPERATOR_LOG === '1' ? 'debug' : 'error', name: 'operator' }),
    healthPort: 0,
    workers: 4,
    ...options,
  });
}

export async function getJson<T = any>(cluster: ClusterClient, args: string[]): Promise<T> {
  return JSON.parse(await cluster.kubectlOk([...args, '-o', 'json'])) as T;
}

/** Waits (polling the cluster, test-side only) until `check` stops throwing. */
export function eventually<T>(check: () => Promise<T>, timeout = 60_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 200 });
}

export function modelDeployment(name: string, namespace: string, spec: Record<string, unknown>) {
  return {
    apiVersion: 'airunway.ai/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name, namespace },
    spec,
  };
}
