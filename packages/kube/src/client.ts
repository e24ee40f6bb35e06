// A small typed REST client for the Kubernetes API, on undici. We do HTTP ourselves rather
// than through @kubernetes/client-node's generated APIs so that we control what matters to
// a controller: per-request timeouts that never apply to a watch stream, watch streams
// parsed line by line in order, typed Status errors, Retry-After on overload, one
// connection pool per TLS identity, a user agent per caller (apiserver metrics and audit
// logs tell the operator's requests from the API's), and a write gate that a demoted
// leader cannot get past.
import { Agent, fetch, type Dispatcher, type Response } from 'undici';
import { sleep } from './clock.js';
import { Discovery, type ApiResourceList } from './discovery.js';
import {
  KubeApiError,
  KubeConnectionError,
  NotLeaderError,
  isGone,
  isNotFound,
  type KubeStatus,
} from './errors.js';
import type { ClientCertificate } from './credentials.js';
import type { ClusterConnection } from './kubeconfig.js';
import { silentLogger, type Logger } from './logger.js';
import type { KubeList, KubeObject } from './objects.js';
import { apiVersionOf, resourcePath, type ResourceDescriptor } from './resources.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface KubeRequest {
  readonly method?: HttpMethod;
  /** Absolute API path, e.g. /api/v1/namespaces/default/pods. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Serialised as JSON unless it is a string. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal | undefined;
  /** Overrides the client's request timeout (ms); ignored for watches. */
  readonly timeoutMs?: number;
  /** Kubernetes verb for metrics (get, list, watch, create, update, patch, apply, delete). */
  readonly verb?: string;
}

/** What the client tells an observer about each HTTP exchange (for metrics). */
export interface RequestInfo {
  readonly method: HttpMethod;
  readonly verb: string;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly durationMs: number;
  readonly userAgent: string;
}

/**
 * Decides whether a write may be sent now. Returns a signal that aborts in-flight writes
 * when the permission ends (e.g. leadership lost); throws NotLeaderError when refused.
 */
export interface WriteGate {
  assertWritable(): AbortSignal | undefined;
}

export interface KubeClientOptions {
  readonly connection: ClusterConnection;
  /** e.g. "airunway-operator/0.1.0"; the apiserver records it per request. */
  readonly userAgent?: string;
  /** Timeout of each non-watch request (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Retries of reads answered 429 (or 503 with Retry-After) (default 5). */
  readonly maxReadRetries?: number;
  /** Cap on one Retry-After wait (default 30 s). */
  readonly maxRetryAfterMs?: number;
  readonly logger?: Logger;
  readonly observer?: (info: RequestInfo) => void;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface BookmarkObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly resourceVersion: string; readonly annotations?: Record<string, string> };
}

export type WatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly object: BookmarkObject };

interface NamespaceOption {
  readonly namespace?: string | undefined;
}

interface SignalOption {
  readonly signal?: AbortSignal | undefined;
}

export interface GetOptions extends NamespaceOption, SignalOption {}

export interface ListOptions extends NamespaceOption, SignalOption {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly limit?: number | undefined;
  readonly continue?: string | undefined;
  /** "" (default) = most recent; "0" = any (served from the watch cache). */
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan' | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface ListAllOptions extends Omit<ListOptions, 'continue' | 'limit'> {
  /** Items per page (default 500). */
  readonly pageSize?: number;
}

export interface ListAllResult<T> {
  readonly items: T[];
  /** The resourceVersion of the list (watch from here). */
  readonly resourceVersion: string;
}

