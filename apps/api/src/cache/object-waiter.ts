// Read-your-writes over a watch cache: after a write, wait until the informer has seen the
// result, so the next read of the cache returns what was just written. One event handler per
// informer, whatever the number of waiters.
import { keyOf, type Informer, type KubeObject, type ObjectKey } from '@airunway/kube';

interface Waiter<T> {
  readonly done: (obj: T | undefined) => boolean;
  readonly resolve: (seen: boolean) => void;
}

export class ObjectWaiter<T extends KubeObject> {
  private readonly waiters = new Map<ObjectKey, Set<Waiter<T>>>();
  private registered = false;

  constructor(private readonly informer: Informer<T>) {}

  /**
   * Resolves true once the cached object under namespace/name satisfies `done` (it receives
   * undefined while the object is absent), or false after `timeoutMs`.
   */
  waitFor(
    namespace: string | undefined,
    name: string,
    done: (obj: T | undefined) => boolean,
    timeoutMs = 5_000,
  ): Promise<boolean> {
    if (done(this.informer.get(namespace, name))) return Promise.resolve(true);
    this.register();
    const key = keyOf(namespace, name);
    return new Promise<boolean>((resolve) => {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const waiter: Waiter<T> = {
        done,
        resolve: (seen) => {
          clearTimeout(timer);
          set.delete(waiter);
          if (set.size === 0) this.waiters.delete(key);
          resolve(seen);
        },
      };
      const timer = setTimeout(() => {
        waiter.resolve(false);
      }, timeoutMs);
      set.add(waiter);
      // The event may have arrived between the first check and now.
      if (done(this.informer.get(namespace, name))) waiter.resolve(true);
    });
  }

  /** Resolves once the cache holds `written` or something newer (by resourceVersion). */
  waitForVersion(written: T, timeoutMs?: number): Promise<boolean> {
    const rv = written.metadata.resourceVersion;
    return this.waitFor(
      written.metadata.namespace,
      written.metadata.name ?? '',
      (cached) => cached !== undefined && isAtLeast(cached.metadata.resourceVersion, rv),
      timeoutMs,
    );
  }

  private register(): void {
    if (this.registered) return;
    this.registered = true;
    const check = (obj: T, deleted: boolean) => {
      const set = this.waiters.get(keyOf(obj.metadata.namespace, obj.metadata.name ?? ''));
      if (!set) return;
      for (const w of [...set]) if (w.done(deleted ? undefined : obj)) w.resolve(true);
    };
    this.informer.addEventHandler({
      onAdd: (obj) => {
        check(obj, false);
      },
      onUpdate: (_old, obj) => {
        check(obj, false);
      },
      onDelete: (obj) => {
        check(obj, true);
      },
    });
  }
}

/**
 * resourceVersions are opaque, but etcd's are integers that only grow; comparing them is the
 * only way to know "this write or a later one". Anything else compares by equality.
 */
function isAtLeast(cached: string | undefined, written: string | undefined): boolean {
  if (cached === undefined || written === undefined) return false;
  if (/^\d+$/.test(cached) && /^\d+$/.test(written)) return BigInt(cached) >= BigInt(written);
  return cached === written;
}
