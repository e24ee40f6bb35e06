// The test cluster as kubectl sees it, for setting up and checking what the browser did.
import { randomBytes } from 'node:crypto';
import { clusterClient, type ClusterClient } from '@airunway/testenv';
import { stack } from './browser.js';

export function cluster(): ClusterClient {
  return clusterClient(stack().cluster);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** A ModelDeployment as a user would apply it. */
export function modelDeployment(name: string, namespace: string, gpus = 1, modelId = 'Qwen/Qwen3-0.6B') {
  return {
    apiVersion: 'airunway.ai/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name, namespace },
    spec: { model: { id: modelId }, resources: { gpu: { count: gpus } } },
  };
}

export async function deleteDeployment(name: string, namespace: string): Promise<void> {
  await cluster().kubectl([
    'delete',
    'modeldeployment',
    name,
    '-n',
    namespace,
    '--ignore-not-found',
    '--wait=false',
  ]);
}
