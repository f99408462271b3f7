import type { Logger } from 'pino';
import supertest from 'supertest';
import type { Database } from '../src/data/db.js';
import { createServices, type ServiceOptions } from '../src/services/index.js';
import { fixedClock } from '../src/services/clock.js';
import { createApp, type AppOptions } from '../src/web/app.js';
import { createLogger } from '../src/logger.js';
import { PASSWORD } from './fixtures.js';

/** "Today" in the tests: Tuesday 1 April 2025, 10:00 in London. */
export const TEST_NOW = new Date('2025-04-01T09:00:00Z');

/** The web app's settings in the tests (`overrides` for a test of another setting, e.g. `localSignIn: false`). */
export function testAppConfig(overrides: Partial<AppOptions['config']> = {}): AppOptions['config'] {
  return {
    env: 'test',
    sessionSecret: 'test-secret-test-secret-test-secret',
    sessionIdleMinutes: 30,
    sessionMaxHours: 12,
    cookieSecure: false,
    trustProxy: false,
    ...overrides,
  };
}

export function testApp(
  database: Database,
  options: ServiceOptions = {},
  trustProxy: boolean = false,
  logger: Logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
) {
  const services = createServices(database, { clock: fixedClock(TEST_NOW), ...options });
  const app = createApp({
    services,
    config: testAppConfig({ trustProxy }),
    logger,
  });
  return { app, services };
}

/** The CSRF token in a rendered form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

/** A browser-like agent (keeps cookies) signed in as the given user. */
export async function signedIn(app: Parameters<typeof supertest.agent>[0], email: string, password = PASSWORD) {
  const agent = supertest.agent(app);
  const page = await agent.get('/sign-in').expect(200);
  await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password })
    .expect(303);
  return agent;
}
