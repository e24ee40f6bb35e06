// Calls the AI Runway API from the browser, through this server's /api forwarding (which adds
// the session's token). Every failure becomes an ApiRequestError carrying the API's
// `{ error, code, details }`, so screens can show the API's own words and field errors.
import type { ApiErrorBody, FieldError } from '@airunway/schema';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Field errors of a VALIDATION_ERROR (`details.fields`). */
  get fields(): readonly FieldError[] {
    const fields = this.details.fields;
    return Array.isArray(fields) ? (fields as FieldError[]) : [];
  }

  /** The route does not exist in this API version (as opposed to a missing object). */
  get routeMissing(): boolean {
    return this.status === 404 && typeof this.details.path === 'string';
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export function apiPath(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ''}`;
}

interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly query?: Query;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  readonly headers?: Readonly<Record<string, string>>;
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.error === 'string')
      return new ApiRequestError(response.status, body.code ?? 'UNKNOWN', body.error, body.details ?? {});
  } catch {
    // Not the API's error format: a proxy or the server itself answered.
  }
  return new ApiRequestError(
    response.status,
    'UNKNOWN',
    `The server answered ${response.status} ${response.statusText}`.trim(),
  );
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return fetchJson<T>(apiPath(path, options.query), options);
}

/** A JSON request to this server (the API's routes go through api()), failures as ApiRequestError. */
export async function fetchJson<T>(url: string, options: Omit<RequestOptions, 'query'> = {}): Promise<T> {
  const { method = 'GET', body, signal, headers } = options;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiRequestError(
      0,
      'NETWORK_ERROR',
      'The dashboard server cannot be reached. Check your connection.',
    );
  }
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()) as T;
}

/** Readable one-line description of any error a query or mutation raised. */
export function describeError(err: unknown): string {
  if (err instanceof ApiRequestError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