export interface WatchOptions extends NamespaceOption, SignalOption {
  readonly resourceVersion?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Ask the server to send BOOKMARK events (default true). */
  readonly allowWatchBookmarks?: boolean;
  /** The server closes the watch after this many seconds. */
  readonly timeoutSeconds?: number | undefined;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions extends NamespaceOption, SignalOption {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
  /** How the server treats unknown or duplicate fields (server default: Warn). */
  readonly fieldValidation?: FieldValidation;
}

export interface ApplyOptions extends SignalOption {
  readonly fieldManager: string;
  /** Take over fields other managers own instead of failing with a Conflict. */
  readonly force?: boolean;
  /** Skip discovery when the caller knows the resource. */
  readonly resource?: ResourceDescriptor;
  readonly subresource?: string;
  readonly dryRun?: boolean;
  /** Default Strict: a field the schema does not know is an error, not silently pruned. */
  readonly fieldValidation?: FieldValidation;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions extends WriteOptions {
  readonly type: PatchType;
  readonly subresource?: string;
}

export interface DeleteOptions extends NamespaceOption, SignalOption {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only if the object still has this uid / resourceVersion (else 409 Conflict). */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly gracePeriodSeconds?: number;
  readonly dryRun?: boolean;
}

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

const DEFAULT_USER_AGENT = 'airunway-kube/0.1.0';

const AGENT_OPTIONS = {
  // Streams are bounded by our own timers (request timeout, watch inactivity), not undici's.
  bodyTimeout: 0,
  // HTTP/1.1: one connection per watch, so a connection that dies takes one watch with it,
  // not every watch multiplexed on it; and undici's HTTP/2 session idle timeout surfaces as
  // an uncaught exception (seen in this package's tests).
  allowH2: false,
} as const;

/** How long a pool replaced by a new client certificate takes new requests before closing. */
const RETIRED_POOL_GRACE_MS = 5_000;

/** Connection pools and caches shared by a client and every client derived from it. */
class Transport {
  private agentWithClientCert: Dispatcher | undefined;
  /** The plugin-issued certificate agentWithClientCert presents (compared by identity). */
  private agentCert: ClientCertificate | undefined;
  private agentWithoutClientCert: Dispatcher | undefined;
  /** Pools replaced because the certificate changed, closing as their requests finish. */
  private readonly retired = new Map<Dispatcher, ReturnType<typeof setTimeout>>();
  readonly discovery: Discovery;

  constructor(
    readonly connection: ClusterConnection,
    readonly settings: Required<Omit<KubeClientOptions, 'connection' | 'userAgent' | 'observer'>> & {
      observer: ((info: RequestInfo) => void) | undefined;
    },
    fetchGroupVersion: (apiVersion: string) => Promise<ApiResourceList>,
  ) {
    this.discovery = new Discovery(fetchGroupVersion);
  }

  /**
   * With a client certificate in the TLS handshake the apiserver authenticates the
   * certificate and ignores any bearer token, so a client acting with a user's token must
   * use a pool whose connections carry no certificate. When an exec plugin issues the
   * certificate, a new one gets a new pool; the old pool closes a few seconds later, letting
   * its requests (watches included) finish.
   */
  async agent(withClientCert: boolean): Promise<Dispatcher> {
    const tls = this.connection.tls;
    const connect = {
      ca: tls.ca,
      rejectUnauthorized: tls.rejectUnauthorized,
      servername: tls.servername,
      // Detects dead peers on otherwise idle connections (the OS probes; no bytes of ours).
      keepAlive: true,
      keepAliveInitialDelay: 30_000,
    };
    if (!withClientCert) {
      this.agentWithoutClientCert ??= this.newAgent(connect);
      return this.agentWithoutClientCert;
    }
    const issued = this.connection.clientCertificate ? await this.connection.clientCertificate() : undefined;
    if (this.agentWithClientCert && issued === this.agentCert) return this.agentWithClientCert;
    const previous = this.agentWithClientCert;
    this.agentWithClientCert = this.newAgent({
      ...connect,
      cert: issued?.cert ?? tls.cert,
      key: issued?.key ?? tls.key,
    });
    this.agentCert = issued;
    if (previous) {
      // Not at once: a request may hold the old pool between agent() and fetch().
      const timer = setTimeout(() => {
        this.retired.delete(previous);
        previous.close().catch(() => undefined);
      }, RETIRED_POOL_GRACE_MS);
      timer.unref();
      this.retired.set(previous, timer);
    }
    return this.agentWithClientCert;
  }

