/**
 * Typed configuration from environment variables. A bad or missing setting stops start-up with one clear line.
 * Every variable is listed in the README.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { UserFacingError } from './errors.js';
import {
  DEFAULT_RETENTION_SCHEDULE,
  parseRetentionSchedule,
  type RetentionSchedule,
} from './domain/retention/schedule.js';

export class ConfigError extends UserFacingError {}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /**
   * The address people reach the service at (BASE_URL, e.g. https://send.example.gov.uk), without a trailing slash:
   * emailed links and identity providers' redirect addresses are made from it. Default http://localhost:PORT.
   */
  baseUrl: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** Where PGlite keeps its files. */
  dataDir: string;
  sessionSecret: string;
  /** Sign out after this many minutes without a request. */
  sessionIdleMinutes: number;
  /** Sign out this many hours after signing in, however active. */
  sessionMaxHours: number;
  cookieSecure: boolean;
  /** Express "trust proxy" setting, so the client IP is right behind a load balancer. */
  trustProxy: boolean | number | string;
  logLevel: string;
  /** How many processes serve pages: more than one only on PostgreSQL. */
  processes: number;
  /** On PostgreSQL, the most database connections each serving process holds; null to choose by the processes. */
  databasePoolSize: number | null;
  /** GOV.UK Notify: an API key and the id of an email template with ((subject)) and ((body)); else the local outbox. */
  /** `smsTemplateId`: a Notify text message template (body `((body))`) for families who chose texts; null: none. */
  notify: { apiKey: string; emailTemplateId: string; smsTemplateId: string | null } | null;
  /** ClamAV's daemon, to scan every upload: a Unix socket (CLAMAV_SOCKET) or TCP (CLAMAV_HOST, CLAMAV_PORT); else none. */
  clamav: { socket: string } | { host: string; port: number } | null;
  /** How long closed cases are kept (RETENTION_SCHEDULE, JSON; docs/retention.md). */
  retention: RetentionSchedule;
  /** Whether the council has set RETENTION_SCHEDULE: only then does the service delete due cases nightly (src/jobs). */
  retentionNightly: boolean;
  /** Staff sign in with the council's OpenID Connect provider (STAFF_OIDC_*; docs/sign-in.md); null when not set. */
  staffOidc: { issuer: string; clientId: string; clientSecret: string } | null;
  /** Parents and carers sign in with GOV.UK One Login (ONE_LOGIN_*; docs/sign-in.md); null when not set. */
  oneLogin: { issuer: string; clientId: string; privateKeyPem: string } | null;
  /** Whether local accounts (email and password) may sign in: LOCAL_SIGN_IN=off turns them off. */
  localSignIn: boolean;
}

/**
 * One setting checked by its zod schema: its value, or ConfigError with the schema's one line. The settings are read
 * one by one in a fixed order, so the line names the first setting at fault.
 */
function setting<T>(value: string | undefined, schema: z.ZodType<T>): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(result.error.issues[0]!.message);
  return result.data;
}

/** Unset or empty: the fallback; else a whole number from min to max. */
function wholeNumber(name: string, fallback: number, min: number, max: number) {
  const message = (issue: { input?: unknown }) =>
    `${name} must be a whole number from ${min} to ${max}, not "${String(issue.input)}"`;
  return z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^\d+$/, { error: message, abort: true })
      .refine((raw) => Number(raw) >= min && Number(raw) <= max, { error: message })
      .transform(Number)
      .default(fallback),
  );
}

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/** Unset or empty: the fallback; else true/1/yes or false/0/no, in any case. */
function trueOrFalse(name: string, fallback: boolean) {
  return z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((raw) => [...TRUE, ...FALSE].includes(raw.toLowerCase()), {
        error: (issue) => `${name} must be true or false, not "${String(issue.input)}"`,
      })
      .transform((raw) => TRUE.includes(raw.toLowerCase()))
      .default(fallback),
  );
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  return setting(env[name], wholeNumber(name, fallback, min, max));
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  return setting(env[name], trueOrFalse(name, fallback));
}

const NODE_ENV = z
  .enum(['development', 'production', 'test'], {
    error: (issue) => `NODE_ENV must be development, production or test, not "${String(issue.input)}"`,
  })
  .default('development');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_LEVEL = z.enum(LOG_LEVELS, {
  error: (issue) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${String(issue.input)}"`,
});

const NOTIFY_TEMPLATE_ID = z.string().regex(/^[0-9a-f-]{36}$/i, {
  error: (issue) => `NOTIFY_EMAIL_TEMPLATE_ID must be a template id (a UUID), not "${String(issue.input)}"`,
});

const NOTIFY_SMS_TEMPLATE_ID = z.string().regex(/^[0-9a-f-]{36}$/i, {
  error: (issue) => `NOTIFY_SMS_TEMPLATE_ID must be a template id (a UUID), not "${String(issue.input)}"`,
});

