// The response of an install or uninstall. By default one JSON object when the work is done
// (the documented shape, or the error with its status). With `Accept: application/x-ndjson`
// the work streams as it happens: one InstallEvent per line, ending with a `result` or an
// `error` event — NDJSON rather than SSE because these are POSTs, which EventSource cannot
// send, and a fetch reader splits lines as easily. Once started, the work runs to its end even
// if the client goes away: a Helm run stopped half-way leaves a release to repair.
import { INSTALL_STREAM_CONTENT_TYPE, type InstallEvent } from '@airunway/schema';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { toApiError } from '../errors.js';
import type { Operation } from '../installation/operation.js';
import type { AppEnv } from './context.js';

export function wantsStream(c: Context<AppEnv>): boolean {
  return (c.req.header('Accept') ?? '').includes(INSTALL_STREAM_CONTENT_TYPE);
}

export async function respondWithOperation<T extends object>(
  c: Context<AppEnv>,
  work: Operation<T>,
): Promise<Response> {
  if (!wantsStream(c)) return c.json(await work.run(() => undefined));

  c.header('Content-Type', INSTALL_STREAM_CONTENT_TYPE);
  c.header('Cache-Control', 'no-cache');
  c.header('X-Accel-Buffering', 'no');
  return stream(c, async (out) => {
    // Events come synchronously from the work; writes are chained so they keep their order
    // and a client that went away only loses the rest of the stream.
    let written: Promise<unknown> = Promise.resolve();
    const send = (event: InstallEvent) => {
      const line = `${JSON.stringify(event)}\n`;
      written = written.then(() => (out.aborted ? undefined : out.write(line))).catch(() => undefined);
    };
    try {
      const result = await work.run(send);
      send({ event: 'result', status: 200, result: result as Record<string, unknown> });
    } catch (err) {
      const failure = toApiError(err);
      send({ event: 'error', status: failure.status, error: failure.toBody() });
    }
    await written;
  });
}
