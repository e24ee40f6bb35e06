// Every failure the API reports is an ApiError: a code from the shared table
// (@airunway/schema API_ERROR_CODE_INFO), a message for people and details for programs.
// toApiError is the one place where anything thrown — Kubernetes Status errors, connection
// failures, Hono's own exceptions — becomes one.
import {
  KubeApiError,
  KubeConfigError,
  KubeConnectionError,
  isTransient,
  type StatusCause,
} from '@airunway/kube';
import { API_ERROR_CODE_INFO, type ApiErrorBody, type ApiErrorCode, type FieldError } from '@airunway/schema';
import { HTTPException } from 'hono/http-exception';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ApiErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return API_ERROR_CODE_INFO[this.code].http;
  }

  toBody(): ApiErrorBody {
    return { error: this.message, code: this.code, details: this.details };
  }

  static validation(fields: readonly FieldError[], message?: string): ApiError {
    const first = fields[0];
    const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid request';
    return new ApiError('VALIDATION_ERROR', message ?? `Invalid request: ${summary}`, { fields });
  }

  static notFound(message: string, details: Record<string, unknown> = {}): ApiError {
    return new ApiError('NOT_FOUND', message, details);
  }
}

const REASON_CODES: Readonly<Record<string, ApiErrorCode>> = {
  NotFound: 'NOT_FOUND',
  AlreadyExists: 'CONFLICT',
  Conflict: 'CONFLICT',
  Forbidden: 'FORBIDDEN',
  Unauthorized: 'UNAUTHORIZED',
  Invalid: 'VALIDATION_ERROR',
  BadRequest: 'VALIDATION_ERROR',
  RequestEntityTooLarge: 'PAYLOAD_TOO_LARGE',
};

/** Kubernetes writes field paths as `spec.model.id`; causes without a field concern the object. */
function causeToField(cause: StatusCause): FieldError {
  return { path: cause.field ?? '', message: cause.message ?? cause.reason ?? 'invalid' };
}

function fromKubeApiError(err: KubeApiError): ApiError {
  const details: Record<string, unknown> = { reason: err.reason };
  if (err.details?.kind) details.kind = err.details.kind;
  if (err.details?.name) details.name = err.details.name;
  if (err.causes.length > 0) details.fields = err.causes.map(causeToField);
  const mapped = REASON_CODES[err.reason];
  if (mapped) return new ApiError(mapped, err.message, details, err);
  if (isTransient(err))
    return new ApiError('CLUSTER_UNAVAILABLE', `Kubernetes API server: ${err.message}`, details, err);
  return new ApiError('INTERNAL_ERROR', `Kubernetes API server: ${err.message}`, details, err);
}

/** Turns anything thrown into an ApiError (the message of an unknown error is not exposed). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof KubeApiError) return fromKubeApiError(err);
  if (err instanceof KubeConnectionError || err instanceof KubeConfigError)
    return new ApiError('CLUSTER_UNAVAILABLE', `Kubernetes API server unreachable: ${err.message}`, {}, err);
  if (err instanceof HTTPException) {
    if (err.status === 413) return new ApiError('PAYLOAD_TOO_LARGE', err.message || 'Request body too large');
    if (err.status === 400)
      return ApiError.validation([{ path: '', message: err.message || 'Malformed request' }], err.message);
    if (err.status === 401) return new ApiError('UNAUTHORIZED', err.message || 'Unauthorized');
  }
  return new ApiError('INTERNAL_ERROR', 'Internal server error', {}, err);
}
