import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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
  });

  it('requires a database and a session secret in production, and secure cookies by default', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SESSION_SECRET: 'short' }),
    ).toThrow(/SESSION_SECRET/);
    const c = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SESSION_SECRET: 'x'.repeat(32) });
    expect(c.cookieSecure).toBe(true);
  });

  it.each([
    [{ PORT: 'http' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535'],
    [{ SESSION_IDLE_MINUTES: '0' }, 'SESSION_IDLE_MINUTES'],
    [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE must be true or false'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, production or test'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
  ])('names the setting at fault: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
