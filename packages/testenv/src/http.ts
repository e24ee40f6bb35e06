import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface ProbeOptions {
  /** PEM CA bundle to verify the server with; omitted = do not verify (self-signed component certs). */
  readonly ca?: string;
  readonly token?: string;
}

/** GET a URL and return status and body; never throws for HTTP errors, only for network errors. */
export function get(url: string, options: ProbeOptions = {}): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? request : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'GET',
        ca: options.ca,
        rejectUnauthorized: options.ca !== undefined,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        timeout: 5_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: GET ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls `url` until it answers 200, the process it belongs to exits, or the deadline
 * passes. The error names the component and its log file, which is where the cause is.
 */
export async function waitHealthy(
  component: string,
  url: string,
  options: ProbeOptions & { timeoutMs: number; exited?: Promise<unknown>; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const child = { exited: false };
  void options.exited?.then(() => {
    child.exited = true;
  });
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exited)
      throw new Error(`${component} exited during start-up; see ${options.logFile ?? 'its log'}`);
    try {
      const res = await get(url, options);
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${component} not healthy at ${url} after ${options.timeoutMs} ms (${last}); see ${options.logFile ?? 'its log'}`,
  );
}
