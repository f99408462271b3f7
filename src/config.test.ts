import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  describe('signing in with identity providers (docs/sign-in.md)', () => {
    const staff = {
      STAFF_OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      STAFF_OIDC_CLIENT_ID: 'client-id',
      STAFF_OIDC_CLIENT_SECRET: 'client-secret',
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'openehcp-config-'));
    const keyFile = (name: string, pem: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, pem);
      return file;
    };
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = keyFile('one-login.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const pkcs1 = keyFile('pkcs1.pem', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const oneLogin = {
      ONE_LOGIN_ISSUER: 'https://oidc.integration.account.gov.uk/',
      ONE_LOGIN_CLIENT_ID: 'one-login-client',
      ONE_LOGIN_PRIVATE_KEY_FILE: pkcs8,
    };

    it('has none unless set, and local accounts on', () => {
      expect(loadConfig({})).toMatchObject({ staffOidc: null, oneLogin: null, localSignIn: true });
    });

    it('reads the staff provider and One Login (with its PKCS#8 key) when all three settings of each are set', () => {
      const c = loadConfig({ ...staff, ...oneLogin, LOCAL_SIGN_IN: 'off' });
      expect(c.staffOidc).toEqual({
        issuer: staff.STAFF_OIDC_ISSUER,
        clientId: 'client-id',
        clientSecret: 'client-secret',
      });
      expect(c.oneLogin?.privateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
      expect(c.localSignIn).toBe(false);
    });

    it.each([
      [
        { STAFF_OIDC_ISSUER: staff.STAFF_OIDC_ISSUER },
        "STAFF_OIDC_ISSUER, STAFF_OIDC_CLIENT_ID, STAFF_OIDC_CLIENT_SECRET must be set together for staff sign-in with the council's identity provider (missing STAFF_OIDC_CLIENT_ID, STAFF_OIDC_CLIENT_SECRET)",
      ],
      [
        { ...oneLogin, ONE_LOGIN_CLIENT_ID: '' },
        'ONE_LOGIN_ISSUER, ONE_LOGIN_CLIENT_ID, ONE_LOGIN_PRIVATE_KEY_FILE must be set together for GOV.UK One Login (missing ONE_LOGIN_CLIENT_ID)',
      ],
      [
        { ...staff, STAFF_OIDC_ISSUER: 'http://idp.example' },
        'STAFF_OIDC_ISSUER must be an https address (plain http only for a provider on this machine, outside production)',
      ],
      [
        { ...staff, STAFF_OIDC_ISSUER: 'login.example' },
        'STAFF_OIDC_ISSUER must be the provider\'s issuer address, such as https://login.example.com, not "login.example"',
      ],
      [
        { ...oneLogin, ONE_LOGIN_PRIVATE_KEY_FILE: path.join(dir, 'missing.pem') },
        `ONE_LOGIN_PRIVATE_KEY_FILE "${path.join(dir, 'missing.pem')}" cannot be read`,
      ],
      [
        { ...oneLogin, ONE_LOGIN_PRIVATE_KEY_FILE: pkcs1 },
        `ONE_LOGIN_PRIVATE_KEY_FILE "${pkcs1}" must hold an RSA or EC P-256 private key in PKCS#8 PEM (BEGIN PRIVATE KEY)`,
      ],
      [
        { LOCAL_SIGN_IN: 'off' },
        'LOCAL_SIGN_IN=off needs STAFF_OIDC_ISSUER and the rest: otherwise no one could sign in',
      ],
      [{ ...staff, LOCAL_SIGN_IN: 'maybe' }, 'LOCAL_SIGN_IN must be on or off, not "maybe"'],
    ])('stops start-up with one clear line: %j', (env, line) => {
      expect(() => loadConfig(env)).toThrow(new ConfigError(line));
    });

    it('allows a plain-http provider on this machine to try the service, never in production', () => {
      const local = { ...staff, STAFF_OIDC_ISSUER: 'http://127.0.0.1:8080' };
      expect(loadConfig(local).staffOidc?.issuer).toBe('http://127.0.0.1:8080');
      const production = {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://x/y',
        SESSION_SECRET: 'x'.repeat(32),
        BASE_URL: 'https://send.example.gov.uk',
      };
      expect(() => loadConfig({ ...production, ...local })).toThrow('STAFF_OIDC_ISSUER must be an https address');
    });
  });
});
