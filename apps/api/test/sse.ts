// Reads a Server-Sent Events response as the browser's EventSource would: events with their
// name and parsed data, comments (heartbeats) counted.
export interface ReadEvent {
  readonly event: string;
  readonly data: any;
}

export class SseReader {
  readonly events: ReadEvent[] = [];
  comments = 0;
  ended = false;
  private waiters: (() => void)[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  constructor(response: Response) {
    this.reader = response.body?.getReader();
    void this.pump();
  }

  /** Disconnects, as a browser closing the page. */
  async close(): Promise<void> {
    await this.reader?.cancel();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const chunk = await this.reader?.read();
        if (!chunk || chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // cancelled by the test
    }
    this.ended = true;
    this.notify();
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments++;
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) });
    this.notify();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** The first event (from `from` on) that matches, waiting up to `timeoutMs`. */
  async next(match: (e: ReadEvent) => boolean, from = 0, timeoutMs = 10_000): Promise<ReadEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.ended)
        throw new Error(
          `stream ended without the event; got ${JSON.stringify(this.events.map((e) => e.event))}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no such event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`,
        );
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  }
}
