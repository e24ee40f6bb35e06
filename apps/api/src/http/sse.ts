// Server-Sent Events from an async source: each item an event, a comment line as heartbeat
// (so proxies keep the connection and clients notice a dead one), and a clean end — a final
// `close` event when the server shuts down, the source stopped when the client goes away.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { toApiError } from '../errors.js';

export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
  readonly id?: string;
}

export interface SseOptions {
  readonly heartbeatMs: number;
  /** Aborted when the server shuts down. */
  readonly closing: AbortSignal;
  /** How long a client waits before reconnecting (the SSE `retry` field). */
  readonly retryMs?: number;
}

/**
 * Streams what `open(signal)` yields. `signal` aborts when the client disconnects or the server
 * closes; the source must end then.
 */
export function sse(
  c: Context,
  open: (signal: AbortSignal) => AsyncIterable<SseEvent>,
  options: SseOptions,
): Response {
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const done = new AbortController();
    const signal = AbortSignal.any([done.signal, c.req.raw.signal, options.closing]);
    stream.onAbort(() => {
      done.abort();
    });
    const heartbeat = setInterval(() => {
      stream.write(': heartbeat\n\n').catch(() => {
        done.abort();
      });
    }, options.heartbeatMs);
    try {
      await stream.writeSSE({ event: 'open', data: '{}', retry: options.retryMs ?? 3_000 });
      try {
        for await (const item of open(signal)) {
          if (signal.aborted) break;
          await stream.writeSSE({
            event: item.event,
            data: JSON.stringify(item.data),
            ...(item.id ? { id: item.id } : {}),
          });
        }
      } catch (err) {
        // The status line is gone: a failure after the first event travels as an event.
        if (!stream.aborted)
          await stream.writeSSE({ event: 'error', data: JSON.stringify(toApiError(err).toBody()) });
      }
      if (options.closing.aborted && !stream.aborted)
        await stream.writeSSE({ event: 'close', data: JSON.stringify({ reason: 'server shutting down' }) });
    } finally {
      clearInterval(heartbeat);
      done.abort();
    }
  });
}
