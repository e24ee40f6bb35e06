// Runs tasks one at a time, in the order they were pushed. Each informer handler gets its
// own executor: events reach a handler strictly in watch order and never overlap, even when
// the handler is async — the failure mode of watch clients whose stream callback is an
// `async` EventEmitter listener (events from two chunks interleave). A slow handler delays
// only itself, never the cache or other handlers (as client-go's per-listener buffers).

export class SerialExecutor {
  private tasks: ((() => unknown) | undefined)[] = [];
  private head = 0;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  get pending(): number {
    return this.tasks.length - this.head;
  }

  push(task: () => unknown): void {
    if (this.stopped) return;
    this.tasks.push(task);
    this.running ??= this.drain();
  }

  /** Drops queued tasks and waits for the one running, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.tasks = [];
    this.head = 0;
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.head < this.tasks.length) {
        const task = this.tasks[this.head];
        this.tasks[this.head++] = undefined;
        if (this.head > 1024 && this.head * 2 > this.tasks.length) {
          this.tasks = this.tasks.slice(this.head);
          this.head = 0;
        }
        try {
          await task?.();
        } catch (err) {
          this.onError(err);
        }
      }
    } finally {
      this.tasks = [];
      this.head = 0;
      this.running = undefined;
    }
  }
}
