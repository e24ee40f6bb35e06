// Typed errors of cluster access. Every non-2xx answer of the apiserver becomes a
// KubeApiError carrying the Kubernetes Status (reason, message, causes), so callers branch
// on `reason` (NotFound, Conflict, Invalid, …) and the API can turn causes into precise
// field messages. Failures below HTTP (refused, reset, TLS, timeout) are a different
// thing — the cluster is unreachable — and get their own class.

/** metav1.StatusReason values (plus any reason a newer server may send). */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Invalid'
  | 'Gone'
  | 'Expired'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'ServerTimeout'
  | 'Unknown'
  | (string & {});

export interface StatusCause {
  /** e.g. "FieldValueInvalid", "FieldValueRequired", "FieldManagerConflict". */
  readonly reason?: string;
  readonly message?: string;
  /** e.g. "metadata.name" or "spec.containers[0].image". */
  readonly field?: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

/** The metav1.Status object the apiserver returns for failures. */
export interface KubeStatus {
  readonly kind?: 'Status';
  readonly apiVersion?: string;
  readonly metadata?: Record<string, unknown>;
  readonly status?: 'Success' | 'Failure' | (string & {});
  readonly message?: string;
  readonly reason?: StatusReason;
  readonly details?: StatusDetails;
  readonly code?: number;
}

/** HTTP status → reason, for answers that carry no Status body (as client-go does). */
const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  /** HTTP status code (for watch ERROR events: the Status code). */
  readonly status: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;
  /** From the Retry-After header or details.retryAfterSeconds, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;
  readonly method: string;
  /** Request path including the query string (no credentials ever appear in it). */
  readonly path: string;

  constructor(init: {
    status: number;
    reason?: StatusReason | undefined;
    message?: string | undefined;
    details?: StatusDetails | undefined;
    retryAfterSeconds?: number | undefined;
    method: string;
    path: string;
  }) {
    const reason = init.reason || REASON_BY_CODE[init.status] || 'Unknown';
    super(init.message || `${init.method} ${init.path}: HTTP ${init.status} ${reason}`);
    this.status = init.status;
    this.reason = reason;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds ?? init.details?.retryAfterSeconds;
    this.method = init.method;
    this.path = init.path;
  }

  /** Field-level causes (empty when the server gave none). */
  get causes(): readonly StatusCause[] {
    return this.details?.causes ?? [];
  }

  static fromStatus(
    status: KubeStatus,
    context: { httpStatus?: number; method: string; path: string; retryAfterSeconds?: number | undefined },
  ): KubeApiError {
    let reason = status.reason;
    // Server-side apply answers an object that does not fit the schema (an unknown field)
    // with a reason-less 500. It is the caller's mistake and retrying cannot fix it, so it
    // must not look like a transient InternalError.
    if (!reason && status.message?.includes('failed to create typed patch object')) reason = 'Invalid';
    return new KubeApiError({
      status: status.code ?? context.httpStatus ?? 500,
      reason,
      message: status.message,
      details: status.details,
      retryAfterSeconds: context.retryAfterSeconds,
      method: context.method,
      path: context.path,
    });
  }
}

/** The cluster could not be reached or did not answer in time: no HTTP status exists. */
export class KubeConnectionError extends Error {
  override readonly name = 'KubeConnectionError';
  readonly method: string;
  readonly path: string;
  /** True when our own request timeout fired (not a refused or reset connection). */
  readonly timedOut: boolean;

  constructor(message: string, init: { method: string; path: string; cause?: unknown; timedOut?: boolean }) {
    super(message, { cause: init.cause });
    this.method = init.method;
    this.path = init.path;
    this.timedOut = init.timedOut ?? false;
  }
}

/** A write was refused because this process is not (or no longer) the leader. */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
}

/**
 * A kubeconfig, the in-cluster service account or a credential plugin could not give us a
 * connection or credentials. Messages name files, contexts, clusters, users and commands,
 * never a token, password or key.
 */
export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

/** No API resource serves this apiVersion/kind (typically: its CRD is not installed). */
export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
  readonly apiVersion: string;
  readonly kind: string;

  constructor(apiVersion: string, kind: string, hint?: string) {
    super(`no API resource serves kind ${kind} in ${apiVersion}${hint ? ` (${hint})` : ''}`);
    this.apiVersion = apiVersion;
    this.kind = kind;
  }
}

function reasonIs(err: unknown, ...reasons: StatusReason[]): err is KubeApiError {
  return err instanceof KubeApiError && reasons.includes(err.reason);
}

export const isNotFound = (err: unknown): err is KubeApiError => reasonIs(err, 'NotFound');
export const isAlreadyExists = (err: unknown): err is KubeApiError => reasonIs(err, 'AlreadyExists');
export const isConflict = (err: unknown): err is KubeApiError => reasonIs(err, 'Conflict');
export const isForbidden = (err: unknown): err is KubeApiError => reasonIs(err, 'Forbidden');
export const isUnauthorized = (err: unknown): err is KubeApiError => reasonIs(err, 'Unauthorized');
export const isInvalid = (err: unknown): err is KubeApiError => reasonIs(err, 'Invalid');
export const isTooManyRequests = (err: unknown): err is KubeApiError =>
  err instanceof KubeApiError && (err.status === 429 || err.reason === 'TooManyRequests');
/** 410: a watch or continue token refers to a resourceVersion the server no longer has. */
export const isGone = (err: unknown): err is KubeApiError =>
  err instanceof KubeApiError && (err.status === 410 || err.reason === 'Gone' || err.reason === 'Expired');

/** Errors worth retrying later as they are: overload, timeouts, connection failures. */
export function isTransient(err: unknown): boolean {
  if (err instanceof KubeConnectionError) return true;
  if (!(err instanceof KubeApiError)) return false;
  return ['TooManyRequests', 'ServerTimeout', 'Timeout', 'ServiceUnavailable', 'InternalError'].includes(
    err.reason,
  );
}

/** A short label for metrics: the Status reason, or the error class. */
export function errorReason(err: unknown): string {
  if (err instanceof KubeApiError) return err.reason;
  if (err instanceof Error) return err.name;
  return 'Unknown';
}
