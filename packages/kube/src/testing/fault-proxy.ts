// A fault-injecting HTTP proxy in front of a real apiserver, for tests of what the network
// does to watches: connections cut mid-stream, connections that go silent without closing
// (the half-open TCP that stops client-node informers without an error), an apiserver that
// refuses connections, and chosen answers (410 Gone, 429 with Retry-After) in the exact
// format the apiserver uses. Everything else is forwarded unchanged to the real apiserver.
// Clients talk plain HTTP to the proxy (loopback only); the proxy talks TLS upstream.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Agent, request } from 'undici';

export type ProxyMode =
  /** Forward everything. */
  | 'pass'
  /** Refuse: every new request's connection is destroyed at once (apiserver down). */
  | 'down'
  /** Accept requests and never answer them (a network that drops packets). */
  | 'blackhole';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly watch: boolean;
  readonly userAgent: string | undefined;
  readonly at: number;
}

export interface InjectedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Injection {
  readonly match: (req: RecordedRequest) => boolean;
  /** How many matching requests get this answer (default 1). */
  readonly times?: number;
  readonly respond: InjectedResponse;
}

export interface FaultProxyOptions {
  /** The real apiserver, e.g. https://127.0.0.1:6443. */
  readonly upstream: string;
  /** CA to verify the upstream with. */
  readonly ca?: string | Buffer;
}

interface InFlight {
  readonly res: ServerResponse;
  silenced: boolean;
  destroyUpstream(): void;
}

/** The body a real apiserver sends in a watch ERROR event for an expired resourceVersion. */
export function expiredStatus(resourceVersion = '1'): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${resourceVersion} (${Number(resourceVersion) + 1000})`,
    reason: 'Expired',
    code: 410,
  };
}

/** A watch answer that is one ERROR event with 410 Expired, as the watch cache sends it. */
export function watchGoneEvent(): InjectedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: `${JSON.stringify({ type: 'ERROR', object: expiredStatus() })}\n`,
  };
}

/** An HTTP 410 answer with the Status body (as served when the watch cache is bypassed). */
export function httpGone(): InjectedResponse {
  return {
    status: 410,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(expiredStatus()),
  };
}

export function tooManyRequests(retryAfterSeconds: number): InjectedResponse {
  return {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) },
    body: JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds },
      code: 429,
    }),
  };
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

export class FaultProxy {
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<InFlight>();
  private readonly held = new Set<ServerResponse>();
  private readonly recorded: RecordedRequest[] = [];
  private injections: { injection: Injection; left: number }[] = [];
  private currentMode: ProxyMode = 'pass';

  private readonly server = createServer((req, res) => {
    void this.handle(req, res);
  });

  private constructor(
    private readonly upstream: string,
    private readonly agent: Agent,
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const agent = new Agent({
      connect: { ca: options.ca },
      bodyTimeout: 0,
      headersTimeout: 0,
      allowH2: false,
    });
    const proxy = new FaultProxy(options.upstream.replace(/\/+$/, ''), agent);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** http://127.0.0.1:<port> */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get mode(): ProxyMode {
    return this.currentMode;
  }

  /** Switches mode for new requests; 'down' also cuts current connections. */
  setMode(mode: ProxyMode): void {
    this.currentMode = mode;
    if (mode === 'down') this.cutConnections();
  }

  /** Destroys every client connection: in-flight requests and watches fail at once. */
  cutConnections(): void {
    for (const f of this.inFlight) f.destroyUpstream();
    for (const s of this.sockets) s.destroy();
  }

  /**
   * In-flight responses stop forwarding bytes and never end, but their connections stay
   * open: to the client this is a watch that went silent (half-open TCP). New requests are
   * not affected.
   */
  silenceInFlight(): void {
    for (const f of this.inFlight) f.silenced = true;
  }

  /** Answers the next `times` matching requests with `respond` instead of forwarding them. */
  inject(injection: Injection): void {
    this.injections.push({ injection, left: injection.times ?? 1 });
  }

  requests(): readonly RecordedRequest[] {
    return this.recorded;
  }

  count(predicate: (req: RecordedRequest) => boolean): number {
    return this.recorded.filter(predicate).length;
  }

  async close(): Promise<void> {
    this.cutConnections();
    for (const res of this.held) res.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    await this.agent.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      watch: url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1',
      userAgent: req.headers['user-agent'],
      at: Date.now(),
    };
    this.recorded.push(recorded);

    if (this.currentMode === 'down') {
      req.socket.destroy();
      return;
    }
    if (this.currentMode === 'blackhole') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    const injected = this.injections.find((i) => i.left > 0 && i.injection.match(recorded));
    if (injected) {
      injected.left--;
      this.injections = this.injections.filter((i) => i.left > 0);
      res.writeHead(injected.injection.respond.status, injected.injection.respond.headers ?? {});
      res.end(injected.injection.respond.body);
      return;
    }

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;

    const abort = new AbortController();
    const flight: InFlight = {
      res,
      silenced: false,
      destroyUpstream: () => {
        abort.abort();
      },
    };
    this.inFlight.add(flight);
    res.on('close', () => {
      abort.abort();
      this.inFlight.delete(flight);
    });
    try {
      const upstream = await request(this.upstream + (req.url ?? '/'), {
        method: recorded.method as 'GET',
        headers,
        body: chunks.length ? Buffer.concat(chunks) : null,
        dispatcher: this.agent,
        signal: abort.signal,
      });
      const outHeaders: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(upstream.headers))
        if (v !== undefined && !HOP_BY_HOP.has(k)) outHeaders[k] = v;
      if (!flight.silenced) {
        res.writeHead(upstream.statusCode, outHeaders);
        res.flushHeaders(); // a watch sends headers before its first event; so must we
      }
      for await (const chunk of upstream.body) {
        if (!flight.silenced) res.write(chunk as Buffer);
      }
      if (!flight.silenced) res.end();
    } catch {
      if (!flight.silenced) res.destroy();
    }
  }
}
