/**
 * The one way the service makes a logger (the web's request logs, the CLI, scheduled work): pino, JSON, with no
 * personal data. A child's name, date of birth or plan can reach a log only through an error or a request, so:
 * - errors are logged by their class, SQL state code and what the database names (table, column, constraint), never by
 *   the values a query carried: drizzle's "Failed query" message and its `params`, PostgreSQL's `detail` ("Failing
 *   row contains ..."), `where` and the value quoted in a message ("invalid input syntax for type uuid: ...") are
 *   dropped, through the whole `cause` chain;
 * - requests are logged by method, path and the names (not values) of their query string; bodies, cookies and
 *   headers are never logged, and any that a call passes is redacted.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Fields that may carry what someone typed or a row's values, wherever in a log line they appear. */
const REDACTED_PATHS = [
  'body',
  'params',
  'query',
  'detail',
  'password',
  '*.body',
  '*.params',
  '*.query',
  '*.detail',
  '*.password',
  'req.headers',
  'res.headers',
];

/** What the database says about an error that names no values: its code and the objects involved. */
const DATABASE_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'constraint', 'dataType', 'routine'] as const;

export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  status?: number;
  stack?: string;
  [field: string]: unknown;
}

/** A database (or driver) error: it has a SQL state, five characters, as PostgreSQL and PGlite give it. */
const isDatabaseError = (e: Record<string, unknown>) => typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);

/**
 * An error's message without the values it quotes. Drizzle writes "Failed query: <sql>\nparams: <values>" (the SQL
 * has placeholders, the params the values); PostgreSQL ends some messages with the value it refused, in quotes.
 */
export function safeMessage(message: string, fromDatabase: boolean): string {
  let safe = message.replace(/\s*params:[\s\S]*$/, '');
  if (fromDatabase) safe = safe.replace(/: "[\s\S]*"$/, ': "[redacted]"');
  return safe;
}

/** The stack's frames (where the error came from), without its first lines, which repeat the message. */
const framesOf = (stack: unknown) =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n')
    : undefined;

/** The err serializer: the class, code and safe message of an error and of each error that caused it. */
export function serializeError(thrown: unknown, depth = 0): LoggedError {
  // pino-http hands its serializers pino's own rendering of the error, which keeps the error itself as `raw`.
  const raw = (thrown as { raw?: unknown } | null)?.raw;
  const err = !(thrown instanceof Error) && raw instanceof Error ? raw : thrown;
  if (!(err instanceof Error)) return { type: typeof err, message: 'a value that is not an Error was thrown' };
  const e = err as unknown as Record<string, unknown>;
  const fromDatabase = isDatabaseError(e);
  const out: LoggedError = { type: err.constructor.name, message: safeMessage(err.message, fromDatabase) };
  if (fromDatabase) {
    for (const field of DATABASE_FIELDS) if (typeof e[field] === 'string') out[field] = e[field];
  } else if (typeof e.code === 'string' && e.code.length <= 40) {
    out.code = e.code;
  }
  if (typeof e.status === 'number') out.status = e.status;
  if (depth === 0) out.stack = framesOf(err.stack);
  if (err.cause !== undefined && depth < 5) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

/**
 * A one-time link's token in a path (services/accountLinks.ts: 32 random bytes, base64url): whoever reads the logs
 * must not be able to use the link, so it is logged as `[token]`.
 */
const LINK_TOKEN = /(?<=\/)[A-Za-z0-9_-]{43}(?=\/|$)/g;

/**
 * A request as logged: its id, method, and path (one-time link tokens taken out) with the names of its query
 * parameters (their values may be names).
 */
export function serializeRequest(req: { id?: unknown; method?: string; url?: string }) {
  const url = req.url ?? '';
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(LINK_TOKEN, '[token]');
  const names = at < 0 ? [] : [...new URLSearchParams(url.slice(at + 1)).keys()];
  return { id: req.id, method: req.method, url: names.length ? `${path}?${names.join('&')}` : path };
}

/** Serializers for pino and pino-http (which otherwise puts its own in place of the logger's). */
export const logSerializers = { err: serializeError, req: serializeRequest };

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const config: LoggerOptions = {
    level: options.level,
    serializers: logSerializers,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
