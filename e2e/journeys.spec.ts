import { ACCOUNTS, expect, signIn, test } from './fixtures.js';
import { AuditLogPage, BankHolidaysPage, UsersPage } from './pages/admin.js';
import { CasePage } from './pages/case.js';
import { CaseloadPage } from './pages/caseload.js';
import { MeasuresPage } from './pages/measures.js';
import { ServicePage } from './pages/page.js';
import { MyChildPage } from './pages/parent.js';
import { PerformancePage } from './pages/performance.js';
import { ImprovementPlanPage, PlanCheckPage } from './pages/plan.js';
import { SignInPage } from './pages/signIn.js';

test('a caseworker signs in, works through the caseload to a case, and signs out', async ({ page, a11y }) => {
  const start = new SignInPage(page, a11y);
  const caseload = new CaseloadPage(page, a11y);
  const casePage = new CasePage(page, a11y);
  await page.goto('/');
  await start.check();
  await expect(start.heading).toHaveText('Education, health and care casework');
  await start.submit();
  await start.check();

  // A mistake first: the error summary, linked to the field.
  await start.submit();
  await expect(start.errorSummary).toContainText('Enter your email address');
  await start.check();

  await start.signIn(ACCOUNTS.caseworker);
  await expect(start.menu.getByRole('link')).toHaveText(['Caseload', 'Improvement plan', 'Messages']);

  await caseload.openFromMenu('Caseload');
  await expect(caseload.heading).toHaveText('Caseload');
  await expect(caseload.table).toContainText('Weeks since request');
  await caseload.check();

  await caseload.follow('All open requests');
  await expect(caseload.showing(1, 25)).toBeVisible();
  await caseload.check();

  await caseload.follow(/^Child/);
  await expect(caseload.columnHeader(/Child/)).toHaveAttribute('aria-sort', 'ascending');
  await caseload.check();

  await caseload.nextPage();
  await expect(caseload.showing(26, 50)).toBeVisible();
  await caseload.check();

  const name = (await caseload.firstCase.textContent())!.trim();
  await caseload.firstCase.click();
  const [family, given] = name.split(', ');
  await expect(casePage.heading).toHaveText(`${given} ${family}`);
  await expect(casePage.timeline).toBeVisible();
  await casePage.check();

  await casePage.signOut();
  await expect(start.heading).toHaveText('You have signed out');
  await start.check();
  await page.goto('/cases');
  await expect(start.heading).toHaveText('Sign in');
  await start.check();
});

// What each role sees (its navigation, each of its pages checked with axe at a desk and on a phone) is in
// layout.spec.ts, one visit per page.

test("a parent follows their own child's request and cannot open the caseload", async ({ page, a11y }) => {
  const child = new MyChildPage(page, a11y);
  await signIn(page, a11y, ACCOUNTS.parent);
  await child.openFromHome();
  // One request: straight to its page, in plain words.
  await expect(child.section('Where it is now')).toBeVisible();
  await expect(child.section('What has happened so far')).toBeVisible();
  await child.check();
  expect(await child.visit('/cases')).toBe(403);
  await expect(child.heading).toHaveText('You do not have access to this page');
  await child.check();
});

test('an admin reads the audit log, including their own reading of it', async ({ page, a11y }) => {
  const audit = new AuditLogPage(page, a11y);
  const users = new UsersPage(page, a11y);
  const holidays = new BankHolidaysPage(page, a11y);
  await signIn(page, a11y, ACCOUNTS.admin);
  await audit.openFromMenu('Audit log');
  await expect(audit.entries).toContainText('sign in');
  await audit.check();
  await users.openFromMenu('Users');
  // The first page of the list, by name: the administrator's own account is on it (the demo caseworker, Sam Okafor,
  // is on the second since the professionals' and families' demo accounts were added).
  await expect(users.users).toContainText('admin@demo-county.example');
  await users.check();
  await holidays.openFromMenu('Bank holidays');
  await holidays.add();
  await expect(holidays.errorSummary).toContainText('Enter the date of the bank holiday');
  await holidays.check();
  await holidays.add({ day: '1', month: '1', year: '2029' });
  await expect(page.getByText('Added 1 January 2029')).toBeVisible();
  await holidays.check();
});