  private newAgent(connect: Agent.Options['connect']): Dispatcher {
    const agent = new Agent({ ...AGENT_OPTIONS, connect });
    const repeated = this.connection.repeatedHeaders;
    return repeated ? agent.compose(repeatedHeaderLines(repeated)) : agent;
  }

  async close(): Promise<void> {
    const retired = [...this.retired];
    this.retired.clear();
    await Promise.all([
      this.agentWithClientCert?.close(),
      this.agentWithoutClientCert?.close(),
      ...retired.map(([pool, timer]) => {
        clearTimeout(timer);
        return pool.close();
      }),
    ]);
  }
}

/**
 * fetch joins the values of a header with ", ", and the apiserver reads "a, b" as one
 * Impersonate-Group. This interceptor puts back one header line per value for the headers
 * the connection names (when the joined value is exactly its own).
 */
function repeatedHeaderLines(
  repeated: Readonly<Record<string, readonly string[]>>,
): Dispatcher.DispatcherComposeInterceptor {
  const byName = new Map(
    Object.entries(repeated).map(([name, values]) => [
      name.toLowerCase(),
      { joined: values.join(', '), values },
    ]),
  );
  return (dispatch) => (opts, handler) => {
    const headers = opts.headers;
    if (!headers || typeof headers !== 'object' || Array.isArray(headers) || Symbol.iterator in headers)
      return dispatch(opts, handler);
    let lines: Record<string, string | string[] | undefined> | undefined;
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      const r = byName.get(name.toLowerCase());
      if (r && value === r.joined) {
        lines ??= { ...(headers as Record<string, string | string[] | undefined>) };
        lines[name] = [...r.values];
      }
    }
    return dispatch(lines ? { ...opts, headers: lines } : opts, handler);
  };
}

interface Identity {
  readonly authHeaders: () => Promise<Record<string, string>>;
  readonly withClientCert: boolean;
}

export class KubeClient {
  private readonly transport: Transport;
  private readonly identity: Identity;
  readonly userAgent: string;
  private readonly writeGate: WriteGate | undefined;

  constructor(options: KubeClientOptions) {
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.transport = new Transport(
      options.connection,
      {
        requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
        maxReadRetries: options.maxReadRetries ?? 5,
        maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
        logger: options.logger ?? silentLogger,
        observer: options.observer,
      },
      (apiVersion) =>
        this.request<ApiResourceList>({
          path: apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
          verb: 'get',
        }),
    );
    this.identity = { authHeaders: () => options.connection.authHeaders(), withClientCert: true };
    this.writeGate = undefined;
  }

  get connection(): ClusterConnection {
    return this.transport.connection;
  }

  /** apiVersion+kind → resource lookups (cached; shared by derived clients). */
  get discovery(): Discovery {
    return this.transport.discovery;
  }

  /**
   * A sibling client: same transport (connection pools, discovery cache), different
   * identity, user agent or write gate. Built without the constructor, which would create
   * a new transport; every field is assigned here.
   */
  private derive(changes: {
    userAgent?: string;
    identity?: Identity;
    gate?: WriteGate | undefined;
  }): KubeClient {
    const derived = Object.create(KubeClient.prototype) as KubeClient;
    const fields: Pick<KubeClient, 'userAgent'> & {
      transport: Transport;
      identity: Identity;
      writeGate: WriteGate | undefined;
    } = {
      transport: this.transport,
      identity: changes.identity ?? this.identity,
      userAgent: changes.userAgent ?? this.userAgent,
      writeGate: 'gate' in changes ? changes.gate : this.writeGate,
    };
    return Object.assign(derived, fields);
  }