function notifyConfig(env: NodeJS.ProcessEnv): Config['notify'] {
  const apiKey = env.NOTIFY_API_KEY ?? '';
  const emailTemplateId = env.NOTIFY_EMAIL_TEMPLATE_ID ?? '';
  const smsTemplateId = env.NOTIFY_SMS_TEMPLATE_ID ?? '';
  if (!apiKey && !emailTemplateId) {
    if (smsTemplateId)
      throw new ConfigError('NOTIFY_SMS_TEMPLATE_ID needs NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID');
    return null;
  }
  if (!apiKey || !emailTemplateId) {
    throw new ConfigError(
      'NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID must be set together (or neither, for the local outbox)',
    );
  }
  return {
    apiKey,
    emailTemplateId: setting(emailTemplateId, NOTIFY_TEMPLATE_ID),
    smsTemplateId: smsTemplateId ? setting(smsTemplateId, NOTIFY_SMS_TEMPLATE_ID) : null,
  };
}

function clamavConfig(env: NodeJS.ProcessEnv): Config['clamav'] {
  const socket = env.CLAMAV_SOCKET ?? '';
  const host = env.CLAMAV_HOST ?? '';
  if (socket && host) throw new ConfigError('Set CLAMAV_SOCKET or CLAMAV_HOST (with CLAMAV_PORT), not both');
  if (socket) return { socket };
  if (host) return { host, port: integer(env, 'CLAMAV_PORT', 3310, 1, 65535) };
  if (env.CLAMAV_PORT) throw new ConfigError('CLAMAV_PORT needs CLAMAV_HOST');
  return null;
}

function retentionConfig(env: NodeJS.ProcessEnv): RetentionSchedule {
  const raw = env.RETENTION_SCHEDULE ?? '';
  if (raw === '') return DEFAULT_RETENTION_SCHEDULE;
  const parsed = parseRetentionSchedule(raw);
  if (parsed.error !== undefined) throw new ConfigError(`RETENTION_SCHEDULE ${parsed.error}`);
  return parsed.schedule;
}

/** On PostgreSQL, one process per processor up to four. */
export const DEFAULT_PROCESSES = Math.min(availableParallelism(), 4);
export const MAX_PROCESSES = 32;
/**
 * Database connections each serving process may hold, unless DATABASE_POOL_SIZE says: 20 for one or two processes,
 * fewer for more, so that the service holds at most 40 in all (PostgreSQL allows 100 unless set otherwise), and never
 * fewer than 10. With 32 requests in flight, 20 connections served about 4% more caseload pages a second than 10
 * (the event loop waited less for a free connection); 32 served no more than 20.
 */
export function poolSizeFor(config: Pick<Config, 'databasePoolSize'>, processes: number): number {
  return config.databasePoolSize ?? Math.min(20, Math.max(10, Math.floor(40 / processes)));
}
export const ONE_PROCESS_ONLY =
  'more than one process needs PostgreSQL (DATABASE_URL): the embedded database is used by one process at a time';

const BASE_URL = z.url({
  protocol: /^https?$/,
  error: 'BASE_URL must be the address people reach the service at, such as https://send.example.gov.uk',
});

function baseUrlConfig(env: NodeJS.ProcessEnv, port: number, production: boolean): string {
  const raw = env.BASE_URL ?? '';
  if (raw === '') {
    if (production) throw new ConfigError('BASE_URL is required when NODE_ENV=production (emailed links use it)');
    return `http://localhost:${port}`;
  }
  const url = new URL(setting(raw, BASE_URL));
  if (url.search || url.hash) throw new ConfigError('BASE_URL must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * An identity provider's issuer: https, or plain http on this machine only (a provider run locally to try the service;
 * never in production). openid-client refuses plain http unless told, and is told only for such an issuer.
 */
function issuerSetting(name: string, raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `${name} must be the provider's issuer address, such as https://login.example.com, not "${raw}"`,
    );
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(loopback && !production)) {
    throw new ConfigError(
      `${name} must be an https address (plain http only for a provider on this machine, outside production)`,
    );
  }
  if (url.search || url.hash) throw new ConfigError(`${name} must not have a query or fragment`);
  return raw;
}

/** All of a group of settings or none: the group's values, or null when none is set. */
function allOrNone<K extends string>(
  env: NodeJS.ProcessEnv,
  names: readonly K[],
  purpose: string,
): Record<K, string> | null {
  const values = Object.fromEntries(names.map((n) => [n, env[n] ?? ''])) as Record<K, string>;
  const set = names.filter((n) => values[n] !== '');
  if (set.length === 0) return null;
  if (set.length < names.length) {
    const missing = names.filter((n) => values[n] === '');
    throw new ConfigError(`${names.join(', ')} must be set together for ${purpose} (missing ${missing.join(', ')})`);
  }
  return values;
}

