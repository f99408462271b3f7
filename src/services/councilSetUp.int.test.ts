/**
 * Setting up a council (issue 26, "Setting up"): what `openehcp setup` does to the database, on an empty one (the home
 * and sign-in pages say to run it), for a second administrator, a second council, and each refusal (nothing written).
 */
import { sql } from 'drizzle-orm';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../test/app.js';
import { setUpIntegration, type Integration } from '../../test/integration.js';
import { pageText } from '../../test/pages.js';
import { queryRows, type Database } from '../data/db.js';
import { checkAccountLink } from './accountLinks.js';
import { RuleError } from './errors.js';

let database: Database;
let app: Integration['app'];
let services: Integration['services'];

beforeAll(async () => {
  ({ database, app, services } = await setUpIntegration({ fixture: false }));
});
afterAll(() => database.close());

const tokenOf = (link: string) => link.split('/').pop()!;
const count = async (table: 'local_authorities' | 'users' | 'role_assignments' | 'account_links') =>
  (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

async function refusal(run: () => Promise<unknown>): Promise<{ field: string; text: string }[]> {
  try {
    await run();
  } catch (err) {
    if (err instanceof RuleError) return err.errors;
    throw err;
  }
  throw new Error('not refused');
}

describe('before any council is set up', () => {
  it('says on the home and sign-in pages to run openehcp setup (no empty sign-in form)', async () => {
    const home = await supertest(app).get('/').expect(200);
    expect(pageText(home.text)).toContain(
      'No council has been set up yet, so nobody can sign in. On the server, run openehcp setup',
    );
    expect(home.text).not.toContain('govuk-button--start');
    const signIn = await supertest(app).get('/sign-in').expect(200);
    expect(pageText(signIn.text)).toContain('No council has been set up yet');
    expect(signIn.text).not.toContain('name="password"');
  });
});

describe('setting up a council', () => {
  it('creates the council and its administrator (no password) in one go, with a 3-day set-up link, audited', async () => {
    const made = await services.accounts.setUpCouncil({
      laCode: '919',
      laName: '  Hertfordshire   County Council ',
      adminEmail: 'Ada.Admin@herts.example',
      adminName: 'Ada Admin',
    });
    expect(made).toMatchObject({ laCreated: true, userCreated: true });
    expect(made.link).toMatch(/^http:\/\/localhost:3000\/account\/set-up\/[A-Za-z0-9_-]{43}$/);
    // domain/access/accountLinks.ts: a set-up link works for 3 days.
    expect(made.expiresAt.toISOString()).toBe(new Date(TEST_NOW.getTime() + 72 * 3_600_000).toISOString());
    const link = await checkAccountLink(database.db, tokenOf(made.link), 'set_up', TEST_NOW);
    expect(link.state).toBe('usable');
    const [la] = await queryRows<{ name: string }>(
      database.db,
      sql`select name from local_authorities where la_code = '919'`,
    );
    expect(la!.name).toBe('Hertfordshire County Council');
    const [user] = await queryRows<{ password_hash: string | null; is_demo: boolean; role: string }>(
      database.db,
      sql`select u.password_hash, u.is_demo, r.role from users u join role_assignments r on r.user_id = u.id
          where u.email = 'Ada.Admin@herts.example'`,
    );
    expect(user).toEqual({ password_hash: null, is_demo: false, role: 'admin' });
    const audit = await queryRows<{ action: string }>(
      database.db,
      sql`select action from audit_log where la_code = '919' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['council_set_up', 'role_given']);
    // The home page now offers sign-in.
    expect(pageText((await supertest(app).get('/').expect(200)).text)).not.toContain('No council has been set up');
  });

  it('adds a second administrator to the same council, and a second council to the same database', async () => {
    const second = await services.accounts.setUpCouncil({
      laCode: '919',
      laName: 'hertfordshire county council',
      adminEmail: 'bo@herts.example',
      adminName: 'Bo Admin',
    });
    expect(second).toMatchObject({ laCreated: false, userCreated: true });
    // A regional host: the same person may administer another council too.
    const other = await services.accounts.setUpCouncil({
      laCode: '920',
      laName: 'Bedford Borough Council',
      adminEmail: 'bo@herts.example',
      adminName: 'Bo Admin',
    });
    expect(other).toMatchObject({ laCreated: true, userCreated: false });
    const roles = await queryRows<{ la_code: string }>(
      database.db,
      sql`select r.la_code from role_assignments r join users u on u.id = r.user_id where u.email = 'bo@herts.example' order by 1`,
    );
    expect(roles.map((r) => r.la_code)).toEqual(['919', '920']);
  });

  it('refuses bad input and conflicts, naming the option, and writes nothing', async () => {
    const before = await Promise.all(
      (['local_authorities', 'users', 'role_assignments', 'account_links'] as const).map(count),
    );
    const base = { laCode: '921', laName: 'New Council', adminEmail: 'new@council.example', adminName: 'New Admin' };
    expect(await refusal(() => services.accounts.setUpCouncil({ ...base, laCode: '92' }))).toEqual([
      { field: 'la', text: 'must be the LA’s 3-digit DfE code, like 919' },
    ]);
    expect(await refusal(() => services.accounts.setUpCouncil({ ...base, adminEmail: 'new-at-council' }))).toEqual([
      { field: 'admin-email', text: 'must be an email address, like name@council.gov.uk' },
    ]);
    expect(await refusal(() => services.accounts.setUpCouncil({ ...base, laCode: '919' }))).toEqual([
      { field: 'la-name', text: 'LA 919 is already set up as Hertfordshire County Council, not New Council' },
    ]);
    expect(
      await refusal(() =>
        services.accounts.setUpCouncil({
          ...base,
          laCode: '919',
          laName: 'Hertfordshire County Council',
          adminEmail: 'ADA.ADMIN@herts.example',
        }),
      ),
    ).toEqual([{ field: 'admin-email', text: 'ADA.ADMIN@herts.example is already an administrator of LA 919' }]);
    const after = await Promise.all(
      (['local_authorities', 'users', 'role_assignments', 'account_links'] as const).map(count),
    );
    expect(after).toEqual(before);
  });
});