  /**
   * A client that acts as the holder of `token` (the API acting for a user), sharing
   * connections and caches with this one. The kubeconfig's client certificate is not
   * presented, or the apiserver would authenticate the certificate instead of the token.
   */
  withToken(token: string): KubeClient {
    const headers = { Authorization: `Bearer ${token}` };
    return this.derive({
      identity: { authHeaders: () => Promise.resolve(headers), withClientCert: false },
    });
  }

  withUserAgent(userAgent: string): KubeClient {
    return this.derive({ userAgent });
  }

  /** A client whose writes (anything but GET) must pass `gate` first, e.g. a LeaderElector. */
  withWriteGate(gate: WriteGate | undefined): KubeClient {
    return this.derive({ gate });
  }

  /** Closes pooled connections (for process shutdown; derived clients share them). */
  close(): Promise<void> {
    return this.transport.close();
  }

  // ---------------------------------------------------------------------------------------
  // Typed operations

  get<T extends KubeObject>(
    resource: ResourceDescriptor,
    name: string,
    options: GetOptions = {},
  ): Promise<T> {
    return this.request<T>({
      path: resourcePath(resource, { namespace: options.namespace, name }),
      signal: options.signal,
      verb: 'get',
    });
  }

  /** Like get() but undefined instead of a NotFound error. */
  async tryGet<T extends KubeObject>(
    resource: ResourceDescriptor,
    name: string,
    options: GetOptions = {},
  ): Promise<T | undefined> {
    try {
      return await this.get<T>(resource, name, options);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * One page of a list; pass `limit` and the returned `metadata.continue` to page. Items get
   * apiVersion and kind filled in: the apiserver leaves them out of list items (watch events
   * carry them), and a cache holding both shapes would hand out objects that cannot be
   * applied or used as owners.
   */
  async list<T extends KubeObject>(
    resource: ResourceDescriptor,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    const list = await this.request<KubeList<T>>({
      path: resourcePath(resource, { namespace: options.namespace }),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
        resourceVersionMatch: options.resourceVersionMatch,
      },
      signal: options.signal,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      verb: 'list',
    });
    const apiVersion = list.apiVersion ?? apiVersionOf(resource);
    const kind = list.kind?.endsWith('List') ? list.kind.slice(0, -'List'.length) : resource.kind;
    for (const item of list.items) {
      item.apiVersion ??= apiVersion;
      if (kind) item.kind ??= kind;
    }
    return list;
  }

  /**
   * Every item, page by page, with the list's resourceVersion (a consistent snapshot). If a
   * continue token expires mid-way (410), it falls back to one unpaginated list, as
   * client-go's pager does, rather than stitching pages of two different snapshots.
   */
  async listAll<T extends KubeObject>(
    resource: ResourceDescriptor,
    options: ListAllOptions = {},
  ): Promise<ListAllResult<T>> {
    const pageSize = options.pageSize ?? 500;
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const page = await this.list<T>(resource, {
          ...options,
          limit: pageSize,
          continue: continueToken,
          // resourceVersion applies to the first page only; the token pins the snapshot.
          resourceVersion: continueToken ? undefined : options.resourceVersion,
          resourceVersionMatch: continueToken ? undefined : options.resourceVersionMatch,
        });
        for (const item of page.items) items.push(item);
        resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
        continueToken = page.metadata.continue || undefined;
      } while (continueToken);
      return { items, resourceVersion };
    } catch (err) {
      if (!continueToken || !isGone(err)) throw err;
      const full = await this.list<T>(resource, { ...options, limit: undefined, continue: undefined });
      return { items: full.items, resourceVersion: full.metadata.resourceVersion ?? '' };
    }
  }

  create<T extends KubeObject>(resource: ResourceDescriptor, obj: T, options: WriteOptions = {}): Promise<T> {
    return this.request<T>({
      method: 'POST',
      path: resourcePath(resource, { namespace: options.namespace ?? obj.metadata.namespace }),
      query: writeQuery(options),
      body: withTypeMeta(resource, obj),
      signal: options.signal,
      verb: 'create',
    });
  }