function staffOidcConfig(env: NodeJS.ProcessEnv, production: boolean): Config['staffOidc'] {
  const values = allOrNone(
    env,
    ['STAFF_OIDC_ISSUER', 'STAFF_OIDC_CLIENT_ID', 'STAFF_OIDC_CLIENT_SECRET'] as const,
    "staff sign-in with the council's identity provider",
  );
  if (!values) return null;
  return {
    issuer: issuerSetting('STAFF_OIDC_ISSUER', values.STAFF_OIDC_ISSUER, production),
    clientId: values.STAFF_OIDC_CLIENT_ID,
    clientSecret: values.STAFF_OIDC_CLIENT_SECRET,
  };
}

function oneLoginConfig(env: NodeJS.ProcessEnv, production: boolean): Config['oneLogin'] {
  const values = allOrNone(
    env,
    ['ONE_LOGIN_ISSUER', 'ONE_LOGIN_CLIENT_ID', 'ONE_LOGIN_PRIVATE_KEY_FILE'] as const,
    'GOV.UK One Login',
  );
  if (!values) return null;
  const file = values.ONE_LOGIN_PRIVATE_KEY_FILE;
  let privateKeyPem: string;
  try {
    privateKeyPem = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`ONE_LOGIN_PRIVATE_KEY_FILE "${file}" cannot be read`);
  }
  // An RSA or P-256 private key in PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), as One Login's documentation makes it.
  let usable = privateKeyPem.includes('-----BEGIN PRIVATE KEY-----');
  if (usable) {
    try {
      const key = createPrivateKey(privateKeyPem);
      usable =
        key.asymmetricKeyType === 'rsa' ||
        (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1');
    } catch {
      usable = false;
    }
  }
  if (!usable) {
    throw new ConfigError(
      `ONE_LOGIN_PRIVATE_KEY_FILE "${file}" must hold an RSA or EC P-256 private key in PKCS#8 PEM (BEGIN PRIVATE KEY)`,
    );
  }
  return {
    issuer: issuerSetting('ONE_LOGIN_ISSUER', values.ONE_LOGIN_ISSUER, production),
    clientId: values.ONE_LOGIN_CLIENT_ID,
    privateKeyPem,
  };
}

function localSignInConfig(env: NodeJS.ProcessEnv, staffOidc: Config['staffOidc']): boolean {
  const raw = (env.LOCAL_SIGN_IN ?? '').toLowerCase();
  if (raw === '' || raw === 'on') return true;
  if (raw !== 'off') throw new ConfigError(`LOCAL_SIGN_IN must be on or off, not "${env.LOCAL_SIGN_IN}"`);
  if (!staffOidc)
    throw new ConfigError('LOCAL_SIGN_IN=off needs STAFF_OIDC_ISSUER and the rest: otherwise no one could sign in');
  return false;
}

function identityConfig(env: NodeJS.ProcessEnv, production: boolean) {
  const staffOidc = staffOidcConfig(env, production);
  return { staffOidc, oneLogin: oneLoginConfig(env, production), localSignIn: localSignInConfig(env, staffOidc) };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = setting(env.NODE_ENV, NODE_ENV);
  const production = nodeEnv === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (production && !databaseUrl) {
    throw new ConfigError(
      'DATABASE_URL is required when NODE_ENV=production (the embedded database is for trying the service)',
    );
  }
  let sessionSecret = env.SESSION_SECRET ?? '';
  if (production && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET is required when NODE_ENV=production and must be at least 32 characters');
  }
  if (!sessionSecret) sessionSecret = randomBytes(32).toString('hex');
  const trustProxyRaw = env.TRUST_PROXY ?? '';
  const trustProxy: Config['trustProxy'] =
    trustProxyRaw === '' || trustProxyRaw === 'false'
      ? false
      : trustProxyRaw === 'true'
        ? true
        : /^\d+$/.test(trustProxyRaw)
          ? Number(trustProxyRaw)
          : trustProxyRaw;
  const logLevel = setting(env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'), LOG_LEVEL);
  const processes = integer(env, 'PROCESSES', databaseUrl ? DEFAULT_PROCESSES : 1, 1, MAX_PROCESSES);
  if (processes > 1 && !databaseUrl) throw new ConfigError(ONE_PROCESS_ONLY);
  const port = integer(env, 'PORT', 3000, 0, 65535);
  return {
    env: nodeEnv,
    port,
    baseUrl: baseUrlConfig(env, port, production),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: env.DATA_DIR || '.data/pglite',
    sessionSecret,
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: integer(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 7),
    cookieSecure: bool(env, 'COOKIE_SECURE', production),
    trustProxy,
    logLevel,
    processes,
    databasePoolSize: env.DATABASE_POOL_SIZE ? integer(env, 'DATABASE_POOL_SIZE', 10, 1, 100) : null,
    notify: notifyConfig(env),
    clamav: clamavConfig(env),
    retention: retentionConfig(env),
    retentionNightly: (env.RETENTION_SCHEDULE ?? '') !== '',
    ...identityConfig(env, production),
  };
}
