// One install or uninstall per target at a time in this process: two concurrent Helm runs on
// one release would fail half-way with "another operation is in progress" and leave a release
// to repair. A second request is refused at once with CONFLICT instead.
import { ApiError } from '../errors.js';

export class OperationLocks {
  private readonly held = new Map<string, string>();

  /** Takes the lock of `target` (e.g. "provider/kuberay") for `what`; returns its release. */
  acquire(target: string, what: string): () => void {
    const running = this.held.get(target);
    if (running !== undefined)
      throw new ApiError('CONFLICT', `${running} is already in progress; wait for it to finish`, { target });
    this.held.set(target, what);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held.delete(target);
    };
  }
}
