'use client';
// Live ModelDeployments from the API's change stream (the tRPC subscription deployments.changes,
// Server-Sent Events fed by its watch cache): a snapshot, then upserts and deletes as they
// happen. Nothing polls. Bursts of changes (a thousand deployments starting at once) are applied to a map at
// once and published to React at most once per animation frame.
import type { DeploymentChange, DeploymentSummary } from '@airunway/schema';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ApiRequestError, describeError } from './api-client';
import { fetchDeployments } from './queries';
import { fromTrpcError, trpc } from './trpc';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type LiveDeployments = StreamSnapshot & { readonly reconnect: () => void };

export interface StreamSnapshot {
  readonly deployments: readonly DeploymentSummary[];
  /** Whether the first snapshot (or the fallback list) has arrived. */
  readonly loaded: boolean;
  readonly state: StreamState;
  readonly error?: string;
  /** Changes applied since the stream opened, for tests and the live indicator. */
  readonly changes: number;
}

export function deploymentKey(d: { namespace: string; name: string }): string {
  return `${d.namespace}/${d.name}`;
}

export class DeploymentStore {
  private readonly rows = new Map<string, DeploymentSummary>();
  private snapshot: StreamSnapshot = { deployments: [], loaded: false, state: 'connecting', changes: 0 };
  private readonly listeners = new Set<() => void>();
  private frame: number | undefined;
  private dirty = false;
  private status: Pick<StreamSnapshot, 'loaded' | 'state' | 'error' | 'changes'> = {
    loaded: false,
    state: 'connecting',
    changes: 0,
  };

  /** `initial`: the list the server rendered the page with, shown until the stream's snapshot. */
  constructor(initial?: readonly DeploymentSummary[]) {
    if (!initial) return;
    for (const d of initial) this.rows.set(deploymentKey(d), d);
    this.status = { ...this.status, loaded: true };
    this.snapshot = { deployments: [...initial], ...this.status };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): StreamSnapshot => this.snapshot;

  apply(change: DeploymentChange): void {
    switch (change.type) {
      case 'snapshot':
        this.rows.clear();
        for (const d of change.deployments) this.rows.set(deploymentKey(d), d);
        this.status = { ...this.status, loaded: true };
        break;
      case 'upsert':
        this.rows.set(deploymentKey(change.deployment), change.deployment);
        break;
      case 'delete':
        this.rows.delete(deploymentKey(change));
        break;
    }
    this.status = { ...this.status, changes: this.status.changes + 1 };
    this.dirty = true;
    this.schedule();
  }

  setStatus(status: Partial<Pick<StreamSnapshot, 'state' | 'error' | 'loaded'>>): void {
    const next = { ...this.status, ...status };
    if (status.error === undefined && 'error' in status) delete next.error;
    this.status = next;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame !== undefined) return;
    const publish = () => {
      this.frame = undefined;
      this.publish();
    };
    // Hidden tabs get no animation frames; a timer keeps them current for when they return.
    this.frame =
      typeof document !== 'undefined' && document.visibilityState === 'visible'
        ? requestAnimationFrame(publish)
        : (setTimeout(publish, 100) as unknown as number);
  }

  private publish(): void {
    const deployments = this.dirty ? [...this.rows.values()] : this.snapshot.deployments;
    this.dirty = false;
    this.snapshot = { deployments, ...this.status };
    for (const listener of this.listeners) listener();
  }
}

/**
 * Subscribes to live deployments (in `namespace`, or every namespace the user may list) while
 * the calling component is mounted: the router's deployments.changes subscription, which the
 * API feeds from its watch cache over Server-Sent Events.
 */
export function useDeploymentStream(
  namespace?: string,
  initial?: readonly DeploymentSummary[],
): LiveDeployments {
  const [store] = useState(() => new DeploymentStore(initial));
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let closed = false;
    // The stream could not be opened or was refused (401, 403, the API gone): find out why with
    // a plain request, and show a one-off list so the screen is still useful.
    const fallBack = (reason: unknown) => {
      const controller = new AbortController();
      fetchDeployments(namespace, controller.signal)
        .then((list) => {
          if (closed) return;
          store.apply({ type: 'snapshot', deployments: list.deployments });
          const why = reason instanceof ApiRequestError ? `: ${reason.message}` : '';
          store.setStatus({
            state: 'offline',
            error: `Live updates are not available${why}. Showing a snapshot.`,
          });
        })
        .catch((err: unknown) => {
          if (closed) return;
          if (err instanceof ApiRequestError && err.status === 401) {
            window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
            return;
          }
          store.setStatus({ state: 'offline', error: describeError(err), loaded: true });
        });
    };
    const subscription = trpc.deployments.changes.subscribe(namespace ? { namespace } : {}, {
      onStarted: () => {
        store.setStatus({ state: 'live', error: undefined });
      },
      onData: (change) => {
        store.apply(change);
      },
      onConnectionStateChange: (connection) => {
        if (closed) return;
        if (connection.state === 'pending') store.setStatus({ state: 'live', error: undefined });
        else if (connection.state === 'connecting' && connection.error)
          store.setStatus({ state: 'reconnecting', error: describeError(fromTrpcError(connection.error)) });
      },
      onError: (err) => {
        if (!closed) fallBack(fromTrpcError(err));
      },
    });
    return () => {
      closed = true;
      subscription.unsubscribe();
    };
  }, [store, namespace, attempt]);

  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return {
    ...snapshot,
    reconnect: () => {
      store.setStatus({ state: 'connecting', error: undefined });
      setAttempt((n) => n + 1);
    },
  };
}
