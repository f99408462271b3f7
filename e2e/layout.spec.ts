/**
 * The layout each role relies on, on a phone and at a desk: at 390 px (an iPhone 12 to 15 held upright) no page of
 * theirs scrolls sideways and each passes axe; at 1280 px the header (service name, navigation, sign-out) takes at
 * most two lines, so the page starts where the user expects it.
 */
import { ACCOUNTS, expect, signIn, test } from './fixtures.js';
import { AuditLogPage, SignInsPage } from './pages/admin.js';
import { CaseloadPage } from './pages/caseload.js';
import { LayoutPage } from './pages/layout.js';
import { SignInPage } from './pages/signIn.js';

// Each test signs in as its own user and leaves the service as it found it (the locked-out account is unlocked), so
// the tests of this file may run on any worker, in any order: the longest file otherwise, it is shared out.
test.describe.configure({ mode: 'parallel' });

/**
 * Each role's navigation, in order, with where each link goes: exactly the parts of the service the role may use.
 * With the home page, these are the role's main pages.
 */
const NAVIGATION: Record<keyof typeof ACCOUNTS, [string, string][]> = {
  caseworker: [
    ['Caseload', '/cases'],
    ['Improvement plan', '/improvement-plan'],
    ['Messages', '/messages'],
  ],
  manager: [
    ['Caseload', '/cases'],
    ['Measures', '/measures'],
    ['Improvement plan', '/improvement-plan'],
    ['Plan quality', '/quality'],
    ['SEN2 return', '/sen2'],
    ['Messages', '/messages'],
  ],
  qa: [
    ['Measures', '/measures'],
    ['Improvement plan', '/improvement-plan'],
    ['Plan quality', '/quality'],
  ],
  advice: [['Requests for advice', '/advice']],
  parent: [['Your child', '/my-child']],
  board: [
    ['Measures', '/measures'],
    ['Improvement plan', '/improvement-plan'],
  ],
  admin: [
    ['Messages', '/messages'],
    ['Users', '/admin/users'],
    ['Audit log', '/admin/audit'],
    ['Bank holidays', '/admin/bank-holidays'],
    ['Retention', '/admin/retention'],
  ],
  data: [
    ['Measures', '/measures'],
    ['SEN2 return', '/sen2'],
  ],
};

for (const role of Object.keys(NAVIGATION) as (keyof typeof ACCOUNTS)[]) {
  test(`${role} sees only the parts of the service their role may use; each page passes axe at 1280 px and on a 390 px phone, which it fits, under a header of at most two lines at 1280 px`, async ({
    page,
    a11y,
  }) => {
    // Up to 7 pages, each checked with axe twice (at a desk and on a phone): longer than the 60 s a journey is given.
    // Twice, as one check on a phone misses what shows only at a desk: compared, axe at 390 px did not look at the
    // navigation's links (folded behind the Menu button), the pagination's numbered pages, the columns of a table
    // scrolled out of view (the measures, plan quality) or a stacked table's header row (users, audit log).
    test.setTimeout(180_000);
    const layout = new LayoutPage(page, a11y);
    await layout.atDesk();
    // Signing in lands on the home page, checked with axe at 1280 px.
    await signIn(page, a11y, ACCOUNTS[role]);
    await expect(layout.menuLinks).toHaveText(NAVIGATION[role].map(([link]) => link));
    await layout.expectFitsDeskAndPhone('/');
    for (const [link, path] of NAVIGATION[role]) {
      await layout.openFromMenu(link);
      // A family with one request goes straight from /my-child to its page.
      await expect(page).toHaveURL((url) => url.pathname === path || url.pathname.startsWith(`${path}/`));
      await expect(layout.heading).toBeVisible();
      await layout.check();
      await layout.expectFitsDeskAndPhone(path);
    }
  });
}

