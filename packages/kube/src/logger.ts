// A small structured logger: one JSON object per line, levels, child loggers with bound
// fields. No dependency, because a library should not choose a logging stack for the
// operator or the API; both can pass their own `write`. Credentials never reach the output:
// fields whose names look like secrets are replaced, and bearer tokens inside strings are
// masked, so that logging a request or an error object cannot leak a user's token.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** Lowest level written (default "info"). */
  readonly level?: LogLevel;
  /** Written as `logger` on every line, e.g. "operator". */
  readonly name?: string;
  /** Bound to every line. */
  readonly fields?: LogFields;
  /** Where lines go (default: stdout). Receives one JSON document without newline. */
  readonly write?: (line: string) => void;
  /** Clock for the `time` field (default: new Date()). */
  readonly now?: () => Date;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values are never logged. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie)$|password|passwd|token$|^token|secret$|api[-_]?key|private[-_]?key|client[-_]?key|credential/i;
/** "Bearer <token>" anywhere in a string, e.g. an echoed header in an error message. */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const base: Record<string, unknown> = options.name ? { logger: options.name } : {};

  const make = (bound: Record<string, unknown>): Logger => {
    const log = (level: LogLevel, message: string, fields?: LogFields) => {
      if (LEVELS[level] < threshold) return;
      const line: Record<string, unknown> = {
        time: now().toISOString(),
        level,
        msg: maskString(message),
      };
      for (const [k, v] of Object.entries(bound)) line[k] = v;
      if (fields) for (const [k, v] of Object.entries(fields)) line[k] = sanitize(k, v, 0, new WeakSet());
      let text: string;
      try {
        text = JSON.stringify(line);
      } catch {
        text = JSON.stringify({ time: line.time, level, msg: line.msg, logError: 'unserializable fields' });
      }
      write(text);
    };
    return {
      debug: (m, f) => {
        log('debug', m, f);
      },
      info: (m, f) => {
        log('info', m, f);
      },
      warn: (m, f) => {
        log('warn', m, f);
      },
      error: (m, f) => {
        log('error', m, f);
      },
      child: (fields) => {
        const next = { ...bound };
        for (const [k, v] of Object.entries(fields)) next[k] = sanitize(k, v, 0, new WeakSet());
        return make(next);
      },
      isLevelEnabled: (level) => LEVELS[level] >= threshold,
    };
  };
  return make({ ...base, ...sanitizeRecord(options.fields ?? {}) });
}

/** A logger that drops everything (the default of every component in this package). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
  isLevelEnabled: () => false,
};

function sanitizeRecord(fields: LogFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = sanitize(k, v, 0, new WeakSet());
  return out;
}

function maskString(s: string): string {
  return s.replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}

/** Copies a value for logging: secrets replaced, errors expanded, cycles and depth bounded. */
export function sanitize(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (SECRET_KEY.test(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (typeof value === 'string') return maskString(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) return serializeError(value, depth, seen);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => sanitize('', v, depth + 1, seen));
  if (value instanceof Map) return sanitize(key, Object.fromEntries(value), depth, seen);
  if (value instanceof Set) return sanitize(key, [...value], depth, seen);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = sanitize(k, v, depth + 1, seen);
  return out;
}

function serializeError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: maskString(err.message) };
  // Typed fields of our own errors (status, reason, …) are worth keeping; bodies are not.
  for (const [k, v] of Object.entries(err)) {
    if (k === 'message' || k === 'name' || k === 'stack') continue;
    out[k] = sanitize(k, v, depth + 1, seen);
  }
  if (err.cause !== undefined) out.cause = sanitize('cause', err.cause, depth + 1, seen);
  if (err.stack) out.stack = maskString(err.stack);
  return out;
}