test('a board member reads the measures: the summary, a measure, a breakdown and how it is worked out', async ({
  page,
  a11y,
}) => {
  const measures = new MeasuresPage(page, a11y);
  await signIn(page, a11y, ACCOUNTS.board);
  await measures.openFromMenu('Measures');
  // The measures are worked out a few seconds after the service starts.
  await measures.waitForSummary();
  await expect(measures.chart(/New EHC plans issued within 20 weeks, excluding exceptions/)).toBeVisible();
  await measures.check();
  await page
    .getByRole('link', { name: 'New EHC plans issued within 20 weeks, excluding exceptions', exact: true })
    .click();
  await expect(measures.heading).toHaveText('New EHC plans issued within 20 weeks, excluding exceptions');
  await expect(page.getByRole('table')).toContainText('Number of children (n)');
  await measures.check();
  await measures.follow('Primary need');
  await expect(page.getByRole('heading', { name: 'By primary need' })).toBeVisible();
  await measures.check();
  await measures.follow('How this is worked out');
  await expect(page.getByText('Left out', { exact: true })).toBeVisible();
  await measures.check();
  const bad = await page.goto('/measures/plans_issued?breakdown=postcode');
  expect(bad?.status()).toBe(400);
  await measures.check();
});

test('a manager sets a target for a measure, after a mistake', async ({ page, a11y }) => {
  const measure = new MeasuresPage(page, a11y);
  await signIn(page, a11y, ACCOUNTS.manager);
  await measure.open('decided_within_6_weeks');
  await measure.check();
  await measure.saveTarget('ninety');
  await expect(measure.errorSummary).toContainText('Target must be a number, like 60 or 62.5');
  await expect(measure.target).toHaveValue('ninety');
  await measure.check();
  await measure.saveTarget('90');
  await expect(page.getByText('Target saved: 90%')).toBeVisible();
  await expect(page.getByText(/Target 90%/)).toBeVisible();
  await measure.check();
});

test('a board member checks its current plan for measurable commitments', async ({ page, a11y }) => {
  const plan = new ImprovementPlanPage(page, a11y);
  const checker = new PlanCheckPage(page, a11y);
  await signIn(page, a11y, ACCOUNTS.board);
  await plan.openFromMenu('Improvement plan');
  await expect(plan.heading).toHaveText('Demo County SEND Priority Action Plan');
  await plan.check();
  await plan.follow('Check a plan’s text');
  await checker.checkText();
  await expect(checker.errorSummary).toContainText('Paste the text of the plan');
  await checker.check();
  await checker.checkText(
    '## Timeliness\n- We will strengthen our approach to timeliness.\n- 60% of new EHCPs within 20 weeks (SEN2) by July 2026, owner: Director of SEND, up from 32.6% in 2022; milestone 50% by April 2026.',
  );
  await expect(page.getByText('2 statements read; 1 is measurable as written.')).toBeVisible();
  await expect(page.getByRole('table')).toContainText('A vague verb with no measure behind it: “strengthen”');
  await checker.check();
});

test('anyone reads the public performance page and downloads its figures, without signing in', async ({
  page,
  a11y,
}) => {
  const performance = new PerformancePage(page, a11y);
  await performance.open();
  await performance.check();
  await performance.openArea('Demo County Council');
  await expect(performance.heading).toHaveText('How quickly EHC needs assessments and plans are done');
  await expect(performance.chart(/New EHC plans issued/)).toBeVisible();
  await performance.check();
  // Hidden figures are explained in plain words on the method page.
  await performance.openDetails('How to read these figures');
  await performance.follow('How figures are hidden');
  await expect(page.getByRole('heading', { name: 'Hidden figures' })).toBeVisible();
  await performance.check();
  await page.goBack();
  expect((await performance.downloadFigures()).suggestedFilename()).toBe('openehcp-999-measures.csv');
});

test('error and information pages are accessible', async ({ page, a11y }) => {
  const shown = new ServicePage(page, a11y);
  for (const [path, status, heading] of [
    ['/no-such-page', 404, 'Page not found'],
    ['/accessibility', 200, 'Accessibility statement'],
    ['/cookies', 200, 'Cookies'],
  ] as const) {
    expect(await shown.visit(path)).toBe(status);
    await expect(shown.heading).toHaveText(heading);
    await shown.check();
  }
  await signIn(page, a11y, ACCOUNTS.manager);
  expect(await shown.visit('/cases?sort=bogus')).toBe(400);
  await shown.check();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('a manager signs in and uses the caseload', async ({ page, a11y }) => {
    const caseload = new CaseloadPage(page, a11y);
    await signIn(page, a11y, ACCOUNTS.manager);
    await caseload.open('?view=all&sort=stage&direction=asc');
    await expect(caseload.columnHeader(/Stage/)).toHaveAttribute('aria-sort', 'ascending');
    await caseload.check();
    await caseload.firstCase.click();
    await expect(page.getByRole('heading', { name: 'Request', exact: true })).toBeVisible();
    await new CasePage(page, a11y).check();
  });

  test('the public performance page works: charts, tables and figures behind a summary', async ({ page, a11y }) => {
    const performance = new PerformancePage(page, a11y);
    await performance.open('999');
    await expect(performance.chart(/New EHC plans issued/)).toBeVisible();
    await performance.openDetails('Figures: New EHC plans issued');
    await expect(performance.firstTable).toBeVisible();
    await performance.check();
  });
});
