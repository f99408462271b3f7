/**
 * The one set-up of an integration test file: its own database (a copy of the run's migrated template, test/db.ts),
 * with the small fixture (test/fixtures.ts) unless told otherwise, the services and the app on it with "today" fixed
 * (test/app.ts), and signed-in agents. In a test file:
 *
 *   beforeAll(async () => {
 *     ({ database, fixture, app } = await setUpIntegration());
 *   });
 *   afterAll(() => database.close());
 *
 * A file that tests below the web (a repository, a service, a job) asks for `{ app: false }`: its database and
 * fixture, without the app's modules to load.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../src/data/db.js';
import type { ServiceOptions } from '../src/services/index.js';
import type { signedIn, testApp } from './app.js';
import { openTestDb } from './db.js';
import { readFixture, type Fixture } from './fixtures.js';

export interface IntegrationOptions {
  /** Build the services and the app. Yes unless false. */
  app?: boolean;
  /** Seed the small fixture (two LAs, staff in each role, a parent, 35 cases). Yes unless false (or `demo`). */
  fixture?: boolean;
  /** Start from the demo county of TEST_DEMO (test/db.ts) instead of the fixture, a copy of the run's template. */
  demo?: boolean;
  /** For the services: a clock other than TEST_NOW, a retention schedule, a virus scanner, an email sender... */
  services?: ServiceOptions;
  /** The app trusts X-Forwarded-For (as behind the council's proxy). */
  trustProxy?: boolean;
  /** Where the app logs (silent unless TEST_LOG_LEVEL is set). */
  logger?: Logger;
}

type App = ReturnType<typeof testApp>['app'];

export interface IntegrationDatabase {
  database: Database;
  /** The fixture's users and cases by name (empty when the fixture was not asked for). */
  fixture: Fixture;
}

export interface Integration extends IntegrationDatabase {
  app: App;
  services: ReturnType<typeof testApp>['services'];
  /** A browser-like agent signed in as a fixture user (by name: 'caseworker', 'manager'...) or by e-mail address. */
  signIn: (user: string, password?: string) => Promise<Awaited<ReturnType<typeof signedIn>>>;
}

export async function setUpIntegration(options: IntegrationOptions & { app: false }): Promise<IntegrationDatabase>;
export async function setUpIntegration(options?: IntegrationOptions & { app?: true }): Promise<Integration>;
export async function setUpIntegration(options: IntegrationOptions = {}): Promise<IntegrationDatabase | Integration> {
  const withFixture = !options.demo && (options.fixture ?? true);
  const database = await openTestDb(options.demo ? 'demo' : withFixture ? 'fixture' : 'migrated');
  try {
    const fixture = withFixture ? await readFixture(database) : { users: {}, cases: {} };
    if (options.app === false) return { database, fixture };
    const { signedIn, testApp } = await import('./app.js');
    const { app, services } = testApp(database, options.services, options.trustProxy, options.logger);
    return {
      database,
      fixture,
      app,
      services,
      signIn: (user: string, password?: string) => signedIn(app, fixture.users[user]?.email ?? user, password),
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/**
 * Forgets every count behind the limits on the expensive routes (web/middleware/expensive.ts). They are kept in the
 * database, shared by every app a file makes on it (as by every process of a deployment), so a file that sends many
 * SEN2 files or uploads clears them before each test: what one test sent does not limit the next.
 */
export async function clearRequestLimits(database: Database): Promise<void> {
  await database.db.execute(sql`delete from request_limits`);
  await database.db.execute(sql`delete from requests_in_progress`);
}
