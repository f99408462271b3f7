import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig, poolSizeFor } from './config.js';

describe('configuration', () => {
  it('runs on the embedded database with safe defaults in development', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe('.data/pglite');
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.sessionIdleMinutes).toBe(30);
    expect(c.cookieSecure).toBe(false);
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
    // The embedded database is one process's.
    expect(c.processes).toBe(1);
  });

  it('serves from one process per processor (up to four) on PostgreSQL, or as many as PROCESSES says', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y' }).processes).toBe(Math.min(availableParallelism(), 4));
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', PROCESSES: '6' }).processes).toBe(6);
    expect(loadConfig({ PROCESSES: '1' }).processes).toBe(1);
    expect(() => loadConfig({ PROCESSES: '2' })).toThrow(
      'more than one process needs PostgreSQL (DATABASE_URL): the embedded database is used by one process at a time',
    );
  });

  it('gives each process 20 database connections for one or two processes, fewer for more (40 in all), at least 10', () => {
    const chosen = loadConfig({ DATABASE_URL: 'postgres://x/y' });
    expect(chosen.databasePoolSize).toBeNull();
    expect([1, 2, 3, 4, 8, 32].map((n) => poolSizeFor(chosen, n))).toEqual([20, 20, 13, 10, 10, 10]);
    const set = loadConfig({ DATABASE_URL: 'postgres://x/y', DATABASE_POOL_SIZE: '5' });
    expect([1, 4].map((n) => poolSizeFor(set, n))).toEqual([5, 5]);
  });

  it('deletes due cases nightly only when the council has set RETENTION_SCHEDULE (docs/retention.md)', () => {
    expect(loadConfig({}).retentionNightly).toBe(false);
    expect(loadConfig({ RETENTION_SCHEDULE: '' }).retentionNightly).toBe(false);
    const set = loadConfig({ RETENTION_SCHEDULE: '{"case_without_plan": {"from": "closed", "years": 6}}' });
    expect(set.retentionNightly).toBe(true);
    expect(set.retention.case_without_plan).toEqual({ from: 'closed', years: 6 });
  });

  it('scans uploads with clamd when CLAMAV_SOCKET or CLAMAV_HOST names one (port 3310 by default), else not', () => {
    expect(loadConfig({}).clamav).toBeNull();
    expect(loadConfig({ CLAMAV_HOST: 'av.internal' }).clamav).toEqual({ host: 'av.internal', port: 3310 });
    expect(loadConfig({ CLAMAV_HOST: 'av.internal', CLAMAV_PORT: '3311' }).clamav).toEqual({
      host: 'av.internal',
      port: 3311,
    });
    expect(loadConfig({ CLAMAV_SOCKET: '/run/clamav/clamd.ctl' }).clamav).toEqual({ socket: '/run/clamav/clamd.ctl' });
    expect(() => loadConfig({ CLAMAV_SOCKET: '/s', CLAMAV_HOST: 'h' })).toThrow(ConfigError);
    expect(() => loadConfig({ CLAMAV_PORT: '3310' })).toThrow('CLAMAV_PORT needs CLAMAV_HOST');
  });

  it('requires a database and a session secret in production, and secure cookies by default', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SESSION_SECRET: 'short' }),
    ).toThrow(/SESSION_SECRET/);
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SESSION_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig(production)).toThrow('BASE_URL is required when NODE_ENV=production');
    const c = loadConfig({ ...production, BASE_URL: 'https://send.example.gov.uk/' });
    expect(c.cookieSecure).toBe(true);
    expect(c.baseUrl).toBe('https://send.example.gov.uk');
  });

  it('makes emailed links from BASE_URL, or the local address while trying the service', () => {
    expect(loadConfig({ PORT: '3390' }).baseUrl).toBe('http://localhost:3390');
    expect(loadConfig({ BASE_URL: 'https://send.example.gov.uk/ehcp' }).baseUrl).toBe(
      'https://send.example.gov.uk/ehcp',
    );
    expect(() => loadConfig({ BASE_URL: 'send.example.gov.uk' })).toThrow('BASE_URL must be the address');
    expect(() => loadConfig({ BASE_URL: 'javascript:alert(1)' })).toThrow('BASE_URL must be the address');
    expect(() => loadConfig({ BASE_URL: 'https://x.example/?a=1' })).toThrow('BASE_URL must not have a query');
  });

  it.each([
    [{ PORT: 'http' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535'],
    [{ SESSION_IDLE_MINUTES: '0' }, 'SESSION_IDLE_MINUTES'],
    [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE must be true or false'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, production or test'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ DATABASE_URL: 'postgres://x/y', PROCESSES: '0' }, 'PROCESSES must be a whole number from 1 to 32, not "0"'],
    [
      { DATABASE_URL: 'postgres://x/y', DATABASE_POOL_SIZE: '0' },
      'DATABASE_POOL_SIZE must be a whole number from 1 to 100',
    ],
    [{ DATABASE_POOL_SIZE: 'lots' }, 'DATABASE_POOL_SIZE must be a whole number from 1 to 100, not "lots"'],
  ])('names the setting at fault: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  // The whole line, as `openehcp serve` prints it before exiting with code 2 (the same before and after the settings
  // were checked with zod schemas).
  it.each([
    [{ PORT: 'http' }, 'PORT must be a whole number from 0 to 65535, not "http"'],
    [{ PORT: '-1' }, 'PORT must be a whole number from 0 to 65535, not "-1"'],
    [{ SESSION_MAX_HOURS: '169' }, 'SESSION_MAX_HOURS must be a whole number from 1 to 168, not "169"'],
    [{ CLAMAV_HOST: 'av', CLAMAV_PORT: '0' }, 'CLAMAV_PORT must be a whole number from 1 to 65535, not "0"'],
    [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE must be true or false, not "maybe"'],
    [{ NODE_ENV: '' }, 'NODE_ENV must be development, production or test, not ""'],
    [{ LOG_LEVEL: '' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not ""'],
    [
      { NOTIFY_API_KEY: 'k', NOTIFY_EMAIL_TEMPLATE_ID: 'welcome' },
      'NOTIFY_EMAIL_TEMPLATE_ID must be a template id (a UUID), not "welcome"',
    ],
  ])('says exactly what is wrong: %j', (env, line) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(line));
  });

  it('reads true or false in any case, and empty settings as unset', () => {
    expect(loadConfig({ COOKIE_SECURE: 'YES' }).cookieSecure).toBe(true);
    expect(loadConfig({ COOKIE_SECURE: 'No', PORT: '', SESSION_IDLE_MINUTES: '' })).toMatchObject({
      cookieSecure: false,
      port: 3000,
      sessionIdleMinutes: 30,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });
});