  /** PUT: replaces the object; metadata.resourceVersion makes it conditional (409 if stale). */
  replace<T extends KubeObject>(
    resource: ResourceDescriptor,
    obj: T,
    options: WriteOptions & { subresource?: string } = {},
  ): Promise<T> {
    const name = obj.metadata.name;
    if (!name) throw new Error('replace: metadata.name is required');
    return this.request<T>({
      method: 'PUT',
      path: resourcePath(resource, {
        namespace: options.namespace ?? obj.metadata.namespace,
        name,
        subresource: options.subresource,
      }),
      query: writeQuery(options),
      body: withTypeMeta(resource, obj),
      signal: options.signal,
      verb: 'update',
    });
  }

  patch<T extends KubeObject>(
    resource: ResourceDescriptor,
    name: string,
    patch: unknown,
    options: PatchOptions,
  ): Promise<T> {
    return this.request<T>({
      method: 'PATCH',
      path: resourcePath(resource, { namespace: options.namespace, name, subresource: options.subresource }),
      query: writeQuery(options),
      body: patch,
      contentType: PATCH_CONTENT_TYPE[options.type],
      signal: options.signal,
      verb: 'patch',
    });
  }

  /**
   * Deletes an object. Answers the object (when finalizers keep it for now) or a Status
   * (when it is gone).
   */
  delete(
    resource: ResourceDescriptor,
    name: string,
    options: DeleteOptions = {},
  ): Promise<KubeObject | KubeStatus> {
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.preconditions ? { preconditions: options.preconditions } : {}),
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    };
    return this.request<KubeObject | KubeStatus>({
      method: 'DELETE',
      path: resourcePath(resource, { namespace: options.namespace, name }),
      query: { dryRun: options.dryRun ? 'All' : undefined },
      body,
      signal: options.signal,
      verb: 'delete',
    });
  }

  /**
   * Server-side apply: sends the fields this manager wants to own; the server merges them,
   * removes fields the manager owned before but no longer sends, and reports conflicts
   * with other managers (unless `force`). The resource comes from discovery unless given.
   */
  async apply<T extends KubeObject>(obj: T, options: ApplyOptions): Promise<T> {
    const resource = options.resource ?? (await this.resourceFor(obj));
    const { name, namespace } = obj.metadata;
    if (!name) throw new Error('apply: metadata.name is required');
    return this.request<T>({
      method: 'PATCH',
      path: resourcePath(resource, { namespace, name, subresource: options.subresource }),
      query: {
        fieldManager: options.fieldManager,
        force: options.force ? true : undefined,
        dryRun: options.dryRun ? 'All' : undefined,
        fieldValidation: options.fieldValidation ?? 'Strict',
      },
      body: withTypeMeta(resource, obj),
      // JSON is YAML; the apiserver accepts it under the apply content type.
      contentType: 'application/apply-patch+yaml',
      signal: options.signal,
      verb: 'apply',
    });
  }

  /** Server-side apply to the status subresource (only status fields are taken). */
  applyStatus<T extends KubeObject>(obj: T, options: Omit<ApplyOptions, 'subresource'>): Promise<T> {
    return this.apply(obj, { ...options, subresource: 'status' });
  }

  /** The resource of an object's apiVersion+kind, from discovery. */
  resourceFor(obj: { apiVersion?: string; kind?: string }): Promise<ResourceDescriptor> {
    if (!obj.apiVersion || !obj.kind) throw new Error('apiVersion and kind are required to find a resource');
    return this.transport.discovery.resolve(obj.apiVersion, obj.kind);
  }

  /**
   * Opens a watch. Resolves once the server has accepted it (response headers received)
   * with its events, in server order. ERROR events are thrown as KubeApiError (410 Gone
   * included); non-2xx answers reject here. The stream ends when the server closes it
   * (timeoutSeconds); abort `signal` to stop it earlier.
   */
  async openWatch<T extends KubeObject>(
    resource: ResourceDescriptor,
    options: WatchOptions = {},
  ): Promise<AsyncGenerator<WatchEvent<T>, void, undefined>> {
    const path = resourcePath(resource, { namespace: options.namespace });
    const response = await this.exchange(
      {
        path,
        query: {
          watch: true,
          resourceVersion: options.resourceVersion,
          allowWatchBookmarks: options.allowWatchBookmarks ?? true,
          timeoutSeconds: options.timeoutSeconds,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
        },
        signal: options.signal,
        verb: 'watch',
      },
      true,
    );
    return readWatchEvents<T>(response, path, options.signal);
  }

  /** openWatch() as one async iterable (the request is sent on the first iteration). */
  async *watch<T extends KubeObject>(
    resource: ResourceDescriptor,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>, void, undefined> {
    yield* await this.openWatch<T>(resource, options);
  }

  // ---------------------------------------------------------------------------------------
  // Raw requests

  /** Any API request; JSON in, JSON out (undefined for an empty body). */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const response = await this.exchange(req, false);
    return response.json as T;
  }

  /**
   * A request whose answer is not JSON (pod logs, text through the apiserver's proxy): the 2xx
   * Response with its body unread; a KubeApiError otherwise. Bound it with `req.signal`.
   */
  requestStream(req: KubeRequest): Promise<Response> {
    return this.exchange(req, true);
  }

  private exchange(req: KubeRequest, stream: true): Promise<Response>;
  private exchange(req: KubeRequest, stream: false): Promise<{ json: unknown }>;
  private async exchange(req: KubeRequest, stream: boolean): Promise<Response | { json: unknown }> {
    const method = req.method ?? 'GET';
    const verb = req.verb ?? method.toLowerCase();
    const pathWithQuery = req.path + queryString(req.query);
    const url = this.transport.connection.server + pathWithQuery;
    const settings = this.transport.settings;
    const isRead = method === 'GET';

    // A demoted leader must not write: refuse before sending, abort what is in flight.
    const gateSignal = isRead ? undefined : this.writeGate?.assertWritable();

    const headers: Record<string, string> = {
      ...(await this.identity.authHeaders()),
      'User-Agent': this.userAgent,
      Accept: 'application/json',
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? 'application/json';
    }

    for (let attempt = 0; ; attempt++) {
      // May run an exec credential plugin (a certificate it issues selects the pool).
      const dispatcher = await this.transport.agent(this.identity.withClientCert);
      const timeoutMs = req.timeoutMs ?? settings.requestTimeoutMs;
      const timeout = stream ? undefined : AbortSignal.timeout(timeoutMs);
      const signals = [req.signal, gateSignal, timeout].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
      const started = performance.now();
      let status = 0;
      const observe = () => {
        settings.observer?.({
          method,
          verb,
          status,
          durationMs: performance.now() - started,
          userAgent: this.userAgent,
        });
      };
      const fail = (err: unknown): never => {
        observe();
        if (req.signal?.aborted) throw abortReason(req.signal, err);
        if (gateSignal?.aborted)
          throw new NotLeaderError(`${method} ${req.path}: aborted, this process is no longer the leader`, {
            cause: err,
          });
        if (timeout?.aborted)
          throw new KubeConnectionError(`${method} ${req.path}: no answer within ${timeoutMs} ms`, {
            method,
            path: pathWithQuery,
            cause: err,
            timedOut: true,
          });
        throw new KubeConnectionError(`${method} ${req.path}: ${describe(err)}`, {
          method,
          path: pathWithQuery,
          cause: err,
        });
      };

      let response: Response;
      let text: string;
      try {
        response = await fetch(url, { method, headers, body, signal, dispatcher });
        status = response.status;
        if (response.ok && stream) {
          observe();
          return response;
        }
        text = await response.text();
      } catch (err) {
        return fail(err);
      }
      observe();

      if (response.ok) {
        if (!text) return { json: undefined };
        try {
          return { json: JSON.parse(text) as unknown };
        } catch (err) {
          throw new KubeConnectionError(`${method} ${req.path}: answer is not JSON`, {
            method,
            path: pathWithQuery,
            cause: err,
          });
        }
      }

      const error = apiError(response, text, method, pathWithQuery);
      const retryable =
        isRead &&
        attempt < settings.maxReadRetries &&
        (response.status === 429 || (response.status === 503 && error.retryAfterSeconds !== undefined));
      if (!retryable) throw error;
      const waitMs = Math.min(settings.maxRetryAfterMs, (error.retryAfterSeconds ?? 1) * 1000);
      settings.logger.debug('apiserver asked to retry later', {
        method,
        path: req.path,
        status: response.status,
        waitMs,
        attempt: attempt + 1,
      });
      await sleep(waitMs, req.signal);
      if (req.signal?.aborted) throw abortReason(req.signal, error);
    }
  }
}

