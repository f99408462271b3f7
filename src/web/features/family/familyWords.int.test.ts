/**
 * How the service speaks to a family account, on every page it shares with staff (home, the navigation) and on the
 * account's contact page: a young person linked to their own request is never "parent or carer" or "your child"; a
 * carer of two children reads "Your children" where both are listed.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from '../../../../test/fixtures.js';
import { setUpIntegration, type Integration } from '../../../../test/integration.js';
import { pageText } from '../../../../test/pages.js';
import type { Database } from '../../../data/db.js';
import { roleAssignments, users } from '../../../data/schema.js';

let database: Database;
let fixture: Fixture;
let signIn: Integration['signIn'];

/** A family account with the fixture's password, linked to `children` as `relationship`. */
async function familyAccount(email: string, relationship: string, children: string[]) {
  const [parent] = await database.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, fixture.users.parent!.id));
  const [row] = await database.db
    .insert(users)
    .values({ email, displayName: email.split('@')[0]!, passwordHash: parent!.passwordHash, isDemo: true })
    .returning({ id: users.id });
  await database.db
    .insert(roleAssignments)
    .values(children.map((childId) => ({ userId: row!.id, laCode: '999', role: 'parent', childId, relationship })));
}

/** The service navigation's text. */
const navigation = (html: string) => pageText(/<nav[^>]*govuk-service-navigation[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '');

beforeAll(async () => {
  ({ database, fixture, signIn } = await setUpIntegration());
  await familyAccount('sam@home.example', 'young_person', [fixture.cases.ben!.childId]);
  await familyAccount('carer@home.example', 'parent', [fixture.cases.ada!.childId, fixture.cases.cal!.childId]);
});
afterAll(() => database.close());

describe('a young person signed in for their own request', () => {
  it('is told they are signed in as a young person, and the home page and navigation say "Your request"', async () => {
    const sam = await signIn('sam@home.example');
    const home = await sam.get('/').expect(200);
    const text = pageText(home.text);
    expect(text).toContain('You are signed in as a young person, for your own request.');
    expect(text).toContain('Your request Where your request for an assessment has got to.');
    expect(text).not.toMatch(/parent or carer|your child/i);
    expect(navigation(home.text)).toContain('Your request');
    expect(navigation(home.text)).not.toContain('Your child');
  });

  it('reads "your" on the contact page, navigation included', async () => {
    const sam = await signIn('sam@home.example');
    const contact = await sam.get('/account/contact').expect(200);
    expect(pageText(contact.text)).toContain('It never has your full name in it.');
    expect(pageText(contact.text)).not.toMatch(/your child/i);
    expect(navigation(contact.text)).toContain('Your request');
  });
});

describe('a carer of two children', () => {
  it('reads "Your children" where both are listed, and "your children’s" on the contact page', async () => {
    const carer = await signIn('carer@home.example');
    const home = await carer.get('/').expect(200);
    expect(pageText(home.text)).toContain(
      'Your children Where your children’s requests for an assessment have got to.',
    );
    expect(pageText(home.text)).toContain('You are signed in as a parent or carer.');
    const list = await carer.get('/my-child').expect(200);
    expect(navigation(list.text)).toContain('Your children');
    expect(pageText(list.text)).toContain('Ada');
    expect(pageText(list.text)).toContain('Cal');
    // Each request's link names it once (the card's title, which GOV.UK adds to the link for screen readers).
    const links = [...list.text.matchAll(/<a class="govuk-link" href="\/my-child\/[^"]+">([\s\S]*?)<\/a>/g)].map((m) =>
      pageText(m[1]!),
    );
    expect(links).toEqual(['See this request (Ada: R-ada)', 'See this request (Cal: R-cal)'].sort());
    const contact = await carer.get('/account/contact').expect(200);
    expect(pageText(contact.text)).toContain('It never has your children’s full names in it.');
    // A parent of one child still reads "Your child".
    const parent = await signIn('parent');
    const one = await parent.get('/').expect(200);
    expect(navigation(one.text)).toContain('Your child');
    expect(pageText(one.text)).toContain('Your child Where your child’s request for an assessment has got to.');
  });
});
