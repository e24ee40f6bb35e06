// Shared by this package's tests (excluded from the build): clients for the test control
// plane, a small CRD of our own, and an event log for informer handlers.
import type { ClusterClient } from '@airunway/testenv';
import { testCluster } from '@airunway/testenv/vitest';
import { KubeClient, type KubeClientOptions } from './client.js';
import type { InformerHandlers } from './informer.js';
import { loadClusterConnection, staticConnection } from './kubeconfig.js';
import type { KubeObject } from './objects.js';
import { FaultProxy } from './testing/fault-proxy.js';

export const cluster: ClusterClient = testCluster();

export function adminClient(options: Partial<KubeClientOptions> = {}): KubeClient {
  return new KubeClient({
    connection: loadClusterConnection({ kubeconfigPath: cluster.kubeconfigPath }),
    userAgent: 'airunway-kube-test/0.1.0',
    ...options,
  });
}

/** A proxy in front of the test apiserver and an admin client that goes through it. */
export async function proxiedAdmin(
  options: Partial<KubeClientOptions> = {},
): Promise<{ proxy: FaultProxy; client: KubeClient }> {
  const proxy = await FaultProxy.start({ upstream: cluster.server, ca: cluster.caCert });
  const client = new KubeClient({
    connection: staticConnection({ server: proxy.url, token: cluster.users.admin.token }),
    userAgent: 'airunway-kube-test/0.1.0 (proxied)',
    ...options,
  });
  return { proxy, client };
}

export interface Widget extends KubeObject {
  spec?: { size?: number; color?: string };
  status?: { phase?: string; observedGeneration?: number };
}

/** Installs a namespaced CRD `<plural>.<group>` (kind Widget-like, with a status subresource). */
export async function installCrd(group: string, kind: string, plural: string): Promise<void> {
  await cluster.apply([crdManifest(group, kind, plural)]);
  await cluster.kubectlOk(['wait', '--for=condition=Established', '--timeout=30s', `crd/${plural}.${group}`]);
}

export function crdManifest(group: string, kind: string, plural: string): object {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { size: { type: 'integer' }, color: { type: 'string' } },
                },
                status: {
                  type: 'object',
                  properties: {
                    phase: { type: 'string' },
                    observedGeneration: { type: 'integer' },
                    conditions: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['type'],
                      items: {
                        type: 'object',
                        required: ['type', 'status'],
                        properties: {
                          type: { type: 'string' },
                          status: { type: 'string' },
                          reason: { type: 'string' },
                          message: { type: 'string' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

export type LoggedEvent = string;

/**
 * Handlers that log "add name", "update name", "delete name" (+ " (inferred)" for deletes
 * found by a relist), and detect overlapping handler calls.
 */
export function eventLog<T extends KubeObject>(
  options: { asyncDelayMs?: number; rename?: (name: string) => string } = {},
) {
  const name = (o: T) => (options.rename ?? ((x: string) => x))(o.metadata.name ?? '');
  const log: LoggedEvent[] = [];
  let running = 0;
  let overlapped = false;
  const record = async (entry: string) => {
    running++;
    if (running > 1) overlapped = true;
    const delay = options.asyncDelayMs;
    if (delay) await new Promise((r) => setTimeout(r, Math.random() * delay));
    log.push(entry);
    running--;
  };
  const handlers: InformerHandlers<T> = {
    onAdd: (o) => record(`add ${name(o)}`),
    onUpdate: (_old, o) => record(`update ${name(o)}`),
    onDelete: (o, { finalStateUnknown }) =>
      record(`delete ${name(o)}${finalStateUnknown ? ' (inferred)' : ''}`),
  };
  return {
    log,
    handlers,
    overlapped: () => overlapped,
    /** Entries about one object, in order. */
    about: (name: string) => log.filter((e) => e.split(' ')[1] === name),
  };
}