function queryString(query: KubeRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function writeQuery(options: WriteOptions): Record<string, QueryValue> {
  return {
    fieldManager: options.fieldManager,
    dryRun: options.dryRun ? 'All' : undefined,
    fieldValidation: options.fieldValidation,
  };
}

/** Fills apiVersion/kind from the descriptor when the caller left them out. */
function withTypeMeta<T extends KubeObject>(resource: ResourceDescriptor, obj: T): T {
  if (obj.apiVersion && obj.kind) return obj;
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(resource), kind: obj.kind ?? resource.kind };
}

function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function apiError(response: Response, text: string, method: string, path: string): KubeApiError {
  const retryAfter = retryAfterSeconds(response);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const status = parsed as KubeStatus | undefined;
  if (status && typeof status === 'object' && status.kind === 'Status') {
    return KubeApiError.fromStatus(status, {
      httpStatus: response.status,
      method,
      path,
      retryAfterSeconds: retryAfter,
    });
  }
  const snippet = text.trim().slice(0, 200);
  return new KubeApiError({
    status: response.status,
    message: `${method} ${path}: HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
    retryAfterSeconds: retryAfter,
    method,
    path,
  });
}

/** Newline-delimited JSON watch events from a streaming response body. */
async function* readWatchEvents<T>(
  response: Response,
  path: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const method = 'GET';
  const body = response.body;
  if (!body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  const lines = function* (text: string) {
    for (const line of text.split('\n')) if (line.trim()) yield parseWatchLine<T>(line, method, path);
  };
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const nl = buffer.lastIndexOf('\n');
      if (nl < 0) continue;
      const complete = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      yield* lines(complete);
    }
    buffer += decoder.decode();
    yield* lines(buffer);
  } catch (err) {
    if (err instanceof KubeApiError) throw err;
    if (signal?.aborted) throw abortReason(signal, err);
    throw new KubeConnectionError(`watch ${path}: stream broken: ${describe(err)}`, {
      method,
      path,
      cause: err,
    });
  }
}

function parseWatchLine<T>(line: string, method: string, path: string): WatchEvent<T> {
  let event: { type?: string; object?: KubeStatus };
  try {
    event = JSON.parse(line) as { type?: string; object?: KubeStatus };
  } catch (err) {
    throw new KubeConnectionError(`watch ${path}: unparseable event`, { method, path, cause: err });
  }
  if (event.type === 'ERROR') {
    const status: KubeStatus = event.object ?? {};
    throw KubeApiError.fromStatus(status, { method, path });
  }
  if (
    event.type !== 'ADDED' &&
    event.type !== 'MODIFIED' &&
    event.type !== 'DELETED' &&
    event.type !== 'BOOKMARK'
  ) {
    throw new KubeConnectionError(`watch ${path}: unknown event type ${String(event.type)}`, {
      method,
      path,
    });
  }
  return event as WatchEvent<T>;
}

function abortReason(signal: AbortSignal, fallback: unknown): unknown {
  return (signal.reason as unknown) ?? fallback;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
