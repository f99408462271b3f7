/**
 * An administrator sets a professional's scope (issue 27): an advice giver's service (whose requests for advice they
 * answer, or none: only those addressed to them) and a school user's setting URN (6 digits, required for the role),
 * on the invitation and on the account's page; saved on their roles and audited.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, signedIn, type testApp } from '../../../../test/app.js';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { roleAssignments, users } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  ({ database, fixture, app } = await setUpIntegration());
});
afterAll(async () => {
  await database.close();
});

describe('a professional’s scope', () => {
  it('invites a school’s user with their setting’s URN, refused without one or with a wrong one', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const invite = async (settingUrn: string) => {
      const page = (await admin.get('/admin/users/invite').expect(200)).text;
      return admin
        .post('/admin/users/invite')
        .type('form')
        .send({
          _csrf: csrfFrom(page),
          name: 'Sally Senco',
          email: 'senco@hill-primary.example',
          roles: 'school',
          settingUrn,
        });
    };
    const none = await invite('');
    expect(none.status).toBe(400);
    expect(pageText(none.text)).toContain('Enter the URN of the school or setting this user answers for');
    const wrong = await invite('12345');
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).toContain('Enter the setting’s URN: 6 digits, like 117000');
    expect(await database.db.select().from(users).where(eq(users.email, 'senco@hill-primary.example'))).toEqual([]);
    expect((await invite('123456')).status).toBe(200);
    const [user] = await database.db.select().from(users).where(eq(users.email, 'senco@hill-primary.example'));
    const [role] = await database.db.select().from(roleAssignments).where(eq(roleAssignments.userId, user!.id));
    expect(role).toMatchObject({ role: 'school', settingUrn: '123456', adviceService: null });
  });

  it('sets an advice giver’s service on their page, and clears it', async () => {
    const admin = await signedIn(app, fixture.users.admin!.email);
    const advice = fixture.users.advice!;
    const save = async (adviceService: string) => {
      const page = (await admin.get(`/admin/users/${advice.id}`).expect(200)).text;
      const form = page.slice(page.indexOf(`action="/admin/users/${advice.id}/access"`));
      return admin
        .post(`/admin/users/${advice.id}/access`)
        .type('form')
        .send({
          _csrf: csrfFrom(form),
          version: /name="version" value="(\d+)"/.exec(form)![1]!,
          roles: 'advice_giver',
          adviceService,
        });
    };
    expect((await save('made_up')).status).toBe(400);
    expect((await save('health')).status).toBe(303);
    const scope = async () =>
      (
        await database.db
          .select()
          .from(roleAssignments)
          .where(and(eq(roleAssignments.userId, advice.id), eq(roleAssignments.role, 'advice_giver')))
      )[0]!.adviceService;
    expect(await scope()).toBe('health');
    expect(pageText((await admin.get(`/admin/users/${advice.id}`).expect(200)).text)).toContain(
      'Advice service Health',
    );
    expect((await save('')).status).toBe(303);
    expect(await scope()).toBeNull();
  });
});