test('the audit log, filtered by a child, and a caseload page past the end fit a phone', async ({ page, a11y }) => {
  const audit = new AuditLogPage(page, a11y);
  const layout = new LayoutPage(page, a11y);
  await layout.onPhone();
  await signIn(page, a11y, ACCOUNTS.admin);
  await audit.open();
  await audit.check();
  await audit.filterByChild('NO-SUCH-CHILD');
  await expect(audit.errorSummary).toContainText('No child in Demo County Council has the reference NO-SUCH-CHILD');
  await layout.expectFitsPhone();
  await audit.check();
  await audit.follow('No child in Demo County Council has the reference NO-SUCH-CHILD');
  await expect(audit.childReference).toBeFocused();
});

test('an admin sees a locked-out account on a phone and unlocks it', async ({ browser, page, a11y }) => {
  // Five failed sign-ins, then three pages each checked with axe: longer than the 60 s a journey is given.
  test.setTimeout(180_000);
  // Someone tries the advice giver's account 5 times with a wrong password, from another browser: it is locked.
  const attacker = await browser.newContext();
  const tries = new SignInPage(await attacker.newPage(), a11y);
  for (let i = 0; i < 5; i++) {
    await tries.page.goto('/sign-in');
    await tries.fill(ACCOUNTS.advice, `not-the-password-${i}`);
    await tries.submit();
    await expect(tries.errorSummary).toContainText('Enter a correct email address and password');
  }
  await attacker.close();

  const audit = new AuditLogPage(page, a11y);
  const signIns = new SignInsPage(page, a11y);
  const layout = new LayoutPage(page, a11y);
  await layout.onPhone();
  await signIn(page, a11y, ACCOUNTS.admin);
  await audit.open();
  await audit.check();
  await audit.openFailedSignIns();
  await expect(signIns.lockedOut).toContainText(ACCOUNTS.advice);
  await expect(signIns.byAddress).toBeVisible();
  await layout.expectFitsPhone();
  await signIns.check();
  await signIns.unlockFirst();
  await expect(signIns.errorSummary).toContainText('can sign in again now.');
  await expect(signIns.noneLockedOut).toBeVisible();
  await layout.expectFitsPhone();
  await signIns.check();
});

test('a caseworker reads the caseload on a phone: each request stacked, a page past the end says so', async ({
  page,
  a11y,
}) => {
  const caseload = new CaseloadPage(page, a11y);
  const layout = new LayoutPage(page, a11y);
  await layout.onPhone();
  await signIn(page, a11y, ACCOUNTS.caseworker);
  await caseload.open('?view=all');
  const table = caseload.tableNamed('All open requests');
  // Still a table to assistive technology, with its sortable column headers.
  await expect(table.getByRole('columnheader', { name: /Next deadline/ })).toBeVisible();
  const first = table.locator('tbody tr').first();
  const [child, stage] = [first.locator('td').nth(0), first.locator('td').nth(1)];
  // Stacked: the stage sits below the child, not beside it, and is named on the line.
  expect((await stage.boundingBox())!.y).toBeGreaterThan((await child.boundingBox())!.y);
  await expect(stage).toHaveAttribute('data-label', 'Stage');
  await layout.expectFitsPhone();
  await caseload.check();

  await caseload.open('?view=all&page=99999');
  await expect(page.getByText(/There are no open requests on page 99,999\./)).toBeVisible();
  await caseload.check();
  await caseload.follow(/go to the last page/);
  await expect(page.getByText(/^Showing [\d,]+ to [\d,]+ of [\d,]+ open requests, page (\d+) of \1\.$/)).toBeVisible();
  await caseload.check();
});

test.describe('a case page on a 390 px phone', () => {
  for (const role of ['caseworker', 'manager'] as const) {
    test(`${role}: the case page fits without scrolling sideways, and passes axe`, async ({ page, a11y }) => {
      const caseload = new CaseloadPage(page, a11y);
      const layout = new LayoutPage(page, a11y);
      await layout.onPhone();
      await signIn(page, a11y, ACCOUNTS[role]);
      await caseload.open('?view=all');
      const href = await caseload.firstCase.getAttribute('href');
      await caseload.check();
      await layout.visit(href!);
      await expect(page.getByRole('heading', { name: 'Statutory deadlines' })).toBeVisible();
      await layout.expectFitsPhone(`${href}`);
      await layout.check();
    });
  }
});
